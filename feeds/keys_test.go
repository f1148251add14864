package feeds

import (
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
