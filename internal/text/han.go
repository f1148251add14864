package text

import (
	"unicode"
	"unicode/utf8"
)

// HasHan reports whether s holds a Han character (a Chinese character, or
// a kanji or hanja). Kana and hangul alone do not count: callers use it to
// tell Chinese text, which has no spaces between words, from the rest.
func HasHan(s string) bool {
	for i := 0; i < len(s); i++ {
		// Every Han character encodes from 0xE2 up in UTF-8; skipping the
		// bytes below keeps the common ASCII title cheap.
		if s[i] >= 0xE2 {
			r, _ := utf8.DecodeRuneInString(s[i:])
			if unicode.Is(unicode.Han, r) {
				return true
			}
		}
	}
	return false
}
