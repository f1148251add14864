package store

import (
	"encoding/json"
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/triagebot/triagebot/news"
)

// encodeItem is json.Marshal(it), byte for byte, without reflection: the
// stored format stays what it was (encoding/json reads it, older binaries
// included), and a first poll no longer spends 5% of its CPU in
// encoding/json's reflection and buffer growth. Anything this encoder does
// not write the way json.Marshal does (a time outside years 0–9999, a
// confidence that json would print in exponent form or refuse) goes to
// json.Marshal itself. TestEncodeItemIsJSONMarshal holds it to that.
func encodeItem(it *news.Item) ([]byte, error) {
	b, ok := appendItem(make([]byte, 0, itemSize(it)), it)
	if !ok {
		return json.Marshal(it)
	}
	return b, nil
}

// itemSize is a close upper guess of the encoded size, so the buffer is
// allocated once.
func itemSize(it *news.Item) int {
	n := 320 + len(it.ID) + len(it.Key) + len(it.Title) + len(it.Summary) + len(it.URL) + len(it.GUID) +
		len(it.Feed) + len(it.Source) + len(it.ArxivID) + len(it.TaggedBy) + len(it.PickedBy)
	for _, l := range [][]string{it.Categories, it.Authors, it.Pickers} {
		for _, s := range l {
			n += len(s) + 3
		}
	}
	if it.Verdict != nil {
		n += 64
		for _, s := range it.Verdict.Reasons {
			n += len(s) + 3
		}
	}
	return n + n/16 // escapes
}

// appendItem writes the fields in news.Item's declaration order with its
// json tags; ok is false where json.Marshal must decide.
func appendItem(b []byte, it *news.Item) (_ []byte, ok bool) {
	b = append(b, `{"id":`...)
	b = appendJSONString(b, it.ID)
	b = append(b, `,"key":`...)
	b = appendJSONString(b, it.Key)
	b = append(b, `,"title":`...)
	b = appendJSONString(b, it.Title)
	b = appendOmitEmpty(b, `,"summary":`, it.Summary)
	b = appendOmitEmpty(b, `,"url":`, it.URL)
	b = appendOmitEmpty(b, `,"guid":`, it.GUID)
	b = appendOmitEmpty(b, `,"lang":`, it.Lang)
	b = append(b, `,"feed":`...)
	b = appendJSONString(b, it.Feed)
	b = append(b, `,"source":`...)
	b = appendJSONString(b, it.Source)
	b = append(b, `,"source_kind":`...)
	b = appendJSONString(b, string(it.SourceKind))
	if b, ok = appendTime(append(b, `,"published":`...), it.Published); !ok {
		return nil, false
	}
	if b, ok = appendTime(append(b, `,"first_seen":`...), it.FirstSeen); !ok {
		return nil, false
	}
	if it.Undated {
		b = append(b, `,"undated":true`...)
	}
	b = appendOmitEmpty(b, `,"arxiv_id":`, it.ArxivID)
	b = appendOmitEmpty(b, `,"announce_type":`, it.AnnounceType)
	b = appendList(b, `,"categories":`, it.Categories)
	b = appendList(b, `,"authors":`, it.Authors)
	if v := it.Verdict; v != nil {
		b = append(b, `,"verdict":{"label":`...)
		b = appendJSONString(b, string(v.Label))
		b = append(b, `,"confidence":`...)
		if b, ok = appendFloat(b, v.Confidence); !ok {
			return nil, false
		}
		b = appendList(b, `,"reasons":`, v.Reasons)
		b = append(b, '}')
	}
	b = appendOmitEmpty(b, `,"tag":`, string(it.Tag))
	b = appendOmitEmpty(b, `,"tagged_by":`, it.TaggedBy)
	if !it.TaggedAt.IsZero() {
		if b, ok = appendTime(append(b, `,"tagged_at":`...), it.TaggedAt); !ok {
			return nil, false
		}
	}
	if it.Picked {
		b = append(b, `,"picked":true`...)
	}
	b = appendOmitEmpty(b, `,"picked_by":`, it.PickedBy)
	b = appendList(b, `,"pickers":`, it.Pickers)
	if !it.PickedAt.IsZero() {
		if b, ok = appendTime(append(b, `,"picked_at":`...), it.PickedAt); !ok {
			return nil, false
		}
	}
	return append(b, '}'), true
}

func appendOmitEmpty(b []byte, name, s string) []byte {
	if s == "" {
		return b
	}
	return appendJSONString(append(b, name...), s)
}

// appendList writes a []string field tagged omitempty (nil and empty are
// both left out).
func appendList(b []byte, name string, l []string) []byte {
	if len(l) == 0 {
		return b
	}
	b = append(b, name...)
	b = append(b, '[')
	for i, s := range l {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, s)
	}
	return append(b, ']')
}

// appendTime is time.Time's MarshalJSON; ok is false where that fails.
func appendTime(b []byte, t time.Time) ([]byte, bool) {
	b = append(b, '"')
	b, err := t.AppendText(b)
	if err != nil {
		return nil, false
	}
	return append(b, '"'), true
}

// appendFloat is encoding/json's float64 form for the values it prints
// without an exponent; ok is false for the others.
func appendFloat(b []byte, f float64) ([]byte, bool) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return nil, false
	}
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		return nil, false
	}
	return strconv.AppendFloat(b, f, 'f', -1, 64), true
}

// appendJSONString is encoding/json's string encoding with its default
// HTML escaping: ", \ and control characters escaped (\b \f \n \r \t by
// name), <, > and & as \u003c…, invalid UTF-8 as \ufffd, and U+2028 and
// U+2029 escaped.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
