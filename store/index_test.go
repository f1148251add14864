package store

import (
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/triagebot/triagebot/news"
	bolt "go.etcd.io/bbolt"
)

func ids(items []news.Item) map[string]bool {
	out := map[string]bool{}
	for _, it := range items {
		out[it.ID] = true
	}
	return out
}

func TestMarkedIndexFollowsTagsAndPicks(t *testing.T) {
	s := open(t, t.TempDir())
	defer s.Close()
	var batch []news.Item
	for i := range 20 {
		batch = append(batch, item(i, "a", t0.Add(time.Duration(i)*time.Hour)))
	}
	added, err := s.UpsertItems(batch)
	if err != nil {
		t.Fatal(err)
	}
	tagged, picked := added[3].ID, added[7].ID
	if _, err := s.UpdateItem(tagged, func(it *news.Item) error { it.Tag = news.Research; return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateItem(picked, func(it *news.Item) error { it.Picked = true; return nil }); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name string
		do   func() error
		want []string
	}{
		{"tag and pick", func() error { return nil }, []string{tagged, picked}},
		{"untag", func() error {
			_, err := s.UpdateItem(tagged, func(it *news.Item) error { it.Tag = ""; return nil })
			return err
		}, []string{picked}},
		{"an UpdateAll that tags", func() error {
			_, err := s.UpdateAll(func(it *news.Item) bool {
				if it.ID == added[12].ID {
					it.Tag = news.Other
					return true
				}
				return false
			})
			return err
		}, []string{picked, added[12].ID}},
		{"prune keeps marked items", func() error { _, err := s.Prune(t0.Add(100 * time.Hour)); return err }, []string{picked, added[12].ID}},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			if err := st.do(); err != nil {
				t.Fatal(err)
			}
			got, err := s.Items(Query{Marked: true, Oldest: true})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(st.want) {
				t.Fatalf("marked = %v, want %v", ids(got), st.want)
			}
			for _, id := range st.want {
				if !ids(got)[id] {
					t.Errorf("marked = %v, missing %s", ids(got), id)
				}
			}
		})
	}
}

// A store from schema 1 (no marked index) gets the index built at its
// first write open; a read-only open before that still answers.
func TestMarkedIndexMigration(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir)
	var batch []news.Item
	for i := range 10 {
		it := item(i, "a", t0.Add(time.Duration(i)*time.Hour))
		it.Picked = i == 4
		if i == 6 {
			it.Tag = news.Product
		}
		batch = append(batch, it)
	}
	if _, err := s.UpsertItems(batch); err != nil {
		t.Fatal(err)
	}
	// Make it a schema-1 store.
	err := s.update(func(tx *bolt.Tx) error {
		if err := tx.DeleteBucket(bMarked); err != nil {
			return err
		}
		return tx.Bucket(bMeta).Put([]byte("schema_version"), []byte("1"))
	})
	if err != nil {
		t.Fatal(err)
	}
	closeStore(t, s)

	for _, ro := range []bool{true, false, true} {
		s, err := Open(dir, Options{ReadOnly: ro})
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Items(Query{Marked: true})
		if err != nil || len(got) != 2 {
			t.Errorf("read-only %v: marked = %v, %v; want the picked and the tagged item", ro, ids(got), err)
		}
		var v string
		var has bool
		s.view(func(tx *bolt.Tx) error {
			v, has = string(tx.Bucket(bMeta).Get([]byte("schema_version"))), tx.Bucket(bMarked) != nil
			return nil
		})
		if want := !ro || v == strconv.Itoa(SchemaVersion); has != want {
			t.Errorf("read-only %v: marked bucket present %v (schema %s)", ro, has, v)
		}
		closeStore(t, s)
	}
}

// The week's items come from the time index: an item outside the window
// is never decoded (here it could not be).
func TestWindowReadDecodesOnlyTheWindow(t *testing.T) {
	s := open(t, t.TempDir())
	defer s.Close()
	var batch []news.Item
	for i := range 30 {
		batch = append(batch, item(i, "a", t0.Add(time.Duration(i)*24*time.Hour)))
	}
	added, err := s.UpsertItems(batch)
	if err != nil {
		t.Fatal(err)
	}
	// Garble every stored item but days 10–16.
	err = s.update(func(tx *bolt.Tx) error {
		for _, it := range added {
			if d := int(it.Published.Sub(t0).Hours() / 24); d >= 10 && d < 17 {
				continue
			}
			seq := tx.Bucket(bIDs).Get([]byte(it.ID))
			if err := tx.Bucket(bItems).Put(seq, []byte("{not json")); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, oldest := range []bool{true, false} {
		got, err := s.Items(Query{Since: t0.AddDate(0, 0, 10), Until: t0.AddDate(0, 0, 17), Oldest: oldest})
		if err != nil || len(got) != 7 {
			t.Errorf("oldest %v: %d items, %v; want the 7 of the window without touching the rest", oldest, len(got), err)
		}
	}
	if _, err := s.Items(Query{}); err == nil {
		t.Error("reading everything decoded no garbled item: the test proves nothing")
	}
}

// The effective label is the host's tag when there is one: a label
// filter must follow it, not the classifier's verdict.
func TestLabelFilterPrefersTheTag(t *testing.T) {
	s := open(t, t.TempDir())
	defer s.Close()
	it := item(1, "a", t0)
	it.Verdict = &news.Verdict{Label: news.Product, Confidence: 0.99}
	it.Tag = news.Research
	plain := item(2, "a", t0.Add(time.Hour))
	plain.Verdict = &news.Verdict{Label: news.Product, Confidence: 0.6}
	if _, err := s.UpsertItems([]news.Item{it, plain}); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		label news.Label
		want  []string
	}{
		{news.Research, []string{it.Title}},
		{news.Product, []string{plain.Title}},
		{news.Other, nil},
	}
	for _, tc := range cases {
		t.Run(string(tc.label), func(t *testing.T) {
			got, err := s.Items(Query{Label: tc.label})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("label %s: %d items, want %v", tc.label, len(got), tc.want)
			}
			for i := range got {
				if got[i].Title != tc.want[i] {
					t.Errorf("label %s: got %q, want %q", tc.label, got[i].Title, tc.want[i])
				}
			}
		})
	}
	if _, err := s.Item("nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing item: %v", err)
	}
}
