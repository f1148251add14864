package digest

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"testing"

	"github.com/triagebot/triagebot/news"
)

var diagOut = flag.String("diag", "", "write the labelled file's missed and false pairs, with their similarity, to this file")

// TestDiagPairs groups the whole labelled story file (-heldout.file) as
// one batch and writes every same-story pair it missed (FN), every pair
// it joined across stories (FP) and every pair it got (TP), each with
// its similarity, cosine, shared words, shared adjacent words and shared
// distinctive names: what to read before changing a rule.
//
//	go test ./digest -run DiagPairs -diag /tmp/pairs.txt
func TestDiagPairs(t *testing.T) {
	if *diagOut == "" {
		t.Skip("pair diagnostics: run with -diag FILE")
	}
	items, gold := readGold(t, *heldoutFile)
	ps := make([]*news.Item, len(items))
	for i := range items {
		ps[i] = &items[i]
	}
	g := newGrouper(ps, GroupOptions{}, nil)
	g.joinHard()
	g.link(g.candidates())
	f, err := os.Create(*diagOut)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	sp := newSpread(len(g.voc.df))
	for x := range items {
		sp.set(g.docs[x].vec())
		for y := x + 1; y < len(items); y++ {
			same, joined := gold[x] == gold[y], g.uf.find(x) == g.uf.find(y)
			if !same && !joined {
				continue
			}
			kind := "TP"
			switch {
			case !joined:
				kind = "FN"
			case !same:
				kind = "FP"
			}
			var at [16][2]uint8
			cos, shared, n := sp.cosine(g.docs[y].vec(), &at)
			adjacent := countAdjacent(at[:n])
			fmt.Fprintf(w, "%s sim=%.3f cos=%.3f shared=%d adjacent=%d names=%d places=%v\n   %s\n   %s\n", kind, g.sim(sp, x, y, 0), cos,
				shared, adjacent, sharedNames(&g.docs[x], &g.docs[y], g.voc.df, nameCommon), placesConflict(&g.docs[x], &g.docs[y], g.m.db.placeIDs), items[x].Title, items[y].Title)
		}
		sp.unset(g.docs[x].vec())
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}
