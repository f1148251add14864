package digest

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/triagebot/triagebot/news"
)

const (
	// DefaultThreshold is the mean similarity every item of a story must
	// reach with the story's other items (average linkage over TF-IDF
	// cosine). Chosen for precision on held-out halves of a labelled
	// set of real headlines (README, "Story grouping").
	DefaultThreshold = 0.22
	// storyShare: two stories join when a pair between them reaches the
	// threshold and the mean over all their pairs reaches this share of
	// it (average linkage). At 1 a story of six headlines rarely grows
	// past three; at 0 one look-alike pair chains two stories.
	storyShare = 0.8
	// minShared words (not names, not boilerplate) two items must share.
	minShared = 2
	// onePhraseShare scales the similarity of two items whose shared
	// words are one phrase.
	onePhraseShare = 0.6
	// unnamedShare scales the similarity of two items that share no
	// distinctive name.
	unnamedShare = 0.6
	// windowSeconds: items more than three days apart are not one story
	// ("Hello GPT-4o" in 2024 and a GPT-4o rollback in 2025).
	windowSeconds = 3 * 24 * 3600
	// maxKeys rarest terms of each item look for candidates; a term in
	// more than maxPosting items pairs each with its longReach next ones
	// only, and one in more than maxLong none. Together they keep the
	// work near-linear: never all pairs.
	maxKeys     = 6
	maxPosting  = 48
	longReach   = 8
	maxNameKeys = 3
	maxLong     = 400 // no story has more reports in a window; a term in more items is a common word
	// maxCompare members of each side are compared when two stories meet,
	// so a huge story costs a constant.
	maxCompare = 24
	// paperSalt keeps paper-name postings apart from term postings.
	paperSalt = 0x70617065_00000000
	// nameCommon: a name in more items than this is not distinctive.
	nameCommon = 12
)

// cluster groups the items into stories, lead first.
func cluster(items []*news.Item) []Story {
	groups := Group(items, GroupOptions{})
	stories := make([]Story, len(groups))
	for i, g := range groups {
		stories[i] = storyOf(g)
	}
	return stories
}

// GroupOptions tune Group; the zero value is what the digest uses.
type GroupOptions struct {
	// Threshold overrides DefaultThreshold (0 = the default); for
	// measuring, not for everyday use.
	Threshold float64
}

// Group splits items into stories, each lead first (see sortLeadFirst).
// It is the digest's own grouping, exported so `triagebot cluster` can
// measure exactly what the digest does.
//
// How: every item becomes a TF-IDF vector of its headline, the start of
// its summary and its names (IDF from the batch). Candidates come only
// from items sharing one of their rarest terms (blocking), so the work
// stays near-linear. Candidate pairs are taken best first, and two
// stories join only when the mean similarity over all their items'
// pairs reaches the threshold (average linkage): a story is not a chain
// of look-alike headlines. The same arXiv id, or one item linking the
// other, joins outright. Items more than three days apart never join;
// two papers join only by arXiv id; a paper joins coverage that names it
// in the headline only when its name is distinctive ("ChartLens:", not
// "Atlas:"); an English and a Chinese item join only when they share two
// distinctive names, company names never counting.
func Group(items []*news.Item, o GroupOptions) [][]*news.Item {
	g := newGrouper(items, o)
	g.joinHard()
	g.link(g.candidates())
	return g.groups()
}

type grouper struct {
	docs      []doc
	threshold float64
	df        *counts // items per term, name and (salted) name key
	uf        *unionFind
}

type edge struct {
	a, b int32
	sim  float32
}

