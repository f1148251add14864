package digest

import (
	"math/bits"
	"unicode"
	"unicode/utf8"

	"github.com/triagebot/triagebot/internal/text"
)

// words feeds the hash of every term (see terms) to fn.
func words(s string, fn func(uint64)) {
	terms(s, func(h uint64, _ termClass) { fn(h) })
}

// scanWord reads the word that starts at s[i] (an ASCII word byte or a
// letter that starts a word, isWordLetter) up to a byte that is no word
// byte ("gpt-4o" and "3.5" stay one word; a trailing "-" or "." ends it)
// or a rune that is no letter of a word (wordGoesOn): it returns where
// the word ends and the hash of its first wordBytes bytes lowercased
// (lowerWord, wordHash), taken on the way. It writes nothing: most words
// are already in docBuilder.forms, and only a new one needs its bytes
// (lowerWord).
//
// The hash takes the lowercased bytes eight at a time, so a word of
// plain letters and digits is read and hashed a block at a time (SWAR:
// a byte is in a range when adding (0x80 - lo) sets its high bit and
// adding (0x80 - hi - 1) does not; the high bits are cleared first, so
// no byte carries into the next). Hyphens and dots take the byte loop,
// which decides them as wordGoesOn does. A word with a letter past ASCII
// ("Pokémon", "Škoda") is read again from its start by scanWordRunes,
// which lowercases whole runes: such words are rare in this news, and
// the ASCII loop stays as it was.
func scanWord(s string, i int) (end int, h uint64) {
	if end, h, ok := scanShortWord(s, i); ok {
		return end, h
	}
	return scanLongWord(s, i)
}

// scanShortWord is scanWord for most words: those that end in their
// first block of eight bytes, or right after it, at an ASCII byte that
// cannot go on in a word (a space, a comma), and those that end the
// string within eight bytes. One block and at most one more byte decide
// them, as scanLongWord would; ok is false for the others. readTerms,
// which reads a week's words, has its own copy (the compiler does not
// inline this one, and a call per word cost the caller more than the
// call itself: it reloaded its state after each).
func scanShortWord(s string, i int) (end int, h uint64, ok bool) {
	x, n := wordStart(s, i)
	if x == 0 {
		return 0, 0, false
	}
	lower, k := wordBlock(x)
	if k == n || k > 0 && endsWord(s[i+k]) {
		return i + k, wordMix(wordMix(wordSeed, lower), uint64(k)), true
	}
	return 0, 0, false
}

// wordStart is the block of eight bytes from s[i], little-endian, and n
// how many bytes s has from i; when fewer than nine are left, lastBlock.
func wordStart(s string, i int) (x uint64, n int) {
	if n = len(s) - i; n > 8 {
		return load8(s[i : i+8]), n
	}
	return lastBlock(s, n), n
}

// lastBlock is the block of a word that starts n bytes (at most 8)
// before the end of s: the string's last eight bytes shifted so that the
// word's come first and zeros after them (a zero byte is no word byte,
// so the block's run ends with the string); 0 when s is shorter than
// eight bytes.
func lastBlock(s string, n int) uint64 {
	if len(s) < 8 {
		return 0
	}
	return load8(s[len(s)-8:]) >> (64 - 8*n)
}

// wordBlock reads eight bytes at a word's start (x, little-endian): k,
// how many of them from the first are ASCII letters or digits, and those
// k bytes lowercased, the rest zero. (A byte from 0x80 up may pass the
// letter test on its low seven bits, but it is out of the run, so it is
// cut off with everything after the run.)
func wordBlock(x uint64) (lower uint64, k int) {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	low := x &^ highs
	folded := low | 0x20*ones
	letter := (folded + (0x80-'a')*ones) &^ (folded + (0x80-'z'-1)*ones) & highs
	in := letter | (low+(0x80-'0')*ones)&^(low+(0x80-'9'-1)*ones)
	lower, k = x|letter>>2, 8
	if out := (^in | x) & highs; out != 0 {
		k = bits.TrailingZeros64(out) / 8
		lower &= 1<<(8*k) - 1
	}
	return lower, k
}

