package digest

// vocab interns term hashes as dense ids and counts the items carrying
// each term. A week of a hundred thousand items makes millions of term
// occurrences: looking each up once in a flat open-addressed table, and
// from then on indexing slices by id (document frequency, IDF, postings),
// is several times faster than hashing again at every step.
type vocab struct {
	slots []vocabSlot // key and id side by side: one cache miss per lookup, not two
	df    []int32     // items per term, by id
	n     int
}

type vocabSlot struct {
	key uint64 // 0 marks an empty slot
	id  int32
}

func newVocab(hint int) *vocab {
	size := 1024
	for size < 2*hint {
		size <<= 1
	}
	return &vocab{slots: make([]vocabSlot, size), df: make([]int32, 0, hint)}
}

// slot finds key's slot, or the empty slot where it belongs. Key 0 is
// stored as 1 (a hash collision of no consequence).
func (v *vocab) slot(key uint64) (uint64, uint64) {
	if key == 0 {
		key = 1
	}
	mask := uint64(len(v.slots) - 1)
	p := (key * 0x9e3779b97f4a7c15) >> 20 & mask
	for v.slots[p].key != key && v.slots[p].key != 0 {
		p = (p + 1) & mask
	}
	return p, key
}

// id returns key's id, giving it the next one if it is new.
func (v *vocab) id(key uint64) int32 {
	p, key := v.slot(key)
	if v.slots[p].key == key {
		return v.slots[p].id
	}
	if 2*(v.n+1) > len(v.slots) {
		v.grow()
		p, key = v.slot(key)
	}
	id := int32(len(v.df))
	v.slots[p] = vocabSlot{key, id}
	v.df = append(v.df, 0)
	v.n++
	return id
}

func (v *vocab) grow() {
	old := v.slots
	v.slots = make([]vocabSlot, 2*len(old))
	for _, e := range old {
		if e.key != 0 {
			p, _ := v.slot(e.key)
			v.slots[p] = e
		}
	}
}
