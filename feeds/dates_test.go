package feeds

import (
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
)

func TestParseDateForms(t *testing.T) {
	utc := func(y int, m time.Month, d, h, min, s int) time.Time {
		return time.Date(y, m, d, h, min, s, 0, time.UTC)
	}
	cases := []struct {
		name, in string
		want     time.Time
	}{
		{"comma after the month", "Mon, 13 Feb, 2012 06:28:00 UTC", utc(2012, 2, 13, 6, 28, 0)},
		{"GMT with an odd offset", "Sun, 01 Jan 2012 00:00:00 GMT-01:01", utc(2012, 1, 1, 1, 1, 0)},
		{"GMT+hhmm", "Sun, 01 Jan 2012 12:00:00 GMT+0530", utc(2012, 1, 1, 6, 30, 0)},
		{"Etc/GMT", "Sun, 01 Jan 2012 00:00:00 Etc/GMT", utc(2012, 1, 1, 0, 0, 0)},
		{"Etc/GMT+5 counts the POSIX way", "Sun, 01 Jan 2012 00:00:00 Etc/GMT+5", utc(2012, 1, 1, 5, 0, 0)},
		{"ET in winter is EST", "Sun, 15 Jan 2012 12:00:00 ET", utc(2012, 1, 15, 17, 0, 0)},
		{"ET in summer is EDT", "Sun, 15 Jul 2012 12:00:00 ET", utc(2012, 7, 15, 16, 0, 0)},
		{"CT", "Sun, 15 Jan 2012 12:00:00 CT", utc(2012, 1, 15, 18, 0, 0)},
		{"MT in summer", "Sun, 15 Jul 2012 12:00:00 MT", utc(2012, 7, 15, 18, 0, 0)},
		{"PT in winter", "Thu, 01 Dec 2005 12:00:00 PT", utc(2005, 12, 1, 20, 0, 0)},
		{"PT after the 2007 rule change (March 20)", "Tue, 20 Mar 2007 12:00:00 PT", utc(2007, 3, 20, 19, 0, 0)},
		{"PT before the 2007 rule change (March 20)", "Sun, 20 Mar 2005 12:00:00 PT", utc(2005, 3, 20, 20, 0, 0)},
		{"EST", "Sun, 01 Jan 2012 00:00:00 EST", utc(2012, 1, 1, 5, 0, 0)},
		{"EDT", "Sun, 01 Jul 2012 00:00:00 EDT", utc(2012, 7, 1, 4, 0, 0)},
		{"CST", "Sun, 01 Jan 2012 00:00:00 CST", utc(2012, 1, 1, 6, 0, 0)},
		{"CDT", "Sun, 01 Jul 2012 00:00:00 CDT", utc(2012, 7, 1, 5, 0, 0)},
		{"MST", "Sun, 01 Jan 2012 00:00:00 MST", utc(2012, 1, 1, 7, 0, 0)},
		{"MDT", "Sun, 01 Jul 2012 00:00:00 MDT", utc(2012, 7, 1, 6, 0, 0)},
		{"PST", "Sun, 01 Jan 2012 00:00:00 PST", utc(2012, 1, 1, 8, 0, 0)},
		{"PDT", "Sun, 01 Jul 2012 00:00:00 PDT", utc(2012, 7, 1, 7, 0, 0)},
		{"MET is not UTC", "Sun, 01 Jan 2012 12:00:00 MET", utc(2012, 1, 1, 11, 0, 0)},
		{"MEST is not UTC", "Sun, 01 Jul 2012 12:00:00 MEST", utc(2012, 7, 1, 10, 0, 0)},
		{"W3DTF year", "2003", utc(2003, 1, 1, 0, 0, 0)},
		{"W3DTF year and month", "2003-12", utc(2003, 12, 1, 0, 0, 0)},
		{"W3DTF date", "2003-12-31", utc(2003, 12, 31, 0, 0, 0)},
		{"W3DTF odd offset", "2003-12-31T10:14:55-00:20", utc(2003, 12, 31, 10, 34, 55)},
		{"W3DTF fractional seconds and Z", "2003-12-31T10:14:55.123Z", utc(2003, 12, 31, 10, 14, 55).Add(123 * time.Millisecond)},
		{"W3DTF minutes only", "2003-12-31T10:14+01:00", utc(2003, 12, 31, 9, 14, 0)},
		{"RFC 822 odd offset", "Wed, 31 Dec 2003 10:14:55 -0020", utc(2003, 12, 31, 10, 34, 55)},
		{"two-digit year, 20xx", "Thu, 01 Jan 04 19:48:21 GMT", utc(2004, 1, 1, 19, 48, 21)},
		{"two-digit year, 19xx", "Fri, 01 Jan 99 19:48:21 +0000", utc(1999, 1, 1, 19, 48, 21)},
		{"RFC 850 two-digit year", "Thursday, 01-Jan-04 19:48:21 GMT", utc(2004, 1, 1, 19, 48, 21)},
		{"no weekday, no seconds", "13 Feb 2012 06:28 +0100", utc(2012, 2, 13, 5, 28, 0)},
		{"date only", "13 Feb 2012", utc(2012, 2, 13, 0, 0, 0)},
		{"numeric offset with a name in parentheses", "Mon, 13 Feb 2012 06:28:00 GMT-0700 (MST)", utc(2012, 2, 13, 13, 28, 0)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := parseDate(tc.in)
			if !ok {
				t.Fatalf("parseDate(%q) failed", tc.in)
			}
			if !got.Equal(tc.want) {
				t.Errorf("parseDate(%q) = %s, want %s", tc.in, got, tc.want)
			}
		})
	}
}

