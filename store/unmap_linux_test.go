package store

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/triagebot/triagebot/news"
	bolt "go.etcd.io/bbolt"
)

// rssFile is this process's resident file-backed memory, in bytes.
func rssFile(t *testing.T) int64 {
	t.Helper()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skip("no /proc/self/status:", err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "RssFile:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb << 10
		}
	}
	t.Skip("no RssFile in /proc/self/status")
	return 0
}

// A write unmaps the file pages earlier reads mapped in, so the RSS does
// not keep every page the process ever read, and the data reads the same
// afterwards.
func TestWriteDropsMappedFilePages(t *testing.T) {
	s := open(t, t.TempDir())
	defer s.Close()
	s.mappedBudget = 0 // this small file would stay under the real budget
	summary := strings.Repeat("a summary long enough to fill pages ", 28)
	for b := range 8 {
		var batch []news.Item
		for i := range 500 {
			it := item(b*500+i, "a", t0.Add(time.Duration(i)*time.Minute))
			it.Summary = summary
			batch = append(batch, it)
		}
		if _, err := s.RecordPoll("", batch, nil); err != nil {
			t.Fatal(err)
		}
	}
	var size int64
	read := func() int {
		n := 0
		err := s.view(func(tx *bolt.Tx) error {
			size = tx.Size()
			return tx.Bucket(bItems).ForEach(func(_, v []byte) error {
				n += int(v[len(v)/2]) & 1 // touch every value's page
				n++
				return nil
			})
		})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	read()
	mapped := rssFile(t)
	if _, err := s.RecordPoll("", []news.Item{item(99999, "b", t0)}, nil); err != nil {
		t.Fatal(err)
	}
	after := rssFile(t)
	if size < 4<<20 || mapped-after < size/2 {
		t.Errorf("file of %d bytes read in full: RssFile %d before a write, %d after; want a drop of at least half the file", size, mapped, after)
	}
	before := read()
	if n, _ := s.Count(); n != 4001 {
		t.Errorf("%d items after the drop, want 4001 (%d walked)", n, before)
	}
}

// A read that walks many items unmaps what it has read as it goes, so a
// digest of a big store does not keep the whole file in its RSS.
func TestWalkDropsMappedFilePages(t *testing.T) {
	s := open(t, t.TempDir())
	defer s.Close()
	summary := strings.Repeat("a summary long enough to fill pages ", 28)
	const n = 24 * dropEvery
	for b := range n / 1000 {
		var batch []news.Item
		for i := range 1000 {
			it := item(b*1000+i, "a", t0.Add(time.Duration(b*1000+i)*time.Minute))
			it.Summary = summary
			batch = append(batch, it)
		}
		if _, err := s.RecordPoll("", batch, nil); err != nil {
			t.Fatal(err)
		}
	}
	walk := func(budget int64) (walked int, mapped int64) {
		s.readBudget = budget
		err := s.WalkItems(Query{Oldest: true}, func(news.Item) bool { walked++; return true })
		if err != nil {
			t.Fatal(err)
		}
		return walked, rssFile(t)
	}
	unmapAll := func() {
		if err := s.view(func(tx *bolt.Tx) error { dropMapped(s.db, tx, 0); return nil }); err != nil {
			t.Fatal(err)
		}
	}
	unmapAll()
	kept, keptRSS := walk(1 << 62) // no drop: what the walk maps stays
	unmapAll()
	dropped, droppedRSS := walk(0)
	if kept != n-n%1000 || dropped != kept {
		t.Fatalf("walked %d and %d items, want %d", kept, dropped, n-n%1000)
	}
	// Item pages alone are ~12 MB here; the walk without drops keeps them.
	if keptRSS-droppedRSS < 4<<20 {
		t.Errorf("RssFile after a full walk: %d without drops, %d with; want at least 4 MiB less", keptRSS, droppedRSS)
	}
}
