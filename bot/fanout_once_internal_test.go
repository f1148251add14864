package bot

import (
	"context"
	"fmt"
	"sync"
	"testing"
)

// TestFanOutRunsEachChannelOnce: every job runs exactly once, whatever the
// worker count — the exactly-once fan-out the README promises starts here
// (the poster's ledger must not be what hides a double run).
func TestFanOutRunsEachChannelOnce(t *testing.T) {
	for _, tc := range []struct{ workers, jobs int }{{1, 1}, {1, 7}, {4, 50}, {16, 3}} {
		t.Run(fmt.Sprintf("%d workers %d jobs", tc.workers, tc.jobs), func(t *testing.T) {
			jobs := make([]int, tc.jobs)
			for i := range jobs {
				jobs[i] = i
			}
			var mu sync.Mutex
			runs := map[int]int{}
			fanOut(t.Context(), tc.workers, jobs, func(_ context.Context, j int) {
				mu.Lock()
				runs[j]++
				mu.Unlock()
			})
			for _, j := range jobs {
				if runs[j] != 1 {
					t.Errorf("job %d ran %d times, want 1", j, runs[j])
				}
			}
		})
	}
}
