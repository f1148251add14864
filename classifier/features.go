package classifier

import (
	"math"
	"math/bits"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/triagebot/triagebot/internal/text"
	"github.com/triagebot/triagebot/news"
)

const (
	hashBits = 18
	hashSize = 1 << hashBits
	nLabels  = 3
	maxFeats = 2048 // per item; text past this adds nothing new worth the time
)

// featKind says where a feature came from, for the reasons.
type featKind uint8

const (
	fBias featKind = iota
	fWord
	fTitleWord
	fBigram
	fCJK
	fCue
	fTitleCue
	fKind
	fURL
	fLang
	fQuestion
	fChar
	fSource
	fShape
	fPair
)

// feat is one feature occurrence: its weight bucket, value, and where it
// came from so a reason can quote it. 16 bytes: an item has hundreds.
type feat struct {
	key        uint32  // bucket (low hashBits) | kind, field, cue group (high bits)
	v          float32 // value
	start, end int32   // byte span in the field, for quoting
}

const (
	kindShift  = hashBits
	fieldShift = hashBits + 4
	groupShift = hashBits + 5 // 5 bits: maxGroups is 32
)

func mkFeat(idx uint32, v float32, kind featKind, field, group uint8, start, end int32) feat {
	return feat{key: idx | uint32(kind)<<kindShift | uint32(field)<<fieldShift | uint32(group)<<groupShift, v: v, start: start, end: end}
}

func (f feat) idx() uint32    { return f.key & (hashSize - 1) }
func (f feat) kind() featKind { return featKind(f.key >> kindShift & 0xf) }
func (f feat) field() uint8   { return uint8(f.key >> fieldShift & 1) }
func (f feat) group() uint8   { return uint8(f.key >> groupShift & 0x1f) }

// namespaces keep "launch" as a title word apart from "launch" in the body
// and from a cue group that happens to hash alike.
const (
	nsWord uint64 = (iota+1)<<56 | 0x5bd1e9955bd1e995&(1<<56-1)
	nsTitle
	nsBigram
	nsCJK
	nsCue
	nsTitleCue
	nsMeta
	nsChar
)

// bucket mixes a hash into a weight index: the top hashBits bits of a
// murmur3 finalizer step. (Its second "h ^= h >> 33" only touches the
// low 31 bits, which the index never sees, so it is left out.)
func bucket(h, ns uint64) uint32 {
	h ^= ns
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	return uint32(h >> (64 - hashBits))
}

func fnv(b []byte) uint64 {
	h := uint64(text.FNVOffset64)
	for _, c := range b {
		h ^= uint64(c)
		h *= text.FNVPrime64
	}
	return h
}

func fnvString(s string) uint64 { return fnvMore(text.FNVOffset64, s) }

// fnvMore continues an FNV hash with more text: fnvMore(fnvString(a), b)
// is fnvString(a+b) without building the string.
func fnvMore(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= text.FNVPrime64
	}
	return h
}

func mix(a, b uint64) uint64 { return (a*31 + b) * 0x100000001b3 }

// IsChinese reports whether an item is Chinese as the classifier reads
// it (its Chinese features, and the language its labels are balanced
// in): by its language tag,
// whatever region or script it names ("zh", "zh-TW", "zh-Hans"), or,
// without one, by Chinese characters in its title.
func IsChinese(lang, title string) bool {
	if lang == "" {
		return hasHan(title)
	}
	return lang == "zh" || strings.HasPrefix(lang, "zh-") || strings.HasPrefix(lang, "zh_")
}

// cueHanSlice salts a Chinese item's own copy of a cue group
// (Features.CueHan). Any fixed constant serves, but where the copies
// land among 2^18 buckets moves the figures a little: five arbitrary
// salts scored 0.747–0.748 (3 fold seeds), FNV-1a of "lang:zh" 0.743
// (0.742 on 5).
// This is the golden-ratio constant, the lowest of the five.
const cueHanSlice = 0x9e3779b97f4a7c15

// stem strips the commonest English inflections in place. Light on
// purpose: "launches", "launched", "launching" and "launch" meet; "news"
// and "bus" are left alone.
func stem(b []byte) []byte {
	k, y := stemLen(b)
	if y {
		b[k-1] = 'y'
	}
	return b[:k]
}

