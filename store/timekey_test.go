package store

import (
	"testing"
	"time"

	"github.com/triagebot/triagebot/news"
)

// A cutoff before 1678 or after 2262 is outside what UnixNano holds; the
// time key must clamp it, not wrap it to the other end of the index.
func TestPruneCutoffOutsideNanosecondRange(t *testing.T) {
	cases := []struct {
		name   string
		cutoff time.Time
		want   int
	}{
		{"year 1000 prunes nothing", time.Date(1000, 1, 1, 0, 0, 0, 0, time.UTC), 0},
		{"20000 weeks before 2026 prunes nothing", time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -7*20000), 0},
		{"year 1677 prunes nothing", time.Date(1677, 1, 1, 0, 0, 0, 0, time.UTC), 0},
		{"year 3000 prunes every untagged item", time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC), 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t, t.TempDir())
			defer s.Close()
			if _, err := s.UpsertItems([]news.Item{item(1, "a", t0), item(2, "a", t0.Add(time.Hour))}); err != nil {
				t.Fatal(err)
			}
			n, err := s.Prune(tc.cutoff)
			if err != nil || n != tc.want {
				t.Fatalf("pruned %d, %v; want %d", n, err, tc.want)
			}
		})
	}
}