// scanLongWord is scanWord for a word scanShortWord did not decide.
func scanLongWord(s string, i int) (end int, h uint64) {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	h = wordSeed
	var acc uint64 // lowercased bytes of the block being filled, little-endian
	n := 0         // bytes hashed so far, at most wordBytes
	j := i
	for n < wordBytes {
		if n%8 == 0 && j+8 <= len(s) && s[j] != ' ' {
			x := load8(s[j : j+8])
			low := x &^ highs
			folded := low | 0x20*ones // 'A' | 0x20 = 'a'; no other byte folds into a–z
			letter := (folded + (0x80-'a')*ones) &^ (folded + (0x80-'z'-1)*ones) &^ x & highs
			in := letter | (low+(0x80-'0')*ones)&^(low+(0x80-'9'-1)*ones)
			lower := x | letter>>2
			if out := (^in | x) & highs; out == 0 {
				h = wordMix(h, lower)
				n, j = n+8, j+8
				continue
			} else if k := bits.TrailingZeros64(out) / 8; k > 0 {
				// The run before the first other byte: what comes
				// next is decided byte by byte.
				acc = lower & (1<<(8*k) - 1)
				n, j = n+k, j+k
			}
		}
		if j == len(s) {
			break
		}
		c := s[j]
		if c >= utf8.RuneSelf {
			if r, _ := utf8.DecodeRuneInString(s[j:]); isWordLetter(r) || unicode.Is(unicode.M, r) {
				return scanWordRunes(s, i)
			}
			return j, wordEnd(h, acc, n) // "OpenAI’s", "Copilot改用"
		}
		// A space or punctuation ends most words: no call for those.
		if !isWordByte(c) && (c != '-' && c != '.' || wordGoesOn(s, j) == 0) {
			return j, wordEnd(h, acc, n)
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		acc |= uint64(c) << (8 * (n % 8))
		n, j = n+1, j+1
		if n%8 == 0 {
			h, acc = wordMix(h, acc), 0
		}
	}
	// A long word: the rest only has to be found.
	return wordSpan(s, j), wordEnd(h, acc, n)
}

// endsWord reports whether the byte after a word's letters and digits
// ends it whatever follows: an ASCII byte that is no word byte, no '-'
// and no '.' (those two go on in "gpt-4o" and "3.5"; wordGoesOn decides
// them). One test of a 128-bit mask, not five comparisons: scanWord asks
// it once for nearly every word of a week.
func endsWord(c byte) bool {
	const (
		digits = 1<<10 - 1
		// lo: bytes 0–63 (digits from '0'); hi: bytes 64–127 (letters
		// from 'A' and 'a').
		lo = ^uint64(0) &^ (1<<'-' | 1<<'.' | digits<<'0')
		hi = ^uint64(0) &^ ((1<<26 - 1) << ('A' - 64)) &^ ((1<<26 - 1) << ('a' - 64))
	)
	m := uint64(lo)
	if c >= 64 {
		m = hi
	}
	return c < utf8.RuneSelf && m>>(c&63)&1 != 0
}

// scanWordRunes is scanWord for a word with a letter past ASCII: it
// finds the word's end, then hashes the bytes lowerWord makes of it.
func scanWordRunes(s string, i int) (end int, h uint64) {
	end = wordSpan(s, i)
	var buf [wordBytes]byte
	return end, wordHash(buf[:lowerWord(&buf, s[i:end])])
}

// wordSpan returns where the word that goes on at s[j] ends.
func wordSpan(s string, j int) int {
	for j < len(s) {
		k := wordGoesOn(s, j)
		if k == 0 {
			break
		}
		j += k
	}
	return j
}

// wordHash is the hash scanWord takes of a lowercased word w (at most
// wordBytes long): its bytes eight at a time, little-endian, the last
// block padded with zeros (no word byte is zero), then its length.
func wordHash(w []byte) uint64 {
	h := uint64(wordSeed)
	var acc uint64
	for k, c := range w {
		acc |= uint64(c) << (8 * (k % 8))
		if k%8 == 7 {
			h, acc = wordMix(h, acc), 0
		}
	}
	return wordEnd(h, acc, len(w))
}

// wordMix adds a block of eight bytes to a word's hash.
func wordMix(h, block uint64) uint64 {
	h = (h ^ block) * 0xff51afd7ed558ccd // MurmurHash3's finalizer
	return h ^ h>>33
}

// wordEnd adds the last, partly filled block (n bytes hashed in all) and
// the length.
func wordEnd(h, acc uint64, n int) uint64 {
	if n%8 != 0 {
		h = wordMix(h, acc)
	}
	return wordMix(h, uint64(n))
}

// wordBytes of a word count (scanWord, lowerWord).
const wordBytes = 48

// wordGoesOn returns the length of the rune at s[j] if it belongs to the
// word before it (scanWord), 0 if it ends the word: an ASCII word byte,
// a '-' or '.' before another word letter, a letter past ASCII of a
// script that writes words (isWordLetter) or a combining mark ("é"
// written as "e" and U+0301). A multi-byte letter is taken whole.
func wordGoesOn(s string, j int) int {
	c := s[j]
	if c >= utf8.RuneSelf {
		r, size := utf8.DecodeRuneInString(s[j:])
		if isWordLetter(r) || unicode.Is(unicode.M, r) {
			return size
		}
		return 0
	}
	if isWordByte(c) || (c == '-' || c == '.') && j+1 < len(s) && startsWord(s, j+1) {
		return 1
	}
	return 0
}

// startsWord reports whether s[j] starts a word: an ASCII letter or
// digit, or a letter past ASCII that isWordLetter takes.
func startsWord(s string, j int) bool {
	if c := s[j]; c < utf8.RuneSelf {
		return isWordByte(c)
	}
	r, _ := utf8.DecodeRuneInString(s[j:])
	return isWordLetter(r)
}

// isWordLetter reports whether r, a rune past ASCII, is a letter that
// words are made of, as ASCII letters are: a Latin, Greek or Cyrillic
// letter ("é", "Š", "ß", "λ", "ж"). Those scripts put spaces between
// words, so a word of them is one term ("Pokémon", "Škoda"), lowercased
// (foldRune).
//
// Other letters keep their own terms (terms): Chinese characters
// (unicode.Han) pair up, and Hangul, kana and the rest are a term a
// letter, as before. They also end a Latin word they touch: Korean and
// Japanese write their particles onto the word before them, Latin names
// included ("OpenAI는", "OpenAIが", "AI반도체"), so "OpenAI" there is the
// same term as in an English headline, and the Hangul or kana after it
// is read as Hangul or kana.
func isWordLetter(r rune) bool {
	return r >= utf8.RuneSelf && unicode.IsLetter(r) &&
		(unicode.Is(unicode.Latin, r) || unicode.Is(unicode.Greek, r) || unicode.Is(unicode.Cyrillic, r))
}

// foldRune lowercases a letter of a word: ASCII as the SWAR loop does,
// the rest by unicode.ToLower, with the Greek final sigma as sigma
// ("ΣΟΦΟΣ" and "σοφος" are one term), so "ŠKODA", "Škoda" and "škoda"
// are one term.
func foldRune(r rune) rune {
	switch {
	case 'A' <= r && r <= 'Z':
		return r + 'a' - 'A'
	case r < utf8.RuneSelf:
		return r
	case r == 'ς':
		return 'σ'
	}
	return unicode.ToLower(r)
}

// lowerWord writes the first wordBytes bytes of w, a word scanWord read,
// lowercased (foldRune), into buf: the bytes scanWord hashed. A word of
// ASCII is copied and its letters lowercased in place; a word with a
// letter past ASCII is lowercased a rune at a time, and cut before the
// first rune that would not fit whole.
func lowerWord(buf *[wordBytes]byte, w string) int {
	n := copy(buf[:], w)
	for k, c := range buf[:n] {
		if c >= utf8.RuneSelf {
			return lowerRunes(buf, w)
		}
		if 'A' <= c && c <= 'Z' {
			buf[k] = c + 'a' - 'A'
		}
	}
	return n
}

// lowerRunes is lowerWord for a word with a letter past ASCII.
func lowerRunes(buf *[wordBytes]byte, w string) int {
	n := 0
	for _, r := range w {
		r = foldRune(r)
		if n+utf8.RuneLen(r) > wordBytes {
			break
		}
		n += utf8.EncodeRune(buf[n:], r)
	}
	return n
}

// isTermWord reports whether the lowercased, stemmed word w is a term:
// no stopword, and no single letter, which is an initial or the "s" of
// "it’s" and names nothing ("É." is one letter, as "E." is), unless it
// is a digit. The common case, a word of ASCII, takes no call.
func isTermWord(w []byte) bool {
	return (len(w) > 1 && (w[0] < utf8.RuneSelf || utf8.RuneCount(w) > 1) || w[0] >= '0' && w[0] <= '9') && !isStopword(string(w))
}

// terms feeds fn the hash of every lowercased non-stopword word, lightly
// stemmed ("launches" and "launch" are one term), and of every pair of
// Chinese characters, with its class: headline boilerplate
// ("introducing", "launches", "pro") says little about which story an
// item is. (Company names stay words: with another shared word they are
// evidence, as "SpaceX" and "Falcon"; alone they join nothing, since a
// pair needs two shared words, and as names they never count.) ASCII
// words are lowercased into a small buffer: no allocation per word.
func terms(s string, fn func(h uint64, c termClass)) {
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
				fn(h, termWord)
			}
			if size > 0 {
				i += size
				continue
			}
		}
		j, _ := scanWord(s, i)
		w := stem(buf[:lowerWord(&buf, s[i:j])])
		if isTermWord(w) {
			c := termWord
			if isWeak(string(w)) {
				c = termWeak
			}
			fn(text.FNV1a(w), c)
		}
		i = j
	}
}

