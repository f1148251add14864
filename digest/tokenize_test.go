package digest

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/triagebot/triagebot/internal/text"
)

// TestReadTermsIsTerms: makeDoc's cached reader finds the terms terms
// finds, with the same hashes, classes and order, read twice (the second
// time from the cache).
func TestReadTermsIsTerms(t *testing.T) {
	texts := []string{
		"Acme launches Zephyr-2, its new model, today",
		"Introducing Claude Opus 4.6: the best model for coding and agents",
		"OpenAI's GPT-5.1 rolls out to U.S. users; launches, launch and launching",
		"café naïve résumé über straße",
		"微軟Copilot改用GPT-5模型 發布新功能",
		"a I it's x 7 42 2026 e.g. co-founder --dash-- ..dots.. " + "verylongwordthatgoesonandonpastthebufferofthetokenizerwithoutend",
		"Ελληνικά и кириллица ١٢٣ emoji 🚀 mixed",
		"Pokémon ŠKODA Škoda état Éire Jean-Étienne à OpenAI는 AI반도체 e\u0301tat " + strings.Repeat("é", 30),
	}
	// And random text, words of every length around the eight bytes
	// readTerms decides in one block, with what may go on in a word or
	// end it after them.
	rng := rand.New(rand.NewPCG(7, 8))
	pieces := []string{"a", "Z", "q", "7", "0", "-", ".", " ", ",", "'", "é", "’", "中", "文", "A", "m", "9", "\t"}
	for range 3000 {
		var sb strings.Builder
		for range rng.IntN(40) {
			sb.WriteString(pieces[rng.IntN(len(pieces))])
		}
		texts = append(texts, sb.String())
	}
	b := docBuilder{voc: newVocab(16), forms: newTable(16)}
	for round := range 2 {
		for _, s := range texts {
			type term struct {
				id   int32
				weak bool
			}
			var want []term
			terms(s, func(h uint64, c termClass) { want = append(want, term{b.voc.id(h), c == termWeak}) })
			fs, n := b.readTerms(s, nil, 0, 1, true)
			if n != len(want) || len(fs) != len(want) {
				t.Fatalf("round %d %q: %d terms (pos %d), want %d", round, s, len(fs), n, len(want))
			}
			for k, f := range fs {
				if f.id() != want[k].id || f.word() == want[k].weak || f.w != map[bool]float32{false: 1, true: weakTF}[want[k].weak] {
					t.Errorf("round %d %q: term %d is %+v, want %+v", round, s, k, f, want[k])
				}
			}
		}
	}
}

// TestScanWord pins where a word ends and that its hash is FNV-1a of its
// first wordBytes bytes lowercased, the bytes lowerWord copies, on both
// sides of the wordBytes cut and at the words that leave the tight loop.
func TestScanWord(t *testing.T) {
	long := "Verylongwordthatgoesonandonpastthebufferofthetokenizer"
	cases := []struct {
		s    string
		i    int
		word string
	}{
		{"launches today", 0, "launches"},
		{"GPT-5.1 rolls", 0, "GPT-5.1"},
		{"co-founder--dash", 0, "co-founder"},
		{"end. Next", 0, "end"},
		{"caféteria x", 0, "caféteria"}, // a letter past ASCII is taken whole
		{"Pokémon Go", 0, "Pokémon"},
		{"ŠKODA, Škoda", 0, "ŠKODA"},
		{"x Éire", 2, "Éire"},
		{"Jean-Étienne.", 0, "Jean-Étienne"},
		{"OpenAI’s", 0, "OpenAI"},
		{"OpenAI는", 0, "OpenAI"}, // a Korean particle is no part of the name
		{"e\u0301tat x", 0, "e\u0301tat"},
		{"x " + long[:40] + "éééééé", 2, long[:40] + "éééééé"},
		{"x " + long[:47] + "éé", 2, long[:47] + "éé"},
		{"ΣΟΦΟΣ", 0, "ΣΟΦΟΣ"},
		{"Copilot改用", 0, "Copilot"},
		{long + " x", 0, long},
		{"x " + long[:47] + "Q-R", 2, long[:47] + "Q-R"},
		{"x " + long[:48] + "ZZ", 2, long[:48] + "ZZ"},
	}
	for _, tc := range cases {
		end, h := scanWord(tc.s, tc.i)
		if got := tc.s[tc.i:end]; got != tc.word {
			t.Errorf("scanWord(%q, %d) read %q, want %q", tc.s, tc.i, got, tc.word)
		}
		var buf [wordBytes]byte
		n := lowerWord(&buf, tc.word)
		if want := wordHash(buf[:n]); h != want {
			t.Errorf("scanWord(%q): hash %x, want %x (of %q)", tc.s, h, want, buf[:n])
		}
		if want := foldWord(tc.word); string(buf[:n]) != want {
			t.Errorf("lowerWord(%q) = %q, want %q", tc.word, buf[:n], want)
		}
	}
}

