package digest

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/triagebot/triagebot/internal/text"
	"github.com/triagebot/triagebot/news"
)

// Options shape a digest. Every field that has a setting in package
// config is passed explicitly from it (Check says which are missing):
// defaults live in config only, so a digest never shows something no
// setting asked for.
type Options struct {
	Since, Until time.Time
	Location     *time.Location // digest.timezone: days and weeks are cut in it
	// Week labels the digest ("2026-W48"); empty uses the dates.
	Week       string
	PerSection int    // stories shown per section, at least 1 (digest.per_section)
	All        bool   // every story of the window, no per-section cut (export)
	Language   string // "en" or "zh-TW" (digest.language)
	// Languages are the item languages kept ("en", "zh"; a region such as
	// zh-CN counts as zh), at least one (digest.languages). An item
	// without a language is kept.
	Languages []string
	// ToTraditional converts Simplified Chinese to Traditional; with
	// Language zh-TW it is applied to the feed text shown. Nil leaves the
	// text as it came. The caller builds it (the digest stays pure).
	ToTraditional func(string) string
	// FeedWeights by feed name; a feed not listed weighs 1, as a feed
	// without a weight does in config.
	FeedWeights map[string]float64
	// Interests are keywords the hosts care about; matching stories rank higher.
	Interests []string
	// Points is how many top stories of Research and Product get talking
	// points (digest.points); 0: none.
	Points int
	Now    time.Time
	// PicksInSections keeps picked stories in their research, product or
	// other section instead of a section of their own (the episode rundown).
	PicksInSections bool
}

// ErrOptions marks options a caller must fix; Check and Build wrap it.
var ErrOptions = errors.New("digest: invalid options")

// Check reports the first option that is missing or out of range. Zero
// values are errors rather than a default filled in here: a caller that
// forgot a setting learns it at once, instead of the hosts reading a
// digest cut to a number nobody chose.
func (o Options) Check() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: "+format, append([]any{ErrOptions}, a...)...)
	}
	switch {
	case o.Location == nil:
		return bad("Location is nil; pass the configured timezone")
	case o.PerSection < 1 && !o.All:
		return bad("PerSection is %d; it must be at least 1 (digest.per_section), or set All", o.PerSection)
	case o.Points < 0:
		return bad("Points is %d; it must be 0 (none) or more (digest.points)", o.Points)
	case o.Language != string(LangEN) && o.Language != string(LangZhTW):
		return bad("Language is %q; it must be %q or %q (digest.language)", o.Language, LangEN, LangZhTW)
	case len(o.Languages) == 0:
		return bad("Languages is empty; pass digest.languages (at least one)")
	case !o.Since.IsZero() && !o.Until.IsZero() && !o.Since.Before(o.Until):
		return bad("the window %s – %s is empty", o.Since.Format(time.RFC3339), o.Until.Format(time.RFC3339))
	}
	return nil
}

// Story is one piece of news, with every item that reported it.
type Story struct {
	ID         string     `json:"id"` // the lead item's id, for tagging
	Title      string     `json:"title"`
	URL        string     `json:"url"`
	Summary    string     `json:"summary"`
	Label      news.Label `json:"label"`
	Confidence float64    `json:"confidence"`
	Tagged     bool       `json:"tagged"`
	Picked     bool       `json:"picked"`
	PickedBy   []string   `json:"picked_by,omitempty"`
	Sources    []Source   `json:"sources"`
	ItemIDs    []string   `json:"item_ids"`
	Published  time.Time  `json:"published"`
	// Score orders a section; Detail.Factors say where it came from.
	Score float64 `json:"score"`
	// Detail is set on every story a digest shows (its fields appear
	// inline in the JSON). A pointer, because a week can hold a hundred
	// thousand stories and only a few dozen are shown: the other stories
	// stay small.
	*Detail
	items []*news.Item // lead first

	// Brief is the optional model assist's summary (nil when it is off).
	Brief *news.Brief `json:"brief,omitempty"`
	// Undated: no item's feed gave a date, so Published is when the poll
	// first saw it, and an old item may look like this week's news.
	Undated bool `json:"undated,omitempty"`
}

// Detail is what the digest adds to a story it shows.
type Detail struct {
	// Factors are the parts of the score; they add up to Score.
	Factors []Factor `json:"factors,omitempty"`
	// Coverage is every other report of the story, the lead excluded.
	Coverage []Report `json:"coverage,omitempty"`
	// Points are talking points quoted from the story's own text.
	Points []Point `json:"points,omitempty"`
}

// Report is one more outlet's report of a story.
type Report struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Source string `json:"source"`
	URL    string `json:"url"`
}

// Source is one outlet that carried a story.
type Source struct {
	Name string `json:"name"`
	URL  string `json:"url"`
}

// SectionKey names a section.
type SectionKey string

const (
	SectionPicked   SectionKey = "picked"
	SectionResearch SectionKey = "research"
	SectionProduct  SectionKey = "product"
	SectionOther    SectionKey = "other"
)

