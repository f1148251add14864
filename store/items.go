package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/triagebot/triagebot/news"
	bolt "go.etcd.io/bbolt"
)

// itemsFill is the items bucket's fill when a poll appends to it, short
// of full so that a later in-place update that grows an item (a tag, a
// pick) usually still fits its page.
const itemsFill = 0.95

// shortIDLen is how much of an item's id is shown while it is unambiguous.
const shortIDLen = 8

// UpsertItems stores items not seen before and returns those it added, with
// their final ids. An item whose canonical key was ever stored (even if
// since pruned) is skipped, so polling the same feed again adds nothing.
func (s *Store) UpsertItems(items []news.Item) ([]news.Item, error) {
	return s.RecordPoll("", items, nil)
}

// RecordPoll stores a poll's new items and updates the feed's state in one
// transaction, so the validators saved never run ahead of the items. update
// sees the feed as stored and the items just added; feed "" skips it.
//
// It goes through the store's writer, so feeds polled concurrently share
// one commit (one fsync) instead of queueing for one each. The writer may
// run the function again after a failed group; that attempt was rolled
// back, and the function starts from what the transaction reads.
func (s *Store) RecordPoll(feed string, items []news.Item, update func(rec *FeedRecord, added []news.Item)) ([]news.Item, error) {
	fn, added, err := recordPoll(feed, items, update)
	if err != nil {
		return nil, err
	}
	if err := s.groupUpdate(len(items), fn); err != nil {
		return nil, fmt.Errorf("store: record poll: %w", err)
	}
	return *added, nil
}

// recordPoll is RecordPoll's write, for the writer to run in a group, and
// where the items it added will be once it has run.
func recordPoll(feed string, items []news.Item, update func(rec *FeedRecord, added []news.Item)) (func(*bolt.Tx, *indexWrites) error, *[]news.Item, error) {
	// Encode here, in the caller's goroutine, with the id the item will
	// almost surely get: the single writer is the bottleneck of a big
	// poll, so it should only put bytes.
	encoded := make([][]byte, len(items))
	cloned := false
	for i := range items {
		if len(items[i].Key) > bolt.MaxKeySize {
			if !cloned { // the caller's slice stays as it was
				items, cloned = slices.Clone(items), true
			}
			items[i].Key = boundedKey(items[i].Key)
		}
		it := items[i]
		if it.Key == "" || it.ID == "" {
			return nil, nil, fmt.Errorf("store: item %q has no key or id", it.Title)
		}
		it.ID = shortID(it.ID)
		v, err := encode(&it)
		if err != nil {
			return nil, nil, err
		}
		encoded[i] = v
	}
	// Sized once: on a first poll every item is new.
	added := make([]news.Item, 0, len(items))
	fn := func(tx *bolt.Tx, ix *indexWrites) error {
		added = added[:0]
		seen, ids := tx.Bucket(bSeen), tx.Bucket(bIDs)
		// Sequence keys only ever append, so the items bucket's pages can be
		// filled: at bbolt's default of half a page, a ~1 KB item left two
		// per 4 KB page and the file half empty (200k items: 390 MB of item
		// pages for 218 MB of items). The handle is the transaction's own,
		// so this holds for every put of this transaction.
		tx.Bucket(bItems).FillPercent = itemsFill
		var (
			// One copy reused for every item: its address is taken below,
			// which put a fresh copy of each item on the heap.
			it news.Item
			// seen.Get's key, reused: bbolt keeps no reference to it.
			key []byte
		)
		for i := range items {
			it = items[i]
			key = append(key[:0], it.Key...)
			if ix.hasSeen(seen, key) {
				continue
			}
			if it.LegacyKey != "" {
				// adoptLegacy reads and writes the indexes directly.
				if err := ix.flush(tx); err != nil {
					return err
				}
			}
			if known, err := adoptLegacy(tx, it); err != nil || known {
				if err != nil {
					return err
				}
				continue
			}
			v := encoded[i]
			if it.ID = freeID(func(id string) bool { return ix.idTaken(ids, id) }, it.ID); it.ID != shortID(items[i].ID) {
				var err error
				if v, err = encode(&it); err != nil {
					return err
				}
			}
			seq, err := tx.Bucket(bItems).NextSequence()
			if err != nil {
				return err
			}
			k := seqKey(seq)
			if err := putEncoded(tx, &it, v, k, false); err != nil {
				return err
			}
			// New items are neither tagged nor picked: what putEncoded
			// with index would write is the time, id and URL entries
			// (remark writes nothing), queued here with the seen entry.
			if isMarked(&it) {
				if err := remark(tx, nil, &it, k); err != nil {
					return err
				}
			}
			ix.addItem(timeKey(it.Published, it.ID), it.ID, it.URL, it.Key, k)
			added = append(added, it)
		}
		if feed == "" || update == nil {
			return nil
		}
		b := tx.Bucket(bFeeds)
		raw := b.Get(normName(feed))
		if raw == nil {
			return nil // removed while it was being polled: keep the items, drop the state
		}
		var rec FeedRecord
		if err := decode(raw, &rec); err != nil {
			return err
		}
		update(&rec, added)
		return putFeed(b, rec)
	}
	return fn, &added, nil
}

