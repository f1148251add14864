package digest

import (
	"github.com/triagebot/triagebot/news"
)

// chooseLead puts first the item that should head the story, by substance
// rather than by who was first: the primary source's own announcement,
// else the most informative report. A "how to watch" piece, a tutorial or
// a newsletter leads only a story made of nothing else; an arXiv paper
// leads only when nobody wrote about it, since readers want the
// article's headline and the paper is listed as a source.
func chooseLead(s *Story, c *cues) {
	its := s.items
	// Few items per story: an insertion sort on a small stack array, no
	// allocation for the common case.
	type scored struct {
		it    *news.Item
		score float64
		f     itemFeatures
	}
	var small [8]scored
	xs := small[:0]
	if len(its) > len(small) {
		xs = make([]scored, 0, len(its))
	}
	better := func(a, b *scored) bool {
		switch {
		case a.score != b.score:
			return a.score > b.score
		case !a.it.Published.Equal(b.it.Published):
			return a.it.Published.Before(b.it.Published)
		}
		return a.it.ID < b.it.ID
	}
	var sum itemFeatures
	for _, it := range its {
		f := c.features(it)
		sum.launch, sum.primary = sum.launch || f.launch, sum.primary || f.primary
		x := scored{it, leadScore(it, f), f}
		xs = append(xs, x)
		for j := len(xs) - 1; j > 0 && better(&xs[j], &xs[j-1]); j-- {
			xs[j], xs[j-1] = xs[j-1], xs[j]
		}
	}
	for i := range xs {
		its[i] = xs[i].it
	}
	s.feat, s.hasFeat = xs[0].f, true
	s.feat.launch, s.feat.primary = sum.launch, sum.primary
	lead := its[0]
	s.ID, s.Title, s.URL = lead.ID, lead.Title, lead.URL
}

// leadScore: the weights are ordered so that being a paper or noise
// outweighs everything, a primary-source announcement outweighs text
// length, and text length only breaks ties between ordinary reports.
func leadScore(it *news.Item, f itemFeatures) float64 {
	score := 0.0
	if it.SourceKind == news.KindPaper {
		score -= 20
	}
	if f.noise != notNoise {
		score -= 10
	}
	if f.versionTitle {
		score -= 2 // "Windsurf Next 1.9544.1018" says less than the blog post's headline
	}
	switch {
	case f.own:
		score += 5
	case f.primary:
		score += 3
	case f.launch:
		score += 1
	}
	// Informative: a report with more to say, and with figures in it.
	// One pass over the start of the summary: enough to tell a line from
	// a paragraph.
	// Without branches: a word starts at a byte that is no space after
	// one that is (or at the start).
	sum := it.Summary
	words, digits, prevSpace := 0, 0, 1
	for i := 0; i < len(sum) && words < 120; i++ {
		c := sum[i]
		space := b2i(c == ' ') | b2i(c == '\n') | b2i(c == '\t')
		words += prevSpace &^ space
		prevSpace = space
		digits |= b2i(c-'0' <= 9)
	}
	score += float64(words) / 120
	if digits != 0 {
		score += 0.3
	}
	return score
}

// OrderLeads puts each group's lead first by the digest's own choice (the
// chooseLead that Build runs after grouping), so `triagebot cluster` marks
// as "lead" the item the digest would show.
func OrderLeads(groups [][]*news.Item) {
	c := newCues()
	for _, g := range groups {
		if len(g) > 1 {
			s := Story{items: g}
			chooseLead(&s, c)
		}
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
