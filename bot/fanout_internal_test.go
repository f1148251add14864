package bot

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// TestGlobalLimitSpacesRequests: with a fake clock, 101 concurrent
// requests under 50/s start evenly spaced, so no second holds more than
// 50, and an interaction response never waits behind them.
func TestGlobalLimitSpacesRequests(t *testing.T) {
	for _, tc := range []struct {
		name     string
		path     string
		n        int
		wantLast time.Duration
	}{
		{"messages wait their slot", "/api/v9/channels/1/messages", 101, 100 * (time.Second + globalGuard) / 50},
		{"interaction callbacks are exempt", "/api/v9/interactions/1/tok/callback", 101, 0},
		{"interaction follow-ups are exempt", "/api/v9/webhooks/1/tok", 101, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				start := time.Now()
				var mu sync.Mutex
				var starts []time.Duration
				var calls atomic.Int32
				g := newGlobalLimit(50, roundTrip(func(r *http.Request) (*http.Response, error) {
					calls.Add(1)
					mu.Lock()
					starts = append(starts, time.Since(start))
					mu.Unlock()
					return httpReply(200, `{}`), nil
				}))
				var wg sync.WaitGroup
				for range tc.n {
					wg.Go(func() {
						req, _ := http.NewRequestWithContext(context.Background(), "POST", "http://discord.test"+tc.path, nil)
						if _, err := g.RoundTrip(req); err != nil {
							t.Error(err)
						}
					})
				}
				wg.Wait()
				if int(calls.Load()) != tc.n {
					t.Fatalf("%d requests sent, want %d", calls.Load(), tc.n)
				}
				last := time.Duration(0)
				for _, s := range starts {
					last = max(last, s)
				}
				if last != tc.wantLast {
					t.Errorf("last request at %s, want %s", last, tc.wantLast)
				}
				for i := range starts {
					in := 0
					for j := range starts {
						if starts[j] >= starts[i] && starts[j] < starts[i]+time.Second {
							in++
						}
					}
					if tc.wantLast > 0 && in > 50 {
						t.Fatalf("%d requests within a second from %s", in, starts[i])
					}
				}
			})
		})
	}
}

// TestGlobalLimitHonoursCancel: a request waiting for its slot gives up
// when its context ends (shutdown), without sending.
func TestGlobalLimitHonoursCancel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var calls atomic.Int32
		g := newGlobalLimit(1, roundTrip(func(r *http.Request) (*http.Response, error) { calls.Add(1); return httpReply(200, `{}`), nil }))
		req, _ := http.NewRequest("POST", "http://discord.test/api/v9/channels/1/messages", nil)
		if _, err := g.RoundTrip(req); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		if _, err := g.RoundTrip(req.WithContext(ctx)); err == nil {
			t.Error("a request past its context was sent")
		}
		if calls.Load() != 1 {
			t.Errorf("%d requests sent, want 1", calls.Load())
		}
	})
}
