package feeds

import (
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"
	"github.com/triagebot/triagebot/news"
)

// changelogFeed is a single-page changelog whose releases differ only in
// the GUID's fragment, as Windsurf's feeds write them.
const changelogFeed = `<?xml version="1.0"?><rss version="2.0"><channel><title>Changelog</title><link>https://editor.example.com/changelog</link>
<item><title>Editor 2.3.15</title><link>https://editor.example.com/changelog#2.3.15</link><guid isPermaLink="false">https://editor.example.com/changelog#2.3.15#2.3.15</guid><pubDate>Thu, 28 May 2026 00:00:00 +0000</pubDate></item>
<item><title>Editor 2.3.9</title><link>https://editor.example.com/changelog#2.3.9</link><guid isPermaLink="false">https://editor.example.com/changelog#2.3.9#2.3.9</guid><pubDate>Sun, 17 May 2026 00:00:00 +0000</pubDate></item>
<item><title>Editor 2.2.17</title><link>https://editor.example.com/changelog#2.2.17</link><guid isPermaLink="false">https://editor.example.com/changelog#2.2.17#2.2.17</guid><pubDate>Wed, 06 May 2026 00:00:00 +0000</pubDate></item>
</channel></rss>`

func TestFragmentGUIDsStayDistinct(t *testing.T) {
	feed, err := Parse(t.Context(), []byte(changelogFeed), "application/rss+xml")
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	for _, e := range feed.Items {
		it := Normalize(e, FeedInfo{Name: "changelog", Kind: news.KindBlog}, "", testNow)
		keys[it.Key] = true
		if it.LegacyKey != "url:https://editor.example.com/changelog" {
			t.Errorf("%s: legacy key %q, want the fragment-less key the first release used", it.Title, it.LegacyKey)
		}
	}
	if len(keys) != 3 {
		t.Fatalf("3 releases gave %d distinct keys: %v", len(keys), keys)
	}
	if !keys["url:https://editor.example.com/changelog#2.3.9#2.3.9"] {
		t.Errorf("the GUID is not kept whole: %v", keys)
	}
}

func TestLinkFragmentRule(t *testing.T) {
	cases := []struct {
		name, link, want string
	}{
		{"identifying fragment kept", "https://e.com/changelog#v1.2", "url:https://e.com/changelog#v1.2"},
		{"comments anchor dropped", "https://e.com/post#comments", "url:https://e.com/post"},
		{"numbered more anchor dropped", "https://e.com/post#more-1234", "url:https://e.com/post"},
		{"numbered comment anchor dropped", "https://e.com/post#comment-77", "url:https://e.com/post"},
		{"post anchor dropped", "https://e.com/post#post-12", "url:https://e.com/post"},
		{"text fragment dropped", "https://e.com/post#:~:text=hello", "url:https://e.com/post"},
		{"tracking in fragment dropped", "https://e.com/post#utm_source=feed", "url:https://e.com/post"},
		{"tracking query still dropped, fragment kept", "https://www.e.com/log?utm_source=x#r2", "url:https://e.com/log#r2"},
		{"no fragment", "https://e.com/post", "url:https://e.com/post"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			it := Normalize(&gofeed.Item{Title: "t", Link: tc.link}, FeedInfo{Name: "f"}, "", testNow)
			if it.Key != tc.want {
				t.Errorf("key = %q, want %q", it.Key, tc.want)
			}
			if it.Key == "url:https://e.com/post" && it.LegacyKey != "" {
				t.Errorf("unchanged key has a legacy key %q", it.LegacyKey)
			}
		})
	}
}

func TestGUIDIsWholeEvenWithTrackingLookalikes(t *testing.T) {
	// A GUID's fragment is part of the identifier, whatever it looks like.
	it := Normalize(&gofeed.Item{Title: "t", GUID: "https://e.com/p#comments"}, FeedInfo{Name: "f"}, "", testNow)
	if it.Key != "url:https://e.com/p#comments" {
		t.Errorf("key = %q", it.Key)
	}
}

func TestHashKeyIgnoresLaterCleanups(t *testing.T) {
	// An entry with neither GUID nor link is keyed by a hash of its text.
	// The text is shown with C1 codes mapped and bidi controls dropped, but
	// hashed as the first release cleaned it (C1 as a space, controls
	// kept), so a store written then does not get it a second time.
	it := Normalize(&gofeed.Item{Title: "It\u0092s \u202Ehere", Description: `one\n\nTwo`}, FeedInfo{Name: "f"}, "", testNow)
	if it.Title != "It’s here" || it.Summary != "one Two" {
		t.Errorf("shown as %q / %q", it.Title, it.Summary)
	}
	want := CanonicalKey(news.Item{Title: "It s \u202Ehere", Summary: `one\n\nTwo`}, "f", "")
	if it.Key != want {
		t.Errorf("key %q, want the first release's %q", it.Key, want)
	}
}

// cleanURLRebuild is CleanURL as it was before its plain-query shortcut:
// the reference the shortcut must match.
func cleanURLRebuild(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return strings.TrimSpace(raw)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme == "http" {
		u.Scheme = "https"
	}
	u.Host = strings.TrimPrefix(strings.ToLower(u.Host), "www.")
	u.Fragment = ""
	q := u.Query()
	for k := range q {
		if isTrackingParam(k) {
			q.Del(k)
		}
	}
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		for j, v := range q[k] {
			if i+j > 0 {
				b.WriteByte('&')
			}
			b.WriteString(url.QueryEscape(k) + "=" + url.QueryEscape(v))
		}
	}
	u.RawQuery = b.String()
	if u.Path == "/" {
		u.Path = ""
	}
	return u.String()
}

func TestCleanURLShortcutMatchesRebuild(t *testing.T) {
	queries := []string{"", "p=1", "a=1&b=2", "b=2&a=1", "a=1&a=2", "a=", "a", "=1", "a=1&", "&a=1", "a=1&&b=2",
		"utm_source=rss", "p=1&utm_medium=x", "q=a+b", "q=a%20b", "q=%7E", "q=~x.y-z_", "a=1;b=2", "a=b=c", "A=1&a=2",
		"id=ABC&page=2&ref=x", "fbclid=1", "x=%zz", "k=\u00e9"}
	bases := []string{"https://www.Example.com/", "http://e.com/a/b", "HTTPS://E.com", "https://e.com/?", "https://e.com/p#frag", " https://e.com/x ", "ftp://e.com/", "/relative", "https://user:pw@e.com:8080/p"}
	for _, base := range bases {
		for _, q := range queries {
			raw := base
			if q != "" {
				if strings.Contains(raw, "?") {
					raw += q
				} else if i := strings.Index(raw, "#"); i >= 0 {
					raw = raw[:i] + "?" + q + raw[i:]
				} else {
					raw = strings.TrimRight(raw, " ") + "?" + q
				}
			}
			if got, want := CleanURL(raw), cleanURLRebuild(raw); got != want {
				t.Errorf("CleanURL(%q) = %q, the rebuild gives %q", raw, got, want)
			}
			// The key of a GUID parses once; it must key as before.
			it := news.Item{GUID: raw}
			want := "guid::" + raw
			if isWebURL(raw) {
				want = "url:" + cleanURLRebuild(raw)
				if _, frag, ok := strings.Cut(strings.TrimSpace(raw), "#"); ok && frag != "" {
					want += "#" + frag
				}
			}
			if got := CanonicalKey(it, "", ""); got != want {
				t.Errorf("CanonicalKey(GUID %q) = %q, want %q", raw, got, want)
			}
		}
	}
}
