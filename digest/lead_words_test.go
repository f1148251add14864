package digest

import (
	"math/rand/v2"
	"testing"
)

// countWordsPlain is countWords as a plain loop over the bytes: the
// reference its eight-bytes-at-a-time reading is held to.
func countWordsPlain(s string, max int) (int, bool) {
	words, digits, inWord := 0, false, false
	for i := 0; i < len(s) && words < max; i++ {
		c := s[i]
		space := c == ' ' || c == '\n' || c == '\t'
		if !space && !inWord {
			words++
		}
		inWord = !space
		digits = digits || c >= '0' && c <= '9'
	}
	return words, digits
}

// TestCountWords: the eight-bytes-at-a-time count agrees with a plain
// loop over the bytes, caps included.
func TestCountWords(t *testing.T) {
	plain := countWordsPlain
	rng := rand.New(rand.NewPCG(5, 6))
	alphabet := []byte("ab  \n\t09/:x\x80\xff\xb0\xaf\x00 é\x08\x0b\x0c\x1f!\x89\x8a\xa0")
	// Without control bytes most blocks take countWords' path for text
	// whose only space byte is ' '.
	plainText := []byte("ab  09/:x\x80\xff\xb0\xaf é!\x89\x8a\xa0\x7f~")
	for k := range 40000 {
		if k == 20000 {
			alphabet = plainText
		}
		b := make([]byte, rng.IntN(70))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		s, max := string(b), 1+rng.IntN(20)
		if max > 15 {
			max = 120
		}
		w, d := countWords(s, max)
		if pw, pd := plain(s, max); w != pw || d != pd {
			t.Fatalf("%q (max %d): %d words, digits %v; want %d, %v", s, max, w, d, pw, pd)
		}
	}
}
