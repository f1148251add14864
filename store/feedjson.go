package store

import (
	"encoding/json"
	"strconv"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/triagebot/triagebot/news"
)

// Feed records are read three times a poll (the config check at open, the
// due list, the writer's state update) and written once: at 4,000 feeds
// encoding/json's reflection and validation pass were a tenth of a poll in
// which every feed answered 304. encodeFeedRecord writes json.Marshal's
// bytes and decodeFeedRecord reads them without reflection; anything else
// (a record written by another version, fields in another order, a
// surrogate escape, a number in another form) goes to encoding/json. TestFeedRecordJSONIsEncodingJSON and
// FuzzDecodeFeedRecord hold both to encoding/json.

// encodeFeedRecord is json.Marshal(rec), byte for byte.
func encodeFeedRecord(rec *news.FeedRecord) ([]byte, error) {
	b, ok := appendFeedRecord(make([]byte, 0, 384+len(rec.Name)+len(rec.URL)+len(rec.State.ETag)+
		len(rec.State.LastModified)+len(rec.State.LastError)+len(rec.State.DisabledWhy)), rec)
	if !ok {
		return json.Marshal(rec)
	}
	return b, nil
}

// appendFeedRecord writes the fields in declaration order with their json
// tags (Feed's promoted from the embedded struct); ok is false where
// json.Marshal must decide.
func appendFeedRecord(b []byte, rec *news.FeedRecord) (_ []byte, ok bool) {
	b = appendJSONString(append(b, `{"name":`...), rec.Name)
	b = appendJSONString(append(b, `,"url":`...), rec.URL)
	b = appendJSONString(append(b, `,"kind":`...), string(rec.Kind))
	if rec.Weight != 0 {
		if b, ok = appendFloat(append(b, `,"weight":`...), rec.Weight); !ok {
			return nil, false
		}
	}
	if rec.Interval != 0 {
		b = strconv.AppendInt(append(b, `,"interval":`...), int64(rec.Interval), 10)
	}
	b = appendOmitEmpty(b, `,"lang":`, rec.Lang)
	st := &rec.State
	b = append(b, `,"state":{`...)
	first := true
	field := func(name string) {
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, name...)
	}
	if st.ETag != "" {
		field(`"etag":`)
		b = appendJSONString(b, st.ETag)
	}
	if st.LastModified != "" {
		field(`"last_modified":`)
		b = appendJSONString(b, st.LastModified)
	}
	for _, t := range []struct {
		name string
		t    time.Time
	}{{`"next_check":`, st.NextCheck}, {`"last_check":`, st.LastCheck}, {`"last_success":`, st.LastSuccess}} {
		field(t.name)
		if b, ok = appendTime(b, t.t); !ok {
			return nil, false
		}
	}
	b = strconv.AppendInt(append(b, `,"last_new":`...), int64(st.LastNew), 10)
	b = strconv.AppendInt(append(b, `,"failures":`...), int64(st.Failures), 10)
	b = appendOmitEmpty(b, `,"last_error":`, st.LastError)
	if st.Disabled {
		b = append(b, `,"disabled":true`...)
	}
	b = appendOmitEmpty(b, `,"disabled_why":`, st.DisabledWhy)
	if b, ok = appendTime(append(b, `,"disabled_at":`...), st.DisabledAt); !ok {
		return nil, false
	}
	if st.FromConfig {
		b = append(b, `,"from_config":true`...)
	}
	if st.Removed {
		b = append(b, `,"removed":true`...)
	}
	return append(b, "}}"...), true
}

// decodeFeedRecord is json.Unmarshal(raw, rec).
func decodeFeedRecord(raw []byte, rec *news.FeedRecord) error {
	if *rec == (news.FeedRecord{}) { // json.Unmarshal keeps what a record lacks
		if r, ok := parseFeedRecord(raw); ok {
			*rec = r
			return nil
		}
	}
	return json.Unmarshal(raw, rec)
}

// parseFeedRecord reads exactly what appendFeedRecord writes; ok is false
// for anything else.
func parseFeedRecord(raw []byte) (rec news.FeedRecord, ok bool) {
	p := jsonScan{b: raw, ok: true}
	p.lit(`{"name":`)
	rec.Name = p.str()
	p.lit(`,"url":`)
	rec.URL = p.str()
	p.lit(`,"kind":`)
	rec.Kind = news.Kind(p.str())
	if p.opt(`,"weight":`) {
		rec.Weight = p.float()
	}
	if p.opt(`,"interval":`) {
		rec.Interval = time.Duration(p.int())
	}
	if p.opt(`,"lang":`) {
		rec.Lang = p.str()
	}
	p.lit(`,"state":{`)
	st := &rec.State
	sep := ""
	if p.opt(`"etag":`) {
		st.ETag, sep = p.str(), ","
	}
	if p.opt(sep + `"last_modified":`) {
		st.LastModified, sep = p.str(), ","
	}
	p.lit(sep + `"next_check":`)
	st.NextCheck = p.time()
	p.lit(`,"last_check":`)
	st.LastCheck = p.time()
	p.lit(`,"last_success":`)
	st.LastSuccess = p.time()
	p.lit(`,"last_new":`)
	st.LastNew = int(p.int())
	p.lit(`,"failures":`)
	st.Failures = int(p.int())
	if p.opt(`,"last_error":`) {
		st.LastError = p.str()
	}
	st.Disabled = p.opt(`,"disabled":true`)
	if p.opt(`,"disabled_why":`) {
		st.DisabledWhy = p.str()
	}
	p.lit(`,"disabled_at":`)
	st.DisabledAt = p.time()
	st.FromConfig = p.opt(`,"from_config":true`)
	st.Removed = p.opt(`,"removed":true`)
	p.lit(`}}`)
	return rec, p.ok && p.i == len(p.b)
}

