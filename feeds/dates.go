package feeds

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
	"github.com/triagebot/triagebot/internal/text"
)

// gofeed parses most feed dates, but reads any zone name it does not know
// (MET, MEST, ET, Etc/GMT) as UTC or not at all, and gives up on a few
// common variants (a comma after the month, GMT-01:01, W3DTF's "2003" and
// "2003-12"). These patterns cover the RFC 822 and ISO 8601 families
// ourselves; gofeed's own result is the fallback for the rest.
var (
	// [Mon,] 13 Feb[,] 2012 [06:28[:00]] [zone]; also RFC 850's 13-Feb-12.
	rfc822Date = regexp.MustCompile(`^(?:[A-Za-z]{2,9}\.?,?\s*)?(\d{1,2})[\s-]+([A-Za-z]{3,9})\.?,?[\s-]+(\d{4}|\d{2})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(.*)$`)
	// 2003-12-31[T10:14[:55[.123]]][zone] and the partial W3DTF forms 2003, 2003-12.
	isoDate = regexp.MustCompile(`^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?)?)?\s*(.*)$`)
	// A numeric offset: +01, -0020, +05:30.
	numericZone = regexp.MustCompile(`^([+-])(\d{1,2}):?(\d{2})?$`)
)

// zoneOffsets are the zone names feeds use, in seconds east of UTC. A few
// are ambiguous (CST, BST); the reading that dominates feeds wins, as in
// gofeed. IST (India, Ireland or Israel) is left out on purpose.
func zoneOffset(name string) (int, bool) {
	const h = 3600
	switch name {
	case "Z", "UT", "UTC", "GMT", "UCT", "ZULU", "WET":
		return 0, true
	case "EST":
		return -5 * h, true
	case "EDT":
		return -4 * h, true
	case "CST":
		return -6 * h, true
	case "CDT":
		return -5 * h, true
	case "MST":
		return -7 * h, true
	case "MDT":
		return -6 * h, true
	case "PST":
		return -8 * h, true
	case "PDT", "AKDT":
		return -7 * h, true
	case "AKST":
		return -9 * h, true
	case "HST":
		return -10 * h, true
	case "AST":
		return -4 * h, true
	case "ADT":
		return -3 * h, true
	case "NST":
		return -(3*h + 30*60), true
	case "NDT":
		return -(2*h + 30*60), true
	case "WEST", "BST", "CET", "MET":
		return 1 * h, true
	case "CEST", "MEST", "EET":
		return 2 * h, true
	case "EEST", "MSK":
		return 3 * h, true
	case "HKT", "SGT", "AWST":
		return 8 * h, true
	case "JST", "KST":
		return 9 * h, true
	case "ACST":
		return 9*h + 30*60, true
	case "AEST":
		return 10 * h, true
	case "AEDT":
		return 11 * h, true
	case "NZST":
		return 12 * h, true
	case "NZDT":
		return 13 * h, true
	}
	return 0, false
}

// usGeneric are the US zone letters without standard/daylight: whether
// daylight time applies follows from the date.
func usGeneric(name string) (std int, ok bool) {
	switch name {
	case "ET":
		return -5 * 3600, true
	case "CT":
		return -6 * 3600, true
	case "MT":
		return -7 * 3600, true
	case "PT":
		return -8 * 3600, true
	}
	return 0, false
}

// usDaylight reports whether US daylight time is in force at a local wall
// time: since 2007 from the second Sunday of March to the first Sunday of
// November, before that from the first Sunday of April to the last Sunday
// of October (both at 02:00).
func usDaylight(y int, m time.Month, d, hour int) bool {
	sunday := func(month time.Month, nth int) int { // nth > 0 from the start, -1 the last
		if nth < 0 {
			last := time.Date(y, month+1, 0, 0, 0, 0, 0, time.UTC)
			return last.Day() - int(last.Weekday())
		}
		first := time.Date(y, month, 1, 0, 0, 0, 0, time.UTC)
		return 1 + (7-int(first.Weekday()))%7 + 7*(nth-1)
	}
	startM, startD, endM, endD := time.March, sunday(time.March, 2), time.November, sunday(time.November, 1)
	if y < 2007 {
		startM, startD, endM, endD = time.April, sunday(time.April, 1), time.October, sunday(time.October, -1)
	}
	at := func(mm time.Month, dd int) int { return (int(mm)*32+dd)*24 + 2 }
	now := (int(m)*32+d)*24 + hour
	return now >= at(startM, startD) && now < at(endM, endD)
}

