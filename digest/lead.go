package digest

import (
	"slices"
	"strings"

	"github.com/triagebot/triagebot/news"
)

// chooseLead puts first the item that should head the story, by substance
// rather than by who was first: the primary source's own announcement,
// else the most informative report. A "how to watch" piece, a tutorial or
// a newsletter leads only a story made of nothing else; an arXiv paper
// leads only when nobody wrote about it, since readers want the
// article's headline and the paper is listed as a source.
func chooseLead(s *Story) {
	its := s.items
	scores := make([]float64, len(its))
	for i, it := range its {
		scores[i] = leadScore(it)
	}
	order := make([]int, len(its))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case scores[a] > scores[b]:
			return -1
		case scores[a] < scores[b]:
			return 1
		}
		x, y := its[a], its[b]
		if !x.Published.Equal(y.Published) {
			return x.Published.Compare(y.Published)
		}
		return strings.Compare(x.ID, y.ID)
	})
	sorted := make([]*news.Item, len(its))
	for i, k := range order {
		sorted[i] = its[k]
	}
	copy(its, sorted)
	lead := its[0]
	s.ID, s.Title, s.URL = lead.ID, lead.Title, lead.URL
}

// leadScore: the weights are ordered so that being a paper or noise
// outweighs everything, a primary-source announcement outweighs text
// length, and text length only breaks ties between ordinary reports.
func leadScore(it *news.Item) float64 {
	score := 0.0
	if it.SourceKind == news.KindPaper {
		score -= 20
	}
	launch, primary, own := launchOf(it)
	if k := noiseOf(it); k != notNoise && !(primary && k == noiseCustomer) {
		score -= 10
	}
	switch {
	case own:
		score += 5
	case primary:
		score += 3
	case launch:
		score += 1
	}
	// Informative: a report with more to say, and with figures in it.
	n := len(strings.Fields(it.Summary))
	score += float64(min(n, 120)) / 120
	if strings.ContainsAny(it.Summary, "0123456789") {
		score += 0.3
	}
	return score
}
