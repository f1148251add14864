package store

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/triagebot/triagebot/news"
)

// jsonEdgeStrings are the strings where JSON encoders differ: escapes,
// HTML characters, control bytes, invalid UTF-8, U+2028/2029, DEL.
var jsonEdgeStrings = []string{
	"", "plain", `quote " and \ backslash`, "<b>&amp;</b> > <", "tab\tnewline\ncr\rbs\bff\f",
	"\x00\x01\x1f\x7f", "caf\u00e9 \u4e2d\u6587 \U0001F600", "\u2028line\u2029para", "bad \xff\xfe utf8 \xc3",
	"truncated \xe2\x80", "\ufffd replacement", "/slash/ and 'single'", strings.Repeat("long ", 400),
}

func TestEncodeItemIsJSONMarshal(t *testing.T) {
	t0 := time.Date(2026, 11, 24, 9, 30, 0, 123456789, time.UTC)
	full := news.Item{
		ID: "abcd1234", Key: "url:https://e.com/a?b=1&c=<2>", Title: "T <i>", Summary: "S & s", URL: "https://e.com/a?b=1&c=2",
		GUID: "g\u2028", Lang: "en", Feed: "feed", Source: "Source", SourceKind: news.KindPaper,
		Published: t0, FirstSeen: t0.Add(time.Hour), Undated: true, LegacyKey: "never stored",
		ArxivID: "2611.01234", AnnounceType: "new", Categories: []string{"cs.CL", "cs.LG"}, Authors: []string{"A \"B\"", "C"},
		Verdict: &news.Verdict{Label: news.Research, Confidence: 0.8125, Reasons: []string{"cue: \"paper\"", "kind"}},
		Tag:     news.Product, TaggedBy: "host", TaggedAt: t0.Add(2 * time.Hour), Picked: true, PickedBy: "a, b",
		Pickers: []string{"a", "b"}, PickedAt: t0.Add(3 * time.Hour),
	}
	east := time.FixedZone("", 5*3600+30*60)
	tests := []struct {
		name string
		it   news.Item
	}{
		{"zero", news.Item{}},
		{"every field", full},
		{"empty lists and reasons", news.Item{ID: "x", Categories: []string{}, Authors: []string{}, Pickers: []string{},
			Verdict: &news.Verdict{Label: news.Other, Reasons: []string{}}}},
		{"zone offset and no fraction", news.Item{Published: time.Date(2026, 1, 2, 3, 4, 5, 0, east), FirstSeen: time.Date(1969, 12, 31, 23, 59, 59, 1, time.UTC)}},
		{"monotonic clock reading", news.Item{Published: time.Now(), FirstSeen: time.Now().UTC()}},
		{"year 0 and 9999", news.Item{Published: time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC), FirstSeen: time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC)}},
		{"confidence 1, 0, -0", news.Item{Verdict: &news.Verdict{Confidence: 1}, Tag: news.Other}},
		{"confidence -0", news.Item{Verdict: &news.Verdict{Confidence: math.Copysign(0, -1)}}},
		{"confidence 1e-7 (exponent)", news.Item{Verdict: &news.Verdict{Confidence: 1e-7}}},
		{"confidence 1e21 (exponent)", news.Item{Verdict: &news.Verdict{Confidence: 1e21}}},
		{"confidence just below 1e21", news.Item{Verdict: &news.Verdict{Confidence: 999999999999999900000}}},
		{"confidence 1e-6", news.Item{Verdict: &news.Verdict{Confidence: 1e-6}}},
		{"confidence 1/3", news.Item{Verdict: &news.Verdict{Confidence: 1.0 / 3}}},
	}
	for i, s := range jsonEdgeStrings {
		it := full
		it.Title, it.Summary, it.Authors = s, s+s, []string{s, "x"}
		it.Verdict = &news.Verdict{Label: news.Label(s), Confidence: float64(i) / 7, Reasons: []string{s}}
		tests = append(tests, struct {
			name string
			it   news.Item
		}{"edge string " + string(rune('a'+i)), it})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkEncodeItem(t, &tt.it)
		})
	}
	// Out of json's range: both refuse.
	for _, it := range []news.Item{
		{Published: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)},
		{FirstSeen: time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC)},
		{Verdict: &news.Verdict{Confidence: math.NaN()}},
		{Verdict: &news.Verdict{Confidence: math.Inf(1)}},
	} {
		_, err1 := encodeItem(&it)
		_, err2 := json.Marshal(&it)
		if err1 == nil || err2 == nil {
			t.Errorf("%+v: encodeItem %v, json.Marshal %v; want both to fail", it, err1, err2)
		}
	}
}

// Random items from a fixed seed: strings drawn from an alphabet of the
// characters encoders treat differently.
func TestEncodeItemRandomIsJSONMarshal(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 3))
	alphabet := []string{"a", "Z", " ", "\"", "\\", "<", ">", "&", "\n", "\t", "\x00", "\x1f", "\x7f", "é", "中", "😀", "\u2028", "\u2029", "\xff", "\xe2\x80", "'", "/", "\ufffd"}
	str := func() string {
		var b strings.Builder
		for range r.IntN(12) {
			b.WriteString(alphabet[r.IntN(len(alphabet))])
		}
		return b.String()
	}
	list := func() []string {
		switch r.IntN(3) {
		case 0:
			return nil
		case 1:
			return []string{}
		}
		l := make([]string, 1+r.IntN(3))
		for i := range l {
			l[i] = str()
		}
		return l
	}
	when := func() time.Time {
		if r.IntN(4) == 0 {
			return time.Time{}
		}
		zone := time.FixedZone("", (r.IntN(49)-24)*1800)
		return time.Unix(r.Int64N(1<<36)-1<<35, r.Int64N(1e9)*int64(r.IntN(2))).In(zone)
	}
	for range 3000 {
		it := news.Item{ID: str(), Key: str(), Title: str(), Summary: str(), URL: str(), GUID: str(), Lang: str(),
			Feed: str(), Source: str(), SourceKind: news.Kind(str()), Published: when(), FirstSeen: when(),
			Undated: r.IntN(2) == 0, ArxivID: str(), AnnounceType: str(), Categories: list(), Authors: list(),
			Tag: news.Label(str()), TaggedBy: str(), TaggedAt: when(), Picked: r.IntN(2) == 0, PickedBy: str(),
			Pickers: list(), PickedAt: when()}
		if r.IntN(3) > 0 {
			it.Verdict = &news.Verdict{Label: news.Label(str()), Confidence: r.Float64(), Reasons: list()}
		}
		checkEncodeItem(t, &it)
		if t.Failed() {
			return
		}
	}
}

func FuzzEncodeItem(f *testing.F) {
	for _, s := range jsonEdgeStrings {
		f.Add(s, s+"x", 0.5)
	}
	f.Fuzz(func(t *testing.T, title, summary string, conf float64) {
		it := news.Item{ID: "id", Title: title, Summary: summary, Authors: []string{title},
			Verdict: &news.Verdict{Label: news.Label(summary), Confidence: conf}}
		checkEncodeItem(t, &it)
	})
}

func checkEncodeItem(t *testing.T, it *news.Item) {
	t.Helper()
	want, werr := json.Marshal(it)
	got, gerr := encodeItem(it)
	if (werr == nil) != (gerr == nil) || !bytes.Equal(got, want) {
		t.Errorf("encodeItem differs from json.Marshal\n got %s (%v)\nwant %s (%v)", got, gerr, want, werr)
	}
}
