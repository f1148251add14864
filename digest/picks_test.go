package digest

import (
	"fmt"
	"testing"
	"time"

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

// TestStoryReadsItsItemsBeforeTheLead: a story's pickers, its label and
// its time are read in the order grouping lists its items (of two
// reports published at once, "a" first), not in the order the lead's
// choice leaves them: the hosts' names keep the order they came in, of
// two equally confident verdicts the first report's labels the story,
// and of two equal times in two zones the first report's shows.
func TestStoryReadsItsItemsBeforeTheLead(t *testing.T) {
	a := it("a", "Tech Daily", news.KindNews, "Acme ships Zephyr-9 to developers", "Acme's new model is out.",
		"https://tech.example.com/acme-zephyr-9", news.Product, 0.9, 1)
	b := it("b", "Acme Blog", news.KindBlog, "Introducing Zephyr-9", "Today we release Zephyr-9, as https://tech.example.com/acme-zephyr-9 reported.",
		"https://acme.example.com/blog/zephyr-9", news.Research, 0.9, 1)
	b.Published = a.Published.In(time.FixedZone("UTC+8", 8*3600))
	a.Picked, a.PickedBy = true, "alice"
	b.Picked, b.PickedBy = true, "bob"
	d := build(t, []news.Item{a, b}, nil, Options{Since: since, Until: until, Now: until})
	var got *Story
	for _, sec := range d.Sections {
		for i := range sec.Stories {
			if len(sec.Stories[i].ItemIDs) == 2 {
				got = &sec.Stories[i]
			}
		}
	}
	if got == nil {
		t.Fatalf("the two reports are not one story: %+v", d.Sections)
	}
	if got.ID != "b" {
		t.Fatalf("lead %s, want the maker's own announcement (b)", got.ID)
	}
	if fmt.Sprint(got.PickedBy) != "[alice bob]" || got.Label != news.Product || got.Published.Location() != time.UTC {
		t.Errorf("picked by %v, label %s, published %s; want [alice bob], the first report's product and its UTC time",
			got.PickedBy, got.Label, got.Published)
	}
}
