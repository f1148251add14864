//go:build !linux

package ingest

// peakRSS is not measured outside Linux.
func peakRSS() int64 { return 0 }