func newGrouper(items []*news.Item, o GroupOptions) *grouper {
	g := &grouper{docs: make([]doc, len(items)), threshold: o.Threshold}
	if g.threshold <= 0 {
		g.threshold = DefaultThreshold
	}
	scratch := make([]feat, 0, 256)
	var arena []feat
	var pairArena []uint64
	g.df = newCounts(1 << 12) // grows; small while the vocabulary is, so it stays in cache
	texts := 0
	for i, it := range items {
		d := makeDoc(it, &scratch, &arena, &pairArena)
		for _, f := range d.vec {
			g.df.add(f.h)
		}
		if !d.paper {
			texts++
		}
		g.docs[i] = d
	}
	weigh(g.docs, g.df, texts)
	// Only terms rare enough to block on keep the key mark; the rarest
	// few of each item are its blocking keys.
	for i := range g.docs {
		v := g.docs[i].vec
		for k := range v {
			if n := g.df.get(v[k].h); n < 2 {
				v[k].key = false
			}
		}
	}
	g.uf = newUnionFind(len(items))
	return g
}

// joinHard joins what needs no similarity: one arXiv id (a paper, its
// versions and cross-lists, and items citing it) and an item whose
// summary links another item's page.
func (g *grouper) joinHard() {
	byArxiv := map[string]int{}
	for i, d := range g.docs {
		if d.arxiv != "" {
			if j, ok := byArxiv[d.arxiv]; ok {
				g.uf.union(i, j)
			} else {
				byArxiv[d.arxiv] = i
			}
		}
	}
	for i, d := range g.docs {
		for _, r := range d.refs {
			if j, ok := byArxiv[r]; ok {
				g.uf.union(i, j)
			}
		}
	}
	linking := false
	for i := range g.docs {
		linking = linking || len(g.docs[i].links) > 0
	}
	if !linking {
		return
	}
	byURL := map[string]int{}
	for i, d := range g.docs {
		if d.url != "" {
			byURL[d.url] = i
		}
	}
	for i, d := range g.docs {
		for _, l := range d.links {
			if j, ok := byURL[l]; ok && j != i {
				g.uf.union(i, j)
			}
		}
	}
}

