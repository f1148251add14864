package feeds

import (
	"bytes"
	"encoding/binary"
	"mime"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/wlynxg/chardet"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"
)

// xmlDecl finds the XML declaration and its encoding="…" (group 1: the
// text before the label, group 2: the label).
var xmlDecl = regexp.MustCompile(`^(\s*<\?xml[^>]*?\bencoding\s*=\s*["'])([^"']*)["']`)

// detectSample is how much of an undeclared, non-UTF-8 body the charset
// detector reads: enough text to tell Big5 from GBK or EUC-JP, bounded so a
// large feed costs little.
const detectSample = 64 << 10

// toUTF8 returns the document as UTF-8 that gofeed can read without a
// charset step of its own, decoding leniently: what cannot be decoded
// becomes U+FFFD instead of failing the whole feed. The charset comes from,
// in order: a byte-order mark (UTF-8, UTF-16, UTF-32), the UTF-16/32 shape
// of "<?xml", the XML declaration, the Content-Type charset, else UTF-8 when
// the bytes are mostly valid UTF-8, else a detector (Big5, GBK, EUC-JP,
// Shift_JIS, EUC-KR, Windows-125x, …). Any encoding="…" left in the declaration is
// rewritten to UTF-8 so it is not decoded twice.
func toUTF8(body []byte, contentType string) []byte {
	if enc, n := sniffUnicode(body); enc != nil {
		// The decoders below drop the BOM themselves; n is the length of a
		// UTF-8 BOM, which needs no decoder.
		if enc == encoding.Nop {
			return finish((body[n:]))
		}
		if out, err := enc.NewDecoder().Bytes(body); err == nil {
			return finish((out))
		}
	}
	label := ""
	if m := xmlDecl.FindSubmatch(body[:min(len(body), 512)]); m != nil {
		label = string(m[2])
	} else if _, params, err := mime.ParseMediaType(contentType); err == nil {
		label = params["charset"]
	}
	enc := lookupCharset(label)
	if enc == nil && !utf8Label(label) && !utf8.Valid(body) && !mostlyUTF8(body) {
		enc = detect(body)
	}
	if enc != nil {
		if out, err := enc.NewDecoder().Bytes(body); err == nil {
			return finish((out))
		}
	}
	// UTF-8, declared or assumed; an unknown label is read as UTF-8 too.
	return finish((body))
}

// finish applies the fixes every decoded document gets.
func finish(b []byte) []byte {
	return declareUTF8(fixC1Refs(fixChars(b)))
}

// fixC1Refs rewrites numeric character references to C1 codes (&#146;,
// &#x92;) as the Windows-1252 characters they stand for, as browsers do;
// the XML parser would otherwise turn them into control codes.
func fixC1Refs(b []byte) []byte {
	if !bytes.Contains(b, []byte("&#")) {
		return b
	}
	var out []byte // nil until the first rewrite
	copied := 0
	for i := 0; ; {
		k := bytes.Index(b[i:], []byte("&#"))
		if k < 0 {
			break
		}
		i += k
		r, n := c1Ref(b[i:])
		if n == 0 {
			i += 2
			continue
		}
		if out == nil {
			out = make([]byte, 0, len(b))
		}
		out = append(out, b[copied:i]...)
		out = utf8.AppendRune(out, r)
		i += n
		copied = i
	}
	if out == nil {
		return b
	}
	return append(out, b[copied:]...)
}

// c1Ref reads a reference like &#146; or &#x92; at the start of b and
// returns the Windows-1252 character for it and the reference's length, or
// n == 0 when it is not a reference to a C1 code Windows-1252 defines.
func c1Ref(b []byte) (r rune, n int) {
	i, base := 2, 10
	if i < len(b) && (b[i] == 'x' || b[i] == 'X') {
		i, base = 3, 16
	}
	v, digits := 0, 0
	for ; i < len(b) && digits < 8; i, digits = i+1, digits+1 {
		d := hexVal(b[i])
		if d < 0 || d >= base {
			break
		}
		v = v*base + d
	}
	if digits == 0 || i >= len(b) || b[i] != ';' || v < 0x80 || v > 0x9F {
		return 0, 0
	}
	r = windows1252C1[v-0x80]
	if r == rune(v) {
		return 0, 0 // undefined in Windows-1252: leave it
	}
	return r, i + 1
}

func hexVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// sniffUnicode recognises a byte-order mark, or a document that starts
// with "<" in UTF-16 or UTF-32 without one (XML 1.0, appendix F). It
// returns encoding.Nop and the BOM length for UTF-8.
func sniffUnicode(b []byte) (encoding.Encoding, int) {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		return encoding.Nop, 3
	case bytes.HasPrefix(b, []byte{0x00, 0x00, 0xFE, 0xFF}), bytes.HasPrefix(b, []byte{0, 0, 0, '<'}):
		return utf32.UTF32(utf32.BigEndian, utf32.UseBOM), 0
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE, 0x00, 0x00}), bytes.HasPrefix(b, []byte{'<', 0, 0, 0}):
		return utf32.UTF32(utf32.LittleEndian, utf32.UseBOM), 0
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}), bytes.HasPrefix(b, []byte{0, '<', 0}):
		return unicode.UTF16(unicode.BigEndian, unicode.UseBOM), 0
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}), len(b) >= 4 && b[0] == '<' && b[1] == 0 && b[2] != 0 && b[3] == 0:
		return unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), 0
	}
	return nil, 0
}

