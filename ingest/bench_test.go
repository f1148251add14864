package ingest

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
	"github.com/triagebot/triagebot/classifier"
	"github.com/triagebot/triagebot/feeds"
	"github.com/triagebot/triagebot/news"
	"github.com/triagebot/triagebot/store"
)

const (
	benchFeeds = 1000
	benchItems = 50
)

// benchFeed is a realistic RSS document: 50 items with ~500-character
// HTML descriptions, unique per feed.
func benchFeed(n int) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Feed %d</title><link>https://f%d.example.com/</link><description>bench</description>`, n, n)
	for i := range benchItems {
		fmt.Fprintf(&b, `<item><title>Feed %d story %d: a company ships a model with new features</title><link>https://f%d.example.com/2026/11/%d/story-%d?utm_source=rss</link><guid>https://f%d.example.com/?p=%d</guid><pubDate>Tue, 24 Nov 2026 %02d:%02d:00 +0000</pubDate><dc:creator>Writer %d</dc:creator><description><![CDATA[<p>%s</p><p>Read <a href="https://f%d.example.com/">more</a>.</p>]]></description></item>`,
			n, i, n, i, i, n, i, i%24, i%60, i, strings.Repeat("Researchers and product teams reported results &amp; launches this week. ", 7), n)
	}
	b.WriteString(`</channel></rss>`)
	return b.Bytes()
}

type benchServer struct {
	srv    *httptest.Server
	bodies []([]byte)
	served atomic.Int64
}

func newBenchServer(b *testing.B) *benchServer {
	bs := &benchServer{}
	for i := range benchFeeds {
		bs.bodies = append(bs.bodies, benchFeed(i))
	}
	bs.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/f/"))
		etag := `"` + strconv.Itoa(n) + `"`
		w.Header().Set("ETag", etag)
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		bs.served.Add(1)
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(bs.bodies[n])
	}))
	b.Cleanup(bs.srv.Close)
	return bs
}

func benchPoller(b *testing.B, bs *benchServer) (*Poller, *store.Store) {
	p, st := benchPollerIn(b, bs, b.TempDir())
	b.Cleanup(func() { st.Close() })
	return p, st
}

// benchPollerIn is benchPoller with a fresh store in dir, which the caller
// closes.
func benchPollerIn(b *testing.B, bs *benchServer, dir string) (*Poller, *store.Store) {
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	list := make([]news.Feed, benchFeeds)
	for i := range list {
		list[i] = news.Feed{Name: fmt.Sprintf("feed-%04d", i), URL: fmt.Sprintf("%s/f/%d", bs.srv.URL, i), Kind: news.KindNews}
	}
	if err := st.SyncFeeds(list); err != nil {
		b.Fatal(err)
	}
	f := testFetcher(b, 30*time.Second)
	// The built-in classifier, as the binary's first poll runs it.
	m, err := classifier.Builtin()
	if err != nil {
		b.Fatal(err)
	}
	// All bench feeds live on one loopback host, so the per-host limit is
	// lifted to the worker count.
	return mustPoller(b)(New(st, f, m, testOptions(8, 8), nil, nil)), st
}

// BenchmarkIngest compares the whole pipeline (HTTP fetch over loopback,
// XML guard, parse, normalize, classify, store in bbolt with fsync) against gofeed parsing the
// same bytes alone with the same parallelism, in one run:
//
//	go test ./ingest -run '^$' -bench Ingest -benchtime 3x
func BenchmarkIngest(b *testing.B) {
	bs := newBenchServer(b)
	parseOnly := func(b *testing.B, newParser func() *gofeed.Parser) {
		cpu0 := cpuTime()
		for b.Loop() {
			parseAll(b, bs, newParser)
		}
		b.ReportMetric(float64(benchFeeds*benchItems)*float64(b.N)/b.Elapsed().Seconds(), "items/s")
		reportCPU(b, cpuTime()-cpu0)
	}
	// gofeed as it comes, and gofeed configured as the poller uses it.
	b.Run("parse-only-default", func(b *testing.B) { parseOnly(b, gofeed.NewParser) })
	b.Run("parse-only-as-used", func(b *testing.B) { parseOnly(b, feeds.NewParser) })
	b.Run("pipeline", func(b *testing.B) {
		var cpu time.Duration
		for b.Loop() {
			b.StopTimer()
			p, st := benchPoller(b, bs)
			b.StartTimer()
			cpu0 := cpuTime()
			res, err := p.PollDue(context.Background(), true)
			cpu += cpuTime() - cpu0
			if err != nil || len(res) != benchFeeds {
				b.Fatalf("%d results, %v", len(res), err)
			}
			b.StopTimer()
			if n, _ := st.Count(); n != benchFeeds*benchItems {
				b.Fatalf("stored %d items", n)
			}
			b.StartTimer()
		}
		b.ReportMetric(float64(benchFeeds*benchItems)*float64(b.N)/b.Elapsed().Seconds(), "items/s")
		reportCPU(b, cpu)
	})
	b.Run("repoll-unchanged", func(b *testing.B) {
		p, _ := benchPoller(b, bs)
		if _, err := p.PollDue(context.Background(), true); err != nil {
			b.Fatal(err)
		}
		bs.served.Store(0)
		for b.Loop() {
			if _, err := p.PollDue(context.Background(), true); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(bs.served.Load())/float64(b.N), "bodies/op")
	})
}