func TestParseDateRefusesNonsense(t *testing.T) {
	for _, in := range []string{"", "yesterday", "31 Feb 2012", "2012 06:28", "Mon, 13 Foo 2012", "13 Feb 2012 06:28 XYZ", "2003-13", "2003-12-31T10:14:55+25:00"} {
		if got, ok := parseDate(in); ok {
			t.Errorf("parseDate(%q) = %s, want a refusal", in, got)
		}
	}
}

// TestDatesThroughGofeed runs the forms through gofeed and Normalize, so
// the fallbacks (dcterms, dc:date, zone names gofeed misreads) are the ones
// a poll uses.
func TestDatesThroughGofeed(t *testing.T) {
	day := func(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, time.UTC) }
	rss := func(item string) string {
		return `<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"><channel><title>t</title><link>https://e.com/</link><item><title>x</title><link>https://e.com/x</link>` + item + `</item></channel></rss>`
	}
	atom := func(entry string) string {
		return `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dc="http://purl.org/dc/elements/1.1/"><title>t</title><entry><title>x</title><link href="https://e.com/x"/><id>https://e.com/x</id>` + entry + `</entry></feed>`
	}
	cases := []struct {
		name, body string
		want       time.Time
		undated    bool
	}{
		{"pubDate with MET", rss(`<pubDate>Sun, 01 Jan 2012 12:00:00 MET</pubDate>`), day(2012, 1, 1, 11), false},
		{"pubDate with ET", rss(`<pubDate>Sun, 15 Jan 2012 12:00:00 ET</pubDate>`), day(2012, 1, 15, 17), false},
		{"pubDate with a comma after the month", rss(`<pubDate>Mon, 13 Feb, 2012 06:00:00 UTC</pubDate>`), day(2012, 2, 13, 6), false},
		{"dc:date", rss(`<dc:date>2003-12</dc:date>`), day(2003, 12, 1, 0), false},
		{"dcterms:issued in RSS", rss(`<dcterms:issued>2012-02-13T06:00:00Z</dcterms:issued>`), day(2012, 2, 13, 6), false},
		{"dcterms:modified in RSS", rss(`<dcterms:modified>2012-02-14T06:00:00Z</dcterms:modified>`), day(2012, 2, 14, 6), false},
		{"dcterms:issued before dcterms:modified", rss(`<dcterms:modified>2012-02-14T06:00:00Z</dcterms:modified><dcterms:issued>2012-02-13T06:00:00Z</dcterms:issued>`), day(2012, 2, 13, 6), false},
		{"dcterms:issued in Atom", atom(`<dcterms:issued>2012-02-13T06:00:00Z</dcterms:issued>`), day(2012, 2, 13, 6), false},
		{"Atom 0.3 issued", atom(`<issued>2003-12-31T10:14:55-00:20</issued>`), time.Date(2003, 12, 31, 10, 34, 55, 0, time.UTC), false},
		{"no date at all", rss(``), testNow, true},
		{"unparseable date", rss(`<pubDate>sometime last week</pubDate>`), testNow, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			feed, err := Parse(t.Context(), []byte(tc.body), "")
			if err != nil {
				t.Fatal(err)
			}
			it := Normalize(feed.Items[0], FeedInfo{Name: "f"}, "", testNow)
			if !it.Published.Equal(tc.want) || it.Undated != tc.undated {
				t.Errorf("published %s undated %v, want %s undated %v", it.Published, it.Undated, tc.want, tc.undated)
			}
		})
	}
}

