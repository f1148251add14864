package digest

import (
	"math"
	"math/bits"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"

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
	// slugTF: the words of the link's slug, a second, terser headline
	// that outlets write for search ("…/canada-wildfires-jasper-alberta-
	// firefighters"), often in words the headline does not use. Half a
	// lede, and for similarity only: they are no blocking keys and do not
	// count as shared words (minShared asks the headlines). Measured on
	// held-out halves of the labelled stories (README, "Story grouping").
	slugTF = 0.5
	// A name counts again as a name: capitalized-word similarity. Names
	// weigh as much as the headline words themselves (measured: better
	// precision at equal recall than 1 or 3).
	nameTF = 2.0
	weakTF = 0.25 // boilerplate ("introducing") and company names
	// nameSalt keeps a name's feature apart from the same word's.
	nameSalt = 0x6e616d65_00000000
)

// feat is one term of an item's vector. A week's vectors hold over a
// million of them, so it is packed in 8 bytes (12 as separate fields:
// 6 MB more for a build of 100,000 items to write, fresh pages each a
// page fault in a process that builds once). Whether the term is a name
// is the term's own (names are interned salted, apart from words), kept
// in the vocab (vocab.isName), not in each feat.
type feat struct {
	w float32
	// t is the term's id in the batch's vocab (the bits from featIDShift
	// up; ids at maxFeatID or above get no feat, see there), then:
	//   - pos (8 bits from featPosShift): where the word first occurs
	//     among the item's words, from 1 (0: a name, boilerplate, or
	//     past the 255th): two items whose shared words sit side by side
	//     in both share a phrase ("Elon Musk");
	//   - featWord: a word or Chinese pair that is not boilerplate (not a
	//     name, not weak);
	//   - featKey: may bring two items together (a non-weak headline term
	//     or a name).
	t uint32
}

const (
	featKey      = 1 << 0
	featWord     = 1 << 1
	featPosShift = 2
	featIDShift  = 10
	// maxFeatID bounds the term ids a feat holds (22 bits, four million
	// terms). The benchmark's 100,000 items intern some 57,000 terms and
	// 1,000,000 of them 520,000. A batch that interns more still builds:
	// its terms past the bound are left out of the vectors (they weigh
	// nothing and bring nobody together), never mistaken for others.
	maxFeatID = 1<<(32-featIDShift) - 1
)

// newFeat is the feat of term id (below maxFeatID) with weight w.
func newFeat(id int32, w float32, key, word bool, pos uint8) feat {
	t := uint32(id)<<featIDShift | uint32(pos)<<featPosShift
	if key {
		t |= featKey
	}
	if word {
		t |= featWord
	}
	return feat{w: w, t: t}
}

func (f feat) id() int32  { return int32(f.t >> featIDShift) }
func (f feat) pos() uint8 { return uint8(f.t >> featPosShift) }
func (f feat) key() bool  { return f.t&featKey != 0 }
func (f feat) word() bool { return f.t&featWord != 0 }
func (f *feat) unkey()    { f.t &^= featKey }
func (f *feat) notAWord() { f.t &^= featWord }

// doc is what grouping knows about one item. A week's docs are a
// hundred thousand, so each is kept to 48 bytes (128 as it was, then
// 88, then 64): the vector and the names, which lie in the arenas, are
// each a pointer and a length rather than a slice header (vec, names);
// the headline's place, which few headlines name, is where in the
// batch's list of places it is (places), not three ids in every doc;
// the arXiv id and a paper's name, which a few steps read once per item
// or per candidate pair, are where in the item they are, not two
// strings (arxiv, paperName); and the small fields come last, together,
// so they share one padded word. Each byte of it is 0.1 MB of fresh
// pages per week, which a process that builds once pays for.
type doc struct {
	it   *news.Item
	unix int64 // publication time; 0 = unknown
	// vp, vn: the vector, in order of first occurrence; unit length once
	// weighed. np, nn: the names (names reads a few dozen tokens of a
	// headline and of a lede: a few hundred names at most).
	vp      *feat
	np      *name
	vn      int32
	pl      uint32 // nplace term ids of the headline's place from here in the batch's list (places)
	nn      uint16
	nplace  uint8
	paper   bool
	han     bool           // the headline is Chinese
	feat    packedFeatures // the item's cues, when the digest asked (docBuilder.cues)
	arxivAt arxivAt        // where the item's arXiv id is (arxiv)
	named   bool           // a paper with a distinctive name of its own (paperName)
}

