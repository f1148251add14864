package digest

import (
	"slices"
	"time"

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

// story is a story while Build ranks it. A week can hold a hundred
// thousand stories and a digest shows a few dozen: each is kept to what
// ranking reads (128 bytes, where a Story is 248 and was 264 with these
// fields in it; writing and zeroing a hundred thousand of those cost
// more than ranking them), and show makes the Story of one that is
// shown.
type story struct {
	items      []*news.Item // lead first
	published  time.Time    // the earliest item's
	label      news.Label
	confidence float64
	score      float64
	pickedBy   []string
	nSources   int32     // distinct sources, for ranking before Sources is filled
	outlets    int32     // independent outlets (outletCount)
	papers     int32     // items that are papers
	noise      noiseKind // what the lead item is when it is not news (set by ranking)
	tagged     bool
	picked     bool
	replaced   bool // every item is an arXiv replace announcement
	// feat sums up the items' cues once chooseLead has read them, so
	// ranking does not read them again: launch, primary, lead noise.
	feat    itemFeatures
	hasFeat bool
}

// init fills a story from its items, lead first, in place (a week holds
// a hundred thousand stories: filled where they lie, not built and
// copied). It reads all that ranking needs of the items while they are
// at hand: read again later, they are out of cache.
func (s *story) init(its []*news.Item) {
	s.items, s.published, s.replaced = its, its[0].Published, true
	var tagAt, best float64 = -1, -1
	for k, it := range its {
		if it.SourceKind == news.KindPaper {
			s.papers++
		}
		s.replaced = s.replaced && isReplace(it)
		if it.Published.Before(s.published) {
			s.published = it.Published
		}
		if !slices.ContainsFunc(its[:k], func(x *news.Item) bool { return sourceName(x) == sourceName(it) }) {
			s.nSources++
		}
		if it.Tag != "" && float64(it.TaggedAt.Unix()) > tagAt {
			tagAt = float64(it.TaggedAt.Unix())
			s.label, s.confidence, s.tagged = it.Tag, 1, true
		}
		if !s.tagged && it.Verdict != nil && it.Verdict.Confidence > best {
			best = it.Verdict.Confidence
			s.label, s.confidence = it.Verdict.Label, it.Verdict.Confidence
		}
		if it.Picked {
			s.picked = true
			if it.PickedBy != "" && !slices.Contains(s.pickedBy, it.PickedBy) {
				s.pickedBy = append(s.pickedBy, it.PickedBy)
			}
		}
	}
	if s.label == "" {
		s.label = news.Other // unclassified items still appear, as "other"
	}
	s.outlets = int32(outletCount(s))
}

// show is the Story of s, headed by its lead. Title and summary are
// cleaned later, only for the stories a digest shows.
func (s *story) show() Story {
	lead := s.items[0]
	return Story{ID: lead.ID, Title: lead.Title, URL: lead.URL, Label: s.label, Confidence: s.confidence,
		Tagged: s.tagged, Picked: s.picked, PickedBy: s.pickedBy, Published: s.published, Score: s.score, items: s.items}
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
