package feeds

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/triagebot/triagebot/news"
)

var testNow = time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)

// parseFixture parses and normalizes a testdata file the way the poller does.
func parseFixture(t *testing.T, name, contentType string, kind news.Kind) []news.Item {
	t.Helper()
	body, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	f, err := Parse(t.Context(), body, contentType)
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	var out []news.Item
	for _, e := range f.Items {
		out = append(out, Normalize(e, FeedInfo{Name: "test", Kind: kind, Link: "https://lab.example.com/feed"}, f.Language, testNow))
	}
	return out
}

func TestParseFormats(t *testing.T) {
	type want struct {
		title, key, url, summaryHas, announce, lang string
		published                                   time.Time
		categories, authors                         []string
	}
	cases := []struct {
		file, contentType string
		kind              news.Kind
		n                 int
		first             want
	}{
		{"arxiv_rss.xml", "application/rss+xml", news.KindPaper, 3, want{
			title: "Sparse Adapters Teach Frozen Language Models to Read Charts", key: "arxiv:2611.01234",
			url: "https://arxiv.org/abs/2611.01234", summaryHas: "We propose sparse chart adapters", announce: "new", lang: "en",
			published:  time.Date(2026, 11, 24, 5, 0, 0, 0, time.UTC),
			categories: []string{"cs.CL", "cs.CV"}, authors: []string{"Ada Example", "Bo Sample", "Chen Placeholder"}}},
		{"arxiv_api.atom", "application/atom+xml", news.KindPaper, 2, want{
			title: "Retrieval Heads Explain Long-Context Recall", key: "arxiv:2611.05555",
			url: "http://arxiv.org/abs/2611.05555v3", summaryHas: "ablating them removes recall",
			published:  time.Date(2026, 11, 20, 18, 0, 0, 0, time.UTC),
			categories: []string{"cs.CL", "cs.LG"}, authors: []string{"Gil Researcher", "Hana Scientist"}}},
		{"rss2_content.xml", "application/rss+xml; charset=utf-8", news.KindNews, 2, want{
			title: "Acme’s chatbot gets a voice mode & a $20 plan", key: "url:https://news.example.com?p=101",
			url:        "https://news.example.com/2026/11/24/acme-voice-mode/?utm_source=rss&utm_medium=feed&fbclid=abc",
			summaryHas: "Acme is rolling out a voice mode.", lang: "en",
			published: time.Date(2026, 11, 24, 15, 4, 5, 0, time.UTC)}},
		{"atom_html.xml", "application/atom+xml", news.KindBlog, 2, want{
			title: "Introducing Widget-2", key: "guid:test:tag:lab.example.com,2026:post-42",
			url: "https://lab.example.com/blog/widget-2", summaryHas: "Widget-2 is available in our API & apps.", lang: "en",
			published: time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)}},
		{"jsonfeed.json", "application/feed+json", news.KindBlog, 2, want{
			title: "JSON Feed item one", key: "guid:test:json-1", url: "https://json.example.com/posts/one",
			summaryHas: "Hello JSON world.", lang: "en", published: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)}},
		{"rss1_rdf.xml", "application/rdf+xml", news.KindNews, 1, want{
			title: "RDF item A", key: "url:https://rdf.example.com/a", url: "https://rdf.example.com/a",
			summaryHas: "Item A of an RSS 1.0 feed.", published: time.Date(2026, 11, 21, 7, 0, 0, 0, time.UTC)}},
		{"big5.xml", "application/rss+xml", news.KindNews, 1, want{
			title: "台灣團隊發布新的語言模型", key: "url:https://big5.example.tw/news/1", url: "https://big5.example.tw/news/1",
			summaryHas: "研究人員推出開源模型，支援繁體中文。", lang: "zh", published: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)}},
		{"big5_noprolog.xml", "text/xml; charset=big5", news.KindNews, 1, want{
			title: "台灣團隊發布新的語言模型", key: "url:https://big5.example.tw/news/1", url: "https://big5.example.tw/news/1",
			summaryHas: "支援繁體中文", lang: "zh", published: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)}},
		{"gbk.xml", "application/rss+xml", news.KindNews, 1, want{
			title: "国内公司推出新款人工智能助手", key: "url:https://gbk.example.cn/news/1", url: "https://gbk.example.cn/news/1",
			summaryHas: "该产品今日上线，面向企业用户。", lang: "zh", published: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)}},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			items := parseFixture(t, tc.file, tc.contentType, tc.kind)
			if len(items) != tc.n {
				t.Fatalf("got %d items, want %d", len(items), tc.n)
			}
			got, w := items[0], tc.first
			if got.Title != w.title {
				t.Errorf("title = %q, want %q", got.Title, w.title)
			}
			if got.Key != w.key {
				t.Errorf("key = %q, want %q", got.Key, w.key)
			}
			if got.URL != w.url {
				t.Errorf("url = %q, want %q", got.URL, w.url)
			}
			if !strings.Contains(got.Summary, w.summaryHas) {
				t.Errorf("summary = %q, want it to contain %q", got.Summary, w.summaryHas)
			}
			if strings.ContainsAny(got.Summary, "<>") || strings.Contains(got.Summary, "alert(") || strings.Contains(got.Summary, "Announce Type") {
				t.Errorf("summary not cleaned: %q", got.Summary)
			}
			if w.announce != "" && got.AnnounceType != w.announce {
				t.Errorf("announce = %q, want %q", got.AnnounceType, w.announce)
			}
			if w.lang != "" && got.Lang != w.lang {
				t.Errorf("lang = %q, want %q", got.Lang, w.lang)
			}
			if !got.Published.Equal(w.published) {
				t.Errorf("published = %s, want %s", got.Published, w.published)
			}
			if w.categories != nil && !slices.Equal(got.Categories, w.categories) {
				t.Errorf("categories = %q, want %q", got.Categories, w.categories)
			}
			if w.authors != nil && !slices.Equal(got.Authors, w.authors) {
				t.Errorf("authors = %q, want %q", got.Authors, w.authors)
			}
			if len(got.ID) != 10 {
				t.Errorf("id %q: want 10 characters", got.ID)
			}
		})
	}
}

