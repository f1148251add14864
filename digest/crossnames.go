package digest

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxCrossNames bounds the shared names crossNames sorts into names: a
// pair sharing more is far past the two it needs.
const maxCrossNames = 16

// crossNames counts the distinct names behind the distinctive names two
// items in different languages share: names keeps each capitalized word
// apart, so "Donald Trump" or "SK Hynix" is two of its names, but one
// person or company. Shared names written next to each other (separated
// by spaces only) in either item, or spelled together as one model name
// ("Kimi K3"), are one; what stays apart in both ("Kimi K3" … "OK
// Computer") is two. Only pairs of different languages that already
// share two names ask, so the cost does not matter.
func crossNames(a, b *doc, df []int32, maxDF int32) int {
	var keys [maxCrossNames]string
	n := 0
	for _, x := range a.names() {
		if x.org || df[x.id] > maxDF {
			continue
		}
		for _, y := range b.names() {
			if x.id == y.id {
				if n < len(keys) {
					keys[n] = squash(x.key)
					n++
				}
				break
			}
		}
	}
	g := nameGroups{keys: keys[:n]}
	for i := range g.parent[:n] {
		g.parent[i] = int8(i)
	}
	for _, d := range [2]*doc{a, b} {
		g.join(d.it.Title)
		g.join(ledeOf(d.it.Summary))
	}
	return g.count()
}

// nameGroups is a union-find over the shared names' keys (crossNames).
type nameGroups struct {
	keys   []string
	parent [maxCrossNames]int8
	seen   [maxCrossNames]bool // found in a text, as a word or words spelled together
}

func (g *nameGroups) find(i int8) int8 {
	for g.parent[i] != i {
		g.parent[i] = g.parent[g.parent[i]]
		i = g.parent[i]
	}
	return i
}

func (g *nameGroups) union(i, j int8) {
	if i >= 0 && j >= 0 {
		g.parent[g.find(i)] = g.find(j)
	}
}

// count is the number of groups of names seen in the texts. A key never
// seen is one names derived ("Claude 4" from "Claude Opus 4"), part of
// a name seen, not one of its own.
func (g *nameGroups) count() int {
	var roots [maxCrossNames]bool
	n := 0
	for i := range g.keys {
		if r := g.find(int8(i)); g.seen[i] && !roots[r] {
			roots[r] = true
			n++
		}
	}
	return n
}

// index is the shared name whose key is k, or -1.
func (g *nameGroups) index(k string) int8 {
	for i, key := range g.keys {
		if key == k {
			return int8(i)
		}
	}
	return -1
}

// join reads text's runs of Latin words separated by spaces only and
// unites the shared names found next to each other in a run, one word
// each or two or three words spelled together ("Kimi K3" as "kimik3"):
// a name, and a name that starts on the word after it ends ("Gemini 3"
// and "Flash").
func (g *nameGroups) join(text string) {
	var run []string // squashed words of the current run
	var ends []int8  // by word of the run: a shared name that ends there, or -1
	for _, w := range latinWords(text) {
		if !w.afterSpace {
			run, ends = run[:0], ends[:0]
		}
		run, ends = append(run, w.word), append(ends, -1)
		// The run's last one to three words, as one name or as parts.
		last := len(run) - 1
		for span := 1; span <= 3 && span <= len(run); span++ {
			first := last - span + 1
			whole := g.index(strings.Join(run[first:], ""))
			if whole < 0 {
				continue
			}
			g.seen[whole] = true
			for _, part := range run[first:] {
				g.union(whole, g.index(part))
			}
			if first > 0 {
				// Next to a shared name before it: one name.
				g.union(whole, ends[first-1])
			}
			if ends[last] < 0 {
				ends[last] = whole
			} else {
				g.union(whole, ends[last])
			}
		}
	}
}

// latinWord is a word of Latin (or other alphabetic, non-CJK) letters
// and digits, squashed as name keys compare (squash), and whether only
// spaces separate it from the word before.
type latinWord struct {
	word       string
	afterSpace bool
}

// latinWords splits text into latinWords as names splits it into
// tokens. A Chinese character, Hangul, kana or punctuation between two
// words keeps them apart: "SK海力士" does not put "SK" next to what
// follows. Any space does not ("Donald\u00a0Trump", a full-width one in
// Chinese text), nor does a hyphen past ASCII, which names reads as a
// space ("GPT\u20115"), nor a middle initial, which is no word of its
// own ("Donald J. Trump").
func latinWords(text string) []latinWord {
	var out []latinWord
	start := -1
	spaces := false // only spaces since the last word ended
	for i := 0; i <= len(text); {
		r, size := rune(0), 1
		if i < len(text) {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		in := i < len(text) && (isNameRune(r) ||
			start >= 0 && (r == '-' && startsNameRune(text[i+1:]) || r == '.' && i+1 < len(text) && isWordByte(text[i+1])))
		switch {
		case in && start < 0:
			start = i
		case !in && start >= 0 && r == '.' && isInitial(text[start:i]) && strings.HasPrefix(text[i+1:], " "):
			// Skipped with its dot; spaces is still what it was before it.
			start = -1
			i += size
			continue
		case !in && start >= 0:
			out = append(out, latinWord{word: squash(text[start:i]), afterSpace: spaces && len(out) > 0})
			start, spaces = -1, true
		}
		if !in && !isSpaceRune(r) {
			spaces = false
		}
		i += size
	}
	return out
}

// isNameRune reports whether names reads r as part of a Latin name.
func isNameRune(r rune) bool {
	return (unicode.IsLetter(r) || unicode.IsDigit(r)) && !isCJK(r)
}

// startsNameRune reports whether s starts with a rune names reads as part
// of a name: a '-' before one goes on a word ("Jean-Émile").
func startsNameRune(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return s != "" && isNameRune(r)
}

// isSpaceRune reports whether r separates two words of one name: a space
// of any width, or a hyphen past ASCII.
func isSpaceRune(r rune) bool {
	return r == ' ' || r == '\t' || r == '\u2010' || r == '\u2011' || unicode.Is(unicode.Zs, r)
}

// isInitial reports whether w is one capital letter: with a dot after
// it, a middle initial.
func isInitial(w string) bool {
	r, size := utf8.DecodeRuneInString(w)
	return size == len(w) && unicode.IsUpper(r)
}

// squash lowercases a name key or word and drops the separators a model
// name may be written with ("GPT-5", "glm-5.3", "Kimi K3" as one key).
func squash(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '-', '.', '_', ' ':
			return -1
		}
		return foldRune(r) // as names lowercases its keys
	}, s)
}
