package store

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/triagebot/triagebot/news"
)

// checkFeedRecord holds encodeFeedRecord to json.Marshal and
// decodeFeedRecord to json.Unmarshal for rec, and reports whether the
// decoder's fast path read it.
func checkFeedRecord(t *testing.T, rec news.FeedRecord) (fast bool) {
	t.Helper()
	want, werr := json.Marshal(rec)
	got, gerr := encodeFeedRecord(&rec)
	if (werr == nil) != (gerr == nil) || !bytes.Equal(got, want) {
		t.Errorf("encodeFeedRecord differs from json.Marshal\n got %s (%v)\nwant %s (%v)", got, gerr, want, werr)
	}
	if werr != nil {
		return false
	}
	return checkDecodeFeedRecord(t, want)
}

// checkDecodeFeedRecord holds decodeFeedRecord to json.Unmarshal on raw.
func checkDecodeFeedRecord(t *testing.T, raw []byte) (fast bool) {
	t.Helper()
	var want, got news.FeedRecord
	werr := json.Unmarshal(raw, &want)
	gerr := decodeFeedRecord(raw, &got)
	if (werr == nil) != (gerr == nil) || !reflect.DeepEqual(got, want) {
		t.Errorf("decodeFeedRecord(%s) differs from json.Unmarshal\n got %+v (%v)\nwant %+v (%v)", raw, got, gerr, want, werr)
	}
	fastRec, fast := parseFeedRecord(raw)
	if fast && (werr != nil || !reflect.DeepEqual(fastRec, want)) {
		t.Errorf("parseFeedRecord(%s) read %+v, json.Unmarshal %+v (%v)", raw, fastRec, want, werr)
	}
	return fast
}

