package digest

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/triagebot/triagebot/news"
)

const (
	sigSize  = 16 // MinHash values per item
	bandRows = 2  // 8 bands of 2: items with Jaccard 0.5 meet in a band 90% of the time
	// nearDup is the estimated Jaccard similarity of title+lede words above
	// which two items are the same report.
	nearDup = 0.5
	ledeLen = 160
	// rareNames: a name in more titles than this in one window is too
	// common to say two items are one story.
	rareNames = 12
)

// doc is what clustering knows about one item.
type doc struct {
	it     *news.Item
	sig    [sigSize]uint32
	names  []string // distinctive-looking names from the title
	model  []bool   // names[i] looks like a model or product name ("gpt-5", "opus 5")
	arxiv  string   // the paper's own id
	refs   []string // arXiv ids the text mentions
	paper  bool
	nwords int
	words  []uint64 // sorted word hashes, for an exact similarity on candidates
	han    bool     // the title is Chinese
	lead   string   // a paper's own name, the "SparseChart" of "SparseChart: ..."
}

// cluster groups items that report the same news. Near-linear: MinHash
// with banded LSH for near-duplicate text, an inverted index of rare names
// for the same launch told in other words (or another language), and arXiv
// ids for a paper and its coverage. Never all pairs.
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
	// Threshold overrides the similarity a story's items must reach
	// (0 = the default); for measuring, not for everyday use.
	Threshold float64
}

// Group splits items into stories, each lead first (see sortLeadFirst).
// It is the digest's own grouping, exported so `triagebot cluster` can
// measure exactly what the digest does.
func Group(items []*news.Item, o GroupOptions) [][]*news.Item {
	docs := make([]doc, len(items))
	scratch := make([]uint64, 0, 256)
	// One arena for every item's word list instead of one allocation each.
	arena := make([]uint64, 0, 32*len(items))
	for i := range items {
		docs[i] = makeDoc(items[i], &scratch, &arena)
	}
	uf := newUnionFind(len(docs))

	// arXiv: the same paper, and coverage that cites it.
	byArxiv := map[string]int{}
	for i, d := range docs {
		if d.arxiv != "" {
			if j, ok := byArxiv[d.arxiv]; ok {
				uf.union(i, j)
			} else {
				byArxiv[d.arxiv] = i
			}
		}
	}
	for i, d := range docs {
		for _, r := range d.refs {
			if j, ok := byArxiv[r]; ok {
				uf.union(i, j)
			}
		}
	}

	// Near-duplicate text: items sharing a band are compared with the
	// band's first item only (a star, so a huge bucket stays linear).
	buckets := newBandTable(len(docs) * sigSize / bandRows)
	for i := range docs {
		if docs[i].nwords < 3 {
			continue // too little text to call anything a duplicate
		}
		for b := 0; b < sigSize/bandRows; b++ {
			key := uint64(b)<<56 ^ uint64(docs[i].sig[2*b])<<24 ^ uint64(docs[i].sig[2*b+1])
			j, ok := buckets.firstOr(key, i)
			if !ok {
				continue
			}
			if !(docs[i].paper && docs[j].paper) && similarity(&docs[i], &docs[j]) >= nearDup {
				uf.union(i, j)
			}
		}
	}

	// Rare names. The same model or product name ("GLM-5.3", "Opus 5") in
	// two titles is one story when the texts also overlap, or when one is
	// Chinese and the other not (the name is then the only bridge). A
	// paper's own CamelCase name ("SparseChart") in a news title is its
	// coverage. Two shared rare names plus overlapping text also join.
	// A name in more than a handful of titles says nothing, and a
	// company name alone ("OpenAI") never joins two stories.
	postings := map[string][]int{}
	for i, d := range docs {
		for _, n := range d.names {
			postings[n] = append(postings[n], i)
		}
	}
	// A constant cap keeps this linear whatever the input: at most
	// rareNames² pair checks per name.
	const rare = rareNames
	shared := map[[2]int]int{}
	for name, ps := range postings {
		if len(ps) < 2 || len(ps) > rare {
			continue
		}
		for x := 0; x < len(ps); x++ {
			for y := x + 1; y < len(ps); y++ {
				a, b := ps[x], ps[y]
				if docs[a].paper && docs[b].paper {
					continue // two papers are two results, whatever they share
				}
				da, db := &docs[a], &docs[b]
				ma, mb := da.isModel(name), db.isModel(name)
				switch {
				case ma && mb && (da.han != db.han || wordJaccard(da.words, db.words) >= 0.12):
					uf.union(a, b)
				case da.lead == name || db.lead == name:
					uf.union(a, b)
				default:
					shared[[2]int{a, b}]++
					if shared[[2]int{a, b}] == 2 && wordJaccard(da.words, db.words) >= 0.2 {
						uf.union(a, b)
					}
				}
			}
		}
	}

	// Group by root with a counting pass: one backing array for all
	// stories' item lists, no map of slices.
	roots := make([]int32, len(docs))
	count := make([]int32, len(docs)+1)
	for i := range docs {
		r := uf.find(i)
		roots[i] = int32(r)
		count[r+1]++
	}
	for i := 1; i < len(count); i++ {
		count[i] += count[i-1]
	}
	start := append([]int32(nil), count...)
	flat := make([]*news.Item, len(docs))
	for i := range docs {
		r := roots[i]
		flat[count[r]] = items[i]
		count[r]++
	}
	groups := make([][]*news.Item, 0, len(docs)/2)
	for r := range docs {
		if a, b := start[r], start[r+1]; b > a {
			g := flat[a:b:b]
			sortLeadFirst(g)
			groups = append(groups, g)
		}
	}
	return groups
}

