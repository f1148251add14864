package store

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/triagebot/triagebot/news"
	bolt "go.etcd.io/bbolt"
)

var t0 = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

func item(n int, feed string, at time.Time) news.Item {
	key := fmt.Sprintf("url:https://e.com/%s/%d", feed, n)
	return news.Item{
		ID: fmt.Sprintf("%08x%02d", n*7919, n%100), Key: key, Title: fmt.Sprintf("item %d", n),
		URL: fmt.Sprintf("https://e.com/%s/%d", feed, n), Feed: feed, Source: feed, SourceKind: news.KindNews,
		Published: at, FirstSeen: at,
	}
}

func open(t *testing.T, dir string) *Store {
	t.Helper()
	s, err := Open(dir, Options{LockTimeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// closeStore closes s and stops the test if that fails: a test that
// reopens the file must know the first handle let go of it.
func closeStore(t *testing.T, s *Store) {
	t.Helper()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestUpsertIsIdempotentAndSurvivesReopen(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir)
	var batch []news.Item
	for i := range 50 {
		batch = append(batch, item(i, "a", t0.Add(time.Duration(i)*time.Hour)))
	}
	added, err := s.UpsertItems(batch)
	if err != nil || len(added) != 50 {
		t.Fatalf("first upsert: %d added, %v", len(added), err)
	}
	again, err := s.UpsertItems(batch)
	if err != nil || len(again) != 0 {
		t.Fatalf("second upsert added %d, %v", len(again), err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = open(t, dir)
	defer s.Close()
	if n, _ := s.Count(); n != 50 {
		t.Fatalf("after reopen: %d items", n)
	}
	if added, _ := s.UpsertItems(batch); len(added) != 0 {
		t.Fatalf("after reopen the same items were added again: %d", len(added))
	}
}

func TestQueryWalksTimeRange(t *testing.T) {
	s := open(t, t.TempDir())
	defer s.Close()
	var batch []news.Item
	for i := range 30 {
		it := item(i, []string{"a", "b"}[i%2], t0.Add(time.Duration(i)*24*time.Hour))
		if i%3 == 0 {
			it.Verdict = &news.Verdict{Label: news.Research, Confidence: 0.9}
		} else {
			it.Verdict = &news.Verdict{Label: news.Product, Confidence: 0.9}
		}
		batch = append(batch, it)
	}
	if _, err := s.UpsertItems(batch); err != nil {
		t.Fatal(err)
	}
	titles := func(items []news.Item) string {
		var out []string
		for _, it := range items {
			out = append(out, strings.TrimPrefix(it.Title, "item "))
		}
		return strings.Join(out, ",")
	}
	cases := []struct {
		name string
		q    Query
		want string
	}{
		{"week newest first", Query{Since: t0, Until: t0.Add(7 * 24 * time.Hour)}, "6,5,4,3,2,1,0"},
		{"week oldest first", Query{Since: t0, Until: t0.Add(7 * 24 * time.Hour), Oldest: true}, "0,1,2,3,4,5,6"},
		{"since only, limit", Query{Since: t0.Add(20 * 24 * time.Hour), Limit: 3}, "29,28,27"},
		{"until only", Query{Until: t0.Add(2 * 24 * time.Hour)}, "1,0"},
		{"feed filter", Query{Feed: "B", Until: t0.Add(6 * 24 * time.Hour)}, "5,3,1"},
		{"label filter", Query{Label: news.Research, Until: t0.Add(10 * 24 * time.Hour)}, "9,6,3,0"},
		{"empty range", Query{Since: t0.Add(100 * 24 * time.Hour)}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.Items(tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if titles(got) != tc.want {
				t.Errorf("got %s, want %s", titles(got), tc.want)
			}
		})
	}
}

func TestLookupTagAndShortIDCollision(t *testing.T) {
	s := open(t, t.TempDir())
	defer s.Close()
	a := item(1, "a", t0)
	a.ID = "abcdefgh11"
	b := item(2, "a", t0)
	b.ID = "abcdefgh22" // same 8-character prefix
	added, err := s.UpsertItems([]news.Item{a, b})
	if err != nil {
		t.Fatal(err)
	}
	if added[0].ID != "abcdefgh" || added[1].ID != "abcdefgh22" {
		t.Fatalf("ids = %q, %q", added[0].ID, added[1].ID)
	}
	for _, ref := range []string{"abcdefgh", "ABCDEFGH", a.URL} {
		got, err := s.Item(ref)
		if err != nil || got.Key != a.Key {
			t.Errorf("Item(%q) = %q, %v", ref, got.Key, err)
		}
	}
	if _, err := s.Item("nosuchid"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown id: %v", err)
	}
	it, err := s.UpdateItem("abcdefgh22", func(it *news.Item) error { it.Tag = news.Other; return nil })
	if err != nil || it.Tag != news.Other {
		t.Fatalf("tag: %v %+v", err, it)
	}
	got, _ := s.Items(Query{Label: news.Other})
	if len(got) != 1 || got[0].ID != "abcdefgh22" {
		t.Errorf("label filter after tag: %+v", got)
	}
}

func TestPruneKeepsTaggedPickedAndSeen(t *testing.T) {
	s := open(t, t.TempDir())
	defer s.Close()
	old1, old2, old3 := item(1, "a", t0), item(2, "a", t0.Add(time.Hour)), item(3, "a", t0.Add(2*time.Hour))
	old2.Tag = news.Product
	old3.Picked = true
	fresh := item(4, "a", t0.Add(30*24*time.Hour))
	if _, err := s.UpsertItems([]news.Item{old1, old2, old3, fresh}); err != nil {
		t.Fatal(err)
	}
	n, err := s.Prune(t0.Add(7 * 24 * time.Hour))
	if err != nil || n != 1 {
		t.Fatalf("pruned %d, %v", n, err)
	}
	if _, err := s.Item(old1.URL); !errors.Is(err, ErrNotFound) {
		t.Errorf("pruned item still found: %v", err)
	}
	if added, _ := s.UpsertItems([]news.Item{old1}); len(added) != 0 {
		t.Error("a pruned item came back on the next poll")
	}
	if n, _ := s.Count(); n != 3 {
		t.Errorf("count = %d, want 3", n)
	}
}

func TestSyncFeeds(t *testing.T) {
	s := open(t, t.TempDir())
	defer s.Close()
	cfg := []news.Feed{{Name: "A", URL: "https://a/", Kind: news.KindNews}, {Name: "B", URL: "https://b/", Kind: news.KindBlog}}
	if err := s.SyncFeeds(cfg); err != nil {
		t.Fatal(err)
	}
	if err := s.AddFeed(news.Feed{Name: "User", URL: "https://u/", Kind: news.KindNews}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddFeed(news.Feed{Name: "user", URL: "https://u2/", Kind: news.KindNews}); !errors.Is(err, ErrFeedExists) {
		t.Errorf("duplicate add: %v", err)
	}
	if err := s.UpdateFeed("A", func(r *FeedRecord) error { r.State.ETag = "e1"; return nil }); err != nil {
		t.Fatal(err)
	}
	if fromCfg, err := s.RemoveFeed("b"); err != nil || !fromCfg {
		t.Fatalf("remove config feed: %v %v", fromCfg, err)
	}
	// Restart with A's URL changed: state kept, B stays removed, User stays.
	cfg[0].URL = "https://a2/"
	if err := s.SyncFeeds(cfg); err != nil {
		t.Fatal(err)
	}
	recs, _ := s.Feeds(false)
	var names []string
	for _, r := range recs {
		names = append(names, r.Name)
	}
	if strings.Join(names, ",") != "A,User" {
		t.Fatalf("feeds = %v", names)
	}
	if recs[0].URL != "https://a2/" || recs[0].State.ETag != "e1" {
		t.Errorf("A = %+v", recs[0])
	}
	// A config feed dropped from the file disappears.
	if err := s.SyncFeeds(cfg[1:]); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Feed("A"); !errors.Is(err, ErrNotFound) {
		t.Errorf("feed dropped from config still there: %v", err)
	}
	if _, err := s.RemoveFeed("User"); err != nil {
		t.Fatal(err)
	}
	if err := s.AddFeed(news.Feed{Name: "User", URL: "https://u/", Kind: news.KindNews}); err != nil {
		t.Errorf("re-add after remove: %v", err)
	}
}

func TestBackupIsAUsableStore(t *testing.T) {
	s := open(t, t.TempDir())
	defer s.Close()
	if _, err := s.UpsertItems([]news.Item{item(1, "a", t0), item(2, "a", t0)}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := s.Backup(&buf); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, FileName), buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	b := open(t, dir)
	defer b.Close()
	if n, _ := b.Count(); n != 2 {
		t.Errorf("backup has %d items", n)
	}
}

func TestNewerSchemaIsRefused(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir)
	if err := s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bMeta).Put([]byte("schema_version"), []byte("99")) }); err != nil {
		t.Fatal(err)
	}
	closeStore(t, s)
	for _, ro := range []bool{false, true} {
		if _, err := Open(dir, Options{ReadOnly: ro}); !errors.Is(err, ErrNewerVersion) {
			t.Fatalf("read-only %v: err = %v, want ErrNewerVersion", ro, err)
		}
	}
}

// The helper process: opens the store in the directory named by the
// environment and either reports the open error or writes until killed.
func TestMain(m *testing.M) {
	if dir := os.Getenv("TRIAGEBOT_STORE_HELPER"); dir != "" {
		s, err := Open(dir, Options{LockTimeout: 300 * time.Millisecond})
		if err != nil {
			fmt.Println(err)
			os.Exit(3)
		}
		fmt.Println("opened")
		for i := 0; ; i++ {
			batch := make([]news.Item, 20)
			for j := range batch {
				batch[j] = item(i*20+j, "w", t0.Add(time.Duration(i*20+j)*time.Second))
			}
			if _, err := s.UpsertItems(batch); err != nil {
				fmt.Println(err)
				os.Exit(4)
			}
			fmt.Println("batch") // committed: the test kills after a few
		}
	}
	if dir := os.Getenv("TRIAGEBOT_STORE_GROUP_HELPER"); dir != "" {
		groupHelper(dir)
	}
	os.Exit(m.Run())
}

// groupHelper polls eight feeds at once until it is killed, so their
// writes share group commits; every poll shares one item with the other
// feeds' polls of its round. It prints "acked F R" once feed F's poll of
// round R has returned: those items were acknowledged.
func groupHelper(dir string) {
	s, err := Open(dir, Options{LockTimeout: 300 * time.Millisecond})
	if err != nil {
		fmt.Println(err)
		os.Exit(3)
	}
	fmt.Println("opened")
	var mu sync.Mutex
	for f := range 8 {
		go func() {
			for round := 0; ; round++ {
				if _, err := s.RecordPoll("", groupHelperPoll(f, round), nil); err != nil {
					fmt.Println(err)
					os.Exit(4)
				}
				mu.Lock()
				fmt.Printf("acked %d %d\n", f, round)
				mu.Unlock()
			}
		}()
	}
	select {}
}

// groupHelperPoll is feed f's poll in round: the round's shared item and
// five of its own.
func groupHelperPoll(f, round int) []news.Item {
	poll := []news.Item{item(round, "shared", t0.Add(time.Duration(round)*time.Second))}
	for n := range 5 {
		poll = append(poll, item(round*5+n, fmt.Sprint("f", f), t0.Add(time.Duration(round)*time.Second)))
	}
	return poll
}

func helper(t *testing.T, dir string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "TRIAGEBOT_STORE_HELPER="+dir)
	return cmd
}

func TestSecondProcessGetsClearError(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir)
	defer s.Close()
	start := time.Now()
	out, err := helper(t, dir).CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 3 {
		t.Fatalf("helper: %v, output %q", err, out)
	}
	if !strings.Contains(string(out), "already in use by another triagebot") {
		t.Errorf("message = %q", out)
	}
	if el := time.Since(start); el > 10*time.Second {
		t.Errorf("second open took %s", el)
	}
}

