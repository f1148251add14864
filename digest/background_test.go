package digest

import (
	"fmt"
	"slices"
	"testing"

	"github.com/triagebot/triagebot/news"
)

func TestShippedBackgroundDecodes(t *testing.T) {
	bg, err := decodeBackground(backgroundBin)
	if err != nil {
		t.Fatal(err)
	}
	// Counted from some thirteen hundred labelled feed items
	// (internal/background); a table of a few terms would mean it was
	// made from the wrong files.
	if bg.items < 1000 || len(bg.keys) < 1000 {
		t.Errorf("background table of %d items, %d terms", bg.items, len(bg.keys))
	}
	if !slices.IsSorted(bg.keys) {
		t.Error("keys out of order")
	}
	for k, c := range bg.df {
		if c < minBackgroundDF || int(c) > bg.items {
			t.Fatalf("term %d: count %d of %d items", k, c, bg.items)
		}
	}
}

func TestBackgroundTableRoundTrip(t *testing.T) {
	items := background()
	bg := backgroundOf(ptrs(items))
	if len(bg.keys) == 0 {
		t.Fatal("no terms counted")
	}
	b := bg.encode()
	got, err := decodeBackground(b)
	if err != nil {
		t.Fatal(err)
	}
	if got.items != bg.items || !slices.Equal(got.keys, bg.keys) || !slices.Equal(got.df, bg.df) {
		t.Errorf("round trip changed the table: %d/%d items, %d/%d terms", got.items, bg.items, len(got.keys), len(bg.keys))
	}
	for name, bad := range map[string][]byte{
		"empty":     nil,
		"bad magic": append([]byte("tbdf0\n"), b[len(backgroundMagic):]...),
		"truncated": b[:len(b)-1],
		"trailing":  append(slices.Clone(b), 0),
	} {
		if _, err := decodeBackground(bad); err == nil {
			t.Errorf("%s: decoded without an error", name)
		}
	}
}

// Words that every other item of the wider news carries ("stocks rally
// as investors cheer earnings") are no story by themselves, however few
// of this batch's items use them: the background table knows they are
// common, a batch of a few hundred headlines does not.
func TestBackgroundKeepsCommonWordsFromJoining(t *testing.T) {
	var corpus []news.Item
	for i := range 300 {
		corpus = append(corpus, it(fmt.Sprintf("bg%d", i), "Wire", news.KindNews,
			fmt.Sprintf("Stocks rally as investors cheer earnings beat at firm %d", i), "", "", news.Other, 0.8, 0))
	}
	table := backgroundOf(ptrs(corpus))
	pair := []news.Item{
		it("a", "Outlet A", news.KindNews, "Stocks rally as investors cheer Orbis earnings beat", "", "https://a.example.com/x", news.Other, 0.8, 1),
		it("b", "Outlet B", news.KindNews, "Stocks rally as investors cheer Helix earnings beat", "", "https://b.example.com/y", news.Other, 0.8, 1.1),
	}
	joined := func(bg *bgTable) bool {
		items := append(background(), pair...)
		for _, g := range Group(ptrs(items), GroupOptions{bg: bg}) {
			ids := map[string]bool{}
			for _, x := range g {
				ids[x.ID] = true
			}
			if ids["a"] && ids["b"] {
				return true
			}
		}
		return false
	}
	if !joined(&bgTable{}) {
		t.Fatal("without a background table the pair should join (the case tests nothing otherwise)")
	}
	if joined(&table) {
		t.Error("joined on words the background table counts as common")
	}
}
