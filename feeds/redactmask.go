package feeds

import (
	"bytes"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxDecodes bounds how many layers of escapes maskSecrets undoes: a
// Location that carries the feed URL in a parameter (a login page's
// ?next=%2Frss%3Fkey%3D…) escapes it once more, and %q once more again.
const maxDecodes = 3

// maskSecrets replaces with *** every value of secrets that text quotes,
// in any of the forms a server or net/http may have re-encoded it to:
// percent-escaped any way (or a layer deeper, as a parameter of a
// Location), "+" for a space, with %q's backslash escapes, and with the
// parameter's name in any case. It reads text through each layer of
// decoding in turn and maps what it finds back to the bytes of text, so
// the rest shows as written. After a parameter's name it hides whatever
// follows up to a stop, and at least the whole known value even when
// that holds a stop (a ";" or a quote the server decoded); a value
// alone, without its name, goes when it is long enough (4 bytes) not to
// garble the text and is not part of the host, which must stay readable.
func maskSecrets(text string, secrets []secretValue, host string) string {
	if len(secrets) == 0 || text == "" {
		return text
	}
	v := identityView(text)
	var spans [][2]int
	for layer := 0; ; layer++ {
		spans = v.find(spans, secrets, host)
		if layer == maxDecodes {
			break
		}
		next, changed := v.decode()
		if !changed {
			break
		}
		v = next
	}
	if len(spans) == 0 {
		return text
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i][0] < spans[j][0] })
	var b strings.Builder
	last := 0
	for i := 0; i < len(spans); {
		from, to := spans[i][0], spans[i][1]
		for i++; i < len(spans) && spans[i][0] <= to; i++ {
			to = max(to, spans[i][1])
		}
		b.WriteString(text[last:from])
		b.WriteString("***")
		last = to
	}
	b.WriteString(text[last:])
	return b.String()
}

// textView is text read through some layers of decoding: b[i] came from
// text[start[i]:end[i]].
type textView struct {
	b          []byte
	start, end []int
}

func identityView(text string) textView {
	v := textView{b: []byte(text), start: make([]int, len(text)), end: make([]int, len(text))}
	for i := 0; i < len(text); i++ {
		v.start[i], v.end[i] = i, i+1
	}
	return v
}

// decode undoes one layer of %XX escapes and of Go's quoting escapes
// (\", \\, \xHH, \uHHHH, …) and reports whether there was any.
func (v textView) decode() (textView, bool) {
	out := textView{b: make([]byte, 0, len(v.b)), start: make([]int, 0, len(v.b)), end: make([]int, 0, len(v.b))}
	changed := false
	for i := 0; i < len(v.b); {
		n, bs := 1, v.b[i:i+1]
		switch {
		case v.b[i] == '%' && i+2 < len(v.b) && ishex(v.b[i+1]) && ishex(v.b[i+2]):
			n, bs = 3, []byte{unhex(v.b[i+1])<<4 | unhex(v.b[i+2])}
		case v.b[i] == '\\' && i+1 < len(v.b):
			s := string(v.b[i:min(i+10, len(v.b))])
			r, multi, tail, err := strconv.UnquoteChar(s, '"')
			if err != nil {
				r, multi, tail, err = strconv.UnquoteChar(s, '\'')
			}
			if err == nil {
				n = len(s) - len(tail)
				if multi {
					bs = utf8.AppendRune(nil, r)
				} else {
					bs = []byte{byte(r)}
				}
			}
		}
		changed = changed || n > 1
		for _, c := range bs {
			out.b = append(out.b, c)
			out.start = append(out.start, v.start[i])
			out.end = append(out.end, v.end[i+n-1])
		}
		i += n
	}
	return out, changed
}

// find adds to spans the bytes of text that hold a secret in this view.
func (v textView) find(spans [][2]int, secrets []secretValue, host string) [][2]int {
	// ASCII case only: unicode.ToLower can change a rune's length and
	// so the offsets.
	lower := make([]byte, len(v.b))
	for i, c := range v.b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		lower[i] = c
	}
	add := func(from, to int) {
		if from < to {
			spans = append(spans, [2]int{v.start[from], v.end[to-1]})
		}
	}
	for _, s := range secrets {
		if s.name != "" {
			key := []byte(s.name + "=")
			for off := 0; ; {
				i := bytes.Index(lower[off:], key)
				if i < 0 {
					break
				}
				i += off
				off = i + len(key)
				if i > 0 && bytes.IndexByte([]byte("?&;# \t\n\"'("), v.b[i-1]) < 0 {
					continue
				}
				n := bytes.IndexAny(v.b[off:], s.stops)
				if n < 0 {
					n = len(v.b) - off
				}
				n = max(n, matchValue(v.b[off:], s.value))
				add(off, off+n)
				off += n
			}
		}
		if len(s.value) < 4 || strings.Contains(host, s.value) {
			continue
		}
		for off := 0; ; {
			i := bytes.Index(v.b[off:], []byte(s.value))
			if i < 0 {
				break
			}
			add(off+i, off+i+len(s.value))
			off += i + len(s.value)
		}
	}
	return spans
}

// matchValue returns how many bytes at the start of b spell value, a
// "+" standing for a space as a query writes it, or 0.
func matchValue(b []byte, value string) int {
	if len(value) > len(b) {
		return 0
	}
	for i := 0; i < len(value); i++ {
		if b[i] != value[i] && (b[i] != '+' || value[i] != ' ') {
			return 0
		}
	}
	return len(value)
}

func ishex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}
