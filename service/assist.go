package service

import (
	"context"
	"sync"
	"time"

	"github.com/triagebot/triagebot/digest"
	"github.com/triagebot/triagebot/news"
)

// Assist is the optional model assist (package llm), reached only through
// this interface so the service never depends on how it talks to a model.
type Assist interface {
	// CachedVerdict returns the model's cached verdict for an item the
	// offline model is unsure of, without calling the endpoint.
	CachedVerdict(it news.Item, offline news.Verdict) (news.Verdict, bool)
	StoryBrief(ctx context.Context, section news.Label, items []news.Item, lang string) (news.Brief, error)
	SummarizeTop() int
	Timeout() time.Duration
}

// Classifier gives an item its verdict: the offline model, or the model
// with the assist in front of it.
type Classifier interface {
	Classify(news.Item) news.Verdict
}

// SetAssist turns the model assist on for digests: cached model verdicts
// for unsure items, and briefs for the top stories.
func (s *Service) SetAssist(a Assist) { s.assist = a }

// cachedVerdicts puts the assist's cached verdicts on the items the offline
// model is unsure of, so a digest shows what the model said at poll time
// without waiting on the endpoint.
func (s *Service) cachedVerdicts(items []news.Item) {
	if s.assist == nil {
		return
	}
	for i := range items {
		if items[i].Verdict == nil {
			continue
		}
		it := items[i]
		it.Tag = ""
		if v, ok := s.assist.CachedVerdict(it, *items[i].Verdict); ok {
			items[i].Verdict = &v
		}
	}
}

// brief asks the assist for briefs of the top stories of Research and
// Product, concurrently and all within one timeout, so a digest is never
// delayed beyond it; a story whose brief failed simply has none.
func (s *Service) brief(d *digest.Digest, items []news.Item) {
	if s.assist == nil || s.assist.SummarizeTop() <= 0 {
		return
	}
	byID := make(map[string]news.Item, len(items))
	for _, it := range items {
		byID[it.ID] = it
	}
	ctx, cancel := context.WithTimeout(context.Background(), s.assist.Timeout())
	defer cancel()
	var wg sync.WaitGroup
	for si := range d.Sections {
		sec := &d.Sections[si]
		label := news.Label(sec.Key)
		if label != news.Research && label != news.Product {
			continue
		}
		for i := range sec.Stories {
			if i == s.assist.SummarizeTop() {
				break
			}
			st := &sec.Stories[i]
			var its []news.Item
			for _, id := range st.ItemIDs {
				if it, ok := byID[id]; ok {
					its = append(its, it)
				}
			}
			if len(its) == 0 {
				continue
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				if b, err := s.assist.StoryBrief(ctx, label, its, d.Language); err == nil {
					st.Brief = &b
				}
			}()
		}
	}
	wg.Wait()
}

// AssistUsage is what /status shows of the assist since the process
// started.
type AssistUsage struct {
	Model                                string
	Sent, Calls, Failures, Skipped, Hits int64
	PromptTokens, CompletionTokens       int64
	CallsToday, MaxCallsPerDay           int
}

// UsageReporter is implemented by an Assist that can say what it used.
type UsageReporter interface {
	Usage() AssistUsage
}

// AssistUsage reports the assist's usage, or nil when it is off.
func (s *Service) AssistUsage() *AssistUsage {
	r, ok := s.assist.(UsageReporter)
	if !ok {
		return nil
	}
	u := r.Usage()
	return &u
}