// pastASCII reads the rune at s[i], past ASCII, as terms and readTerms
// do: a Chinese character makes a term with the one before it (prevHan);
// a letter that starts a word ("Škoda", "état") returns size 0, for the
// caller to read the word from i; another letter or digit (Hangul, kana)
// is a term of its own. ok reports a term h; size is how far to go on.
func pastASCII(s string, i int, prevHan *rune) (size int, h uint64, ok bool) {
	r, size := utf8.DecodeRuneInString(s[i:])
	prev := *prevHan
	*prevHan = 0
	switch {
	case unicode.Is(unicode.Han, r):
		*prevHan = r
		return size, fnv2(prev, r), prev != 0
	case isWordLetter(r):
		return 0, 0, false
	case unicode.IsLetter(r) || unicode.IsDigit(r):
		return size, fnv2(r, 0), true
	}
	return size, 0, false
}

// termClass says what a term can do for grouping.
type termClass uint8

const (
	termWord termClass = iota
	termWeak           // boilerplate: counts little, joins nothing
)

// stem strips the plural and verb endings that make one word look like
// two in headlines ("launches"/"launch", "sues"/"sue", "rates"/"rate").
// Crude on purpose: it only has to map a word's forms together, not to a
// dictionary word.
func stem(w []byte) []byte {
	n := len(w)
	if n < 4 || w[n-1] < 'a' || w[n-1] > 'z' {
		return w
	}
	switch {
	case n > 5 && string(w[n-3:]) == "ies":
		return append(w[:n-3], 'y')
	case n > 4 && (string(w[n-4:]) == "ches" || string(w[n-4:]) == "shes" || string(w[n-3:]) == "xes" || string(w[n-3:]) == "sses"):
		return w[:n-2]
	case w[n-1] == 's' && w[n-2] != 's' && w[n-2] != 'u' && w[n-2] != 'i':
		return w[:n-1]
	}
	return w
}

