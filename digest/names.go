package digest

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// names picks the title words that name something: model and product
// names with digits ("GPT-5", "GLM-5.3", "Opus 5"), mixed-case names
// ("DeepSeek", "AlphaEvolve"), acronyms ("NVIDIA") and capitalized words
// past the first. Lowercased.
func names(title string) (out []string, model []bool) {
	var toksBuf [24]string
	toks := toksBuf[:0]
	start := -1
	for i, r := range title {
		var in bool
		if r < utf8.RuneSelf {
			c := byte(r)
			in = isWordByte(c) || c == '-' || c == '.'
		} else {
			in = (unicode.IsLetter(r) || unicode.IsDigit(r)) && !(r >= 0x2E80 && unicode.Is(unicode.Han, r))
		}
		switch {
		case in && start < 0:
			start = i
		case !in && start >= 0:
			toks = append(toks, title[start:i])
			start = -1
		}
	}
	if start >= 0 {
		toks = append(toks, title[start:])
	}
	add := func(n string, isModel bool) {
		n = strings.ToLower(strings.Trim(n, "-."))
		if len(n) < 2 || isStopword(n) {
			return
		}
		for i, o := range out {
			if o == n {
				model[i] = model[i] || isModel
				return
			}
		}
		out, model = append(out, n), append(model, isModel)
	}
	for i, t := range toks {
		t = strings.Trim(t, "-.")
		if t == "" {
			continue
		}
		letters, digits, upper, lowerAfterUpper := 0, 0, 0, false
		for k, r := range t {
			switch {
			case r >= '0' && r <= '9' || r >= utf8.RuneSelf && unicode.IsDigit(r):
				digits++
			case r >= 'a' && r <= 'z':
				letters++
				lowerAfterUpper = lowerAfterUpper || (k > 0 && upper > 0)
			case r >= 'A' && r <= 'Z':
				letters++
				upper++
			case r >= utf8.RuneSelf && unicode.IsLetter(r):
				letters++
				if unicode.IsUpper(r) {
					upper++
				} else if k > 0 && upper > 0 {
					lowerAfterUpper = true
				}
			}
		}
		first, _ := utf8.DecodeRuneInString(t)
		capital := unicode.IsUpper(first)
		mixed := upper >= 2 && lowerAfterUpper // DeepSeek, OpenAI, iPhone-like
		switch {
		case letters > 0 && digits > 0:
			add(t, true) // gpt-5, glm-5.3, o1, 13b
		case capital && i+1 < len(toks) && isNumber(toks[i+1]):
			add(t+" "+toks[i+1], true) // "Opus 5", "Gemini 3"
			add(t, false)
		case mixed || (upper == letters && letters >= 2):
			add(t, false) // DeepSeek, NVIDIA
		case capital && i > 0 && letters >= 3:
			add(t, false)
		}
	}
	return out, model
}

func isNumber(s string) bool {
	s = strings.Trim(s, ".")
	if s == "" {
		return false
	}
	for _, r := range s {
		if !unicode.IsDigit(r) && r != '.' {
			return false
		}
	}
	return true
}

// arxivRefs finds arXiv ids ("2611.01234") after "arxiv.org/abs/",
// "arxiv.org/pdf/" or "arXiv:" in s.
func arxivRefs(s string) []string {
	if !strings.Contains(s, "rxiv") && !strings.Contains(s, "RXIV") {
		return nil
	}
	var out []string
	low := strings.ToLower(s)
	for _, marker := range []string{"arxiv.org/abs/", "arxiv.org/pdf/", "arxiv:"} {
		for off := 0; ; {
			i := strings.Index(low[off:], marker)
			if i < 0 {
				break
			}
			start := off + i + len(marker)
			j := start
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '.') {
				j++
			}
			if id := strings.TrimRight(s[start:j], "."); len(id) >= 9 && strings.Count(id, ".") == 1 {
				out = append(out, id)
			}
			off = max(j, start)
		}
	}
	return out
}
