package digest

import (
	"cmp"
	"math"
	"slices"
	"strings"

	"github.com/triagebot/triagebot/internal/text"
)

// candidates pairs items that share a blocking key (one of each item's
// rarest headline terms or names) or a paper's distinctive name, scored.
// Only pairs at or above the threshold can start a story, so only those
// are kept.
func (g *grouper) candidates() []edge {
	m := g.m
	// About one or two postings per item in a week's batch: room for one
	// each spares the first doublings of a list of a hundred thousand.
	// They lie in the array of the pairs below (m.cand: link's times of
	// the build before, dead), which take it over once the postings are
	// sorted into their own: the pairs are written over pages the
	// postings touched, not over fresh ones. Room for two per item (link
	// takes the array for a time per item).
	ps := emptied(m.cand, 2*len(g.docs))
	keys := emptied(m.keys, 64)
	df := g.voc.df
	// The batch's earliest and latest known times: the sorted postings
	// carry each item's time as an offset from the earliest (near).
	tmin, tmax := int64(math.MaxInt64), int64(math.MinInt64)
	for i := range g.docs {
		d := &g.docs[i]
		if d.unix != 0 {
			tmin, tmax = min(tmin, d.unix), max(tmax, d.unix)
		}
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
	// The vocab's table is done with now (the paper names above took the
	// last ids; from here grouping reads a term's count and kind, kept
	// apart), as is the forms table (joinHard read it last): the counts
	// and lists below take their arrays rather than fresh pages (1.5 MB
	// at 100,000 items). Each holds 12 bytes a slot, the vocab's two
	// slots a term and the forms' at least one an item (tableSize of half
	// the items): room for start and the spread in the one, and for
	// bucket and fill in the other, whatever the batch (over makes fresh
	// ones if not).
	terms, n := len(g.voc.df), len(g.docs)
	vocMem, formsMem := g.voc.ids.int32s(), m.db.forms.int32s()
	// Room for storyDocs too, which reuses it for n+1 counts: one array,
	// not a second one to fault in.
	start, vocMem := over[int32](vocMem, max(terms, n)+1)
	start = start[:terms+1]
	clear(start)
	m.start = start
	w, vocMem := over[float32](vocMem, terms)
	pos, _ := over[uint8](vocMem, terms)
	m.sp.w, m.sp.pos = w, pos
	m.sp.reset(terms) // clears them
	g.sp = &m.sp
	for _, p := range ps {
		start[postingKey(p)+1]++
	}
	for k := 1; k < len(start); k++ {
		start[k] += start[k-1]
	}
	// Sorted, a posting needs no key (start bounds each term's run): it
	// carries its item's time instead, so that a pair more than the
	// window apart is never listed, and scoring does not read the second
	// item's doc only for gate to turn the pair down (a third of a
	// week's pairs). The docs are read here in input order, not at
	// random. A batch whose times span more than 32 bits of seconds
	// keeps no times (0, unknown): gate still turns those pairs down.
	timed := tmin <= tmax && uint64(tmax-tmin) < math.MaxUint32
	// Every one is set. Room for a time per item too: link lays the
	// stories' last times over the array once it is dead, on pages the
	// postings touched (a week has about as many postings as items).
	sorted := sized(m.sorted, max(len(ps), len(g.docs)))[:len(ps)]
	m.sorted = sorted
	for _, p := range ps {
		k := postingKey(p)
		var t uint32
		if u := g.docs[postingDoc(p)].unix; u != 0 && timed {
			t = uint32(u-tmin) + 1
		}
		sorted[start[k]] = int64(t)<<32 | int64(uint32(p))
		start[k]++
	}
	ps = sorted
	// start[k] is now where term k's run ends.
	runs := start[:len(start)-1]
	// Pairs as a<<32|b (a < b), deduplicated below: a pair meeting under
	// several keys is scored once. A rare term's posting pairs all its
	// items. A common one is a key only when it is a name (a big story's
	// "Zephyr-9"): then each item meets its next few in input order, and
	// such a pair must meet under two common names. Linkage joins along
	// any path of candidate pairs, so a big story is still reached.
	// Sized first: doubling a list of a few hundred thousand pairs would
	// allocate and copy it twice over. Pairs are int64 (a, b < 2^31), so
	// that link can take the array for its first times (int64, one per
	// item) once it is dead: room for those too (pages never written are
	// never touched, and what link writes over the pairs is not touched
	// twice).
	pairs, longPairs := 0, 0
	s := int32(0)
	for _, e := range runs {
		switch {
		case s == e:
		case !postingLong(ps[s]):
			pairs += int(e-s) * int(e-s-1) / 2
		case e-s <= maxLong:
			longPairs += int(e-s) * longReach // at most; room is cheap
		}
		s = e
	}
	// A long pair counts once it meets twice. The unsorted postings'
	// array (m.cand) is dead by now.
	cand := emptied(m.cand, max(pairs+longPairs/2, 2*len(g.docs)))
	long := m.long[:0]
	s = 0
	for _, e := range runs {
		switch {
		case s == e:
		case !postingLong(ps[s]):
			for x := s; x < e; x++ {
				for y := x + 1; y < e; y++ {
					if a, b := postingDoc(ps[x]), postingDoc(ps[y]); a != b && near(ps[x], ps[y]) {
						cand = append(cand, int64(min(a, b))<<32|int64(max(a, b)))
					}
				}
			}
		case e-s <= maxLong:
			for x := s; x < e; x++ {
				for y := x + 1; y < min(e, x+1+longReach); y++ {
					if a, b := postingDoc(ps[x]), postingDoc(ps[y]); a != b && near(ps[x], ps[y]) {
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
	bucket, formsMem := over[int32](formsMem, n+1)
	clear(bucket)
	m.bucket = bucket
	for _, c := range cand {
		bucket[c>>32+1]++
	}
	for k := 1; k <= n; k++ {
		bucket[k] += bucket[k-1]
	}
	second := sized(m.second, len(cand)) // every one is set
	m.second = second
	fill, _ := over[int32](formsMem, n+1) // n+1: storyDocs reuses it
	fill = fill[:n]
	copy(fill, bucket[:n])
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
		if kx, ky := x.order(), y.order(); kx != ky {
			return cmp.Compare(kx, ky)
		}
		return cmp.Compare(x.b, y.b)
	})
	return edges
}

// order is where an edge goes among the candidates, best first: by
// similarity, highest first, then by first item, in one comparison. A
// kept edge's similarity is at least the threshold, so positive, and
// positive floats order as their bits do.
func (e edge) order() uint64 {
	return uint64(^math.Float32bits(e.sim))<<32 | uint64(uint32(e.a))
}

// spread is one item's vector laid out over the whole vocabulary, so each
// of its candidates is scored in one pass over its own terms instead of
// a merge of two sorted lists (a week has a hundred thousand candidate
// pairs; the merge's branches cost more than the arithmetic).
type spread struct {
	w   []float32 // by term id; 0 = not in the item
	pos []uint8   // by term id: the word's position (see feat.pos)
}

func newSpread(terms int) *spread {
	return &spread{w: make([]float32, terms), pos: make([]uint8, terms)}
}

// reset readies s for a batch of that many terms, in the memory it has.
// set and unset leave it all zero between items; cleared anyway, so a
// build that stopped midway leaves nothing behind.
func (s *spread) reset(terms int) {
	s.w, s.pos = zeroed(s.w, terms), zeroed(s.pos, terms)
}

func (s *spread) set(v []feat) {
	for _, f := range v {
		s.w[f.id()] = f.w
		s.pos[f.id()] = f.pos()
	}
}

func (s *spread) unset(v []feat) {
	for _, f := range v {
		s.w[f.id()] = 0
		s.pos[f.id()] = 0
	}
}

// cosine of the spread item's unit vector and v; how many words (not
// names, not boilerplate) they share; and where in the two items the
// first of those are (at[:n]), from which countAdjacent tells how many
// follow another shared word in both ("Elon Musk" in both is one shared
// thing, not two). Counted by the caller, only for a pair whose cosine
// reaches the floor: most do not, and the count is quadratic in n.
//
// It runs for every term of every candidate's vector, most of them not
// in the spread item, so that path is kept short: the arrays are read
// into locals (stores to at would otherwise make the compiler load them
// again for each term), the id is unsigned (no sign extension before
// indexing), and a weight is tested for 0 by its bits (one integer test
// instead of a float compare, which also checks for NaN; a set weight is
// positive, so its bits are never 0).
func (s *spread) cosine(v []feat, at *[16][2]uint8) (dot float64, words, n int) {
	w, pos := s.w, s.pos
	var sum float32
	for _, f := range v {
		id := f.t >> featIDShift // f.id(), unsigned
		x := w[id]
		if math.Float32bits(x) == 0 {
			continue
		}
		sum += x * f.w
		if f.word() {
			words++
			if p, q := pos[id], f.pos(); p != 0 && q != 0 && n < len(at) {
				at[n] = [2]uint8{p, q}
				n++
			}
		}
	}
	return float64(sum), words, n
}

// A posting is one item under one of its blocking keys (candidates), in
// 8 bytes (a week has some 150,000, written twice by the counting sort):
// the key (a term's id) in the high half; the item's index in the low,
// its top bit set when the term is in more than maxPosting items (long).
// Once sorted by key, the high half holds the item's time instead (near).
// A plain int64, as the pairs are, so that the pairs take the postings'
// array.
const postingLongBit = 1 << 31

func newPosting(key, doc int32, long bool) int64 {
	d := uint32(doc)
	if long {
		d |= postingLongBit
	}
	return int64(key)<<32 | int64(d)
}

func postingKey(p int64) int32 { return int32(p >> 32) }
func postingDoc(p int64) int32 { return int32(uint32(p) &^ postingLongBit) }
func postingLong(p int64) bool { return uint32(p)&postingLongBit != 0 }

// near reports whether two sorted postings' items may be one story by
// their times: either unknown (0), or at most the window apart (gate).
func near(p, q int64) bool {
	tp, tq := uint32(p>>32), uint32(q>>32)
	return tp == 0 || tq == 0 || max(tp, tq)-min(tp, tq) <= windowSeconds
}

// byWeight sorts an item's keys, heaviest first; stable, so ties keep
// term order. Insertion sort: a headline has a dozen keys.
func byWeight(fs []feat) {
	for i := 1; i < len(fs); i++ {
		x := fs[i]
		j := i
		for j > 0 && fs[j-1].w < x.w {
			fs[j] = fs[j-1]
			j--
		}
		fs[j] = x
	}
}