// stemLen is what stem does to b: it keeps the first k bytes, the last of
// them made a 'y' when y is set. As a stemmed word is a prefix of the word
// but for that 'y', its hash follows from the word's prefix hashes.
func stemLen(b []byte) (k int, y bool) {
	n := len(b)
	switch {
	case n > 4 && string(b[n-3:]) == "ies":
		return n - 2, true
	case n > 5 && string(b[n-3:]) == "ing":
		return n - 3, false
	case n > 4 && string(b[n-2:]) == "ed" && b[n-3] != 'e':
		return n - 2, false
	case n > 4 && (string(b[n-3:]) == "hes" || string(b[n-3:]) == "ses" || string(b[n-3:]) == "xes"):
		return n - 2, false
	case n > 3 && b[n-1] == 's' && b[n-2] != 's' && b[n-2] != 'u' && b[n-2] != 'i' && string(b) != "news":
		return n - 1, false
	}
	return n, false
}

func isHan(r rune) bool {
	return r >= 0x2E80 && (unicode.Is(unicode.Han, r) || (r >= 0x3040 && r <= 0x30FF))
}

// breaks end a phrase: words on either side never form a bigram or a cue.
func isBreak(r rune) bool {
	switch r {
	case '.', ',', ';', ':', '!', '?', '|', '(', ')', '[', ']', '"', '“', '”', '—', '–', '#', '·', '/', '\n',
		'，', '。', '；', '：', '！', '？', '、', '（', '）', '「', '」', '《', '》', '【', '】', '｜':
		return true
	}
	return false
}

// extractor turns an item into features. It is read-only once built.
type extractor struct {
	lex *lexicon
	cfg Features
	// lower maps an ASCII letter or digit to its lowercase form and every
	// other byte to 0: one load per byte in the hot loop.
	lower [256]byte
	// brk marks the ASCII bytes isBreak is true for.
	brk [utf8.RuneSelf]bool
	// log1p[c] is float32(math.Log1p(c)), the value of a cue seen c times.
	log1p [32]float32
	// positive: every value extract makes is above 0 (all but a cue
	// pair's can only be; a pair's is PairValue, or 1 for 0), which
	// lets scoring skip its test for other values.
	positive bool
}

func newExtractor(lex *lexicon, cfg Features) *extractor {
	cfg.fill()
	x := &extractor{lex: lex, cfg: cfg}
	for c := 0; c < 256; c++ {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			x.lower[c] = byte(c)
		case c >= 'A' && c <= 'Z':
			x.lower[c] = byte(c) + 'a' - 'A'
		}
	}
	for c := range x.brk {
		x.brk[c] = isBreak(rune(c))
	}
	for c := range x.log1p {
		x.log1p[c] = float32(math.Log1p(float64(c)))
	}
	pair := float32(cfg.PairValue)
	x.positive = cfg.CuePairs <= 0 || cfg.NoCues || pair > 0 || pair == 0
	return x
}

// tokenState is the tokenizing of one field: the field, where its
// features and cue counts go, the word being read, and the previous words
// for bigrams and cue phrases. One pointer to it is all word and chars
// are passed besides the word.
type tokenState struct {
	s     string
	field uint8
	buf   []feat
	// cues counts the cue groups met, cueAt where each was first met.
	// Values, not pointers to extract's arrays: escape analysis follows
	// the fields of a struct as one, and buf's goes to the heap.
	cues  [maxGroups]float32
	cueAt [maxGroups][2]int32
	seen  uint32 // bit g: cues[g] > 0

	prev  [3]uint64 // hashes of the last three words, most recent first
	start [3]int32  // their start offsets
	stop  [3]bool
	n     int
	chars int // character n-grams made, for scaling (reset keeps it)

	// word is the word being read, lowercased; pre[i] is the FNV hash of
	// its first i bytes, made while reading it.
	word [64]byte
	pre  [65]uint64
}

func (s *tokenState) reset() { s.n = 0 }

