package store

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/triagebot/triagebot/news"
)

// Records the fast path reads although json.Marshal would not write them
// so (or would), and records built to catch it reading differently from
// encoding/json: escapes and unicode, numbers at and past their limits,
// fields present with their zero value, missing, unknown, repeated or in
// another case, null, and invalid UTF-8. checkDecodeFeedRecord holds every
// one to json.Unmarshal; fast says whether the fast path must read it
// (nil: either way).
func TestFeedRecordStrictReaderAgainstEncodingJSON(t *testing.T) {
	const tm = `"0001-01-01T00:00:00Z"`
	rec := func(feed, state string) string {
		return `{"name":"n","url":"u","kind":"news"` + feed + `,"state":{` + state + `}}`
	}
	std := `"next_check":` + tm + `,"last_check":` + tm + `,"last_success":` + tm + `,"last_new":0,"failures":0,"disabled_at":` + tm
	withState := func(before, after string) string { return rec("", before+std+after) }
	yes, no := true, false
	cases := []struct {
		name string
		raw  string
		fast *bool
	}{
		{"as written", rec("", std), &yes},
		// Strings.
		{"NUL escape", strings.Replace(rec("", std), `"n"`, `"a\u0000b"`, 1), &yes},
		{"upper-case hex escape", strings.Replace(rec("", std), `"n"`, `"\u00E9\u00e9"`, 1), &yes},
		{"escaped solidus and named escapes", strings.Replace(rec("", std), `"n"`, `"\/\b\f\n\r\t\"\\"`, 1), &yes},
		{"raw U+2028 and HTML characters", strings.Replace(rec("", std), `"n"`, "\"\u2028<&>\"", 1), &yes},
		{"escaped backslash before the quote", strings.Replace(rec("", std), `"n"`, `"a\\"`, 1), &yes},
		{"surrogate pair", strings.Replace(rec("", std), `"n"`, `"\ud83d\ude00"`, 1), &no},
		{"lone low surrogate", strings.Replace(rec("", std), `"n"`, `"\udc00"`, 1), &no},
		{"short escape", strings.Replace(rec("", std), `"n"`, `"\u12"`, 1), &no},
		{"escape with a sign", strings.Replace(rec("", std), `"n"`, `"\u+123"`, 1), &no},
		{"escape of a non-ASCII byte", strings.Replace(rec("", std), `"n"`, "\"\\\u00e9\"", 1), &no},
		{"raw DEL", strings.Replace(rec("", std), `"n"`, "\"\x7f\"", 1), &yes},
		{"raw tab", strings.Replace(rec("", std), `"n"`, "\"\t\"", 1), &no},
		{"invalid UTF-8", strings.Replace(rec("", std), `"n"`, "\"\xc3\x28\"", 1), &no},
		{"overlong UTF-8", strings.Replace(rec("", std), `"n"`, "\"\xc0\xaf\"", 1), &no},
		{"UTF-8 surrogate", strings.Replace(rec("", std), `"n"`, "\"\xed\xa0\x80\"", 1), &no},
		{"unterminated string", `{"name":"n`, &no},
		{"backslash at the end", `{"name":"n\`, &no},
		// Numbers.
		{"weight zero written", rec(`,"weight":0`, std), &yes},
		{"weight minus zero", rec(`,"weight":-0`, std), &yes},
		{"weight smallest plain", rec(`,"weight":0.000001`, std), &yes},
		{"weight with exponent", rec(`,"weight":1e-7`, std), &no},
		{"weight 1e21 spelled out", rec(`,"weight":1000000000000000000000`, std), &no},
		{"weight just under 1e21", rec(`,"weight":999999999999999900000`, std), nil},
		{"weight too precise", rec(`,"weight":0.10000000000000000001`, std), &no},
		{"weight leading zero", rec(`,"weight":01.5`, std), &no},
		{"weight leading dot", rec(`,"weight":.5`, std), &no},
		{"weight trailing dot", rec(`,"weight":5.`, std), &no},
		{"weight plus sign", rec(`,"weight":+1`, std), &no},
		{"weight huge", rec(`,"weight":1e400`, std), &no},
		{"weight string", rec(`,"weight":"1"`, std), &no},
		{"weight null", rec(`,"weight":null`, std), &no},
		{"interval max int64", rec(`,"interval":9223372036854775807`, std), &yes},
		{"interval min int64", rec(`,"interval":-9223372036854775808`, std), &yes},
		{"interval past int64", rec(`,"interval":9223372036854775808`, std), &no},
		{"interval zero written", rec(`,"interval":0`, std), &yes},
		{"interval fraction", rec(`,"interval":1.5`, std), &no},
		{"interval exponent", rec(`,"interval":1e3`, std), &no},
		{"interval minus zero", rec(`,"interval":-0`, std), &no},
		{"last_new huge", rec("", strings.Replace(std, `"last_new":0`, `"last_new":123456789012345678901234567890`, 1)), &no},
		{"failures negative", rec("", strings.Replace(std, `"failures":0`, `"failures":-3`, 1)), &yes},
		{"failures null", rec("", strings.Replace(std, `"failures":0`, `"failures":null`, 1)), &no},
		// Fields present with their zero value, missing, unknown, repeated.
		{"empty lang written", rec(`,"lang":""`, std), &yes},
		{"empty etag written", withState(`"etag":"",`, ""), &yes},
		{"empty etag and last_modified", withState(`"etag":"","last_modified":"",`, ""), &yes},
		{"last_modified alone", withState(`"last_modified":"x",`, ""), &yes},
		{"empty last_error written", rec("", strings.Replace(std, `"failures":0`, `"failures":0,"last_error":""`, 1)), &yes},
		{"disabled false written", rec("", strings.Replace(std, `"failures":0`, `"failures":0,"disabled":false`, 1)), &no},
		{"from_config false written", withState("", `,"from_config":false`), &no},
		{"removed before from_config", withState("", `,"removed":true,"from_config":true`), &no},
		{"repeated name", `{"name":"a","name":"b","url":"u","kind":"news","state":{` + std + `}}`, &no},
		{"repeated state field", withState("", `,"failures":7`), &no},
		{"repeated state", rec("", std)[:len(rec("", std))-1] + `,"state":{"failures":9}}`, &no},
		{"upper-case key", strings.Replace(rec("", std), `"name"`, `"NAME"`, 1), &no},
		{"unknown key", withState("", `,"x":1`), &no},
		{"missing state field", rec("", strings.Replace(std, `,"failures":0`, "", 1)), &no},
		{"state null", `{"name":"n","url":"u","kind":"news","state":null}`, &no},
		{"name null", strings.Replace(rec("", std), `"n"`, `null`, 1), &no},
		{"time null", rec("", strings.Replace(std, `"next_check":`+tm, `"next_check":null`, 1)), &no},
		{"time with offset", rec("", strings.Replace(std, `"next_check":`+tm, `"next_check":"2026-11-24T09:30:00.5+05:30"`, 1)), &yes},
		{"time with trailing zeros", rec("", strings.Replace(std, `"next_check":`+tm, `"next_check":"2026-11-24T09:30:00.500Z"`, 1)), &yes},
		{"time lower-case z", rec("", strings.Replace(std, `"next_check":`+tm, `"next_check":"2026-11-24T09:30:00z"`, 1)), &no},
		{"time with escape", rec("", strings.Replace(std, `"next_check":`+tm, `"next_check":"2026-11-24T09:30:00\u005A"`, 1)), &no},
		{"time 24:00", rec("", strings.Replace(std, `"next_check":`+tm, `"next_check":"2026-11-24T24:00:00Z"`, 1)), &no},
		{"whitespace", strings.Replace(rec("", std), `,"url"`, ` ,"url"`, 1), &no},
		{"trailing newline", rec("", std) + "\n", &no},
		{"two documents", rec("", std) + rec("", std), &no},
		{"array", `[` + rec("", std) + `]`, &no},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fast := checkDecodeFeedRecord(t, []byte(c.raw))
			if c.fast != nil && fast != *c.fast {
				t.Errorf("fast path read it: %v, want %v", fast, *c.fast)
			}
		})
	}
}

// FuzzEncodeFeedRecord: encodeFeedRecord writes json.Marshal's bytes for
// any strings, weight, interval, counters, flags and times, and the
// decoder reads them back as json.Unmarshal does.
func FuzzEncodeFeedRecord(f *testing.F) {
	f.Add("n", "https://e.com/rss?a=1&b=2", "news", "zh", `W/"e"`, "Tue, 24 Nov 2026", "HTTP 503", "gone", 1.5, int64(90e9), 12, 2, int64(1764000000), int64(5e8), 0, true, false, true)
	f.Add("\xff<\u2028>", "\x00\\\"", "", "", "", "", "", "", math.Copysign(0, -1), int64(-1), -1, 0, int64(-62135596800), int64(0), 330*60, false, true, false)
	f.Fuzz(func(t *testing.T, name, url, kind, lang, etag, lastMod, lastErr, why string, weight float64, interval int64,
		lastNew, failures int, sec, nsec int64, zone int, disabled, fromConfig, removed bool) {
		at := time.Unix(sec, nsec).In(time.FixedZone("", zone))
		rec := news.FeedRecord{
			Feed: news.Feed{Name: name, URL: url, Kind: news.Kind(kind), Weight: weight, Interval: time.Duration(interval), Lang: lang},
			State: news.FeedState{ETag: etag, LastModified: lastMod, NextCheck: at, LastCheck: at.Add(time.Second), LastSuccess: time.Time{},
				LastNew: lastNew, Failures: failures, LastError: lastErr, Disabled: disabled, DisabledWhy: why, DisabledAt: at,
				FromConfig: fromConfig, Removed: removed},
		}
		checkFeedRecord(t, rec)
	})
}
