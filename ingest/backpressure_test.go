package ingest

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/triagebot/triagebot/news"
)

// gapClassifier labels every item product and, at each call, records how
// many feeds have been parsed but not yet stored: the work waiting for the
// store's single writer.
type gapClassifier struct {
	e       *env
	perFeed int
	mu      sync.Mutex
	parsed  map[string]bool
	maxGap  int
}

func (g *gapClassifier) Classify(it news.Item) news.Verdict {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.parsed[it.Feed] = true
	n, _ := g.e.store.Count()
	g.maxGap = max(g.maxGap, len(g.parsed)-n/g.perFeed)
	return news.Verdict{Label: news.Product, Confidence: 0.9}
}

// A big poll keeps the feeds waiting for the writer bounded (workers plus
// the write queue), stores every item exactly once, and reports new items
// by label as counts.
func TestPollBackPressureBoundsWaitingFeeds(t *testing.T) {
	const feedsN, perFeed, workers = 120, 5, 2
	routes := map[string]http.HandlerFunc{
		"/f/": func(w http.ResponseWriter, r *http.Request) {
			n, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/f/"))
			var items strings.Builder
			for i := range perFeed {
				fmt.Fprintf(&items, `<item><title>feed %d item %d</title><link>https://h.example.com/%d/%d</link></item>`, n, i, n, i)
			}
			w.Write([]byte(rss(items.String())))
		},
	}
	list := make([]news.Feed, feedsN)
	for i := range list {
		list[i] = news.Feed{Name: fmt.Sprintf("f%03d", i), URL: fmt.Sprintf("/f/%d", i), Kind: news.KindNews}
	}
	e := newEnv(t, routes, list, func(o *Options) { o.Workers, o.PerHost = workers, workers })
	g := &gapClassifier{e: e, perFeed: perFeed, parsed: map[string]bool{}}
	e.p.classifier = g
	res, err := e.p.PollDue(context.Background(), true)
	if err != nil || len(res) != feedsN {
		t.Fatalf("%d results, %v", len(res), err)
	}
	// Parsing (workers) plus the write queue, plus the feed being classified.
	if bound := workers + workers*writeQueuePerWorker + 1; g.maxGap > bound {
		t.Errorf("up to %d parsed feeds waited for the writer; the bound is %d", g.maxGap, bound)
	}
	total := 0
	for _, r := range res {
		if r.New != perFeed || r.NewByLabel[news.Product] != perFeed || len(r.NewByLabel) != 1 {
			t.Errorf("%s: %d new, by label %v", r.Feed, r.New, r.NewByLabel)
		}
		total += r.New
	}
	if n, _ := e.store.Count(); n != feedsN*perFeed || total != n {
		t.Errorf("stored %d, reported %d new; want %d", n, total, feedsN*perFeed)
	}
	res, err = e.p.PollDue(context.Background(), true)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.New != 0 || r.NewByLabel != nil {
			t.Errorf("second poll of %s: %d new, %v", r.Feed, r.New, r.NewByLabel)
		}
	}
}
