package classifier

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/triagebot/triagebot/news"
)

// cueReference is cue as it was: one step per bit up to the highest set.
func cueReference(groups uint32, start, end int, cues *[maxGroups]float32, cueAt *[maxGroups][2]int32) {
	for g := 0; groups != 0; g++ {
		if groups&1 != 0 {
			if cues[g] == 0 {
				cueAt[g] = [2]int32{int32(start), int32(end)}
			}
			cues[g]++
		}
		groups >>= 1
	}
}

// TestCueMatchesReference: counting by set bits only gives the counts
// and first places the bit-by-bit loop gave, over runs of matches, and
// seen holds exactly the groups counted.
func TestCueMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for run := range 200 {
		var st tokenState
		var c2 [maxGroups]float32
		var a2 [maxGroups][2]int32
		var seen uint32
		for m := range 20 {
			g := rng.Uint32()
			switch m % 4 {
			case 0:
				g = 0
			case 1:
				g = 1 << 31
			case 2:
				g &= rng.Uint32() & rng.Uint32() // sparse, as real matches are
			}
			st.cue(g, m, m+run)
			cueReference(g, m, m+run, &c2, &a2)
			seen |= g
		}
		if st.cues != c2 || st.cueAt != a2 {
			t.Fatalf("run %d: cue gave %v %v, the reference %v %v", run, st.cues, st.cueAt, c2, a2)
		}
		for g := range maxGroups {
			if (st.seen>>g&1 != 0) != (c2[g] > 0) {
				t.Fatalf("run %d: seen %b, counts %v", run, st.seen, c2)
			}
		}
	}
}

// scanWordReference is scanWord as it was, one byte a step with every
// test in the loop.
func scanWordReference(x *extractor, st *tokenState, i int) (end, n int) {
	s, word, pre := st.s, &st.word, &st.pre
	h := uint64(14695981039346656037)
	pre[0] = h
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			lc := x.lower[c]
			if lc == 0 {
				joiner := (c == '-' || c == '.' || c == '\'' || c == '&') && i+1 < len(s) && isASCIIAlnum(s[i+1])
				if !joiner {
					break
				}
				if c == '\'' && (i+2 == len(s) || !isASCIIAlnum(s[i+2])) && (s[i+1] == 's' || s[i+1] == 'S') {
					break
				}
				lc = c
			}
			if n < len(word) {
				word[n] = lc
				h = (h ^ uint64(lc)) * 1099511628211
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
				h = (h ^ uint64(word[n])) * 1099511628211
				pre[n+1] = h
			}
		}
		i += sz
	}
	return i, n
}

// FuzzScanWordMatchesReference: the fast loop for plain letters reads
// the same word, length, end and prefix hashes as the byte-by-byte loop,
// also for words longer than the 64 bytes kept and with non-ASCII
// letters and joiners past the fast part.
func FuzzScanWordMatchesReference(f *testing.F) {
	for _, s := range []string{
		"launches", "GPT-4o mini", "o'reilly's", "A&B 3.5", "Straße İstanbul ÉCOLE",
		strings.Repeat("supercalifragilistic", 5) + " x", strings.Repeat("a", 63) + "é" + strings.Repeat("b", 10),
		strings.Repeat("z", 64) + "-" + "q", "word.", "x'", "ελληνικά混合", "\xff\xfeab", "",
	} {
		f.Add(s, 0)
	}
	x := newExtractor(newLexicon(), DefaultFeatures())
	f.Fuzz(func(t *testing.T, s string, at int) {
		if at < 0 || at >= len(s) {
			at = 0
		}
		var a, b tokenState
		a.s, b.s = s, s
		e1, n1 := x.scanWord(&a, at)
		e2, n2 := scanWordReference(x, &b, at)
		if e1 != e2 || n1 != n2 || string(a.word[:n1]) != string(b.word[:n2]) || !slices.Equal(a.pre[:n1+1], b.pre[:n2+1]) {
			t.Fatalf("scanWord(%q, %d) = %d, %d, %q; the reference %d, %d, %q", s, at, e1, n1, a.word[:n1], e2, n2, b.word[:n2])
		}
	})
}

// TestCharsMatchesReference: chars (unrolled for the shipped 2–4-grams)
// makes, in order, what the plain definition makes: every n-gram of the
// marked word, all of length CharMin first, then CharMin+1, …
func TestCharsMatchesReference(t *testing.T) {
	for _, cfg := range [][2]int{{2, 4}, {2, 3}, {3, 4}, {3, 3}, {2, 5}} {
		fc := DefaultFeatures()
		fc.CharMin, fc.CharMax = cfg[0], cfg[1]
		x := newExtractor(newLexicon(), fc)
		for n := 2; n <= 64; n++ {
			w := []byte(strings.Repeat("launchée", 9)[:n])
			for field := range uint8(2) {
				st := tokenState{field: field, buf: []feat{{key: 7}}}
				x.chars(&st, w, 3, 3+n)
				b := append(append([]byte{'<'}, w...), '>')
				want := []feat{{key: 7}}
				for k := fc.CharMin; k <= min(fc.CharMax, len(b)); k++ {
					for i := 0; i+k <= len(b); i++ {
						want = append(want, mkFeat(bucket(fnv(b[i:i+k])+uint64(k), nsChar+uint64(field)), 1, fChar, field, 0, 3, int32(3+n)))
					}
				}
				if !slices.Equal(st.buf, want) || st.chars != len(want)-1 {
					t.Fatalf("chars %v of %q (field %d): %d n-grams, want %d, or they differ", cfg, w, field, len(st.buf)-1, len(want)-1)
				}
			}
		}
	}
}

