package digest

import (
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/triagebot/triagebot/news"
)

// The fuzz targets below hold the ninth speed round's block readers
// (scanShortWord and lastBlock, readTerms' copy of them, lowerWords'
// eight-byte copies, countWords' short path, makeDoc's stamps) to plain
// versions of what they replace. `go test ./digest` runs their seeds;
// `go test ./digest -run '^$' -fuzz FuzzX` searches further.

// fuzzSeeds are texts around the block edges: words that end a string
// of every length up to 17, bytes past ASCII, invalid UTF-8 and control
// bytes next to the eighth byte, long words, capitals, digits, hyphens
// and dots.
func fuzzSeeds() []string {
	seeds := []string{"", "a", "A", "é", "\xff", "\x00", "-", ".", " ", "中", "’"}
	for n := 1; n <= 17; n++ {
		w := "abcdefghijklmnopq"[:n]
		seeds = append(seeds, w, strings.ToUpper(w), "x "+w, w+"\xff", w+"é", w+"-", w+".", w+"-4o", w+".5",
			w+"\x00", w+"\t", w[:n-1]+"\xe2\x80\x99", "0123456789abcdefg"[:n], w+"\xc3", "\xc3"+w)
	}
	return append(seeds, strings.Repeat("LONGWORD", 9), strings.Repeat("ab-", 30), "GPT-5.1 U.S. e.g. co-founder",
		"Pokémon ŠKODA Jean-Étienne OpenAI는 ΣΟΦΟΣ", "微軟Copilot改用GPT-5模型", "a\x80b\x7fc\x1fd\x01e\x0bf\x0cg")
}

// wordEndRunewise is where the word at s[i] ends, read a rune at a time
// (as TestScanWordBlocks reads it).
func wordEndRunewise(s string, i int) int {
	letter := func(r rune) bool { return r < utf8.RuneSelf && isWordByte(byte(r)) || isWordLetter(r) }
	j := i
	for j < len(s) {
		r, n := utf8.DecodeRuneInString(s[j:])
		ok := letter(r) || unicode.Is(unicode.M, r)
		if r == '-' || r == '.' {
			r2, _ := utf8.DecodeRuneInString(s[j+1:])
			ok, n = j+1 < len(s) && letter(r2), 1
		}
		if !ok {
			break
		}
		j += n
	}
	return j
}

// FuzzScanWord: scanWord ends every word of s where the rune-by-rune
// reading does, its hash is wordHash of the word lowerWord makes, and
// readTerms (its own copy of the short path) finds the terms terms does.
func FuzzScanWord(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for i := 0; i < len(s); i++ {
			r, _ := utf8.DecodeRuneInString(s[i:])
			if !(r < utf8.RuneSelf && isWordByte(byte(r)) || isWordLetter(r)) {
				continue
			}
			end, h := scanWord(s, i)
			if want := wordEndRunewise(s, i); end != want {
				t.Fatalf("scanWord(%q, %d) ends at %d, want %d", s, i, end, want)
			}
			var buf [wordBytes]byte
			if want := wordHash(buf[:lowerWord(&buf, s[i:end])]); h != want {
				t.Fatalf("scanWord(%q, %d): hash %x, want %x", s, i, h, want)
			}
			if e, hs, ok := scanShortWord(s, i); ok {
				if el, hl := scanLongWord(s, i); e != el || hs != hl {
					t.Fatalf("scanShortWord(%q, %d) = %d %x, scanLongWord %d %x", s, i, e, hs, el, hl)
				}
			}
		}
		b := docBuilder{voc: newVocab(16), forms: newTable(16)}
		formsKeyedAsScanWord(t, &b, s)
		for round := range 2 {
			var want []feat
			terms(s, func(h uint64, c termClass) {
				id, weak := b.voc.id(h), c == termWeak
				if weak {
					want = append(want, newFeat(id, weakTF, false, false, 0))
				} else {
					want = append(want, newFeat(id, 1, true, true, uint8(min(len(want)+1, 256)%256)))
				}
			})
			got, n := b.readTerms(s, nil, 0, 1, true)
			if n != len(want) || len(got) != len(want) {
				t.Fatalf("round %d %q: %d terms (pos %d), want %d", round, s, len(got), n, len(want))
			}
			for k := range got {
				if got[k] != want[k] { // id, weight, key, word and position
					t.Fatalf("round %d %q: term %d is %+v, want %+v", round, s, k, got[k], want[k])
				}
			}
		}
	})
}