func (d *doc) isModel(name string) bool {
	for i, n := range d.names {
		if n == name {
			return d.model[i]
		}
	}
	return false
}

func makeDoc(it *news.Item, scratch, arena *[]uint64) doc {
	d := doc{it: it, arxiv: it.ArxivID, paper: it.SourceKind == news.KindPaper}
	for k := range d.sig {
		d.sig[k] = ^uint32(0)
	}
	if d.paper {
		// A paper joins others only by its arXiv id or its own name, never
		// by wording (two papers are two results), so the word work is
		// skipped: most of a week's items are papers.
		d.refs = arxivRefs(it.URL)
		if head, _, ok := strings.Cut(it.Title, ":"); ok && !strings.ContainsAny(strings.TrimSpace(head), " \t") && len(head) >= 4 {
			d.lead = strings.ToLower(strings.Trim(strings.TrimSpace(head), "-."))
			d.names, d.model = []string{d.lead}, []bool{false}
		}
		return d
	}
	lede := it.Summary
	if len(lede) > ledeLen {
		lede = lede[:ledeLen]
		for len(lede) > 0 && !utf8.RuneStart(it.Summary[len(lede)]) {
			lede = lede[:len(lede)-1]
		}
	}
	hs := (*scratch)[:0]
	add := func(h uint64) {
		if len(hs) < cap(hs) {
			hs = append(hs, h)
		}
	}
	words(it.Title, add)
	words(lede, add)
	*scratch = hs
	slices.Sort(hs)
	hs = slices.Compact(hs)
	d.nwords = len(hs)
	if keep := hs[:min(len(hs), 64)]; len(*arena)+len(keep) <= cap(*arena) {
		n := len(*arena)
		*arena = append(*arena, keep...)
		d.words = (*arena)[n:len(*arena):len(*arena)]
	} else {
		d.words = slices.Clone(keep)
	}
	for _, h := range hs {
		for k := range d.sig {
			// One hash per word, re-mixed per slot: 16 multiplies, not
			// 16 separate hash functions.
			x := (h ^ uint64(k)*0x9e3779b97f4a7c15) * 0xbf58476d1ce4e5b9
			if v := uint32(x >> 32); v < d.sig[k] {
				d.sig[k] = v
			}
		}
	}
	d.names, d.model = names(it.Title)
	d.han = hasHan(it.Title)
	d.refs = append(arxivRefs(it.URL), arxivRefs(it.Summary)...)
	return d
}