// boundedKey is the key an item is seen under when its canonical key is
// longer than bbolt can hold (a hostile feed's 40 KB GUID or link, kept
// whole by the key rule): a hash of it, the same at every poll. Put as it
// was, the seen entry failed the whole poll, at every poll of the feed.
// Keys that fit are never changed, so no stored key moves.
func boundedKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return "long:" + hex.EncodeToString(sum[:])
}

// adoptLegacy recognizes an item stored under the key an earlier key rule
// gave it (it.LegacyKey): the stored item takes the new key, and the seen
// set follows, so a rule change adds the items the old rule collapsed
// without adding the one it kept a second time. An old key whose item was
// pruned counts as seen: that item, and anything it hid, is older than
// retention.
func adoptLegacy(tx *bolt.Tx, it news.Item) (bool, error) {
	if it.LegacyKey == "" {
		return false, nil
	}
	seen := tx.Bucket(bSeen)
	id := seen.Get([]byte(it.LegacyKey))
	if id == nil {
		return false, nil
	}
	id = bytes.Clone(id)
	seq := tx.Bucket(bIDs).Get(id)
	var raw []byte
	if seq != nil {
		raw = tx.Bucket(bItems).Get(seq)
	}
	if raw == nil {
		return true, seen.Put([]byte(it.Key), id)
	}
	var old news.Item
	if err := decode(raw, &old); err != nil {
		return false, err
	}
	if old.GUID != it.GUID || (it.GUID == "" && old.URL != it.URL) {
		return false, nil // a sibling the old key hid: new
	}
	seq = bytes.Clone(seq)
	old.Key = it.Key
	if err := putItem(tx, &old, seq, false); err != nil {
		return false, err
	}
	if err := seen.Put([]byte(it.Key), id); err != nil {
		return false, err
	}
	return true, seen.Delete([]byte(it.LegacyKey))
}

// freeID shortens id to 8 characters unless another item already has that
// prefix; then the full id (and, in the astronomically unlikely case that is
// taken too, a numbered suffix) keeps it unique.
//
// taken says whether an id is in use (stored, or pending in this commit).
func freeID(taken func(string) bool, id string) string {
	if short := shortID(id); !taken(short) {
		return short
	}
	if !taken(id) {
		return id
	}
	for n := 2; ; n++ {
		c := fmt.Sprintf("%s%d", id, n)
		if !taken(c) {
			return c
		}
	}
}

func shortID(id string) string {
	if len(id) > shortIDLen {
		return id[:shortIDLen]
	}
	return id
}

// putItem writes the item under its sequence key; with index it also writes
// the index entries of a new item (published time, id, URL).
func putItem(tx *bolt.Tx, it *news.Item, seq []byte, index bool) error {
	v, err := encode(it)
	if err != nil {
		return err
	}
	return putEncoded(tx, it, v, seq, index)
}

func putEncoded(tx *bolt.Tx, it *news.Item, v, seq []byte, index bool) error {
	if err := tx.Bucket(bItems).Put(seq, v); err != nil {
		return err
	}
	if !index {
		return nil
	}
	if err := tx.Bucket(bPub).Put(timeKey(it.Published, it.ID), seq); err != nil {
		return err
	}
	if err := tx.Bucket(bIDs).Put([]byte(it.ID), seq); err != nil {
		return err
	}
	if it.URL != "" {
		if err := tx.Bucket(bURLs).Put([]byte(it.URL), []byte(it.ID)); err != nil {
			return err
		}
	}
	return remark(tx, nil, it, seq)
}