// parseAll parses every bench feed with gofeed alone, 8 goroutines, as
// the pipeline's 8 workers do.
func parseAll(b *testing.B, bs *benchServer, newParser func() *gofeed.Parser) {
	parseRange(b, bs, 0, benchFeeds, newParser)
}

// parseRange is parseAll for the feeds from lo up to hi.
func parseRange(b *testing.B, bs *benchServer, lo, hi int, newParser func() *gofeed.Parser) {
	var wg sync.WaitGroup
	next := atomic.Int64{}
	next.Store(int64(lo))
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= hi {
					return
				}
				if _, err := newParser().Parse(bytes.NewReader(bs.bodies[i])); err != nil {
					b.Error(err)
				}
			}
		}()
	}
	wg.Wait()
}

// reportCPU reports the process CPU time (user + system, every goroutine)
// per op: on a shared machine wall time moves with other jobs, CPU time much
// less, and the ratio is one of CPU. Compare cpu-s/op of pipeline
// with parse-only-* of the same run.
func reportCPU(b *testing.B, cpu time.Duration) {
	if cpu > 0 {
		b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
	}
}

// BenchmarkFirstPollMemory is a first poll of 200,000 new items (4,000
// feeds × 50) from a loopback server that generates each feed on request,
// so what stays in memory is the poller's own. It reports the peak of the
// Go heap (sampled every 2 ms) and the process's peak RSS (which also holds
// the bbolt pages the writer touched). Run it alone, so the RSS figure is
// this poll's:
//
//	go test ./ingest -run '^$' -bench FirstPollMemory -benchtime 1x
func BenchmarkFirstPollMemory(b *testing.B) {
	const feedsN = 4000
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/f/"))
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(benchFeed(n))
	}))
	b.Cleanup(srv.Close)
	for b.Loop() {
		b.StopTimer()
		st, err := store.Open(b.TempDir(), store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		list := make([]news.Feed, feedsN)
		for i := range list {
			list[i] = news.Feed{Name: fmt.Sprintf("feed-%04d", i), URL: fmt.Sprintf("%s/f/%d", srv.URL, i), Kind: news.KindNews}
		}
		if err := st.SyncFeeds(list); err != nil {
			b.Fatal(err)
		}
		p := mustPoller(b)(New(st, testFetcher(b, 60*time.Second), nil, testOptions(8, 8), nil, nil))
		runtime.GC()
		stop := sampleHeap()
		b.StartTimer()
		res, err := p.PollDue(context.Background(), true)
		b.StopTimer()
		peak := stop()
		if err != nil || len(res) != feedsN {
			b.Fatalf("%d results, %v", len(res), err)
		}
		if n, _ := st.Count(); n != feedsN*benchItems {
			b.Fatalf("stored %d items, want %d", n, feedsN*benchItems)
		}
		st.Close()
		b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
		b.StartTimer()
	}
	b.ReportMetric(float64(feedsN*benchItems)*float64(b.N)/b.Elapsed().Seconds(), "items/s")
	if rss := peakRSS(); rss > 0 {
		b.ReportMetric(float64(rss)/(1<<20), "peak-RSS-MiB")
	}
}

// sampleHeap samples the bytes in heap objects (live or not yet swept)
// until the returned function is called, which returns the peak.
func sampleHeap() func() uint64 {
	done := make(chan struct{})
	peakc := make(chan uint64)
	go func() {
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		var peak uint64
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			peak = max(peak, s[0].Value.Uint64())
			select {
			case <-done:
				peakc <- peak
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 {
		close(done)
		return <-peakc
	}
}
