package digest

import (
	"slices"

	"github.com/triagebot/triagebot/news"
)

// leadBefore orders a story's items so that the one heading it comes
// first: the one whose title and link the digest shows and that
// `triagebot cluster` marks "lead". The one place that decides it.
func leadBefore(a, b *news.Item) bool {
	if (a.SourceKind == news.KindPaper) != (b.SourceKind == news.KindPaper) {
		// Readers want the news article's headline; the paper is a source.
		return b.SourceKind == news.KindPaper
	}
	if !a.Published.Equal(b.Published) {
		return a.Published.Before(b.Published)
	}
	return a.ID < b.ID
}

// init fills a story from its items, lead first, in place (a week holds
// a hundred thousand stories: filled where they lie, not built and
// copied). Title and summary are cleaned later, only for the stories a
// digest shows.
func (s *Story) init(its []*news.Item) {
	s.ID, s.Title, s.URL, s.items, s.Published = its[0].ID, its[0].Title, its[0].URL, its, its[0].Published
	var tagAt, best float64 = -1, -1
	for k, it := range its {
		if it.Published.Before(s.Published) {
			s.Published = it.Published
		}
		if !slices.ContainsFunc(its[:k], func(x *news.Item) bool { return sourceName(x) == sourceName(it) }) {
			s.nSources++
		}
		if it.Tag != "" && float64(it.TaggedAt.Unix()) > tagAt {
			tagAt = float64(it.TaggedAt.Unix())
			s.Label, s.Confidence, s.Tagged = it.Tag, 1, true
		}
		if !s.Tagged && it.Verdict != nil && it.Verdict.Confidence > best {
			best = it.Verdict.Confidence
			s.Label, s.Confidence = it.Verdict.Label, it.Verdict.Confidence
		}
		if it.Picked {
			s.Picked = true
			if it.PickedBy != "" && !slices.Contains(s.PickedBy, it.PickedBy) {
				s.PickedBy = append(s.PickedBy, it.PickedBy)
			}
		}
	}
	if s.Label == "" {
		s.Label = news.Other // unclassified items still appear, as "other"
	}
}

func sourceName(it *news.Item) string {
	if it.Source != "" {
		return it.Source
	}
	return it.Feed
}

// fill lists the story's item ids and sources: done only for the stories
// a digest shows, since a week can hold a hundred thousand. Sources are
// outlets, as ranking counts them (a site's blog and its changelog are
// one source, named by its first report), so "N sources" on the page is
// the coverage the score gave; every report is still listed as coverage.
func (s *Story) fill() {
	s.ItemIDs = make([]string, 0, len(s.items))
	s.Undated = true
	var roots []int
	if len(s.items) <= maxOutletItems {
		roots = make([]int, len(s.items))
		outletRoots(s.items, roots)
	}
	for i, it := range s.items {
		s.Undated = s.Undated && it.Undated
		s.ItemIDs = append(s.ItemIDs, it.ID)
		if roots != nil {
			if roots[i] == i {
				s.Sources = append(s.Sources, Source{Name: sourceName(it), URL: it.URL})
			}
			continue
		}
		name := sourceName(it)
		if !slices.ContainsFunc(s.Sources, func(x Source) bool { return x.Name == name }) {
			s.Sources = append(s.Sources, Source{Name: name, URL: it.URL})
		}
	}
}