func TestFeedRecordJSONIsEncodingJSON(t *testing.T) {
	t0 := time.Date(2026, 11, 24, 9, 30, 0, 123456789, time.UTC)
	full := news.FeedRecord{
		Feed: news.Feed{Name: "Feed <1>", URL: "https://e.com/rss?a=1&b=2", Kind: news.KindPaper, Weight: 1.5, Interval: 90 * time.Minute, Lang: "zh"},
		State: news.FeedState{ETag: `W/"abc"`, LastModified: "Tue, 24 Nov 2026 09:30:00 GMT", NextCheck: t0.Add(time.Hour),
			LastCheck: t0, LastSuccess: t0.In(time.FixedZone("", -5*3600)), LastNew: 12, Failures: 2, LastError: "feeds: HTTP 503",
			Disabled: true, DisabledWhy: "gone", DisabledAt: t0, FromConfig: true, Removed: true},
	}
	cases := map[string]news.FeedRecord{
		"zero":        {},
		"full":        full,
		"as polled":   {Feed: news.Feed{Name: "feed 12", URL: "http://127.0.0.1:8080/12.xml", Kind: news.KindNews}, State: news.FeedState{LastModified: "Tue, 24 Nov 2026 09:30:00 GMT", NextCheck: t0, LastCheck: t0, LastSuccess: t0, LastNew: 50, FromConfig: true}},
		"etag only":   {State: news.FeedState{ETag: `"1"`}},
		"tiny weight": {Feed: news.Feed{Weight: 1e-9}},
		"huge weight": {Feed: news.Feed{Weight: 1e300}},
		"neg weight":  {Feed: news.Feed{Weight: -0.25}},
		"neg values":  {Feed: news.Feed{Interval: -time.Second}, State: news.FeedState{LastNew: -1, Failures: math.MinInt}},
		"year 10000":  {State: news.FeedState{NextCheck: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}},
		"local time":  {State: news.FeedState{LastCheck: t0.Local()}},
	}
	for _, s := range jsonEdgeStrings {
		cases["string "+s] = news.FeedRecord{Feed: news.Feed{Name: s, URL: s, Kind: news.Kind(s), Lang: s},
			State: news.FeedState{ETag: s, LastModified: s, LastError: s, DisabledWhy: s}}
	}
	for name, rec := range cases {
		t.Run(name, func(t *testing.T) { checkFeedRecord(t, rec) })
	}
	// The records a poll writes take the fast path, escapes and all.
	if !checkFeedRecord(t, cases["as polled"]) || !checkFeedRecord(t, full) {
		t.Error("a record as json.Marshal writes it was not read by the fast path")
	}
	// What json.Marshal does not write reads as json.Unmarshal reads it.
	for _, raw := range []string{
		`{"url":"u","name":"n","kind":"news","state":{"next_check":"0001-01-01T00:00:00Z","last_check":"0001-01-01T00:00:00Z","last_success":"0001-01-01T00:00:00Z","last_new":0,"failures":0,"disabled_at":"0001-01-01T00:00:00Z"}}`,
		`{"name": "n","url":"u","kind":"news","state":{}}`,
		`{"name":"n","url":"u","kind":"news","state":{"next_check":"0001-01-01T00:00:00Z","last_check":"0001-01-01T00:00:00Z","last_success":"0001-01-01T00:00:00Z","last_new":0,"failures":0,"disabled_at":"0001-01-01T00:00:00Z"}} `,
		`{"name":"n","url":"u","kind":"news","extra":1,"state":{"next_check":"0001-01-01T00:00:00Z","last_check":"0001-01-01T00:00:00Z","last_success":"0001-01-01T00:00:00Z","last_new":0,"failures":0,"disabled_at":"0001-01-01T00:00:00Z"}}`,
		`{"name":"n\u0041","url":"u","kind":"news","state":{"next_check":"0001-01-01T00:00:00Z","last_check":"0001-01-01T00:00:00Z","last_success":"0001-01-01T00:00:00Z","last_new":0,"failures":0,"disabled_at":"0001-01-01T00:00:00Z"}}`,
		`{"name":"n","url":"u","kind":"news","weight":1e3,"state":{"next_check":"0001-01-01T00:00:00Z","last_check":"0001-01-01T00:00:00Z","last_success":"0001-01-01T00:00:00Z","last_new":0,"failures":0,"disabled_at":"0001-01-01T00:00:00Z"}}`,
		`{"name":"n","url":"u","kind":"news","weight":1.50,"state":{"next_check":"0001-01-01T00:00:00Z","last_check":"0001-01-01T00:00:00Z","last_success":"0001-01-01T00:00:00Z","last_new":0,"failures":0,"disabled_at":"0001-01-01T00:00:00Z"}}`,
		`{"name":"n","url":"u","kind":"news","state":{"next_check":"0001-01-01T00:00:00Z","last_check":"0001-01-01T00:00:00Z","last_success":"0001-01-01T00:00:00Z","last_new":1.0,"failures":0,"disabled_at":"0001-01-01T00:00:00Z"}}`,
		`{"name":"n","url":"u","kind":"news","state":{"next_check":"0001-01-01T00:00:00Z","last_check":"0001-01-01T00:00:00Z","last_success":"0001-01-01T00:00:00Z","last_new":-0,"failures":99999999999999999999,"disabled_at":"0001-01-01T00:00:00Z"}}`,
		`{"name":"n","url":"u","kind":"news","state":{"next_check":"2026-13-01T00:00:00Z","last_check":"0001-01-01T00:00:00Z","last_success":"0001-01-01T00:00:00Z","last_new":0,"failures":0,"disabled_at":"0001-01-01T00:00:00Z"}}`,
		`{"name":"n","url":"u","kind":"news","state":{"next_check":"0001-01-01T00:00:00Z","last_check":"0001-01-01T00:00:00Z","last_success":"0001-01-01T00:00:00Z","last_new":0,"failures":0,"disabled_at":"0001-01-01T00:00:00Z"}}}`,
		`{"name":"n","url":"u","kind":"news","state":{"next_check":"0001-01-01T00:00:00Z","last_check":"0001-01-01T00:00:00Z","last_success":"0001-01-01T00:00:00Z","last_new":0,"failures":0,"disabled_at":"0001-01-01T00:00:00Z","from_config":false}}`,
		`{"name":"bad ` + "\xff" + `","url":"u","kind":"news","state":{"next_check":"0001-01-01T00:00:00Z","last_check":"0001-01-01T00:00:00Z","last_success":"0001-01-01T00:00:00Z","last_new":0,"failures":0,"disabled_at":"0001-01-01T00:00:00Z"}}`,
		`{"name":"n","url":"u","kind":"news","state":{"next_check":"0001-01-01T00:00:00Z","last_check":"0001-01-01T00:00:00Z"`,
		`{"name":"\ud83d\ude00 \ud800","url":"u","kind":"news","state":{"next_check":"0001-01-01T00:00:00Z","last_check":"0001-01-01T00:00:00Z","last_success":"0001-01-01T00:00:00Z","last_new":0,"failures":0,"disabled_at":"0001-01-01T00:00:00Z"}}`,
		`{"name":"\u00e9\/\x","url":"u","kind":"news","state":{"next_check":"0001-01-01T00:00:00Z","last_check":"0001-01-01T00:00:00Z","last_success":"0001-01-01T00:00:00Z","last_new":0,"failures":0,"disabled_at":"0001-01-01T00:00:00Z"}}`,
		`{"name":"\u00e","url":"u","kind":"news","state":{}}`,
		`{"name":"n","url":"u","kind":"news","state":{"next_check":"2026-11-24T09:30:00\u005a","last_check":"0001-01-01T00:00:00Z","last_success":"0001-01-01T00:00:00Z","last_new":0,"failures":0,"disabled_at":"0001-01-01T00:00:00Z"}}`,
		`null`, ``,
	} {
		checkDecodeFeedRecord(t, []byte(raw))
	}
	// Decoding into a record that is not empty keeps what the JSON lacks,
	// as json.Unmarshal does.
	raw, _ := json.Marshal(news.FeedRecord{Feed: news.Feed{Name: "n"}})
	got, want := full, full
	if err := decodeFeedRecord(raw, &got); err != nil || json.Unmarshal(raw, &want) != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("into a full record: %+v, json.Unmarshal %+v", got, want)
	}
}