// places are the term ids of the headline's place (docBuilder.places),
// in list, the batch's list of places (docBuilder.placeIDs).
func (d *doc) places(list []int32) []int32 {
	return list[d.pl : d.pl+uint32(d.nplace) : d.pl+uint32(d.nplace)]
}

// arxivAt says where an item's arXiv id is: its ArxivID field, or (a
// paper without one) its link.
type arxivAt uint8

const (
	arxivNone arxivAt = iota
	arxivOwn
	arxivLink
)

// arxiv is the item's arXiv id, "" for none: its own, else a paper's
// link's (a substring of either: no allocation).
func (d *doc) arxiv() string {
	switch d.arxivAt {
	case arxivOwn:
		return d.it.ArxivID
	case arxivLink:
		return text.ArxivID(d.it.URL)
	}
	return ""
}

// paperName is a paper's own distinctive name, as its title writes it
// ("ChartLens"), "" for none.
func (d *doc) paperName() string {
	if !d.named {
		return ""
	}
	return paperNameOf(d.it.Title)
}

// paperNameOf is the distinctive name a paper's title starts with
// ("ChartLens: reading charts with …"), "" for none.
func paperNameOf(title string) string {
	if head, _, ok := strings.Cut(title, ":"); ok {
		head = strings.TrimSpace(head)
		if len(head) >= 3 && !strings.ContainsAny(head, " \t") && kindOf(head, true) >= nameMixed {
			return head
		}
	}
	return ""
}

// vec is the item's vector (nil for a paper). vp points into an arena
// chunk and keeps it alive as a slice would, and vn elements from it were
// carved for this doc (setVec), so the slice is what setVec was given;
// like that slice, it holds the batch's vector until the arena is reset
// for the next batch.
func (d *doc) vec() []feat { return unsafe.Slice(d.vp, d.vn) }

// names are the item's names, as vec is its vector.
func (d *doc) names() []name { return unsafe.Slice(d.np, d.nn) }

func (d *doc) setVec(v []feat) {
	d.vp, d.vn = nil, int32(len(v))
	if len(v) > 0 {
		d.vp = &v[0]
	}
}

func (d *doc) setNames(ns []name) {
	d.np, d.nn = nil, uint16(min(len(ns), math.MaxUint16))
	if len(ns) > 0 {
		d.np = &ns[0]
	}
}

// docBuilder reads items into docs, reusing its buffers: a week is a
// hundred thousand items, and per-item allocations would dominate.
type docBuilder struct {
	voc *vocab
	// forms: every lowercased word read so far, by its FNV-1a hash, to
	// what terms makes of it: its term id and whether it is weak (id<<1 |
	// weak), or -1 for a word that is no term. A week repeats a few
	// thousand words millions of times; stemming and the stopword and
	// boilerplate lists run once per word, not once per occurrence.
	forms     table
	cues      *cues // nil: no cue features (Group)
	scratch   []feat
	arena     *arena[feat] // the docs' vectors
	nameArena *arena[name] // the docs' names
	nameBuf   []name
	nameToks  [maxNameToks]nameTok // namesIn's tokens
	slug      []byte               // the item's slug words (appendSlug)
	prep      bool                 // the headline being read has a preposition places looks after
	// at, by term id: stamp + 1 + the term's place in the vector of the
	// item being read; at or below stamp, the term is not in it. Each
	// item's stamp is above every value an earlier item wrote, so no
	// pass clears the marks after an item (a week's items hold 1.4
	// million terms: a second pass over each vector only to clear cost
	// about 1% of a build).
	at    []int32
	stamp int32
	// doc is the index of the item being read; cites and linkers collect
	// what joinHard needs from links and summaries, read while makeDoc
	// has the summary in cache (read later, it costs a miss per line).
	doc     int32
	cites   []cite
	linkers []linker
	// products: the term ids of words the batch writes as products'
	// names (name.product), which are no places (dropProductPlaces).
	products []int32
	// placeIDs lists the docs' places (doc.places), one after another.
	placeIDs []int32
}

