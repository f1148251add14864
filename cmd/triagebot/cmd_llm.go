package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/triagebot/triagebot/classifier"
	"github.com/triagebot/triagebot/config"
	"github.com/triagebot/triagebot/ingest"
	"github.com/triagebot/triagebot/llm"
	"github.com/triagebot/triagebot/news"
	"github.com/triagebot/triagebot/service"
	"github.com/triagebot/triagebot/store"
)

// newAssist builds the optional model assist from the llm config keys, or
// returns nil when llm.base_url is empty (the default: fully offline).
func (a *app) newAssist(cfg *config.Config, cache llm.Cache) (*llm.Assist, error) {
	if !cfg.LLM.Enabled() {
		return nil, nil
	}
	return llm.New(llm.Options{
		BaseURL:        cfg.LLM.BaseURL,
		Model:          cfg.LLM.Model,
		APIKey:         cfg.LLM.APIKey(),
		Below:          cfg.LLM.Below,
		MaxCallsPerDay: cfg.LLM.MaxCallsPerDay,
		Timeout:        cfg.LLM.Timeout,
		SummarizeTop:   cfg.LLM.SummarizeTop,
		Concurrency:    cfg.LLM.Concurrency,
		Retries:        2,
		Location:       cfg.Location,
	}, cache, a.log)
}

// pollClassifier is what a poll classifies with: the offline model, or,
// with the assist on, a Background that answers at once with the offline
// verdict and asks the model about unsure items on the side, saving its
// answers onto the stored items. stop waits for those answers at most one
// llm.timeout (cancelling the rest, which are asked again at the feed's
// next poll).
func (a *app) pollClassifier(cfg *config.Config, st *store.Store, m *classifier.Model, as *llm.Assist) (c ingest.Classifier, stop func()) {
	if as == nil {
		return m, func() {}
	}
	bg := llm.NewBackground(m, as, 1000, func(it news.Item, v news.Verdict) error {
		_, err := st.UpdateItem(it.Key, func(x *news.Item) error {
			x.Verdict = &v
			return nil
		})
		return err
	}, a.log)
	return bg, func() {
		ctx, cancel := context.WithTimeout(context.Background(), cfg.LLM.Timeout)
		defer cancel()
		if err := bg.Close(ctx); err != nil {
			a.log.Info("model verdicts still pending are asked at the next poll", "err", err)
		}
	}
}

// withAssist turns the assist on for a service's digests.
func (a *app) withAssist(cfg *config.Config, st *store.Store, svc *service.Service) error {
	as, err := a.newAssist(cfg, st)
	if err != nil || as == nil {
		return err
	}
	svc.SetAssist(usageAssist{as, st, cfg})
	return nil
}

// usageAssist adds the day's budget, read from the store, to the assist's
// counters for /status.
type usageAssist struct {
	*llm.Assist
	st  *store.Store
	cfg *config.Config
}

func (u usageAssist) Usage() service.AssistUsage {
	s := u.Stats()
	today, _ := u.st.LLMCalls(time.Now().In(u.cfg.Location).Format(time.DateOnly))
	return service.AssistUsage{
		Model: u.Model(), Sent: s.Sent, Calls: s.Calls, Failures: s.Failures, Skipped: s.Skipped, Hits: s.CacheHits,
		PromptTokens: s.PromptTokens, CompletionTokens: s.CompletionTokens,
		CallsToday: today, MaxCallsPerDay: u.cfg.LLM.MaxCallsPerDay,
	}
}

// errNoLLM is the answer to -llm without an endpoint.
var errNoLLM = errors.New("-llm needs llm.base_url and llm.model in the config (see the README, \"Using a local or hosted model\")")

// cliAssist is the assist for `classify -llm` and `eval -llm`, which run
// without a store: answers are cached for the run, the budget is the
// configured daily one.
func (a *app) cliAssist() (*llm.Assist, error) {
	cfg, err := a.config()
	if err != nil {
		return nil, err
	}
	if !cfg.LLM.Enabled() {
		return nil, usageErr("%v", errNoLLM)
	}
	return a.newAssist(cfg, llm.NewMemCache())
}

// assistedVerdicts classifies items with the assist, several at once (up
// to llm.concurrency calls in flight), keeping the input order.
func assistedVerdicts(as *llm.Assist, m *classifier.Model, items []news.Item) []news.Verdict {
	out := make([]news.Verdict, len(items))
	c := llm.Classifier{Offline: m, Assist: as}
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i] = c.Classify(items[i])
			}
		}()
	}
	for i := range items {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

// llmReport says what the model cost, for classify -llm and eval -llm.
func llmReport(w io.Writer, as *llm.Assist, total int, elapsed time.Duration) {
	s := as.Stats()
	mean := time.Duration(0)
	if s.Calls > 0 {
		mean = time.Duration(s.LatencyMillis/s.Calls) * time.Millisecond
	}
	fmt.Fprintf(w, "llm %s: sent %d of %d items (confidence below %.2f); %d calls, %d failed, %d skipped (budget or endpoint down); tokens %d in + %d out; mean latency %v; %v in all\n",
		as.Model(), s.Sent, total, as.Below(), s.Calls, s.Failures, s.Skipped, s.PromptTokens, s.CompletionTokens, mean, elapsed.Round(time.Millisecond))
}

// askUnsure asks the assist about every stored item the offline model is
// unsure of (cached answers cost nothing), before reclassify rewrites the
// store: the calls cannot run inside the store's write transaction.
func (a *app) askUnsure(svc *service.Service, st *store.Store, m *classifier.Model) (map[string]news.Verdict, error) {
	cfg, err := a.config()
	if err != nil {
		return nil, err
	}
	as, err := a.newAssist(cfg, st)
	if err != nil || as == nil {
		return nil, err
	}
	unsure, err := svc.Unsure(as.Sends)
	if err != nil {
		return nil, err
	}
	vs := assistedVerdicts(as, m, unsure)
	out := make(map[string]news.Verdict, len(unsure))
	for i, it := range unsure {
		out[it.ID] = vs[i]
	}
	llmReport(a.stderr, as, len(unsure), 0)
	return out, nil
}

// evalLLM scores the offline model and the offline model plus the assist
// on the same labelled items, so a user sees what their model buys them.
func (a *app) evalLLM(m *classifier.Model, ex []classifier.Example, offline []news.Verdict, asJSON bool) error {
	as, err := a.cliAssist()
	if err != nil {
		return err
	}
	items := make([]news.Item, len(ex))
	for i, e := range ex {
		items[i] = e.Item
	}
	start := time.Now()
	assisted := assistedVerdicts(as, m, items)
	elapsed := time.Since(start)
	off, with := classifier.Evaluate(ex, offline), classifier.Evaluate(ex, assisted)
	if asJSON {
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"offline": off, "with_llm": with, "llm": as.Stats(), "model": as.Model()})
	}
	fmt.Fprintf(a.stdout, "== offline model alone\n%s\n== offline model + %s for items below %.2f\n%s\n", off.Text(), as.Model(), as.Below(), with.Text())
	llmReport(a.stdout, as, len(items), elapsed)
	return nil
}
