package store

import (
	"bytes"
	"slices"

	bolt "go.etcd.io/bbolt"
)

// indexWrites holds the index entries of a group commit's new items until
// the group's last request has run, then puts each index's entries in key
// order. A poll's new items have ids and times all over the id, time, URL
// and seen indexes; put as they come, each put walks the tree to a leaf
// far from the last one, while in key order consecutive puts mostly land
// in the leaf the previous one just walked to, which is still in cache.
// The entries and the commit are the same either way.
//
// Until then the pending entries are invisible to the buckets, so the
// group's own lookups go through hasSeen and idTaken.
type indexWrites struct {
	pub, ids, urls, seen []indexEntry
	// Keys pending in the seen and ids indexes, for lookups by later
	// requests of the same group (a paper two listings carry, an id
	// prefix two new items share).
	seenKeys map[string]struct{}
	idKeys   map[string]struct{}
}

type indexEntry struct{ k, v []byte }

// newIndexWrites sizes the queue for n new items (the group's bound), so
// a group of thousands does not regrow its slices and maps as it goes.
func newIndexWrites(n int) *indexWrites {
	return &indexWrites{
		pub: make([]indexEntry, 0, n), ids: make([]indexEntry, 0, n),
		urls: make([]indexEntry, 0, n), seen: make([]indexEntry, 0, n),
		seenKeys: make(map[string]struct{}, n), idKeys: make(map[string]struct{}, n),
	}
}

// hasSeen reports whether key is in the seen index or pending for it.
func (w *indexWrites) hasSeen(seen *bolt.Bucket, key []byte) bool {
	if seen.Get(key) != nil {
		return true
	}
	_, ok := w.seenKeys[string(key)]
	return ok
}

// idTaken reports whether id is in the ids index or pending for it.
func (w *indexWrites) idTaken(ids *bolt.Bucket, id string) bool {
	if ids.Get([]byte(id)) != nil {
		return true
	}
	_, ok := w.idKeys[id]
	return ok
}

// addItem queues the index entries of a new item stored under seq, as
// putEncoded with index would put them, and its seen entry.
func (w *indexWrites) addItem(pubKey []byte, id, url, key string, seq []byte) {
	// One allocation for the three keys: bbolt keeps them until the
	// commit, and none of them is written to again.
	buf := make([]byte, 0, len(id)+len(url)+len(key))
	buf = append(append(append(buf, id...), url...), key...)
	idb := buf[:len(id):len(id)]
	w.pub = append(w.pub, indexEntry{pubKey, seq})
	w.ids = append(w.ids, indexEntry{idb, seq})
	// A URL longer than bbolt's largest key (a hostile feed's) cannot be
	// an index key: the item is stored, found by id but not by URL.
	if url != "" && len(url) <= bolt.MaxKeySize {
		w.urls = append(w.urls, indexEntry{buf[len(id) : len(id)+len(url) : len(id)+len(url)], idb})
	}
	w.seen = append(w.seen, indexEntry{buf[len(id)+len(url):], idb})
	w.idKeys[id] = struct{}{}
	w.seenKeys[key] = struct{}{}
}

// flush puts the pending entries, each index in key order, and empties
// the queue. Entries with equal keys (two new items with one URL) keep
// their order, so the last one wins as it did when put as they came. Only
// the URL index can have equal keys: ids are unique (idTaken), seen keys
// too (hasSeen), and a time key ends with its item's id; those three take
// the cheaper unstable sort, which orders unique keys the same way.
func (w *indexWrites) flush(tx *bolt.Tx) error {
	for _, ix := range []struct {
		name    []byte
		entries []indexEntry
		stable  bool
	}{{bPub, w.pub, false}, {bIDs, w.ids, false}, {bURLs, w.urls, true}, {bSeen, w.seen, false}} {
		byKey := func(a, b indexEntry) int { return bytes.Compare(a.k, b.k) }
		if ix.stable {
			slices.SortStableFunc(ix.entries, byKey)
		} else {
			slices.SortFunc(ix.entries, byKey)
		}
		b := tx.Bucket(ix.name)
		for _, e := range ix.entries {
			if err := b.Put(e.k, e.v); err != nil {
				return err
			}
		}
	}
	w.pub, w.ids, w.urls, w.seen = w.pub[:0], w.ids[:0], w.urls[:0], w.seen[:0]
	clear(w.seenKeys)
	clear(w.idKeys)
	return nil
}
