//go:build unix

package digest

import (
	"syscall"
	"time"
)

// cpuTime is the CPU the process has used, user and system, every thread
// counted (the garbage collector's too): on a shared machine wall time
// measures the neighbours as much as the code.
func cpuTime() time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

// minorFaults is how many pages the process has had the kernel map on
// first touch: a build's fresh memory costs one each, and on a virtual
// machine each costs microseconds.
func minorFaults() int64 {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return -1
	}
	return int64(u.Minflt)
}