func (s *tokenState) push(h uint64, start int32, stop bool) {
	s.prev[2], s.prev[1], s.prev[0] = s.prev[1], s.prev[0], h
	s.start[2], s.start[1], s.start[0] = s.start[1], s.start[0], start
	s.stop[2], s.stop[1], s.stop[0] = s.stop[1], s.stop[0], stop
	if s.n < 3 {
		s.n++
	}
}

// extract appends the item's features to buf.
func (x *extractor) extract(it *news.Item, buf []feat) []feat {
	buf = append(buf, mkFeat(bucket(1, nsMeta), 1, fBias, 0, 0, 0, 0))
	var ts [2]tokenState
	title := cut(it.Title, 600)
	summary := cut(it.Summary, x.cfg.MaxText)
	textStart := len(buf)
	buf, nct := x.text(&ts[0], title, 0, buf)
	summaryStart := len(buf)
	buf, ncs := x.text(&ts[1], summary, 1, buf)
	// Long texts should not outvote short ones by length alone; words and
	// character n-grams are scaled apart, so the many n-grams do not
	// drown the words.
	nc := nct + ncs
	nw := len(buf) - textStart - nc
	if nw+nc > 0 {
		sw, sc := float32(1/math.Sqrt(float64(max(nw, 1)))), float32(1/math.Sqrt(float64(max(nc, 1))))
		// Indexed by kind, not branched on: in the title a word's
		// n-grams and its word features alternate, which a branch
		// mispredicts; a table by the key's kind bits is one load.
		var scale [16]float32
		for k := range scale {
			scale[k] = sw
		}
		scale[fChar] = sc
		mixed := buf[textStart:]
		if ncs == 0 {
			// A summary without n-grams (the default) is all words.
			mixed = buf[textStart:summaryStart]
			for i := summaryStart; i < len(buf); i++ {
				buf[i].v *= sw
			}
		}
		for i := range mixed {
			mixed[i].v *= scale[mixed[i].key>>kindShift&0xf]
		}
	}
	zh := IsChinese(it.Lang, title)
	slice := fnvString(string(it.SourceKind))
	if zh {
		slice = mix(slice, 7)
	}
	for field := range 2 {
		kind, ns := fCue, nsCue
		if field == 0 {
			kind, ns = fTitleCue, nsTitleCue
		}
		// The groups met only, in order: most of the 32 are not.
		for seen := ts[field].seen; seen != 0; seen &= seen - 1 {
			g := bits.TrailingZeros32(seen) & (maxGroups - 1)
			if c := ts[field].cues[g]; c > 0 && !x.cfg.NoCues {
				var v float32
				if c < float32(len(x.log1p)) {
					v = x.log1p[int(c)] // c counts, so it is whole
				} else {
					v = float32(math.Log1p(float64(c)))
				}
				buf = append(buf, mkFeat(bucket(uint64(g+1), ns), v, kind,
					uint8(field), uint8(g), ts[field].cueAt[g][0], ts[field].cueAt[g][1]))
				if x.cfg.CueSlices {
					// The same cue means differently in a news story, a
					// company's blog and a Chinese flash item.
					buf = append(buf, mkFeat(bucket(mix(uint64(g+1), slice), ns), v, kind,
						uint8(field), uint8(g), ts[field].cueAt[g][0], ts[field].cueAt[g][1]))
				} else if zh && x.cfg.CueHan {
					buf = append(buf, mkFeat(bucket(mix(uint64(g+1), cueHanSlice), ns), v, kind,
						uint8(field), uint8(g), ts[field].cueAt[g][0], ts[field].cueAt[g][1]))
				}
			}
		}
	}
	if x.cfg.CuePairs > 0 && !x.cfg.NoCues {
		buf = x.cuePairs(&ts, buf)
	}
	if isQuestion(title) {
		buf = append(buf, mkFeat(bucket(fnvString("title:question"), nsMeta), 1, fQuestion, 0, 0, 0, 0))
	}
	if it.SourceKind != "" {
		buf = append(buf, mkFeat(bucket(fnvMore(fnvString("kind:"), string(it.SourceKind)), nsMeta), 1, fKind, 0, 0, 0, 0))
	}
	var hints [len(urlPaths) + 1]string
	for i, u := range urlHints(hints[:0], it.URL) {
		// start holds which hint, so a reason can name it.
		buf = append(buf, mkFeat(bucket(fnvMore(fnvString("url:"), u), nsMeta), 1, fURL, 0, 0, int32(i), 0))
	}
	if x.cfg.Shape {
		buf = x.shape(it, title, summary, buf)
	}
	if x.cfg.Source && it.Source != "" {
		buf = append(buf, mkFeat(bucket(fnvString("source:"+strings.ToLower(strings.TrimSpace(it.Source))), nsMeta), 1, fSource, 0, 0, 0, 0))
	}
	if zh {
		buf = append(buf, mkFeat(bucket(fnvString("lang:zh"), nsMeta), 1, fLang, 0, 0, 0, 0))
	}
	return buf
}

