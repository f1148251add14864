package llm

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestScrubCutsByRunes(t *testing.T) {
	short := errors.New("llm: 502 from the gateway")
	for _, tc := range []struct {
		name    string
		err     error
		same    bool // the error itself comes back
		maxRune int
	}{
		{"nil", nil, true, 0},
		{"short error kept", short, true, 300},
		{"long ASCII body cut", errors.New(strings.Repeat("x", 1000)), false, 300},
		// 150 Chinese characters are 450 bytes: a byte cut at 300 would
		// land inside a rune.
		{"multi-byte body cut on a rune", errors.New("llm: " + strings.Repeat("模型", 200)), false, 300},
		{"multi-byte under the limit kept", errors.New(strings.Repeat("模", 299)), true, 300},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := scrub(tc.err)
			if tc.err == nil {
				if got != nil {
					t.Fatalf("scrub(nil) = %v", got)
				}
				return
			}
			if tc.same && got != tc.err {
				t.Fatalf("scrub rewrote a short error: %v", got)
			}
			s := got.Error()
			if !utf8.ValidString(s) || utf8.RuneCountInString(s) > tc.maxRune {
				t.Fatalf("scrub = %q (%d runes, valid %v)", s, utf8.RuneCountInString(s), utf8.ValidString(s))
			}
			if utf8.RuneCountInString(tc.err.Error()) <= tc.maxRune && s != tc.err.Error() {
				t.Fatalf("scrub cut an error that fit: %q", s)
			}
		})
	}
}
