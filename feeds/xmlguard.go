package feeds

import (
	"bytes"
	"context"
	"errors"
	"fmt"
)

// Limits of the streaming guard that runs over every XML feed before gofeed
// sees it. gofeed builds a tree (extensions, nested maps) for elements it
// does not know, so a document's cost is in its elements, not its bytes: a
// 14 MB feed of 850,000 nested elements took 1.2 GB and 30 s. The real feeds
// the team captured (32 feeds, 4–228 KB) are at most 4 elements deep, hold
// at most 2,242 elements and put at most 5 attributes on one element; an
// arXiv listing spends about 12 elements a paper.
const (
	// maxXMLDepth: elements nested deeper are dropped with everything inside
	// them; the rest of the feed parses. 16 times the deepest real feed,
	// room for XHTML content.
	maxXMLDepth = 64
	// maxXMLAttrs: an element with more attributes is dropped with its
	// content, like one nested too deep. Real feeds use at most 5.
	maxXMLAttrs = 64
	// maxXMLElements: a feed with more elements (outside dropped ones) is
	// refused. About 90 times the largest real capture; gofeed peaks near
	// 90 MB of heap on 200,000 elements of items.
	maxXMLElements = 200_000
	// MaxEntries: entries (RSS item, Atom entry) past this many are dropped
	// like junk, and a JSON feed with more is refused. A feed's cost grows
	// with its entries, not its bytes: 50,000 small items in 1.5 MB took
	// 13 s and 238 MB to parse, 700,000 JSON items in 10 MB over 1.3 GB.
	// Real feeds carry a few hundred at most (an arXiv listing about 1,000).
	MaxEntries = 10_000
	// guardCheckEvery is how many tags the guard reads between looks at
	// the context, so a cancelled poll stops the scan promptly.
	guardCheckEvery = 4096
)

// ErrTooComplex is returned for a feed whose structure is beyond what any
// real feed needs; it is refused rather than handed to the parser.
var ErrTooComplex = errors.New("feeds: feed refused: too many XML elements (a real feed has far fewer; check that the URL serves the feed you meant)")

type tagKind uint8

const (
	tagStart tagKind = iota // <a>
	tagEmpty                // <a/>
	tagEnd                  // </a>
	tagOther                // comment, CDATA, processing instruction, directive
)

// guardXML scans an XML document the way encoding/xml (non-strict, as
// gofeed runs it) will tokenize it, counting depth, elements and attributes
// as it reads, without building anything. It returns the document with
// junk elements (too deep, too many attributes) cut out — the input itself
// when there are none, which is the common case — or ErrTooComplex. The scan
// needs no memory beyond the names of the open elements (at most
// maxXMLDepth slices of doc) and the list of cuts.
func guardXML(ctx context.Context, doc []byte) ([]byte, error) {
	var (
		open     [maxXMLDepth][]byte // names of the open elements
		depth    int
		elements int
		entries  int
		cuts     [][2]int
		tags     int
	)
	for i := 0; ; {
		j := bytes.IndexByte(doc[i:], '<')
		if j < 0 {
			break
		}
		i += j
		if tags++; tags%guardCheckEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("feeds: parse stopped: %w", err)
			}
		}
		kind, end, name, attrs := scanMarkup(doc, i)
		switch kind {
		case tagStart, tagEmpty:
			tooMany := false
			if depth <= 3 && isEntry(name) { // a feed's own entries, not markup inside content
				entries++
				tooMany = entries > MaxEntries
			}
			if depth >= maxXMLDepth || attrs > maxXMLAttrs || tooMany {
				cutEnd, err := skipElement(ctx, doc, kind, end, name, open[:depth])
				if err != nil {
					return nil, err
				}
				cuts = append(cuts, [2]int{i, cutEnd})
				i = cutEnd
				continue
			}
			if elements++; elements > maxXMLElements {
				return nil, fmt.Errorf("%w: more than %d", ErrTooComplex, maxXMLElements)
			}
			if kind == tagStart {
				open[depth] = name
				depth++
			}
		case tagEnd:
			depth = closeTo(open[:depth], name)
		}
		i = end
	}
	if len(cuts) == 0 {
		return doc, nil
	}
	out := make([]byte, 0, len(doc))
	prev := 0
	for _, c := range cuts {
		out = append(out, doc[prev:c[0]]...)
		prev = c[1]
	}
	return append(out, doc[prev:]...), nil
}

// isEntry reports whether an element is a feed entry: an RSS or RDF item or
// an Atom entry (any namespace prefix).
func isEntry(name []byte) bool {
	if k := bytes.LastIndexByte(name, ':'); k >= 0 {
		name = name[k+1:]
	}
	return string(name) == "item" || string(name) == "entry"
}

// closeTo is the depth after an end tag named name. Like encoding/xml in
// non-strict mode, an end tag closes every element up to the one it names;
// one that names no open element closes the innermost.
func closeTo(open [][]byte, name []byte) int {
	for k := len(open) - 1; k >= 0; k-- {
		if sameLocal(open[k], name) {
			return k
		}
	}
	return max(len(open)-1, 0)
}