// cuePairs appends a feature for each pair of cue groups met together:
// in the title (CuePairs 1) or anywhere (2). A linear model cannot say
// "how" with a customer's name is a story but "how" with "we" a method.
func (x *extractor) cuePairs(ts *[2]tokenState, buf []feat) []feat {
	v := float32(x.cfg.PairValue)
	if v == 0 {
		v = 1
	}
	var on [maxGroups]bool
	for g := range len(x.lex.groups) {
		on[g] = ts[0].cues[g] > 0 || x.cfg.CuePairs == 2 && ts[1].cues[g] > 0
	}
	for g := range len(x.lex.groups) {
		if !on[g] {
			continue
		}
		for h := g + 1; h < len(x.lex.groups); h++ {
			if on[h] {
				buf = append(buf, mkFeat(bucket(uint64(g+1)<<8|uint64(h+1), nsCue^0x7061697273), v, fPair, 0, 0, int32(g), int32(h)))
			}
		}
	}
	return buf
}

// text tokenizes one field: words (lowercased, stemmed), bigrams, Chinese
// character bigrams, and cue phrases counted per group.
// It also returns how many of the features are character n-grams.
func (x *extractor) text(st *tokenState, s string, field uint8, buf []feat) ([]feat, int) {
	if !utf8.ValidString(s) {
		s = blankInvalid(s)
	}
	st.s, st.field, st.buf = s, field, buf
	for i := 0; i < len(s) && len(st.buf) < maxFeats; {
		// ASCII first: spaces, letters and digits are most of the bytes.
		if c := s[i]; c < utf8.RuneSelf {
			switch {
			case x.lower[c] != 0:
				start := i
				var n int
				i, n = x.scanWord(st, i)
				x.word(st, start, i, n)
				// A word is mostly followed by a space, which is no
				// break: step over it here rather than by a turn of
				// the loop.
				if i < len(s) && s[i] == ' ' {
					i++
				}
			case c == '$':
				x.currency(st, i, i+1)
				i++
			default:
				if x.brk[c] {
					st.reset()
				}
				i++
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '€' || r == '£' || r == '¥':
			x.currency(st, i, i+size)
			i += size
		case isHan(r):
			j := i
			for j < len(s) {
				r2, n := utf8.DecodeRuneInString(s[j:])
				if !isHan(r2) {
					break
				}
				j += n
			}
			st.buf = x.han(st, i, j, st.buf)
			st.reset()
			i = j
		case unicode.IsLetter(r):
			start := i
			var n int
			i, n = x.scanWord(st, i)
			x.word(st, start, i, n)
		default:
			if isBreak(r) {
				st.reset()
			}
			i += size
		}
	}
	return st.buf, st.chars
}

// scanWord reads the word of st.s starting at i into st.word, lowercased
// (at most len(st.word) bytes kept), with the prefix hashes of what it
// keeps, and returns where the word ends and how many bytes it kept.
func (x *extractor) scanWord(st *tokenState, i int) (end, n int) {
	s, word, pre := st.s, &st.word, &st.pre
	lower := &x.lower
	pre1 := (*[len(word)]uint64)(pre[1:])
	h := uint64(text.FNVOffset64)
	pre[0] = h
	for i < len(s) {
		// The common bytes first, in a loop of their own: lowercase
		// ASCII letters and digits while the word has room. A byte
		// lower maps to 0 (also every non-ASCII byte) leaves it for
		// the cases below. n < len(word) throughout, so the masks
		// change no index; they only spare the bounds checks.
		t := s[i:min(len(s), i+len(word)-n)]
		k := 0
		for ; k < len(t); k++ {
			lc := lower[t[k]]
			if lc == 0 {
				break
			}
			word[n&(len(word)-1)] = lc
			h = (h ^ uint64(lc)) * text.FNVPrime64
			pre1[n&(len(word)-1)] = h // pre[n+1]
			n++
		}
		i += k
		if i >= len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf {
			lc := x.lower[c]
			if lc == 0 {
				// Keep "gpt-4o", "3.5", "o'reilly" together; a
				// trailing "-", "." or "'" ends the word.
				joiner := (c == '-' || c == '.' || c == '\'' || c == '&') && i+1 < len(s) && isASCIIAlnum(s[i+1])
				if !joiner {
					break
				}
				if c == '\'' && (i+2 == len(s) || !isASCIIAlnum(s[i+2])) && (s[i+1] == 's' || s[i+1] == 'S') {
					break // possessive 's
				}
				lc = c
			}
			if n < len(word) {
				word[n] = lc
				h = (h ^ uint64(lc)) * text.FNVPrime64
				n++
				pre[n] = h
			}
			i++
			continue
		}
		r2, sz := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsLetter(r2) && !unicode.IsDigit(r2) || isHan(r2) {
			break
		}
		if n+4 <= len(word) {
			m := n + utf8.EncodeRune(word[n:], unicode.ToLower(r2))
			for ; n < m; n++ {
				h = (h ^ uint64(word[n])) * text.FNVPrime64
				pre[n+1] = h
			}
		}
		i += sz
	}
	return i, n
}

func isASCIIAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// word handles one token: unigram and title features, the bigram with the
// previous word, and cue phrases of one to four words ending here.
//
// The word is st.word[:n] as scanWord left it, with its prefix hashes
// in st.pre.
func (x *extractor) word(st *tokenState, start, end, n int) {
	w := st.word[:n]
	field := st.field
	// Only a word that starts with a digit can be an amount; the look back
	// for a currency sign is for those.
	var digits, amount bool
	if len(w) > 0 && w[0]-'0' <= 9 {
		digits = allDigits(w)
		amount = isAmount(w, afterCurrency(st.s, start))
	}
	if x.cfg.CharMax > 0 && (field == 0 || x.cfg.CharSummary) && len(w) > 1 && !digits {
		x.chars(st, w, start, end)
	}
	var h uint64
	switch {
	case digits:
		w = []byte("#")
		h = fnv(w)
	default:
		k, y := stemLen(w)
		h = st.pre[k]
		if y {
			w[k-1] = 'y'
			h = (st.pre[k-1] ^ 'y') * text.FNVPrime64
		}
		w = w[:k]
	}
	entry := x.lex.lookup(h)
	if amount {
		// "$400M", "2.5bn", "$13B": an amount of money in a headline is
		// usually funding, revenue or a deal.
		entry.groups |= x.lex.amountGroups
	}
	stop := entry.stop
	b := st.buf
	if !stop && len(w) > 1 {
		b = append(b, mkFeat(bucket(h, nsWord), 1, fWord, field, 0, int32(start), int32(end)))
		if field == 0 {
			b = append(b, mkFeat(bucket(h, nsTitle), 1, fTitleWord, field, 0, int32(start), int32(end)))
		}
	}
	if st.n > 0 && !(stop && st.stop[0]) {
		b = append(b, mkFeat(bucket(mix(st.prev[0], h), nsBigram), 1, fBigram, field, 0, st.start[0], int32(end)))
	}
	st.buf = b
	st.cue(entry.groups, start, end)
	if entry.endsPhrase {
		ph := h
		for k := 0; k < st.n; k++ {
			ph = phraseHash(st.prev[k], ph, k)
			st.cue(x.lex.lookup(ph).groups, int(st.start[k]), end)
		}
	}
	st.push(h, int32(start), stop)
}

// currency reads a currency sign as the word "$", as scanWord would
// leave it: one argument fewer for word, which every word calls.
func (x *extractor) currency(st *tokenState, start, end int) {
	st.word[0] = '$'
	st.pre[0] = text.FNVOffset64
	st.pre[1] = (st.pre[0] ^ '$') * text.FNVPrime64
	x.word(st, start, end, 1)
}

// chars adds the character n-grams of one lowercased word, boundaries
// marked; the span is the word's, so a reason quotes the word.
func (x *extractor) chars(st *tokenState, w []byte, start, end int) {
	field := st.field
	var b [66]byte
	b[0] = '<'
	n := copy(b[1:65], w) + 2
	b[n-1] = '>'
	ns := nsChar + uint64(field)
	k0, k1 := x.cfg.CharMin, min(x.cfg.CharMax, n)
	count := 0
	for k := k0; k <= k1; k++ {
		count += n - k + 1
	}
	// Room for them all at once, then stores: no append's capacity test
	// per n-gram.
	out := slices.Grow(st.buf, count)
	j := len(out)
	out = out[:j+count]
	key := uint32(fChar)<<kindShift | uint32(field)<<fieldShift
	s32, e32 := int32(start), int32(end)
	// The n-grams go out all of length k0 first, then k0+1, …, as
	// training saw them; they are made start by start, each length's
	// FNV hash one byte more than the last, and stored in their places.
	i := 0
	if k0 == 2 && k1 == 4 {
		// The shipped lengths: the starts with all three n-grams in
		// one loop, each byte read once and kept in a register as it
		// moves down, the three runs of out sliced to the loop's
		// length so that no store is bounds-checked.
		const p = text.FNVPrime64
		t := b[3:n] // the 4-grams' last bytes
		o2 := out[j:][:len(t)]
		o3 := out[j+n-1:][:len(t)]
		o4 := out[j+n-1+n-2:][:len(t)]
		c0, c1, c2 := uint64(b[0]), uint64(b[1]), uint64(b[2])
		for q, c := range t {
			h := ((text.FNVOffset64^c0)*p ^ c1) * p
			o2[q] = feat{key: bucket(h+2, ns) | key, v: 1, start: s32, end: e32}
			h = (h ^ c2) * p
			o3[q] = feat{key: bucket(h+3, ns) | key, v: 1, start: s32, end: e32}
			h = (h ^ uint64(c)) * p
			o4[q] = feat{key: bucket(h+4, ns) | key, v: 1, start: s32, end: e32}
			c0, c1, c2 = c1, c2, uint64(c)
		}
		// The last two starts (n ≥ 4 here): a 2- and a 3-gram from
		// c0 c1 c2, then the 2-gram c1 c2.
		h := ((text.FNVOffset64^c0)*p ^ c1) * p
		out[j+n-3] = feat{key: bucket(h+2, ns) | key, v: 1, start: s32, end: e32}
		h = (h ^ c2) * p
		out[j+n-1+n-3] = feat{key: bucket(h+3, ns) | key, v: 1, start: s32, end: e32}
		h = ((text.FNVOffset64^c1)*p ^ c2) * p
		out[j+n-2] = feat{key: bucket(h+2, ns) | key, v: 1, start: s32, end: e32}
		i = n
	} else if k0 == 2 && k1 == 3 {
		// The usual lengths, unrolled while all of them fit; the loop
		// below makes the last starts' n-grams.
		const p = text.FNVPrime64
		at3, at4 := j+n-1, j+n-1+n-2
		for ; i+k1 <= n; i++ {
			h := ((text.FNVOffset64^uint64(b[i]))*p ^ uint64(b[i+1])) * p
			out[j+i] = feat{key: bucket(h+2, ns) | key, v: 1, start: s32, end: e32}
			h = (h ^ uint64(b[i+2])) * p
			out[at3+i] = feat{key: bucket(h+3, ns) | key, v: 1, start: s32, end: e32}
			if k1 == 4 {
				h = (h ^ uint64(b[i+3])) * p
				out[at4+i] = feat{key: bucket(h+4, ns) | key, v: 1, start: s32, end: e32}
			}
		}
	}
	for ; i+k0 <= n; i++ {
		h, t := uint64(text.FNVOffset64), i
		if k0 >= 2 { // the usual first two bytes without a loop
			h = ((h^uint64(b[t]))*text.FNVPrime64 ^ uint64(b[t+1])) * text.FNVPrime64
			t += 2
		}
		for ; t < i+k0; t++ {
			h = (h ^ uint64(b[t])) * text.FNVPrime64
		}
		at := j + i // where the n-gram of length k starting at i goes
		for k := k0; k <= k1 && i+k <= n; k++ {
			if k > k0 {
				h = (h ^ uint64(b[i+k-1])) * text.FNVPrime64
			}
			out[at] = feat{key: bucket(h+uint64(k), ns) | key, v: 1, start: s32, end: e32}
			at += n - k + 1 // past the rest of length k and the first i of k+1
		}
	}
	st.chars += count
	st.buf = out
}

// afterCurrency: the byte before start ends a currency sign.
func afterCurrency(s string, start int) bool {
	if start == 0 {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s[:start])
	return r == '$' || r == '€' || r == '£' || r == '¥'
}

// phraseHash extends a phrase hash with an earlier word; k is how many
// words the phrase had before this one, so "b c" and "a b c" differ.
func phraseHash(earlier, rest uint64, k int) uint64 {
	return mix(mix(earlier, rest), uint64(k+1)*0x9e3779b97f4a7c15)
}

// cue counts the groups of one match, and notes them in seen. It visits
// the set bits only, lowest first: a group's bit can be high, and a
// loop over every bit below it cost a twentieth of extraction.
func (st *tokenState) cue(groups uint32, start, end int) {
	st.seen |= groups
	for ; groups != 0; groups &= groups - 1 {
		g := bits.TrailingZeros32(groups) & (maxGroups - 1)
		if st.cues[g] == 0 {
			st.cueAt[g] = [2]int32{int32(start), int32(end)}
		}
		st.cues[g]++
	}
}

// han handles a run of CJK characters: character bigrams as features and
// 2-4 character windows looked up as cue phrases.
func (x *extractor) han(st *tokenState, i, j int, buf []feat) []feat {
	s, field := st.s, st.field
	var offs [5]int // start offsets of the last runes, for windows
	n := 0
	for p := i; p < j && len(buf) < maxFeats; {
		_, size := utf8.DecodeRuneInString(s[p:])
		copy(offs[1:], offs[:4])
		offs[0] = p
		n++
		end := p + size
		for w := 2; w <= x.cfg.HanMax && w <= n; w++ {
			h := fnvString(s[offs[w-1]:end])
			buf = append(buf, mkFeat(bucket(h, nsCJK), 1, fCJK, field, 0, int32(offs[w-1]), int32(end)))
			if field == 0 {
				buf = append(buf, mkFeat(bucket(h, nsTitle), 1, fTitleWord, field, 0, int32(offs[w-1]), int32(end)))
			}
		}
		for w := 2; w <= 4 && w <= n; w++ {
			st.cue(x.lex.lookup(fnvString(s[offs[w-1]:end])).groups, offs[w-1], end)
		}
		p = end
	}
	return buf
}

// isAmount matches money: "$400m", "$13b", "€10k" (a number with a
// magnitude suffix after a currency sign) or "2.5bn", "40mn", which are
// money without one. "4K" (a screen), "13B" (a model's parameters) and
// "500M users" are not.
func isAmount(b []byte, currency bool) bool {
	i := 0
	for i < len(b) && (b[i] >= '0' && b[i] <= '9' || b[i] == '.') {
		i++
	}
	if i == 0 || i == len(b) {
		return false
	}
	switch string(b[i:]) {
	case "bn", "mn":
		return true
	case "m", "b", "k", "t", "tn":
		return currency
	}
	return false
}

func allDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(b) > 0
}