// isMarked is what the marked index holds: items a host tagged or picked.
func isMarked(it *news.Item) bool { return it.Tag != "" || it.Picked }

// remark keeps the marked index in step with a change from old (nil: a
// new item) to it.
func remark(tx *bolt.Tx, old, it *news.Item, seq []byte) error {
	b := tx.Bucket(bMarked)
	if old != nil && isMarked(old) {
		if !isMarked(it) || !old.Published.Equal(it.Published) || old.ID != it.ID {
			if err := b.Delete(timeKey(old.Published, old.ID)); err != nil {
				return err
			}
		}
	}
	if isMarked(it) {
		return b.Put(timeKey(it.Published, it.ID), seq)
	}
	return nil
}

func seqKey(n uint64) []byte {
	k := make([]byte, 8)
	binary.BigEndian.PutUint64(k, n)
	return k
}

// Query selects items. Zero fields do not filter.
type Query struct {
	Since, Until time.Time // Since inclusive, Until exclusive, by published time
	Feed         string    // case-insensitive feed name
	Label        news.Label
	Limit        int  // at most this many, newest first; 0 = all
	Oldest       bool // oldest first instead of newest first
	// Marked keeps only items a host tagged or picked, read from their
	// own index: the cost follows the marked items, not the store.
	Marked bool
}

// Items returns matching items, newest first unless q.Oldest. A time range
// is one cursor walk over the time-ordered bucket.
func (s *Store) Items(q Query) ([]news.Item, error) {
	var out []news.Item
	err := s.WalkItems(q, func(it news.Item) bool {
		out = append(out, it)
		return q.Limit <= 0 || len(out) < q.Limit
	})
	return out, err
}

// WalkItems calls fn for each matching item until fn returns false.
func (s *Store) WalkItems(q Query, fn func(news.Item) bool) error {
	lo := []byte(nil)
	if !q.Since.IsZero() {
		lo = timeKey(q.Since, "")
	}
	hi := []byte(nil)
	if !q.Until.IsZero() {
		hi = timeKey(q.Until, "")
	}
	return s.view(func(tx *bolt.Tx) error {
		items := tx.Bucket(bItems)
		index := tx.Bucket(bPub)
		if q.Marked && tx.Bucket(bMarked) != nil {
			index = tx.Bucket(bMarked)
		}
		c := index.Cursor()
		var k, v []byte
		next := c.Prev
		if q.Oldest {
			next = c.Next
			if lo != nil {
				k, v = c.Seek(lo)
			} else {
				k, v = c.First()
			}
		} else {
			if hi != nil {
				// Start at the last key before hi.
				if k, _ = c.Seek(hi); k == nil {
					k, v = c.Last()
				} else {
					k, v = c.Prev()
				}
			} else {
				k, v = c.Last()
			}
		}
		walked := 0
		for ; k != nil; k, v = next() {
			if walked++; walked%dropEvery == 0 {
				// A week of a big store lies on pages all over the file
				// (items are stored in arrival order): a digest of 1M
				// items kept 1.9 GiB of them mapped.
				dropMapped(s.db, tx, s.readBudget)
			}
			if lo != nil && bytes.Compare(k, lo) < 0 {
				if q.Oldest {
					continue
				}
				break
			}
			if hi != nil && bytes.Compare(k, hi) >= 0 {
				if q.Oldest {
					break
				}
				continue
			}
			raw := items.Get(v)
			if raw == nil {
				return fmt.Errorf("store: index points at missing item %x", v)
			}
			var it news.Item
			if err := decode(raw, &it); err != nil {
				return err
			}
			if q.Feed != "" && !strings.EqualFold(it.Feed, q.Feed) {
				continue
			}
			if q.Label != "" && it.Effective() != q.Label {
				continue
			}
			if q.Marked && !isMarked(&it) {
				continue // a store opened read-only before its index was built
			}
			if !fn(it) {
				return nil
			}
		}
		return nil
	})
}

// Item finds one item by id (full or 8-character form) or by URL.
func (s *Store) Item(ref string) (news.Item, error) {
	var it news.Item
	err := s.view(func(tx *bolt.Tx) error {
		k, err := lookup(tx, ref)
		if err != nil {
			return err
		}
		return decode(tx.Bucket(bItems).Get(k), &it)
	})
	return it, err
}