func TestFutureDates(t *testing.T) {
	updated := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	in := func(d time.Duration) *time.Time { t := testNow.Add(d); return &t }
	cases := []struct {
		name    string
		item    gofeed.Item
		want    time.Time
		undated bool
	}{
		// The slack is 48 hours: clocks and zones make a day or two ahead
		// normal, a week ahead is a broken feed.
		{"47 hours ahead is kept", gofeed.Item{PublishedParsed: in(47 * time.Hour)}, testNow.Add(47 * time.Hour), false},
		{"48 hours and a second ahead is first seen", gofeed.Item{PublishedParsed: in(48*time.Hour + time.Second)}, testNow, true},
		{"three days ahead is first seen", gofeed.Item{PublishedParsed: in(72 * time.Hour)}, testNow, true},
		// A feed that dates an entry 2099 is broken; its updated date is no
		// better, so the item is undated rather than dated by it.
		{"2099 with a valid updated date is first seen, not the updated date",
			gofeed.Item{PublishedParsed: ptr(time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC)), UpdatedParsed: &updated}, testNow, true},
		{"published before 1990 falls through to updated",
			gofeed.Item{PublishedParsed: ptr(time.Unix(0, 0).UTC()), UpdatedParsed: &updated}, updated, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.item.Title, tc.item.Link = "t", "https://e.com/t"
			it := Normalize(&tc.item, FeedInfo{Name: "f"}, "", testNow)
			if !it.Published.Equal(tc.want) || it.Undated != tc.undated {
				t.Errorf("published %s undated %v, want %s undated %v", it.Published, it.Undated, tc.want, tc.undated)
			}
		})
	}
}

func TestGofeedZoneNameGetsItsOffset(t *testing.T) {
	// gofeed parses "MET" as a zero offset; the text ours cannot read is
	// left to gofeed, and a zone name we know still gets its offset.
	parsed := time.Date(2012, 1, 1, 12, 0, 0, 0, time.FixedZone("CEST", 0))
	got, ok := readDate("not ours", &parsed)
	if !ok || !got.Equal(time.Date(2012, 1, 1, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("readDate = %v %v", got, ok)
	}
}

func ptr[T any](v T) *T { return &v }

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"Mon, 13 Feb, 2012 06:28:00 UTC", "2003-12", "Thu, 01 Jan 04 19:48:21 Etc/GMT+5", "2003-12-31T10:14:55-00:20", "13-Feb-12 1:2 GMT-01:01", "99 Dec 99 99:99"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := parseDate(s)
		if ok && (got.Location() != time.UTC || got.Year() < 999 || got.Year() > 10000) {
			t.Fatalf("parseDate(%q) = %s", s, got)
		}
	})
}
