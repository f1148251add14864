package store

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/triagebot/triagebot/news"
	bolt "go.etcd.io/bbolt"
)

// FeedRecord is a feed's definition plus its poll state.
type FeedRecord = news.FeedRecord

// SyncFeeds makes the stored feeds match config.yaml: config feeds are
// added or updated (state kept), config feeds no longer in the file are
// dropped, feeds added at run time stay, and a config feed removed at run
// time stays removed.
//
// Every command that opens the store for writing calls it, and config
// rarely changes between two: a config already in step is found in a read
// transaction, and nothing is written (a write transaction re-encoded
// every feed and paid a commit with fsync on each open).
func (s *Store) SyncFeeds(cfg []news.Feed) error {
	if !s.readOnly {
		var changes bool
		err := s.view(func(tx *bolt.Tx) error {
			var err error
			changes, err = syncFeeds(tx.Bucket(bFeeds), cfg, false)
			return err
		})
		if err != nil || !changes {
			return err
		}
	}
	return s.update(func(tx *bolt.Tx) error {
		_, err := syncFeeds(tx.Bucket(bFeeds), cfg, true)
		return err
	})
}

// syncFeeds brings the feeds bucket in step with the config (see
// SyncFeeds) and reports whether anything had to change. With write
// false it only looks, in a read transaction, and stops at the first
// change: one rule for "in step", whether it is checked or applied.
func syncFeeds(b *bolt.Bucket, cfg []news.Feed, write bool) (changed bool, err error) {
	inConfig := map[string]bool{}
	for _, f := range cfg {
		k := normName(f.Name)
		inConfig[string(k)] = true
		var rec FeedRecord // decoded fresh: a field the JSON omits is zero, not f's
		if raw := b.Get(k); raw != nil {
			if err := decode(raw, &rec); err != nil {
				return false, err
			}
			if rec.State.Removed || rec.Feed == f && rec.State.FromConfig {
				continue // removed at run time, or stored as given
			}
		}
		rec.Feed, rec.State.FromConfig = f, true
		if !write {
			return true, nil
		}
		changed = true
		if err := putFeed(b, rec); err != nil {
			return false, err
		}
	}
	var stale [][]byte
	err = b.ForEach(func(k, v []byte) error {
		if inConfig[string(k)] {
			return nil // stays; decoded in the loop above
		}
		var rec FeedRecord
		if err := decode(v, &rec); err != nil {
			return err
		}
		if rec.State.FromConfig && !inConfig[string(k)] {
			stale = append(stale, append([]byte(nil), k...))
		}
		return nil
	})
	if err != nil || len(stale) == 0 || !write {
		return changed || len(stale) > 0, err
	}
	for _, k := range stale {
		if err := b.Delete(k); err != nil {
			return false, err
		}
	}
	return true, nil
}

func putFeed(b *bolt.Bucket, rec FeedRecord) error {
	v, err := encode(rec)
	if err != nil {
		return err
	}
	return b.Put(normName(rec.Name), v)
}

// Feeds lists feeds (removed ones only when withRemoved) sorted by name.
func (s *Store) Feeds(withRemoved bool) ([]FeedRecord, error) {
	var out []FeedRecord
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bFeeds).ForEach(func(_, v []byte) error {
			var rec FeedRecord
			if err := decode(v, &rec); err != nil {
				return err
			}
			if !rec.State.Removed || withRemoved {
				out = append(out, rec)
			}
			return nil
		})
	})
	sort.Slice(out, func(i, j int) bool { return strings.ToLower(out[i].Name) < strings.ToLower(out[j].Name) })
	return out, err
}

// Feed returns one feed by name (case-insensitive).
func (s *Store) Feed(name string) (FeedRecord, error) {
	var rec FeedRecord
	err := s.view(func(tx *bolt.Tx) error {
		raw := tx.Bucket(bFeeds).Get(normName(name))
		if raw == nil {
			return fmt.Errorf("%w: feed %q (see `triagebot feeds list`)", ErrNotFound, name)
		}
		if err := decode(raw, &rec); err != nil {
			return err
		}
		if rec.State.Removed {
			return fmt.Errorf("%w: feed %q was removed", ErrNotFound, name)
		}
		return nil
	})
	return rec, err
}

// AddFeed stores a new feed added at run time. Re-adding a removed config
// feed brings it back.
func (s *Store) AddFeed(f news.Feed) error {
	return s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bFeeds)
		rec := FeedRecord{Feed: f}
		if raw := b.Get(normName(f.Name)); raw != nil {
			var old FeedRecord
			if err := decode(raw, &old); err != nil {
				return err
			}
			if !old.State.Removed {
				return fmt.Errorf("%w: %q", ErrFeedExists, f.Name)
			}
			rec.State.FromConfig = old.State.FromConfig
		}
		return putFeed(b, rec)
	})
}

// RemoveFeed removes a feed; its items stay. A feed from config.yaml is
// remembered as removed so it does not return at the next start. It
// reports whether the feed came from config.yaml.
func (s *Store) RemoveFeed(name string) (fromConfig bool, err error) {
	err = s.UpdateFeed(name, func(rec *FeedRecord) error {
		fromConfig = rec.State.FromConfig
		rec.State = news.FeedState{FromConfig: fromConfig, Removed: true}
		return nil
	})
	if err != nil || fromConfig {
		return fromConfig, err
	}
	return false, s.update(func(tx *bolt.Tx) error { return tx.Bucket(bFeeds).Delete(normName(name)) })
}

// EnableFeed re-enables a disabled feed and makes it due now.
func (s *Store) EnableFeed(name string) error {
	return s.UpdateFeed(name, func(rec *FeedRecord) error {
		rec.State.Disabled, rec.State.DisabledWhy, rec.State.DisabledAt = false, "", time.Time{}
		rec.State.Failures, rec.State.LastError = 0, ""
		rec.State.NextCheck = time.Time{}
		return nil
	})
}

// UpdateFeed changes one feed in a transaction.
func (s *Store) UpdateFeed(name string, fn func(*FeedRecord) error) error {
	return s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bFeeds)
		raw := b.Get(normName(name))
		if raw == nil {
			return fmt.Errorf("%w: feed %q (see `triagebot feeds list`)", ErrNotFound, name)
		}
		var rec FeedRecord
		if err := decode(raw, &rec); err != nil {
			return err
		}
		if rec.State.Removed {
			return fmt.Errorf("%w: feed %q was removed", ErrNotFound, name)
		}
		if err := fn(&rec); err != nil {
			return err
		}
		return putFeed(b, rec)
	})
}
