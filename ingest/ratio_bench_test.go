package ingest

import (
	"context"
	"os"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
	"github.com/triagebot/triagebot/feeds"
)

// BenchmarkFirstPollRatio measures issue 13's first-poll ratio, the pipeline's
// CPU over gofeed's alone on the same bytes, robustly on a shared machine.
// Each op is one round that runs, in one process and within seconds of
// each other, gofeed as it comes, gofeed as the poller configures it, and
// the whole pipeline into a fresh store (BenchmarkIngest's three), so a
// swing in the neighbours' load hits both sides of a round's ratio alike;
// odd rounds run them in reverse order, so neither side always runs first
// after the setup. Each side starts after a forced GC, so no side pays for
// the garbage of the one before it. CPU is the process's, user + system,
// from getrusage. It reports the median ratio over the rounds and its
// range, and logs every round:
//
//	go test ./ingest -run '^$' -bench FirstPollRatio -benchtime 7x
func BenchmarkFirstPollRatio(b *testing.B) {
	bs := newBenchServer(b)
	type round struct{ def, used, pipe time.Duration }
	var rounds []round
	measure := func(fn func()) time.Duration {
		runtime.GC()
		c0 := cpuTime()
		fn()
		return cpuTime() - c0
	}
	for b.Loop() {
		var r round
		sides := []func(){
			func() { r.def = measure(func() { parseAll(b, bs, gofeed.NewParser) }) },
			func() { r.used = measure(func() { parseAll(b, bs, feeds.NewParser) }) },
			func() { r.pipe = ratioPipeline(b, bs, measure) },
		}
		if len(rounds)%2 == 1 {
			slices.Reverse(sides)
		}
		for _, side := range sides {
			side()
		}
		if r.def <= 0 || r.used <= 0 || r.pipe <= 0 {
			b.Skip("no CPU time from getrusage on this system")
		}
		b.Logf("round %d: gofeed as it comes %.3f cpu-s, as configured %.3f, pipeline %.3f: %.2fx and %.2fx",
			len(rounds)+1, r.def.Seconds(), r.used.Seconds(), r.pipe.Seconds(),
			r.pipe.Seconds()/r.def.Seconds(), r.pipe.Seconds()/r.used.Seconds())
		rounds = append(rounds, r)
	}
	ratios := func(of func(round) float64) []float64 {
		var out []float64
		for _, r := range rounds {
			out = append(out, of(r))
		}
		slices.Sort(out)
		return out
	}
	vsDefault := ratios(func(r round) float64 { return r.pipe.Seconds() / r.def.Seconds() })
	vsUsed := ratios(func(r round) float64 { return r.pipe.Seconds() / r.used.Seconds() })
	b.ReportMetric(median(vsDefault), "x-gofeed")
	b.ReportMetric(vsDefault[0], "x-gofeed-min")
	b.ReportMetric(vsDefault[len(vsDefault)-1], "x-gofeed-max")
	b.ReportMetric(median(vsUsed), "x-gofeed-as-used")
	b.ReportMetric(median(ratios(func(r round) float64 { return r.pipe.Seconds() })), "pipeline-cpu-s")
	b.ReportMetric(median(ratios(func(r round) float64 { return r.def.Seconds() })), "gofeed-cpu-s")
}

// ratioPipeline runs one first poll of the bench feeds into a fresh store
// and returns its CPU time; opening the store and loading the classifier
// are not counted (the binary pays them once, not per feed).
func ratioPipeline(b *testing.B, bs *benchServer, measure func(func()) time.Duration) time.Duration {
	dir, err := os.MkdirTemp("", "ingest-ratio-")
	if err != nil {
		b.Fatal(err)
	}
	defer os.RemoveAll(dir)
	p, st := benchPollerIn(b, bs, dir)
	defer st.Close()
	var (
		res  []FeedResult
		perr error
	)
	cpu := measure(func() { res, perr = p.PollDue(context.Background(), true) })
	if perr != nil || len(res) != benchFeeds {
		b.Fatalf("%d results, %v", len(res), perr)
	}
	if n, _ := st.Count(); n != benchFeeds*benchItems {
		b.Fatalf("stored %d items", n)
	}
	return cpu
}

// median of sorted values.
func median(sorted []float64) float64 {
	n := len(sorted)
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}