// foldWord is lowerWord written plainly: the word lowercased a rune at a
// time (the Greek final sigma as sigma), cut to whole runes within
// wordBytes.
func foldWord(w string) string {
	var b strings.Builder
	for _, r := range w {
		r = unicode.ToLower(r)
		if r == 'ς' {
			r = 'σ'
		}
		if b.Len()+utf8.RuneLen(r) > wordBytes {
			break
		}
		b.WriteRune(r)
	}
	return b.String()
}

// TestTermsPastASCII: a word with letters past ASCII is one term of
// whole runes, lowercased, wherever its first letter is ASCII or not;
// Chinese characters still pair up, and Hangul and kana are still a term
// a letter, split from a Latin word they touch. Before, a word ended
// inside its first letter past ASCII ("Pokémon" read as "pok" and the
// é's first byte, then "mon").
func TestTermsPastASCII(t *testing.T) {
	// term is the hash terms gives w: a word's, a Chinese pair's, or a
	// single letter's of another script.
	term := func(w string) uint64 {
		rs := []rune(w)
		switch {
		case len(rs) == 2 && unicode.Is(unicode.Han, rs[0]):
			return fnv2(rs[0], rs[1])
		case len(rs) == 1 && rs[0] >= utf8.RuneSelf && !isWordLetter(rs[0]):
			return fnv2(rs[0], 0)
		}
		return text.FNV1a([]byte(w))
	}
	cases := []struct {
		s    string
		want []string
	}{
		{"Pokémon", []string{"pokémon"}},
		{"POKÉMON Go", []string{"pokémon", "go"}},
		{"résumé", []string{"résumé"}},
		{"réseau", []string{"réseau"}},
		{"Škoda ŠKODA škoda", []string{"škoda", "škoda", "škoda"}},
		{"état, Éire", []string{"état", "éire"}},
		{"Müller München", []string{"müller", "münchen"}},
		{"Jean-Étienne à Paris", []string{"jean-étienne", "paris"}}, // one letter is no term
		{"ΣΟΦΟΣ σοφος", []string{"σοφοσ", "σοφοσ"}},
		{"Яндекс запускает", []string{"яндекс", "запускает"}},
		{"OpenAI’s résumés", []string{"openai", "résumé"}},
		{"OpenAI는 반도체", []string{"openai", "는", "반", "도", "체"}},
		{"Claude가 AI반도체", []string{"claude", "가", "반", "도", "체"}},
		{"微軟Copilot改用", []string{"微軟", "copilot", "改用"}},
	}
	for _, tc := range cases {
		var got, want []uint64
		terms(tc.s, func(h uint64, _ termClass) { got = append(got, h) })
		for _, w := range tc.want {
			want = append(want, term(w))
		}
		if !slices.Equal(got, want) {
			t.Errorf("terms(%q) = %x, want %x (%q)", tc.s, got, want, tc.want)
		}
	}
	one := func(s string) (h uint64) {
		terms(s, func(x uint64, _ termClass) { h = x })
		return h
	}
	if one("résumé") == one("réseau") || one("Müller") == one("München") {
		t.Errorf("two words that share a letter past ASCII are one term")
	}
}