// reset readies b for a batch of items sized by hint, its terms
// interned in voc, the docs' vectors and names carved from the arenas:
// it keeps the memory it has. at is cleared (the IDF lay over it, and a
// build that stopped midway leaves nothing behind), and the stamps start
// again from 0.
func (b *docBuilder) reset(voc *vocab, hint int, c *cues, feats *arena[feat], names *arena[name]) {
	b.voc, b.cues, b.arena, b.nameArena = voc, c, feats, names
	b.forms.reset(hint)
	b.scratch = emptied(b.scratch, 256)
	b.arena.reset()
	b.nameArena.reset()
	b.nameBuf, b.slug = b.nameBuf[:0], b.slug[:0]
	b.at, b.stamp = zeroed(b.at, max(voc.room(), len(b.at))), 0
	b.prep, b.doc = false, 0
	b.cites, b.linkers = b.cites[:0], b.linkers[:0]
	b.products = b.products[:0]
	b.placeIDs = b.placeIDs[:0]
}

// cite is an arXiv id that an item other than a paper names in its link
// or summary.
type cite struct {
	doc int32
	id  string
}

// linker is an item whose summary links pages (normURL).
type linker struct {
	doc   int32
	links []string
}

// makeDoc reads one item; every term is interned in b.voc and counted
// once per item. Papers get no vector: two papers are two results
// whatever words they share, so a paper joins only by its arXiv id,
// links, or its own name in a headline; and most of a week's items are
// papers.
func (b *docBuilder) makeDoc(d *doc, it *news.Item) {
	*d = doc{it: it, paper: it.SourceKind == news.KindPaper}
	if it.ArxivID != "" {
		d.arxivAt = arxivOwn
	}
	if !it.Published.IsZero() {
		d.unix = it.Published.Unix()
	}
	if d.paper {
		if d.arxivAt == arxivNone && text.ArxivID(it.URL) != "" {
			d.arxivAt = arxivLink
		}
		d.named = paperNameOf(it.Title) != ""
		return
	}
	lede := ledeOf(it.Summary)
	voc := b.voc
	// Positions leave a gap at boilerplate and between headline and
	// summary: words on either side of one are not a phrase.
	b.prep = false
	fs, pos := b.readTerms(it.Title, b.scratch[:0], 0, titleTF, true)
	fs, pos = b.readTerms(lede, fs, pos+1, ledeTF, false)
	if b.slug = appendSlug(b.slug[:0], it.URL); len(b.slug) > 0 {
		n := len(fs)
		fs, _ = b.readTerms(string(b.slug), fs, pos+1, slugTF, false)
		for k := n; k < len(fs); k++ {
			fs[k].notAWord() // the headline's words decide minShared
		}
	}
	ns := namesIn(it.Title, b.nameBuf[:0], &b.nameToks)
	for k := range ns {
		ns[k].head = true
	}
	if b.prep {
		var pl [maxPlaces]int32
		if n := b.places(it.Title, ns, &pl); n > 0 {
			d.pl, d.nplace = uint32(len(b.placeIDs)), n
			b.placeIDs = append(b.placeIDs, pl[:n]...)
		}
	}
	ns = namesIn(lede, ns, &b.nameToks)
	b.nameBuf = ns
	for _, s := range [...]string{it.URL, it.Summary} {
		for _, r := range text.ArxivIDs(s) {
			b.cites = append(b.cites, cite{b.doc, r})
		}
	}
	if l := summaryLinks(it.Summary); len(l) > 0 {
		b.linkers = append(b.linkers, linker{b.doc, l})
	}
	for k := range ns {
		n := &ns[k]
		n.id = voc.nameID(text.FNV1a(n.key) ^ nameSalt)
		if n.product {
			b.markProduct(n.key)
		}
		if n.id > maxFeatID {
			continue
		}
		f := newFeat(n.id, nameTF, !n.org, false, 0)
		if n.org {
			f.w *= weakTF
		}
		fs = append(fs, f)
	}
	if len(ns) > 0 {
		d.setNames(b.nameArena.carve(ns))
	}
	// Merge repeats straight into the arena, in order of first
	// occurrence (the first position stays): at[id] marks where a term
	// of this item already is (see docBuilder.at). A term is counted in
	// df where it first occurs, once per item.
	if len(b.at) < len(voc.df) {
		b.at = append(b.at, make([]int32, len(voc.df)-len(b.at)+1024)...)
	}
	if int64(b.stamp)+int64(len(fs)) > math.MaxInt32 {
		// The stamps would overflow (a batch of some hundred million
		// items): start again from clear marks.
		clear(b.at)
		b.stamp = 0
	}
	out := b.arena.room(len(fs))[:len(fs)]
	at, df, stamp := b.at, voc.df, b.stamp
	n := 0
	for _, f := range fs {
		id := f.id()
		if k := at[id] - stamp; k > 0 {
			o := &out[k-1]
			o.w += f.w
			o.t |= f.t & (featKey | featWord)
			continue
		}
		out[n] = f
		n++
		at[id] = stamp + int32(n)
		df[id]++
	}
	b.stamp += int32(n)
	d.setVec(b.arena.commit(n))
	b.scratch = fs
	d.han = hasHan(it.Title)
	if b.cues != nil {
		d.feat = b.cues.featuresHan(it, d.han).pack() // while the headline is in cache
	}
}

