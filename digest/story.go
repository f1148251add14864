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
// ranking reads (56 bytes, where a Story is 248: writing a hundred
// thousand of those cost more than ranking them, and each byte is 0.1 MB
// of fresh pages a process that builds once pays for), and show makes
// the Story of one that is shown. It holds no pointer, so that a build
// can lay its stories over memory grouping is done with (storiesOver).
type story struct {
	// age is how long after the window's start the earliest item was
	// published, in seconds, as recency reads it.
	age        float64
	confidence float64
	score      float64
	// at, n: the items, lead first (its): n of the build's list of the
	// stories' items (scratch.flat) from at.
	at, n int32
	// head is 1 + the index in that list of the item whose tag (tagged)
	// or verdict labels the story (label), 0 for none: an index, not the
	// label's string.
	head     int32
	nSources int32     // distinct sources, for ranking before Sources is filled
	outlets  int32     // independent outlets (outletCount)
	papers   int32     // items that are papers
	section  int8      // the section its label names (sectionKeys), -1: none
	noise    noiseKind // what the lead item is when it is not news (set by ranking)
	tagged   bool
	picked   bool
	replaced bool // every item is an arXiv replace announcement
	// feat sums up the items' cues once chooseLead has read them, so
	// ranking does not read them again: launch, primary, lead noise.
	feat    packedFeatures
	hasFeat bool
}

// init fills a story from its items, in place (a week holds a hundred
// thousand stories: filled where they lie, not built and copied), at
// being where they start in the list of the stories' items (its), since
// being the window's start. It reads all that ranking needs of the items
// while they are at hand: read again later, they are out of cache. The
// items are in the order grouping lists them, before the lead is chosen,
// and what the Story shows is read in that order: the label, who picked
// it and its publication time (the earliest item's, the first of equal
// ones, whose zone the Story keeps). init returns the last two, which a
// story keeps aside (storyAside) when the lead's choice may change them.
func (s *story) init(its []*news.Item, at int32, since time.Time) storyAside {
	if len(its) == 1 {
		return s.initOne(its, at, since)
	}
	return s.initMany(its, at, since)
}

// initMany is init for any number of items; initOne must agree with it
// on one (TestInitOne).
func (s *story) initMany(its []*news.Item, at int32, since time.Time) storyAside {
	s.at, s.n, s.replaced = at, int32(len(its)), true
	var a storyAside
	a.earliest = earliestOf(its)
	var tagAt, best float64 = -1, -1
	for k, it := range its {
		if it.Tag != "" && float64(it.TaggedAt.Unix()) > tagAt {
			tagAt = float64(it.TaggedAt.Unix())
			s.head, s.confidence, s.tagged = at+int32(k)+1, 1, true
		}
		if !s.tagged && it.Verdict != nil && it.Verdict.Confidence > best {
			best = it.Verdict.Confidence
			s.head, s.confidence = at+int32(k)+1, it.Verdict.Confidence
		}
		if it.Picked {
			s.picked = true
			if it.PickedBy != "" && !slices.Contains(a.pickedBy, it.PickedBy) {
				a.pickedBy = append(a.pickedBy, it.PickedBy)
			}
		}
		if it.SourceKind == news.KindPaper {
			s.papers++
		}
		s.replaced = s.replaced && isReplace(it)
		if !slices.ContainsFunc(its[:k], func(x *news.Item) bool { return sourceName(x) == sourceName(it) }) {
			s.nSources++
		}
	}
	s.age = a.earliest.Published.Sub(since).Seconds()
	s.section = int8(slices.Index(sectionKeys[:], SectionKey(s.label(its, at))))
	s.outlets = int32(outletCount(s, its))
	return a
}

// initOne is init for a story of one item, most of a week's: the same
// reads without the loops over other items.
func (s *story) initOne(its []*news.Item, at int32, since time.Time) storyAside {
	it := its[0]
	s.at, s.n, s.nSources = at, 1, 1
	a := storyAside{earliest: it}
	// As init: a tag counts with a time after -1 s (a zero TaggedAt does
	// not), else a verdict with a confidence above -1.
	switch {
	case it.Tag != "" && float64(it.TaggedAt.Unix()) > -1:
		s.head, s.confidence, s.tagged = at+1, 1, true
	case it.Verdict != nil && it.Verdict.Confidence > -1:
		s.head, s.confidence = at+1, it.Verdict.Confidence
	}
	if it.Picked {
		s.picked = true
		if it.PickedBy != "" {
			a.pickedBy = []string{it.PickedBy}
		}
	}
	if it.SourceKind == news.KindPaper {
		s.papers = 1
	}
	s.replaced = isReplace(it)
	s.age = it.Published.Sub(since).Seconds()
	s.section = int8(slices.Index(sectionKeys[:], SectionKey(s.label(its, at))))
	s.outlets = 1 // outletCount of one source
	return a
}

// leadFirst puts the story's lead first (leadFirst, given its items'
// cues fs) and keeps the cues it sums up for ranking; head follows its
// item to where the reordering put it.
func (s *story) leadFirst(flat []*news.Item, c *cues, fs []itemFeatures) {
	its := s.its(flat)
	var h *news.Item
	if s.head != 0 {
		h = flat[s.head-1]
	}
	s.feat, s.hasFeat = leadFirst(its, c, fs).pack(), true
	if h != nil {
		s.head = s.at + int32(slices.Index(its, h)) + 1
	}
}

// storyAside is what show needs of a story that the story does not keep,
// since few stories need it: who picked it, and its earliest item when
// the lead's choice put another of the same time first (a time in
// another zone shows differently). The scratch keeps it by story.at
// (scratch.aside), for the stories that have any.
type storyAside struct {
	pickedBy []string
	earliest *news.Item
}

// earliestOf is the first of the earliest published items.
func earliestOf(its []*news.Item) *news.Item {
	e := its[0]
	for _, it := range its {
		if it.Published.Before(e.Published) {
			e = it
		}
	}
	return e
}

// label is the hosts' latest tag, else the most confident verdict, else
// Other: head's, as init chose it, given the story's items (its) and
// where they start in the list of the stories' items.
func (s *story) label(its []*news.Item, at int32) news.Label {
	var l news.Label
	switch {
	case s.head == 0:
	case s.tagged:
		l = its[s.head-1-at].Tag
	default:
		l = its[s.head-1-at].Verdict.Label
	}
	if l == "" {
		return news.Other // unclassified items still appear, as "other"
	}
	return l
}

// show is the Story of s, headed by its lead, with what was kept aside
// for it (flat: the list of the stories' items). Title and summary are
// cleaned later, only for the stories a digest shows.
func (s *story) show(flat []*news.Item, a storyAside) Story {
	its := s.its(flat)
	e := a.earliest
	if e == nil {
		e = earliestOf(its)
	}
	return Story{ID: its[0].ID, Title: its[0].Title, URL: its[0].URL, Label: s.label(its, s.at), Confidence: s.confidence,
		Tagged: s.tagged, Picked: s.picked, PickedBy: a.pickedBy, Published: e.Published, Score: s.score, items: its}
}

// its are the story's items, lead first: the list init was given, in
// flat, the list of the stories' items (a story has at least one item).
func (s *story) its(flat []*news.Item) []*news.Item {
	return flat[s.at : s.at+s.n : s.at+s.n]
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
