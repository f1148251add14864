package digest

import (
	"testing"

	"github.com/triagebot/triagebot/news"
)

func TestPlacesConflict(t *testing.T) {
	cases := []struct {
		name     string
		a, b     string
		conflict bool
	}{
		{"two counties", "Measles cases climb to 14 in Lubbock County, officials say", "Measles cases climb to 9 in Wake County schools", true},
		{"a place after a lowercase word", "Bird flu detected in dairy herds from several Fresno farms", "Bird flu detected in dairy herds in Weld County", true},
		{"one place inside the other's", "Crews battle wildfire in Canada's Banff National Park", "Banff wildfire: evacuation orders in Banff National Park in Alberta", false},
		{"the other names the place elsewhere", "Flooding closes roads in Boulder after storms", "Boulder flooding closes roads; residents told to stay home", false},
		{"only one names a place", "Flooding closes roads in Boulder after storms", "Storms bring flooding and road closures", false},
		{"Title Case capitalizes every word after a preposition", "Harris Gains Ground In Polls From Her First Week", "Harris leads in Pennsylvania, trails in Wisconsin", false},
		{"a company is a source, no place", "Leaked memo from OpenAI describes GPT-6 plans", "Leaked memo from Microsoft describes GPT-6 plans", false},
		// Places past ASCII are read whole, as terms reads them: the
		// first letter past ASCII used to end the word ("M" and the ü's
		// first byte) or the place ("Österreich").
		{"two places past ASCII", "Measles cases climb to 14 in München, officials say", "Measles cases climb to 9 in Österreich schools", true},
		{"two places that share letters before an umlaut", "Measles cases climb to 14 in München, officials say", "Measles cases climb to 9 in Mülheim schools", true},
		{"one place past ASCII named elsewhere", "Flooding closes roads in Österreich after storms", "Österreich flooding closes roads; residents told to stay home", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := newGrouper([]*news.Item{{Title: tc.a}, {Title: tc.b}}, GroupOptions{}, nil)
			if got := placesConflict(&g.docs[0], &g.docs[1], g.m.db.placeIDs); got != tc.conflict {
				t.Errorf("placesConflict = %v, want %v", got, tc.conflict)
			}
		})
	}
}

// TestPlacesKeepApartSameTopicStories: reports of one outbreak in two
// places are two stories however much else they share; reports of one
// story in different words, or naming one place in different ways, are
// one.
func TestPlacesKeepApartSameTopicStories(t *testing.T) {
	N := news.KindNews
	cases := []struct {
		name     string
		items    []news.Item
		apart    [][2]string
		together [][]string
	}{
		{"one virus in two counties", []news.Item{
			it("a1", "KXAN", N, "West Nile virus found in mosquito samples in Travis County", "", "https://kxan.example.com/1", news.Other, 0.8, 1),
			it("a2", "Statesman", N, "Travis County mosquito samples test positive for West Nile virus", "", "https://st.example.com/2", news.Other, 0.8, 1.1),
			it("b1", "WRAL", N, "West Nile virus found in mosquito samples in Wake County", "", "https://wral.example.com/3", news.Other, 0.8, 1.2),
		}, [][2]string{{"a1", "b1"}, {"a2", "b1"}}, [][]string{{"a1", "a2"}}},
		{"one launch told two ways", []news.Item{
			it("l1", "The Verge", N, "OpenAI launches GPT-5 in San Francisco event", "", "https://v.example.com/gpt5", news.Product, 0.9, 1),
			it("l2", "Ars", N, "Sam Altman says GPT-5 is here, at an event in San Francisco", "", "https://a.example.com/gpt5", news.Product, 0.9, 1.1),
		}, nil, [][]string{{"l1", "l2"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			items := append(background(), tc.items...)
			ps := make([]*news.Item, len(items))
			for i := range items {
				ps[i] = &items[i]
			}
			story := map[string]int{}
			for s, g := range Group(ps, GroupOptions{}) {
				for _, x := range g {
					story[x.ID] = s
				}
			}
			for _, p := range tc.apart {
				if story[p[0]] == story[p[1]] {
					t.Errorf("%s and %s joined", p[0], p[1])
				}
			}
			for _, ids := range tc.together {
				for _, id := range ids[1:] {
					if story[id] != story[ids[0]] {
						t.Errorf("%s and %s apart", ids[0], id)
					}
				}
			}
		})
	}
}
