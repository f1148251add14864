package store

import (
	"strings"
	"testing"

	"github.com/triagebot/triagebot/news"
	bolt "go.etcd.io/bbolt"
)

// SyncFeeds' stale-feed pass skips the records of feeds the config names:
// the first pass has read each of them already. A record it cannot read
// is still an error wherever it is, named in the config or not, and
// whether the config is in step or not, as when every record was read in
// both passes.
func TestSyncFeedsSkipsOnlyRecordsItHasRead(t *testing.T) {
	cfg := []news.Feed{{Name: "A", URL: "https://a/", Kind: news.KindNews}, {Name: "B", URL: "https://b/", Kind: news.KindBlog}}
	cases := []struct {
		name    string
		corrupt string // the stored record made unreadable
		cfg     []news.Feed
	}{
		{"config feed, config in step", "a", cfg},
		{"config feed, config changed", "a", []news.Feed{{Name: "A", URL: "https://a2/", Kind: news.KindNews}, cfg[1]}},
		{"run-time feed, config in step", "user", cfg},
		{"run-time feed, config changed", "user", []news.Feed{{Name: "A", URL: "https://a2/", Kind: news.KindNews}, cfg[1]}},
		{"config feed dropped from the file", "b", cfg[:1]},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := open(t, t.TempDir())
			defer s.Close()
			if err := s.SyncFeeds(cfg); err != nil {
				t.Fatal(err)
			}
			if err := s.AddFeed(news.Feed{Name: "User", URL: "https://u/", Kind: news.KindNews}); err != nil {
				t.Fatal(err)
			}
			if err := s.update(func(tx *bolt.Tx) error {
				return tx.Bucket(bFeeds).Put(normName(c.corrupt), []byte(`{"name":`))
			}); err != nil {
				t.Fatal(err)
			}
			if err := s.SyncFeeds(c.cfg); err == nil || !strings.Contains(err.Error(), "decode") {
				t.Errorf("SyncFeeds over an unreadable record: %v, want a decode error", err)
			}
		})
	}
	// In step, with a feed added at run time and one removed: nothing
	// changes, and a dropped config feed still goes.
	s := open(t, t.TempDir())
	defer s.Close()
	if err := s.SyncFeeds(cfg); err != nil {
		t.Fatal(err)
	}
	if err := s.AddFeed(news.Feed{Name: "User", URL: "https://u/", Kind: news.KindNews}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RemoveFeed("b"); err != nil {
		t.Fatal(err)
	}
	for _, step := range [][]news.Feed{cfg, cfg[:1]} {
		if err := s.SyncFeeds(step); err != nil {
			t.Fatal(err)
		}
	}
	recs, err := s.Feeds(true)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range recs {
		names = append(names, r.Name)
	}
	if strings.Join(names, ",") != "A,User" {
		t.Errorf("feeds %v, want A,User (B dropped from the file)", names)
	}
}
