package digest

import (
	"testing"
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
				if f.id != want[k].id || f.word == want[k].weak || f.w != map[bool]float32{false: 1, true: weakTF}[want[k].weak] {
					t.Errorf("round %d %q: term %d is %+v, want %+v", round, s, k, f, want[k])
				}
			}
		}
	}
}
