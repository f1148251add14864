package text

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// The byte-offset ClipWords cuts exactly where the rune version does.
func TestClipWordsMatchesRunes(t *testing.T) {
	long := strings.Repeat("word ", 60)
	cases := []struct {
		name string
		s    string
		max  int
	}{
		{"short", "a b c", 10},
		{"exact", "abcde", 5},
		{"ascii with spaces", long, 50},
		{"no space near the cut", strings.Repeat("x", 300), 100},
		{"space just before the cut", strings.Repeat("y", 95) + " tail end here", 100},
		{"trailing punctuation", strings.Repeat("ab, ", 40), 33},
		{"cjk", strings.Repeat("新聞週報 模型發布", 30), 40},
		{"mixed", strings.Repeat("Modèle «ouvert» — 新 ", 20), 77},
		{"invalid utf-8", strings.Repeat("ab\xffcd ", 30), 41},
		{"one rune", "héllo wörld", 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := ClipWords(c.s, c.max)
			want := c.s
			if utf8.RuneCountInString(c.s) > c.max {
				want = clipWordsRunes(c.s, c.max)
			}
			if got != want {
				t.Fatalf("ClipWords(%q, %d) = %q, want %q", c.s, c.max, got, want)
			}
			if n := utf8.RuneCountInString(got); n > c.max {
				t.Fatalf("%d runes, cap %d", n, c.max)
			}
		})
	}
}
