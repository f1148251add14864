package feeds

import (
	"math"
	"testing"
	"time"
)

func TestBackoff(t *testing.T) {
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	const interval, maxBackoff = 30 * time.Minute, 24 * time.Hour
	cases := []struct {
		name       string
		interval   time.Duration
		failures   int
		maxBackoff time.Duration
		retryAfter time.Duration
		want       time.Duration
	}{
		{"first failure waits one interval", interval, 1, maxBackoff, 0, 30 * time.Minute},
		{"second doubles", interval, 2, maxBackoff, 0, time.Hour},
		{"sixth", interval, 6, maxBackoff, 0, 16 * time.Hour},
		// 30m × 2^6 = 32 h is past the cap.
		{"seventh is capped", interval, 7, maxBackoff, 0, maxBackoff},
		{"100 failures capped", interval, 100, maxBackoff, 0, maxBackoff},
		{"MaxInt failures capped, no overflow", interval, math.MaxInt, maxBackoff, 0, maxBackoff},
		{"huge interval and cap, no overflow", time.Duration(math.MaxInt64 / 3), 80, time.Duration(math.MaxInt64 / 2), 0, time.Duration(math.MaxInt64 / 2)},
		// A feed's own interval may be up to 7 days (feeds[].interval)
		// while poll.max_backoff defaults to 24 h: the cap still holds.
		{"feed interval beyond the cap is capped", 7 * 24 * time.Hour, 1, maxBackoff, 0, maxBackoff},
		{"feed interval beyond the cap, tenth failure", 7 * 24 * time.Hour, 10, maxBackoff, 0, maxBackoff},
		{"Retry-After beyond the backoff wins", interval, 1, maxBackoff, 3 * time.Hour, 3 * time.Hour},
		{"Retry-After beyond the cap wins", interval, 50, maxBackoff, 48 * time.Hour, 48 * time.Hour},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Backoff(now, tc.interval, tc.failures, tc.maxBackoff, tc.retryAfter).Sub(now)
			if got != tc.want {
				t.Errorf("Backoff = %s, want %s", got, tc.want)
			}
		})
	}
}
