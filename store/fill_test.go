package store

import (
	"strings"
	"testing"
	"time"

	"github.com/triagebot/triagebot/news"
	bolt "go.etcd.io/bbolt"
)

// A poll appends items in sequence order, so their pages fill up instead
// of being split at bbolt's default half page: three ~1.1 KB items to a
// 4 KB page, not two.
func TestAppendedItemsFillTheirPages(t *testing.T) {
	s := open(t, t.TempDir())
	defer s.Close()
	summary := strings.Repeat("x", 900)
	const n = 600
	for b := range 6 {
		var batch []news.Item
		for i := range n / 6 {
			it := item(b*100+i, "a", t0.Add(time.Duration(i)*time.Minute))
			it.Summary = summary
			batch = append(batch, it)
		}
		if _, err := s.RecordPoll("", batch, nil); err != nil {
			t.Fatal(err)
		}
	}
	err := s.view(func(tx *bolt.Tx) error {
		st := tx.Bucket(bItems).Stats()
		if st.KeyN != n || st.LeafPageN > n/3+1 {
			t.Errorf("%d items on %d leaf pages, want at most %d pages", st.KeyN, st.LeafPageN, n/3+1)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