// jsonScan reads a JSON document of a known shape; the first mismatch
// clears ok, and every later read is then a no-op.
type jsonScan struct {
	b  []byte
	i  int
	ok bool
}

func (p *jsonScan) lit(s string) {
	if !p.opt(s) {
		p.ok = false
	}
}

// opt consumes s if it comes next.
func (p *jsonScan) opt(s string) bool {
	if !p.ok || len(p.b)-p.i < len(s) || string(p.b[p.i:p.i+len(s)]) != s {
		return false
	}
	p.i += len(s)
	return true
}

// rawStr is a string's bytes between its quotes, and whether it has
// escapes; ok is cleared for control bytes and invalid UTF-8 (which
// json.Unmarshal would refuse or replace).
func (p *jsonScan) rawStr() (s []byte, escaped bool) {
	if !p.ok || p.i >= len(p.b) || p.b[p.i] != '"' {
		p.ok = false
		return nil, false
	}
	start := p.i + 1
	for j := start; j < len(p.b); j++ {
		switch c := p.b[j]; {
		case c == '"':
			p.i = j + 1
			s := p.b[start:j]
			if !utf8.Valid(s) {
				p.ok = false
				return nil, false
			}
			return s, escaped
		case c == '\\':
			escaped = true
			j++ // the escaped byte (a quote) does not end the string
		case c < 0x20:
			p.ok = false
			return nil, false
		}
	}
	p.ok = false
	return nil, false
}

// str reads a string as json.Unmarshal does, for the escapes json.Marshal
// writes (\" \\ \n \r \t \b \f \/ and \u of a character outside the
// surrogates); ok is cleared for a surrogate escape.
func (p *jsonScan) str() string {
	s, escaped := p.rawStr()
	if !escaped {
		return string(s)
	}
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			out = append(out, c)
			continue
		}
		if i++; i == len(s) {
			p.ok = false
			return ""
		}
		switch s[i] {
		case '"', '\\', '/':
			out = append(out, s[i])
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, err := strconv.ParseUint(string(s[min(i+1, len(s)):min(i+5, len(s))]), 16, 32)
			if err != nil || i+5 > len(s) || utf16.IsSurrogate(rune(r)) {
				p.ok = false
				return ""
			}
			out = utf8.AppendRune(out, rune(r))
			i += 4
		default:
			p.ok = false
			return ""
		}
	}
	return string(out)
}

// time reads a time as time.Time's UnmarshalJSON does.
func (p *jsonScan) time() time.Time {
	start := p.i
	p.rawStr() // UnmarshalJSON refuses escapes itself
	var t time.Time
	if !p.ok || t.UnmarshalJSON(p.b[start:p.i]) != nil {
		p.ok = false
	}
	return t
}

// number is the next number's text, which the caller checks is in the
// one form json.Marshal writes for its value.
func (p *jsonScan) number() []byte {
	start := p.i
	for p.ok && p.i < len(p.b) {
		c := p.b[p.i]
		if (c < '0' || c > '9') && c != '-' && c != '.' && c != 'e' && c != 'E' && c != '+' {
			break
		}
		p.i++
	}
	if p.i == start {
		p.ok = false
	}
	return p.b[start:p.i]
}

func (p *jsonScan) int() int64 {
	s := p.number()
	n, err := strconv.ParseInt(string(s), 10, 64)
	if !p.ok || err != nil || n < minInt || n > maxInt || string(strconv.AppendInt(nil, n, 10)) != string(s) {
		p.ok = false
	}
	return n
}

// The range of int, which LastNew and Failures are.
const (
	maxInt = int64(^uint(0) >> 1)
	minInt = -maxInt - 1
)

func (p *jsonScan) float() float64 {
	s := p.number()
	f, err := strconv.ParseFloat(string(s), 64)
	if !p.ok || err != nil {
		p.ok = false
		return 0
	}
	if b, ok := appendFloat(nil, f); !ok || string(b) != string(s) {
		p.ok = false
	}
	return f
}
