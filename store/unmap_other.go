//go:build !linux

package store

import bolt "go.etcd.io/bbolt"

// dropMapped is Linux-only (MADV_DONTNEED's semantics for shared file
// mappings differ elsewhere); other systems keep their mapped pages.
func dropMapped(*bolt.DB, *bolt.Tx, int64) {}
