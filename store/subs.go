package store

import (
	"fmt"
	"sort"

	"github.com/triagebot/triagebot/news"
	bolt "go.etcd.io/bbolt"
)

var (
	bSubs  = []byte("subscriptions") // channel id → news.Subscription
	bPosts = []byte("posts")         // channel id + "\x00" + week → news.Post
)

// PutSubscription creates or replaces a channel's subscription.
func (s *Store) PutSubscription(sub news.Subscription) error {
	return s.update(func(tx *bolt.Tx) error {
		v, err := encode(sub)
		if err != nil {
			return err
		}
		return tx.Bucket(bSubs).Put([]byte(sub.ChannelID), v)
	})
}

// DeleteSubscription removes a channel's subscription; ErrNotFound when
// there was none.
func (s *Store) DeleteSubscription(channelID string) error {
	return s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bSubs)
		if b.Get([]byte(channelID)) == nil {
			return fmt.Errorf("%w: this channel is not subscribed", ErrNotFound)
		}
		return b.Delete([]byte(channelID))
	})
}

// Subscriptions lists every subscription by channel id.
func (s *Store) Subscriptions() ([]news.Subscription, error) {
	var out []news.Subscription
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bSubs).ForEach(func(_, v []byte) error {
			var sub news.Subscription
			if err := decode(v, &sub); err != nil {
				return err
			}
			out = append(out, sub)
			return nil
		})
	})
	sort.Slice(out, func(i, j int) bool { return out[i].ChannelID < out[j].ChannelID })
	return out, err
}

func postKey(channelID, week string) []byte { return []byte(channelID + "\x00" + week) }

// Post returns the ledger entry for a channel and week (ok false: none).
func (s *Store) Post(channelID, week string) (p news.Post, ok bool, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		raw := tx.Bucket(bPosts).Get(postKey(channelID, week))
		if raw == nil {
			return nil
		}
		ok = true
		return decode(raw, &p)
	})
	return p, ok, err
}

// PutPost writes a ledger entry. Each call is its own committed
// transaction: the poster records before and after every message.
func (s *Store) PutPost(p news.Post) error {
	return s.update(func(tx *bolt.Tx) error {
		v, err := encode(p)
		if err != nil {
			return err
		}
		return tx.Bucket(bPosts).Put(postKey(p.ChannelID, p.Week), v)
	})
}

// PostsDone counts finished posts, for /status and metrics.
func (s *Store) PostsDone() (int, error) {
	n := 0
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bPosts).ForEach(func(_, v []byte) error {
			var p news.Post
			if err := decode(v, &p); err != nil {
				return err
			}
			if p.Done {
				n++
			}
			return nil
		})
	})
	return n, err
}
