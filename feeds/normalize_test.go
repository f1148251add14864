package feeds

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"
	"github.com/triagebot/triagebot/news"
)

func TestCleanURLDropsTracking(t *testing.T) {
	cases := []struct{ in, want string }{
		{"https://www.Example.com/a?utm_source=x&utm_campaign=y&id=3#frag", "https://example.com/a?id=3"},
		{"http://example.com/a?b=2&a=1&fbclid=zz&gclid=q", "https://example.com/a?a=1&b=2"},
		{"https://example.com/", "https://example.com"},
		{"https://example.com/p?mc_cid=1&mc_eid=2&ref=home", "https://example.com/p?ref=home"},
		{"not a url", "not a url"},
	}
	for _, tc := range cases {
		if got := CleanURL(tc.in); got != tc.want {
			t.Errorf("CleanURL(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestCanonicalKeyFallbacks(t *testing.T) {
	pub := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name string
		item gofeed.Item
		want string // prefix
	}{
		{"arxiv link wins over guid", gofeed.Item{Title: "p", Link: "https://arxiv.org/abs/2611.00001v4", GUID: "x"}, "arxiv:2611.00001"},
		{"opaque guid is feed-scoped", gofeed.Item{Title: "g", GUID: "12345", Link: "https://e.com/a"}, "guid:feed:12345"},
		{"url guid is global", gofeed.Item{Title: "g", GUID: "https://e.com/a?utm_source=z"}, "url:https://e.com/a"},
		{"link without guid", gofeed.Item{Title: "l", Link: "https://e.com/b?utm_medium=rss"}, "url:https://e.com/b"},
		{"neither link nor guid", gofeed.Item{Title: "only a title", PublishedParsed: &pub}, "hash:"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			it := Normalize(&tc.item, FeedInfo{Name: "feed", Kind: news.KindNews}, "", testNow)
			if !strings.HasPrefix(it.Key, tc.want) || (tc.want != "hash:" && it.Key != tc.want) {
				t.Errorf("key = %q, want %q", it.Key, tc.want)
			}
		})
	}
	// The hash key is stable across polls.
	a := Normalize(&gofeed.Item{Title: "only a title", PublishedParsed: &pub}, FeedInfo{Name: "feed"}, "", testNow)
	b := Normalize(&gofeed.Item{Title: "only a title", PublishedParsed: &pub}, FeedInfo{Name: "feed"}, "", testNow.Add(time.Hour))
	if a.Key != b.Key || a.ID != b.ID {
		t.Errorf("hash key not stable: %q vs %q", a.Key, b.Key)
	}
}

func TestNormalizeHostileFields(t *testing.T) {
	future := time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC)
	updated := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name  string
		item  gofeed.Item
		check func(t *testing.T, it news.Item)
	}{
		{"1 MB title is capped", gofeed.Item{Title: strings.Repeat("word ", 200_000), Link: "https://e.com/x"}, func(t *testing.T, it news.Item) {
			if n := utf8.RuneCountInString(it.Title); n > maxTitleRunes {
				t.Errorf("title has %d runes", n)
			}
			if !strings.HasSuffix(it.Title, "…") {
				t.Errorf("cut title should end with an ellipsis: %q", it.Title[len(it.Title)-10:])
			}
		}},
		{"summary capped near 1000", gofeed.Item{Title: "t", Description: strings.Repeat("lorem ipsum ", 5000)}, func(t *testing.T, it news.Item) {
			if n := utf8.RuneCountInString(it.Summary); n > maxSummaryRunes || n < 800 {
				t.Errorf("summary has %d runes", n)
			}
		}},
		{"date in 2099 becomes first seen", gofeed.Item{Title: "t", PublishedParsed: &future}, func(t *testing.T, it news.Item) {
			if !it.Published.Equal(testNow) {
				t.Errorf("published = %s", it.Published)
			}
		}},
		{"published falls back to updated", gofeed.Item{Title: "t", UpdatedParsed: &updated}, func(t *testing.T, it news.Item) {
			if !it.Published.Equal(updated) {
				t.Errorf("published = %s", it.Published)
			}
		}},
		{"no date at all is first seen", gofeed.Item{Title: "t"}, func(t *testing.T, it news.Item) {
			if !it.Published.Equal(testNow) || !it.FirstSeen.Equal(testNow) {
				t.Errorf("published = %s first seen = %s", it.Published, it.FirstSeen)
			}
		}},
		{"invalid UTF-8 and entities", gofeed.Item{Title: "bad \xff\xfe bytes &amp; &lt;b&gt;", Description: "<p>a&nbsp;b</p>\x00"}, func(t *testing.T, it news.Item) {
			if !utf8.ValidString(it.Title) || !utf8.ValidString(it.Summary) {
				t.Errorf("invalid UTF-8 kept: %q %q", it.Title, it.Summary)
			}
			if !strings.Contains(it.Title, "& <b>") || it.Summary != "a b" {
				t.Errorf("title %q summary %q", it.Title, it.Summary)
			}
		}},
		{"javascript link dropped", gofeed.Item{Title: "t", Link: "javascript:alert(1)"}, func(t *testing.T, it news.Item) {
			if it.URL != "" {
				t.Errorf("url = %q", it.URL)
			}
		}},
		{"empty title gets one", gofeed.Item{Description: "Body text that says what happened."}, func(t *testing.T, it news.Item) {
			if it.Title == "" {
				t.Error("empty title")
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.check(t, Normalize(&tc.item, FeedInfo{Name: "f", Kind: news.KindNews}, "", testNow))
		})
	}
}

func FuzzNormalize(f *testing.F) {
	f.Add("Title <b>x</b>", "<p>summary &amp; more</p>", "https://arxiv.org/abs/2611.00001v2", "guid", "en")
	f.Add("", "", "", "", "")
	f.Add("\xff\xfe", "<script>", "javascript:x", "oai:arXiv.org:cs/0101001v1", "zh-TW")
	f.Add("標題", "arXiv:2611.00001v1 Announce Type: new \nAbstract: x", "/relative", "", "")
	f.Fuzz(func(t *testing.T, title, desc, link, guid, lang string) {
		it := Normalize(&gofeed.Item{Title: title, Description: desc, Link: link, GUID: guid}, FeedInfo{Name: "f", Kind: news.KindNews, Link: "https://e.com/feed"}, lang, testNow)
		if it.Key == "" || len(it.ID) != 10 || it.Title == "" {
			t.Fatalf("missing identity: key=%q id=%q title=%q", it.Key, it.ID, it.Title)
		}
		if !utf8.ValidString(it.Title) || !utf8.ValidString(it.Summary) || !utf8.ValidString(it.Key) {
			t.Fatal("invalid UTF-8 out")
		}
		if utf8.RuneCountInString(it.Title) > maxTitleRunes || utf8.RuneCountInString(it.Summary) > maxSummaryRunes {
			t.Fatal("caps not applied")
		}
		again := Normalize(&gofeed.Item{Title: title, Description: desc, Link: link, GUID: guid}, FeedInfo{Name: "f", Kind: news.KindNews, Link: "https://e.com/feed"}, lang, testNow.Add(time.Hour))
		if again.Key != it.Key {
			t.Fatalf("key not stable: %q vs %q", it.Key, again.Key)
		}
	})
}

// truncate cuts by byte offsets; truncateRunes is the plain rune version
// it must agree with.
