package classifier

import (
	"fmt"
	"strings"
)

const maxGroups = 32

// lexEntry is what the lexicon knows about one word or phrase hash.
type lexEntry struct {
	key    uint64
	groups uint32 // bit g: in cue group g
	stop   bool
	// endsPhrase: some cue of two or more words ends with this word, so
	// the phrases ending here are worth looking up. Most words end none.
	endsPhrase bool
}

// lexicon is an open-addressed hash table from word/phrase hashes to cue
// groups: one or two probes per lookup, no allocation, no false matches
// (keys are compared in full).
type lexicon struct {
	groups       []string
	amountGroups uint32 // the groups an amount of money counts for
	table        []lexEntry
	mask         uint64
	used         int
	// has has the bit h>>hasShift set for every key h in the table: most
	// words are in no cue and no stopword list, and one test of an 8 KB
	// bitmap, which stays in L1 cache, turns them away without a probe.
	has [1 << (64 - hasShift) / 64]uint64
}

const hasShift = 48

func newLexicon() *lexicon {
	groups := cueGroups()
	names := make([]string, 0, len(groups))
	for g := range groups {
		names = append(names, g)
	}
	// Fixed order, so the model's group features mean the same thing in
	// every build.
	sortStrings(names)
	if len(names) > maxGroups {
		panic(fmt.Sprintf("classifier: %d cue groups, at most %d", len(names), maxGroups))
	}
	// 4,096 slots for about a thousand words and phrases: a quarter full,
	// so a lookup rarely probes twice, and 64 KB stays in cache.
	lx := &lexicon{groups: names, table: make([]lexEntry, 1<<12), mask: 1<<12 - 1}
	for g, name := range names {
		if name == "money" {
			lx.amountGroups = 1 << g
		}
	}
	for _, w := range stopwords() {
		lx.entry(fnv(stem([]byte(w)))).stop = true
	}
	ex := newExtractor(lx, Features{})
	for g, name := range names {
		for _, p := range groups[name] {
			h, last := ex.phraseKey(p)
			lx.entry(h).groups |= 1 << g
			if last != 0 {
				lx.entry(last).endsPhrase = true
			}
		}
	}
	return lx
}

func (lx *lexicon) lookup(h uint64) lexEntry {
	if b := h >> hasShift; lx.has[b/64]&(1<<(b%64)) == 0 {
		return lexEntry{}
	}
	for i := h & lx.mask; ; i = (i + 1) & lx.mask {
		e := lx.table[i]
		if e.key == h || e.key == 0 {
			return e
		}
	}
}

func (lx *lexicon) entry(h uint64) *lexEntry {
	if lx.used*2 >= len(lx.table) {
		panic("classifier: lexicon table more than half full; enlarge it")
	}
	for i := h & lx.mask; ; i = (i + 1) & lx.mask {
		e := &lx.table[i]
		if e.key == h {
			return e
		}
		if e.key == 0 {
			e.key = h
			lx.used++
			lx.has[h>>hasShift/64] |= 1 << (h >> hasShift % 64)
			return e
		}
	}
}

// phraseKey returns the hash a phrase gets when it is met in text (the
// same stemming and case), and for a phrase of several words the hash of
// its last word.
func (x *extractor) phraseKey(p string) (h, last uint64) {
	if hasHan(p) {
		return fnvString(p), 0
	}
	var words [][]byte
	for _, f := range strings.Fields(strings.ToLower(p)) {
		w := []byte(f)
		if f == "$" {
			words = append(words, w)
			continue
		}
		if allDigits(w) {
			w = []byte("#")
		} else {
			w = stem(w)
		}
		words = append(words, w)
	}
	if len(words) == 0 || len(words) > 4 {
		panic(fmt.Sprintf("classifier: cue %q must have 1 to 4 words", p))
	}
	h = fnv(words[len(words)-1])
	if len(words) > 1 {
		last = h
	}
	for k := len(words) - 2; k >= 0; k-- {
		h = phraseHash(fnv(words[k]), h, len(words)-2-k)
	}
	return h, last
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}
