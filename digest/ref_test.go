package digest

// The build's steps after the docs as main had them (86be76f), kept as
// the straightforward versions the faster ones are checked against
// (TestStoriesMatchRef); the story type they fill is the build's.

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/triagebot/triagebot/internal/text"
)

// candidatesRef is candidates as main had it.
func (g *grouper) candidatesRef() []edge {
	m := g.m
	// About one or two postings per item in a week's batch: room for one
	// each spares the first doublings of a list of a hundred thousand.
	// They lie in the array of the pairs below (m.cand: link's times of
	// the build before, dead), which take it over once the postings are
	// sorted into their own: the pairs are written over pages the
	// postings touched, not over fresh ones. Room for two per item, as
	// link takes the array for two times per item.
	ps := emptied(m.cand, 2*len(g.docs))
	keys := emptied(m.keys, 64)
	df := g.voc.df
	for i := range g.docs {
		d := &g.docs[i]
		keys = keys[:0]
		for _, f := range d.vec() {
			if f.key() {
				keys = append(keys, f)
			}
		}
		// Highest weight = rarest and in the headline.
		byWeight(keys)
		names := 0
		for k, f := range keys {
			// The rarest terms, and the rarest few names whatever their
			// rank: a big story's reports share its name. A term in more
			// than maxPosting items is a key only if it is a name.
			id := f.id()
			name := g.voc.isName(id)
			long := df[id] > maxPosting
			if (k < maxKeys || name && names < maxNameKeys) && (!long || name) {
				ps = append(ps, newPosting(id, int32(i), long))
			}
			if name {
				names++
			}
		}
	}
	// A paper's own name meets every item that names it (sim then asks
	// for the name, with its capitals, in the headline).
	papers := m.papers
	if papers == nil {
		papers = map[string]int32{}
		m.papers = papers
	}
	clear(papers)
	for i := range g.docs {
		if n := g.docs[i].paperName(); n != "" {
			k := strings.ToLower(n)
			id, ok := papers[k]
			if !ok {
				id = g.voc.id(text.FNV1a(k) ^ paperSalt)
				papers[k] = id
			}
			ps = append(ps, newPosting(id, int32(i), false))
		}
	}
	if len(papers) > 0 {
		for i := range g.docs {
			for _, n := range g.docs[i].names() {
				if id, ok := papers[n.key]; ok {
					ps = append(ps, newPosting(id, int32(i), false))
				}
			}
		}
	}
	// Group postings by term: a counting sort over the dense ids, stable,
	// so each term's items stay in input order.
	m.cand, m.keys = ps, keys
	// Room for storyDocs too, which reuses it for n+1 counts: one array,
	// not a second one to fault in.
	start := zeroed(emptied(m.start, max(len(g.voc.df), len(g.docs))+1), len(g.voc.df)+1)
	m.start = start
	for _, p := range ps {
		start[postingKey(p)+1]++
	}
	for k := 1; k < len(start); k++ {
		start[k] += start[k-1]
	}
	sorted := sized(m.sorted, len(ps)) // every one is set
	m.sorted = sorted
	for _, p := range ps {
		k := postingKey(p)
		sorted[start[k]] = p
		start[k]++
	}
	ps = sorted
	// Pairs as a<<32|b (a < b), deduplicated below: a pair meeting under
	// several keys is scored once. A rare term's posting pairs all its
	// items. A common one is a key only when it is a name (a big story's
	// "Zephyr-9"): then each item meets its next few in input order, and
	// such a pair must meet under two common names. Linkage joins along
	// any path of candidate pairs, so a big story is still reached.
	// Sized first: doubling a list of a few hundred thousand pairs would
	// allocate and copy it twice over. Pairs are int64 (a, b < 2^31), so
	// that link can take the array for its two int64 times per item once
	// it is dead: room for those too (pages never written are never
	// touched, and what link writes over the pairs is not touched twice).
	pairs, longPairs := 0, 0
	for s := 0; s < len(ps); {
		e := s + 1
		for e < len(ps) && postingKey(ps[e]) == postingKey(ps[s]) {
			e++
		}
		switch {
		case !postingLong(ps[s]):
			pairs += (e - s) * (e - s - 1) / 2
		case e-s <= maxLong:
			longPairs += (e - s) * longReach // at most; room is cheap
		}
		s = e
	}
	// A long pair counts once it meets twice. The unsorted postings'
	// array (m.cand) is dead by now.
	cand := emptied(m.cand, max(pairs+longPairs/2, 2*len(g.docs)))
	long := m.long[:0]
	for s := 0; s < len(ps); {
		e := s + 1
		for e < len(ps) && postingKey(ps[e]) == postingKey(ps[s]) {
			e++
		}
		switch {
		case !postingLong(ps[s]):
			for x := s; x < e; x++ {
				for y := x + 1; y < e; y++ {
					if a, b := postingDoc(ps[x]), postingDoc(ps[y]); a != b {
						cand = append(cand, int64(min(a, b))<<32|int64(max(a, b)))
					}
				}
			}
		case e-s <= maxLong:
			for x := s; x < e; x++ {
				for y := x + 1; y < min(e, x+1+longReach); y++ {
					if a, b := postingDoc(ps[x]), postingDoc(ps[y]); a != b {
						long = append(long, int64(a)<<32|int64(b))
					}
				}
			}
		}
		s = e
	}
	m.long = long
	slices.Sort(long)
	for i := 1; i < len(long); i++ {
		if long[i] == long[i-1] && (i == 1 || long[i-2] != long[i]) {
			cand = append(cand, long[i])
		}
	}
	// Score each pair once: bucket the pairs by their first item (a
	// counting sort, linear), then skip a second item already seen in
	// the bucket. Sorting them all costs more than scoring.
	m.cand = cand
	n := len(g.docs)
	bucket := zeroed(m.bucket, n+1)
	m.bucket = bucket
	for _, c := range cand {
		bucket[c>>32+1]++
	}
	for k := 1; k <= n; k++ {
		bucket[k] += bucket[k-1]
	}
	second := sized(m.second, len(cand)) // every one is set
	m.second = second
	fill := append(emptied(m.fill, n+1), bucket[:n]...) // n+1: storyDocs reuses it
	m.fill = fill
	for _, c := range cand {
		a := c >> 32
		second[fill[a]] = int32(c & 0xffffffff)
		fill[a]++
	}
	seen := fill // reused: seen[b] = a+1 once pair (a, b) is scored
	clear(seen)
	// Room for every pair, each scored once: grown by append, the list
	// would allocate some five times its size on the way; pages past what
	// is written are never touched.
	edges := emptied(m.edges, len(cand))
	m.sp.reset(len(g.voc.df))
	g.sp = &m.sp
	for a := range n {
		spread := false
		for _, b := range second[bucket[a]:bucket[a+1]] {
			if seen[b] == int32(a+1) {
				continue
			}
			seen[b] = int32(a + 1)
			if !spread {
				g.sp.set(g.docs[a].vec())
				spread = true
			}
			if sim := g.sim(g.sp, a, int(b), g.threshold); sim >= g.threshold {
				edges = append(edges, edge{int32(a), b, float32(sim)})
			}
		}
		if spread {
			g.sp.unset(g.docs[a].vec())
		}
	}
	m.edges = edges
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

// storiesCuedRef is storiesCued as main had it.
func (g *grouper) storiesCuedRef(c *cues, since time.Time) []story {
	m := g.m
	g.joinHard()
	g.link(g.candidatesRef())
	idx, bounds := g.storyDocsRef()
	flat := sized(m.flat, len(idx))
	m.flat = flat
	for k, i := range idx {
		flat[k] = g.docs[i].it
	}
	stories := zeroed(m.stories, len(bounds)-1)
	m.stories = stories
	fs := m.fs[:0]
	defer func() { m.fs = fs }()
	for k := range stories {
		a, b := bounds[k], bounds[k+1]
		s := &stories[k]
		aside := s.initMany(flat[a:b:b], a, since) // the general path, for one item too
		switch {
		case c == nil:
		case b-a == 1:
			s.feat, s.hasFeat = g.docs[idx[a]].feat, true
		default:
			fs = fs[:0]
			for _, i := range idx[a:b] {
				fs = append(fs, g.docs[i].feat.unpack())
			}
			s.leadFirst(flat, c, fs)
		}
		// The lead's choice reordered the items: keep aside what show
		// would read differently now.
		if b-a == 1 || aside.earliest == earliestOf(s.its(flat)) {
			aside.earliest = nil
		}
		if aside.pickedBy != nil || aside.earliest != nil {
			if m.aside == nil {
				m.aside = map[int32]storyAside{}
			}
			m.aside[s.at] = aside
		}
	}
	return stories
}

// storyDocsRef is storyDocs as main had it.
func (g *grouper) storyDocsRef() (idx, bounds []int32) {
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
	bounds = make([]int32, 0, stories+1)
	for r := range n {
		if a, b := start[r], start[r+1]; b > a {
			if b-a > 1 {
				// The permutation leadBefore makes of the items; a generic
				// sort, since sort.SliceStable allocates for each of a
				// week's ten thousand stories of several items.
				slices.SortStableFunc(idx[a:b], func(x, y int32) int {
					switch {
					case leadBefore(g.docs[x].it, g.docs[y].it):
						return -1
					case leadBefore(g.docs[y].it, g.docs[x].it):
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
