package store

import (
	"fmt"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/triagebot/triagebot/news"
)

func benchItem(feed, i int) news.Item {
	return news.Item{
		ID: fmt.Sprintf("%010x", feed*100000+i), Key: fmt.Sprintf("url:https://f%d.example.com/story-%d", feed, i),
		URL: fmt.Sprintf("https://f%d.example.com/story-%d", feed, i), Title: fmt.Sprintf("Feed %d story %d: a company ships a model with new features", feed, i),
		Summary: strings.Repeat("Researchers and product teams reported results and launches this week. ", 7), Feed: fmt.Sprintf("feed-%d", feed), Source: "bench", SourceKind: news.KindNews,
		Published: time.Date(2026, 11, 24, i%24, i%60, 0, 0, time.UTC), FirstSeen: time.Now(),
		Verdict: &news.Verdict{Label: news.Product, Confidence: 0.8, Reasons: []string{"launches"}},
	}
}

// BenchmarkUpsert stores 1,000 feeds × 50 items, 8 feeds at a time as the
// poller does, and reports items per second.
//
//	go test ./store -run '^$' -bench Upsert -benchtime 3x
func BenchmarkUpsert(b *testing.B) { benchUpsert(b, Options{}) }

// BenchmarkUpsertFreelist is BenchmarkUpsert under both bbolt freelist
// settings, interleaved when run with -count: what writing the freelist
// at every commit costs a first poll.
//
//	go test ./store -run '^$' -bench UpsertFreelist -benchtime 1x -count 4
func BenchmarkUpsertFreelist(b *testing.B) {
	b.Run("freelist-synced", func(b *testing.B) { benchUpsert(b, Options{}) })
	b.Run("NoFreelistSync", func(b *testing.B) { benchUpsert(b, Options{noFreelistSync: true}) })
}

func benchUpsert(b *testing.B, opts Options) {
	for b.Loop() {
		b.StopTimer()
		s, err := Open(b.TempDir(), opts)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		var wg sync.WaitGroup
		feeds := make(chan int)
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for f := range feeds {
					batch := make([]news.Item, 50)
					for i := range batch {
						batch[i] = benchItem(f, i)
					}
					if _, err := s.UpsertItems(batch); err != nil {
						b.Error(err)
					}
				}
			}()
		}
		for f := range 1000 {
			feeds <- f
		}
		close(feeds)
		wg.Wait()
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(50_000*b.N)/b.Elapsed().Seconds(), "items/s")
}

// BenchmarkStore100k fills a store with 100,000 items (1,000 polls of 100)
// and reads one week back, reporting the process's peak RSS: the figure
// docs/benchmarks.md quotes for memory with a large store.
//
//	go test ./store -run '^$' -bench Store100k -benchtime 1x
func BenchmarkStore100k(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		s, err := Open(b.TempDir(), Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		for f := range 1000 {
			batch := make([]news.Item, 100)
			for i := range batch {
				batch[i] = benchItem(f, i)
				batch[i].Published = time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(f*100+i) * time.Minute)
			}
			if _, err := s.UpsertItems(batch); err != nil {
				b.Fatal(err)
			}
		}
		week, err := s.Items(Query{Since: time.Date(2026, 10, 5, 0, 0, 0, 0, time.UTC), Until: time.Date(2026, 10, 12, 0, 0, 0, 0, time.UTC)})
		if err != nil || len(week) != 7*24*60 {
			b.Fatalf("week: %d items, %v", len(week), err)
		}
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	b.ReportMetric(float64(ru.Maxrss)/1024, "peak-RSS-MiB")
}

// fill100k writes 100,000 items published a minute apart from 1 Sep 2026
// (70 days), in polls of 100; every 2,000th is tagged and every 3,000th
// picked, as hosts do.
func fill100k(b *testing.B, dir string, opts Options) {
	b.Helper()
	s, err := Open(dir, opts)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	for f := range 1000 {
		batch := make([]news.Item, 100)
		for i := range batch {
			n := f*100 + i
			batch[i] = benchItem(f, i)
			batch[i].Published = time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(n) * time.Minute)
			if n%2000 == 0 {
				batch[i].Tag = news.Research
			}
			batch[i].Picked = n%3000 == 0
		}
		if _, err := s.UpsertItems(batch); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMarked100k compares, on one 100k-item store in one run, what
// learning from tags and the digest's history cost by walking every item
// (before the marked index) and by walking the index.
//
//	go test ./store -run '^$' -bench Marked100k -benchtime 5x
func BenchmarkMarked100k(b *testing.B) {
	dir := b.TempDir()
	fill100k(b, dir, Options{})
	s, err := Open(dir, Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	windowStart := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	history := Query{Since: windowStart.AddDate(0, 0, -182), Until: windowStart}
	cases := []struct {
		name string
		q    Query
		keep func(news.Item) bool
		want int
	}{
		{"tagged/scan", Query{Oldest: true}, func(it news.Item) bool { return it.Tag != "" }, 50},
		{"tagged/index", Query{Oldest: true, Marked: true}, func(it news.Item) bool { return it.Tag != "" }, 50},
		{"history/scan", history, func(it news.Item) bool { return it.Tag != "" || it.Picked }, 0},
		{"history/index", Query{Since: history.Since, Until: history.Until, Marked: true}, func(it news.Item) bool { return it.Tag != "" || it.Picked }, 0},
		{"week", Query{Since: windowStart, Until: windowStart.AddDate(0, 0, 7), Oldest: true}, func(news.Item) bool { return true }, 7 * 24 * 60},
	}
	counts := map[string]int{}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				n := 0
				if err := s.WalkItems(tc.q, func(it news.Item) bool {
					if tc.keep(it) {
						n++
					}
					return true
				}); err != nil {
					b.Fatal(err)
				}
				if tc.want > 0 && n != tc.want {
					b.Fatalf("%d items, want %d", n, tc.want)
				}
				counts[tc.name] = n
			}
		})
	}
	if counts["history/scan"] != counts["history/index"] {
		b.Fatalf("history: scan found %d, index %d", counts["history/scan"], counts["history/index"])
	}
}

// BenchmarkOpen100k measures, for both bbolt freelist settings on a
// 100k-item file, what opening it costs (a write open, as poll does, and a
// read-only open, as items does) and what a commit of one feed's 50 new
// items costs once open.
//
//	go test ./store -run '^$' -bench Open100k -benchtime 5x
func BenchmarkOpen100k(b *testing.B) {
	for _, nosync := range []bool{false, true} {
		name := "freelist-synced"
		if nosync {
			name = "NoFreelistSync"
		}
		dir := b.TempDir()
		opts := Options{noFreelistSync: nosync}
		fill100k(b, dir, opts)
		b.Run(name+"/open-write", func(b *testing.B) {
			for b.Loop() {
				s, err := Open(dir, opts)
				if err != nil {
					b.Fatal(err)
				}
				s.Close()
			}
		})
		b.Run(name+"/open-read", func(b *testing.B) {
			for b.Loop() {
				s, err := Open(dir, Options{ReadOnly: true})
				if err != nil {
					b.Fatal(err)
				}
				s.Close()
			}
		})
		b.Run(name+"/commit-50", func(b *testing.B) {
			s, err := Open(dir, opts)
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			f := 5000
			for b.Loop() {
				batch := make([]news.Item, 50)
				for i := range batch {
					batch[i] = benchItem(f, i)
				}
				f++
				if _, err := s.UpsertItems(batch); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
