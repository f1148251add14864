package store

import (
	"syscall"

	bolt "go.etcd.io/bbolt"
)

// dropMapped unmaps from this process the file pages it has touched so
// far, keeping them in the page cache: bbolt reads through a shared
// read-only mapping, and every page a read touches (64 KB around it, with
// the kernel's fault-around) stays counted in the process's RSS until the
// mapping goes. A poll's index inserts land all over the file, so without
// this a first poll of 200k items had 325 MiB of its 500 MiB peak RSS in
// file pages (docs/benchmarks.md). MADV_DONTNEED on a shared file mapping
// drops only the page-table entries: the next read faults the same bytes
// back in from the page cache, so no data changes and no disk read follows
// while the page cache keeps the file.
//
// tx must be a write transaction: only a writer remaps the file, so the
// mapping's address and size hold while it is open.
func dropMapped(db *bolt.DB, tx *bolt.Tx) {
	// The error is ignored: on failure the pages merely stay mapped.
	syscall.Syscall(syscall.SYS_MADVISE, db.Info().Data, uintptr(tx.Size()), syscall.MADV_DONTNEED)
}