func TestArxivVariants(t *testing.T) {
	cl := parseFixture(t, "arxiv_rss.xml", "", news.KindPaper)
	ai := parseFixture(t, "arxiv_rss_ai.xml", "", news.KindPaper)
	api := parseFixture(t, "arxiv_api.atom", "", news.KindPaper)
	// A cross-list in another category feed and a v2 replacement are the
	// same paper as the v1 announcement.
	if cl[1].Key != ai[0].Key || cl[1].ID != ai[0].ID {
		t.Errorf("cross-listed paper got two identities: %q/%q vs %q/%q", cl[1].Key, cl[1].ID, ai[0].Key, ai[0].ID)
	}
	if cl[0].Key != ai[1].Key {
		t.Errorf("v2 replacement %q differs from v1 %q", ai[1].Key, cl[0].Key)
	}
	if got := []string{cl[1].AnnounceType, cl[2].AnnounceType, ai[1].AnnounceType}; !slices.Equal(got, []string{"cross", "replace", "replace-cross"}) {
		t.Errorf("announce types = %q", got)
	}
	if api[1].Key != "arxiv:cs/0112017" {
		t.Errorf("old-style id key = %q", api[1].Key)
	}
}

func TestParseRejects(t *testing.T) {
	cases := []struct {
		name string
		body string
		want error
	}{
		{"empty", "  \n", ErrNotAFeed},
		{"html page", "<!DOCTYPE html><html><head><title>Home</title></head><body>hi</body></html>", ErrNotAFeed},
		{"binary", "\x89PNG\r\n\x1a\n\x00\x00", ErrNotAFeed},
		// A cut document is a clear parse error, never an empty success.
		{"truncated", `<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>cut`, ErrUnparseable},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Parse(t.Context(), []byte(tc.body), "")
			if !errors.Is(err, tc.want) || f != nil {
				t.Fatalf("feed %v, err = %v, want %v", f, err, tc.want)
			}
			if strings.Contains(tc.name, "html") && !strings.Contains(err.Error(), "HTML page") {
				t.Errorf("error %q should say it got an HTML page", err)
			}
			if tc.name == "truncated" && !strings.Contains(err.Error(), "unexpected EOF") {
				t.Errorf("error %q should say the document ended early", err)
			}
		})
	}
}

// FuzzParse feeds arbitrary bytes through Parse and Normalize, as a hostile
// server would: never a panic, and every item gets an identity.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"arxiv_rss.xml", "atom_html.xml", "jsonfeed.json", "rss1_rdf.xml", "big5.xml"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, "application/rss+xml")
	}
	f.Add([]byte(`<?xml version="1.0" encoding="x-unknown"?><rss/>`), "text/xml; charset=big5")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		feed, err := Parse(t.Context(), body, contentType)
		if err != nil {
			return
		}
		for _, e := range feed.Items {
			if e == nil {
				continue
			}
			if it := Normalize(e, FeedInfo{Name: "f", Kind: news.KindNews}, feed.Language, testNow); it.Key == "" || it.ID == "" {
				t.Fatalf("item without identity: %+v", it)
			}
		}
	})
}
