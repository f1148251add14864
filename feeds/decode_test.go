package feeds

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"
)

// parseFile runs a testdata file through Parse, as the poller would.
func parseFile(t *testing.T, name, contentType string) *gofeed.Feed {
	t.Helper()
	body, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	f, err := Parse(t.Context(), body, contentType)
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	return f
}

func TestParseDecodesCharsets(t *testing.T) {
	const (
		accented = "Café “quoted” — 中文標題"
		zh       = "台灣團隊發布新的語言模型，研究人員推出開源模型"
		ja       = "新しい言語モデルを発表しました。研究者はオープンソースのモデルを公開しています"
	)
	cases := []struct {
		file, contentType string
		titles            []string
	}{
		{"utf16le_bom.xml", "application/rss+xml", []string{accented, "Second ‘item’ ✓"}},
		{"utf16be_bom.xml", "", []string{accented, "Second ‘item’ ✓"}},
		{"utf32le_bom.xml", "", []string{accented, "Second ‘item’ ✓"}},
		{"utf32be_bom.xml", "text/xml; charset=utf-8", []string{accented, "Second ‘item’ ✓"}},
		{"utf16le_nobom.xml", "", []string{accented, "Second ‘item’ ✓"}},
		// No encoding anywhere: the charset is detected.
		{"big5_undeclared.xml", "application/rss+xml", []string{zh, "新款摺疊手機正式發表，售價新台幣五萬元起，功能齊全"}},
		{"eucjp_undeclared.xml", "", []string{ja, "日本語の検索機能が改善され、ユーザーの評判も良いようです"}},
		{"sjis_undeclared.xml", "", []string{ja, "日本語の検索機能が改善され、ユーザーの評判も良いようです"}},
		// ISO-8859-1 as browsers read it: Windows-1252, so 0x92 is ’.
		{"latin1_declared.xml", "", []string{"It’s “fine”", "Second"}},
		// C1 control codes in UTF-8 are the Windows-1252 characters; a form
		// feed or NUL (illegal in XML) no longer fails the feed.
		{"c1_controls.xml", "", []string{"It’s a “test” € 5", "Form feed and NUL  here"}},
		// Declared existing fixtures keep working.
		{"big5.xml", "", []string{"台灣團隊發布新的語言模型"}},
		{"big5_noprolog.xml", "text/xml; charset=big5", []string{"台灣團隊發布新的語言模型"}},
		{"gbk.xml", "", []string{"国内公司推出新款人工智能助手"}},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			f := parseFile(t, tc.file, tc.contentType)
			if len(f.Items) != len(tc.titles) {
				t.Fatalf("%d items, want %d", len(f.Items), len(tc.titles))
			}
			for i, want := range tc.titles {
				if got := f.Items[i].Title; got != want {
					t.Errorf("item %d title = %q, want %q", i, got, want)
				}
			}
		})
	}
}

// Without a BOM or an XML declaration, UTF-16 is still recognised by the
// shape of its first "<".
func TestUTF16WithoutBOMOrProlog(t *testing.T) {
	doc := `<rss version="2.0"><channel><title>t</title><item><title>Ünïcode ✓</title><link>https://u.example.com/1</link></item></channel></rss>`
	for _, tc := range []struct {
		name string
		enc  func(rune) []byte
	}{
		{"little endian", func(r rune) []byte { return []byte{byte(r), byte(r >> 8)} }},
		{"big endian", func(r rune) []byte { return []byte{byte(r >> 8), byte(r)} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var body []byte
			for _, r := range doc {
				body = append(body, tc.enc(r)...)
			}
			f, err := Parse(t.Context(), body, "application/rss+xml; charset=utf-16")
			if err != nil {
				t.Fatal(err)
			}
			if len(f.Items) != 1 || f.Items[0].Title != "Ünïcode ✓" {
				t.Fatalf("items = %+v", f.Items)
			}
		})
	}
}