func hasHan(s string) bool {
	// Han is never ASCII: skip to the first other byte before decoding.
	i := 0
	for i < len(s) && s[i] < utf8.RuneSelf {
		i++
	}
	for _, r := range s[i:] {
		if isHan(r) {
			return true
		}
	}
	return false
}

// urlPaths are the link paths that say what kind of page it is, and
// the hint each gives. Every one starts with "/", which urlHints relies on.
var urlPaths = [...]struct{ sub, hint string }{
	{"/research", "/research/"}, {"/papers", "/research/"}, {"/publications", "/research/"}, {"/paper/", "/research/"},
	{"/blog", "/blog/"}, {"/news", "/news/"}, {"/pricing", "/pricing"}, {"/plans", "/pricing"},
	{"/docs", "/docs/"}, {"/changelog", "/changelog"}, {"/release", "/changelog"}, {"/product", "/product/"},
	{"/review", "/review"}, {"/deals", "/deals"}, {"/policy", "/policy/"}, {"/politics", "/policy/"},
	{"/business", "/business/"}, {"/funding", "/business/"}, {"/opinion", "/opinion/"}, {"/podcast", "/opinion/"},
	{"/events", "/events/"}, {"/newsflashes", "/newsflash/"}, {"/science", "/research/"},
}

// urlPathsBy[c] has bit k set when urlPaths[k] starts with "/" and c.
// Read only, computed once.
var urlPathsBy = func() (t [256]uint32) {
	for k, p := range urlPaths {
		t[p.sub[1]] |= 1 << k
	}
	return t
}()

