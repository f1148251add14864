package digest

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// WeekWindow returns the Monday-to-Monday window of an ISO week such as
// "2026-W48" in loc.
func WeekWindow(week string, loc *time.Location) (since, until time.Time, err error) {
	y, w, ok := strings.Cut(strings.ToUpper(strings.TrimSpace(week)), "-W")
	year, err1 := strconv.Atoi(y)
	num, err2 := strconv.Atoi(w)
	if !ok || err1 != nil || err2 != nil || year < 1970 || year > 9999 || num < 1 || num > 53 {
		return since, until, fmt.Errorf("digest: %q is not an ISO week; write it like 2026-W48", week)
	}
	// January 4th is always in week 1.
	jan4 := time.Date(year, 1, 4, 0, 0, 0, 0, loc)
	monday := jan4.AddDate(0, 0, -((int(jan4.Weekday()) + 6) % 7))
	since = monday.AddDate(0, 0, 7*(num-1))
	if y2, w2 := since.ISOWeek(); y2 != year || w2 != num {
		return since, until, fmt.Errorf("digest: %d has no week %d; write a week that exists, like 2026-W48", year, num)
	}
	return since, since.AddDate(0, 0, 7), nil
}

// WeekOf returns the ISO week containing t in loc, as "2026-W48", with its
// window.
func WeekOf(t time.Time, loc *time.Location) (week string, since, until time.Time) {
	t = t.In(loc)
	y, w := t.ISOWeek()
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
	since = day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
	return fmt.Sprintf("%d-W%02d", y, w), since, since.AddDate(0, 0, 7)
}