// An undeclared feed that is UTF-8 but for a stray byte stays UTF-8; one
// that is plain ASCII but for a Windows-1252 byte reads as Windows-1252.
func TestUndeclaredStrayBytes(t *testing.T) {
	cases := []struct{ title, want string }{
		{"Caf\xc3\xa9 it\xe2\x80\x99s a stray \xff here", "Café it’s a stray \uFFFD here"},
		{"中文標題，研究人員推出開源模型 \xfe 結束", "中文標題，研究人員推出開源模型 \uFFFD 結束"},
		{"It\x92s plain ASCII with one Windows-1252 byte", "It’s plain ASCII with one Windows-1252 byte"},
	}
	for _, tc := range cases {
		t.Run(tc.want, func(t *testing.T) {
			body := `<rss version="2.0"><channel><title>t</title><item><title>` + tc.title + `</title><link>https://s.example.com/1</link></item></channel></rss>`
			f, err := Parse(t.Context(), []byte(body), "application/rss+xml")
			if err != nil {
				t.Fatal(err)
			}
			if got := f.Items[0].Title; got != tc.want {
				t.Errorf("title = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestInvalidUTF8KeepsTheFeed(t *testing.T) {
	f := parseFile(t, "cdata_invalid_utf8.xml", "application/rss+xml; charset=utf-8")
	if len(f.Items) != 2 || f.Items[0].Title != "First item" || f.Items[1].Title != "Second item" {
		t.Fatalf("items = %d, want both items of the feed", len(f.Items))
	}
	d := f.Items[0].Description
	if !utf8.ValidString(d) || !strings.Contains(d, "broken \uFFFD byte") || !strings.HasPrefix(d, "caf\uFFFD") {
		t.Errorf("description = %q, want the bad bytes as U+FFFD and the rest kept", d)
	}
}

func TestEntitiesDeclaredInDoctype(t *testing.T) {
	f := parseFile(t, "doctype_entities.xml", "")
	if f.Title != "Acme & Co news" {
		t.Errorf("feed title = %q", f.Title)
	}
	if len(f.Items) != 2 {
		t.Fatalf("%d items, want 2", len(f.Items))
	}
	first, second := f.Items[0], f.Items[1]
	if first.GUID != "https://ent.example.com/posts/1" || first.Link != "https://ent.example.com/posts/1" {
		t.Errorf("GUID %q, link %q: want the entities expanded, nested ones too", first.GUID, first.Link)
	}
	if first.Title != "Acme & Co ships a thing" {
		t.Errorf("title = %q", first.Title)
	}
	if !strings.Contains(first.Description, "&site;") {
		t.Errorf("description = %q: a reference inside CDATA is text and must stay", first.Description)
	}
	if second.GUID != "https://ent.example.com/posts/2" {
		t.Errorf("second GUID = %q", second.GUID)
	}
	// External entities are never read and cycles never expand.
	if strings.Contains(second.Title, "root:") || !strings.Contains(second.Title, "&ext;") || !strings.Contains(second.Title, "&loop1;") {
		t.Errorf("title = %q: external and cyclic entities must stay unexpanded", second.Title)
	}
	if len(second.Categories) != 1 {
		t.Errorf("categories = %q", second.Categories)
	}
}

func TestBillionLaughsStaysBounded(t *testing.T) {
	body, err := os.ReadFile(filepath.Join("testdata", "billion_laughs.xml"))
	if err != nil {
		t.Fatal(err)
	}
	out := expandEntities(body)
	if len(out) > len(body)+maxEntityGrowth {
		t.Fatalf("expanded to %d bytes; the growth bound is %d", len(out), maxEntityGrowth)
	}
	f, err := Parse(t.Context(), body, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Items) != 2 || f.Items[1].Title != "Normal" {
		t.Fatalf("items: %d, want both", len(f.Items))
	}
	// lol3 (3,000 bytes) fits and expands; lol9 (3 GB) stays a reference.
	if f.Items[0].Title != "&lol9;" {
		t.Errorf("title = %.80q, want &lol9; left as is", f.Items[0].Title)
	}
	if d := f.Items[0].Description; len(d) != 9000 || strings.Count(d, "lol") != 3000 {
		t.Errorf("description is %d bytes, want lol3 ×3 = 9000", len(d))
	}
}

func TestEntityGrowthBound(t *testing.T) {
	// 1,000 references to a 4 KiB entity would add 4 MB; expansion stops
	// at maxEntityGrowth and leaves the rest as references.
	var b bytes.Buffer
	b.WriteString(`<!DOCTYPE rss [<!ENTITY big "` + strings.Repeat("x", maxEntityValue) + `">]><rss><channel><title>`)
	b.WriteString(strings.Repeat("&big;", 1000))
	b.WriteString(`</title></channel></rss>`)
	out := expandEntities(b.Bytes())
	if grown := len(out) - b.Len(); grown > maxEntityGrowth || grown < maxEntityGrowth/2 {
		t.Errorf("grew by %d bytes, want close to but not over %d", grown, maxEntityGrowth)
	}
	if !bytes.Contains(out, []byte("&big;")) {
		t.Error("references past the bound should stay as they are")
	}
}

func TestFixC1(t *testing.T) {
	cases := []struct{ in, want string }{
		{"plain", "plain"},
		{"It\u0092s", "It’s"},
		{"\u0093quoted\u0094 \u0096 \u0097 \u0085 \u0080 \u0099", "“quoted” – — … € ™"},
		{"\u0081\u008d\u008f\u0090\u009d", "\u0081\u008d\u008f\u0090\u009d"}, // undefined in Windows-1252
		{"Ā ÿ 中", "Ā ÿ 中"},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			if got := FixC1(tc.in); got != tc.want {
				t.Errorf("FixC1(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestFixC1Refs(t *testing.T) {
	cases := []struct{ in, want string }{
		{"no refs", "no refs"},
		{"It&#146;s &#x93;q&#X94; &#150;&#151; &#128;", "It’s “q” –— €"},
		{"&#39; &#160; &#1234; &#0146; &#x0092;", "&#39; &#160; &#1234; ’ ’"},
		{"&#129; &#x9D; stay", "&#129; &#x9D; stay"}, // undefined in Windows-1252
		{"&#146 no semicolon, &#; &#x; &#", "&#146 no semicolon, &#; &#x; &#"},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			if got := string(fixC1Refs([]byte(tc.in))); got != tc.want {
				t.Errorf("fixC1Refs(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
	// Through the parser: the title is the character, not a control code.
	f, err := Parse(t.Context(), []byte(`<rss version="2.0"><channel><title>t</title><item><title>It&#146;s &#x201C;ok&#x201D;</title><link>https://c.example.com/1</link></item></channel></rss>`), "")
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Items[0].Title; got != "It’s “ok”" {
		t.Errorf("title = %q", got)
	}
}

func TestFixCharsLeavesCleanTextAlone(t *testing.T) {
	in := []byte("clean\ttext\r\nwith ünïcödé and ’quotes’ \uFFFD")
	if out := fixChars(in); &out[0] != &in[0] {
		t.Error("clean text was copied")
	}
	bad := []byte("a\x01b\xffc\u0092d\uFFFEe")
	if got, want := string(fixChars(bad)), "a b\uFFFDc’d\uFFFDe"; got != want {
		t.Errorf("fixChars = %q, want %q", got, want)
	}
}
