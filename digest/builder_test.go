package digest

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/triagebot/triagebot/news"
)

// builderCase is one build of a Builder's sequence.
type builderCase struct {
	name           string
	items, history []news.Item
	o              Options
}

// builderCases are inputs unlike each other in size, options and
// language, in an order that makes leftovers show: a large batch before
// a small one, an input twice, an invalid one between.
func builderCases() []builderCase {
	o := func(f func(*Options)) Options {
		x := Options{Since: since, Until: until, Week: "2026-W48", Location: time.UTC, PerSection: 8, Language: "en", Languages: []string{"en", "zh"}, Now: until}
		if f != nil {
			f(&x)
		}
		return x
	}
	golden := goldenItems()
	large := benchItems(6_000)
	mid := benchItems(2_000)
	// A short history: ranking compares every story with every history
	// item, and the test need not wait for it.
	var history []news.Item
	for i, x := range benchItems(4) {
		if i%3 == 0 {
			x.Tag, x.TaggedAt = news.Research, since
		} else {
			x.Picked = true
		}
		history = append(history, x)
	}
	hostile := hostileItems(rand.New(rand.NewPCG(7, 11)), 500)
	withBG := append(background(), paper("p1", "ChartLens: Teaching Language Models to Read Charts", "2611.05555", 1),
		it("n1", "MIT Technology Review", news.KindNews, "ChartLens teaches chatbots to read charts", "A cheap way to give models chart skills.", "https://tr.example/chartlens", news.Research, 0.8, 2))
	zh := []news.Item{
		it("z1", "機器之心", news.KindNews, "微軟Copilot改用GPT-5模型 發布新功能", "微軟今天宣布Copilot全面改用GPT-5模型。", "https://zh.example/1", news.Product, 0.9, 1),
		it("z2", "量子位", news.KindNews, "微软Copilot改用GPT-5模型", "微软宣布Copilot改用GPT-5。", "https://zh.example/2", news.Product, 0.8, 1.2),
		it("z3", "The Verge", news.KindNews, "Microsoft moves Copilot to GPT-5", "Copilot now runs on GPT-5 for everyone.", "https://verge.example/copilot", news.Product, 0.85, 1.1),
	}
	zh[0].Lang, zh[1].Lang, zh[2].Lang = "zh-TW", "zh-CN", "en"
	return []builderCase{
		{"golden en", golden, nil, o(func(x *Options) {
			x.PerSection, x.Points, x.FeedWeights = 2, 3, map[string]float64{"MIT Technology Review": 1.2}
		})},
		{"large with history", large, history, o(func(x *Options) { x.Points = 2; x.Interests = []string{"kalo", "Thing-7"} })},
		{"small after large", withBG, nil, o(nil)},
		{"golden zh-TW converted", golden, nil, o(func(x *Options) {
			x.Language, x.PerSection, x.Points = "zh-TW", 2, 3
			x.ToTraditional = func(s string) string { return strings.ReplaceAll(s, "微软", "微軟") }
		})},
		{"chinese, english only", zh, nil, o(func(x *Options) { x.Languages = []string{"en"} })},
		{"chinese zh-TW", zh, nil, o(func(x *Options) {
			x.Language = "zh-TW"
			x.ToTraditional = func(s string) string { return strings.ReplaceAll(s, "微软", "微軟") }
		})},
		{"invalid options", mid, nil, o(func(x *Options) { x.PerSection = 0 })},
		{"hostile text", hostile, nil, o(func(x *Options) { x.PerSection = 30 })},
		{"mid, every story, picks in sections", mid, history, o(func(x *Options) { x.All, x.PicksInSections = true, true })},
		{"large again", large, history, o(func(x *Options) { x.Points = 2; x.Interests = []string{"kalo", "Thing-7"} })},
		{"large again, no window", large, nil, o(func(x *Options) { x.Since, x.Until = time.Time{}, time.Time{} })},
		{"empty", nil, nil, o(nil)},
		{"golden en again", golden, nil, o(func(x *Options) {
			x.PerSection, x.Points, x.FeedWeights = 2, 3, map[string]float64{"MIT Technology Review": 1.2}
		})},
	}
}

