package classifier

import (
	"strings"

	"github.com/triagebot/triagebot/news"
)

// shapeNames are features of an item's form rather than its words, for
// the genres the words miss: a product's name carries a version ("GPT-5",
// "M4", "v2.1"); results carry figures ("14%", "3x"); listicles and guides
// open with a number ("5 ways to …"); series and newsletters put a name
// before a colon; wire copy comes with a short summary. (Who speaks, a
// company as "we" or a columnist as "I", is two cue groups in lexicon.go:
// the tokenizer meets those words anyway, so they cost nothing there.)
var shapeNames = [...]string{
	"a version in the title",
	"a figure (% or ×)",
	"the title opens with a number",
	"the title has a colon",
	"a short summary",
	"a quote in the title",
}

// shape appends the form features of an item (see shapeNames).
func (x *extractor) shape(it *news.Item, title, summary string, buf []feat) []feat {
	var on [len(shapeNames)]bool
	if x.hasVersion(title) {
		on[0] = true
	}
	if hasFigure(title, true) || hasFigure(summary, false) {
		on[1] = true
	}
	if t := strings.TrimSpace(title); t != "" && t[0] >= '0' && t[0] <= '9' {
		on[2] = true
	}
	if strings.Contains(title, ": ") || strings.Contains(title, "：") {
		on[3] = true
	}
	if len(summary) < 120 {
		on[4] = true
	}
	if hasQuote(title) {
		on[5] = true
	}
	for i, ok := range on {
		if ok {
			buf = append(buf, mkFeat(bucket(uint64(i+1)*0x9e3779b97f4a7c15, nsMeta), 1, fShape, 0, 0, int32(i), 0))
		}
	}
	return buf
}

// hasQuote: the title holds '"', '“', '”', '‘' or '「'. A search for
// the quote and the byte sequences of the others; strings.ContainsAny with a
// non-ASCII set decodes every rune and searches the set for it, which
// cost a tenth of feature extraction. Matching the UTF-8 sequences as
// bytes finds the same quotes even in invalid text: no lead byte of
// theirs can be swallowed by a sequence before it.
func hasQuote(s string) bool {
	// IndexByte and Index skip through the text many bytes at a time;
	// every match of the two-byte lead "\xe2\x80" is tried in turn.
	if strings.IndexByte(s, '"') >= 0 || strings.Contains(s, "\xe3\x80\x8c") {
		return true
	}
	for i := 0; ; {
		k := strings.Index(s[i:], "\xe2\x80")
		if k < 0 {
			return false
		}
		i += k + 2
		if i < len(s) && (s[i] == 0x9c || s[i] == 0x9d || s[i] == 0x98) {
			return true
		}
	}
}

// hasVersion: a token mixing letters and digits ("gpt-5", "o3", "m4",
// "v2.1", "iphone17"), not an amount ("400m", "2.5bn") or an ordinal.
// ASCII letters and digits are told by the extractor's lower table, one
// load a byte instead of three range tests.
func (x *extractor) hasVersion(s string) bool {
	for i := 0; i < len(s); {
		if x.lower[s[i]] == 0 {
			i++
			continue
		}
		j := i
		letters, digits := 0, 0
		for j < len(s) {
			lc := x.lower[s[j]]
			if lc == 0 {
				// "-" or "." joins when a letter or digit follows.
				if c := s[j]; (c == '-' || c == '.') && j+1 < len(s) && x.lower[s[j+1]] != 0 {
					j++
					continue
				}
				break
			}
			if lc-'0' <= 9 {
				digits++
			} else {
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

func amountOrOrdinal(t string) bool {
	k := 0
	for k < len(t) && (t[k] >= '0' && t[k] <= '9' || t[k] == '.') {
		k++
	}
	if k == 0 {
		return false
	}
	var suf [3]byte
	if len(t)-k > len(suf) {
		return false
	}
	for i := k; i < len(t); i++ {
		suf[i-k] = t[i] | 0x20
	}
	switch string(suf[:len(t)-k]) {
	case "m", "b", "bn", "mn", "k", "t", "tn", "st", "nd", "rd", "th", "s", "x", "gb", "tb", "mb", "am", "pm", "h", "min", "km", "kg", "w", "kw", "mw", "gw":
		return true
	}
	return false
}

// hasFigure: a number followed by "%", "％", "×" or "倍" (a result or a
// ratio), or "3x" in the title. Searched with IndexByte, which skips
// through a summary far faster than a loop over its bytes.
func hasFigure(s string, title bool) bool {
	for _, sign := range [...]string{"%", "％", "×", "倍"} {
		for from := 1; from < len(s); {
			i := strings.Index(s[from:], sign)
			if i < 0 {
				break
			}
			i += from
			if c := s[i-1]; c >= '0' && c <= '9' {
				return true
			}
			from = i + len(sign)
		}
	}
	if title {
		for i := 1; i < len(s); i++ {
			if (s[i] == 'x' || s[i] == 'X') && s[i-1] >= '0' && s[i-1] <= '9' && (i+1 == len(s) || !isASCIIAlnum(s[i+1])) {
				return true
			}
		}
	}
	return false
}