// Section is one part of the digest.
type Section struct {
	Key   SectionKey `json:"key"`
	Title string     `json:"title"`
	// Prompts were generic talking points per section; stories now carry
	// their own (Story.Points), so this stays empty.
	Prompts []string `json:"prompts,omitempty"`
	Stories []Story  `json:"stories"`
	Omitted int      `json:"omitted"` // stories ranked below the cut
}

// LeftOut counts what the digest dropped before ranking, and why.
type LeftOut struct {
	// Language: items in a language outside Options.Languages.
	Language int `json:"language"`
	// ArxivReplace: stories made only of arXiv replace announcements (a
	// new version of an old paper), nobody covered or picked.
	ArxivReplace int `json:"arxiv_replace"`
}

// Digest is a built digest.
type Digest struct {
	Title      string    `json:"title"`
	Week       string    `json:"week,omitempty"`
	Since      time.Time `json:"since"`
	Until      time.Time `json:"until"`
	Language   string    `json:"language"`
	Generated  time.Time `json:"generated"`
	ItemCount  int       `json:"item_count"`
	StoryCount int       `json:"story_count"`
	LeftOut    LeftOut   `json:"left_out"`
	Sections   []Section `json:"sections"`
}

// Empty reports whether the window had nothing to show.
func (d *Digest) Empty() bool { return d.StoryCount == 0 }

// Build makes the digest from the items published in the window. history
// holds earlier items the hosts tagged or picked; stories like them rank
// higher.
// The options must pass Check. A process that builds repeatedly keeps a
// Builder instead, which reuses its memory.
func Build(items []news.Item, history []news.Item, o Options) (*Digest, error) {
	return buildIn(&scratch{}, items, history, o)
}

// sectionKeys are the sections in the order a digest shows them.
var sectionKeys = [...]SectionKey{SectionPicked, SectionResearch, SectionProduct, SectionOther}

// buildIn is Build with the scratch memory scr.
func buildIn(scr *scratch, items []news.Item, history []news.Item, o Options) (*Digest, error) {
	if err := o.Check(); err != nil {
		return nil, err
	}
	tr := texts(o.Language)
	d := &Digest{Week: o.Week, Since: o.Since, Until: o.Until, Language: tr.lang, Generated: o.Now}
	d.Title = tr.titleOf(o)
	langs := keptLanguages(o.Languages)
	window := emptied(scr.window, len(items))
	for i := range items {
		it := &items[i]
		if (o.Since.IsZero() || !it.Published.Before(o.Since)) && (o.Until.IsZero() || it.Published.Before(o.Until)) {
			if !langs.keep(it.Lang) {
				d.LeftOut.Language++
				continue
			}
			window = append(window, it)
		}
	}
	scr.window = window
	d.ItemCount = len(window)
	if scr.cues == nil {
		scr.cues = newCues()
	}
	cues := scr.cues
	// The stories' item lists take the window's array: grouping reads
	// the window into its docs first, and a second array of 100,000
	// pointers is 0.8 MB more to fault in.
	scr.flat = window
	stories := clusterCued(scr, window, cues, o.Since) // leads chosen, cues read
	kept := stories[:0]
	for i := range stories {
		s := &stories[i]
		if onlyReplaced(s) {
			d.LeftOut.ArxivReplace++
			continue
		}
		if len(kept) == i {
			kept = kept[:i+1] // nothing left out yet: no copy
			continue
		}
		kept = append(kept, *s)
	}
	stories = kept
	d.StoryCount = len(stories)
	flat := scr.flat // the stories' items (story.its)
	sc := rank(stories, flat, history, o, cues)
	// Sort indexes, not stories: a week can hold a hundred thousand of
	// them; only the shown ones become a Story. The lists are counted
	// first and cut from one array, grouping's fill (dead by now): grown
	// by append, a list of 80,000 allocated some five times its size in
	// fresh pages on the way.
	sectionOf := func(s *story) int {
		if s.picked && !o.PicksInSections {
			return 0 // SectionPicked
		}
		return int(s.section)
	}
	var counts [len(sectionKeys)]int
	for i := range stories {
		if j := sectionOf(&stories[i]); j >= 0 {
			counts[j]++
		}
	}
	lists := sized(scr.fill, len(stories))
	scr.fill = lists
	for k := range scr.sections {
		scr.sections[k] = lists[:0:counts[k]]
		lists = lists[counts[k]:]
	}
	for i := range stories {
		if j := sectionOf(&stories[i]); j >= 0 {
			scr.sections[j] = append(scr.sections[j], int32(i))
		}
	}
	for j, k := range sectionKeys {
		idx := scr.sections[j]
		if k == SectionPicked && len(idx) == 0 {
			continue
		}
		sec := Section{Key: k, Title: tr.section[k], Stories: []Story{}}
		n := len(idx) // every pick is shown
		if k != SectionPicked && !o.All {
			n = min(n, o.PerSection)
		}
		sec.Omitted = len(idx) - n
		top := topIndexes(idx, n, func(a, b int32) bool {
			sa, sb := &stories[a], &stories[b]
			if sa.score != sb.score {
				return sa.score > sb.score
			}
			return flat[sa.at].ID < flat[sb.at].ID // the leads' ids
		})
		for rankInSection, i := range top {
			st := stories[i].show(flat, scr.aside[stories[i].at])
			// The story's items lie in the scratch memory, which the
			// next build overwrites: the Story gets a list of its own.
			st.items = slices.Clone(st.items)
			st.fill()
			st.Detail = &Detail{}
			sc.explain(&st, &stories[i])
			st.Title, st.Summary = text.OneLine(st.Title), lede(st.items)
			if st.Summary == st.Title {
				st.Summary = "" // some feeds repeat the title as the summary
			}
			st.Coverage = coverage(st.items)
			// Hooks for the top research and product stories, and for
			// every pick: the hosts plan the episode from those.
			if (st.Label == news.Research || st.Label == news.Product) && o.Points > 0 && (k == SectionPicked || rankInSection < o.Points) {
				st.Points = talkingPoints(st.items, st.Label, st.Title, st.Summary)
			}
			if tr.lang == string(LangZhTW) && o.ToTraditional != nil {
				toTraditional(&st, o.ToTraditional)
			}
			sec.Stories = append(sec.Stories, st)
		}
		d.Sections = append(d.Sections, sec)
	}
	return d, nil
}

