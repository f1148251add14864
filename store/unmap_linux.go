package store

import (
	"bytes"
	"os"
	"strconv"
	"syscall"

	bolt "go.etcd.io/bbolt"
)

// dropMapped unmaps from this process the file pages it has touched so
// far, keeping them in the page cache, once they pass mappedBudget: bbolt
// reads through a shared read-only mapping, and every page a read touches
// (64 KB around it, with the kernel's fault-around) stays counted in the
// process's RSS until the mapping goes. A poll's index inserts land all
// over the file, so without this a first poll of 200k items had 325 MiB of
// its 500 MiB peak RSS in file pages (docs/benchmarks.md). MADV_DONTNEED on
// a shared file mapping drops only the page-table entries: the next read
// faults the same bytes back in from the page cache, so no data changes
// and no disk read follows. Those faults cost CPU, hence the budget rather
// than a drop at every commit.
//
// tx must be open (a read or a write transaction): bbolt remaps the file
// only under its mmap lock, which every open transaction holds shared, so
// the mapping's address and size hold while tx is open.
func dropMapped(db *bolt.DB, tx *bolt.Tx, budget int64) {
	if mappedFile() < budget {
		return
	}
	// The error is ignored: on failure the pages merely stay mapped.
	syscall.Syscall(syscall.SYS_MADVISE, db.Info().Data, uintptr(tx.Size()), syscall.MADV_DONTNEED)
}

// mappedFile is the process's resident file-backed memory in bytes (the
// "shared" field of /proc/self/statm, which also counts shared memory, of
// which triagebot has none); on any error it is reported as huge, so the pages go.
func mappedFile() int64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 1 << 62
	}
	f := bytes.Fields(b)
	if len(f) < 3 {
		return 1 << 62
	}
	pages, err := strconv.ParseInt(string(f[2]), 10, 64)
	if err != nil {
		return 1 << 62
	}
	return pages * int64(os.Getpagesize())
}