// TestHasHan: hasHan agrees with text.HasHan, with the first byte past
// ASCII before, on and after an eight-byte boundary.
func TestHasHan(t *testing.T) {
	for _, s := range []string{"", "abc", "plain ascii headline here", "1234567微軟", "12345678微軟", "123456789微軟",
		"café au lait here", "ascii then 한국어 only", "ascii then かな", "emoji 🚀 then 中文", "中", "\xe4\xb8"} {
		if got, want := hasHan(s), text.HasHan(s); got != want {
			t.Errorf("hasHan(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestASCIIRun: asciiRun ends a run where a byte-by-byte loop does, on
// every byte value and at every place around an eight-byte boundary.
func TestASCIIRun(t *testing.T) {
	plain := func(s string, j int, digits bool) int {
		for j < len(s) && ('a' <= s[j] && s[j] <= 'z' || digits && '0' <= s[j] && s[j] <= '9') {
			j++
		}
		return j
	}
	for c := 0; c < 256; c++ {
		for at := 0; at < 40; at++ {
			b := []byte("abcdefghijklmnopqrstuvwxyz" + "a0b9c1d8e2f7g3h6i4j5")[at/20*20 : at/20*20+20]
			at := at % 20
			b[at] = byte(c)
			s := string(b)
			for _, digits := range []bool{false, true} {
				for j := 0; j <= 3; j++ {
					if got, want := asciiRun(s, j, digits), plain(s, j, digits); got != want {
						t.Fatalf("asciiRun(%q, %d, %v) = %d, want %d", s, j, digits, got, want)
					}
				}
			}
		}
	}
	for _, s := range []string{"", "a", "abc", "a1b2c3d4e5f6g7h8i9", "café", "x-y", "abcdefgh", "abcdefghZ"} {
		for _, digits := range []bool{false, true} {
			if got, want := asciiRun(s, 0, digits), plain(s, 0, digits); got != want {
				t.Errorf("asciiRun(%q, 0, %v) = %d, want %d", s, digits, got, want)
			}
		}
	}
}

// TestScanWordBlocks: scanWord, which reads eight bytes at a time where
// it can, ends each word where a rune-by-rune loop does, and its hash is
// wordHash of the word lowercased, on random text of letters, digits,
// hyphens, dots, spaces and multi-byte letters, words long and short, at
// every offset around a block.
func TestScanWordBlocks(t *testing.T) {
	// letter: a rune that starts a word; in: one that goes on in it.
	letter := func(r rune) bool {
		return r < utf8.RuneSelf && isWordByte(byte(r)) || isWordLetter(r)
	}
	in := func(s string, j int) (bool, int) {
		r, n := utf8.DecodeRuneInString(s[j:])
		if r == '-' || r == '.' {
			r2, _ := utf8.DecodeRuneInString(s[j+1:])
			return j+1 < len(s) && letter(r2), 1
		}
		return letter(r) || unicode.Is(unicode.M, r), n
	}
	runewise := func(s string, i int) int {
		j := i
		for j < len(s) {
			ok, n := in(s, j)
			if !ok {
				break
			}
			j += n
		}
		return j
	}
	rng := rand.New(rand.NewPCG(7, 8))
	pieces := []string{"a", "z", "A", "Z", "q", "0", "9", "-", ".", " ", "é", "中", "’", "@", "_", "--", "..", "x-1", "GPT", "ab.cd",
		"É", "Š", "ß", "ж", "Σ", "ς", "반", "か", "\u0301", "İ", "\xc3", "١"}
	seen := map[uint64]string{}
	for range 30000 {
		var b strings.Builder
		for range 1 + rng.IntN(40) {
			if rng.IntN(3) == 0 {
				b.WriteString(pieces[rng.IntN(len(pieces))])
			} else {
				b.WriteByte("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"[rng.IntN(62)])
			}
		}
		s := b.String()
		for i := 0; i < len(s); i++ {
			if r, _ := utf8.DecodeRuneInString(s[i:]); !letter(r) {
				continue
			}
			end, h := scanWord(s, i)
			if want := runewise(s, i); end != want {
				t.Fatalf("scanWord(%q, %d) ends at %d, want %d", s, i, end, want)
			}
			var buf [wordBytes]byte
			n := lowerWord(&buf, s[i:end])
			if want := foldWord(s[i:end]); string(buf[:n]) != want {
				t.Fatalf("lowerWord(%q) = %q, want %q", s[i:end], buf[:n], want)
			}
			if want := wordHash(buf[:n]); h != want {
				t.Fatalf("scanWord(%q, %d): hash %x, want wordHash(%q) = %x", s, i, h, buf[:n], want)
			}
			if w, ok := seen[h]; ok && w != string(buf[:n]) {
				t.Fatalf("%q and %q hash alike", w, buf[:n])
			}
			seen[h] = string(buf[:n])
		}
	}
}

// TestScanWordFirstBlock: scanWord's first-block path (a word that ends
// within its first eight bytes or right after them) ends each word where
// the rune-by-rune reading does and hashes it as wordHash does, for words
// of 1 to 17 bytes before every kind of byte that may follow one.
func TestScanWordFirstBlock(t *testing.T) {
	follows := []string{"", " rest of it", ", more", "-x", "- ", ".5", ". ", "x", "Q", "7", "é", "中文", "’s", "\u0301", "\xff", "_", "\t"}
	for n := 1; n <= 17; n++ {
		word := "AbcDefGhiJk0123456789"[:n]
		for _, f := range follows {
			for _, pre := range []string{"", " ", "xyz "} {
				s := pre + word + f
				i := len(pre)
				end, h := scanWord(s, i)
				want := wordSpan(s, i)
				if end != want {
					t.Fatalf("scanWord(%q, %d) ends at %d, want %d", s, i, end, want)
				}
				var buf [wordBytes]byte
				if w := wordHash(buf[:lowerWord(&buf, s[i:end])]); h != w {
					t.Fatalf("scanWord(%q, %d): hash %x, want %x", s, i, h, w)
				}
			}
		}
	}
}

// TestEndsWord pins endsWord's mask against the comparisons it replaces,
// for every byte.
func TestEndsWord(t *testing.T) {
	for c := 0; c < 256; c++ {
		want := c < utf8.RuneSelf && !isWordByte(byte(c)) && c != '-' && c != '.'
		if got := endsWord(byte(c)); got != want {
			t.Errorf("endsWord(%q) = %v, want %v", rune(c), got, want)
		}
	}
}