// skipElement returns where the junk element whose start tag ends at end
// stops: after its matching end tag, or before an end tag that closes one
// of its open ancestors (a hostile document need not close what it opens),
// or at the end of the document.
func skipElement(ctx context.Context, doc []byte, kind tagKind, end int, root []byte, open [][]byte) (int, error) {
	if kind == tagEmpty {
		return end, nil
	}
	level := 1
	for i, tags := end, 0; ; tags++ {
		j := bytes.IndexByte(doc[i:], '<')
		if j < 0 {
			return len(doc), nil
		}
		i += j
		if tags%guardCheckEvery == guardCheckEvery-1 {
			if err := ctx.Err(); err != nil {
				return 0, fmt.Errorf("feeds: parse stopped: %w", err)
			}
		}
		k, e, name, _ := scanMarkup(doc, i)
		switch k {
		case tagStart:
			level++
		case tagEnd:
			if !sameLocal(name, root) && namesOpen(open, name) {
				return i, nil
			}
			if level--; level == 0 {
				return e, nil
			}
		}
		i = e
	}
}

func namesOpen(open [][]byte, name []byte) bool {
	for _, o := range open {
		if sameLocal(o, name) {
			return true
		}
	}
	return false
}

// sameLocal compares element names by local part, as encoding/xml matches
// end tags when it has no namespace to tell them apart.
func sameLocal(a, b []byte) bool {
	if k := bytes.LastIndexByte(a, ':'); k >= 0 {
		a = a[k+1:]
	}
	if k := bytes.LastIndexByte(b, ':'); k >= 0 {
		b = b[k+1:]
	}
	return bytes.Equal(a, b)
}

// scanMarkup reads the markup starting at doc[i] == '<' with encoding/xml's
// rules and returns its kind, the index just past it, the element name (for
// start and end tags) and the number of attributes. Unterminated markup runs
// to the end of the document.
func scanMarkup(doc []byte, i int) (kind tagKind, end int, name []byte, attrs int) {
	n := len(doc)
	if i+1 >= n {
		return tagOther, n, nil, 0
	}
	switch doc[i+1] {
	case '?':
		return tagOther, indexAfter(doc, i+2, "?>"), nil, 0
	case '!':
		switch {
		case bytes.HasPrefix(doc[i:], []byte("<!--")):
			return tagOther, indexAfter(doc, i+4, "-->"), nil, 0
		case bytes.HasPrefix(doc[i:], []byte("<![CDATA[")):
			return tagOther, indexAfter(doc, i+9, "]]>"), nil, 0
		}
		return tagOther, directiveEnd(doc, i+2), nil, 0
	case '/':
		j := nameEnd(doc, i+2)
		name = doc[i+2 : j]
		k := bytes.IndexByte(doc[j:], '>')
		if k < 0 {
			return tagEnd, n, name, 0
		}
		return tagEnd, j + k + 1, name, 0
	}
	j := nameEnd(doc, i+1)
	name = doc[i+1 : j]
	for j < n {
		switch c := doc[j]; {
		case c == '>':
			return tagStart, j + 1, name, attrs
		case c == '/' && j+1 < n && doc[j+1] == '>':
			return tagEmpty, j + 2, name, attrs
		case isSpace(c):
			j++
			continue
		}
		k := nameEnd(doc, j)
		if k == j {
			j++ // a stray byte: encoding/xml fails here; keep going
			continue
		}
		attrs++
		j = skipSpace(doc, k)
		if j >= n || doc[j] != '=' {
			continue // non-strict: an attribute without a value
		}
		j = skipSpace(doc, j+1)
		if j < n && (doc[j] == '"' || doc[j] == '\'') {
			q := bytes.IndexByte(doc[j+1:], doc[j])
			if q < 0 {
				return tagStart, n, name, attrs
			}
			j += q + 2
		} else {
			j = nameEnd(doc, j) // non-strict: an unquoted value
		}
	}
	return tagStart, n, name, attrs
}

// directiveEnd finds the '>' that closes a <!DOCTYPE …> or other directive
// starting at i, skipping quoted strings, nested <…> and comments, as
// encoding/xml does.
func directiveEnd(doc []byte, i int) int {
	var quote byte
	depth := 0
	for ; i < len(doc); i++ {
		c := doc[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '>':
			if depth == 0 {
				return i + 1
			}
			depth--
		case c == '<':
			if bytes.HasPrefix(doc[i:], []byte("<!--")) {
				i = indexAfter(doc, i+4, "-->") - 1
				continue
			}
			depth++
		}
	}
	return len(doc)
}

func indexAfter(doc []byte, from int, sep string) int {
	if from > len(doc) {
		return len(doc)
	}
	k := bytes.Index(doc[from:], []byte(sep))
	if k < 0 {
		return len(doc)
	}
	return from + k + len(sep)
}

func nameEnd(doc []byte, i int) int {
	for i < len(doc) && nameBytes[doc[i]] {
		i++
	}
	return i
}

// nameBytes marks the bytes a name may hold, as encoding/xml reads them
// (any byte of a multi-byte UTF-8 character counts). A table, because the
// guard looks up every byte of every tag name. Read-only after init.
var nameBytes = func() (t [256]bool) {
	for c := range 256 {
		t[c] = c >= 0x80 || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '_' || c == ':' || c == '.' || c == '-'
	}
	return t
}()

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func skipSpace(doc []byte, i int) int {
	for i < len(doc) && isSpace(doc[i]) {
		i++
	}
	return i
}
