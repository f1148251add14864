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
func BenchmarkUpsert(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		s, err := Open(b.TempDir(), Options{})
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
