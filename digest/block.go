package digest

import (
	"cmp"
	"slices"
	"strings"

	"github.com/triagebot/triagebot/internal/text"
)

// candidates pairs items that share a blocking key (one of each item's
// rarest headline terms or names) or a paper's distinctive name, scored.
// Only pairs at or above the threshold can start a story, so only those
// are kept.
func (g *grouper) candidates() []edge {
	type posting struct {
		key  int32 // a term's id
		doc  int32
		long bool // the term is in more than maxPosting items
	}
	var ps []posting
	keys := make([]feat, 0, 64)
	df := g.voc.df
	for i := range g.docs {
		d := &g.docs[i]
		keys = keys[:0]
		for _, f := range d.vec {
			if f.key {
				keys = append(keys, f)
			}
		}
		// Highest weight = rarest and in the headline.
		slices.SortFunc(keys, func(a, b feat) int { return cmp.Compare(b.w, a.w) })
		names := 0
		for k, f := range keys {
			// The rarest terms, and the rarest few names whatever their
			// rank: a big story's reports share its name. A term in more
			// than maxPosting items is a key only if it is a name.
			long := df[f.id] > maxPosting
			if (k < maxKeys || f.name && names < maxNameKeys) && (!long || f.name) {
				ps = append(ps, posting{f.id, int32(i), long})
			}
			if f.name {
				names++
			}
		}
	}
	// A paper's own name meets every item that names it (sim then asks
	// for the name, with its capitals, in the headline).
	papers := map[string]int32{}
	for i := range g.docs {
		if n := g.docs[i].paperName; n != "" {
			k := strings.ToLower(n)
			id, ok := papers[k]
			if !ok {
				id = g.voc.id(text.FNV1a(k) ^ paperSalt)
				papers[k] = id
			}
			ps = append(ps, posting{id, int32(i), false})
		}
	}
	if len(papers) > 0 {
		for i := range g.docs {
			for _, n := range g.docs[i].names {
				if id, ok := papers[n.key]; ok {
					ps = append(ps, posting{id, int32(i), false})
				}
			}
		}
	}
	// Group postings by term: a counting sort over the dense ids, stable,
	// so each term's items stay in input order.
	start := make([]int32, len(g.voc.df)+1)
	for _, p := range ps {
		start[p.key+1]++
	}
	for k := 1; k < len(start); k++ {
		start[k] += start[k-1]
	}
	sorted := make([]posting, len(ps))
	for _, p := range ps {
		sorted[start[p.key]] = p
		start[p.key]++
	}
	ps = sorted
	// Pairs as a<<32|b, sorted and deduplicated: a pair meeting under
	// several keys is scored once. A rare term's posting pairs all its
	// items. A common one is a key only when it is a name (a big story's
	// "Zephyr-9"): then each item meets its next few in input order, and
	// such a pair must meet under two common names. Linkage joins along
	// any path of candidate pairs, so a big story is still reached.
	var cand, long []uint64
	for s := 0; s < len(ps); {
		e := s + 1
		for e < len(ps) && ps[e].key == ps[s].key {
			e++
		}
		switch {
		case !ps[s].long:
			for x := s; x < e; x++ {
				for y := x + 1; y < e; y++ {
					if a, b := ps[x].doc, ps[y].doc; a != b {
						cand = append(cand, uint64(min(a, b))<<32|uint64(max(a, b)))
					}
				}
			}
		case e-s <= maxLong:
			for x := s; x < e; x++ {
				for y := x + 1; y < min(e, x+1+longReach); y++ {
					if a, b := ps[x].doc, ps[y].doc; a != b {
						long = append(long, uint64(a)<<32|uint64(b))
					}
				}
			}
		}
		s = e
	}
	slices.Sort(long)
	for i := 1; i < len(long); i++ {
		if long[i] == long[i-1] && (i == 1 || long[i-2] != long[i]) {
			cand = append(cand, long[i])
		}
	}
	// Score each pair once: bucket the pairs by their first item (a
	// counting sort, linear), then skip a second item already seen in
	// the bucket. Sorting them all costs more than scoring.
	n := len(g.docs)
	bucket := make([]int32, n+1)
	for _, c := range cand {
		bucket[c>>32+1]++
	}
	for k := 1; k <= n; k++ {
		bucket[k] += bucket[k-1]
	}
	second := make([]int32, len(cand))
	fill := slices.Clone(bucket[:n])
	for _, c := range cand {
		a := c >> 32
		second[fill[a]] = int32(c & 0xffffffff)
		fill[a]++
	}
	seen := fill // reused: seen[b] = a+1 once pair (a, b) is scored
	clear(seen)
	var edges []edge
	for a := range n {
		for _, b := range second[bucket[a]:bucket[a+1]] {
			if seen[b] == int32(a+1) {
				continue
			}
			seen[b] = int32(a + 1)
			if sim := g.sim(a, int(b), g.threshold); sim >= g.threshold {
				edges = append(edges, edge{int32(a), b, float32(sim)})
			}
		}
	}
	slices.SortFunc(edges, func(x, y edge) int {
		if c := cmp.Compare(y.sim, x.sim); c != 0 {
			return c
		}
		if c := cmp.Compare(x.a, y.a); c != 0 {
			return c
		}
		return cmp.Compare(x.b, y.b)
	})
	return edges
}
