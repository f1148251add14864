package digest

import (
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/triagebot/triagebot/internal/text"
	"github.com/triagebot/triagebot/news"
)

const (
	// ledeBytes of a summary count: the first sentences say what the
	// story is; the rest of a long summary is detail that dilutes it.
	ledeBytes = 200
	// Term weights before IDF: the headline says what the story is.
	titleTF = 2.0
	ledeTF  = 1.0
	// A name counts again as a name: capitalized-word similarity. Names
	// weigh as much as the headline words themselves (measured: better
	// precision at equal recall than 1 or 3).
	nameTF = 2.0
	weakTF = 0.25 // boilerplate ("introducing") and company names
	// nameSalt keeps a name's feature apart from the same word's.
	nameSalt = 0x6e616d65_00000000
)

// feat is one term of an item's vector.
type feat struct {
	h    uint64
	w    float32
	key  bool // may bring two items together (a non-weak headline term or a name)
	word bool // a word or Chinese pair that is not boilerplate (not a name, not weak)
	name bool // a name (salted), not a word
}

// doc is what grouping knows about one item.
type doc struct {
	it        *news.Item
	paper     bool
	han       bool  // the headline is Chinese
	unix      int64 // publication time; 0 = unknown
	arxiv     string
	refs      []string // arXiv ids the item links to or mentions
	url       string   // normalized, for links between items
	links     []string // normalized URLs in the summary
	vec       []feat   // sorted by h; unit length once weighed
	pairs     []uint64 // sorted hashes of adjacent word pairs ("elon musk")
	names     []name
	paperName string // a paper's own distinctive name, as written ("ChartLens")
}

// makeDoc reads one item. Papers get no vector: two papers are two
// results whatever words they share, so a paper joins only by its arXiv
// id, links, or its own name in a headline; and most of a week's items
// are papers.
func makeDoc(it *news.Item, scratch, arena *[]feat, pairArena *[]uint64) doc {
	d := doc{it: it, paper: it.SourceKind == news.KindPaper, arxiv: it.ArxivID, url: normURL(it.URL)}
	if !it.Published.IsZero() {
		d.unix = it.Published.Unix()
	}
	if d.paper {
		if d.arxiv == "" {
			d.arxiv = text.ArxivID(it.URL)
		}
		if head, _, ok := strings.Cut(it.Title, ":"); ok {
			head = strings.TrimSpace(head)
			if len(head) >= 3 && !strings.ContainsAny(head, " \t") && kindOf(head, true) >= nameMixed {
				d.paperName = head
			}
		}
		return d
	}
	lede := it.Summary
	if len(lede) > ledeBytes {
		lede = lede[:ledeBytes]
		for len(lede) > 0 && !utf8.RuneStart(it.Summary[len(lede)]) {
			lede = lede[:len(lede)-1]
		}
	}
	fs := (*scratch)[:0]
	add := func(h uint64, c termClass, tf float32, title bool) {
		switch c {
		case termWeak:
			fs = append(fs, feat{h: h, w: tf * weakTF})
		default:
			fs = append(fs, feat{h: h, w: tf, key: title, word: true})
		}
	}
	var prev uint64
	var pairs [64]uint64
	np := 0
	pair := func(h uint64, c termClass) {
		if c != termWord {
			prev = 0
			return
		}
		if prev != 0 && np < len(pairs) {
			pairs[np] = prev*0x100000001b3 ^ h
			np++
		}
		prev = h
	}
	terms(it.Title, func(h uint64, c termClass) { add(h, c, titleTF, true); pair(h, c) })
	prev = 0
	terms(lede, func(h uint64, c termClass) { add(h, c, ledeTF, false); pair(h, c) })
	if np > 0 {
		ps := pairs[:np]
		slices.Sort(ps)
		d.pairs = carve(pairArena, slices.Compact(ps))
	}
	d.names = names(it.Title, nil)
	d.names = names(lede, d.names)
	for _, n := range d.names {
		f := feat{h: text.FNV1a(n.key) ^ nameSalt, w: nameTF, key: !n.org, name: true}
		if n.org {
			f.w *= weakTF
		}
		fs = append(fs, f)
	}
	slices.SortFunc(fs, func(a, b feat) int {
		switch {
		case a.h < b.h:
			return -1
		case a.h > b.h:
			return 1
		}
		return 0
	})
	out := fs[:0]
	for _, f := range fs {
		if k := len(out) - 1; k >= 0 && out[k].h == f.h {
			out[k].w += f.w
			out[k].key = out[k].key || f.key
			out[k].word = out[k].word || f.word
			continue
		}
		out = append(out, f)
	}
	d.vec = carve(arena, out)
	*scratch = fs
	d.han = text.HasHan(it.Title)
	d.refs = append(text.ArxivIDs(it.URL), text.ArxivIDs(it.Summary)...)
	d.links = summaryLinks(it.Summary)
	return d
}

