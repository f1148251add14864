package digest

// vocab interns term hashes as dense ids and counts the items carrying
// each term. A week of a hundred thousand items makes millions of term
// occurrences: looking each up once in a flat open-addressed table, and
// from then on indexing slices by id (document frequency, IDF, postings),
// is several times faster than hashing again at every step.
type vocab struct {
	keys []uint64 // 0 marks an empty slot
	ids  []int32
	df   []int32 // items per term, by id
	n    int
}

func newVocab(hint int) *vocab {
	size := 1024
	for size < 2*hint {
		size <<= 1
	}
	return &vocab{keys: make([]uint64, size), ids: make([]int32, size), df: make([]int32, 0, hint)}
}

// slot finds key's slot, or the empty slot where it belongs. Key 0 is
// stored as 1 (a hash collision of no consequence).
func (v *vocab) slot(key uint64) (uint64, uint64) {
	if key == 0 {
		key = 1
	}
	mask := uint64(len(v.keys) - 1)
	p := (key * 0x9e3779b97f4a7c15) >> 20 & mask
	for v.keys[p] != key && v.keys[p] != 0 {
		p = (p + 1) & mask
	}
	return p, key
}

// id returns key's id, giving it the next one if it is new.
func (v *vocab) id(key uint64) int32 {
	p, key := v.slot(key)
	if v.keys[p] == key {
		return v.ids[p]
	}
	if 2*(v.n+1) > len(v.keys) {
		v.grow()
		p, key = v.slot(key)
	}
	id := int32(len(v.df))
	v.keys[p], v.ids[p] = key, id
	v.df = append(v.df, 0)
	v.n++
	return id
}

func (v *vocab) grow() {
	old, oldIDs := v.keys, v.ids
	v.keys, v.ids = make([]uint64, 2*len(old)), make([]int32, 2*len(old))
	for i, k := range old {
		if k != 0 {
			p, _ := v.slot(k)
			v.keys[p], v.ids[p] = k, oldIDs[i]
		}
	}
}
