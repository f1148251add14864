package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/triagebot/triagebot/classifier"
	"github.com/triagebot/triagebot/news"
	"github.com/triagebot/triagebot/service"
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

// TestRecleanedItemsAreClassifiedAgain: an item the cleanup pass changes
// gets the verdict the model gives its cleaned text, as `reclassify`
// would give it, so `items` and `items -label` do not go on showing what
// the model said of the junk; a host's tag, the stored language and the
// items the pass does not change stay as they were.
func TestRecleanedItemsAreClassifiedAgain(t *testing.T) {
	c := newCLI(t)
	if code, out, errOut := c.run("poll"); code != 0 {
		t.Fatalf("poll: %d\n%s%s", code, out, errOut)
	}
	at := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	stale := &news.Verdict{Label: news.Other, Confidence: 0.123, Reasons: []string{"said of the junk"}}
	item := func(id, title, summary string) news.Item {
		return news.Item{ID: id, Key: "url:https://lab.example.com/news/" + id, URL: "https://lab.example.com/news/" + id,
			Title: title, Summary: summary, Feed: "Lab", Source: "Lab", SourceKind: news.KindBlog,
			Published: at, FirstSeen: at, Verdict: stale}
	}
	cases := []struct {
		name    string
		in      news.Item
		cleaned bool // the pass changes the item's text
	}{
		{"glued date and category", item("glued001",
			"Jul 24, 2026Frontier Red TeamAn open benchmark for agents", `We release a benchmark.\n\nCode and paper are out.`), true},
		{"tagged by a host", func() news.Item {
			it := item("tagged01", `Acme \"launches\" a voice mode`, `Available today.\n\nPricing below.`)
			it.Tag, it.TaggedBy, it.TaggedAt = news.Product, "ada", at
			return it
		}(), true},
		{"language from the feed's tag", func() news.Item {
			it := item("german01", `Neues \"Modell\"`, `Es liest Diagramme.\n\nMehr dazu.`)
			it.Lang = "de"
			return it
		}(), true},
		{"clean item", item("clean001", "A new method for chart reading", "We read charts."), false},
	}
	dir := filepath.Join(c.dir, "data")
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range cases {
		if _, err := st.UpsertItems([]news.Item{tc.in}); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.PutState(textRulesState, nil); err != nil { // as an older version's store
		t.Fatal(err)
	}
	st.Close()

	if code, out, errOut := c.run("poll"); code != 0 || !strings.Contains(errOut, "classified again") {
		t.Fatalf("poll: %d\n%s%s", code, out, errOut)
	}
	code, out, _ := c.run("items", "-json", "-feed", "Lab")
	if code != 0 {
		t.Fatalf("items: %d %s", code, out)
	}
	listed := map[string]news.Item{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var it news.Item
		if err := json.Unmarshal([]byte(line), &it); err != nil {
			t.Fatalf("%v: %s", err, line)
		}
		listed[it.ID] = it
	}
	// The model the open used: the store's, with what it learned from the tag.
	st, err = store.Open(dir, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	m, err := service.LoadModel(st, nil)
	if err != nil {
		t.Fatal(err)
	}
	classify := func(it news.Item) news.Verdict {
		it.Tag = ""
		return m.Classify(it)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := listed[tc.in.ID]
			switch {
			case !ok:
				t.Fatalf("not listed:\n%s", out)
			case got.Verdict == nil:
				t.Fatal("no verdict")
			case (got.Title != tc.in.Title || got.Summary != tc.in.Summary) != tc.cleaned:
				t.Fatalf("cleaned %v: %q / %q", !tc.cleaned, got.Title, got.Summary)
			}
			want := *stale
			if tc.cleaned {
				want = classify(got)
				if old := classify(tc.in); reflect.DeepEqual(old, want) {
					t.Fatalf("the fixture does not tell the texts apart: both give %+v", want)
				}
			}
			if !reflect.DeepEqual(*got.Verdict, want) {
				t.Errorf("verdict %+v, want %+v", *got.Verdict, want)
			}
			if got.Tag != tc.in.Tag || got.TaggedBy != tc.in.TaggedBy || got.Lang != tc.in.Lang || got.Key != tc.in.Key {
				t.Errorf("tag %q by %q, lang %q, key %q changed from %q by %q, %q, %q",
					got.Tag, got.TaggedBy, got.Lang, got.Key, tc.in.Tag, tc.in.TaggedBy, tc.in.Lang, tc.in.Key)
			}
		})
	}
}

// TestTagMemoryIsRebuiltFromTheCleanedText: on a store whose tag memory
// is missing (from before learning, or damaged), the open that runs the
// cleanup pass rebuilds that memory from the tagged items as the pass
// leaves them, not from the junk it removes: the memory is saved and not
// rebuilt again, so junk learned there would stay until a `retrain`.
func TestTagMemoryIsRebuiltFromTheCleanedText(t *testing.T) {
	c := newCLI(t)
	if code, out, errOut := c.run("poll"); code != 0 {
		t.Fatalf("poll: %d\n%s%s", code, out, errOut)
	}
	at := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	tagged := news.Item{ID: "tagjunk1", Key: "url:https://lab.example.com/news/open-benchmark",
		URL: "https://lab.example.com/news/open-benchmark", Title: "Jul 24, 2026Frontier Red TeamAn open benchmark for agents",
		Summary: `We release a benchmark.\n\nCode and paper are out.`, Feed: "Lab", Source: "Lab", SourceKind: news.KindBlog,
		Published: at, FirstSeen: at, Tag: news.Research, TaggedBy: "ada", TaggedAt: at}
	dir := filepath.Join(c.dir, "data")
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.UpsertItems([]news.Item{tagged}); err != nil {
		t.Fatal(err)
	}
	// As the store of a version from before the rules and the tag memory.
	for _, name := range []string{textRulesState, service.LearnedState} {
		if err := st.PutState(name, nil); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()

	if code, out, errOut := c.run("poll"); code != 0 {
		t.Fatalf("poll: %d\n%s%s", code, out, errOut)
	}
	st, err = store.Open(dir, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	got, err := st.GetState(service.LearnedState)
	if err != nil {
		t.Fatal(err)
	}
	examples, err := service.TaggedExamples(st)
	if err != nil {
		t.Fatal(err)
	}
	if len(examples) != 1 || examples[0].Item.Title == tagged.Title {
		t.Fatalf("the tagged item was not cleaned: %+v", examples)
	}
	m, err := service.BaseModel(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	want, err := m.Relearn(examples)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		junk, err := m.Relearn([]classifier.Example{{Item: tagged, Label: tagged.Tag}})
		if err != nil {
			t.Fatal(err)
		}
		t.Errorf("the saved tag memory (%d bytes) is not the one the cleaned tag gives (%d bytes); the junk's: %v",
			len(got), len(want), bytes.Equal(got, junk))
	}
}
