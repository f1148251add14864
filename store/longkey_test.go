package store

import (
	"strings"
	"testing"
	"time"

	"github.com/triagebot/triagebot/news"
	bolt "go.etcd.io/bbolt"
)

// A hostile feed can carry an entry whose GUID or link is longer than
// bbolt's largest key (the feed's key and URL come from them unshortened).
// Put as an index key, it failed the whole poll: every later poll of the
// feed failed the same way, so none of its items were ever stored and its
// state never saved. The poll must store the feed's items, the long one
// included, and know each of them again at the next poll.
func TestItemsWithKeysPastBoltsLimitAreStoredOnce(t *testing.T) {
	long := strings.Repeat("x", bolt.MaxKeySize+1)
	cases := []struct {
		name string
		bad  func(it *news.Item)
	}{
		{"long URL", func(it *news.Item) { it.URL = "https://e.com/" + long }},
		{"long key", func(it *news.Item) { it.Key = "guid:f:" + long }},
		{"long key and URL", func(it *news.Item) { it.Key, it.URL = "url:https://e.com/"+long, "https://e.com/"+long }},
		{"long legacy key", func(it *news.Item) { it.LegacyKey = "guid:f:" + long }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := open(t, t.TempDir())
			defer s.Close()
			bad := item(2, "f", t0)
			c.bad(&bad)
			poll := []news.Item{item(1, "f", t0), bad, item(3, "f", t0)}
			added, err := s.RecordPoll("", poll, nil)
			if err != nil {
				t.Fatalf("poll with a long key: %v", err)
			}
			if len(added) != 3 {
				t.Errorf("added %d of 3", len(added))
			}
			// Again, and the long one twice in one poll.
			again, err := s.RecordPoll("", append(poll, bad), nil)
			if err != nil || len(again) != 0 {
				t.Errorf("the same poll again added %d (%v)", len(again), err)
			}
			if n, err := s.Count(); err != nil || n != 3 {
				t.Errorf("store holds %d items (%v), want 3", n, err)
			}
			// Retention deletes them, index entries and all, and keeps
			// them seen.
			if n, err := s.Prune(t0.Add(time.Hour)); err != nil || n != 3 {
				t.Errorf("prune: %d (%v), want 3", n, err)
			}
			if again, err := s.RecordPoll("", poll, nil); err != nil || len(again) != 0 {
				t.Errorf("after prune the poll added %d (%v)", len(again), err)
			}
			if got := dumpIndexes(t, s); len(got) != 3 {
				t.Errorf("after prune: %q, want only the 3 seen entries", got)
			}
		})
	}
}
