package feeds

import (
	"strings"

	"golang.org/x/net/html"
)

// stripSimpleHTML is StripHTML's fast path for the markup most feed
// descriptions carry (<p>, <a href="…">, <br/>, <img …>, entities): it
// gives exactly what the x/net/html tokenizer path gives, without the
// tokenizer's 4 KB buffer and per-token copies (StripHTML was 6% of a
// first poll's CPU). Anything outside a strict subset — comments,
// doctypes, raw-text elements (script, style, title, textarea…), a '<' that
// does not open a well-formed tag, unusual attribute syntax, CR or NUL —
// returns ok=false and the tokenizer handles it. s is valid UTF-8.
func stripSimpleHTML(s string) (out string, ok bool) {
	if strings.ContainsAny(s, "\r\x00") {
		return "", false // the tokenizer rewrites these
	}
	var b strings.Builder
	b.Grow(len(s))
	for len(s) > 0 {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			writeUnescaped(&b, s)
			break
		}
		writeUnescaped(&b, s[:i])
		name, end, closing, ok := simpleTag(s[i:])
		if !ok {
			return "", false
		}
		s = s[i+end:]
		if closing {
			switch name {
			case "p", "div", "li", "h1", "h2", "h3", "h4", "tr", "td", "blockquote":
				b.WriteByte(' ')
			}
			continue
		}
		switch name {
		case "br", "p", "div", "li", "h1", "h2", "h3", "h4", "tr", "td", "img", "blockquote":
			b.WriteByte(' ')
		}
	}
	return b.String(), true
}

// simpleEntities are the entities feed text carries most, with what
// html.UnescapeString makes of each wherever it stands (a name ending in
// ';' is matched whole, so what follows cannot change it).
var simpleEntities = [...]struct{ name, text string }{
	{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&apos;", "'"}, {"&nbsp;", "\u00a0"},
}

// writeUnescaped writes html.UnescapeString(s) to b. A text whose every
// '&' starts one of simpleEntities is decoded here, straight into b;
// any other goes through html.UnescapeString whole, which for a text with
// an entity copies it to bytes and back (1-2% of a first poll's CPU).
func writeUnescaped(b *strings.Builder, s string) {
	i := strings.IndexByte(s, '&')
	if i < 0 {
		b.WriteString(s)
		return
	}
	for j := i; j >= 0; {
		if simpleEntity(s[j:]) < 0 {
			b.WriteString(html.UnescapeString(s))
			return
		}
		k := strings.IndexByte(s[j+1:], '&')
		if k < 0 {
			break
		}
		j += 1 + k
	}
	for i >= 0 {
		b.WriteString(s[:i])
		e := simpleEntities[simpleEntity(s[i:])]
		b.WriteString(e.text)
		s = s[i+len(e.name):]
		i = strings.IndexByte(s, '&')
	}
	b.WriteString(s)
}

// simpleEntity is the index in simpleEntities of the entity s starts
// with, or -1.
func simpleEntity(s string) int {
	for n, e := range simpleEntities {
		if strings.HasPrefix(s, e.name) {
			return n
		}
	}
	return -1
}

// simpleTag reads one tag at the start of s ("<name attrs>", "<name/>",
// "</name>") in a grammar where every tokenizer reads it the same way; it
// returns the lower-case name and the tag's length, or ok=false.
func simpleTag(s string) (name string, end int, closing, ok bool) {
	i := 1
	if i < len(s) && s[i] == '/' {
		closing = true
		i++
	}
	start := i
	for i < len(s) && isASCIIAlnum(s[i]) {
		i++
	}
	if i == start || !isASCIILetter(s[start]) {
		return "", 0, false, false
	}
	name = strings.ToLower(s[start:i])
	switch name {
	case "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript", "plaintext", "math", "svg":
		return "", 0, false, false // raw text or foreign content
	}
	if closing {
		if i < len(s) && s[i] == '>' {
			return name, i + 1, true, true
		}
		return "", 0, false, false
	}
	for {
		sp := i
		for i < len(s) && isHTMLSpace(s[i]) {
			i++
		}
		if i >= len(s) {
			return "", 0, false, false
		}
		switch {
		case s[i] == '>':
			return name, i + 1, false, true
		case s[i] == '/' && i+1 < len(s) && s[i+1] == '>':
			return name, i + 2, false, true
		case i == sp || !isASCIILetter(s[i]):
			return "", 0, false, false // attributes are separated by space and start with a letter
		}
		for i < len(s) && (isASCIIAlnum(s[i]) || s[i] == '-' || s[i] == '_' || s[i] == ':' || s[i] == '.') {
			i++
		}
		if i >= len(s) || s[i] != '=' {
			continue // a key without a value
		}
		i++
		if i >= len(s) {
			return "", 0, false, false
		}
		switch q := s[i]; q {
		case '"', '\'':
			j := strings.IndexByte(s[i+1:], q)
			if j < 0 {
				return "", 0, false, false
			}
			i += j + 2
		default:
			v := i
			for i < len(s) && !isHTMLSpace(s[i]) && !strings.ContainsRune("\"'=<>`", rune(s[i])) {
				i++
			}
			if i == v {
				return "", 0, false, false
			}
		}
		if i < len(s) && !isHTMLSpace(s[i]) && s[i] != '>' && s[i] != '/' {
			return "", 0, false, false
		}
		if i < len(s) && s[i] == '/' && (i+1 >= len(s) || s[i+1] != '>') {
			return "", 0, false, false
		}
	}
}

func isASCIIAlnum(c byte) bool { return isASCIILetter(c) || c >= '0' && c <= '9' }

func isHTMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\f' }
