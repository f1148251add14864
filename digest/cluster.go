package digest

import (
	"slices"
	"sort"
	"strings"
	"unicode"
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
	stories := make([]Story, 0, len(docs)/2)
	for r := range docs {
		if a, b := start[r], start[r+1]; b > a {
			stories = append(stories, makeStory(flat[a:b:b]))
		}
	}
	return stories
}

func (d *doc) isModel(name string) bool {
	for i, n := range d.names {
		if n == name {
			return d.model[i]
		}
	}
	return false
}

// wordJaccard is the exact Jaccard similarity of two sorted hash lists.
func wordJaccard(a, b []uint64) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	i, j, inter := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			inter++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}

func similarity(a, b *doc) float64 {
	same := 0
	for k := range sigSize {
		if a.sig[k] == b.sig[k] {
			same++
		}
	}
	return float64(same) / sigSize
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

// words feeds the hash of every lowercased non-stopword word, and of every
// pair of Chinese characters, to fn. ASCII words are lowercased into a
// small buffer: no allocation per word.
func words(s string, fn func(uint64)) {
	var prevHan rune
	var buf [48]byte
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			prevHan = 0
			if !isWordByte(c) {
				i++
				continue
			}
			n := 0
			j := i
			for j < len(s) {
				c := s[j]
				if c >= utf8.RuneSelf {
					r, _ := utf8.DecodeRuneInString(s[j:])
					if !unicode.IsLetter(r) || unicode.Is(unicode.Han, r) {
						break
					}
				} else if !isWordByte(c) && !((c == '-' || c == '.') && j+1 < len(s) && isWordByte(s[j+1])) {
					break
				}
				if n < len(buf) {
					if 'A' <= c && c <= 'Z' {
						c += 'a' - 'A'
					}
					buf[n] = c
					n++
				}
				j++
			}
			if w := buf[:n]; !isStopword(string(w)) {
				fn(fnvBytes(w))
			}
			i = j
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.Is(unicode.Han, r):
			if prevHan != 0 {
				fn(fnv2(prevHan, r))
			}
			prevHan = r
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			prevHan = 0
			fn(fnv2(r, 0))
		default:
			prevHan = 0
		}
		i += size
	}
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func fnvBytes(b []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range b {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return h
}

// names picks the title words that name something: model and product
// names with digits ("GPT-5", "GLM-5.3", "Opus 5"), mixed-case names
// ("DeepSeek", "AlphaEvolve"), acronyms ("NVIDIA") and capitalized words
// past the first. Lowercased.
func names(title string) (out []string, model []bool) {
	var toksBuf [24]string
	toks := toksBuf[:0]
	start := -1
	for i, r := range title {
		var in bool
		if r < utf8.RuneSelf {
			c := byte(r)
			in = isWordByte(c) || c == '-' || c == '.'
		} else {
			in = (unicode.IsLetter(r) || unicode.IsDigit(r)) && !(r >= 0x2E80 && unicode.Is(unicode.Han, r))
		}
		switch {
		case in && start < 0:
			start = i
		case !in && start >= 0:
			toks = append(toks, title[start:i])
			start = -1
		}
	}
	if start >= 0 {
		toks = append(toks, title[start:])
	}
	add := func(n string, isModel bool) {
		n = strings.ToLower(strings.Trim(n, "-."))
		if len(n) < 2 || isStopword(n) {
			return
		}
		for i, o := range out {
			if o == n {
				model[i] = model[i] || isModel
				return
			}
		}
		out, model = append(out, n), append(model, isModel)
	}
	for i, t := range toks {
		t = strings.Trim(t, "-.")
		if t == "" {
			continue
		}
		letters, digits, upper, lowerAfterUpper := 0, 0, 0, false
		for k, r := range t {
			switch {
			case r >= '0' && r <= '9' || r >= utf8.RuneSelf && unicode.IsDigit(r):
				digits++
			case r >= 'a' && r <= 'z':
				letters++
				lowerAfterUpper = lowerAfterUpper || (k > 0 && upper > 0)
			case r >= 'A' && r <= 'Z':
				letters++
				upper++
			case r >= utf8.RuneSelf && unicode.IsLetter(r):
				letters++
				if unicode.IsUpper(r) {
					upper++
				} else if k > 0 && upper > 0 {
					lowerAfterUpper = true
				}
			}
		}
		first, _ := utf8.DecodeRuneInString(t)
		capital := unicode.IsUpper(first)
		mixed := upper >= 2 && lowerAfterUpper // DeepSeek, OpenAI, iPhone-like
		switch {
		case letters > 0 && digits > 0:
			add(t, true) // gpt-5, glm-5.3, o1, 13b
		case capital && i+1 < len(toks) && isNumber(toks[i+1]):
			add(t+" "+toks[i+1], true) // "Opus 5", "Gemini 3"
			add(t, false)
		case mixed || (upper == letters && letters >= 2):
			add(t, false) // DeepSeek, NVIDIA
		case capital && i > 0 && letters >= 3:
			add(t, false)
		}
	}
	return out, model
}

func isNumber(s string) bool {
	s = strings.Trim(s, ".")
	if s == "" {
		return false
	}
	for _, r := range s {
		if !unicode.IsDigit(r) && r != '.' {
			return false
		}
	}
	return true
}

// arxivRefs finds arXiv ids ("2611.01234") after "arxiv.org/abs/",
// "arxiv.org/pdf/" or "arXiv:" in s.
func arxivRefs(s string) []string {
	if !strings.Contains(s, "rxiv") && !strings.Contains(s, "RXIV") {
		return nil
	}
	var out []string
	low := strings.ToLower(s)
	for _, marker := range []string{"arxiv.org/abs/", "arxiv.org/pdf/", "arxiv:"} {
		for off := 0; ; {
			i := strings.Index(low[off:], marker)
			if i < 0 {
				break
			}
			start := off + i + len(marker)
			j := start
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '.') {
				j++
			}
			if id := strings.TrimRight(s[start:j], "."); len(id) >= 9 && strings.Count(id, ".") == 1 {
				out = append(out, id)
			}
			off = max(j, start)
		}
	}
	return out
}