// priorDocs is a pseudo-count of background items added to the batch
// for IDF: in a batch of five, the words that three reports of one launch
// share would otherwise look as common as "the".
const priorDocs = 200

// weigh turns term counts into unit-length TF-IDF vectors, the IDF taken
// from the batch itself: a word in every other headline of the week says
// nothing, whatever it is.
func weigh(docs []doc, df *counts, n int) {
	for i := range docs {
		v := docs[i].vec
		var norm float64
		for k := range v {
			idf := math.Log(float64(n+priorDocs) / (float64(df.get(v[k].h)) + 0.5))
			w := float64(v[k].w) * max(idf, 0.05)
			v[k].w = float32(w)
			norm += w * w
		}
		if norm > 0 {
			inv := float32(1 / math.Sqrt(norm))
			for k := range v {
				v[k].w *= inv
			}
		}
	}
}

// cosine of two unit vectors sorted by term, and how many words (not
// names, not boilerplate) they share.
func cosine(a, b []feat) (float64, int) {
	var dot float32
	i, j, words := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i].h == b[j].h:
			dot += a[i].w * b[j].w
			if a[i].word {
				words++
			}
			i++
			j++
		case a[i].h < b[j].h:
			i++
		default:
			j++
		}
	}
	return float64(dot), words
}

// sharedNames counts the distinctive names two items share: not company
// names, and not names common in the batch.
func sharedNames(a, b *doc, df *counts, maxDF int32) int {
	n := 0
	for _, x := range a.names {
		if x.org || df.get(text.FNV1a(x.key)^nameSalt) > maxDF {
			continue
		}
		for _, y := range b.names {
			if x.key == y.key {
				n++
				break
			}
		}
	}
	return n
}

// normURL reduces a link to what identifies the page: no scheme, "www.",
// query, fragment or trailing slash.
func normURL(u string) string {
	u = strings.TrimSpace(u)
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
	} else {
		return ""
	}
	u = strings.TrimPrefix(u, "www.")
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	u = strings.TrimRight(u, "/")
	if !strings.Contains(u, "/") {
		return "" // a home page links everything to everything
	}
	return strings.ToLower(u)
}

// summaryLinks finds the links in a summary, normalized.
func summaryLinks(s string) []string {
	var out []string
	for off := 0; ; {
		i := strings.Index(s[off:], "http")
		if i < 0 {
			return out
		}
		start := off + i
		j := start
		for j < len(s) && s[j] > ' ' && s[j] != '"' && s[j] != '<' && s[j] != '>' && s[j] != ')' {
			j++
		}
		if u := normURL(strings.TrimRight(s[start:j], ".,;")); u != "" {
			out = append(out, u)
		}
		off = max(j, start+4)
	}
}

// sharedPairs counts the adjacent word pairs two items share: "Elon Musk"
// in both is one shared thing, not two.
func sharedPairs(a, b []uint64) int {
	i, j, n := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			n++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return n
}

// carve copies xs into the arena's free room and returns the copy; a new
// chunk when the room runs out. Chunks of a few hundred kilobytes, not
// one allocation per item (a week holds a hundred thousand) nor one huge
// one (the runtime reuses chunks of this size across builds).
func carve[T any](arena *[]T, xs []T) []T {
	if len(*arena)+len(xs) > cap(*arena) {
		*arena = make([]T, 0, max(16<<10, len(xs)))
	}
	n := len(*arena)
	*arena = append(*arena, xs...)
	return (*arena)[n:len(*arena):len(*arena)]
}
