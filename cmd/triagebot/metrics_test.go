package main

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/triagebot/triagebot/bot"
	"github.com/triagebot/triagebot/ingest"
	"github.com/triagebot/triagebot/internal/fakellm"
	"github.com/triagebot/triagebot/llm"
	"github.com/triagebot/triagebot/news"
)

// memCache is the model assist's cache and budget in memory.
type memCache struct {
	mu    sync.Mutex
	vals  map[string][]byte
	calls map[string]int
}

func (c *memCache) LLMGet(key string) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.vals[key], nil
}

func (c *memCache) LLMPut(key string, val []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.vals[key] = val
	return nil
}

func (c *memCache) LLMTakeCall(day string, limit int) (bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if limit > 0 && c.calls[day] >= limit {
		return false, nil
	}
	c.calls[day]++
	return true, nil
}

// scrape fetches /metrics from h and parses it as Prometheus's text
// format, so a malformed exposition fails here, not in a real scraper.
func scrape(t *testing.T, h http.Handler) map[string]*dto.MetricFamily {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("/metrics: status %d: %s", rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Fatalf("/metrics: Content-Type %q, want Prometheus text", ct)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(rec.Body)
	if err != nil {
		t.Fatalf("/metrics does not parse: %v", err)
	}
	return fams
}

// counter returns the value of the counter name with the given labels
// (name=value pairs), failing when it is missing or not a counter.
func counter(t *testing.T, fams map[string]*dto.MetricFamily, name string, labels ...string) float64 {
	t.Helper()
	f, ok := fams[name]
	if !ok {
		t.Fatalf("%s missing from /metrics", name)
	}
	if f.GetType() != dto.MetricType_COUNTER {
		t.Fatalf("%s: type %v, want counter", name, f.GetType())
	}
	if f.GetHelp() == "" {
		t.Errorf("%s has no HELP", name)
	}
next:
	for _, m := range f.GetMetric() {
		if len(m.GetLabel()) != len(labels)/2 {
			continue
		}
		for i, lp := range m.GetLabel() {
			if lp.GetName() != labels[2*i] || lp.GetValue() != labels[2*i+1] {
				continue next
			}
		}
		return m.GetCounter().GetValue()
	}
	t.Fatalf("%s%v missing from /metrics", name, labels)
	return 0
}

func TestMetricsExposition(t *testing.T) {
	// The model answers the first question, then breaks the schema;
	// the budget allows two calls, so the fourth question is skipped.
	fake := fakellm.New(t, func(n int64, _ string) (int, string) {
		if n == 1 {
			return 200, fakellm.Verdict("research", 0.95)
		}
		return 200, `{"label":"nonsense"}`
	})
	as, err := llm.New(llm.Options{BaseURL: fake.URL + "/v1", Model: "fake-model", Below: 1, Timeout: 2 * time.Second, MaxCallsPerDay: 2},
		&memCache{vals: map[string][]byte{}, calls: map[string]int{}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	m := newMetrics(as)

	// Before anything happened every series is there, at 0.
	fams := scrape(t, m.handler())
	for _, name := range []string{"triagebot_feeds_polled_total", "triagebot_fetch_errors_total", "triagebot_digests_posted_total",
		"triagebot_discord_messages_sent_total", "triagebot_discord_errors_total", "triagebot_discord_interactions_total",
		"triagebot_llm_calls_total", "triagebot_llm_failures_total", "triagebot_llm_skipped_total", "triagebot_llm_cache_hits_total"} {
		if v := counter(t, fams, name); v != 0 {
			t.Errorf("%s = %v at start, want 0", name, v)
		}
	}
	for _, l := range news.Labels() {
		if v := counter(t, fams, "triagebot_items_stored_total", "label", string(l)); v != 0 {
			t.Errorf("items_stored{label=%s} = %v at start, want 0", l, v)
		}
	}

	m.observe([]ingest.FeedResult{
		{NewByLabel: map[news.Label]int{news.Research: 3, news.Product: 1}},
		{Err: errors.New("feeds: 503")},
		{NewByLabel: map[news.Label]int{news.Research: 2, news.Other: 4}},
	})
	m.consoleDigests.Add(1)
	b := &bot.Bot{}
	b.Metrics.DigestsPosted.Store(2)
	b.Metrics.MessagesSent.Store(7)
	b.Metrics.DiscordErrors.Store(3)
	b.Metrics.Interactions.Store(5)
	m.setBot(b)

	ctx := context.Background()
	unsure := news.Verdict{Label: news.Other, Confidence: 0.1}
	a := news.Item{Key: "a", Title: "A new method for chart reading"}
	as.Verdict(ctx, a, unsure)                                        // call 1: answered
	as.Verdict(ctx, a, unsure)                                        // cached
	as.Verdict(ctx, news.Item{Key: "b", Title: "Acme ships"}, unsure) // call 2: off-schema
	as.Verdict(ctx, news.Item{Key: "c", Title: "Acme again"}, unsure) // budget spent
	st := as.Stats()
	if st.Calls != 2 || st.Failures != 1 || st.CacheHits != 1 || st.Skipped != 1 {
		t.Fatalf("the model script went differently than planned: %+v", st)
	}

	fams = scrape(t, m.handler())
	tests := []struct {
		name   string
		labels []string
		want   float64
	}{
		{"triagebot_feeds_polled_total", nil, 3},
		{"triagebot_fetch_errors_total", nil, 1},
		{"triagebot_items_stored_total", []string{"label", string(news.Research)}, 5},
		{"triagebot_items_stored_total", []string{"label", string(news.Product)}, 1},
		{"triagebot_items_stored_total", []string{"label", string(news.Other)}, 4},
		{"triagebot_digests_posted_total", nil, 3}, // console's 1 + the bot's 2
		{"triagebot_discord_messages_sent_total", nil, 7},
		{"triagebot_discord_errors_total", nil, 3},
		{"triagebot_discord_interactions_total", nil, 5},
		{"triagebot_llm_calls_total", nil, 2},
		{"triagebot_llm_failures_total", nil, 1},
		{"triagebot_llm_skipped_total", nil, 1},
		{"triagebot_llm_cache_hits_total", nil, 1},
		// The fake endpoint reports 100 prompt and 20 completion tokens a call.
		{"triagebot_llm_tokens_total", []string{"kind", "prompt"}, 200},
		{"triagebot_llm_tokens_total", []string{"kind", "completion"}, 40},
	}
	for _, tc := range tests {
		t.Run(tc.name+strings.Join(tc.labels, "="), func(t *testing.T) {
			if got := counter(t, fams, tc.name, tc.labels...); got != tc.want {
				t.Errorf("%s%v = %v, want %v", tc.name, tc.labels, got, tc.want)
			}
		})
	}

	// The standard Go and process series come with it (the process
	// ones read /proc, so only on Linux).
	std := []string{"go_goroutines"}
	if runtime.GOOS == "linux" {
		std = append(std, "process_resident_memory_bytes")
	}
	for _, name := range std {
		if _, ok := fams[name]; !ok {
			t.Errorf("%s missing from /metrics", name)
		}
	}
}

func TestMetricsWithoutModelAssistOmitItsSeries(t *testing.T) {
	fams := scrape(t, newMetrics(nil).handler())
	for name := range fams {
		if strings.HasPrefix(name, "triagebot_llm_") {
			t.Errorf("%s exported with the model assist off", name)
		}
	}
	if _, ok := fams["triagebot_feeds_polled_total"]; !ok {
		t.Error("triagebot_feeds_polled_total missing")
	}
}

// BenchmarkMetricsScrape measures one /metrics scrape, and the share of
// the standard Go and process collectors, which decide whether they are
// cheap enough to keep (README, "Commands").
func BenchmarkMetricsScrape(b *testing.B) {
	std := prometheus.NewRegistry()
	std.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for _, bc := range []struct {
		name string
		h    http.Handler
	}{
		{"all", newMetrics(nil).handler()},
		{"go_and_process_only", promhttp.HandlerFor(std, promhttp.HandlerOpts{})},
	} {
		b.Run(bc.name, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
			n := 0
			for b.Loop() {
				rec := httptest.NewRecorder()
				bc.h.ServeHTTP(rec, req)
				n = rec.Body.Len()
			}
			b.ReportMetric(float64(n), "bytes/scrape")
		})
	}
}