func TestFeedRecordJSONRandomIsEncodingJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	alphabet := []string{"a", "Z", " ", "\"", "\\", "<", "&", "\n", "\x00", "\x7f", "é", "中", "😀", "\u2028", "\xff", "'", "/", "0"}
	str := func() string {
		var b strings.Builder
		for range r.IntN(10) {
			b.WriteString(alphabet[r.IntN(len(alphabet))])
		}
		return b.String()
	}
	when := func() time.Time {
		if r.IntN(4) == 0 {
			return time.Time{}
		}
		zone := time.FixedZone("", (r.IntN(49)-24)*1800)
		return time.Unix(r.Int64N(1<<36)-1<<35, r.Int64N(1e9)*int64(r.IntN(2))).In(zone)
	}
	fast := 0
	for range 3000 {
		rec := news.FeedRecord{
			Feed: news.Feed{Name: str(), URL: str(), Kind: news.Kind(str()), Lang: str(), Interval: time.Duration(r.Int64N(1<<40) - 1<<39)},
			State: news.FeedState{ETag: str(), LastModified: str(), NextCheck: when(), LastCheck: when(), LastSuccess: when(),
				LastNew: r.IntN(200) - 5, Failures: r.IntN(9), LastError: str(), Disabled: r.IntN(2) == 0, DisabledWhy: str(),
				DisabledAt: when(), FromConfig: r.IntN(2) == 0, Removed: r.IntN(2) == 0},
		}
		switch r.IntN(3) {
		case 0:
			rec.Weight = r.Float64() * 4
		case 1:
			rec.Weight = math.Float64frombits(r.Uint64())
		}
		if checkFeedRecord(t, rec) {
			fast++
		}
		if t.Failed() {
			return
		}
	}
	t.Logf("%d of 3,000 random records took the fast path", fast)
	// Only a weight json.Marshal writes with an exponent, or cannot write,
	// leaves the fast path (about a third of the random bit patterns).
	if fast < 1500 {
		t.Errorf("only %d of 3,000 random records took the fast path", fast)
	}
}

// FuzzDecodeFeedRecord: whatever the fast path reads, json.Unmarshal reads
// the same.
func FuzzDecodeFeedRecord(f *testing.F) {
	for _, rec := range []news.FeedRecord{{}, {Feed: news.Feed{Name: "n", Weight: 2.5, Interval: time.Hour}, State: news.FeedState{ETag: "e", Disabled: true, FromConfig: true}}} {
		raw, _ := json.Marshal(rec)
		f.Add(raw)
	}
	f.Fuzz(func(t *testing.T, raw []byte) { checkDecodeFeedRecord(t, raw) })
}
