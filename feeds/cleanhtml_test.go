package feeds

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// The fast path must give what the tokenizer gives, and take the common
// markup (or it saves nothing).
func TestStripSimpleHTMLMatchesTokenizer(t *testing.T) {
	cases := []struct {
		name   string
		in     string
		wantOK bool
	}{
		{"paragraphs and entities", `<p>Researchers &amp; teams</p><p>Read <a href="https://x.example/">more</a>.</p>`, true},
		{"br and img", `line<br/>two<br>three<img src='a.png' alt="x > y"/>end`, true},
		{"upper case tags", `<P>one</P><DIV class=lead>two</DIV>`, true},
		{"unknown tag", `<span data-x="1">a</span><figure>b</figure>`, true},
		{"entities without tags", `AT&amp;T &lt;3 &eacute;t&eacute; &#x4e2d; &notanentity; &amp`, true},
		{"cjk text", `<p>新聞週報：模型發布</p>`, true},
		{"key without value", `<input disabled><td>x</td>`, true},
		{"lone less-than", `a < b and c<d`, false},
		{"comment", `a<!-- hidden -->b`, false},
		{"script", `a<script>var x = "<p>";</script>b`, false},
		{"style", `<style>p{}</style>text`, false},
		{"title raw text", `<title>a <b> c</title>`, false},
		{"quote in key", `<a "x">y</a>`, false},
		{"equals first", `<a ="x>y">z</a>`, false},
		{"glued attributes", `<a href="x"title="y">z</a>`, false},
		{"unterminated tag", `text <p class="a`, false},
		{"spaced end tag", `<p>a</p >b`, false},
		{"carriage return", "a\r\nb<p>c</p>", false},
		{"nul", "a\x00b<p>c</p>", false},
		{"svg", `<svg><title>x</title></svg>`, false},
		{"hyphenated tag", `<my-tag>x</my-tag>`, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := stripSimpleHTML(c.in)
			if ok != c.wantOK {
				t.Fatalf("stripSimpleHTML(%q) ok = %v, want %v", c.in, ok, c.wantOK)
			}
			if ok {
				if want := stripHTMLTokens(c.in); got != want {
					t.Fatalf("stripSimpleHTML(%q) = %q, tokenizer gives %q", c.in, got, want)
				}
			}
			if got, want := StripHTML(c.in), stripHTMLTokens(sanitize(c.in)); got != want {
				t.Fatalf("StripHTML(%q) = %q, tokenizer gives %q", c.in, got, want)
			}
		})
	}
}

// Every title, description and content in the test feeds strips the same
// both ways.
func TestStripSimpleHTMLOnFixtures(t *testing.T) {
	files, err := filepath.Glob("testdata/*.xml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	fast := 0
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			body, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			feed, err := Parse(context.Background(), body, "")
			if err != nil {
				t.Skipf("not a feed Parse reads (a fixture for an error): %v", err)
			}
			for _, it := range feed.Items {
				for _, s := range []string{it.Title, it.Description, it.Content} {
					s = sanitize(s)
					if got, ok := stripSimpleHTML(s); ok {
						fast++
						if want := stripHTMLTokens(s); got != want {
							t.Errorf("fast path %q\ngives %q\ntokenizer %q", s, got, want)
						}
					}
				}
			}
		})
	}
	if fast == 0 {
		t.Fatal("the fast path took none of the fixtures' fields")
	}
}

// The fast path against the tokenizer on a typical description, side by
// side:
//
//	go test ./feeds -run '^$' -bench StripHTML -benchmem
func BenchmarkStripHTML(b *testing.B) {
	desc := `<p>` + strings.Repeat("Researchers and product teams reported results &amp; launches this week. ", 7) +
		`</p><p>Read <a href="https://f1.example.com/">more</a>.</p>`
	b.Run("tokenizer", func(b *testing.B) {
		for b.Loop() {
			stripHTMLTokens(desc)
		}
	})
	b.Run("StripHTML", func(b *testing.B) {
		for b.Loop() {
			StripHTML(desc)
		}
	})
}

// writeUnescaped writes exactly what html.UnescapeString returns.
func TestWriteUnescapedMatchesUnescapeString(t *testing.T) {
	cases := []string{
		"", "plain", "&", "&amp", "&amp;", "a&amp;b", "&amp;&amp;", "&&amp;", "&amp;&", "&lt;p&gt;", "&quot;q&quot; &#39;s&#39; &apos;a&apos;",
		"x&nbsp;y", "&ampx;", "&amp;x", "&amp;amp;", "&AMP;", "&#39", "&#039;", "&#x27;", "&eacute;", "AT&T", "R&D &amp; more",
		"&lt;&lt;&lt;", "tail &", "&notin;", "&not", "中文&amp;字", "&amp;\u2028", strings.Repeat("Researchers &amp; teams. ", 7),
	}
	for _, in := range cases {
		var b strings.Builder
		writeUnescaped(&b, in)
		if want := html.UnescapeString(in); b.String() != want {
			t.Errorf("writeUnescaped(%q) = %q, html.UnescapeString gives %q", in, b.String(), want)
		}
	}
}