// readTerms appends the terms of s to fs, as makeDoc reads them: the
// words and Chinese pairs terms finds, with the same hashes and in the
// same order, pos counting the terms before. It is terms with the forms
// cache and without a callback per word; the two must agree (a test
// compares them).
func (b *docBuilder) readTerms(s string, fs []feat, pos int, tf float32, title bool) ([]feat, int) {
	emit := func(id int32, weak bool) {
		pos++
		switch {
		case id > maxFeatID:
		case weak:
			fs = append(fs, newFeat(id, tf*weakTF, false, false, 0))
		case pos <= 255:
			fs = append(fs, newFeat(id, tf, title, true, uint8(pos)))
		default:
			fs = append(fs, newFeat(id, tf, title, true, 0))
		}
	}
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	var prevHan rune
	var buf [wordBytes]byte
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			prevHan = 0
			if !isWordByte(c) {
				i++
				continue
			}
		} else {
			size, h, ok := pastASCII(s, i, &prevHan)
			if ok {
				emit(b.voc.id(h), false)
			}
			if size > 0 {
				i += size
				continue
			}
		}
		// The word as terms reads it, hashed on the way: scanWord, its
		// common cases (scanShortWord, wordBlock) written out here,
		// since the compiler does not inline them and a call per word
		// made this loop reload its state after each.
		// TestReadTermsIsTerms holds the two to the same words and
		// hashes.
		var j int
		var h uint64
		var x uint64 // wordStart, written out
		if i+8 < len(s) {
			x = load8(s[i : i+8])
		} else {
			x = lastBlock(s, len(s)-i)
		}
		if x != 0 {
			low := x &^ highs
			folded := low | 0x20*ones
			letter := (folded + (0x80-'a')*ones) &^ (folded + (0x80-'z'-1)*ones) & highs
			in := letter | (low+(0x80-'0')*ones)&^(low+(0x80-'9'-1)*ones)
			lower, k := x|letter>>2, 8
			if out := (^in | x) & highs; out != 0 {
				k = bits.TrailingZeros64(out) / 8
				lower &= 1<<(8*k) - 1
			}
			if k > 0 && i+k < len(s) && endsWord(s[i+k]) || i+k == len(s) {
				j, h = i+k, wordMix(wordMix(wordSeed, lower), uint64(k))
			}
		}
		if j == 0 {
			j, h = scanLongWord(s, i)
		}
		p, key := b.forms.slot(h)
		v := b.forms.slots[p].val
		if b.forms.slots[p].key() != key {
			v = b.form(buf[:lowerWord(&buf, s[i:j])])
			b.forms.add(p, key, v)
		}
		if i = j; i < len(s) && s[i] == ' ' {
			i++ // the space after a word: no term, and prevHan is 0
		}
		if v >= 0 {
			emit(v>>1, v&1 != 0)
		} else if v == formPrep && title {
			b.prep = true // the headline may name a place (places)
		}
	}
	return fs, pos
}