// isWeak: words that headlines of unrelated stories share ("Introducing
// Claude Pro", "Introducing DeepLearning.AI Pro"). They count for little
// and never bring two items together on their own.
func isWeak(w string) bool {
	if isDateNumber(w) {
		return true
	}
	switch w {
	case "introducing", "introduce", "announcing", "announce", "announced", "launch", "launched", "launching",
		"unveil", "unveiled", "release", "released", "update", "updated", "today", "week", "weekly", "report",
		"reported", "pro", "plus", "max", "mini", "lite", "model", "app", "tool", "feature", "available",
		"video", "live", "watch", "exclusive", "opinion", "analysis", "review", "podcast", "episode", "newsletter",
		"use", "using", "make", "take", "want", "need", "help", "people", "year", "day", "time", "way", "thing",
		"big", "best", "top", "latest", "next", "last", "old", "free", "open", "source", "open-source", "company",
		"startup", "user", "data", "tech", "technology", "artificial", "intelligence", "llm", "agent", "chatbot",
		"guide", "tip", "look", "first", "world", "like", "only", "even", "still", "back", "going", "see",
		// Dates: the same day is not the same story ("Horoscope for July
		// 27", "July 27: what to watch").
		"january", "jan", "february", "feb", "march", "mar", "april", "apr", "june", "jun", "july", "jul",
		"august", "aug", "september", "sep", "sept", "october", "oct", "november", "nov", "december", "dec",
		"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "yesterday", "tomorrow",
		"tonight", "daily", "morning", "night":
		return true
	}
	return false
}

