package digest

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

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