// formPrep is what form makes of a preposition that may stand before a
// place ("in", "at", "from"): no term, but readTerms notes it
// (docBuilder.prep), so places reads only the headlines that have one.
const formPrep = -2

// form is what terms makes of a lowercased word w (see docBuilder.forms).
func (b *docBuilder) form(w []byte) int32 {
	w = stem(w)
	if !isTermWord(w) {
		if isPlacePrep(string(w)) {
			return formPrep
		}
		return -1
	}
	var v int32
	if isPlainWord(w) {
		v = b.voc.plainID(text.FNV1a(w)) << 1
	} else {
		v = b.voc.id(text.FNV1a(w)) << 1
	}
	if isWeak(string(w)) {
		v |= 1
	}
	return v
}

// isPlainWord reports whether the word w, as form has it, is a plain
// word (vocab.isPlain): it begins with a letter, ASCII or not, and has
// no hyphen. A word past ASCII is read whole ("résumé", "żelvarine"),
// so it is a word as its ASCII spelling is.
func isPlainWord(w []byte) bool {
	if w[0] >= utf8.RuneSelf {
		if r, _ := utf8.DecodeRune(w); !unicode.IsLetter(r) {
			return false
		}
	} else if w[0] < 'a' || w[0] > 'z' {
		return false
	}
	for _, c := range w {
		if c == '-' {
			return false
		}
	}
	return true
}

// wordSeed starts a word's hash (scanWord, wordHash): FNV-1a's offset,
// which the hash was before it read words a block at a time.
const wordSeed = text.FNVOffset64