// formsKeyedAsScanWord: readTerms, reading s into an empty forms cache,
// keys every word it reads by the hash scanWord gives (its inline copy
// of scanWord's short path must hash alike: a word's id comes from its
// form, so a wrongly hashed word would still get its id, and the
// mistake would show only when two words' hashes met). The words are
// found as readTerms' loop finds them, with scanWord.
func formsKeyedAsScanWord(t *testing.T, b *docBuilder, s string) {
	t.Helper()
	b.readTerms(s, nil, 0, 1, true)
	keys := map[uint64]bool{}
	var prevHan rune
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			prevHan = 0
			if !isWordByte(c) {
				i++
				continue
			}
		} else if size, _, _ := pastASCII(s, i, &prevHan); size > 0 {
			i += size
			continue
		}
		j, h := scanWord(s, i)
		keys[h] = true
		if p, key := b.forms.slot(h); b.forms.slots[p].key() != key {
			t.Fatalf("readTerms(%q) did not key %q by scanWord's hash %x", s, s[i:j], h)
		}
		if i = j; i < len(s) && s[i] == ' ' {
			i++
		}
	}
	if b.forms.n != len(keys) {
		t.Fatalf("readTerms(%q) added %d forms, scanWord finds %d words", s, b.forms.n, len(keys))
	}
}

// FuzzLowerWords: lowerWords gives the bytes and bounds the byte loop
// gives, for a buffer of any capacity, empty or already holding bytes,
// and writes nothing before the buffer's length nor past its capacity.
func FuzzLowerWords(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s, uint8(160), uint8(0), uint8(48))
		f.Add(s, uint8(9), uint8(3), uint8(2))
	}
	f.Fuzz(func(t *testing.T, s string, nb, pre, nw uint8) {
		// The fuzzed sizes, and every small buffer, where the eight-byte
		// copy meets the buffer's end.
		for small := range 26 {
			lowerWordsAgree(t, s, uint8(small), uint8(small%3), nw)
		}
		lowerWordsAgree(t, s, nb, pre, nw)
	})
}

// lowerWordsAgree compares lowerWords with the byte loop for one buffer.
func lowerWordsAgree(t *testing.T, s string, nb, pre, nw uint8) {
	t.Helper()
	pre = min(pre, nb)
	mk := func() []byte {
		// The bytes past cap are a guard: lowerWords must not reach them.
		b := make([]byte, int(nb)+8)
		for k := range b {
			b[k] = '#'
		}
		return b
	}
	gb, wb := mk(), mk()
	g, gw := lowerWords(s, gb[:pre:nb], make([][2]uint8, 0, nw))
	w, ww := lowerWordsByByte(s, wb[:pre:nb], make([][2]uint8, 0, nw))
	if string(g) != string(w) || !slices.Equal(gw, ww) {
		t.Fatalf("lowerWords(%q, cap %d, len %d, %d bounds) = %q %v, want %q %v", s, nb, pre, nw, g, gw, w, ww)
	}
	if string(gb[:pre]) != strings.Repeat("#", int(pre)) || string(gb[nb:]) != "########" {
		t.Fatalf("lowerWords(%q, cap %d, len %d) wrote outside buf[len:cap]: %q", s, nb, pre, gb)
	}
}

// FuzzCountWords: countWords agrees with a loop over the bytes.
func FuzzCountWords(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s, 120)
		f.Add(s+" "+s+"\n"+s, 3)
		f.Add("!"+s+" !\"#$%&'()*+,/ "+s, 120)
	}
	f.Fuzz(func(t *testing.T, s string, max int) {
		words, digits := countWordsPlain(s, max)
		if w, d := countWords(s, max); w != words || d != digits {
			t.Fatalf("countWords(%q, %d) = %d %v, want %d %v", s, max, w, d, words, digits)
		}
	})
}

