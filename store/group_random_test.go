package store

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/triagebot/triagebot/news"
	bolt "go.etcd.io/bbolt"
)

// TestGroupCommitRandomPollsMatchOneByOne drives two stores with the same
// random polls, one putting each item's index entries before the next
// item is looked at (as they came, as before the group's entries were queued and sorted) and the
// other several polls in one group, from pools small enough that polls in one group
// keep carrying the same key (an arXiv paper two listings share), ids with
// one 8-character prefix, one URL, the same item under an old key rule,
// and items an earlier round stored. Every round both stores must add the
// same items and hold the same items and index entries: a pending entry a
// later poll of the group missed would show as a duplicate or an id
// collision, one written twice or without its item as an extra entry.
func TestGroupCommitRandomPollsMatchOneByOne(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	one := open(t, t.TempDir())
	defer one.Close()
	grouped := open(t, t.TempDir())
	defer grouped.Close()
	var keys []string // every key used so far, for keys and legacy keys of later rounds
	prefixes := []string{"aaaaaaaa", "aaaaaaab", "bbbbbbbb"}
	for round := range 40 {
		roundKeys := make([]string, 4)
		for i := range roundKeys {
			roundKeys[i] = fmt.Sprintf("arxiv:r%dk%d", round, i)
		}
		unique := 0
		pickKey := func() string {
			if r.IntN(2) == 0 {
				// New to the store: many of them make a group's URL
				// index entries many with one key, whose order decides
				// which item the URL finds.
				unique++
				return fmt.Sprintf("arxiv:r%du%d", round, unique)
			}
			if len(keys) > 0 && r.IntN(4) == 0 {
				return keys[r.IntN(len(keys))]
			}
			return roundKeys[r.IntN(len(roundKeys))]
		}
		newItem := func() news.Item {
			it := news.Item{
				Key: pickKey(),
				// A full id of 8 characters is its own short id: the
				// numbered suffixes of freeID come into play.
				ID:         prefixes[r.IntN(len(prefixes))] + []string{"", "01", "02"}[r.IntN(3)],
				Title:      fmt.Sprintf("round %d", round),
				URL:        []string{"", "https://e.com/1", "https://e.com/2", fmt.Sprintf("https://e.com/r%d", round)}[r.IntN(4)],
				GUID:       []string{"", "g1", "g2"}[r.IntN(3)],
				Feed:       []string{"a", "b", "c"}[r.IntN(3)],
				SourceKind: news.KindPaper,
				Published:  t0.Add(time.Duration(r.IntN(3)) * time.Hour),
				Picked:     r.IntN(8) == 0,
			}
			if r.IntN(5) == 0 {
				it.LegacyKey = pickKey()
			}
			return it
		}
		polls := make([][]news.Item, 1+r.IntN(6))
		for i := range polls {
			for range 1 + r.IntN(20) {
				polls[i] = append(polls[i], newItem())
			}
		}
		var wantAdded []string
		for _, poll := range polls {
			var all []news.Item
			err := one.update(func(tx *bolt.Tx) error {
				for _, it := range poll {
					fn, added, err := recordPoll("", []news.Item{it}, nil)
					if err != nil {
						return err
					}
					if err := runGroup(tx, []writeReq{{fn: fn}}); err != nil {
						return err
					}
					all = append(all, *added...)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			wantAdded = append(wantAdded, fmt.Sprint(all))
		}
		group := make([]writeReq, len(polls))
		gotAdded := make([]*[]news.Item, len(polls))
		for i, poll := range polls {
			fn, added, err := recordPoll("", poll, nil)
			if err != nil {
				t.Fatal(err)
			}
			group[i], gotAdded[i] = writeReq{fn: fn}, added
		}
		if err := grouped.update(func(tx *bolt.Tx) error { return runGroup(tx, group) }); err != nil {
			t.Fatal(err)
		}
		for i := range polls {
			if got := fmt.Sprint(*gotAdded[i]); got != wantAdded[i] {
				t.Fatalf("round %d poll %d of %d added\n%s\none by one\n%s", round, i+1, len(polls), got, wantAdded[i])
			}
		}
		if want, got := dumpIndexes(t, one), dumpIndexes(t, grouped); !slices.Equal(got, want) {
			t.Fatalf("round %d: grouped store\n%q\none by one\n%q", round, got, want)
		}
		keys = append(keys, roundKeys...)
	}
	n, err := grouped.Count()
	if err != nil || n < 100 {
		t.Errorf("the rounds stored %d items (%v): too few to have met the collisions", n, err)
	}
	for name, s := range map[string]*Store{"one by one": one, "grouped": grouped} {
		if rep, err := s.Check(); err != nil || len(rep.Problems) > 0 {
			t.Errorf("%s: check: %v %v", name, rep.Problems, err)
		}
	}
}