func isStopword(w string) bool {
	switch w {
	case "a", "an", "the", "and", "or", "of", "to", "in", "on", "for", "with", "at", "by", "from", "as", "is",
		"are", "was", "be", "it", "its", "this", "that", "we", "our", "you", "your", "new", "how", "why", "what",
		"now", "can", "will", "has", "have", "more", "about", "into", "after", "over", "up", "out", "not", "but",
		"ai", "says", "said", "just", "get", "gets", "their", "they", "he", "she", "his", "her", "than",
		"all", "one", "two", "first", "here", "there", "these", "those", "some", "also", "may", "could", "would":
		return true
	}
	return false
}

func fnv2(a, b rune) uint64 {
	h := uint64(14695981039346656037)
	h ^= uint64(a)
	h *= 1099511628211
	h ^= uint64(b)
	h *= 1099511628211
	return h ^ 0x5a5a5a5a5a5a5a5a
}

type unionFind struct{ parent []int32 }

func newUnionFind(n int) *unionFind {
	u := &unionFind{parent: make([]int32, n)}
	for i := range u.parent {
		u.parent[i] = int32(i)
	}
	return u
}

func (u *unionFind) find(i int) int {
	for int(u.parent[i]) != i {
		u.parent[i] = u.parent[u.parent[i]]
		i = int(u.parent[i])
	}
	return i
}

func (u *unionFind) union(a, b int) {
	ra, rb := u.find(a), u.find(b)
	if ra != rb {
		if ra < rb {
			u.parent[rb] = int32(ra)
		} else {
			u.parent[ra] = int32(rb)
		}
	}
}

// makeStory picks the lead item (the one whose title and link the digest
// shows) and the story's label, sources and picks.
func makeStory(its []*news.Item) Story {
	if len(its) > 1 {
		sortLeadFirst(its)
	}
	return storyOf(its)
}

func sortLeadFirst(its []*news.Item) {
	sort.SliceStable(its, func(i, j int) bool {
		a, b := its[i], its[j]
		if (a.SourceKind == news.KindPaper) != (b.SourceKind == news.KindPaper) {
			// Readers want the news article's headline; the paper is a source.
			return b.SourceKind == news.KindPaper
		}
		if !a.Published.Equal(b.Published) {
			return a.Published.Before(b.Published)
		}
		return a.ID < b.ID
	})
}

// storyOf fills a story from its items, lead first. Title and summary are
// cleaned later, only for the stories a digest shows.
func storyOf(its []*news.Item) Story {
	s := Story{ID: its[0].ID, Title: its[0].Title, URL: its[0].URL, items: its, Published: its[0].Published}
	var tagAt, best float64 = -1, -1
	for k, it := range its {
		if it.Published.Before(s.Published) {
			s.Published = it.Published
		}
		if !slices.ContainsFunc(its[:k], func(x *news.Item) bool { return sourceName(x) == sourceName(it) }) {
			s.nSources++
		}
		if it.Tag != "" && float64(it.TaggedAt.Unix()) > tagAt {
			tagAt = float64(it.TaggedAt.Unix())
			s.Label, s.Confidence, s.Tagged = it.Tag, 1, true
		}
		if !s.Tagged && it.Verdict != nil && it.Verdict.Confidence > best {
			best = it.Verdict.Confidence
			s.Label, s.Confidence = it.Verdict.Label, it.Verdict.Confidence
		}
		if it.Picked {
			s.Picked = true
			if it.PickedBy != "" && !slices.Contains(s.PickedBy, it.PickedBy) {
				s.PickedBy = append(s.PickedBy, it.PickedBy)
			}
		}
	}
	if s.Label == "" {
		s.Label = news.Other // unclassified items still appear, as "other"
	}
	return s
}

func sourceName(it *news.Item) string {
	if it.Source != "" {
		return it.Source
	}
	return it.Feed
}

// fill lists the story's item ids and sources: done only for the stories
// a digest shows, since a week can hold a hundred thousand.
func (s *Story) fill() {
	s.ItemIDs = make([]string, 0, len(s.items))
	for _, it := range s.items {
		s.ItemIDs = append(s.ItemIDs, it.ID)
		name := sourceName(it)
		if !slices.ContainsFunc(s.Sources, func(x Source) bool { return x.Name == name }) {
			s.Sources = append(s.Sources, Source{Name: name, URL: it.URL})
		}
	}
}

// oneLine collapses runs of whitespace, newlines included: feed text
// should not break a list item in the show notes.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func hasHan(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0xE2 { // every CJK character encodes from 0xE2 up
			r, _ := utf8.DecodeRuneInString(s[i:])
			if unicode.Is(unicode.Han, r) {
				return true
			}
		}
	}
	return false
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