// FuzzMakeDocStamps: items read one after another with the stamps give
// the vectors and document frequencies they get when every item starts
// from clear marks (as before the stamps), whatever the first stamp, the
// wrap included.
func FuzzMakeDocStamps(f *testing.F) {
	f.Add("Zephyr rocket launch delayed", "rocket rocket weather", "Zephyr Labs weather rocket rocket", uint32(0))
	f.Add("a b a b a", "b a b", "c c c c c c c c", uint32(math.MaxInt32-5))
	f.Add("OpenAI GPT-5 GPT-5 launch", "launch OpenAI", "", uint32(math.MaxInt32))
	f.Fuzz(func(t *testing.T, t1, t2, t3 string, stamp uint32) {
		its := []news.Item{
			{Title: t1, Summary: t2 + " " + t3, URL: "https://e.example.com/a/" + t3, SourceKind: news.KindNews},
			{Title: t2, Summary: t1, SourceKind: news.KindBlog},
			{Title: t3, Summary: t3 + " " + t1, SourceKind: news.KindNews},
			{Title: t1, Summary: t1, SourceKind: news.KindNews},
		}
		read := func(first int32, clearEach bool) ([][]feat, []int32) {
			var feats arena[feat]
			var names arena[name]
			var b docBuilder
			voc := newVocab(16)
			b.reset(voc, 16, nil, &feats, &names)
			b.stamp = first
			var out [][]feat
			for i := range its {
				if clearEach {
					clear(b.at)
					b.stamp = 0
				}
				var d doc
				b.makeDoc(&d, &its[i])
				out = append(out, slices.Clone(d.vec()))
			}
			return out, slices.Clone(voc.df)
		}
		want, wdf := read(0, true)
		// The fuzzed stamp, and stamps that wrap at each of the items,
		// with the earlier items' marks in place.
		firsts := []int32{int32(stamp & math.MaxInt32)}
		for k := range int32(120) {
			firsts = append(firsts, math.MaxInt32-k)
		}
		for _, first := range firsts {
			got, gdf := read(first, false)
			if !reflect.DeepEqual(got, want) || !slices.Equal(gdf, wdf) {
				t.Fatalf("first stamp %d: %v df %v, want %v df %v", first, got, gdf, want, wdf)
			}
		}
	})
}

// FuzzCosine: cosine gives what its plain form (the weight compared to
// 0 as a float, the id by feat.id) gives, for vectors of positive
// weights (weigh's: a tf times an IDF of at least 0.05, scaled to unit
// length) over the whole id range, positions and repeats included.
func FuzzCosine(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9}, []byte{9, 8, 7, 6, 5, 4, 3, 2, 1})
	f.Add([]byte("the same terms in both"), []byte("the same terms in both"))
	// Shared words at position 0.
	f.Add([]byte{1, 9, 6, 2, 9, 10, 3, 9, 7}, []byte{1, 5, 2, 2, 5, 6, 3, 5, 2})
	sp := newSpread(maxFeatID + 1) // unset after each input, as build does
	f.Fuzz(func(t *testing.T, a, b []byte) {
		// Each three bytes are a feat: the id (spread over up to
		// maxFeatID), the weight and the flags and position.
		vec := func(p []byte) []feat {
			var v []feat
			for k := 0; k+3 <= len(p); k += 3 {
				id := int32(p[k]%32) << (p[k] / 32 * 3) // small ids and ones up to maxFeatID
				id = min(id, maxFeatID)
				v = append(v, newFeat(id, float32(p[k+1]+1)/64, p[k+2]&1 != 0, p[k+2]&2 != 0, p[k+2]>>2))
			}
			return v
		}
		va, vb := vec(a), vec(b)
		sp.set(va)
		defer sp.unset(va)
		var at, wantAt [16][2]uint8
		dot, words, n := sp.cosine(vb, &at)
		// The plain form, as cosine was before the ninth speed round.
		var sum float32
		wantWords, wantN := 0, 0
		for _, f := range vb {
			x := sp.w[f.id()]
			if x == 0 {
				continue
			}
			sum += x * f.w
			if f.word() {
				wantWords++
				if p, q := sp.pos[f.id()], f.pos(); p != 0 && q != 0 && wantN < len(wantAt) {
					wantAt[wantN] = [2]uint8{p, q}
					wantN++
				}
			}
		}
		if dot != float64(sum) || words != wantWords || n != wantN || at != wantAt {
			t.Fatalf("cosine = %v %d %d %v, want %v %d %d %v", dot, words, n, at[:n], sum, wantWords, wantN, wantAt[:wantN])
		}
	})
}
