//go:build !linux

package ingest

import "time"

// peakRSS is not measured outside Linux.
func peakRSS() int64 { return 0 }

// cpuTime is not measured outside Linux.
func cpuTime() time.Duration { return 0 }
