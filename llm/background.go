package llm

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/triagebot/triagebot/news"
)

// Background puts the assist in front of the offline classifier for a poll
// without making the poll wait: an unsure item gets its offline verdict at
// once and goes on a bounded queue; workers (llm.concurrency of them) ask
// the model and save the answer onto the stored item. An item the model
// already answered gets the cached verdict straight away. An item that does
// not fit the queue, or is still waiting when the poll ends, keeps its
// offline verdict and is queued again the next time its feed is polled
// (ingest classifies every entry of a feed). An item already waiting or in
// flight is not queued twice, an answered one is served from the cache, and
// a one-shot poll waits for the queue at most one timeout (Close).
type Background struct {
	off  Offline
	a    *Assist
	save func(news.Item, news.Verdict) error
	log  *slog.Logger

	mu     sync.RWMutex // guards closed against Classify sending on a closed queue
	closed bool
	q      chan news.Item
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	// pending holds the keys queued or in flight, so the same item seen in
	// two feeds, or polled again before its answer, is asked once.
	pending sync.Map

	queued, dropped, saved atomic.Int64
}

// NewBackground starts the workers. save writes a model verdict onto the
// stored item; it is retried once a second later when the item is not
// stored yet (the poll's writer may not have committed it).
func NewBackground(off Offline, a *Assist, queue int, save func(news.Item, news.Verdict) error, log *slog.Logger) *Background {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	ctx, cancel := context.WithCancel(context.Background())
	b := &Background{off: off, a: a, save: save, log: log, q: make(chan news.Item, max(queue, 1)), ctx: ctx, cancel: cancel}
	for range a.opts.Concurrency {
		b.wg.Add(1)
		go b.work()
	}
	return b
}

// Classify implements the poller's Classifier.
func (b *Background) Classify(it news.Item) news.Verdict {
	v := b.off.Classify(it)
	if !b.a.Sends(v) {
		return v
	}
	if cv, ok := b.a.CachedVerdict(it, v); ok {
		return cv
	}
	b.mu.RLock()
	defer b.mu.RUnlock()
	if b.closed {
		return v
	}
	if _, waiting := b.pending.LoadOrStore(it.Key, struct{}{}); waiting {
		return v
	}
	select {
	case b.q <- it:
		b.queued.Add(1)
	default:
		b.pending.Delete(it.Key)
		b.dropped.Add(1) // asked again at the feed's next poll
	}
	return v
}

func (b *Background) work() {
	defer b.wg.Done()
	for it := range b.q {
		b.ask(it)
		b.pending.Delete(it.Key)
	}
}

// ask asks the model about one queued item and saves a usable answer.
func (b *Background) ask(it news.Item) {
	if b.ctx.Err() != nil {
		return // closing: drain without asking
	}
	off := b.off.Classify(it)
	ctx, cancel := context.WithTimeout(b.ctx, b.a.opts.Timeout)
	v, used := b.a.Verdict(ctx, it, off)
	cancel()
	if !used {
		return
	}
	err := b.save(it, v)
	if err != nil && b.ctx.Err() == nil {
		select {
		case <-time.After(time.Second):
			err = b.save(it, v)
		case <-b.ctx.Done():
		}
	}
	if err != nil {
		// The answer is cached: the next digest or reclassify uses it.
		b.log.Debug("model verdict not saved yet", "item_key", it.Key, "err", err)
		return
	}
	b.saved.Add(1)
}

// Close stops taking items and waits for the queued ones until ctx ends;
// then the questions still in flight are cancelled. It returns ctx's error
// when it had to cancel.
func (b *Background) Close(ctx context.Context) error {
	b.mu.Lock()
	if !b.closed {
		b.closed = true
		close(b.q)
	}
	b.mu.Unlock()
	done := make(chan struct{})
	go func() { b.wg.Wait(); close(done) }()
	select {
	case <-done:
		b.cancel()
		return nil
	case <-ctx.Done():
		b.cancel()
		<-done
		return errors.Join(errors.New("llm: stopped waiting for model verdicts"), ctx.Err())
	}
}

// Counts reports items queued, dropped (the queue was full) and saved.
func (b *Background) Counts() (queued, dropped, saved int64) {
	return b.queued.Load(), b.dropped.Load(), b.saved.Load()
}
