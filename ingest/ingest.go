package ingest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/triagebot/triagebot/feeds"
	"github.com/triagebot/triagebot/news"
	"github.com/triagebot/triagebot/store"
)

// Classifier labels items as they are stored; nil stores them unlabelled.
type Classifier interface {
	Classify(news.Item) news.Verdict
}

// Options are the poll rules from config, taken as given: the defaults
// live in config, and New refuses values no config would pass.
type Options struct {
	Interval    time.Duration
	MaxBackoff  time.Duration
	MaxFailures int
	Workers     int
	PerHost     int
}

// Poller polls feeds into the store.
type Poller struct {
	store      *store.Store
	fetcher    *feeds.Fetcher
	classifier Classifier
	opts       Options
	now        func() time.Time
	log        *slog.Logger
}

// ErrBadOptions is New's error for options no config would pass.
var ErrBadOptions = errors.New("ingest: invalid poll options")

// New builds a Poller. now may be nil for time.Now, log nil for no log.
func New(st *store.Store, f *feeds.Fetcher, c Classifier, opts Options, now func() time.Time, log *slog.Logger) (*Poller, error) {
	switch {
	case opts.Interval <= 0:
		return nil, fmt.Errorf("%w: interval %s must be positive", ErrBadOptions, opts.Interval)
	case opts.MaxBackoff <= 0:
		return nil, fmt.Errorf("%w: max backoff %s must be positive", ErrBadOptions, opts.MaxBackoff)
	case opts.MaxFailures <= 0:
		return nil, fmt.Errorf("%w: max failures %d must be positive", ErrBadOptions, opts.MaxFailures)
	case opts.Workers <= 0 || opts.PerHost <= 0:
		return nil, fmt.Errorf("%w: %d workers, %d per host; both must be positive", ErrBadOptions, opts.Workers, opts.PerHost)
	}
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Poller{store: st, fetcher: f, classifier: c, opts: opts, now: now, log: log}, nil
}

// Outcome says what happened to one feed in a poll.
type Outcome string

const (
	OutcomeNew         Outcome = "new"
	OutcomeUnchanged   Outcome = "unchanged"    // fetched, nothing new
	OutcomeNotModified Outcome = "not modified" // 304
	OutcomeError       Outcome = "error"
	OutcomeDisabled    Outcome = "disabled" // this failure disabled the feed
)

// FeedResult is one feed's line in a poll summary.
type FeedResult struct {
	Feed    string
	URL     string // redacted for display (feeds.Redact)
	Outcome Outcome
	New     int
	Entries int // entries in the document, duplicates included
	// Duplicates are entries dropped because an earlier entry of the same
	// document had the same canonical key; a drop is never silent.
	Duplicates int
	Err        error
	Duration   time.Duration
	// NewByLabel counts the new items by classifier label (none when
	// unclassified). Only counts: a result outlives its poll, and keeping
	// the items would hold every new item of a big first poll in memory.
	NewByLabel map[news.Label]int
}

// PollDue polls every enabled feed whose next check has come (all=true:
// every enabled feed) and returns one result per polled feed.
func (p *Poller) PollDue(ctx context.Context, all bool) ([]FeedResult, error) {
	recs, err := p.store.Feeds(false)
	if err != nil {
		return nil, fmt.Errorf("ingest: list feeds: %w", err)
	}
	now := p.now()
	var due []store.FeedRecord
	for _, r := range recs {
		if r.State.Disabled {
			continue
		}
		if all || !r.State.NextCheck.After(now) {
			due = append(due, r)
		}
	}
	results := make([]FeedResult, len(due))
	pool := feeds.Pool{Workers: p.opts.Workers, PerHost: p.opts.PerHost}
	// Back-pressure: a worker keeps its fetch slot until its parsed items
	// have a place in this queue, so parsed feeds wait for the single
	// store writer in bounded numbers instead of piling up while fetching
	// goes on. Room for eight per worker keeps the writer's group commits
	// large (a commit costs about the same for ten feeds as for fifty);
	// two per worker halved the heap again but ran slower in most of our
	// (noisy) runs. Sixteen per worker made the first poll of the
	// 50k-item bench about 5% cheaper, but a first poll of 1M items
	// peaked at 506 MiB (at a load of 7), over the 500 MiB target:
	// docs/benchmarks.md.
	queue := make(chan struct{}, p.opts.Workers*writeQueuePerWorker)
	pool.Run(ctx, len(due), func(i int) string { return due[i].URL }, func(ctx context.Context, i int, release func()) {
		results[i] = p.pollOne(ctx, due[i], queue, release)
	})
	// Jobs skipped by cancellation have no feed name; drop them.
	out := results[:0]
	for _, r := range results {
		if r.Feed != "" {
			out = append(out, r)
		}
	}
	return out, ctx.Err()
}

