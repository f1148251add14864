package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/triagebot/triagebot/news"
	"github.com/triagebot/triagebot/store"
	bolt "go.etcd.io/bbolt"
)

// TestStoredJunkIsCleanedOnce: an item an older triagebot stored with a
// feed generator's junk in it (a glued date and category, a literal
// "\n\n") reads clean after the next write open (here a poll), and the
// pass runs once per version of the rules: junk stored after it is not
// looked for again.
func TestStoredJunkIsCleanedOnce(t *testing.T) {
	c := newCLI(t)
	if code, out, errOut := c.run("poll"); code != 0 {
		t.Fatalf("poll: %d\n%s%s", code, out, errOut)
	}
	at := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	junk := func(n string) news.Item {
		return news.Item{ID: "junk000" + n, Key: "url:https://lab.example.com/news/project-pilot-" + n,
			URL:   "https://lab.example.com/news/project-pilot-" + n,
			Title: "Jul 24, 2026Frontier Red TeamProject Pilot " + n, Summary: `First line.\n\nSecond line.`,
			Feed: "Lab", Source: "Lab", SourceKind: news.KindBlog, Published: at, FirstSeen: at}
	}
	// As the store of an older version: the junk, and no record of the
	// rules its items were cleaned under.
	seed := func(it news.Item, forget bool) {
		t.Helper()
		st, err := store.Open(filepath.Join(c.dir, "data"), store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		if _, err := st.UpsertItems([]news.Item{it}); err != nil {
			t.Fatal(err)
		}
		if forget {
			if err := st.PutState(textRulesState, nil); err != nil {
				t.Fatal(err)
			}
		}
	}
	stored := func(id string) news.Item {
		t.Helper()
		code, out, _ := c.run("items", "-json", "-feed", "Lab")
		if code != 0 {
			t.Fatalf("items: %d %s", code, out)
		}
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			var it news.Item
			if json.Unmarshal([]byte(line), &it) == nil && it.ID == id {
				return it
			}
		}
		t.Fatalf("item %s not listed:\n%s", id, out)
		return news.Item{}
	}
	seed(junk("1"), true)
	_, _, errOut := c.run("poll")
	if !strings.Contains(errOut, "cleaned of feed junk") {
		t.Errorf("the pass is not logged:\n%s", errOut)
	}
	if it := stored("junk0001"); it.Title != "Project Pilot 1" || it.Summary != "First line. Second line." {
		t.Errorf("after the pass: %q / %q", it.Title, it.Summary)
	}
	seed(junk("2"), false)
	c.run("poll")
	if it := stored("junk0002"); !strings.HasPrefix(it.Title, "Jul 24, 2026") {
		t.Errorf("recleaned although the rules did not change: %q", it.Title)
	}
}

// TestUndecodableItemDoesNotStopTheOpen: a stored item that no longer
// decodes (a damaged value in a sound file) makes the clean-up pass fail;
// the write open goes on with a warning that says what to run, so a poll
// (and the daemon) still works, and the pass is tried again next time.
func TestUndecodableItemDoesNotStopTheOpen(t *testing.T) {
	c := newCLI(t)
	if code, out, errOut := c.run("poll"); code != 0 {
		t.Fatalf("poll: %d\n%s%s", code, out, errOut)
	}
	path := filepath.Join(c.dir, "data", "triagebot.db")
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		if err := tx.Bucket([]byte("items")).Put([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xf0}, []byte("{not json")); err != nil {
			return err
		}
		return tx.Bucket([]byte("state")).Delete([]byte(textRulesState))
	})
	if cerr := db.Close(); err != nil || cerr != nil {
		t.Fatal(err, cerr)
	}
	code, out, errOut := c.run("poll", "-all")
	if code != 0 || !strings.Contains(out, "Lab") {
		t.Fatalf("poll after a damaged item: %d\n%s%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "not cleaned") || !strings.Contains(errOut, "triagebot check") {
		t.Errorf("no warning that says what to do:\n%s", errOut)
	}
}
