package digest

// counts is a flat open-addressed table from a term's hash to the number
// of items that carry it: a week of a hundred thousand items makes
// millions of increments, several times faster here than in a map.
type counts struct {
	keys []uint64
	vals []int32
	n    int
}

func newCounts(hint int) *counts {
	size := 1024
	for size < 2*hint {
		size <<= 1
	}
	return &counts{keys: make([]uint64, size), vals: make([]int32, size)}
}

// slot finds key's slot, or the empty slot where it belongs. 0 marks an
// empty slot, so key 0 is stored as 1 (a hash collision of no consequence).
func (c *counts) slot(key uint64) (uint64, uint64) {
	if key == 0 {
		key = 1
	}
	mask := uint64(len(c.keys) - 1)
	p := (key * 0x9e3779b97f4a7c15) >> 20 & mask
	for c.keys[p] != key && c.keys[p] != 0 {
		p = (p + 1) & mask
	}
	return p, key
}

func (c *counts) add(key uint64) {
	p, key := c.slot(key)
	if c.keys[p] == 0 {
		if 2*(c.n+1) > len(c.keys) {
			c.grow()
			p, key = c.slot(key)
		}
		c.keys[p] = key
		c.n++
	}
	c.vals[p]++
}

func (c *counts) get(key uint64) int32 {
	p, _ := c.slot(key)
	return c.vals[p]
}

func (c *counts) grow() {
	old, oldVals := c.keys, c.vals
	c.keys, c.vals = make([]uint64, 2*len(old)), make([]int32, 2*len(old))
	for i, k := range old {
		if k != 0 {
			p, _ := c.slot(k)
			c.keys[p], c.vals[p] = k, oldVals[i]
		}
	}
}
