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
	if len(s) <= n || utf8.RuneCountInString(s) <= n {
		return s
	}
	if n < 1 {
		return ""
	}
	if !utf8.ValidString(s) {
		return clipWordsRunes(s, n)
	}
	// Byte offsets instead of a []rune copy of the whole text: summaries
	// are long and this runs for every item. The same cut as
	// clipWordsRunes: keep n-1 runes, back up to the last space in their
	// final fifth.
	keep := n - 1
	floor := keep * 4 / 5
	end, cut := len(s), -1
	k := 0
	for i := range s {
		if k == keep {
			end = i
			break
		}
		if k > floor && s[i] == ' ' {
			cut = i
		}
		k++
	}
	if cut < 0 {
		cut = end
	}
	return strings.TrimRight(s[:cut], " ,;:-") + Ellipsis
}

// clipWordsRunes is ClipWords over runes, for text that is not valid
// UTF-8 (each bad byte counts, and comes out, as U+FFFD).
func clipWordsRunes(s string, n int) string {
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
