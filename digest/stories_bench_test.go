package digest

import (
	"flag"
	"fmt"
	"testing"
	"time"

	"github.com/triagebot/triagebot/news"
)

// BenchmarkStories times what a build does once the docs are made
// (candidates, linkage, the stories and their leads, ranking), without
// the reading of items that comes first and varies as much: the part
// that storiesCued and rank own.
//
//	go test ./digest -run '^$' -bench Stories -cpu 1
func BenchmarkStories(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		items := benchItems(n)
		b.Run(fmt.Sprintf("items=%d", n), func(b *testing.B) {
			window := make([]*news.Item, len(items))
			for i := range items {
				window[i] = &items[i]
			}
			m := &scratch{cues: newCues()}
			m.flat = window
			g := newGrouperIn(m, window, GroupOptions{}, m.cues)
			o := Options{Since: since, Until: until}
			cpu0 := cpuTime()
			for b.Loop() {
				m.uf.reset(len(g.docs))
				stories := g.storiesCued(m.cues, since)
				rank(stories, nil, o, m.cues)
			}
			if cpu := cpuTime() - cpu0; cpu > 0 {
				b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
			}
		})
	}
}

// BenchmarkStoriesAB alternates storiesCued and rank with main's versions
// of them (ref_test.go) in one process, build by build, so that the
// neighbours' load falls on both alike: cpu-ns/op is the new code's,
// ref-cpu-ns/op main's, and new/ref their ratio.
//
//	go test ./digest -run '^$' -bench StoriesAB -cpu 1 -benchtime 40x
func BenchmarkStoriesAB(b *testing.B) {
	items := benchItems(100_000)
	window := make([]*news.Item, len(items))
	for i := range items {
		window[i] = &items[i]
	}
	m := &scratch{cues: newCues()}
	m.flat = window
	g := newGrouperIn(m, window, GroupOptions{}, m.cues)
	o := Options{Since: since, Until: until}
	runNew := func() time.Duration {
		t0 := cpuTime()
		m.uf.reset(len(g.docs))
		rank(g.storiesCued(m.cues, since), nil, o, m.cues)
		return cpuTime() - t0
	}
	runRef := func() time.Duration {
		t0 := cpuTime()
		m.uf.reset(len(g.docs))
		rankRef(g.storiesCuedRef(m.cues, since), nil, o, m.cues)
		return cpuTime() - t0
	}
	var tNew, tRef time.Duration
	// Each goes first every other time: the second finds some of what
	// the first read still in cache.
	for k := 0; b.Loop(); k++ {
		if k%2 == 0 {
			tNew += runNew()
			tRef += runRef()
		} else {
			tRef += runRef()
			tNew += runNew()
		}
	}
	b.ReportMetric(float64(tNew.Nanoseconds())/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(tRef.Nanoseconds())/float64(b.N), "ref-cpu-ns/op")
	b.ReportMetric(float64(tNew)/float64(tRef), "new/ref")
}

var abSame = flag.Bool("ab.same", false, "BenchmarkBuildAB: run the new build on both sides, to see how much the two sides differ with no change")

// BenchmarkBuildAB alternates whole builds of 100,000 items, buildIn
// against main's (buildInRef, ref_test.go), in one process: fresh, each
// build in new memory as Build makes them, and warm, each side with a
// scratch of its own as a Builder keeps one. Each side goes first every
// other time. cpu-ns/op is the new build's CPU, ref-cpu-ns/op main's,
// new/ref their ratio; -ab.same runs the new build on both sides.
//
//	go test ./digest -run '^$' -bench BuildAB -cpu 1 -benchtime 20x
func BenchmarkBuildAB(b *testing.B) {
	items := benchItems(100_000)
	o := Options{Since: since, Until: until, PerSection: 10, Now: until, Location: time.UTC, Language: "en", Languages: []string{"en", "zh"}}
	ref := buildInRef
	if *abSame {
		ref = buildIn
	}
	for _, warm := range []bool{false, true} {
		name := "fresh"
		if warm {
			name = "warm"
		}
		b.Run(name, func(b *testing.B) {
			var sNew, sRef scratch
			run := func(build func(*scratch, []news.Item, []news.Item, Options) (*Digest, error), s *scratch) time.Duration {
				if !warm {
					s = &scratch{}
				}
				t0 := cpuTime()
				d, err := build(s, items, nil, o)
				if err != nil || d.ItemCount != len(items) {
					b.Fatal(err)
				}
				s.release(len(items))
				return cpuTime() - t0
			}
			if warm {
				run(buildIn, &sNew)
				run(ref, &sRef)
			}
			var tNew, tRef time.Duration
			for k := 0; b.Loop(); k++ {
				if k%2 == 0 {
					tNew += run(buildIn, &sNew)
					tRef += run(ref, &sRef)
				} else {
					tRef += run(ref, &sRef)
					tNew += run(buildIn, &sNew)
				}
			}
			b.ReportMetric(float64(tNew.Nanoseconds())/float64(b.N), "cpu-ns/op")
			b.ReportMetric(float64(tRef.Nanoseconds())/float64(b.N), "ref-cpu-ns/op")
			b.ReportMetric(float64(tNew)/float64(tRef), "new/ref")
		})
	}
}