// candidates pairs items that share a blocking key (one of each item's
// rarest headline terms or names) or a paper's distinctive name, scored.
// Only pairs at or above the threshold can start a story, so only those
// are kept.
func (g *grouper) candidates() []edge {
	type posting struct {
		key  uint64
		doc  int32
		long bool // the term is in more than maxPosting items
	}
	var ps []posting
	keys := make([]feat, 0, 64)
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
			long := g.df.get(f.h) > maxPosting
			if (k < maxKeys || f.name && names < maxNameKeys) && (!long || f.name) {
				ps = append(ps, posting{f.h, int32(i), long})
			}
			if f.name {
				names++
			}
		}
	}
	// A paper's own name meets every item that names it (sim then asks
	// for the name, with its capitals, in the headline).
	papers := map[string]bool{}
	for i := range g.docs {
		if n := g.docs[i].paperName; n != "" {
			k := strings.ToLower(n)
			papers[k] = true
			ps = append(ps, posting{fnvString(k) ^ paperSalt, int32(i), false})
		}
	}
	if len(papers) > 0 {
		for i := range g.docs {
			for _, n := range g.docs[i].names {
				if papers[n.key] {
					ps = append(ps, posting{fnvString(n.key) ^ paperSalt, int32(i), false})
				}
			}
		}
	}
	slices.SortFunc(ps, func(a, b posting) int {
		if c := cmp.Compare(a.key, b.key); c != 0 {
			return c
		}
		return cmp.Compare(a.doc, b.doc)
	})
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
						cand = append(cand, uint64(a)<<32|uint64(b))
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
	slices.Sort(cand)
	cand = slices.Compact(cand)
	var edges []edge
	for _, c := range cand {
		a, b := int32(c>>32), int32(c&0xffffffff)
		if sim := g.sim(int(a), int(b), g.threshold); sim >= g.threshold {
			edges = append(edges, edge{a, b, float32(sim)})
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

// sim is how alike two items are, 0–1, under the rules that keep
// different stories apart.
//
// floor > 0 lets a caller that only wants pairs at or above it skip the
// rules' work for pairs whose cosine is already below.
func (g *grouper) sim(i, j int, floor float64) float64 {
	a, b := &g.docs[i], &g.docs[j]
	if a.unix != 0 && b.unix != 0 && (a.unix-b.unix > windowSeconds || b.unix-a.unix > windowSeconds) {
		return 0
	}
	if a.paper || b.paper {
		if a.paper && b.paper {
			return 0 // two results, whatever they share (one arXiv id joined already)
		}
		p, n := a, b
		if b.paper {
			p, n = b, a
		}
		if p.paperName != "" && containsWord(n.it.Title, p.paperName) {
			return 1
		}
		return 0
	}
	cos, shared := cosine(a.vec, b.vec)
	if a.han == b.han && cos < floor {
		return 0 // below the floor already; every rule below only lowers it
	}
	if a.han != b.han {
		// Across languages the words differ; only names can bridge, and
		// one shared name ("GPT-5") is a topic, not a story.
		if sharedNames(a, b, g.df, nameCommon) < 2 {
			return 0
		}
		return max(cos, g.threshold)
	}
	if shared < minShared {
		// One shared word is a topic ("assistant"), not a story.
		return 0
	}
	if shared-sharedPairs(a.pairs, b.pairs) < minShared {
		// One shared name is one thing however many words it has: "Elon
		// Musk" in two headlines is a person, not yet a story.
		cos *= onePhraseShare
	}
	if sharedNames(a, b, g.df, nameCommon) == 0 {
		// Two reports of one story name the same someone or something;
		// "a new AI assistant for doctors" and "… for lawyers" do not.
		return cos * unnamedShare
	}
	return cos
}

// link merges stories along the candidate pairs, best first, when the
// mean similarity across the two stories reaches storyShare × the
// threshold. Each story's items form a circular list through next, so
// merging is O(1) and a week of singletons allocates nothing per item.
func (g *grouper) link(edges []edge) {
	n := len(g.docs)
	next := make([]int32, n)
	size := make([]int32, n)
	for i := range next {
		next[i] = int32(i)
	}
	// first, last: the story's publication span, kept within the window
	// (identical copies a month apart are not one story, however alike).
	first := make([]int64, n)
	last := make([]int64, n)
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
	var bufA, bufB []int32
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
			var sum float64
			for _, x := range bufA {
				for _, y := range bufB {
					sum += g.sim(int(x), int(y), 0)
				}
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
// item: a counting pass, one backing array for every story's items.
func (g *grouper) groups() [][]*news.Item {
	n := len(g.docs)
	roots := make([]int32, n)
	start := make([]int32, n+1)
	for i := range n {
		r := g.uf.find(i)
		roots[i] = int32(r)
		start[r+1]++
	}
	for i := 1; i <= n; i++ {
		start[i] += start[i-1]
	}
	fill := slices.Clone(start)
	flat := make([]*news.Item, n)
	for i := range n {
		r := roots[i]
		flat[fill[r]] = g.docs[i].it
		fill[r]++
	}
	out := make([][]*news.Item, 0, n/2)
	for r := range n {
		if a, b := start[r], start[r+1]; b > a {
			its := flat[a:b:b]
			if len(its) > 1 {
				sortLeadFirst(its)
			}
			out = append(out, its)
		}
	}
	return out
}

// containsWord reports whether name occurs in s as a whole word, with
// its own capitals: "ProFit" is not "Profit".
func containsWord(s, name string) bool {
	for off := 0; ; {
		i := strings.Index(s[off:], name)
		if i < 0 {
			return false
		}
		i += off
		before, _ := utf8.DecodeLastRuneInString(s[:i])
		after, _ := utf8.DecodeRuneInString(s[i+len(name):])
		if !isWordRune(before) && !isWordRune(after) {
			return true
		}
		off = i + 1
	}
}

func isWordRune(r rune) bool {
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r)) && !unicode.Is(unicode.Han, r)
}
