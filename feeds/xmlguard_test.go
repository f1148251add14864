package feeds

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// nestedFeed is the hostile feed of issue 8: a normal item, then an item
// holding depth nested elements (about 17 bytes each, so 850,000 of them
// make 14 MB).
func nestedFeed(depth int) []byte {
	var b bytes.Buffer
	b.Grow(depth*17 + 512)
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:deep="urn:deep"><channel><title>Deep</title>`)
	b.WriteString(`<item><title>Normal item before the deep one</title><link>https://deep.example.com/1</link><guid>deep-1</guid></item>`)
	b.WriteString(`<item><title>Item with nested elements</title><link>https://deep.example.com/2</link><guid>deep-2</guid>`)
	for range depth {
		b.WriteString("<deep:n>")
	}
	for range depth {
		b.WriteString("</deep:n>")
	}
	b.WriteString(`</item><item><title>Item after the deep one</title><link>https://deep.example.com/3</link></item></channel></rss>`)
	return b.Bytes()
}

// wideFeed holds n sibling elements inside one item.
func wideFeed(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`<rss version="2.0" xmlns:w="urn:w"><channel><title>Wide</title><item><title>a</title><link>https://w.example.com/1</link>`)
	for range n {
		b.WriteString("<w:n>x</w:n>")
	}
	b.WriteString(`</item></channel></rss>`)
	return b.Bytes()
}

// measure runs fn and reports the bytes it allocated and how long it took.
// Allocation is an upper bound on the heap fn can have held at its peak.
func measure(fn func()) (allocated uint64, took time.Duration) {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	fn()
	took = time.Since(start)
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc, took
}

// The issue-8 feed: 850,000 nested elements in 14 MB took gofeed 1.2 GB and
// 30 s. The guard drops the nesting and keeps the items around it.
func TestGuardNestedFeed(t *testing.T) {
	body := nestedFeed(850_000)
	if len(body) < 14_000_000 {
		t.Fatalf("test feed is %d bytes, want about 14 MB", len(body))
	}
	var (
		titles []string
		err    error
	)
	allocated, took := measure(func() {
		f, perr := Parse(t.Context(), body, "application/rss+xml")
		if err = perr; perr == nil {
			for _, it := range f.Items {
				titles = append(titles, it.Title)
			}
		}
	})
	t.Logf("850,000 nested elements, %d bytes: %s, %d MB allocated", len(body), took, allocated>>20)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	want := []string{"Normal item before the deep one", "Item with nested elements", "Item after the deep one"}
	if strings.Join(titles, "|") != strings.Join(want, "|") {
		t.Errorf("titles = %q, want %q", titles, want)
	}
	if allocated > 100<<20 {
		t.Errorf("allocated %d MB; the nesting must not reach gofeed (target: well under 300 MB)", allocated>>20)
	}
	if took > 10*time.Second {
		t.Errorf("took %s, want well under 10 s", took)
	}
}

func TestGuardRefusesTooManyElements(t *testing.T) {
	body := wideFeed(maxXMLElements + 1000)
	var err error
	allocated, took := measure(func() { _, err = Parse(t.Context(), body, "") })
	t.Logf("%d sibling elements: %s, %d MB allocated", maxXMLElements+1000, took, allocated>>20)
	if !errors.Is(err, ErrTooComplex) {
		t.Fatalf("err = %v, want ErrTooComplex", err)
	}
	if !strings.Contains(err.Error(), fmt.Sprint(maxXMLElements)) {
		t.Errorf("error %q should name the limit", err)
	}
	if allocated > 16<<20 {
		t.Errorf("allocated %d MB refusing it; the guard must not build anything", allocated>>20)
	}
	// Just under the limit parses.
	if _, err := Parse(t.Context(), wideFeed(maxXMLElements-100), ""); err != nil {
		t.Errorf("a feed under the element limit: %v", err)
	}
}

func TestGuardXML(t *testing.T) {
	deep := func(n int, name string) string {
		return strings.Repeat("<"+name+">", n) + "x" + strings.Repeat("</"+name+">", n)
	}
	manyAttrs := func(n int) string {
		var b strings.Builder
		b.WriteString("<j")
		for i := range n {
			fmt.Fprintf(&b, ` a%d="v"`, i)
		}
		b.WriteString(">junk</j>")
		return b.String()
	}
	cases := []struct {
		name, in, want string
	}{
		{"flat feed unchanged", `<rss><channel><item a="1" b='2'/></channel></rss>`, ""},
		{"at the depth limit unchanged", deep(maxXMLDepth, "d"), ""},
		{"one level too deep: the innermost element goes",
			deep(maxXMLDepth+1, "d"), strings.Repeat("<d>", maxXMLDepth) + strings.Repeat("</d>", maxXMLDepth)},
		{"text after the cut stays",
			"<r>" + deep(maxXMLDepth, "d") + "<after/></r>", "<r>" + strings.Repeat("<d>", maxXMLDepth-1) + strings.Repeat("</d>", maxXMLDepth-1) + "<after/></r>"},
		{"too many attributes: the element goes",
			"<r><ok/>" + manyAttrs(maxXMLAttrs+1) + "<ok/></r>", "<r><ok/><ok/></r>"},
		{"attributes at the limit stay", "<r>" + manyAttrs(maxXMLAttrs) + "</r>", ""},
		{"markup in CDATA, comments and PIs is not markup",
			"<r><![CDATA[" + deep(200, "c") + "]]><!-- " + deep(200, "m") + " --><?pi " + deep(200, "p") + " ?></r>", ""},
		{"'>' in a quoted attribute does not end the tag", `<r><a href="x>y" t='<b>'/></r>`, ""},
		{"DOCTYPE with an internal subset", `<!DOCTYPE r [<!ENTITY e "a>b"><!-- > --><!ELEMENT r ANY>]><r/>`, ""},
		{"unclosed junk inside an item ends where its ancestor closes",
			"<rss><item>" + strings.Repeat("<n>", maxXMLDepth+10) + "</item><item>kept</item></rss>",
			"<rss><item>" + strings.Repeat("<n>", maxXMLDepth-2) + "</item><item>kept</item></rss>"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := guardXML(t.Context(), []byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			want := tc.want
			if want == "" {
				want = tc.in
			}
			if string(got) != want {
				t.Errorf("guardXML:\n got %.300q\nwant %.300q", got, want)
			}
		})
	}
}

