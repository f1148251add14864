package digest

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/triagebot/triagebot/news"
)

// variedItems is benchItems(n) made less regular, so that the faster
// steps meet what the benchmark never shows: undated items and times
// years apart (and, with far, one item a century and a half away, past
// what a posting's 32-bit time holds), tags, picks, replace
// announcements, sites of their own, papers with names that headlines
// repeat, long summaries and Chinese headlines.
func variedItems(seed uint64, n int, far bool) []news.Item {
	items := benchItems(n)
	rng := rand.New(rand.NewPCG(seed, 7))
	hosts := []string{"https://www.a.com/", "https://blog.a.com/", "https://news.b.co.uk/", "http://c.org/", "https://d.example.com.tw/", "nohost/"}
	for i := range items {
		it := &items[i]
		switch rng.IntN(20) {
		case 0:
			it.Published = time.Time{}
		case 1:
			it.Published = it.Published.AddDate(-rng.IntN(3), 0, 0)
		case 2:
			it.Published = it.Published.Add(time.Duration(rng.IntN(1000)) * time.Millisecond)
		}
		switch rng.IntN(10) {
		case 0:
			it.Tag, it.TaggedAt = news.Labels()[rng.IntN(3)], since.Add(time.Duration(rng.IntN(100))*time.Hour)
		case 1:
			it.Picked, it.PickedBy = true, []string{"ann", "bo", ""}[rng.IntN(3)]
		case 2:
			it.AnnounceType = []string{"replace", "Replace-cross", "new", "cross"}[rng.IntN(4)]
		case 3:
			it.Verdict = nil
		case 4:
			it.Tag = news.Labels()[rng.IntN(3)] // no time: not counted as tagged
		case 5:
			it.Verdict = &news.Verdict{Label: news.Labels()[rng.IntN(3)]} // confidence 0
		}
		if rng.IntN(3) == 0 {
			it.URL = hosts[rng.IntN(len(hosts))] + it.ID
		}
		if rng.IntN(4) == 0 {
			it.Source = ""
		}
		switch rng.IntN(12) {
		case 0:
			it.Summary = strings.Repeat(it.Summary, 4) + " 1,800\tjobs\n"
		case 1:
			it.Summary = ""
		case 2:
			it.Title = "微軟Copilot改用GPT-5模型 " + it.Title
		}
		if it.SourceKind == news.KindPaper && rng.IntN(8) == 0 {
			name := fmt.Sprintf("ChartLens%d", rng.IntN(n/20+1))
			it.Title = name + ": " + it.Title
			if j := rng.IntN(n); items[j].SourceKind != news.KindPaper {
				items[j].Title = name + " " + items[j].Title
			}
		}
	}
	if far && n > 0 {
		items[n/2].Published = time.Date(1870, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return items
}

// TestStoriesMatchRef checks the stories, their leads and their scores
// against main's straightforward steps (ref_test.go) on varied batches.
func TestStoriesMatchRef(t *testing.T) {
	cases := []struct {
		items []news.Item
		cued  bool
	}{
		{benchItems(3000), true},
		{variedItems(1, 3000, false), true},
		{variedItems(2, 5000, true), true},
		{variedItems(3, 2000, false), false},
		{variedItems(4, 400, true), true},
	}
	for k, tc := range cases {
		t.Run(fmt.Sprint(k), func(t *testing.T) {
			var c *cues
			if tc.cued {
				c = newCues()
			}
			run := func(ref bool) ([]story, *scratch) {
				window := make([]*news.Item, len(tc.items))
				for i := range tc.items {
					window[i] = &tc.items[i]
				}
				m := &scratch{}
				m.flat = slices.Clone(window)
				g := newGrouperIn(m, window, GroupOptions{}, c)
				o := Options{Since: since, Until: until}
				if ref {
					ss := g.storiesCuedRef(c, since)
					rank(ss, m.flat, nil, o, newCues())
					return ss, m
				}
				ss := g.storiesCued(c, since)
				rank(ss, m.flat, nil, o, newCues())
				return ss, m
			}
			got, gm := run(false)
			want, wm := run(true)
			if len(got) != len(want) {
				t.Fatalf("%d stories, want %d", len(got), len(want))
			}
			multi := 0
			for i := range got {
				g, w := got[i], want[i]
				if !slices.Equal(g.its(gm.flat), w.its(wm.flat)) {
					t.Fatalf("story %d: items differ", i)
				}
				if g.n > 1 {
					multi++
				}
				if !reflect.DeepEqual(gm.aside[g.at], wm.aside[w.at]) {
					t.Fatalf("story %d: aside %+v, want %+v", i, gm.aside[g.at], wm.aside[w.at])
				}
				if g != w {
					t.Fatalf("story %d:\n%+v\nwant\n%+v", i, g, w)
				}
			}
			if multi == 0 {
				t.Fatal("no story of several items: the case tests little")
			}
		})
	}
}

// TestEdgeOrder checks edge.order's one comparison against comparing
// similarity, then first item, on random edges with equal similarities
// and items.
func TestEdgeOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 9))
	sims := []float32{0.25, 0.250001, 0.3, 0.5, 0.99, 1}
	for range 100000 {
		x := edge{int32(rng.IntN(4)), 0, sims[rng.IntN(len(sims))]}
		y := edge{int32(rng.IntN(4)), 0, sims[rng.IntN(len(sims))]}
		want := cmp.Compare(y.sim, x.sim)
		if want == 0 {
			want = cmp.Compare(x.a, y.a)
		}
		if got := cmp.Compare(x.order(), y.order()); got != want {
			t.Fatalf("%+v against %+v: %d, want %d", x, y, got, want)
		}
	}
}

// TestInitOne: a story of one item is filled by initOne as the general
// path (initMany) fills it, on items with and without tags, picks,
// verdicts, times and replace announcements, and papers.
func TestInitOne(t *testing.T) {
	items := variedItems(5, 2000, true)
	for i := range items {
		its := []*news.Item{&items[i]}
		var got, want story
		ga := got.initOne(its, int32(i), since)
		wa := want.initMany(its, int32(i), since)
		if got != want || !reflect.DeepEqual(ga, wa) {
			t.Fatalf("item %d (%+v):\n%+v %+v\nwant\n%+v %+v", i, items[i], got, ga, want, wa)
		}
	}
}