// urlHints keeps a bit per path in a uint32.
var _ [32 - len(urlPaths)]struct{}

// urlHints appends the hints of a link (the same hint can come twice):
// "arxiv.org", then one per urlPaths entry found in it, in that order.
// Only the places after a "/" are tried, as every path starts with one.
func urlHints(out []string, u string) []string {
	if u == "" {
		return out
	}
	u = strings.ToLower(u)
	if strings.Contains(u, "arxiv.org") {
		out = append(out, "arxiv.org")
	}
	var found uint32 // bit k: urlPaths[k] is in u
	for i := strings.IndexByte(u, '/'); i >= 0; {
		rest := u[i:]
		if len(rest) > 1 {
			// Only the paths whose second byte is rest's are tried.
			for ks := urlPathsBy[rest[1]]; ks != 0; ks &= ks - 1 {
				k := bits.TrailingZeros32(ks)
				if strings.HasPrefix(rest, urlPaths[k].sub) {
					found |= 1 << k
				}
			}
		}
		j := strings.IndexByte(rest[1:], '/')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	for k := 0; found != 0; k++ {
		if found&(1<<k) != 0 {
			out = append(out, urlPaths[k].hint)
			found &^= 1 << k
		}
	}
	return out
}

// isQuestion spots headlines that ask or argue ("Why the boom looks like a
// bubble", "Is the AI PC worth it?"): opinion and analysis, mostly.
func isQuestion(title string) bool {
	t := strings.TrimSpace(title)
	if strings.HasSuffix(t, "?") || strings.HasSuffix(t, "？") || strings.HasSuffix(t, "嗎") || strings.HasSuffix(t, "吗") {
		return true
	}
	// The first word of the lowercased title is the lowercased first word
	// (no rune lowercases to a space); an ASCII one is lowercased in place.
	first, _, _ := strings.Cut(t, " ")
	var low [8]byte
	if len(first) > len(low) || !isASCII(first) {
		return isQuestionWord(strings.ToLower(first))
	}
	for i := 0; i < len(first); i++ {
		low[i] = first[i]
		if c := first[i]; c >= 'A' && c <= 'Z' {
			low[i] = c + 'a' - 'A'
		}
	}
	return isQuestionWord(string(low[:len(first)]))
}

func isQuestionWord(w string) bool {
	switch w {
	case "why", "what", "what's", "should", "is", "are", "will", "can", "does", "do", "who", "when":
		return true
	}
	return false
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// cut shortens s to at most n bytes without splitting a character.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// blankInvalid replaces each byte of s that is not part of valid UTF-8
// with a space, one for one. Reasons quote the original text at the
// offsets tokenizing found: strings.ToValidUTF8 turned a run of invalid
// bytes into one space and shifted every later offset ("\xff\xfepaper
// study" was quoted as "\ufffdpape"). A space is a break either way, so
// the words and features are the same.
func blankInvalid(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, ' ')
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return string(b)
}