// isDateNumber: a day of the month or a recent year.
func isDateNumber(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return len(w) <= 2 || len(w) == 4 && (w[:2] == "19" || w[:2] == "20")
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
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
	h := uint64(text.FNVOffset64)
	h ^= uint64(a)
	h *= text.FNVPrime64
	h ^= uint64(b)
	h *= text.FNVPrime64
	return h ^ 0x5a5a5a5a5a5a5a5a
}

// hasHan is text.HasHan with a fast way past ASCII, eight bytes at a
// time: a Han character has only bytes from 0x80 up, and most headlines
// of a week have none. It runs twice per item (makeDoc, cues.features).
func hasHan(s string) bool {
	const highs = 0x8080808080808080
	i := 0
	for ; i+8 <= len(s); i += 8 {
		if load8(s[i:i+8])&highs != 0 {
			break
		}
	}
	for ; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			// The bytes before are ASCII: s[i:] starts at a rune and
			// holds every Han character of s.
			return text.HasHan(s[i:])
		}
	}
	return false
}

// load8 reads the eight bytes of s, little-endian: one load. Indexing a
// slice of s known to be eight long lets the compiler drop the bounds
// checks and merge the byte loads; indexed from a longer string, each of
// the eight bytes cost a check.
func load8(s string) uint64 {
	s = s[:8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// asciiRun returns where the run of bytes 'a'–'z' (with digits, also
// '0'–'9') that starts at s[j] ends. Most bytes of a week's text are in
// such runs, so they are passed eight at a time: a byte is in the range
// when adding (0x80 - lo) sets its high bit and adding (0x80 - hi - 1)
// does not (no byte carries into the next: the high bits are cleared
// first, and bytes from 0x80 up are no letters).
func asciiRun(s string, j int, digits bool) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for ; j+8 <= len(s); j += 8 {
		x := load8(s[j : j+8])
		low := x &^ highs
		in := (low + (0x80-'a')*ones) &^ (low + (0x80-'z'-1)*ones)
		if digits {
			in |= (low + (0x80-'0')*ones) &^ (low + (0x80-'9'-1)*ones)
		}
		if out := (^in | x) & highs; out != 0 {
			return j + bits.TrailingZeros64(out)/8
		}
	}
	for j < len(s) && ('a' <= s[j] && s[j] <= 'z' || digits && '0' <= s[j] && s[j] <= '9') {
		j++
	}
	return j
}
