package digest

import (
	"math/rand/v2"
	"strings"
	"testing"
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
		{"caféteria x", 0, "caf\xc3"}, // a word ends inside a multi-byte letter, as it always has
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
		if n != min(len(tc.word), wordBytes) || string(buf[:n]) != strings.ToLower(tc.word[:n]) && tc.word[n-1] < utf8.RuneSelf {
			t.Errorf("lowerWord(%q) = %q", tc.word, buf[:n])
		}
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
// it can, ends each word where the byte-by-byte loop it replaced did, and
// its hash is wordHash of the word lowercased, on random text of letters,
// digits, hyphens, dots, spaces and multi-byte letters, words long and
// short, at every offset around a block.
func TestScanWordBlocks(t *testing.T) {
	// bytewise is scanWord as it was, without the hash.
	bytewise := func(s string, i int) int {
		j := i
		for j < len(s) && j < i+wordBytes {
			c := s[j]
			if c < utf8.RuneSelf && !isWordByte(c) && c != '-' && c != '.' || !wordGoesOn(s, j) {
				return j
			}
			j++
		}
		for j < len(s) && wordGoesOn(s, j) {
			j++
		}
		return j
	}
	rng := rand.New(rand.NewPCG(7, 8))
	pieces := []string{"a", "z", "A", "Z", "q", "0", "9", "-", ".", " ", "é", "中", "’", "@", "_", "--", "..", "x-1", "GPT", "ab.cd"}
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
			if !isWordByte(s[i]) {
				continue
			}
			end, h := scanWord(s, i)
			if want := bytewise(s, i); end != want {
				t.Fatalf("scanWord(%q, %d) ends at %d, want %d", s, i, end, want)
			}
			var buf [wordBytes]byte
			n := lowerWord(&buf, s[i:end])
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
