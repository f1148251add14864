package feeds

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// fastPathInputs are texts around the shortcuts' edges: spaces at the
// ends and doubled, controls, DEL, C1 codes, zero-width and bidi
// characters, CJK, the arXiv prefix in several cases and spacings.
var fastPathInputs = []string{
	"", " ", "a", "a b", " a", "a ", "a  b", "a\tb", "a\nb", "a\x7fb", "a\x00b", "plain words, with punctuation!",
	"caf\u00e9", "\u00a0lead", "zero\u200bwidth", "bom\ufeff", "bidi\u202ex", "c1 \u0092 quote", "\u4e2d\u6587\u6a19\u984c", "mixed \u4e2d x",
	"arXiv:2411.01234v1 Announce Type: new Abstract: We study", "  ARXIV:1 announce type: cross  abstract: x", "arxiv: x", "arXiv:2411.1 Announce Type:replace-cross x",
	"\tarXiv:1 Announce Type: new", "xarXiv:1 Announce Type: new", "arXi", "arXiv:1 Announce Type: new Ab\u017Ftract: long s",
	strings.Repeat("word ", 300), strings.Repeat("\u4e2d", 250) + " tail", "\u2026 ellipsis",
}

// collapseTextRef is collapseText as it was before its shortcuts.
func collapseTextRef(s string, legacy bool) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	emit := func(r rune, raw string) {
		if space {
			b.WriteByte(' ')
			space = false
		}
		if raw != "" {
			b.WriteString(raw)
		} else {
			b.WriteRune(r)
		}
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			if c <= ' ' || c == 0x7f {
				space = b.Len() > 0
				continue
			}
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteByte(c)
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		raw := s[i : i+size]
		i += size
		if !legacy {
			if r >= 0x80 && r <= 0x9f {
				if m := mapC1(r); m != 0 {
					emit(m, "")
					continue
				}
			} else if invisibleFormat(r) {
				continue
			}
		}
		if unicode.IsSpace(r) || unicode.IsControl(r) || r == '\u200b' || r == '\ufeff' {
			space = b.Len() > 0
			continue
		}
		emit(r, raw)
	}
	return b.String()
}

func TestCollapseShortcutsMatchReference(t *testing.T) {
	inputs := append([]string(nil), fastPathInputs...)
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"a", "B", " ", "  ", "\t", "\n", "\x00", "\x7f", "\u0085", "\u0092", "\u00a0", "\u200b", "\ufeff", "\u202e", "\u2028", "\u4e2d", ".", "\xff"}
	for range 2000 {
		var b strings.Builder
		for range r.IntN(10) {
			b.WriteString(alphabet[r.IntN(len(alphabet))])
		}
		inputs = append(inputs, b.String())
	}
	for _, in := range inputs {
		for _, legacy := range []bool{false, true} {
			if got, want := collapseText(in, legacy), collapseTextRef(in, legacy); got != want {
				t.Errorf("collapseText(%q, %v) = %q, reference %q", in, legacy, got, want)
			}
		}
	}
}

func TestItemLangAndArxivPrefixShortcuts(t *testing.T) {
	for _, title := range fastPathInputs {
		for _, summary := range fastPathInputs {
			for _, hint := range []string{"", "zh-TW"} {
				if got, want := itemLang(hint, "", title, summary), lang(hint, "", title+" "+truncate(summary, 200)); got != want {
					t.Errorf("itemLang(%q, %q, %q) = %q, lang gives %q", hint, title, summary, got, want)
				}
			}
		}
		if got, want := matchArxivPrefix(title), arxivPrefix.FindStringSubmatch(title); !reflect.DeepEqual(got, want) {
			t.Errorf("matchArxivPrefix(%q) = %q, the regexp gives %q", title, got, want)
		}
	}
}