// TestPositiveValues: when an extractor says its values are all above 0,
// they are (for every golden item, under feature sets that make every
// kind of feature), so Classify's scoring may drop its test for others;
// and scoring with and without that test gives the same sums and leads.
// A negative pair value turns the promise off.
func TestPositiveValues(t *testing.T) {
	m := builtin(t)
	sets := []Features{
		DefaultFeatures(),
		{CharMin: 1, CharMax: 5, CharSummary: true, HanMax: 4, CueSlices: true, Source: true, Shape: true, MaxText: 2000, CuePairs: 2},
		{CharMin: 2, CharMax: 3, HanMax: 3, Shape: true, CuePairs: 1, PairValue: 0.3},
	}
	for _, cfg := range sets {
		x := newExtractor(m.ext.lex, cfg)
		if !x.positive {
			t.Fatalf("%+v: not positive", cfg)
		}
		for _, it := range goldenItems() {
			fs := x.extract(&it, nil)
			for _, f := range fs {
				if !(f.v > 0) {
					t.Fatalf("%+v: %q: feature %+v not above 0", cfg, it.Title, f)
				}
			}
			var s1, s2 [nLabels]float32
			var l1, l2 leads
			m.scoreAll(fs, &s1, &l1, nil, true)
			m.scoreAll(fs, &s2, &l2, nil, false)
			if s1 != s2 || l1 != l2 {
				t.Fatalf("%+v: %q: scores %v leads %v, without the promise %v %v", cfg, it.Title, s1, l1, s2, l2)
			}
		}
	}
	if newExtractor(m.ext.lex, Features{CuePairs: 1, PairValue: -1}).positive {
		t.Error("a negative pair value still promises positive values")
	}
}

// hasVersionReference is hasVersion as first written, with range tests.
func hasVersionReference(s string) bool {
	for i := 0; i < len(s); {
		if !isASCIIAlnum(s[i]) {
			i++
			continue
		}
		j := i
		letters, digits := 0, 0
		for j < len(s) && (isASCIIAlnum(s[j]) || (s[j] == '-' || s[j] == '.') && j+1 < len(s) && isASCIIAlnum(s[j+1])) {
			switch c := s[j]; {
			case c >= '0' && c <= '9':
				digits++
			case c != '-' && c != '.':
				letters++
			}
			j++
		}
		if letters > 0 && digits > 0 && !amountOrOrdinal(s[i:j]) {
			return true
		}
		i = j
	}
	return false
}

// FuzzHasVersionMatchesReference: the table-driven hasVersion agrees
// with the range tests on any text.
func FuzzHasVersionMatchesReference(f *testing.F) {
	for _, s := range []string{"", "GPT-5 is here", "o3", "v2.1", "$400M", "2.5bn", "21st", "-5x", "--5", "a-5", "5.", "x.5", "iPhone17 Pro", "M4 Max", "Ünïcode9", "3-D", "10am"} {
		f.Add(s)
	}
	x := newExtractor(newLexicon(), DefaultFeatures())
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := x.hasVersion(s), hasVersionReference(s); got != want {
			t.Fatalf("hasVersion(%q) = %v, want %v", s, got, want)
		}
	})
}

// Reasons quote the item's own text, even when it holds bytes that are not
// UTF-8: those used to be replaced run by run, which shifted every later
// offset, so "\xff\xfepaper study" was quoted as "\ufffdpape" and " stud".
func TestReasonsQuoteTextWithInvalidBytes(t *testing.T) {
	m, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ title, summary, want string }{
		{"A new \xff\xfepaper study shows results", "we propose a method", `"paper"`},
		{"\xe2\x80study of 模型 scaling", "a study", `"study"`},
		{"Startup raises $5M \xfe\xfd\xfc", "\xff\xff\xff the round was led by", `"round"`},
		{"\xc3\xc3\xc3 now available to everyone", "rolls out \xff today", `"now available"`},
	}
	quoted := func(r string) (string, bool) {
		i := strings.IndexByte(r, '"')
		j := strings.LastIndexByte(r, '"')
		if i < 0 || j <= i {
			return "", false
		}
		return r[i+1 : j], true
	}
	for _, tc := range tests {
		v := m.Classify(news.Item{Title: tc.title, Summary: tc.summary, SourceKind: news.KindNews})
		all := strings.Join(v.Reasons, "\n")
		if !strings.Contains(all, tc.want) {
			t.Errorf("%q: reasons %q do not quote %s", tc.title, v.Reasons, tc.want)
		}
		for _, r := range v.Reasons {
			if q, ok := quoted(r); ok && !strings.Contains(strings.ToLower(tc.title+"\n"+tc.summary), strings.ToLower(q)) {
				t.Errorf("%q: reason %q quotes %q, which is not in the item", tc.title, r, q)
			}
		}
	}
}
