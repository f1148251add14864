package digest

import (
	"slices"
	"time"
	"unsafe"

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
// ranking reads (56 bytes, where a Story is 248: writing a hundred
// thousand of those cost more than ranking them, and each byte is 0.1 MB
// of fresh pages a process that builds once pays for), and show makes
// the Story of one that is shown, reading what only it needs (the label
// as written, the publication time, who picked it) from its items again.
type story struct {
	// ip, n: the items, lead first (its), a pointer and a length rather
	// than a slice header, as doc keeps its vector.
	ip **news.Item
	// age is how long after the window's start the earliest item was
	// published, in seconds, as recency reads it.
	age        float64
	confidence float64
	score      float64
	nSources   int32 // distinct sources, for ranking before Sources is filled
	outlets    int32 // independent outlets (outletCount)
	papers     int32 // items that are papers
	n          int32
	section    int8      // the section its label names (sectionKeys), -1: none
	noise      noiseKind // what the lead item is when it is not news (set by ranking)
	tagged     bool
	picked     bool
	replaced   bool // every item is an arXiv replace announcement
	// feat sums up the items' cues once chooseLead has read them, so
	// ranking does not read them again: launch, primary, lead noise.
	feat    packedFeatures
	hasFeat bool
}

// init fills a story from its items, lead first, in place (a week holds
// a hundred thousand stories: filled where they lie, not built and
// copied), since being the window's start. It reads all that ranking
// needs of the items while they are at hand: read again later, they are
// out of cache.
func (s *story) init(its []*news.Item, since time.Time) {
	h := headingOf(its, false)
	s.ip, s.n, s.replaced = &its[0], int32(len(its)), true
	s.age = h.published.Sub(since).Seconds()
	s.confidence, s.tagged, s.picked = h.confidence, h.tagged, h.picked
	s.section = int8(slices.Index(sectionKeys[:], SectionKey(h.label)))
	for k, it := range its {
		if it.SourceKind == news.KindPaper {
			s.papers++
		}
		s.replaced = s.replaced && isReplace(it)
		if !slices.ContainsFunc(its[:k], func(x *news.Item) bool { return sourceName(x) == sourceName(it) }) {
			s.nSources++
		}
	}
	s.outlets = int32(outletCount(s))
}

// heading is what a story's items say of the story: when it was first
// published, its label (the hosts' latest tag, else the most confident
// verdict, else Other) and who picked it. Ranking (init) and the shown
// Story (show) both take it from here, so they agree.
type heading struct {
	published      time.Time
	label          news.Label
	confidence     float64
	tagged, picked bool
	pickedBy       []string // with pickers only
}

func headingOf(its []*news.Item, pickers bool) heading {
	h := heading{published: its[0].Published}
	var tagAt, best float64 = -1, -1
	for _, it := range its {
		if it.Published.Before(h.published) {
			h.published = it.Published
		}
		if it.Tag != "" && float64(it.TaggedAt.Unix()) > tagAt {
			tagAt = float64(it.TaggedAt.Unix())
			h.label, h.confidence, h.tagged = it.Tag, 1, true
		}
		if !h.tagged && it.Verdict != nil && it.Verdict.Confidence > best {
			best = it.Verdict.Confidence
			h.label, h.confidence = it.Verdict.Label, it.Verdict.Confidence
		}
		if it.Picked {
			h.picked = true
			if pickers && it.PickedBy != "" && !slices.Contains(h.pickedBy, it.PickedBy) {
				h.pickedBy = append(h.pickedBy, it.PickedBy)
			}
		}
	}
	if h.label == "" {
		h.label = news.Other // unclassified items still appear, as "other"
	}
	return h
}

// show is the Story of s, headed by its lead. Title and summary are
// cleaned later, only for the stories a digest shows.
func (s *story) show() Story {
	its := s.its()
	lead := its[0]
	h := headingOf(its, true)
	return Story{ID: lead.ID, Title: lead.Title, URL: lead.URL, Label: h.label, Confidence: s.confidence,
		Tagged: s.tagged, Picked: s.picked, PickedBy: h.pickedBy, Published: h.published, Score: s.score, items: its}
}

// its are the story's items, lead first: the list init was given (a
// story has at least one item).
func (s *story) its() []*news.Item { return unsafe.Slice(s.ip, s.n) }

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