// lookup resolves an id (8 or 10 characters), an item's exact URL, or a
// canonical key ("url:https://…", "arxiv:2611.01234").
func lookup(tx *bolt.Tx, ref string) ([]byte, error) {
	ref = strings.TrimSpace(ref)
	id := tx.Bucket(bURLs).Get([]byte(ref))
	if id == nil {
		id = tx.Bucket(bSeen).Get([]byte(ref))
	}
	if id == nil {
		id = []byte(strings.ToLower(ref))
	}
	k := tx.Bucket(bIDs).Get(id)
	if k == nil || tx.Bucket(bItems).Get(k) == nil {
		return nil, fmt.Errorf("%w: no item with id or URL %q (find ids with `triagebot items`)", ErrNotFound, ref)
	}
	return k, nil
}

// UpdateItem changes one item (found by id or URL) in a transaction and
// returns the new version.
func (s *Store) UpdateItem(ref string, fn func(*news.Item) error) (news.Item, error) {
	var it news.Item
	err := s.update(func(tx *bolt.Tx) error {
		k, err := lookup(tx, ref)
		if err != nil {
			return err
		}
		if err := decode(tx.Bucket(bItems).Get(k), &it); err != nil {
			return err
		}
		old := it
		if err := fn(&it); err != nil {
			return err
		}
		if err := putItem(tx, &it, k, false); err != nil {
			return err
		}
		return remark(tx, &old, &it, k)
	})
	return it, err
}

// UpdateAll rewrites every item fn changes (fn returns true), in batches so
// a large store does not hold one huge transaction.
func (s *Store) UpdateAll(fn func(*news.Item) bool) (int, error) {
	const batch = 2000
	changed := 0
	var from []byte
	for {
		done := true
		err := s.update(func(tx *bolt.Tx) error {
			c := tx.Bucket(bItems).Cursor()
			k, v := c.First()
			if from != nil {
				k, v = c.Seek(from)
			}
			n := 0
			for ; k != nil; k, v = c.Next() {
				if n == batch {
					from, done = bytes.Clone(k), false
					return nil
				}
				n++
				var it news.Item
				if err := decode(v, &it); err != nil {
					return err
				}
				old := it
				if !fn(&it) {
					continue
				}
				if err := remark(tx, &old, &it, k); err != nil {
					return err
				}
				nv, err := encode(&it)
				if err != nil {
					return err
				}
				// Put on the cursor's own bucket with an unchanged key is
				// safe during iteration.
				if err := tx.Bucket(bItems).Put(k, nv); err != nil {
					return err
				}
				changed++
			}
			return nil
		})
		if err != nil {
			return changed, fmt.Errorf("store: update items: %w", err)
		}
		if done {
			return changed, nil
		}
	}
}

// Prune deletes items published before cutoff, except tagged or picked
// ones. Their canonical keys stay in the seen set so they never return.
func (s *Store) Prune(cutoff time.Time) (int, error) {
	n := 0
	err := s.update(func(tx *bolt.Tx) error {
		items, pub := tx.Bucket(bItems), tx.Bucket(bPub)
		hi := timeKey(cutoff, "")
		type doomed struct {
			pubKey, seq []byte
			it          news.Item
		}
		var gone []doomed
		c := pub.Cursor()
		for k, v := c.First(); k != nil && bytes.Compare(k, hi) < 0; k, v = c.Next() {
			var it news.Item
			if err := decode(items.Get(v), &it); err != nil {
				return err
			}
			if it.Tag == "" && !it.Picked {
				gone = append(gone, doomed{bytes.Clone(k), bytes.Clone(v), it})
			}
		}
		for _, d := range gone {
			if err := items.Delete(d.seq); err != nil {
				return err
			}
			if err := pub.Delete(d.pubKey); err != nil {
				return err
			}
			if err := tx.Bucket(bIDs).Delete([]byte(d.it.ID)); err != nil {
				return err
			}
			// The URL index names the latest item with that URL: a newer
			// item reported at the same address keeps its entry.
			if urls := tx.Bucket(bURLs); d.it.URL != "" && string(urls.Get([]byte(d.it.URL))) == d.it.ID {
				if err := urls.Delete([]byte(d.it.URL)); err != nil {
					return err
				}
			}
		}
		n = len(gone)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: prune: %w", err)
	}
	return n, nil
}

// Count returns the number of stored items.
func (s *Store) Count() (int, error) {
	n := 0
	err := s.view(func(tx *bolt.Tx) error {
		n = tx.Bucket(bItems).Stats().KeyN
		return nil
	})
	return n, err
}
