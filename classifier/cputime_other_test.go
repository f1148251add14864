//go:build !unix

package classifier

func cpuTime() int64 { return 0 }