// topIndexes returns the n first of idx in order. A section can hold tens
// of thousands of uncovered papers and shows eight: a heap of the n best
// seen so far costs len(idx)·log n instead of a full sort.
func topIndexes(idx []int32, n int, before func(a, b int32) bool) []int32 {
	cmpf := func(a, b int32) int {
		switch {
		case before(a, b):
			return -1
		case before(b, a):
			return 1
		}
		return 0
	}
	if n >= len(idx)/4 {
		slices.SortFunc(idx, cmpf)
		return idx[:n]
	}
	// h is a heap with the worst of the best n on top.
	h := make([]int32, 0, n)
	down := func(i int) {
		for {
			w, l, r := i, 2*i+1, 2*i+2
			if l < len(h) && before(h[w], h[l]) {
				w = l
			}
			if r < len(h) && before(h[w], h[r]) {
				w = r
			}
			if w == i {
				return
			}
			h[i], h[w] = h[w], h[i]
			i = w
		}
	}
	for _, x := range idx {
		switch {
		case len(h) < n:
			h = append(h, x)
			for i := len(h) - 1; i > 0 && before(h[(i-1)/2], h[i]); i = (i - 1) / 2 {
				h[i], h[(i-1)/2] = h[(i-1)/2], h[i]
			}
		case n > 0 && before(x, h[0]):
			h[0] = x
			down(0)
		}
	}
	slices.SortFunc(h, cmpf)
	return h
}

// languages is the set of item languages a digest keeps.
type languages []string

func keptLanguages(ls []string) languages {
	out := make(languages, 0, len(ls))
	for _, l := range ls {
		out = append(out, baseLang(l))
	}
	return out
}

// baseLang is a language tag without its region or script: zh-TW, zh_CN
// and ZH are all zh.
func baseLang(l string) string {
	l = strings.ToLower(strings.TrimSpace(l))
	if i := strings.IndexAny(l, "-_"); i > 0 {
		l = l[:i]
	}
	return l
}

func (ls languages) keep(lang string) bool {
	if lang == "" {
		return true // unknown: better shown than lost
	}
	return slices.Contains(ls, baseLang(lang))
}

// onlyReplaced reports a story made only of arXiv replace announcements
// (a new version of a paper announced months ago) that nobody picked or
// tagged: not new research.
func onlyReplaced(s *story) bool {
	return s.replaced && !s.picked && !s.tagged
}

// isReplace reports an arXiv replace announcement: a new version of a
// paper.
func isReplace(it *news.Item) bool {
	return strings.HasPrefix(strings.ToLower(it.AnnounceType), "replace")
}

// coverage lists the story's other reports, one per item after the lead.
func coverage(its []*news.Item) []Report {
	if len(its) < 2 {
		return nil
	}
	out := make([]Report, 0, len(its)-1)
	for _, it := range its[1:] {
		out = append(out, Report{ID: it.ID, Title: text.OneLine(it.Title), Source: sourceName(it), URL: it.URL})
	}
	return out
}

// toTraditional converts the feed text of a story for a Traditional-Chinese
// show; text without Chinese characters is left alone (English stays
// English).
func toTraditional(s *Story, conv func(string) string) {
	c := func(t string) string {
		if !text.HasHan(t) {
			return t
		}
		return conv(t)
	}
	s.Title, s.Summary = c(s.Title), c(s.Summary)
	for i := range s.Sources {
		s.Sources[i].Name = c(s.Sources[i].Name)
	}
	for i := range s.Coverage {
		s.Coverage[i].Title, s.Coverage[i].Source = c(s.Coverage[i].Title), c(s.Coverage[i].Source)
	}
	for i := range s.Points {
		s.Points[i].Quote, s.Points[i].Source = c(s.Points[i].Quote), c(s.Points[i].Source)
	}
}