// lookupCharset is the decoder for a declared label, nil for UTF-8 and for
// labels nobody knows. Labels follow the WHATWG encoding standard as
// browsers do (ISO-8859-1 decodes as Windows-1252, GB2312 as GBK). A
// UTF-16 or UTF-32 label on a document we could read as ASCII is wrong
// (there was no BOM or UTF-16 shape), so it is read as UTF-8.
func lookupCharset(label string) encoding.Encoding {
	label = strings.ToLower(strings.TrimSpace(label))
	if label == "" || strings.HasPrefix(label, "utf-16") || strings.HasPrefix(label, "utf-32") ||
		strings.HasPrefix(label, "ucs") || strings.HasPrefix(label, "iso-10646") {
		return nil
	}
	enc, name := charset.Lookup(label)
	if enc == nil || name == "utf-8" {
		return nil
	}
	return enc
}

// utf8Label reports whether the document says it is UTF-8.
func utf8Label(label string) bool {
	_, name := charset.Lookup(strings.TrimSpace(label))
	return name == "utf-8"
}

// mostlyUTF8 reports whether b reads as UTF-8 with a few bad bytes: at
// least as many valid multi-byte sequences as invalid bytes. Legacy CJK
// text forms valid UTF-8 only by accident (about one sequence in four to
// ten invalid ones), and Windows-1252 text almost never.
func mostlyUTF8(b []byte) bool {
	valid, invalid := 0, 0
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			invalid++
		} else {
			valid++
		}
		i += n
	}
	return valid >= invalid
}

// detect guesses the charset of a document that does not say (or names a
// charset nobody knows) and is not valid UTF-8. A UTF-8 guess, or no guess,
// returns nil: the bytes are then read as UTF-8 with the bad ones replaced,
// which is right for a UTF-8 feed with one stray byte.
func detect(body []byte) encoding.Encoding {
	r := chardet.Detect(body[:min(len(body), detectSample)])
	if r.Encoding == "" || r.Confidence < 0.3 {
		return nil
	}
	return lookupCharset(r.Encoding)
}

// declareUTF8 rewrites the XML declaration's encoding to UTF-8, so that
// gofeed's own charset step does not decode the converted bytes again.
func declareUTF8(b []byte) []byte {
	m := xmlDecl.FindSubmatchIndex(b[:min(len(b), 512)])
	if m == nil || strings.EqualFold(string(b[m[4]:m[5]]), "utf-8") {
		return b
	}
	out := make([]byte, 0, len(b))
	out = append(out, b[:m[4]]...)
	out = append(out, "UTF-8"...)
	return append(out, b[m[5]:]...)
}

// fixChars makes UTF-8 text safe for encoding/xml, which fails a whole
// document on one bad character: invalid UTF-8 becomes U+FFFD; control
// characters XML forbids become spaces; U+FFFE and U+FFFF become U+FFFD;
// C1 control codes become the Windows-1252 characters they stand for (see
// FixC1). The common case, clean text, is checked in one pass and returned
// as is.
func fixChars(b []byte) []byte {
	if clean(b) {
		return b
	}
	out := make([]byte, 0, len(b)+len(b)/16)
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				c = ' '
			}
			out = append(out, c)
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		switch {
		case r == utf8.RuneError && n == 1, r == 0xFFFE, r == 0xFFFF:
			r = utf8.RuneError
		case r >= 0x80 && r <= 0x9F:
			r = windows1252C1[r-0x80]
		}
		out = utf8.AppendRune(out, r)
		i += n
	}
	return out
}

// clean reports whether fixChars would leave b unchanged. It is on every
// feed's path, so it looks at eight bytes at a time and only goes byte by
// byte through words that hold a candidate.
func clean(b []byte) bool {
	if !utf8.Valid(b) {
		return false
	}
	i := 0
	for ; i+8 <= len(b); i += 8 {
		if plainWord(binary.LittleEndian.Uint64(b[i:])) {
			continue
		}
		for j := i; j < i+8; j++ {
			if special(b, j) {
				return false
			}
		}
	}
	for ; i < len(b); i++ {
		if special(b, i) {
			return false
		}
	}
	return true
}

const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
	lows  = 0x7F7F7F7F7F7F7F7F
)

// plainWord reports whether none of the eight bytes in w can start what
// fixChars changes: no control byte other than tab, LF and CR, and no 0xC2
// or 0xEF (the lead bytes of C1 codes and of U+FFFE/U+FFFF). Exact per
// byte: no carry crosses a byte boundary.
func plainWord(w uint64) bool {
	ascii := ^w & highs
	// (x&0x7F)+0x60 has its high bit set exactly when an ASCII x >= 0x20.
	if below := ^((w & lows) + 0x60*ones) & ascii; below != 0 {
		if below&^(zeroBytes(w^0x09*ones)|zeroBytes(w^0x0A*ones)|zeroBytes(w^0x0D*ones)) != 0 {
			return false
		}
	}
	return ascii == highs || zeroBytes(w^0xC2*ones)|zeroBytes(w^0xEF*ones) == 0
}

// zeroBytes sets the high bit of each byte of w that is zero, and no other.
func zeroBytes(w uint64) uint64 {
	return ^(((w & lows) + lows) | w | lows)
}

// special reports whether b[i] starts what fixChars changes in valid UTF-8:
// a control character XML forbids, a C1 code (0xC2 0x80–0x9F), or U+FFFE
// or U+FFFF (0xEF 0xBF 0xBE–0xBF).
func special(b []byte, i int) bool {
	switch c := b[i]; {
	case c < 0x20:
		return c != '\t' && c != '\n' && c != '\r'
	case c == 0xC2:
		return i+1 < len(b) && b[i+1] <= 0x9F
	case c == 0xEF:
		return i+2 < len(b) && b[i+1] == 0xBF && b[i+2] >= 0xBE
	}
	return false
}