// parseZone turns the text after a date into an offset from UTC. Empty
// text is UTC, as gofeed reads it. ok is false for a zone we do not know,
// so the caller can fall back to gofeed's reading.
func parseZone(z string, y int, m time.Month, d, hour int) (int, bool) {
	z = strings.TrimSpace(z)
	// "GMT-0700 (MST)": the parenthesized name only repeats the offset.
	if i := strings.IndexByte(z, '('); i > 0 {
		z = strings.TrimSpace(z[:i])
	}
	z = strings.Trim(z, "()")
	if z == "" {
		return 0, true
	}
	u := strings.ToUpper(z)
	if rest, ok := strings.CutPrefix(u, "ETC/"); ok {
		// POSIX zone names count the other way: Etc/GMT+5 is UTC-5.
		for _, p := range []string{"GMT", "UTC", "UCT", "UT"} {
			if r, ok := strings.CutPrefix(rest, p); ok {
				if r == "" || r == "0" || r == "+0" || r == "-0" {
					return 0, true
				}
				off, ok := numericOffset(r)
				return -off, ok
			}
		}
		return zoneOffset(rest)
	}
	for _, p := range []string{"GMT", "UTC", "UT"} {
		if r, ok := strings.CutPrefix(u, p); ok && r != "" && (r[0] == '+' || r[0] == '-') {
			return numericOffset(r)
		}
	}
	if u[0] == '+' || u[0] == '-' {
		return numericOffset(u)
	}
	if std, ok := usGeneric(u); ok {
		if usDaylight(y, m, d, hour) {
			return std + 3600, true
		}
		return std, true
	}
	return zoneOffset(u)
}

func numericOffset(s string) (int, bool) {
	m := numericZone.FindStringSubmatch(s)
	if m == nil {
		return 0, false
	}
	hh, _ := strconv.Atoi(m[2])
	mm := 0
	if m[3] != "" {
		mm, _ = strconv.Atoi(m[3])
	} else if len(m[2]) > 2 {
		return 0, false
	}
	if hh > 14 || mm > 59 {
		return 0, false
	}
	off := hh*3600 + mm*60
	if m[1] == "-" {
		off = -off
	}
	return off, true
}

func monthOf(name string) (time.Month, bool) {
	if len(name) < 3 {
		return 0, false
	}
	switch strings.ToLower(name[:3]) {
	case "jan":
		return time.January, true
	case "feb":
		return time.February, true
	case "mar":
		return time.March, true
	case "apr":
		return time.April, true
	case "may":
		return time.May, true
	case "jun":
		return time.June, true
	case "jul":
		return time.July, true
	case "aug":
		return time.August, true
	case "sep":
		return time.September, true
	case "oct":
		return time.October, true
	case "nov":
		return time.November, true
	case "dec":
		return time.December, true
	}
	return 0, false
}

