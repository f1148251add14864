package text

import (
	"hash/fnv"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestClip pins both clips: the budget counts runes, the ellipsis is one
// of them, nothing is split, and only ClipWords looks for a space.
func TestClip(t *testing.T) {
	tests := []struct {
		name  string
		words bool // ClipWords, else Clip
		s     string
		n     int
		want  string
	}{
		{"fits", false, "hello", 5, "hello"},
		{"empty", false, "", 3, ""},
		{"empty at zero", false, "", 0, ""},
		{"cut ends with ellipsis", false, "hello world", 5, "hell…"},
		{"cut mid-word, no word rule", false, "hello world", 8, "hello w…"},
		{"multi-byte runes counted as runes", false, "模型發布了新的版本", 4, "模型發…"},
		{"emoji not split", false, "ab😀😀😀", 4, "ab😀…"},
		{"n of one is the ellipsis alone", false, "hello", 1, "…"},
		{"n below the ellipsis gives nothing", false, "hello", 0, ""},
		{"negative n gives nothing", false, "hello", -3, ""},

		{"words: fits", true, "short title", 20, "short title"},
		{"words: empty", true, "", 5, ""},
		// The budget leaves "the quick brown fox jumps ove" (29 runes);
		// the last space within its last fifth is before "ove".
		{"words: cuts at a space near the end", true, "the quick brown fox jumps over the lazy dog", 30, "the quick brown fox jumps…"},
		{"words: drops dangling punctuation", true, "alpha beta gamma, delta epsilon", 18, "alpha beta gamma…"},
		{"words: drops a dangling hyphen", true, "state of the art - a review of it", 19, "state of the art…"},
		// 20 runes before the ellipsis: the space at index 16 lies outside
		// the last fifth (17-19), so the cut stays at the rune.
		{"words: a space further back than a fifth is not used", true, "abcdefghijklmnop qrstuvwxyz", 21, "abcdefghijklmnop qrs…"},
		{"words: no space near the end cuts at the rune", true, "supercalifragilistic expialidocious", 30, "supercalifragilistic expialid…"},
		{"words: no spaces at all (Chinese)", true, "大型語言模型發布新版本並開放下載", 6, "大型語言模…"},
		{"words: n of one", true, "hello world", 1, "…"},
		{"words: n below the ellipsis", true, "hello world", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clip, name := Clip, "Clip"
			if tt.words {
				clip, name = ClipWords, "ClipWords"
			}
			got := clip(tt.s, tt.n)
			if got != tt.want {
				t.Fatalf("%s(%q, %d) = %q, want %q", name, tt.s, tt.n, got, tt.want)
			}
			if n := utf8.RuneCountInString(got); n > max(tt.n, 0) {
				t.Fatalf("%s(%q, %d) = %q: %d runes, over the budget", name, tt.s, tt.n, got, n)
			}
			if !utf8.ValidString(got) {
				t.Fatalf("%s(%q, %d) = %q: not valid UTF-8", name, tt.s, tt.n, got)
			}
		})
	}
}

