package feeds

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"
)

func TestRedact(t *testing.T) {
	cases := []struct{ in, want string }{
		{"http://user:secret@feeds.example.com/rss", "http://***@feeds.example.com/rss"},
		{"https://token@feeds.example.com/rss?x=1", "https://***@feeds.example.com/rss?x=1"},
		{"https://feeds.example.com/rss", "https://feeds.example.com/rss"},
		{"not a url", "not a url"},
		{"http://us er:p%zz@host/feed", "http://***@host/feed"},
	}
	for _, tc := range cases {
		got := Redact(tc.in)
		if strings.Contains(got, "secret") || strings.Contains(got, "token") || strings.Contains(got, "us er") {
			t.Errorf("Redact(%q) = %q still shows the credentials", tc.in, got)
		}
		if got != tc.want {
			t.Errorf("Redact(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestRedactErrKeepsTheChain(t *testing.T) {
	raw := "http://user:hunter22@feeds.example.com/rss"
	base := fmt.Errorf("feeds: fetch %s: %w", raw, context.DeadlineExceeded)
	err := RedactErr(base, raw)
	if strings.Contains(err.Error(), "hunter22") || strings.Contains(err.Error(), "user:") {
		t.Errorf("error text still shows the credentials: %v", err)
	}
	if !strings.Contains(err.Error(), "feeds.example.com/rss") {
		t.Errorf("error text lost the host: %v", err)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Error("errors.Is lost the cause")
	}
	// The password alone, as some wrapped errors quote it.
	if got := RedactText("auth failed for hunter22", raw); strings.Contains(got, "hunter22") {
		t.Errorf("RedactText = %q", got)
	}
	// No credentials: the same error comes back.
	plain := errors.New("feeds: fetch https://e.com/rss: timeout")
	if RedactErr(plain, "https://e.com/rss") != plain {
		t.Error("an error without credentials was rewrapped")
	}
	if RedactErr(nil, raw) != nil {
		t.Error("nil error became non-nil")
	}
}

func TestItemLinksNeverCarryFeedCredentials(t *testing.T) {
	it := Normalize(&gofeed.Item{Title: "t", Link: "/posts/1"}, FeedInfo{Name: "f", Link: "https://user:pw@e.com/feed"}, "", testNow)
	if it.URL != "https://e.com/posts/1" {
		t.Errorf("url %q", it.URL)
	}
}
