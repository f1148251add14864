package classifier

import (
	"strings"

	"github.com/triagebot/triagebot/news"
)

// shapeNames are features of an item's form rather than its words, for
// the genres the words miss: a product's name carries a version ("GPT-5",
// "M4", "v2.1"); results carry figures ("14%", "3x"); a company speaks as
// "we", a columnist or newsletter as "I"; listicles and guides open with a
// number ("5 ways to …"); series and newsletters put a name before a colon.
// The index is a feature's identity: append, never reorder.
var shapeNames = [...]string{
	"a version in the title",
	"a figure (% or ×)",
	"written as \"we\"",
	"written as \"I\"",
	"the title opens with a number",
	"the title has a colon",
	"a short summary",
	"a quote in the title",
}

// shape appends the form features of an item (see shapeNames).
func (x *extractor) shape(it *news.Item, title, summary string, buf []feat) []feat {
	var on [len(shapeNames)]bool
	if hasVersion(title) {
		on[0] = true
	}
	if hasFigure(title) || hasFigure(summary) {
		on[1] = true
	}
	we, me := voice(title), voice(summary)
	if we&1 != 0 || me&1 != 0 {
		on[2] = true
	}
	if we&2 != 0 || me&2 != 0 {
		on[3] = true
	}
	if t := strings.TrimSpace(title); t != "" && t[0] >= '0' && t[0] <= '9' {
		on[4] = true
	}
	if strings.Contains(title, ": ") || strings.Contains(title, "：") {
		on[5] = true
	}
	if len(summary) < 120 {
		on[6] = true
	}
	if strings.ContainsAny(title, "\"“”‘「") {
		on[7] = true
	}
	for i, ok := range on {
		if ok {
			buf = append(buf, mkFeat(bucket(uint64(i+1)*0x9e3779b97f4a7c15, nsMeta), 1, fShape, 0, 0, int32(i), 0))
		}
	}
	return buf
}

// hasVersion: a token mixing letters and digits ("gpt-5", "o3", "m4",
// "v2.1", "iphone17"), not an amount ("400m", "2.5bn") or an ordinal.
func hasVersion(s string) bool {
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

// hasFigure: a number followed by "%" or "x"/"×" (a result or a ratio).
func hasFigure(s string) bool {
	for i := 1; i < len(s); i++ {
		if s[i-1] < '0' || s[i-1] > '9' {
			continue
		}
		switch {
		case s[i] == '%':
			return true
		case s[i] == 'x' && (i+1 == len(s) || !isASCIIAlnum(s[i+1])):
			return true
		case strings.HasPrefix(s[i:], "×"), strings.HasPrefix(s[i:], "倍"), strings.HasPrefix(s[i:], "％"):
			return true
		}
	}
	return false
}

// voice: bit 1 when the text says "we"/"our", bit 2 when it says
// "I"/"my" (as whole words, any case).
func voice(s string) int {
	out := 0
	for i := 0; i < len(s); {
		if !isASCIIAlnum(s[i]) && s[i] != '\'' {
			i++
			continue
		}
		j := i
		for j < len(s) && (isASCIIAlnum(s[j]) || s[j] == '\'') {
			j++
		}
		if j-i <= 5 {
			var w [5]byte
			for k := i; k < j; k++ {
				w[k-i] = s[k] | 0x20 // ASCII letters to lower case; digits and ' unchanged
			}
			switch string(w[:j-i]) {
			case "we", "our", "we're", "we've", "ours":
				out |= 1
			case "i", "my", "i'm", "i've", "me":
				out |= 2
			}
		}
		i = j
	}
	return out
}