// writeQueuePerWorker is how many parsed feeds per worker may wait for the
// store writer.
const writeQueuePerWorker = 8

// pollOne fetches, parses and stores one feed. It frees its pool slot
// (release) once it holds a place in the write queue and only the store
// write is left.
func (p *Poller) pollOne(ctx context.Context, rec store.FeedRecord, queue chan struct{}, release func()) FeedResult {
	start := p.now()
	res := FeedResult{Feed: rec.Name, URL: feeds.Redact(rec.URL)}
	interval := rec.Interval
	if interval <= 0 {
		interval = p.opts.Interval
	}
	v := feeds.Validators{ETag: rec.State.ETag, LastModified: rec.State.LastModified}
	// poll.timeout bounds the fetch and the parse together.
	fctx, cancel := p.fetcher.Deadline(ctx)
	fr, err := p.fetcher.Fetch(fctx, rec.URL, v)
	var (
		items          []news.Item
		entries, dupes int
	)
	if err == nil && !fr.NotModified {
		items, entries, dupes, err = p.parse(fctx, rec, fr.Body, fr.ContentType, start)
	}
	cancel()
	// Fetch errors quote the URL; credentials in it must not reach the
	// poll output, the log or the stored last error.
	err = feeds.RedactErr(err, rec.URL)
	if fr != nil {
		fr.Body = nil // parsed: the raw bytes need not wait for the writer too
	}
	// The queue bounds the parsed items waiting for the writer. A result
	// without items (304, nothing parsed, an error) holds no memory worth
	// bounding, so it skips the queue: on a poll where most feeds answer
	// 304, the writer then commits hundreds of feed states at once instead
	// of at most a queue's worth (a commit, with its fsync, per 64 feeds).
	if len(items) > 0 {
		queue <- struct{}{} // never blocks for long: every holder is writing or about to
		defer func() { <-queue }()
	}
	release()
	if ctx.Err() != nil && err != nil {
		// Shutting down: not the feed's fault, record nothing.
		res.Outcome, res.Err = OutcomeError, ctx.Err()
		return res
	}
	added, serr := p.store.RecordPoll(rec.Name, items, func(r *store.FeedRecord, added []news.Item) {
		p.updateState(&r.State, start, interval, fr, err, len(added))
	})
	res.Duration = p.now().Sub(start)
	res.New, res.Entries, res.Duplicates = len(added), entries, dupes
	for _, it := range added {
		if it.Verdict != nil {
			if res.NewByLabel == nil {
				res.NewByLabel = map[news.Label]int{}
			}
			res.NewByLabel[it.Verdict.Label]++
		}
	}
	if err == nil {
		err = serr
	}
	switch {
	case err != nil:
		res.Err = err
		res.Outcome = OutcomeError
		if serr == nil && p.disabledNow(rec.State.Failures+1, err) {
			res.Outcome = OutcomeDisabled
		}
		p.log.Warn("feed failed", "feed", rec.Name, "feed_url", res.URL, "err", err)
	case fr.NotModified:
		res.Outcome = OutcomeNotModified
	case len(added) > 0:
		res.Outcome = OutcomeNew
	default:
		res.Outcome = OutcomeUnchanged
	}
	p.log.Debug("feed polled", "feed", rec.Name, "outcome", res.Outcome, "new", res.New, "duplicates", res.Duplicates, "duration", res.Duration)
	return res
}

