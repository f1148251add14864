package digest

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

// lowerWordsByByte is lowerWords as it was before it copied runs of
// lowercase letters and digits: one byte at a time.
func lowerWordsByByte(s string, buf []byte, bounds [][2]uint8) ([]byte, [][2]uint8) {
	start := -1
	for i := 0; i < len(s) && len(buf) < cap(buf)-1; i++ {
		c := s[i]
		if c == 0xE2 && strings.HasPrefix(s[i:], "’") {
			c, i = '\'', i+2
		}
		word := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '\'' || c >= utf8.RuneSelf ||
			(c == '-' && start >= 0)
		if !word {
			if start >= 0 {
				if len(bounds) == cap(bounds) {
					return buf, bounds
				}
				bounds = append(bounds, [2]uint8{uint8(start), uint8(len(buf))})
				start = -1
			}
			buf = append(buf, ' ')
			continue
		}
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if start < 0 {
			start = len(buf)
		}
		buf = append(buf, c)
	}
	if start >= 0 && len(bounds) < cap(bounds) {
		bounds = append(bounds, [2]uint8{uint8(start), uint8(len(buf))})
	}
	return buf, bounds
}

// TestLowerWordsByRuns: the same bytes and bounds as byte by byte, with
// the buffer or the bounds running out anywhere.
func TestLowerWordsByRuns(t *testing.T) {
	titles := []string{
		"Introducing Claude Opus 4.6: the best model for coding",
		"We’re hiring: join our team — apply now!",
		"how-to watch the launch live, step-by-step 2026",
		"微軟Copilot改用GPT-5模型 發布 new tool",
		"a b c d e f g h i j k l m n o p q r s t u v w x y z 0 1 2 3 4 5 6 7 8 9",
		strings.Repeat("longwordlongword ", 12),
	}
	// And random titles of the bytes each branch reads.
	rng := rand.New(rand.NewPCG(9, 10))
	pieces := []string{"a", "q", "z", "0", "9", "A", "Z", "-", "'", "’", " ", ",", "中", "é", "\xe2", "longword", "x7y8z9w0"}
	for range 2000 {
		var sb strings.Builder
		for range rng.IntN(60) {
			sb.WriteString(pieces[rng.IntN(len(pieces))])
		}
		titles = append(titles, sb.String())
	}
	for _, s := range titles {
		for _, nb := range []int{0, 1, 2, 5, 8, 9, 17, 40, 160} {
			for _, nw := range []int{1, 3, 48} {
				gb, gw := lowerWords(s, make([]byte, 0, nb), make([][2]uint8, 0, nw))
				wb, ww := lowerWordsByByte(s, make([]byte, 0, nb), make([][2]uint8, 0, nw))
				if string(gb) != string(wb) || fmt.Sprint(gw) != fmt.Sprint(ww) {
					t.Errorf("%q (buf %d, bounds %d): %q %v, want %q %v", s, nb, nw, gb, gw, wb, ww)
				}
			}
		}
	}
}
