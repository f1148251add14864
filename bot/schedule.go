package bot

import (
	"time"

	"github.com/triagebot/triagebot/digest"
)

// DueWeek is the latest week whose digest is due at or before now, and
// when it fell due: the digest of an ISO week is due on the configured
// weekday and time of the following week, in loc.
func DueWeek(now time.Time, loc *time.Location, day time.Weekday, clock time.Duration) (week string, due time.Time) {
	now = now.In(loc)
	midnight := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	back := (int(now.Weekday()) - int(day) + 7) % 7
	due = addClock(midnight.AddDate(0, 0, -back), clock, loc)
	if due.After(now) {
		due = addClock(midnight.AddDate(0, 0, -back-7), clock, loc)
	}
	// The week before the one the due instant falls in.
	week, _, _ = digest.WeekOf(due.AddDate(0, 0, -7), loc)
	return week, due
}

// NextDue is the first due instant after now.
func NextDue(now time.Time, loc *time.Location, day time.Weekday, clock time.Duration) time.Time {
	_, due := DueWeek(now, loc, day, clock)
	return addClock(time.Date(due.Year(), due.Month(), due.Day()+7, 0, 0, 0, 0, loc), clock, loc)
}

// addClock adds a time of day by wall clock, so a DST change does not move
// the digest by an hour.
func addClock(day time.Time, clock time.Duration, loc *time.Location) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day(), int(clock/time.Hour), int(clock%time.Hour/time.Minute), 0, 0, loc)
}
