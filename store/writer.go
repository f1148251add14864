package store

import (
	"errors"
	"math"
	"time"

	bolt "go.etcd.io/bbolt"
)

// ErrClosed is returned for writes after Close.
var ErrClosed = errors.New("store: closed")

// maxGroup caps how many queued writes share one transaction.
const maxGroup = 512

// maxGroupItems caps the items of one transaction (a group's first
// request is taken whatever its size). A commit holds in memory a copy of
// every index page it touches, and a poll's new items land on pages all
// over the id and time indexes: in a big store nearly one page per item
// and index. First poll of 1M items, peak RSS: 512 MiB with groups of up
// to 64 feeds (3,200 items), 461 MiB at 2,400, 370 MiB at 1,600; but at
// 200k, 1,600 cost a quarter more CPU (smaller commits rewrite more index
// pages per item) while 2,400 cost none measurable: docs/benchmarks.md.
const maxGroupItems = 2400

// smallStoreItems is the store size below which a group may take twice
// maxGroupItems. The cap is there for the index pages a commit copies,
// up to one per new item and index in a big store (2,400 items: at most
// 9,600 pages, 37.5 MB). Below this size the four indexes together are
// fewer pages than that (measured with 50-item polls and hashed ids:
// 4,200 pages, 17 MB, at 50k items; 8,400 pages, 34 MB, at 100k), so a
// commit copies at most all of them whatever its size. In a store that
// small a commit rewrites a large share of the id and time indexes'
// pages, so fewer, larger commits cost less CPU.
const smallStoreItems = 100_000

// groupItems is the item cap of the next group when the store held
// stored items at the last commit.
func groupItems(stored uint64) int {
	if stored < smallStoreItems {
		return 2 * maxGroupItems
	}
	return maxGroupItems
}

// mappedBudget is how much file-backed memory (the store's mapped pages
// and the binary's own) the process keeps before the writer unmaps the
// store's pages: a bound on that part of the RSS, loose enough that the
// faults that map pages back in stay rare.
const mappedBudget = 96 << 20

// readBudget bounds the file pages a read walk keeps mapped. It is looser
// than the writer's: every drop also unmaps the index's upper pages, which
// the walk faults straight back in. Unmapping past 96 MiB every 512 items
// cut a 200k-item week's digest from 416 to 190 MiB RSS but cost 0.3-0.4 s
// of system CPU (+30%), for pages that are page cache the kernel reclaims
// anyway; past 512 MiB a digest of 200k items never drops, one of 1M does
// a few times.
const readBudget = 512 << 20

// dropEvery is how many items a read walks between checks of readBudget;
// a check reads /proc/self/statm (microseconds).
const dropEvery = 512

// maxSpacing caps the wait for more writes after a slow commit.
const maxSpacing = 200 * time.Millisecond

// writeReq is one queued write; fn must be safe to run twice, because a
// failed group is retried one request at a time.
type writeReq struct {
	fn    func(*bolt.Tx, *indexWrites) error
	items int // new items it may write, for maxGroupItems
	done  chan error
}

// writer is the one goroutine that commits the poller's writes: group
// commit, so a burst of feeds pays for few commits. (bbolt's own Batch waits
// a fixed 10ms whenever fewer callers than its size limit are queued, and
// its groups can be no larger than the number of callers blocked in it.)
func (s *Store) writer() {
	defer close(s.writerDone)
	// A commit rewrites every page it touched, and the id and time indexes
	// take new keys all over their trees, so during a burst (the first poll
	// of a thousand feeds) a commit costs about the same for ten feeds as
	// for fifty. After a commit that took d, the writer keeps collecting
	// for up to d more before the next one, so commits take at most about
	// half its time. Only while writes come in company: after a group of
	// one (a lone tag, a sequential caller) the next write commits at once.
	var spacing time.Duration
	// Items in the store at the last commit (its items sequence), for
	// groupItems; unknown until the first commit, and taken as large.
	stored := uint64(math.MaxUint64)
	for req := range s.writes {
		group, items := []writeReq{req}, req.items
		wait := time.NewTimer(min(spacing, maxSpacing))
		limit := groupItems(stored)
	collect:
		for len(group) < maxGroup && items < limit {
			select {
			case r, ok := <-s.writes:
				if !ok {
					break collect
				}
				group, items = append(group, r), items+r.items
			case <-wait.C:
				break collect
			}
		}
		wait.Stop()
		start := time.Now()
		err := s.update(func(tx *bolt.Tx) error {
			// Each group reads index pages all over the file; what earlier
			// groups mapped in need not stay in the RSS (see dropMapped).
			dropMapped(s.db, tx, s.mappedBudget)
			if err := runGroup(tx, group); err != nil {
				return err
			}
			if b := tx.Bucket(bItems); b != nil {
				stored = b.Sequence()
			}
			return nil
		})
		spacing = 0
		if len(group) > 1 {
			spacing = time.Since(start)
		}
		if err == nil || len(group) == 1 {
			for _, r := range group {
				r.done <- err
			}
			continue
		}
		// One request failed and rolled back the group: run each alone so
		// only the failing one sees its error.
		for _, r := range group {
			r.done <- s.update(func(tx *bolt.Tx) error { return runGroup(tx, []writeReq{r}) })
		}
	}
}

// runGroup runs a group's requests in one transaction, then puts the index
// entries they queued, each index in key order (see indexWrites).
func runGroup(tx *bolt.Tx, group []writeReq) error {
	n := 0
	for _, r := range group {
		n += r.items
	}
	ix := newIndexWrites(n)
	for _, r := range group {
		if err := r.fn(tx, ix); err != nil {
			return err
		}
	}
	return ix.flush(tx)
}

// groupUpdate queues fn, which writes up to items new items, for the
// writer and waits for its commit.
func (s *Store) groupUpdate(items int, fn func(*bolt.Tx, *indexWrites) error) error {
	if s.readOnly {
		return s.update(func(*bolt.Tx) error { return nil }) // ErrReadOnly
	}
	s.closeMu.RLock()
	if s.closed {
		s.closeMu.RUnlock()
		return ErrClosed
	}
	req := writeReq{fn: fn, items: items, done: make(chan error, 1)}
	s.writes <- req
	s.closeMu.RUnlock()
	return <-req.done
}