func (p *Poller) disabledNow(failures int, err error) bool {
	return errors.Is(err, feeds.ErrGone) || failures >= p.opts.MaxFailures
}

// updateState records one poll's outcome in the feed's state: validators
// and the next check on success; the failure count, backoff and, at the
// limit or on 410, the disabling on failure.
func (p *Poller) updateState(st *news.FeedState, start time.Time, interval time.Duration, fr *feeds.Result, err error, added int) {
	st.LastCheck = start
	if err != nil {
		st.Failures++
		st.LastError = err.Error()
		var he *feeds.HTTPError
		retry := time.Duration(0)
		if errors.As(err, &he) {
			retry = he.RetryAfter
		}
		st.NextCheck = feeds.Backoff(start, interval, st.Failures, p.opts.MaxBackoff, retry)
		switch {
		case errors.Is(err, feeds.ErrGone):
			st.Disabled, st.DisabledWhy = true, "the server says the feed is gone (HTTP 410)"
		case st.Failures >= p.opts.MaxFailures:
			st.Disabled, st.DisabledWhy = true, fmt.Sprintf("%d consecutive failures; last: %s", st.Failures, err)
		}
		if st.Disabled {
			st.DisabledAt = start
		}
		return
	}
	st.Failures, st.LastError = 0, ""
	st.LastSuccess = start
	st.ETag, st.LastModified = fr.Validators.ETag, fr.Validators.LastModified
	st.NextCheck = feeds.NextCheck(start, interval, fr.CacheFor)
	st.LastNew = added
}

// parse turns a body into classified items, dropping duplicates inside one
// document; it reports how many entries the document had and how many of
// them were dropped as duplicates.
func (p *Poller) parse(ctx context.Context, rec store.FeedRecord, body []byte, contentType string, now time.Time) (items []news.Item, entries, dupes int, err error) {
	parsed, err := feeds.Parse(ctx, body, contentType)
	if err != nil {
		return nil, 0, 0, err
	}
	fi := feeds.FeedInfo{Name: rec.Name, Kind: rec.Kind, Lang: rec.Lang, Title: parsed.Title, Link: rec.URL}
	items = make([]news.Item, 0, len(parsed.Items))
	keys := make(map[string]bool, len(parsed.Items))
	for _, e := range parsed.Items {
		if e == nil {
			continue
		}
		entries++
		it := feeds.Normalize(e, fi, parsed.Language, now)
		if keys[it.Key] {
			dupes++ // duplicate GUIDs inside one document
			continue
		}
		keys[it.Key] = true
		if p.classifier != nil {
			v := p.classifier.Classify(it)
			it.Verdict = &v
		}
		items = append(items, it)
	}
	return items, entries, dupes, nil
}

// Run polls due feeds until ctx ends, waking at the earliest next check
// (at most every tick). onPoll, if set, sees every round's results.
func (p *Poller) Run(ctx context.Context, tick time.Duration, onPoll func([]FeedResult)) error {
	if tick <= 0 {
		tick = time.Minute
	}
	for {
		res, err := p.PollDue(ctx, false)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			p.log.Error("poll round failed", "err", err)
		}
		if onPoll != nil && len(res) > 0 {
			onPoll(res)
		}
		t := time.NewTimer(p.untilNextDue(tick))
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
	}
}

func (p *Poller) untilNextDue(maxWait time.Duration) time.Duration {
	recs, err := p.store.Feeds(false)
	if err != nil {
		return maxWait
	}
	now := p.now()
	wait := maxWait
	for _, r := range recs {
		if r.State.Disabled {
			continue
		}
		wait = min(wait, max(r.State.NextCheck.Sub(now), time.Second))
	}
	return wait
}
