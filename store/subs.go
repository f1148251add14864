package store

import (
	"errors"
	"fmt"
	"sort"

	"github.com/triagebot/triagebot/news"
	bolt "go.etcd.io/bbolt"
)

var (
	bSubs  = []byte("subscriptions") // channel id → news.Subscription
	bPosts = []byte("posts")         // channel id + "\x00" + week or notice key → news.Post
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

// postKey is the ledger's key: channel id, NUL, and the post's Key (a
// week or a notice's key), so a channel's posts sit together.
func postKey(channelID, key string) []byte { return []byte(channelID + "\x00" + key) }

// Post returns the ledger entry for a channel and key, a week or a
// notice's key (ok false: none).
func (s *Store) Post(channelID, key string) (p news.Post, ok bool, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		raw := tx.Bucket(bPosts).Get(postKey(channelID, key))
		if raw == nil {
			return nil
		}
		ok = true
		if err := decode(raw, &p); err != nil {
			return err
		}
		upgradePost(&p)
		return nil
	})
	return p, ok, err
}

// upgradePost reads an entry written before Notice and InChannel existed:
// a notice's key was kept in Week, and ThreadID "-" meant no thread. The
// bbolt key did not change, so only the value needs reading anew.
func upgradePost(p *news.Post) {
	if p.Notice == "" && p.Week != "" && !isISOWeek(p.Week) {
		p.Notice, p.Week = p.Week, ""
	}
	if p.ThreadID == "-" {
		p.ThreadID, p.InChannel = "", true
	}
}

// isISOWeek matches "2026-W48", the only shape a digest's week has.
func isISOWeek(s string) bool {
	if len(s) != 8 || s[4] != '-' || s[5] != 'W' {
		return false
	}
	for _, i := range []int{0, 1, 2, 3, 6, 7} {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ErrBadPost marks a ledger entry that could not be found again: it needs
// exactly one of a week and a notice key, and a channel.
var ErrBadPost = errors.New("store: a post needs a channel and exactly one of week and notice")

// PutPost writes a ledger entry. Each call is its own committed
// transaction: the poster records before and after every message.
func (s *Store) PutPost(p news.Post) error {
	if p.ChannelID == "" || (p.Week == "") == (p.Notice == "") {
		return fmt.Errorf("%w (channel %q, week %q, notice %q)", ErrBadPost, p.ChannelID, p.Week, p.Notice)
	}
	return s.update(func(tx *bolt.Tx) error {
		v, err := encode(p)
		if err != nil {
			return err
		}
		return tx.Bucket(bPosts).Put(postKey(p.ChannelID, p.Key()), v)
	})
}

// DigestsPosted counts the channel-weeks whose digest was sent in full,
// for /status: notices and weeks with nothing to post are not digests.
func (s *Store) DigestsPosted() (int, error) {
	n := 0
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bPosts).ForEach(func(_, v []byte) error {
			var p news.Post
			if err := decode(v, &p); err != nil {
				return err
			}
			upgradePost(&p)
			if p.Done && p.Week != "" && len(p.Bodies) > 0 {
				n++
			}
			return nil
		})
	})
	return n, err
}
