package digest

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/triagebot/triagebot/news"
)

// TestCountWords: the eight-bytes-at-a-time count agrees with a plain
// loop over the bytes, caps included.
func TestCountWords(t *testing.T) {
	plain := func(s string, max int) (int, bool) {
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
	rng := rand.New(rand.NewPCG(5, 6))
	alphabet := []byte("ab  \n\t09/:x\x80\xff\xb0\xaf\x00 é\x08\x0b\x0c\x1f!\x89\x8a\xa0")
	for range 20000 {
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

// TestLeadScoreWords: leadScore weighs the summary the same whether the
// cues counted its words (features, for every item but papers) or it
// counts them itself (papers, which have no cues).
func TestLeadScoreWords(t *testing.T) {
	c := newCues()
	long := "OpenAI released 3 models today, with more to come in the next weeks for every user of the app"
	for _, tc := range []struct {
		kind    news.Kind
		summary string
	}{
		{news.KindNews, ""},
		{news.KindNews, long},
		{news.KindBlog, strings.Repeat("word ", 200)},
		{news.KindPaper, long},
		{news.KindPaper, strings.Repeat("a1 ", 150)},
	} {
		it := &news.Item{Title: "A headline", Summary: tc.summary, SourceKind: tc.kind, Feed: "f"}
		f := c.features(it)
		empty := *it
		empty.Summary = ""
		words, digits := countWords(tc.summary, leadWords)
		want := float64(words) / leadWords
		if digits {
			want += 0.3
		}
		// The summary's part of the score: the score less that of the
		// same item without a summary.
		if got := leadScore(it, f) - leadScore(&empty, c.features(&empty)); math.Abs(got-want) > 1e-12 {
			t.Errorf("%s %q…: summary adds %v to the lead score; want %v (%d words, digits %v)", tc.kind, tc.summary[:min(20, len(tc.summary))], got, want, words, digits)
		}
	}
}
