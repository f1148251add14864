package store

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/triagebot/triagebot/news"
	bolt "go.etcd.io/bbolt"
)

// TestGroupCommitStoresWhatPollsOneByOneStore runs two polls in one group
// commit, where the second's lookups must see the first's index entries
// before they are put (they wait for the end of the group, to go in in key
// order), and compares every index and item with the same two polls
// committed one after the other.
func TestGroupCommitStoresWhatPollsOneByOneStore(t *testing.T) {
	a := item(1, "a", t0)
	sameKey := item(2, "b", t0.Add(time.Hour))
	sameKey.Key = a.Key
	samePrefix := item(3, "b", t0.Add(2*time.Hour))
	samePrefix.ID = a.ID[:shortIDLen] + "ff"
	sameURL := item(4, "b", t0.Add(3*time.Hour))
	sameURL.URL = a.URL
	legacy := a
	legacy.Key = "guid:" + a.URL
	legacy.LegacyKey = a.Key
	legacy.ID = "0123456789"
	cases := []struct {
		name       string
		first, sec []news.Item
		wantAdded  int
	}{
		{"disjoint", []news.Item{a}, []news.Item{item(5, "b", t0)}, 2},
		{"the second has the first's key", []news.Item{a}, []news.Item{sameKey}, 1},
		{"one poll has a key twice", []news.Item{a, sameKey}, []news.Item{item(5, "b", t0)}, 2},
		{"the second's id shares the first's prefix", []news.Item{a}, []news.Item{samePrefix}, 2},
		{"both have one URL", []news.Item{a}, []news.Item{sameURL}, 2},
		{"the second has the first under a new key rule", []news.Item{a, item(6, "a", t0)}, []news.Item{legacy, item(7, "b", t0)}, 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			one := open(t, t.TempDir())
			defer one.Close()
			var wantAdded [][]news.Item
			for _, poll := range [][]news.Item{c.first, c.sec} {
				added, err := one.RecordPoll("", poll, nil)
				if err != nil {
					t.Fatal(err)
				}
				wantAdded = append(wantAdded, added)
			}
			grouped := open(t, t.TempDir())
			defer grouped.Close()
			fa, addedA, err := recordPoll("", c.first, nil)
			if err != nil {
				t.Fatal(err)
			}
			fb, addedB, err := recordPoll("", c.sec, nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := grouped.update(func(tx *bolt.Tx) error {
				return runGroup(tx, []writeReq{{fn: fa}, {fn: fb}})
			}); err != nil {
				t.Fatal(err)
			}
			if n := len(wantAdded[0]) + len(wantAdded[1]); n != c.wantAdded {
				t.Errorf("one by one added %d items, want %d", n, c.wantAdded)
			}
			for i, got := range [][]news.Item{*addedA, *addedB} {
				if fmt.Sprint(got) != fmt.Sprint(wantAdded[i]) {
					t.Errorf("poll %d added\n%v\none by one\n%v", i+1, got, wantAdded[i])
				}
			}
			want, got := dumpIndexes(t, one), dumpIndexes(t, grouped)
			if !slices.Equal(got, want) {
				t.Errorf("grouped store\n%q\none by one\n%q", got, want)
			}
			if rep, err := grouped.Check(); err != nil || len(rep.Problems) > 0 {
				t.Errorf("check: %v %v", rep.Problems, err)
			}
		})
	}
}

// dumpIndexes lists every key and value of the items and index buckets.
func dumpIndexes(t *testing.T, s *Store) []string {
	t.Helper()
	var out []string
	err := s.view(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bItems, bPub, bIDs, bURLs, bSeen, bMarked} {
			if err := tx.Bucket(name).ForEach(func(k, v []byte) error {
				out = append(out, fmt.Sprintf("%s %x %s", name, k, v))
				return nil
			}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
