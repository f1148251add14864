package service

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/triagebot/triagebot/classifier"
	"github.com/triagebot/triagebot/config"
	"github.com/triagebot/triagebot/feeds"
	"github.com/triagebot/triagebot/news"
	"github.com/triagebot/triagebot/store"
)

// now is Friday of 2026-W48.
var now = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

func newService(t testing.TB, items []news.Item, edit func(*config.Config)) (*Service, *store.Store) {
	t.Helper()
	st, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.UpsertItems(items); err != nil {
		t.Fatal(err)
	}
	m, err := classifier.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Defaults()
	cfg.Timezone = "UTC"
	if edit != nil {
		edit(&cfg)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	return New(st, m, &cfg, func() time.Time { return now }), st
}

func item(id, title, source string, hoursAgo int) news.Item {
	return news.Item{ID: id, Key: "k:" + id, Title: title, Source: source, Feed: source, SourceKind: news.KindNews, URL: "https://e.example.com/" + id,
		Published: now.Add(-time.Duration(hoursAgo) * time.Hour), FirstSeen: now}
}

func TestResolveWeek(t *testing.T) {
	s, _ := newService(t, nil, nil)
	for _, tc := range []struct{ in, want string }{
		{"", "2026-W48"}, {"this week", "2026-W48"}, {"本週", "2026-W48"}, {"  This  Week ", "2026-W48"},
		{"last week", "2026-W47"}, {"上週", "2026-W47"}, {"上周", "2026-W47"},
		{"2026-W48", "2026-W48"}, {"2026-w05", "2026-W05"}, {"W48", "2026-W48"}, {"w3", "2026-W03"},
		{"W52", "2025-W52"}, // week 52 of this year is still ahead: the last one is last year's
		{"2026-11-23", "2026-W48"}, {"2027-01-01", "2026-W53"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := s.ResolveWeek(tc.in)
			if err != nil || got != tc.want {
				t.Errorf("ResolveWeek(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
			}
		})
	}
	for _, bad := range []string{"W99", "next tuesday", "2026-13-01", "@everyone"} {
		if _, err := s.ResolveWeek(bad); !errors.Is(err, ErrBadWeek) {
			t.Errorf("%q: %v, want ErrBadWeek", bad, err)
		}
	}
}

func TestSearch(t *testing.T) {
	items := []news.Item{
		item("cn1", "国产大模型系统对标评测结果发布", "机器之心", 1),
		item("tw1", "台大長文本模型發布", "數位時代", 2),
		item("an1", "Anthropic ships a new model", "Anthropic News", 3),
		item("an2", "Claude from Anthropic gets memory", "The Verge", 5),
		item("old", "Anthropic history", "Old", 24*40), // older than four weeks
		item("ai1", "Fair play in AI", "Blog", 4),
	}
	s, _ := newService(t, items, nil)
	for _, tc := range []struct {
		q    string
		want []string
	}{
		{"系統對標", []string{"cn1"}},      // Traditional finds Simplified, no spaces
		{"发布", []string{"cn1", "tw1"}}, // Simplified finds both scripts, newest first
		{"台大長文本", []string{"tw1"}},
		{"antropic", []string{"an1", "an2"}}, // one edit away
		{"anthorpic model", []string{"an1"}}, // two swapped letters, plus an exact word
		{"anthr", []string{"an1", "an2"}},    // still typing
		{"verge", []string{"an2"}},           // the source counts
		{"ai", []string{"ai1"}},              // short words must match exactly: no "anthropic" for "ai"
		{"zzzz", nil},
		{"an2", []string{"an2"}}, // an id
	} {
		t.Run(tc.q, func(t *testing.T) {
			got, err := s.Search(tc.q, 25)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, it := range got {
				ids = append(ids, it.ID)
			}
			if !slices.Equal(ids, tc.want) {
				t.Errorf("Search(%q) = %v, want %v", tc.q, ids, tc.want)
			}
		})
	}
}

func TestTagMemoryIsCapped(t *testing.T) {
	var items []news.Item
	for i := range 40 { // forty near-identical items the model has nothing to go on for: one tag moves them all
		items = append(items, item(fmt.Sprintf("z%03d", i), fmt.Sprintf("Zorblax quibble frobnitz wuggle %d", i), "X", i))
	}
	items = append(items, item("solo", "Tiny lab posts a note on prime sieves", "Y", 2))
	s, st := newService(t, items, nil)
	beforeLabel := s.m.Classify(items[5]).Label
	r, err := s.TagItem("z000", news.Research, "ana")
	if err != nil {
		t.Fatal(err)
	}
	if !r.Held || r.Relabelled <= MaxRelabel || r.Item.Tag != news.Research {
		t.Fatalf("a tag that moves %d items should be held: %+v", r.Relabelled, r)
	}
	if got := s.m.Classify(items[5]).Label; got != beforeLabel {
		t.Errorf("a held tag still re-labelled a neighbour: %s → %s", beforeLabel, got)
	}
	if raw, err := st.GetState(LearnedState); err != nil || raw != nil {
		t.Errorf("a held tag was saved to the tag memory (%v)", err)
	}
	// A relearn (what untag and retrain do) keeps it out too.
	if _, err := s.Relearn(); err != nil {
		t.Fatal(err)
	}
	if got := s.m.Classify(items[5]).Label; got != beforeLabel {
		t.Errorf("a relearn learned the held tag: %s → %s", beforeLabel, got)
	}
	// The CLI's tag is the deliberate lesson: learned, and no longer held.
	if _, err := s.Tag("z000", news.Research, "cli"); err != nil {
		t.Fatal(err)
	}
	if held, err := heldTags(st); err != nil || held["z000"] || s.m.Classify(items[5]).Label == beforeLabel {
		t.Errorf("an explicit tag was held or not learned: held %v", held)
	}
	if err := s.m.LoadLearned(nil); err != nil {
		t.Fatal(err)
	}
	if err := st.PutState(LearnedState, nil); err != nil {
		t.Fatal(err)
	}
	// A tag that moves few items is learned and saved.
	r, err = s.TagItem("solo", news.Research, "ana")
	if err != nil || r.Held || r.Relabelled > MaxRelabel {
		t.Fatalf("a small tag: %+v %v", r, err)
	}
	if raw, err := st.GetState(LearnedState); err != nil || raw == nil {
		t.Errorf("a small tag was not learned (%v)", err)
	}
}

func TestPicksByEveryHostAreKept(t *testing.T) {
	s, _ := newService(t, []news.Item{item("p1", "Pick me", "X", 1)}, nil)
	steps := []struct {
		on   bool
		by   string
		want []string
	}{
		{true, "ana", []string{"ana"}},
		{true, "bo", []string{"ana", "bo"}},
		{true, "bo", []string{"ana", "bo"}}, // twice is once
		{false, "bo", []string{"ana"}},      // bo takes back only bo's pick
		{true, "bo", []string{"ana", "bo"}},
		{false, "carl", nil}, // someone who had not picked clears the rundown
	}
	for i, st := range steps {
		it, err := s.Pick("p1", st.on, st.by)
		if err != nil {
			t.Fatal(err)
		}
		if got := PickersOf(it); !slices.Equal(got, st.want) || it.Picked != (len(st.want) > 0) || it.PickedBy != strings.Join(st.want, ", ") {
			t.Errorf("step %d: pickers %v picked %v by %q; want %v", i, got, it.Picked, it.PickedBy, st.want)
		}
	}
	// An item picked before Pickers existed keeps its picker.
	if got := PickersOf(news.Item{Picked: true, PickedBy: "old"}); !slices.Equal(got, []string{"old"}) {
		t.Errorf("legacy pick: %v", got)
	}
}

func TestCheckFeed(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/rss":
			fmt.Fprint(w, `<rss version="2.0"><channel><title>Lab</title><item><title>a</title><link>https://l.example.com/a</link></item></channel></rss>`)
		case "/html":
			fmt.Fprint(w, `<!doctype html><html><body>no</body></html>`)
		case "/down":
			w.WriteHeader(503)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	open, _ := newService(t, nil, func(c *config.Config) { c.Poll.AllowPrivateNetworks = true })
	guarded, _ := newService(t, nil, nil)
	var httpErr *feeds.HTTPError
	for _, tc := range []struct {
		name string
		s    *Service
		url  string
		ok   func(FeedCheck, error) bool
	}{
		{"a feed", open, "/rss", func(c FeedCheck, err error) bool { return err == nil && c.Title == "Lab" && c.Items == 1 }},
		{"an HTML page", open, "/html", func(_ FeedCheck, err error) bool { return errors.Is(err, feeds.ErrNotAFeed) }},
		{"a 404", open, "/nope", func(_ FeedCheck, err error) bool { return errors.As(err, &httpErr) && httpErr.Status == 404 }},
		{"a 503", open, "/down", func(_ FeedCheck, err error) bool { return errors.As(err, &httpErr) && httpErr.Status == 503 }},
		{"the network guard", guarded, "/rss", func(_ FeedCheck, err error) bool { return errors.Is(err, feeds.ErrPrivateAddress) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := tc.s.AddFeedChecked(context.Background(), news.Feed{Name: "F", URL: srv.URL + tc.url, Kind: news.KindNews})
			if !tc.ok(c, err) {
				t.Errorf("%+v %v", c, err)
			}
			_, ferr := tc.s.st.Feed("F")
			if (ferr == nil) != (err == nil) {
				t.Errorf("saved %v after %v", ferr == nil, err)
			}
			if err == nil {
				tc.s.RemoveFeed("F")
			}
		})
	}
	if err := open.AddFeed(news.Feed{Name: "Lab", URL: srv.URL + "/rss", Kind: news.KindNews}); err != nil {
		t.Fatal(err)
	}
	_, err := open.CheckFeed(context.Background(), news.Feed{Name: "Lab 2", URL: strings.Replace(srv.URL, "http://", "HTTP://", 1) + "/rss/", Kind: news.KindNews})
	var fe *FollowedError
	if !errors.As(err, &fe) || fe.Name != "Lab" || !errors.Is(err, ErrFeedFollowed) {
		t.Errorf("a followed URL under a new name: %v", err)
	}
}

func TestOPMLRoundTrip(t *testing.T) {
	s, _ := newService(t, nil, nil)
	in := `<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>reader</title></head>
  <body>
    <outline text="論文">
      <outline text="arXiv" title="arXiv cs.AI" type="rss" xmlUrl="https://arxiv.example.org/cs.AI"/>
    </outline>
    <outline text="Stuff">
      <outline text="Tagged" type="rss" category="/blog" xmlUrl="https://t.example.org/feed"/>
      <outline text="Plain" type="rss" xmlUrl="https://p.example.org/feed"/>
    </outline>
  </body>
</opml>`
	res, err := s.ImportOPML(strings.NewReader(in), news.KindNews, false)
	if err != nil || res.Blocking() || len(res.Added) != 3 {
		t.Fatalf("import: %+v %v", res, err)
	}
	kinds := map[string]news.Kind{}
	for _, f := range res.Added {
		kinds[f.Name] = f.Kind
	}
	if kinds["arXiv cs.AI"] != news.KindPaper || kinds["Tagged"] != news.KindBlog || kinds["Plain"] != news.KindNews {
		t.Errorf("kinds: %v", kinds)
	}
	var out bytes.Buffer
	if err := s.ExportOPML(&out); err != nil {
		t.Fatal(err)
	}
	back, _, refused, err := ParseOPML(&out, "")
	if err != nil || len(refused) != 0 || len(back) != 3 {
		t.Fatalf("re-read the export: %v %v %v\n%s", back, refused, err, out.String())
	}
	for _, f := range back {
		if kinds[f.Name] != f.Kind {
			t.Errorf("%s came back as %s", f.Name, f.Kind)
		}
	}
	// One bad outline: nothing is added, each problem has its line.
	mixed := `<opml version="2.0"><body>
<outline text="Fresh" type="rss" xmlUrl="https://fresh.example.org/feed"/>
<outline text="Plain again" type="rss" xmlUrl="https://p.example.org/feed/"/>
<outline text="Bad" type="rss" xmlUrl="mailto:x@example.org"/>
</body></opml>`
	res, err = s.ImportOPML(strings.NewReader(mixed), news.KindNews, false)
	if err != nil || !res.Blocking() || len(res.Added) != 0 || len(res.Refused) != 2 || res.Refused[0].Line != 3 || !res.Refused[0].Followed || res.Refused[1].Line != 4 {
		t.Errorf("a mixed import: %+v %v", res, err)
	}
	if _, err := s.st.Feed("Fresh"); err == nil {
		t.Error("half an import was saved")
	}
	if _, err := s.ImportOPML(strings.NewReader("<html><body>not opml</body></html>"), "", false); !errors.Is(err, ErrOPML) {
		t.Errorf("an HTML file: %v", err)
	}
}

// BenchmarkTagItem measures a tag with the re-label count over a full
// window (5,000 recent items, TagItem's limit): it runs inside a button
// click, which Discord wants answered within three seconds.
func BenchmarkTagItem(b *testing.B) {
	var items []news.Item
	for i := range 5000 {
		items = append(items, item(fmt.Sprintf("b%05d", i), fmt.Sprintf("Startup %d raises a round for model %d serving chips", i, i%97), "X", i%600))
	}
	s, _ := newService(b, items, nil)
	b.ResetTimer()
	for i := range b.N {
		if _, err := s.TagItem(fmt.Sprintf("b%05d", i%5000), news.Labels()[i%3], "ana"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSearch measures one autocomplete keystroke over 5,000 recent
// items, half of them Chinese (each folded to Simplified per search).
func BenchmarkSearch(b *testing.B) {
	var items []news.Item
	for i := range 5000 {
		title := fmt.Sprintf("Startup %d raises a round for model %d", i, i%97)
		if i%2 == 0 {
			title = fmt.Sprintf("台灣新創公司第%d輪募資完成，模型系統對標測試發布", i)
		}
		items = append(items, item(fmt.Sprintf("s%05d", i), title, "X", i%600))
	}
	s, _ := newService(b, items, nil)
	for _, q := range []string{"系統對標 9999", "antropic"} {
		b.Run(q, func(b *testing.B) {
			for range b.N {
				if _, err := s.Search(q, 25); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