// hostileItems are items of long, hostile, multilingual text, as
// TestDiscordLimitsProperty makes them.
func hostileItems(rng *rand.Rand, n int) []news.Item {
	alphabet := []string{"a", "Z", " ", "word ", "*", "_", "~", "`", "|", ">", "[", "]", "(", ")", "#", "-", "@", "@everyone", "<@123>",
		"\n", "漢", "字", "研究", "🚀", "👩‍💻", "é", "\\", "https://x.example.com/(a)", "&amp;", "Zephyr-2 ", "GPT-5 ", "\u200b"}
	text := func(max int) string {
		k := rng.IntN(max + 1)
		var b strings.Builder
		for b.Len() < k {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		return b.String()
	}
	var items []news.Item
	for i := range n {
		x := it(fmt.Sprintf("h%04d", i), text(20), []news.Kind{news.KindPaper, news.KindNews, news.KindBlog}[rng.IntN(3)],
			text(200), text(800), []string{"https://e.example.com/a-b-c-" + fmt.Sprint(i), "", "https://arxiv.org/abs/2611.0" + fmt.Sprint(1000+i%50)}[rng.IntN(3)],
			news.Labels()[rng.IntN(3)], rng.Float64(), rng.Float64()*7)
		if x.Picked = rng.IntN(10) == 0; x.Picked {
			x.PickedBy = text(10)
		}
		items = append(items, x)
	}
	return items
}

// sameDigest fails the test unless got and want are one digest, to the
// unexported fields (reflect) and as the JSON a caller reads.
func sameDigest(t *testing.T, got, want *Digest) {
	t.Helper()
	gj, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	wj, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	if string(gj) != string(wj) {
		t.Fatalf("digest differs from a fresh Build's:\n got %.600s\nwant %.600s", gj, wj)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatal("digest differs from a fresh Build's (reflect.DeepEqual), JSON alike")
	}
}

// scribble overwrites every part of d a caller could write to, as a
// caller that edits its digest would: the Builder's next digest must not
// see it.
func scribble(d *Digest) {
	d.Title = "scribbled"
	for i := range d.Sections {
		sec := &d.Sections[i]
		for j := range sec.Stories {
			s := &sec.Stories[j]
			s.Title, s.Summary = "scribbled", "scribbled"
			for k := range s.ItemIDs {
				s.ItemIDs[k] = "scribbled"
			}
			for k := range s.PickedBy {
				s.PickedBy[k] = "scribbled"
			}
			for k := range s.Sources {
				s.Sources[k] = Source{Name: "scribbled"}
			}
			for k := range s.items {
				s.items[k] = nil
			}
			if s.Detail != nil {
				for k := range s.Factors {
					s.Factors[k] = Factor{Name: "scribbled"}
				}
				for k := range s.Coverage {
					s.Coverage[k] = Report{ID: "scribbled"}
				}
				for k := range s.Points {
					s.Points[k] = Point{Quote: "scribbled"}
				}
			}
		}
		sec.Stories = append(sec.Stories[:0], Story{ID: "scribbled"})
	}
}

// TestBuilderMatchesBuild builds a sequence of different inputs with one
// Builder, twice over: each digest must be the one a fresh Build makes,
// however the previous builds went and whatever their callers did to
// their digests; and the first digest must stay as it was through all
// the builds after it (it holds nothing the Builder reuses).
func TestBuilderMatchesBuild(t *testing.T) {
	cases := builderCases()
	var b Builder
	var first, firstWant *Digest
	for round := range 2 {
		for _, tc := range cases {
			t.Run(fmt.Sprintf("%d %s", round, tc.name), func(t *testing.T) {
				want, wantErr := Build(tc.items, tc.history, tc.o)
				got, err := b.Build(tc.items, tc.history, tc.o)
				if (err != nil) != (wantErr != nil) {
					t.Fatalf("error %v, a fresh Build's %v", err, wantErr)
				}
				if err != nil {
					return
				}
				if got.StoryCount == 0 && len(tc.items) > 0 {
					t.Fatalf("no stories from %d items", len(tc.items))
				}
				sameDigest(t, got, want)
				if first == nil {
					first, firstWant = got, want
					return
				}
				scribble(got)
			})
		}
	}
	sameDigest(t, first, firstWant)
}

// TestBuilderKeepsNoItems: between builds a Builder holds no reference
// to the caller's items (a daemon would keep a week of them alive), also
// past what a small build after a large one used; and a build above
// maxKeptItems drops the scratch.
func TestBuilderKeepsNoItems(t *testing.T) {
	var b Builder
	items := benchItems(2_000)
	o := Options{Since: since, Until: until, Location: time.UTC, PerSection: 5, Language: "en", Languages: []string{"en"}, Points: 2}
	for _, its := range [][]news.Item{items, items[:50]} {
		if _, err := b.Build(its, nil, o); err != nil {
			t.Fatal(err)
		}
	}
	s := &b.s
	if cap(s.docs) < len(items) || cap(s.stories) == 0 {
		t.Fatalf("scratch not kept: %d docs, %d stories", cap(s.docs), cap(s.stories))
	}
	for i, d := range s.docs[:cap(s.docs)] {
		if d.it != nil || d.np != nil || d.vp != nil {
			t.Fatalf("doc %d still refers to an item", i)
		}
	}
	for i, x := range s.window[:cap(s.window)] {
		if x != nil {
			t.Fatalf("window %d still refers to an item", i)
		}
	}
	for i, x := range s.flat[:cap(s.flat)] {
		if x != nil {
			t.Fatalf("story list %d still refers to an item", i)
		}
	}
	for _, c := range s.names.chunks {
		for i, n := range c[:cap(c)] {
			if n.key != "" {
				t.Fatalf("name %d still kept: %q", i, n.key)
			}
		}
	}
	if len(s.byURL) != 0 || len(s.papers) != 0 || len(s.cues.feeds) != 0 || len(s.aside) != 0 {
		t.Fatalf("maps still hold keys: %d links, %d papers, %d feeds, %d stories' asides", len(s.byURL), len(s.papers), len(s.cues.feeds), len(s.aside))
	}
	s.release(maxKeptItems + 1)
	if s.docs != nil || s.stories != nil || s.feats.chunks != nil || s.voc.ids.slots != nil {
		t.Fatal("scratch of a build above maxKeptItems kept")
	}
}

// TestBuilderConcurrent builds from several goroutines at once with one
// Builder (the daemon's weekly post and a /digest can meet): every
// digest is a fresh Build's. Run with -race.
func TestBuilderConcurrent(t *testing.T) {
	var cases []builderCase
	for _, tc := range builderCases() {
		if len(tc.items) <= 5_000 {
			cases = append(cases, tc)
		}
	}
	var b Builder
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for k := range cases {
				tc := cases[(k+g)%len(cases)]
				got, err := b.Build(tc.items, tc.history, tc.o)
				want, wantErr := Build(tc.items, tc.history, tc.o)
				if (err != nil) != (wantErr != nil) {
					t.Errorf("%s: error %v, a fresh Build's %v", tc.name, err, wantErr)
					return
				}
				if err == nil && !reflect.DeepEqual(got, want) {
					t.Errorf("%s: digest differs from a fresh Build's", tc.name)
				}
			}
		})
	}
	wg.Wait()
}
