package ingest

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
	"github.com/triagebot/triagebot/classifier"
	"github.com/triagebot/triagebot/feeds"
	"github.com/triagebot/triagebot/news"
	"github.com/triagebot/triagebot/store"
)

// ratioChunks is how many slices of the bench feeds a round interleaves.
const ratioChunks = 5

// BenchmarkFirstPollRatio measures issue 13's first-poll ratio, the
// pipeline's CPU over gofeed's alone on the same bytes, so that it holds on
// a shared machine. Each op is one round: a first poll of the 1,000 bench
// feeds into a fresh store, in five slices of 200 feeds, each slice
// followed (or, every other slice, preceded) by gofeed alone over the same
// slice's bytes, as it comes and as the poller configures it. The two sides
// of a round thus run interleaved within about a second of each other, and
// a burst of the neighbours' load hits both alike: in separate processes,
// or in whole-round alternation, gofeed alone moved by up to 60% between
// runs a minute apart. Each side starts after a forced GC, so no side
// pays for the other's garbage. CPU is the process's, user + system, from
// getrusage. The slices' store holds every earlier slice's items, as a
// first poll's would. It reports the median of the rounds' ratios and their
// range, and logs every round:
//
//	go test ./ingest -run '^$' -bench FirstPollRatio -benchtime 7x
func BenchmarkFirstPollRatio(b *testing.B) {
	bs := newBenchServer(b)
	m, err := classifier.Builtin()
	if err != nil {
		b.Fatal(err)
	}
	measure := func(fn func()) time.Duration {
		runtime.GC()
		c0 := cpuTime()
		fn()
		return cpuTime() - c0
	}
	type round struct{ def, used, pipe time.Duration }
	var rounds []round
	for b.Loop() {
		r := ratioRound(b, bs, m, measure)
		if r.def <= 0 || r.used <= 0 || r.pipe <= 0 {
			b.Skip("no CPU time from getrusage on this system")
		}
		b.Logf("round %d: gofeed as it comes %.3f cpu-s, as configured %.3f, pipeline %.3f: %.2fx and %.2fx",
			len(rounds)+1, r.def.Seconds(), r.used.Seconds(), r.pipe.Seconds(),
			r.pipe.Seconds()/r.def.Seconds(), r.pipe.Seconds()/r.used.Seconds())
		rounds = append(rounds, round(r))
	}
	sorted := func(of func(round) float64) []float64 {
		var out []float64
		for _, r := range rounds {
			out = append(out, of(r))
		}
		slices.Sort(out)
		return out
	}
	vsDefault := sorted(func(r round) float64 { return r.pipe.Seconds() / r.def.Seconds() })
	b.ReportMetric(median(vsDefault), "x-gofeed")
	b.ReportMetric(vsDefault[0], "x-gofeed-min")
	b.ReportMetric(vsDefault[len(vsDefault)-1], "x-gofeed-max")
	b.ReportMetric(median(sorted(func(r round) float64 { return r.pipe.Seconds() / r.used.Seconds() })), "x-gofeed-as-used")
	b.ReportMetric(median(sorted(func(r round) float64 { return r.pipe.Seconds() })), "pipeline-cpu-s")
	b.ReportMetric(median(sorted(func(r round) float64 { return r.def.Seconds() })), "gofeed-cpu-s")
}

// ratioRound is one round of BenchmarkFirstPollRatio: the CPU of gofeed
// alone (as it comes, as configured) and of the pipeline over every bench
// feed, interleaved slice by slice. Opening the store, loading the
// classifier and putting each slice's feeds in the store are not counted
// (the binary pays them once per poll, not per feed).
func ratioRound(b *testing.B, bs *benchServer, m Classifier, measure func(func()) time.Duration) (r struct{ def, used, pipe time.Duration }) {
	dir, err := os.MkdirTemp("", "ingest-ratio-")
	if err != nil {
		b.Fatal(err)
	}
	defer os.RemoveAll(dir)
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	f := testFetcher(b, 30*time.Second)
	per := benchFeeds / ratioChunks
	for c := range ratioChunks {
		lo, hi := c*per, (c+1)*per
		list := make([]news.Feed, 0, per)
		for i := lo; i < hi; i++ {
			list = append(list, news.Feed{Name: fmt.Sprintf("feed-%04d", i), URL: fmt.Sprintf("%s/f/%d", bs.srv.URL, i), Kind: news.KindNews})
		}
		// The slice's feeds replace the last slice's records; their items stay.
		if err := st.SyncFeeds(list); err != nil {
			b.Fatal(err)
		}
		p := mustPoller(b)(New(st, f, m, testOptions(8, 8), nil, nil))
		sides := []func(){
			func() { r.def += measure(func() { parseRange(b, bs, lo, hi, gofeed.NewParser) }) },
			func() { r.used += measure(func() { parseRange(b, bs, lo, hi, feeds.NewParser) }) },
			func() {
				r.pipe += measure(func() {
					res, err := p.PollDue(context.Background(), true)
					if err != nil || len(res) != per {
						b.Fatalf("%d results, %v", len(res), err)
					}
				})
			},
		}
		if c%2 == 1 {
			slices.Reverse(sides)
		}
		for _, side := range sides {
			side()
		}
	}
	if n, _ := st.Count(); n != benchFeeds*benchItems {
		b.Fatalf("stored %d items", n)
	}
	return r
}

// median of sorted values.
func median(sorted []float64) float64 {
	n := len(sorted)
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}
