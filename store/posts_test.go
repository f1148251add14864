package store

import (
	"errors"
	"testing"

	"github.com/triagebot/triagebot/news"
	bolt "go.etcd.io/bbolt"
)

// A digest and a notice in the same channel are two ledger entries, each
// found again by its own key.
func TestPostsAreKeyedByWeekOrNotice(t *testing.T) {
	s := open(t, t.TempDir())
	week := news.Post{ChannelID: "1", Week: "2026-W48", Bodies: [][]byte{[]byte(`{}`)}, MessageIDs: []string{"9"}, Done: true}
	notice := news.Post{ChannelID: "1", Notice: "feed-disabled:log:1764000000", Bodies: [][]byte{[]byte(`{}`)}, MessageIDs: []string{"8"}, Done: true}
	for _, p := range []news.Post{week, notice} {
		if err := s.PutPost(p); err != nil {
			t.Fatal(err)
		}
	}
	for key, want := range map[string]news.Post{"2026-W48": week, "feed-disabled:log:1764000000": notice} {
		got, ok, err := s.Post("1", key)
		if err != nil || !ok || got.Week != want.Week || got.Notice != want.Notice || got.MessageIDs[0] != want.MessageIDs[0] {
			t.Errorf("Post(1, %q) = %+v, %v, %v; want %+v", key, got, ok, err, want)
		}
	}
}

func TestPutPostRefusesAnEntryWithoutOneKey(t *testing.T) {
	s := open(t, t.TempDir())
	for name, p := range map[string]news.Post{
		"neither":    {ChannelID: "1"},
		"both":       {ChannelID: "1", Week: "2026-W48", Notice: "feed-disabled:x:1"},
		"no channel": {Week: "2026-W48"},
	} {
		if err := s.PutPost(p); !errors.Is(err, ErrBadPost) {
			t.Errorf("%s: PutPost = %v, want ErrBadPost", name, err)
		}
	}
}

// Entries written before Notice and InChannel existed kept a notice's key
// in week and "no thread" as thread_id "-"; they read as the new fields.
func TestOldLedgerEntriesReadWithTheirMeaning(t *testing.T) {
	s := open(t, t.TempDir())
	old := map[string]string{
		"1\x00feed-disabled:log:1764000000": `{"channel_id":"1","week":"feed-disabled:log:1764000000","bodies":["e30="],"nonces":["n"],"message_ids":["8"],"done":true}`,
		"1\x002026-W47":                     `{"channel_id":"1","week":"2026-W47","bodies":["e30=","e30="],"nonces":["a","b"],"message_ids":["5","6"],"thread_id":"-","done":true}`,
		"1\x002026-W48":                     `{"channel_id":"1","week":"2026-W48","bodies":["e30=","e30="],"nonces":["a","b"],"message_ids":["7","70"],"thread_id":"7","done":true}`,
	}
	if err := s.db.Update(func(tx *bolt.Tx) error {
		for k, v := range old {
			if err := tx.Bucket(bPosts).Put([]byte(k), []byte(v)); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	n, _, err := s.Post("1", "feed-disabled:log:1764000000")
	if err != nil || n.Notice != "feed-disabled:log:1764000000" || n.Week != "" {
		t.Errorf("old notice: week %q notice %q (%v); want it as a notice", n.Week, n.Notice, err)
	}
	w, _, err := s.Post("1", "2026-W47")
	if err != nil || !w.InChannel || w.ThreadID != "" || w.Target(1) != "1" {
		t.Errorf("old no-thread week: thread %q in channel %v, message 2 to %q (%v); want everything in channel 1", w.ThreadID, w.InChannel, w.Target(1), err)
	}
	th, _, err := s.Post("1", "2026-W48")
	if err != nil || th.InChannel || th.Target(1) != "7" || th.Target(0) != "1" {
		t.Errorf("old threaded week: in channel %v, targets %q %q (%v); want 1 then thread 7", th.InChannel, th.Target(0), th.Target(1), err)
	}
	// /status's count: two weeks posted; the notice is no digest.
	if got, err := s.DigestsPosted(); err != nil || got != 2 {
		t.Errorf("DigestsPosted = %d, %v; want 2 (the notice is not a digest)", got, err)
	}
	// An empty week is done with nothing sent: not a digest posted either.
	if err := s.PutPost(news.Post{ChannelID: "2", Week: "2026-W48", InChannel: true, Done: true}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.DigestsPosted(); got != 2 {
		t.Errorf("DigestsPosted = %d after an empty week; want 2", got)
	}
}
