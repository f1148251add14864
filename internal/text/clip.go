package text

import (
	"strings"
	"unicode/utf8"
)

// Ellipsis marks a cut.
const Ellipsis = "…"

// Clip returns s cut to at most n runes, the last of them an ellipsis when
// it had to cut; s unchanged when it fits. It never splits a rune. n < 1
// leaves no room for anything, not even the ellipsis, so the result is "".
func Clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	if n < 1 {
		return ""
	}
	r := []rune(s)
	return string(r[:n-1]) + Ellipsis
}

// ClipWords is Clip that prefers to cut at a space in the last fifth of
// the budget, so prose does not end mid-word, and drops the punctuation
// the cut leaves dangling (" ,;:-") before the ellipsis. Text with no
// space near the end (Chinese, a long URL) is cut at the rune like Clip.
// The result never exceeds n runes.
func ClipWords(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	if n < 1 {
		return ""
	}
	r := []rune(s)[:n-1]
	cut := len(r)
	// Looking back further would throw away too much of a long summary;
	// a fifth of the budget is one or two words of a title.
	for i := len(r) - 1; i > len(r)*4/5; i-- {
		if r[i] == ' ' {
			cut = i
			break
		}
	}
	return strings.TrimRight(string(r[:cut]), " ,;:-") + Ellipsis
}

// OneLine folds every run of whitespace, newlines included, into one
// space and trims the ends, so feed text cannot break a line or a list
// item it is shown in.
func OneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
