package digest

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/triagebot/triagebot/news"
)

// Options shape a digest.
type Options struct {
	Since, Until time.Time
	Location     *time.Location
	// Week labels the digest ("2026-W48"); empty uses the dates.
	Week       string
	PerSection int    // stories shown per section (default 8)
	Language   string // "en" (default) or "zh-TW"
	// FeedWeights by feed name (default 1).
	FeedWeights map[string]float64
	// Interests are keywords the hosts care about; matching stories rank higher.
	Interests []string
	Now       time.Time
	// PicksInSections keeps picked stories in their research, product or
	// other section instead of a section of their own (the episode rundown).
	PicksInSections bool
}

// Story is one piece of news, with every item that reported it.
type Story struct {
	ID         string       `json:"id"` // the lead item's id, for tagging
	Title      string       `json:"title"`
	URL        string       `json:"url"`
	Summary    string       `json:"summary"`
	Label      news.Label   `json:"label"`
	Confidence float64      `json:"confidence"`
	Tagged     bool         `json:"tagged"`
	Picked     bool         `json:"picked"`
	PickedBy   []string     `json:"picked_by,omitempty"`
	Sources    []Source     `json:"sources"`
	ItemIDs    []string     `json:"item_ids"`
	Published  time.Time    `json:"published"`
	Score      float64      `json:"score"`
	items      []*news.Item // lead first
	nSources   int          // distinct sources, for ranking before Sources is filled
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
	Key     SectionKey `json:"key"`
	Title   string     `json:"title"`
	Prompts []string   `json:"prompts,omitempty"` // talking points, once per section
	Stories []Story    `json:"stories"`
	Omitted int        `json:"omitted"` // stories ranked below the cut
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
	Sections   []Section `json:"sections"`
}

// Empty reports whether the window had nothing to show.
func (d *Digest) Empty() bool { return d.StoryCount == 0 }

// Build makes the digest from the items published in the window. history
// holds earlier items the hosts tagged or picked; stories like them rank
// higher.
func Build(items []news.Item, history []news.Item, o Options) *Digest {
	if o.PerSection <= 0 {
		o.PerSection = 8
	}
	if o.Location == nil {
		o.Location = time.UTC
	}
	tr := texts(o.Language)
	d := &Digest{Week: o.Week, Since: o.Since, Until: o.Until, Language: tr.lang, Generated: o.Now}
	d.Title = tr.title(o)
	window := make([]*news.Item, 0, len(items))
	for i := range items {
		it := &items[i]
		if (o.Since.IsZero() || !it.Published.Before(o.Since)) && (o.Until.IsZero() || it.Published.Before(o.Until)) {
			window = append(window, it)
		}
	}
	d.ItemCount = len(window)
	stories := cluster(window)
	d.StoryCount = len(stories)
	rank(stories, history, o)
	// Sort indexes, not stories: a story is a few hundred bytes and a
	// week can hold a hundred thousand of them; only the shown ones are
	// copied out.
	byKey := map[SectionKey][]int32{}
	for i := range stories {
		k := SectionKey(stories[i].Label)
		if stories[i].Picked && !o.PicksInSections {
			k = SectionPicked
		}
		byKey[k] = append(byKey[k], int32(i))
	}
	for _, k := range []SectionKey{SectionPicked, SectionResearch, SectionProduct, SectionOther} {
		idx := byKey[k]
		if k == SectionPicked && len(idx) == 0 {
			continue
		}
		slices.SortFunc(idx, func(a, b int32) int {
			sa, sb := &stories[a], &stories[b]
			if sa.Score != sb.Score {
				return cmp.Compare(sb.Score, sa.Score)
			}
			return strings.Compare(sa.ID, sb.ID)
		})
		sec := Section{Key: k, Title: tr.section[k], Prompts: tr.prompts[k], Stories: []Story{}}
		n := len(idx) // every pick is shown
		if k != SectionPicked {
			n = min(n, o.PerSection)
		}
		sec.Omitted = len(idx) - n
		for _, i := range idx[:n] {
			st := stories[i]
			st.fill()
			st.Title, st.Summary = oneLine(st.Title), lede(st.items)
			if st.Summary == st.Title {
				st.Summary = "" // some feeds repeat the title as the summary
			}
			sec.Stories = append(sec.Stories, st)
		}
		d.Sections = append(d.Sections, sec)
	}
	return d
}
