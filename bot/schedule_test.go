package bot

import (
	"testing"
	"time"
)

func TestDueWeek(t *testing.T) {
	tp, _ := time.LoadLocation("Asia/Taipei")
	ny, _ := time.LoadLocation("America/New_York")
	cases := []struct {
		now      string
		loc      *time.Location
		day      time.Weekday
		clock    time.Duration
		week     string
		due, nxt string
	}{
		// Monday 09:00 Taipei: just after, the previous week is due.
		{"2026-11-30T09:00:00+08:00", tp, time.Monday, 9 * time.Hour, "2026-W48", "2026-11-30 09:00", "2026-12-07 09:00"},
		// A minute before, it is still the week before that.
		{"2026-11-30T08:59:00+08:00", tp, time.Monday, 9 * time.Hour, "2026-W47", "2026-11-23 09:00", "2026-11-30 09:00"},
		// Midweek.
		{"2026-12-03T12:00:00+08:00", tp, time.Monday, 9 * time.Hour, "2026-W48", "2026-11-30 09:00", "2026-12-07 09:00"},
		// Friday 17:30 posting covers the previous ISO week too.
		{"2026-12-04T18:00:00+08:00", tp, time.Friday, 17*time.Hour + 30*time.Minute, "2026-W48", "2026-12-04 17:30", "2026-12-11 17:30"},
		// Across a DST change the wall-clock time holds.
		{"2026-11-02T10:00:00-05:00", ny, time.Monday, 9 * time.Hour, "2026-W44", "2026-11-02 09:00", "2026-11-09 09:00"},
		// Year boundary.
		{"2027-01-04T10:00:00+08:00", tp, time.Monday, 9 * time.Hour, "2026-W53", "2027-01-04 09:00", "2027-01-11 09:00"},
	}
	for _, tc := range cases {
		now, _ := time.Parse(time.RFC3339, tc.now)
		week, due := DueWeek(now, tc.loc, tc.day, tc.clock)
		next := NextDue(now, tc.loc, tc.day, tc.clock)
		if week != tc.week || due.Format("2006-01-02 15:04") != tc.due || next.Format("2006-01-02 15:04") != tc.nxt {
			t.Errorf("%s: %s due %s next %s; want %s %s %s", tc.now, week, due.Format("2006-01-02 15:04"), next.Format("2006-01-02 15:04"), tc.week, tc.due, tc.nxt)
		}
		if due.After(now) || !next.After(now) {
			t.Errorf("%s: due %s, next %s", tc.now, due, next)
		}
	}
}