func TestKilledWriterLeavesConsistentStore(t *testing.T) {
	dir := t.TempDir()
	cmd := helper(t, dir)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill it mid-write once it says five batches are committed: proof by
	// what it did, not by how long it ran.
	const committed = 5
	sc := bufio.NewScanner(stdout)
	if !sc.Scan() || sc.Text() != "opened" {
		t.Fatalf("helper did not open: %q %v", sc.Text(), sc.Err())
	}
	for i := 0; i < committed; i++ {
		if !sc.Scan() || sc.Text() != "batch" {
			t.Fatalf("helper stopped writing: %q %v", sc.Text(), sc.Err())
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err == nil {
		t.Fatal("the helper was not killed")
	}

	s := open(t, dir)
	defer s.Close()
	n, err := s.Count()
	if err != nil || n < committed*20 || n%20 != 0 {
		t.Fatalf("after kill: %d items (%v); want whole batches only, at least the %d committed", n, err, committed*20)
	}
	// Every index entry points at a stored item and vice versa.
	err = s.db.View(func(tx *bolt.Tx) error {
		ids, urls, seen := tx.Bucket(bIDs).Stats().KeyN, tx.Bucket(bURLs).Stats().KeyN, tx.Bucket(bSeen).Stats().KeyN
		if ids != n || urls != n || seen != n {
			return fmt.Errorf("items %d, ids %d, urls %d, seen %d", n, ids, urls, seen)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// SyncFeeds writes (commits) only when the config and the stored feeds
// differ, and then brings them in step as before.
func TestSyncFeedsWritesOnlyChanges(t *testing.T) {
	base := []news.Feed{{Name: "A", URL: "https://a/", Kind: news.KindNews}, {Name: "B", URL: "https://b/", Kind: news.KindBlog}}
	tests := []struct {
		name   string
		prep   func(*Store) error // after the first sync of base
		cfg    func([]news.Feed) []news.Feed
		writes bool
	}{
		{"same config", nil, func(c []news.Feed) []news.Feed { return c }, false},
		{"same config, names in another case", nil, func(c []news.Feed) []news.Feed { c[0].Name = "a"; return c }, true},
		{"URL changed", nil, func(c []news.Feed) []news.Feed { c[1].URL = "https://b2/"; return c }, true},
		{"weight changed", nil, func(c []news.Feed) []news.Feed { c[0].Weight = 2; return c }, true},
		{"feed added", nil, func(c []news.Feed) []news.Feed {
			return append(c, news.Feed{Name: "C", URL: "https://c/", Kind: news.KindNews})
		}, true},
		{"feed dropped", nil, func(c []news.Feed) []news.Feed { return c[:1] }, true},
		{"removed at run time, still in config", func(s *Store) error { _, err := s.RemoveFeed("B"); return err }, func(c []news.Feed) []news.Feed { return c }, false},
		{"added at run time, now in config", func(s *Store) error { return s.AddFeed(news.Feed{Name: "C", URL: "https://c/", Kind: news.KindNews}) },
			func(c []news.Feed) []news.Feed {
				return append(c, news.Feed{Name: "C", URL: "https://c/", Kind: news.KindNews})
			}, true},
		{"added at run time, not in config", func(s *Store) error { return s.AddFeed(news.Feed{Name: "C", URL: "https://c/", Kind: news.KindNews}) },
			func(c []news.Feed) []news.Feed { return c }, false},
		{"state changed by a poll", func(s *Store) error {
			return s.UpdateFeed("A", func(r *FeedRecord) error { r.State.ETag = "e"; return nil })
		}, func(c []news.Feed) []news.Feed { return c }, false},
	}
	txid := func(s *Store) (id int) {
		s.db.View(func(tx *bolt.Tx) error { id = tx.ID(); return nil })
		return id
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t, t.TempDir())
			defer s.Close()
			if err := s.SyncFeeds(base); err != nil {
				t.Fatal(err)
			}
			if tt.prep != nil {
				if err := tt.prep(s); err != nil {
					t.Fatal(err)
				}
			}
			cfg := tt.cfg(append([]news.Feed(nil), base...))
			before, _ := s.Feeds(true)
			id := txid(s)
			if err := s.SyncFeeds(cfg); err != nil {
				t.Fatal(err)
			}
			if wrote := txid(s) != id; wrote != tt.writes {
				t.Errorf("wrote = %v, want %v", wrote, tt.writes)
			}
			after, _ := s.Feeds(true)
			if !tt.writes && !reflect.DeepEqual(before, after) {
				t.Errorf("feeds changed without a write:\n%+v\n%+v", before, after)
			}
			// In step now: a second sync writes nothing.
			id = txid(s)
			if err := s.SyncFeeds(cfg); err != nil {
				t.Fatal(err)
			}
			if txid(s) != id {
				t.Errorf("a second sync of the same config wrote")
			}
		})
	}
}

// Killed while eight feeds' polls share group commits: every poll it
// acknowledged is there whole, and no item is stored twice or without
// its index entries.
func TestKilledGroupWriterKeepsWhatItAcknowledged(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "TRIAGEBOT_STORE_GROUP_HELPER="+dir)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	if !sc.Scan() || sc.Text() != "opened" {
		t.Fatalf("helper did not open: %q %v", sc.Text(), sc.Err())
	}
	var acked [][2]int
	for len(acked) < 60 {
		var f, round int
		if !sc.Scan() {
			t.Fatalf("helper stopped writing: %v", sc.Err())
		}
		if _, err := fmt.Sscanf(sc.Text(), "acked %d %d", &f, &round); err != nil {
			t.Fatalf("helper said %q", sc.Text())
		}
		acked = append(acked, [2]int{f, round})
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err == nil {
		t.Fatal("the helper was not killed")
	}

	s := open(t, dir)
	defer s.Close()
	for _, a := range acked {
		for _, it := range groupHelperPoll(a[0], a[1]) {
			if _, err := s.Item(it.Key); err != nil {
				t.Errorf("feed %d round %d was acknowledged, but %s is missing: %v", a[0], a[1], it.Key, err)
			}
		}
	}
	n, err := s.Count()
	if err != nil {
		t.Fatal(err)
	}
	err = s.db.View(func(tx *bolt.Tx) error {
		pub, ids, urls, seen := tx.Bucket(bPub).Stats().KeyN, tx.Bucket(bIDs).Stats().KeyN, tx.Bucket(bURLs).Stats().KeyN, tx.Bucket(bSeen).Stats().KeyN
		if pub != n || ids != n || urls != n || seen != n {
			return fmt.Errorf("items %d, time index %d, ids %d, urls %d, seen %d", n, pub, ids, urls, seen)
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
	if rep, err := s.Check(); err != nil || len(rep.Problems) > 0 {
		t.Errorf("check: %v %v", rep.Problems, err)
	}
}

// Two items at one address (a page re-published under a new GUID): the
// URL index names the newer one, and pruning the older must not take the
// newer one's entry with it.
func TestPruneKeepsANewerItemsURLEntry(t *testing.T) {
	s := open(t, t.TempDir())
	defer s.Close()
	old := item(1, "a", t0)
	newer := item(2, "a", t0.Add(30*24*time.Hour))
	newer.Key = "guid:republished-1" // another entry, same page
	newer.URL = old.URL
	for _, it := range []news.Item{old, newer} {
		if _, err := s.UpsertItems([]news.Item{it}); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := s.Prune(t0.Add(7 * 24 * time.Hour)); err != nil || n != 1 {
		t.Fatalf("pruned %d, %v; want 1", n, err)
	}
	got, err := s.Item(old.URL)
	if err != nil {
		t.Fatalf("the newer item is no longer found by its URL: %v", err)
	}
	if got.Key != newer.Key {
		t.Errorf("URL finds %s, want the newer item %s", got.Key, newer.Key)
	}
}