// parseDate reads the date forms feeds use that gofeed misses or misreads:
// RFC 822 with any zone name or a comma after the month
// ("Mon, 13 Feb, 2012 06:28:00 UTC"), GMT±hh:mm, Etc/GMT±n, US zone
// letters (ET/CT/MT/PT, EST/EDT/…), European names (MET/MEST, CET/CEST),
// two-digit years (RFC 2822: 00–49 are 20xx), W3DTF including the partial
// forms "2003" and "2003-12", and odd offsets such as -00:20.
func parseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	// The two forms nearly every feed uses, without a regexp.
	if t, err := time.Parse(time.RFC1123Z, s); err == nil {
		return t.UTC(), true
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), true
	}
	s = text.OneLine(s)
	var (
		y, d, hh, mm, ss int
		mon              time.Month
		zone             string
	)
	atoi := func(s string) int { n, _ := strconv.Atoi(s); return n }
	if m := isoDate.FindStringSubmatch(s); m != nil {
		y, mon, d = atoi(m[1]), time.January, 1
		if m[2] != "" {
			mon = time.Month(atoi(m[2]))
		}
		if m[3] != "" {
			d = atoi(m[3])
		}
		hh, mm, ss, zone = atoi(m[4]), atoi(m[5]), atoi(m[6]), m[7]
		if m[2] == "" && zone != "" {
			return time.Time{}, false // "2003 something": not a W3DTF year
		}
	} else if m := rfc822Date.FindStringSubmatch(s); m != nil {
		var ok bool
		if mon, ok = monthOf(m[2]); !ok {
			return time.Time{}, false
		}
		d, y = atoi(m[1]), atoi(m[3])
		if len(m[3]) == 2 {
			y += 1900
			if y < 1950 {
				y += 100
			}
		}
		hh, mm, ss, zone = atoi(m[4]), atoi(m[5]), atoi(m[6]), m[7]
	} else {
		return time.Time{}, false
	}
	if y < 1000 || mon < 1 || mon > 12 || d < 1 || d > 31 || hh > 24 || mm > 59 || ss > 60 {
		return time.Time{}, false
	}
	off, ok := parseZone(zone, y, mon, d, hh)
	if !ok {
		return time.Time{}, false
	}
	t := time.Date(y, mon, d, hh, mm, ss, 0, time.FixedZone("", off))
	if t.Day() != d {
		return time.Time{}, false // 31 February
	}
	return t.UTC(), true
}

// readDate is one date field: our own reading of its text first, else
// gofeed's, with a zone name gofeed did not know given its real offset.
func readDate(text string, parsed *time.Time) (time.Time, bool) {
	if t, ok := parseDate(text); ok {
		return t, true
	}
	if parsed == nil || parsed.IsZero() {
		return time.Time{}, false
	}
	t := *parsed
	if name, off := t.Zone(); name != "" {
		if want, ok := zoneOffset(strings.ToUpper(name)); ok && want != off {
			t = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.FixedZone(name, want))
		}
	}
	return t.UTC(), true
}

// extValue is the first value of a namespaced extension element, e.g.
// dcterms:issued.
func extValue(it *gofeed.Item, ns, name string) string {
	for _, e := range it.Extensions[ns][name] {
		if v := strings.TrimSpace(e.Value); v != "" {
			return v
		}
	}
	return ""
}

// dateField reads an entry's i-th date field, in order of preference:
// published (pubDate, Atom published/issued, dcterms:issued,
// dcterms:created, dc:date), then updated (Atom updated/modified,
// dcterms:modified). more is false past the last field.
func dateField(it *gofeed.Item, i int) (t time.Time, ok, more bool) {
	switch i {
	case 0:
		t, ok = readDate(it.Published, it.PublishedParsed)
	case 1:
		t, ok = readDate(extValue(it, "dcterms", "issued"), nil)
	case 2:
		t, ok = readDate(extValue(it, "dcterms", "created"), nil)
	case 3:
		t, ok = readDate(extValue(it, "dc", "date"), nil)
	case 4:
		t, ok = readDate(it.Updated, it.UpdatedParsed)
	case 5:
		t, ok = readDate(extValue(it, "dcterms", "modified"), nil)
	default:
		return time.Time{}, false, false
	}
	return t, ok, true
}

// pickTime chooses the item's date: the first usable field, read only
// when the ones before it gave nothing. A date before 1990 is skipped as
// a placeholder (epoch zero and friends). The first date that is more
// than futureSlack ahead of now makes the item undated, without falling
// through to a later field: a feed that dates an entry 2099 is broken, and
// its other dates are no better.
func pickTime(now time.Time, it *gofeed.Item) (t time.Time, undated bool) {
	for i := 0; ; i++ {
		c, ok, more := dateField(it, i)
		if !more {
			return now.UTC(), true
		}
		if !ok || c.IsZero() || c.Year() < 1990 {
			continue
		}
		if c.After(now.Add(futureSlack)) {
			return now.UTC(), true
		}
		return c, false
	}
}
