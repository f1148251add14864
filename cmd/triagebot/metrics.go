package main

import (
	"net/http"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/triagebot/triagebot/bot"
	"github.com/triagebot/triagebot/ingest"
	"github.com/triagebot/triagebot/llm"
	"github.com/triagebot/triagebot/news"
)

// metrics are the daemon's counters, served at /metrics by client_golang
// from a registry of their own (never the global default one). Counts the
// daemon owns are prometheus counters; counts owned elsewhere (the bot's
// atomics, the model assist's Stats) are read at scrape time, so there is
// one source of truth and nothing to copy or keep in step.
type metrics struct {
	reg            *prometheus.Registry
	feedsPolled    prometheus.Counter
	fetchErrors    prometheus.Counter
	itemsStored    *prometheus.CounterVec
	consoleDigests atomic.Int64 // digests written in console mode; the bot counts its own
	// bot is set once the bot exists (never in console mode); read at
	// scrape time, possibly concurrently, hence atomic.
	bot atomic.Pointer[bot.Bot]
}

// newMetrics registers the daemon's counters; as is the model assist, nil
// when it is off (its counters are then not exported, as before).
func newMetrics(as *llm.Assist) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		feedsPolled: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "triagebot_feeds_polled_total", Help: "Feed polls attempted."}),
		fetchErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "triagebot_fetch_errors_total", Help: "Feed polls that failed."}),
		itemsStored: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "triagebot_items_stored_total", Help: "New items stored, by classifier label."}, []string{"label"}),
	}
	// Every label from the start, at 0: a series that appears only after
	// its first item breaks rate() over the gap.
	for _, l := range news.Labels() {
		m.itemsStored.WithLabelValues(string(l))
	}
	botCount := func(read func(*bot.Metrics) int64) func() float64 {
		return func() float64 {
			if b := m.bot.Load(); b != nil {
				return float64(read(&b.Metrics))
			}
			return 0
		}
	}
	m.reg.MustRegister(m.feedsPolled, m.fetchErrors, m.itemsStored,
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "triagebot_digests_posted_total", Help: "Weekly digests delivered (Discord channels and console)."},
			func() float64 {
				return float64(m.consoleDigests.Load()) + botCount(func(bm *bot.Metrics) int64 { return bm.DigestsPosted.Load() })()
			}),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "triagebot_discord_messages_sent_total", Help: "Discord messages sent."},
			botCount(func(bm *bot.Metrics) int64 { return bm.MessagesSent.Load() })),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "triagebot_discord_errors_total", Help: "Failed Discord requests."},
			botCount(func(bm *bot.Metrics) int64 { return bm.DiscordErrors.Load() })),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "triagebot_discord_interactions_total", Help: "Slash commands, buttons and autocompletes received."},
			botCount(func(bm *bot.Metrics) int64 { return bm.Interactions.Load() })),
		// The standard process and Go runtime series, so a dashboard
		// built for any Go service (memory, goroutines, open files)
		// works here too.
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	if as != nil {
		m.reg.MustRegister(newLLMCollector(as))
	}
	return m
}

func (m *metrics) setBot(b *bot.Bot) { m.bot.Store(b) }

func (m *metrics) observe(res []ingest.FeedResult) {
	for _, r := range res {
		m.feedsPolled.Inc()
		if r.Err != nil {
			m.fetchErrors.Inc()
		}
		for _, l := range news.Labels() {
			m.itemsStored.WithLabelValues(string(l)).Add(float64(r.NewByLabel[l]))
		}
	}
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// llmCollector exports the model assist's counters from one Stats()
// snapshot per scrape, so the series of a scrape agree with each other.
// Its descriptors are fields, not package variables: no globals.
type llmCollector struct {
	as                             *llm.Assist
	calls, failures, skipped, hits *prometheus.Desc
	tokens                         *prometheus.Desc
}

func newLLMCollector(as *llm.Assist) *llmCollector {
	return &llmCollector{
		as:       as,
		calls:    prometheus.NewDesc("triagebot_llm_calls_total", "Calls to the model assist's endpoint (retries included).", nil, nil),
		failures: prometheus.NewDesc("triagebot_llm_failures_total", "Model calls that failed or answered outside the schema.", nil, nil),
		skipped:  prometheus.NewDesc("triagebot_llm_skipped_total", "Model questions skipped: budget spent or endpoint down.", nil, nil),
		hits:     prometheus.NewDesc("triagebot_llm_cache_hits_total", "Model answers served from the store's cache.", nil, nil),
		tokens:   prometheus.NewDesc("triagebot_llm_tokens_total", "Tokens the model assist used.", []string{"kind"}, nil),
	}
}

func (c *llmCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.calls, c.failures, c.skipped, c.hits, c.tokens} {
		ch <- d
	}
}

func (c *llmCollector) Collect(ch chan<- prometheus.Metric) {
	st := c.as.Stats()
	counter := func(d *prometheus.Desc, v int64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(v), labels...)
	}
	counter(c.calls, st.Calls)
	counter(c.failures, st.Failures)
	counter(c.skipped, st.Skipped)
	counter(c.hits, st.CacheHits)
	counter(c.tokens, st.PromptTokens, "prompt")
	counter(c.tokens, st.CompletionTokens, "completion")
}
