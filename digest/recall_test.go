package digest

import (
	"slices"
	"testing"

	"github.com/triagebot/triagebot/news"
)

// groupCase is a batch (added to background()) with the pairs that must
// stay apart and the lists that must be one story.
type groupCase struct {
	name     string
	items    []news.Item
	apart    [][2]string
	together [][]string
}

// checkGroupCases groups each case's items with the background week and
// checks its pairs, and that no item joined a background headline.
func checkGroupCases(t *testing.T, cases []groupCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			items := append(background(), tc.items...)
			groups := Group(ptrs(items), GroupOptions{})
			story := map[string]int{}
			for k, g := range groups {
				for _, x := range g {
					story[x.ID] = k
				}
			}
			show := func(id string) []string {
				var ids []string
				for _, x := range groups[story[id]] {
					ids = append(ids, x.ID)
				}
				slices.Sort(ids)
				return ids
			}
			for _, p := range tc.apart {
				if story[p[0]] == story[p[1]] {
					t.Errorf("%s and %s joined: story %v", p[0], p[1], show(p[0]))
				}
			}
			for _, ids := range tc.together {
				for _, id := range ids[1:] {
					if story[id] != story[ids[0]] {
						t.Errorf("%s and %s apart: %v and %v", ids[0], id, show(ids[0]), show(id))
					}
				}
			}
			for _, x := range tc.items {
				for _, y := range background() {
					if story[x.ID] == story[y.ID] {
						t.Errorf("%s joined unrelated %s", x.ID, y.ID)
					}
				}
			}
		})
	}
}

// TestVersionedNamesInHeadlines: a versioned name both headlines carry
// ("Vortex X7", "UFC 304") is one release or event, not a person's name:
// the phrase rule does not discount it. Named only in a summary, it is
// what a post is about at most in passing, and the rule holds.
func TestVersionedNamesInHeadlines(t *testing.T) {
	N, B := news.KindNews, news.KindBlog
	checkGroupCases(t, []groupCase{
		{"two reviews of one versioned product", []news.Item{
			it("a", "Outlet A", N, "Riders call the Vortex X7 the fastest commuter e-bike of the summer", "", "https://a.example.com/1", news.Other, 0.8, 1),
			it("b", "Outlet B", N, "Vortex X7 hands-on: a light frame, a long range and a loud motor", "", "https://b.example.com/2", news.Other, 0.8, 1.2),
		}, nil, [][]string{{"a", "b"}}},
		{"a model named in one post's summary only", []news.Item{
			it("a", "Lab", B, "Partnering with Harbor to harden its browser", "We used Kestrel 4.6 to find memory bugs in the Harbor browser before release.", "https://lab.example.com/harbor", news.Other, 0.8, 1),
			it("b", "Lab", B, "Test awareness in Kestrel 4.6 runs", "Kestrel 4.6 noticed it was being tested.", "https://lab.example.com/awareness", news.Research, 0.8, 1.2),
		}, [][2]string{{"a", "b"}}, nil},
	})
}
