package service

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/triagebot/triagebot/classifier"
	"github.com/triagebot/triagebot/config"
	"github.com/triagebot/triagebot/news"
	"github.com/triagebot/triagebot/store"
)

// Read-only commands (items, digest, status) write nothing: on a store
// whose learned part is missing they learn from the tags for themselves
// and leave the file as it was, instead of failing on the save.
func TestLoadModelOnReadOnlyStoreLearnsAndWritesNothing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.UpsertItems([]news.Item{item("ro1", "Acme ships a voice mode in its app", "X", 1)}); err != nil {
		t.Fatal(err)
	}
	m, err := classifier.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Defaults()
	if _, err := New(st, m, &cfg, func() time.Time { return now }).Tag("ro1", news.Research, "ana"); err != nil {
		t.Fatal(err)
	}
	// A store from before learning: tags, no learned part.
	if err := st.PutState(LearnedState, nil); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "triagebot.db")
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}

	ro, err := store.Open(dir, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	got, err := LoadModel(ro, nil)
	if err != nil {
		t.Fatalf("LoadModel on a read-only store: %v (did it try to save?)", err)
	}
	if got.LearnedCount() != 1 {
		t.Errorf("the read-only model learned %d tags, want 1", got.LearnedCount())
	}
	if err := ro.Close(); err != nil {
		t.Fatal(err)
	}
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Error("a read-only LoadModel changed the store file")
	}
}
