package store

import (
	"testing"

	"github.com/triagebot/triagebot/news"
	bolt "go.etcd.io/bbolt"
)

// setSchema rewinds a store's recorded layout, as a file written by an
// older release would have it.
func setSchema(t *testing.T, s *Store, v string) {
	t.Helper()
	if err := s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bMeta).Put([]byte("schema_version"), []byte(v)) }); err != nil {
		t.Fatal(err)
	}
}

func TestSchema1StoreForgetsValidatorsOnce(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir)
	if err := s.SyncFeeds([]news.Feed{{Name: "log", URL: "https://e.com/log", Kind: news.KindBlog}, {Name: "other", URL: "https://e.com/o", Kind: news.KindNews}}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"log", "other"} {
		if err := s.UpdateFeed(name, func(r *FeedRecord) error {
			r.State.ETag, r.State.LastModified, r.State.LastNew, r.State.LastSuccess = `"v1"`, "Mon, 02 Nov 2026 00:00:00 GMT", 7, t0
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	setSchema(t, s, "1")
	closeStore(t, s)

	s = open(t, dir)
	recs, err := s.Feeds(false)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if r.State.ETag != "" || r.State.LastModified != "" {
			t.Errorf("%s: validators kept after migration: %+v", r.Name, r.State)
		}
		if r.State.LastNew != 7 || !r.State.LastSuccess.Equal(t0) || !r.State.FromConfig {
			t.Errorf("%s: migration touched other state: %+v", r.Name, r.State)
		}
	}
	// Once: validators saved after the migration survive the next open.
	if err := s.UpdateFeed("log", func(r *FeedRecord) error { r.State.ETag = `"v2"`; return nil }); err != nil {
		t.Fatal(err)
	}
	closeStore(t, s)
	s = open(t, dir)
	defer s.Close()
	if r, _ := s.Feed("log"); r.State.ETag != `"v2"` {
		t.Errorf("validators cleared again on a current store: %+v", r.State)
	}
}

func TestItemUnderLegacyKeyIsAdoptedNotDuplicated(t *testing.T) {
	s := open(t, t.TempDir())
	defer s.Close()
	const old = "url:https://e.com/changelog"
	release := func(v string) news.Item {
		return news.Item{ID: "id" + v + "xxxxxxxx", Key: old + "#" + v + "#" + v, LegacyKey: old, GUID: "https://e.com/changelog#" + v + "#" + v,
			URL: "https://e.com/changelog#" + v, Title: v, Feed: "log", Published: t0}
	}
	// Schema 1 kept the first release under the fragment-less key.
	kept := release("3")
	kept.Key, kept.LegacyKey = old, ""
	if added, err := s.UpsertItems([]news.Item{kept}); err != nil || len(added) != 1 {
		t.Fatalf("seed: %v %v", added, err)
	}
	added, err := s.UpsertItems([]news.Item{release("3"), release("2"), release("1")})
	if err != nil {
		t.Fatal(err)
	}
	if len(added) != 2 || added[0].Title != "2" || added[1].Title != "1" {
		t.Fatalf("added %+v, want releases 2 and 1 only", added)
	}
	if n, _ := s.Count(); n != 3 {
		t.Errorf("%d items stored, want 3", n)
	}
	got, err := s.Item(release("3").Key)
	if err != nil || got.ID != shortID(kept.ID) || got.Key != release("3").Key {
		t.Errorf("the kept release is not found under its new key: %+v %v", got, err)
	}
	// Polled again, nothing is new.
	if again, _ := s.UpsertItems([]news.Item{release("3"), release("2"), release("1")}); len(again) != 0 {
		t.Errorf("re-poll added %d", len(again))
	}
}

func TestLegacyKeyOfAPrunedItemCountsAsSeen(t *testing.T) {
	s := open(t, t.TempDir())
	defer s.Close()
	old := item(1, "a", t0.AddDate(-2, 0, 0))
	if _, err := s.UpsertItems([]news.Item{old}); err != nil {
		t.Fatal(err)
	}
	if n, err := s.Prune(t0); err != nil || n != 1 {
		t.Fatalf("prune: %d %v", n, err)
	}
	again := old
	again.Key, again.LegacyKey, again.ID = old.Key+"#frag", old.Key, "zzzzzzzzzz"
	if added, _ := s.UpsertItems([]news.Item{again}); len(added) != 0 {
		t.Errorf("a pruned item came back under its new key: %+v", added)
	}
}
