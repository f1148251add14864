package digest

import (
	"cmp"
	"math"
	"slices"

	"github.com/triagebot/triagebot/news"
)

// link merges stories along the candidate pairs, best first, when the
// mean similarity across the two stories reaches storyShare × the
// threshold. Each story's items form a circular list through next, so
// merging is O(1) and a week of singletons allocates nothing per item.
func (g *grouper) link(edges []edge) {
	n, m := len(g.docs), g.m
	// The candidates' buckets and fill are dead by now: next and size
	// take their arrays rather than fresh pages.
	next := sized(m.bucket, n) // set below
	size := zeroed(m.fill, n)
	m.bucket, m.fill = next, size
	for i := range next {
		next[i] = int32(i)
	}
	// first, last: the story's publication span, kept within the window
	// (identical copies a month apart are not one story, however alike).
	// They take the arrays of the candidates' pairs and sorted postings,
	// dead by now, over pages those touched.
	first, last := sized(m.cand, n), sized(m.sorted, n) // set below
	m.cand, m.sorted = first, last
	for i := range n {
		r := g.uf.find(i)
		size[r]++
		if r != i {
			next[i], next[r] = next[r], int32(i)
		}
	}
	for i := range n {
		first[i], last[i] = math.MaxInt64, math.MinInt64
	}
	for i := range n {
		if t := g.docs[i].unix; t != 0 {
			r := g.uf.find(i)
			first[r], last[r] = min(first[r], t), max(last[r], t)
		}
	}
	// members lists up to maxCompare items of root r's story into buf.
	members := func(r int, buf []int32) []int32 {
		buf = append(buf[:0], int32(r))
		for x := next[r]; x != int32(r) && len(buf) < maxCompare; x = next[x] {
			buf = append(buf, x)
		}
		return buf
	}
	bufA, bufB := m.bufA, m.bufB
	defer func() { m.bufA, m.bufB = bufA, bufB }()
	for _, e := range edges {
		ra, rb := g.uf.find(int(e.a)), g.uf.find(int(e.b))
		if ra == rb {
			continue
		}
		lo, hi := min(first[ra], first[rb]), max(last[ra], last[rb])
		if hi != math.MinInt64 && lo != math.MaxInt64 && hi-lo > windowSeconds {
			continue
		}
		if size[ra] > 1 || size[rb] > 1 {
			bufA, bufB = members(ra, bufA), members(rb, bufB)
			if g.conflict(bufA, bufB) {
				continue
			}
			var sum float64
			for _, x := range bufA {
				g.sp.set(g.docs[x].vec())
				for _, y := range bufB {
					sum += g.sim(g.sp, int(x), int(y), 0)
				}
				g.sp.unset(g.docs[x].vec())
			}
			if sum/float64(len(bufA)*len(bufB)) < g.threshold*storyShare {
				continue
			}
		}
		g.uf.union(ra, rb)
		r := g.uf.find(ra)
		next[ra], next[rb] = next[rb], next[ra] // splice the two circles
		size[r] = size[ra] + size[rb]
		first[r], last[r] = lo, hi
	}
}

// groups lists the stories, lead first, in input order of their first
// item, one backing array for every story's items.
func (g *grouper) groups() [][]*news.Item {
	idx, bounds := g.storyDocs()
	flat := make([]*news.Item, len(idx))
	for k, i := range idx {
		flat[k] = g.docs[i].it
	}
	out := make([][]*news.Item, 0, len(bounds)-1)
	for s := range len(bounds) - 1 {
		a, b := bounds[s], bounds[s+1]
		out = append(out, flat[a:b:b])
	}
	return out
}

// storyDocs lists the stories as doc indexes: story s is
// idx[bounds[s]:bounds[s+1]], lead first (leadBefore), the stories in
// input order of their first item. A counting pass.
func (g *grouper) storyDocs() (idx, bounds []int32) {
	n, m := len(g.docs), g.m
	// link's next is dead by now: roots takes its array.
	roots := sized(m.bucket, n) // set below
	start := zeroed(m.start, n+1)
	m.bucket, m.start = roots, start
	stories := 0
	for i := range n {
		r := g.uf.find(i)
		roots[i] = int32(r)
		start[r+1]++
		if r == i {
			stories++
		}
	}
	for i := 1; i <= n; i++ {
		start[i] += start[i-1]
	}
	fill := append(m.fill[:0], start...)
	idx = sized(m.second, n) // set below; the candidates' second items are dead by now
	m.fill, m.second = fill, idx
	for i := range n {
		r := roots[i]
		idx[fill[r]] = int32(i)
		fill[r]++
	}
	// The vectors are dead by now: the bounds lie in the feats arena's
	// first chunk, past the stories' room (boundsOver).
	bounds = boundsOver(&m.feats, n, stories+1)[:0]
	for r := range n {
		if a, b := start[r], start[r+1]; b > a {
			if b-a > 1 {
				// The permutation leadBefore makes of the items; a generic
				// sort, since sort.SliceStable allocates for each of a
				// week's ten thousand stories of several items.
				slices.SortStableFunc(idx[a:b], func(x, y int32) int {
					dx, dy := &g.docs[x], &g.docs[y]
					// What the docs tell apart needs no item: a paper
					// goes after, and a doc's time is its item's
					// Published in whole seconds, 0 when unknown.
					switch {
					case dx.paper != dy.paper:
						return cmp.Compare(b2u(dx.paper), b2u(dy.paper))
					case dx.unix != dy.unix && dx.unix != 0 && dy.unix != 0:
						return cmp.Compare(dx.unix, dy.unix)
					case leadBefore(dx.it, dy.it):
						return -1
					case leadBefore(dy.it, dx.it):
						return 1
					}
					return 0
				})
			}
			bounds = append(bounds, a)
		}
	}
	bounds = append(bounds, int32(n))
	return idx, bounds
}

// conflict reports whether an item of one story names a place that an
// item of the other never mentions, and the other way round
// (placesConflict): a story about Travis County does not take in a
// report from Wake County through a third report that names neither.
func (g *grouper) conflict(xs, ys []int32) bool {
	for _, x := range xs {
		if g.docs[x].nplace == 0 {
			continue
		}
		for _, y := range ys {
			if placesConflict(&g.docs[x], &g.docs[y], g.m.db.placeIDs) {
				return true
			}
		}
	}
	return false
}
