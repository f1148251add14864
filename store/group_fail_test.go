package store

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/triagebot/triagebot/news"
	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// A poll whose index entries cannot be put (a key longer than bbolt's
// limit) fails when the group's queued entries are
// put, after every poll of the group has run. The group must roll back
// whole (no item without its index entries, no entry without its item),
// and the writer's one-at-a-time retry must store every other poll of
// the group, each item once, even where the polls share items.
func TestGroupWithAFailingPollKeepsTheOthers(t *testing.T) {
	long := strings.Repeat("x", bolt.MaxKeySize+1)
	// Ids come from a hash and are short, but an id whose 8-character
	// prefix is taken is stored whole: a long one fails the id and time
	// indexes when the group's entries are put.
	cases := []struct {
		name string
		bad  func(it *news.Item, prefixOf news.Item)
	}{
		{"id too long for the id and time indexes", func(it *news.Item, other news.Item) { it.ID = other.ID[:shortIDLen] + long }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// Sixteen feeds; all carry one shared paper, and each has four
			// of its own. Feed 5 also carries the hostile item.
			shared := item(999, "shared", t0)
			polls := make([][]news.Item, 16)
			for f := range polls {
				polls[f] = []news.Item{shared}
				for n := range 4 {
					polls[f] = append(polls[f], item(f*10+n, fmt.Sprint("f", f), t0))
				}
			}
			const badPoll = 5
			bad := item(500, "bad", t0)
			c.bad(&bad, polls[badPoll][1])
			polls[badPoll] = append(polls[badPoll], bad)

			// In one transaction: the group fails and leaves nothing.
			s := open(t, t.TempDir())
			defer s.Close()
			group := make([]writeReq, len(polls))
			for i, p := range polls {
				fn, _, err := recordPoll("", p, nil)
				if err != nil {
					t.Fatal(err)
				}
				group[i] = writeReq{fn: fn}
			}
			err := s.update(func(tx *bolt.Tx) error { return runGroup(tx, group) })
			if !errors.Is(err, berrors.ErrKeyTooLarge) {
				t.Fatalf("group with a hostile poll: %v, want %v", err, berrors.ErrKeyTooLarge)
			}
			if got := dumpIndexes(t, s); len(got) != 0 {
				t.Fatalf("a failed group left %d entries: %q", len(got), got[:min(len(got), 5)])
			}

			// Through the writer, all at once, so they share groups.
			errs := make([]error, len(polls))
			added := make([][]news.Item, len(polls))
			var wg sync.WaitGroup
			for i, p := range polls {
				wg.Add(1)
				go func() {
					defer wg.Done()
					added[i], errs[i] = s.RecordPoll("", p, nil)
				}()
			}
			wg.Wait()
			total := 0
			for i := range polls {
				if i == badPoll {
					if !errors.Is(errs[i], berrors.ErrKeyTooLarge) {
						t.Errorf("hostile poll: %v, want %v", errs[i], berrors.ErrKeyTooLarge)
					}
					continue
				}
				if errs[i] != nil {
					t.Errorf("poll %d failed with the hostile one: %v", i, errs[i])
				}
				total += len(added[i])
			}
			// Fifteen feeds' own items and the shared paper once.
			if want := 15*4 + 1; total != want {
				t.Errorf("polls added %d items, want %d", total, want)
			}
			if n, err := s.Count(); err != nil || n != total {
				t.Errorf("store holds %d items (%v), polls reported %d", n, err, total)
			}
			if rep, err := s.Check(); err != nil || len(rep.Problems) > 0 {
				t.Errorf("check: %v %v", rep.Problems, err)
			}
			for i, p := range polls {
				if i == badPoll {
					continue
				}
				if again, err := s.RecordPoll("", p, nil); err != nil || len(again) != 0 {
					t.Errorf("poll %d again added %d (%v)", i, len(again), err)
				}
			}
		})
	}
}
