package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"
	"time"

	"github.com/triagebot/triagebot/news"
	bolt "go.etcd.io/bbolt"
)

// shortIDLen is how much of an item's id is shown while it is unambiguous.
const shortIDLen = 8

// UpsertItems stores items not seen before and returns those it added, with
// their final ids. An item whose canonical key was ever stored (even if
// since pruned) is skipped, so polling the same feed again adds nothing.
func (s *Store) UpsertItems(items []news.Item) ([]news.Item, error) {
	var added []news.Item
	err := s.db.Update(func(tx *bolt.Tx) error {
		added = added[:0]
		seen, ids := tx.Bucket(bSeen), tx.Bucket(bIDs)
		for _, it := range items {
			if it.Key == "" || it.ID == "" {
				return fmt.Errorf("store: item %q has no key or id", it.Title)
			}
			if seen.Get([]byte(it.Key)) != nil {
				continue
			}
			it.ID = freeID(ids, it.ID)
			if err := putItem(tx, &it, nil); err != nil {
				return err
			}
			var ts [8]byte
			binary.BigEndian.PutUint64(ts[:], uint64(it.FirstSeen.Unix()))
			if err := seen.Put([]byte(it.Key), ts[:]); err != nil {
				return err
			}
			added = append(added, it)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: upsert items: %w", err)
	}
	return added, nil
}

// freeID shortens id to 8 characters unless another item already has that
// prefix; then the full id (and, in the astronomically unlikely case that is
// taken too, a numbered suffix) keeps it unique.
func freeID(ids *bolt.Bucket, id string) string {
	if len(id) > shortIDLen && ids.Get([]byte(id[:shortIDLen])) == nil {
		return id[:shortIDLen]
	}
	if ids.Get([]byte(id)) == nil {
		return id
	}
	for n := 2; ; n++ {
		c := fmt.Sprintf("%s%d", id, n)
		if ids.Get([]byte(c)) == nil {
			return c
		}
	}
}

// putItem writes the item and its index entries; old is the previous
// version's time key when replacing.
func putItem(tx *bolt.Tx, it *news.Item, old []byte) error {
	v, err := encode(it)
	if err != nil {
		return err
	}
	k := timeKey(it.Published, it.ID)
	if old != nil && !bytes.Equal(old, k) {
		if err := tx.Bucket(bItems).Delete(old); err != nil {
			return err
		}
	}
	if err := tx.Bucket(bItems).Put(k, v); err != nil {
		return err
	}
	if err := tx.Bucket(bIDs).Put([]byte(it.ID), k); err != nil {
		return err
	}
	if err := tx.Bucket(bKeys).Put([]byte(it.Key), []byte(it.ID)); err != nil {
		return err
	}
	if it.URL != "" {
		return tx.Bucket(bURLs).Put([]byte(it.URL), []byte(it.ID))
	}
	return nil
}

// Query selects items. Zero fields do not filter.
type Query struct {
	Since, Until time.Time // Since inclusive, Until exclusive, by published time
	Feed         string    // case-insensitive feed name
	Label        news.Label
	Limit        int  // at most this many, newest first; 0 = all
	Oldest       bool // oldest first instead of newest first
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
	return s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bItems).Cursor()
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
				k, v = c.Seek(hi)
				if k == nil {
					k, v = c.Last()
				} else {
					k, v = c.Prev()
				}
			} else {
				k, v = c.Last()
			}
		}
		for ; k != nil; k, v = next() {
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
			var it news.Item
			if err := decode(v, &it); err != nil {
				return err
			}
			if q.Feed != "" && !strings.EqualFold(it.Feed, q.Feed) {
				continue
			}
			if q.Label != "" && it.Effective() != q.Label {
				continue
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
	err := s.db.View(func(tx *bolt.Tx) error {
		k, err := lookup(tx, ref)
		if err != nil {
			return err
		}
		return decode(tx.Bucket(bItems).Get(k), &it)
	})
	return it, err
}

func lookup(tx *bolt.Tx, ref string) ([]byte, error) {
	ref = strings.TrimSpace(ref)
	id := tx.Bucket(bURLs).Get([]byte(ref))
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
	err := s.db.Update(func(tx *bolt.Tx) error {
		k, err := lookup(tx, ref)
		if err != nil {
			return err
		}
		if err := decode(tx.Bucket(bItems).Get(k), &it); err != nil {
			return err
		}
		if err := fn(&it); err != nil {
			return err
		}
		return putItem(tx, &it, k)
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
		err := s.db.Update(func(tx *bolt.Tx) error {
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
				if !fn(&it) {
					continue
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
	err := s.db.Update(func(tx *bolt.Tx) error {
		items := tx.Bucket(bItems)
		hi := timeKey(cutoff, "")
		var doomed []news.Item
		c := items.Cursor()
		for k, v := c.First(); k != nil && bytes.Compare(k, hi) < 0; k, v = c.Next() {
			var it news.Item
			if err := decode(v, &it); err != nil {
				return err
			}
			if it.Tag == "" && !it.Picked {
				doomed = append(doomed, it)
			}
		}
		for _, it := range doomed {
			if err := items.Delete(timeKey(it.Published, it.ID)); err != nil {
				return err
			}
			_ = tx.Bucket(bIDs).Delete([]byte(it.ID))
			_ = tx.Bucket(bKeys).Delete([]byte(it.Key))
			if it.URL != "" {
				_ = tx.Bucket(bURLs).Delete([]byte(it.URL))
			}
		}
		n = len(doomed)
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
	err := s.db.View(func(tx *bolt.Tx) error {
		n = tx.Bucket(bItems).Stats().KeyN
		return nil
	})
	return n, err
}

// Seen reports whether a canonical key was ever stored.
func (s *Store) Seen(key string) (bool, error) {
	var ok bool
	err := s.db.View(func(tx *bolt.Tx) error {
		ok = tx.Bucket(bSeen).Get([]byte(key)) != nil
		return nil
	})
	return ok, err
}
