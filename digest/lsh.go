package digest

func similarity(a, b *doc) float64 {
	same := 0
	for k := range sigSize {
		if a.sig[k] == b.sig[k] {
			same++
		}
	}
	return float64(same) / sigSize
}

// bandTable maps an LSH band key to the first item seen with it: a flat
// open-addressed table, a few times faster than a map for the hundreds of
// thousands of inserts a large week makes.
type bandTable struct {
	keys []uint64
	vals []int32
	mask uint64
}

func newBandTable(n int) *bandTable {
	size := 1
	for size < 2*n+1 {
		size <<= 1
	}
	return &bandTable{keys: make([]uint64, size), vals: make([]int32, size), mask: uint64(size - 1)}
}

// firstOr returns the item stored under key, or stores i and reports false.
func (t *bandTable) firstOr(key uint64, i int) (int, bool) {
	key |= 1 // 0 marks an empty slot; the low bit of a band key carries little
	for p := (key * 0x9e3779b97f4a7c15) >> 32 & t.mask; ; p = (p + 1) & t.mask {
		switch t.keys[p] {
		case key:
			return int(t.vals[p]), true
		case 0:
			t.keys[p], t.vals[p] = key, int32(i)
			return 0, false
		}
	}
}