func TestOneLine(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"  a \n\t b  ", "a b"},
		{"one\r\ntwo\u00a0three", "one two three"},
		{"已經\n發布", "已經 發布"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := OneLine(tt.in); got != tt.want {
				t.Fatalf("OneLine(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestHasHan(t *testing.T) {
	tests := []struct {
		s    string
		want bool
	}{
		{"", false},
		{"GPT-5 released", false},
		{"café – naïve “quotes” …", false}, // multi-byte, not Han
		{"OpenAI 發布新模型", true},
		{"模型", true},
		{"カタカナだけ", false}, // kana alone is not Han
		{"한국어", false},
		{"日本語のテキスト", true},
		{"⺀ radical", true}, // U+2E80, the first Han code point, lead byte 0xE2
	}
	for _, tt := range tests {
		t.Run(tt.s, func(t *testing.T) {
			if got := HasHan(tt.s); got != tt.want {
				t.Fatalf("HasHan(%q) = %v, want %v", tt.s, got, tt.want)
			}
		})
	}
}

func TestFNV1aMatchesHashFNV(t *testing.T) {
	for _, s := range []string{"", "a", "foobar", "模型", strings.Repeat("xyz", 100)} {
		t.Run(s, func(t *testing.T) {
			h := fnv.New64a()
			h.Write([]byte(s))
			want := h.Sum64()
			if got := FNV1a(s); got != want {
				t.Fatalf("FNV1a(%q) = %#x, want %#x", s, got, want)
			}
			if got := FNV1a([]byte(s)); got != want {
				t.Fatalf("FNV1a([]byte(%q)) = %#x, want %#x", s, got, want)
			}
		})
	}
	// The published FNV-1a 64 test vector, so a wrong constant in both
	// this package and hash/fnv's use above cannot agree by accident.
	if got := FNV1a("a"); got != 0xaf63dc4c8601ec8c {
		t.Fatalf(`FNV1a("a") = %#x, want 0xaf63dc4c8601ec8c`, got)
	}
}

func TestArxivIDs(t *testing.T) {
	tests := []struct {
		name string
		s    string
		want []string
	}{
		{"empty", "", nil},
		{"no arxiv", "https://example.com/post/2411.01234", nil},
		{"bare id is not enough", "see 2411.01234 for details", nil},
		{"abs link", "https://arxiv.org/abs/2411.01234", []string{"2411.01234"}},
		{"abs link with version", "https://arxiv.org/abs/2411.01234v2", []string{"2411.01234"}},
		{"pdf link", "http://arxiv.org/pdf/2411.01234v3.pdf", []string{"2411.01234"}},
		{"html link", "https://arxiv.org/html/2411.01234v1", []string{"2411.01234"}},
		{"export mirror", "http://export.arxiv.org/abs/2411.01234", []string{"2411.01234"}},
		{"four-digit number (2007-2014)", "arXiv:0704.0001", []string{"0704.0001"}},
		{"arXiv prefix", "arXiv:2411.01234v2 Announce Type: new", []string{"2411.01234"}},
		{"OAI identifier", "oai:arXiv.org:2411.01234v1", []string{"2411.01234"}},
		{"upper case", "HTTPS://ARXIV.ORG/ABS/2411.01234V2", []string{"2411.01234"}},
		{"old style", "https://arxiv.org/abs/hep-th/9901001", []string{"hep-th/9901001"}},
		{"old style with version", "arXiv:hep-th/9901001v3", []string{"hep-th/9901001"}},
		{"old style with subject class", "https://arxiv.org/abs/math.AG/0601001", []string{"math.AG/0601001"}},
		{"old style pdf", "https://arxiv.org/pdf/cond-mat/0011001v2", []string{"cond-mat/0011001"}},
		{"six digits is not an id", "arXiv:2411.012345", nil},
		{"three digits is not an id", "arXiv:2411.012", nil},
		{"old style needs seven digits", "arXiv:hep-th/990100", nil},
		{"listing page is not a paper", "https://arxiv.org/list/cs.AI/recent", nil},
		{"id then a sentence dot", "Read arXiv:2411.01234. It is good.", []string{"2411.01234"}},
		{"several, in order", "builds on arxiv.org/pdf/2301.00002 and arXiv:2411.01234v2; see arxiv.org/abs/hep-th/9901001",
			[]string{"2301.00002", "2411.01234", "hep-th/9901001"}},
		{"x's before the marker", "Xbox, xAI and XLA: see ArXiv:2411.01234", []string{"2411.01234"}},
		{"x at the very start and end", "x arxiv.org/abs/2411.01234 x", []string{"2411.01234"}},
		{"multi-byte text around", "論文 arXiv:2411.01234 發布", []string{"2411.01234"}},
		{"marker at the very end", "arxiv.org/abs/", nil},
		{"word arxiv without marker", "arxiv 2411.01234", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ArxivIDs(tt.s)
			if !slices.Equal(got, tt.want) {
				t.Fatalf("ArxivIDs(%q) = %q, want %q", tt.s, got, tt.want)
			}
			first := ""
			if len(tt.want) > 0 {
				first = tt.want[0]
			}
			if got := ArxivID(tt.s); got != first {
				t.Fatalf("ArxivID(%q) = %q, want %q", tt.s, got, first)
			}
		})
	}
}

func FuzzArxivIDs(f *testing.F) {
	for _, s := range []string{"arXiv:2411.01234v2", "arxiv.org/abs/hep-th/9901001", "arxiv:", "arxiv.org/abs/math.A"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, id := range ArxivIDs(s) {
			if id == "" || !strings.Contains(s, id) {
				t.Fatalf("ArxivIDs(%q) returned %q, not a piece of the input", s, id)
			}
		}
	})
}

// BenchmarkArxivIDs reads a summary-sized text without an id, the common
// case in grouping, and a paper's link.
func BenchmarkArxivIDs(b *testing.B) {
	summary := strings.Repeat("Acme said its new model reaches all paid users today, with a voice mode. ", 14)
	for _, in := range []struct{ name, s string }{{"summary", summary}, {"link", "https://arxiv.org/abs/2411.01234v2"}} {
		b.Run(in.name, func(b *testing.B) {
			for b.Loop() {
				ArxivIDs(in.s)
			}
		})
	}
}
