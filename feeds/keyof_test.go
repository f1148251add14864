package feeds

import (
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
)

func TestKeyOfMatchesNormalize(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, link, want string }{
		{"plain link", "https://example.com/post/1", "url:https://example.com/post/1"},
		{"tracking parameters", "https://example.com/post/1?utm_source=x&fbclid=y", "url:https://example.com/post/1"},
		{"arXiv version", "https://arxiv.org/abs/2411.01234v3", "arxiv:2411.01234"},
		{"surrounding space", "  https://example.com/post/1  ", "url:https://example.com/post/1"},
		{"not a web link", "javascript:alert(1)", ""},
		{"an id", "abcd1234", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := KeyOf(tc.link)
			if got != tc.want {
				t.Fatalf("KeyOf(%q) = %q, want %q", tc.link, got, tc.want)
			}
			if got == "" {
				return
			}
			// The key a poll gives the same entry, so a pasted link finds it.
			if n := Normalize(&gofeed.Item{Link: tc.link, Title: "t"}, FeedInfo{Name: "f"}, "", time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)); n.Key != got {
				t.Errorf("Normalize keys %q as %q, KeyOf as %q", tc.link, n.Key, got)
			}
		})
	}
}
