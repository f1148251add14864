package feeds

import (
	"context"
	"net/url"
	"strings"
	"sync"
	"time"
)

// NextCheck is when a feed that just succeeded is due again: its interval,
// or longer when the server asked for it. Never shorter than the interval,
// so a server cannot make us hammer it.
func NextCheck(now time.Time, interval, serverAsked time.Duration) time.Time {
	return now.Add(max(interval, serverAsked))
}

// Backoff is when a feed that just failed for the n-th time in a row is due
// again: interval × 2^(n-1), capped at maxBackoff, but never before the
// server's Retry-After. Any failure count is safe: the doubling stops at the
// cap before it could overflow.
func Backoff(now time.Time, interval time.Duration, failures int, maxBackoff, retryAfter time.Duration) time.Time {
	d := max(interval, 0)
	for i := 1; i < failures && d < maxBackoff; i++ {
		if d == 0 || d > maxBackoff/2 {
			d = maxBackoff
			break
		}
		d *= 2
	}
	d = min(d, maxBackoff)
	return now.Add(max(d, retryAfter))
}

// Pool runs jobs with at most Workers at once overall and PerHost at once
// against any one host, so one slow site cannot take every worker.
type Pool struct {
	Workers int
	PerHost int
}

// Run calls fn(ctx, i, release) for i in [0, n), keyed by urlOf(i)'s host,
// and returns when all have returned. fn may call release (once or more) to
// give back its worker and host slots before it returns: the poller does so
// once the network and CPU work is done and it only waits for the store,
// so waiting feeds pile up into one large store commit instead of holding
// workers. A cancelled context skips jobs not yet started.
func (p Pool) Run(ctx context.Context, n int, urlOf func(int) string, fn func(ctx context.Context, i int, release func())) {
	workers := make(chan struct{}, max(p.Workers, 1))
	var (
		mu    sync.Mutex
		hosts = map[string]chan struct{}{}
		wg    sync.WaitGroup
	)
	hostSem := func(h string) chan struct{} {
		mu.Lock()
		defer mu.Unlock()
		s, ok := hosts[h]
		if !ok {
			s = make(chan struct{}, max(p.PerHost, 1))
			hosts[h] = s
		}
		return s
	}
	for i := range n {
		h := hostOf(urlOf(i))
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Take the host slot first so a worker is never held idle
			// waiting for a busy host.
			hs := hostSem(h)
			select {
			case hs <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case workers <- struct{}{}:
			case <-ctx.Done():
				<-hs
				return
			}
			var once sync.Once
			release := func() { once.Do(func() { <-workers; <-hs }) }
			defer release()
			fn(ctx, i, release)
		}()
	}
	wg.Wait()
}

func hostOf(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.Host != "" {
		return strings.ToLower(u.Hostname())
	}
	return raw
}
