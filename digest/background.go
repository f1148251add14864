package digest

import (
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"

	"github.com/triagebot/triagebot/news"
)

// backgroundBin is the document frequency of every term in a corpus of
// real labelled feed items (English and Chinese news, lab blogs, papers),
// as hashed term keys and counts: no text. `go generate ./digest` makes it
// (internal/background) from data outside the repository.
//
//go:generate go run ./internal/background -out background.bin
//go:embed background.bin
var backgroundBin []byte

const backgroundMagic = "tbdf1\n"

// bgTable is a document-frequency table from outside the batch. The
// batch's own counts say what is common this week; a batch of a few
// hundred headlines says little about which words are common at all, and
// what it says moves with the batch's size and mix (a batch that also
// holds a thousand feed items weighs every shared word up). Added to the
// batch's counts, the table steadies IDF.
type bgTable struct {
	items int      // texts (items that are no papers) the counts come from
	keys  []uint64 // term keys as the vocab hashes them, ascending
	df    []int32  // items carrying each key
}

// minBackgroundDF: terms in fewer background items are left out of the
// table; one item says nothing about a word.
const minBackgroundDF = 2

// BackgroundTable counts the terms of items as grouping reads them and
// returns the table grouping embeds (background.bin): hashed term keys and
// counts, no text. For the generator (internal/background) only.
func BackgroundTable(items []*news.Item) []byte {
	return backgroundOf(items).encode()
}

// backgroundOf counts the terms of items as grouping reads them.
func backgroundOf(items []*news.Item) bgTable {
	g := newGrouper(items, GroupOptions{}, nil)
	var bg bgTable
	for i := range g.docs {
		if !g.docs[i].paper {
			bg.items++
		}
	}
	for _, s := range g.voc.ids.slots {
		if k := s.key(); k != 0 && g.voc.df[s.val] >= minBackgroundDF {
			bg.keys = append(bg.keys, k)
		}
	}
	slices.Sort(bg.keys)
	bg.df = make([]int32, len(bg.keys))
	for k, key := range bg.keys {
		p, _ := g.voc.ids.slot(key)
		bg.df[k] = g.voc.df[g.voc.ids.slots[p].val]
	}
	return bg
}

// encode writes the table: magic, item count, term count, then each key
// as the difference from the one before and its count, all uvarints.
func (bg bgTable) encode() []byte {
	out := []byte(backgroundMagic)
	out = binary.AppendUvarint(out, uint64(bg.items))
	out = binary.AppendUvarint(out, uint64(len(bg.keys)))
	var prev uint64
	for k, key := range bg.keys {
		out = binary.AppendUvarint(out, key-prev)
		out = binary.AppendUvarint(out, uint64(bg.df[k]))
		prev = key
	}
	return out
}

func decodeBackground(b []byte) (bgTable, error) {
	var bg bgTable
	if len(b) < len(backgroundMagic) || string(b[:len(backgroundMagic)]) != backgroundMagic {
		return bg, errors.New("digest: background table: bad magic")
	}
	b = b[len(backgroundMagic):]
	next := func() (uint64, error) {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			return 0, errors.New("digest: background table: truncated")
		}
		b = b[n:]
		return v, nil
	}
	items, err := next()
	if err != nil {
		return bg, err
	}
	terms, err := next()
	if err != nil {
		return bg, err
	}
	if terms > uint64(len(b)) {
		return bg, fmt.Errorf("digest: background table: %d terms in %d bytes", terms, len(b))
	}
	bg.items = int(items)
	bg.keys = make([]uint64, terms)
	bg.df = make([]int32, terms)
	var key uint64
	for k := range bg.keys {
		d, err := next()
		if err != nil {
			return bg, err
		}
		c, err := next()
		if err != nil {
			return bg, err
		}
		key += d
		bg.keys[k], bg.df[k] = key, int32(min(c, 1<<30))
	}
	if len(b) != 0 {
		return bg, errors.New("digest: background table: trailing bytes")
	}
	return bg, nil
}

// backgroundScale weighs the background table's counts against the
// batch's: each background item counts as this many batch items.
const backgroundScale = 1.0

// termCount is a background count of one of the batch's terms.
type termCount struct {
	id int32
	df float32
}

// backgroundDF lists the background counts of the batch's terms that the
// table has (a few thousand, whatever the batch's size: no slice over the
// whole vocabulary), and the number of items those counts stand for; none
// without a table (a table that does not decode counts as none: a test
// checks the shipped one).
func (g *grouper) backgroundDF(o GroupOptions) ([]termCount, float64) {
	bg := o.bg
	if bg == nil {
		if g.m.bg == nil {
			t, err := decodeBackground(backgroundBin)
			if err != nil {
				return nil, 0
			}
			g.m.bg = &t // read-only from here on: kept for the next build
		}
		bg = g.m.bg
	}
	scale := o.bgScale
	if scale <= 0 {
		scale = backgroundScale
	}
	ids := &g.voc.ids
	out := g.m.bgdf[:0]
	for k, key := range bg.keys {
		if p, key := ids.slot(key); ids.slots[p].key() == key {
			out = append(out, termCount{ids.slots[p].val, float32(float64(bg.df[k]) * scale)})
		}
	}
	g.m.bgdf = out
	return out, float64(bg.items) * scale
}
