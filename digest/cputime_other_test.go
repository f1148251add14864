//go:build !unix

package digest

import "time"

// cpuTime is unknown here; the benchmark then reports no CPU figure.
func cpuTime() time.Duration { return 0 }

// minorFaults is unknown here (-1).
func minorFaults() int64 { return -1 }
