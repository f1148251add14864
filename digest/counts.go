package digest

import "unsafe"

// vocab interns term hashes as dense ids and counts the items carrying
// each term. A week of a hundred thousand items makes millions of term
// occurrences: looking each up once in a flat open-addressed table, and
// from then on indexing slices by id (document frequency, IDF, postings),
// is several times faster than hashing again at every step.
type vocab struct {
	ids table
	df  []int32 // items per term, by id
	// kind marks the terms that are names (nameID) and the plain words
	// (plainID), by id; ids past its end are neither. A term is one or
	// the other: names are interned salted (nameSalt).
	kind []termKind
}

// termKind is what a term is, as far as grouping asks (vocab.kind).
type termKind uint8

const (
	termOther termKind = iota // a number, a Chinese pair, a single letter of another script (Hangul, kana), a paper's key
	termName                  // a name (nameID)
	termPlain                 // a word that begins with a letter, without a hyphen (plainID, isPlainWord)
)

func newVocab(hint int) *vocab {
	return &vocab{ids: newTable(hint), df: make([]int32, 0, hint)}
}

// reset empties v for a batch sized by hint, as newVocab makes it, in
// the memory it has.
func (v *vocab) reset(hint int) {
	v.ids.reset(hint)
	v.df = emptied(v.df, v.room())
	v.kind = emptied(v.kind, v.room())
}

// room is how many terms v holds before its table grows: the by-id
// lists are given that much room at once, rather than reallocated on the
// way (their pages past what is written are never touched).
func (v *vocab) room() int { return len(v.ids.slots) / 2 }

// nameID is id for a name's salted key, marking the term a name.
func (v *vocab) nameID(key uint64) int32 {
	return v.kindID(key, termName)
}

// plainID is id for a plain word, marking it so.
func (v *vocab) plainID(key uint64) int32 {
	return v.kindID(key, termPlain)
}

func (v *vocab) kindID(key uint64, k termKind) int32 {
	id := v.id(key)
	if int(id) >= len(v.kind) {
		v.kind = append(v.kind, make([]termKind, int(id)+1-len(v.kind))...)
	}
	v.kind[id] = k
	return id
}

// isName reports whether term id is a name.
func (v *vocab) isName(id int32) bool {
	return int(id) < len(v.kind) && v.kind[id] == termName
}

// isPlain reports whether term id is a plain word: one that begins
// with a letter (not a number: "47m" of "$47M", "800" of "1,800") and
// is no hyphenated compound ("self-service": common words, however rare
// the whole in tech news) (isPlainWord).
func (v *vocab) isPlain(id int32) bool {
	return int(id) < len(v.kind) && v.kind[id] == termPlain
}

// id returns key's id, giving it the next one if it is new.
func (v *vocab) id(key uint64) int32 {
	p, key := v.ids.slot(key)
	if v.ids.slots[p].key() == key {
		return v.ids.slots[p].val
	}
	id := int32(len(v.df))
	v.ids.add(p, key, id)
	v.df = append(v.df, 0)
	return id
}

// table maps 64-bit keys to int32 values: a flat open-addressed table,
// key and value side by side (one cache miss per lookup, not two).
type table struct {
	slots []tableSlot
	n     int
}

// tableSlot is a key and its value in 12 bytes, not the 16 of a uint64
// beside an int32: a week's two tables (forms and vocab, 131,072 slots
// each at 100,000 items) are 1 MB smaller, fresh pages a process that
// builds once pays for, and a cache line holds a third more slots.
type tableSlot struct {
	lo, hi uint32 // the key; 0 marks an empty slot
	val    int32
}

func newSlot(key uint64, val int32) tableSlot {
	return tableSlot{lo: uint32(key), hi: uint32(key >> 32), val: val}
}

func (s *tableSlot) key() uint64 { return uint64(s.hi)<<32 | uint64(s.lo) }

func newTable(hint int) table {
	return table{slots: make([]tableSlot, tableSize(hint))}
}

func tableSize(hint int) int {
	size := 1024
	for size < 2*hint {
		size <<= 1
	}
	return size
}

// reset empties t to the size newTable gives hint, in its own array
// when that has room (a table grown in an earlier batch). The slots
// kept past the size are not used.
func (t *table) reset(hint int) {
	t.slots, t.n = zeroed(t.slots, tableSize(hint)), 0
}

// slot finds key's slot, or the empty slot where it belongs. Key 0 is
// stored as 1 (a hash collision of no consequence).
func (t *table) slot(key uint64) (uint64, uint64) {
	if key == 0 {
		key = 1
	}
	mask := uint64(len(t.slots) - 1)
	p := (key * 0x9e3779b97f4a7c15) >> 20 & mask
	for {
		if k := t.slots[p].key(); k == key || k == 0 {
			return p, key
		}
		p = (p + 1) & mask
	}
}

// add stores key's value in the empty slot p that slot returned for it.
func (t *table) add(p, key uint64, val int32) {
	if 2*(t.n+1) > len(t.slots) {
		t.grow()
		p, key = t.slot(key)
	}
	t.slots[p] = newSlot(key, val)
	t.n++
}

// int32s is the table's whole array as int32s (three a slot), for a step
// of the build that runs once the table is done with (candidates); the
// next build's reset clears what it uses again.
func (t *table) int32s() []int32 {
	s := t.slots[:cap(t.slots)]
	if len(s) == 0 {
		return nil
	}
	return unsafe.Slice((*int32)(unsafe.Pointer(unsafe.SliceData(s))), 3*len(s))
}

func (t *table) grow() {
	old := t.slots
	t.slots = make([]tableSlot, 2*len(old))
	for _, e := range old {
		if e.key() != 0 {
			p, _ := t.slot(e.key())
			t.slots[p] = e
		}
	}
}