// Every committed fixture passes the guard untouched, without a copy.
func TestGuardLeavesFixturesAlone(t *testing.T) {
	paths, _ := filepath.Glob(filepath.Join("testdata", "*.xml"))
	paths2, _ := filepath.Glob(filepath.Join("testdata", "*.atom"))
	for _, p := range append(paths, paths2...) {
		t.Run(filepath.Base(p), func(t *testing.T) {
			body, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			got, err := guardXML(t.Context(), body)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(body) || &got[0] != &body[0] {
				t.Error("the guard changed a normal feed")
			}
		})
	}
}

func TestParseStopsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	for name, body := range map[string][]byte{
		"tiny feed":  []byte(tinyFeed),
		"large feed": wideFeed(50_000),
		"deep feed":  nestedFeed(100_000),
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := Parse(ctx, body, ""); !errors.Is(err, context.Canceled) {
				t.Fatalf("err = %v, want context.Canceled", err)
			}
		})
	}
	// A deadline that passes during the parse stops it as well.
	ctx, cancel = context.WithTimeout(t.Context(), time.Millisecond)
	defer cancel()
	time.Sleep(2 * time.Millisecond)
	if _, err := Parse(ctx, wideFeed(50_000), ""); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want context.DeadlineExceeded", err)
	}
}

// FuzzGuard runs the steps in front of gofeed over arbitrary bytes: never a
// panic, the guard only ever removes bytes, entity expansion stays within
// its bound, and decoding always yields valid UTF-8.
//
//	go test ./feeds/ -run '^$' -fuzz FuzzGuard -fuzztime 1m
func FuzzGuard(f *testing.F) {
	for _, name := range []string{"doctype_entities.xml", "billion_laughs.xml", "atom_html.xml", "utf16le_bom.xml", "big5_undeclared.xml"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add(nestedFeed(100))
	f.Add([]byte(`<a b="1" c='>' d=e f><!DOCTYPE [<!ENTITY x "&x;">]><![CDATA[<x>]]></a>`))
	f.Fuzz(func(t *testing.T, in []byte) {
		data := toUTF8(in, "")
		if !utf8.Valid(data) {
			t.Fatalf("toUTF8 gave invalid UTF-8: %q", data)
		}
		exp := expandEntities(data)
		if len(exp) > len(data)+maxEntityGrowth {
			t.Fatalf("entities grew %d bytes", len(exp)-len(data))
		}
		out, err := guardXML(t.Context(), exp)
		if err == nil && len(out) > len(exp) {
			t.Fatalf("guard grew the document: %d > %d", len(out), len(exp))
		}
	})
}

func TestDeadlineCoversParse(t *testing.T) {
	f := testFetcher(func(o *FetchOptions) { o.Timeout = 20 * time.Millisecond })
	ctx, cancel := f.Deadline(t.Context())
	defer cancel()
	<-ctx.Done() // poll.timeout has passed (a sleep races the timer on a loaded machine)
	if _, err := Parse(ctx, []byte(tinyFeed), ""); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v: a parse after poll.timeout must stop", err)
	}
}

// A context cancelled while gofeed is parsing (past the guard) stops it
// within a read, not at the end of the document.
func TestParseStopsMidParse(t *testing.T) {
	// 10,000 items (the entry cap) of 16 elements, 160,000 in all: under
	// both limits, about 1.5 s of gofeed on the 2-vCPU test machine and
	// 20 ms of guard.
	body := []byte(`<rss version="2.0"><channel><title>t</title>` +
		strings.Repeat(`<item><title>Some title here</title><link>https://e.com/1</link><description>text</description>`+
			strings.Repeat(`<category>c</category>`, 12)+`</item>`, MaxEntries) +
		`</channel></rss>`)
	ctx, cancel := context.WithCancel(t.Context())
	const after = 100 * time.Millisecond
	time.AfterFunc(after, cancel)
	start := time.Now()
	_, err := Parse(ctx, body, "")
	took := time.Since(start)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if took > after+time.Second {
		t.Errorf("stopped %s after the start, %s after the cancel; the parse must stop at its next read", took, took-after)
	}
}
