package digest

import (
	"fmt"
	"testing"

	"github.com/triagebot/triagebot/news"
)

// TestEveryPickShownBeyondPerSection: per_section caps the research,
// product and other sections, never the hosts' picks (README: "every pick
// is shown").
func TestEveryPickShownBeyondPerSection(t *testing.T) {
	words := []string{"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet",
		"kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo", "sierra", "tango"}
	cases := []struct {
		name       string
		perSection int
		picks      int
	}{
		{"3 picks, per_section 1", 1, 3},
		{"12 picks, per_section 8 (the default)", 8, 12},
		{"20 picks, per_section 2", 2, 20},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var items []news.Item
			for i := range tc.picks {
				x := it(fmt.Sprintf("p%02d", i), "Feed"+words[i], news.KindNews,
					words[i],
					"", fmt.Sprintf("https://%s.example.com/%d", words[i], i), news.Product, 0.9, float64(i%7))
				x.Picked, x.PickedBy = true, "host"
				items = append(items, x)
			}
			d := build(t, items, nil, Options{Since: since, Until: until, Week: "2026-W48", PerSection: tc.perSection, Language: "en", Now: until})
			picked := 0
			for _, sec := range d.Sections {
				if sec.Key == SectionPicked {
					picked = len(sec.Stories)
					if sec.Omitted != 0 {
						t.Errorf("picked section omits %d", sec.Omitted)
					}
				}
			}
			if picked != tc.picks {
				t.Errorf("picked section shows %d stories, want all %d", picked, tc.picks)
			}
		})
	}
}
