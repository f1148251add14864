package llm

import (
	"testing"
	"time"

	"github.com/triagebot/triagebot/news"
)

// TestClassifyHoldsAnItemOneTimeoutRetriesIncluded: llm.timeout bounds one
// item, retries and their backoff included (README), so a failing endpoint
// cannot hold a poll for timeout × tries.
func TestClassifyHoldsAnItemOneTimeoutRetriesIncluded(t *testing.T) {
	cases := []struct {
		name    string
		timeout time.Duration
		backoff time.Duration
		limit   time.Duration // well under the 200+400 ms of backoff alone
	}{
		{"100 ms timeout, 200 ms backoff", 100 * time.Millisecond, 200 * time.Millisecond, 450 * time.Millisecond},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t, func(int64, string) (int, string) { return 500, "" })
			a, _ := newAssist(t, f, nil, func(o *Options) { o.Timeout, o.Backoff, o.Retries = tc.timeout, tc.backoff, 2 })
			c := Classifier{Offline: fixed{news.Verdict{Label: news.Other, Confidence: 0.2}}, Assist: a}
			start := time.Now()
			if v := c.Classify(item("k", "t")); v.Label != news.Other {
				t.Fatalf("got %v, want the offline verdict", v)
			}
			if d := time.Since(start); d > tc.limit {
				t.Fatalf("one item took %v with a %v timeout", d, tc.timeout)
			}
		})
	}
}