// ledeOf is the start of a summary that counts (ledeBytes), cut at a
// character boundary.
func ledeOf(s string) string {
	if len(s) <= ledeBytes {
		return s
	}
	n := ledeBytes
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// priorDocs is a pseudo-count of background items added to the batch
// for IDF: in a batch of five, the words that three reports of one launch
// share would otherwise look as common as "the".
const priorDocs = 200

// weigh turns term counts into unit-length TF-IDF vectors, the IDF taken
// from the batch itself (a word in every other headline of the week says
// nothing, whatever it is) plus the background table's counts of bgN
// items (bg; see backgroundDF), and keeps the key mark only on terms in
// at least two items: a term no other item has brings nobody together.
// idf is memory to reuse for the IDF table; weigh returns what it used.
func weigh(docs []doc, df []int32, n int, bg []termCount, bgN float64, idf []float32) []float32 {
	idf = sized(idf, len(df)) // every term's is set below
	all := float64(n+priorDocs) + bgN
	for id, c := range df {
		idf[id] = float32(max(math.Log(all/(float64(c)+0.5)), 0.05))
	}
	for _, t := range bg {
		idf[t.id] = float32(max(math.Log(all/(float64(df[t.id])+float64(t.df)+0.5)), 0.05))
	}
	for i := range docs {
		v := docs[i].vec()
		var norm float32
		for k := range v {
			id := v[k].id()
			w := v[k].w * idf[id]
			v[k].w = w
			norm += w * w
			if df[id] < 2 {
				v[k].unkey()
			}
		}
		if norm > 0 {
			inv := float32(1 / math.Sqrt(float64(norm)))
			for k := range v {
				v[k].w *= inv
			}
		}
	}
	return idf
}

// countAdjacent counts the shared words that follow another shared word
// in both items, given each shared word's positions in the two. In the
// usual order, the second item's positions rising (cosine lists the
// shared words in the order of that item's vector, where positions
// rise), a word can only follow the one listed just before it, so that
// one pair is asked about; otherwise every pair is (countAdjacentPairs).
func countAdjacent(at [][2]uint8) int {
	n := 0
	for k := 1; k < len(at); k++ {
		p, q := at[k-1], at[k]
		if q[1] <= p[1] {
			return countAdjacentPairs(at)
		}
		if q[0] == p[0]+1 && q[1] == p[1]+1 {
			n++
		}
	}
	return n
}

// countAdjacentPairs is countAdjacent for positions in any order.
func countAdjacentPairs(at [][2]uint8) int {
	n := 0
	for _, p := range at {
		for _, q := range at {
			if q[0] == p[0]+1 && q[1] == p[1]+1 {
				n++
			}
		}
	}
	return n
}

// sharedNames counts the distinctive names two items share: not company
// names, and not names common in the batch.
func sharedNames(a, b *doc, df []int32, maxDF int32) int {
	n, _ := sharedNamesRelease(a, b, df, maxDF)
	return n
}

// sharedNamesRelease is sharedNames, and whether one of the names is a
// versioned one ("Vortex X7", "Zephyr 9") in both headlines: one release
// or event, which a headline names because it is what the story is
// about. Named only in a summary, it may be a passing mention ("we used
// Kestrel 4.6 to find the bugs"). An amount is no release, though names
// keeps it as a versioned name: two startups each raising "$40M" in a
// week are two stories, so the name must begin with a letter.
func sharedNamesRelease(a, b *doc, df []int32, maxDF int32) (n int, release bool) {
	for _, x := range a.names() {
		if x.org || df[x.id] > maxDF {
			continue
		}
		for _, y := range b.names() {
			if x.id == y.id {
				n++
				release = release || x.model && x.head && y.model && y.head && startsWithLetter(x.key)
				break
			}
		}
	}
	return n, release
}

// startsWithLetter reports whether a name's key begins with a letter:
// "gpt5", "ufc304", not "47m" ("$47M") or "10k".
func startsWithLetter(key string) bool {
	r, _ := utf8.DecodeRuneInString(key)
	return unicode.IsLetter(r)
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

// appendSlug appends the words of a link's slug to dst, separated by
// spaces: the path segments of three or more words joined by "-" or "_"
// (not sections, dates or ids), without a file extension, and without
// words that are ids ("61fd3170", "1930967") or percent-encoded text.
func appendSlug(dst []byte, u string) []byte {
	i := strings.Index(u, "://")
	if i < 0 {
		return dst
	}
	u = u[i+3:]
	if j := strings.IndexAny(u, "?#"); j >= 0 {
		u = u[:j]
	}
	j := strings.IndexByte(u, '/')
	if j < 0 {
		return dst
	}
	for path := u[j+1:]; path != ""; {
		seg := path
		if k := strings.IndexByte(path, '/'); k >= 0 {
			seg, path = path[:k], path[k+1:]
		} else {
			path = ""
		}
		if k := strings.LastIndexByte(seg, '.'); k > 0 && len(seg)-k <= 6 {
			seg = seg[:k] // .html, .shtml, .php
		}
		if strings.Count(seg, "-")+strings.Count(seg, "_") < 2 {
			continue
		}
		for seg != "" {
			w := seg
			if k := strings.IndexAny(seg, "-_"); k >= 0 {
				w, seg = seg[:k], seg[k+1:]
			} else {
				seg = ""
			}
			digits := 0
			for k := 0; k < len(w); k++ {
				if w[k] >= '0' && w[k] <= '9' {
					digits++
				}
			}
			if w == "" || strings.IndexByte(w, '%') >= 0 || digits > 4 || digits > 0 && len(w) > 8 {
				continue
			}
			if len(dst) > 0 {
				dst = append(dst, ' ')
			}
			dst = append(dst, w...)
		}
	}
	return dst
}
