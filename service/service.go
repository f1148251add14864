package service

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
	"github.com/triagebot/triagebot/classifier"
	"github.com/triagebot/triagebot/config"
	"github.com/triagebot/triagebot/digest"
	"github.com/triagebot/triagebot/feeds"
	"github.com/triagebot/triagebot/news"
	"github.com/triagebot/triagebot/store"
)

// LearnedState is the store's name for the classifier's tag-learned part.
const LearnedState = "classifier.learned"

// Service wraps the store, the classifier and the digest settings.
type Service struct {
	st  *store.Store
	m   *classifier.Model
	cfg *config.Config
	now func() time.Time
}

// New builds a Service; now may be nil for time.Now.
func New(st *store.Store, m *classifier.Model, cfg *config.Config, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{st: st, m: m, cfg: cfg, now: now}
}

// Store and Model expose the parts for the CLI's own commands.
func (s *Service) Store() *store.Store      { return s.st }
func (s *Service) Model() *classifier.Model { return s.m }
func (s *Service) Location() *time.Location { return s.cfg.Location }
func (s *Service) Config() *config.Config   { return s.cfg }
func (s *Service) Now() time.Time           { return s.now() }

// LoadModel loads the shipped classifier and what it learned from the
// hosts' tags. When that learned part is missing or unreadable while tags
// exist (a store from before learning, a damaged blob), it is rebuilt from
// the tags, the source of truth; unless `retrain -reset` asked otherwise.
// warn reports a damaged blob.
func LoadModel(st *store.Store, warn func(error)) (*classifier.Model, error) {
	m, err := classifier.Builtin()
	if err != nil || st == nil {
		return m, err
	}
	raw, err := st.GetState(LearnedState)
	if err != nil {
		return nil, err
	}
	if err := m.LoadLearned(raw); err != nil {
		if warn != nil {
			warn(err)
		}
		raw = nil
	}
	if raw != nil {
		return m, nil
	}
	if reset, err := st.GetState(LearnedState + ".reset"); err != nil || reset != nil {
		return m, err
	}
	tagged, err := TaggedExamples(st)
	if err != nil || len(tagged) == 0 {
		return m, err
	}
	b, err := m.Relearn(tagged)
	if err != nil {
		return nil, err
	}
	return m, st.PutState(LearnedState, b)
}

// TaggedExamples are every tagged item, oldest first.
func TaggedExamples(st *store.Store) ([]classifier.Example, error) {
	var out []classifier.Example
	err := st.WalkItems(store.Query{Oldest: true}, func(it news.Item) bool {
		if it.Tag != "" {
			out = append(out, classifier.Example{Item: it, Label: it.Tag})
		}
		return true
	})
	return out, err
}

// Relearn rebuilds the learned part from all tags and saves it.
func (s *Service) Relearn() error {
	tagged, err := TaggedExamples(s.st)
	if err != nil {
		return err
	}
	b, err := s.m.Relearn(tagged)
	if err != nil {
		return err
	}
	if err := s.st.PutState(LearnedState+".reset", nil); err != nil {
		return err
	}
	return s.st.PutState(LearnedState, b)
}

// ResolveRef turns what a host pasted into something the store finds: an
// id or the exact link work as they are; a link with other tracking
// parameters, or another arXiv version, is found through its canonical key.
func (s *Service) ResolveRef(ref string) string {
	ref = strings.TrimSpace(ref)
	if _, err := s.st.Item(ref); err == nil || !strings.Contains(ref, "/") {
		return ref
	}
	it := feeds.Normalize(&gofeed.Item{Link: ref, Title: "-"}, feeds.FeedInfo{}, "", time.Time{})
	if _, err := s.st.Item(it.Key); err == nil {
		return it.Key
	}
	// An item keyed by an opaque GUID is found only by its link, which is
	// stored as the feed wrote it (tracking parameters, www., http): compare
	// links the way feeds cleans them, newest items first, within a bound
	// so a miss costs a few seconds at worst.
	clean, found := feeds.CleanURL(ref), ""
	n := 0
	_ = s.st.WalkItems(store.Query{}, func(it news.Item) bool {
		n++
		if it.URL != "" && feeds.CleanURL(it.URL) == clean {
			found = it.ID
		}
		return found == "" && n < resolveScanLimit
	})
	if found != "" {
		return found
	}
	return ref
}

// resolveScanLimit bounds ResolveRef's search by cleaned link.
const resolveScanLimit = 200_000

// Tag stores a host's label and folds it into the learned classifier.
func (s *Service) Tag(ref string, label news.Label, by string) (news.Item, error) {
	it, err := s.st.UpdateItem(s.ResolveRef(ref), func(it *news.Item) error {
		it.Tag, it.TaggedBy, it.TaggedAt = label, by, s.now().UTC()
		return nil
	})
	if err != nil {
		return it, err
	}
	b, err := s.m.Learn(it, label)
	if err != nil {
		return it, err
	}
	return it, s.st.PutState(LearnedState, b)
}

// ErrNoTag is returned by Untag for an item without a tag.
var ErrNoTag = errors.New("service: the item has no tag")

// Untag removes a tag and relearns from the tags that remain (one tag
// cannot be subtracted from what was learned).
func (s *Service) Untag(ref string) (news.Item, error) {
	it, err := s.st.UpdateItem(s.ResolveRef(ref), func(it *news.Item) error {
		if it.Tag == "" {
			return fmt.Errorf("%w: item %s", ErrNoTag, it.ID)
		}
		it.Tag, it.TaggedBy, it.TaggedAt = "", "", time.Time{}
		return nil
	})
	if err != nil {
		return it, err
	}
	return it, s.Relearn()
}

// Pick marks (on) or unmarks an item for the episode.
func (s *Service) Pick(ref string, on bool, by string) (news.Item, error) {
	return s.st.UpdateItem(s.ResolveRef(ref), func(it *news.Item) error {
		it.Picked = on
		if on {
			it.PickedBy, it.PickedAt = by, s.now().UTC()
		} else {
			it.PickedBy, it.PickedAt = "", time.Time{}
		}
		return nil
	})
}

// DigestOptions fills the configured digest settings for a window.
func (s *Service) DigestOptions(week string, since, until time.Time) digest.Options {
	return digest.Options{Since: since, Until: until, Week: week, Location: s.cfg.Location,
		PerSection: s.cfg.Digest.PerSection, Language: s.cfg.Digest.Language,
		Interests: s.cfg.Digest.Interests, Now: s.now()}
}

// WeekDigest builds the digest of an ISO week ("" = the current week).
func (s *Service) WeekDigest(week string) (*digest.Digest, error) {
	var since, until time.Time
	var err error
	if week == "" {
		week, since, until = digest.WeekOf(s.now(), s.cfg.Location)
	} else if since, until, err = digest.WeekWindow(week, s.cfg.Location); err != nil {
		return nil, err
	}
	return s.BuildDigest(s.DigestOptions(week, since, until))
}

// BuildDigest loads the window, refreshes verdicts with the current model
// (so what the hosts' tags taught shows at once), and builds the digest.
func (s *Service) BuildDigest(o digest.Options) (*digest.Digest, error) {
	items, err := s.st.Items(store.Query{Since: o.Since, Until: o.Until, Oldest: true})
	if err != nil {
		return nil, err
	}
	Reclassify(s.m, items)
	// What the hosts picked or tagged in the half year before: stories
	// like those rank higher.
	var history []news.Item
	err = s.st.WalkItems(store.Query{Since: o.Since.AddDate(0, 0, -182), Until: o.Since}, func(it news.Item) bool {
		if it.Tag != "" || it.Picked {
			history = append(history, it)
		}
		return len(history) < 5000
	})
	if err != nil {
		return nil, err
	}
	recs, err := s.st.Feeds(true)
	if err != nil {
		return nil, err
	}
	o.FeedWeights = map[string]float64{}
	for _, f := range recs {
		o.FeedWeights[f.Name] = f.Weight
	}
	return digest.Build(items, history, o), nil
}

// Episode is the rundown of what the hosts picked in the current and the
// previous week, as a digest whose only section is the picks.
func (s *Service) Episode() (*digest.Digest, error) {
	week, since, until := digest.WeekOf(s.now(), s.cfg.Location)
	since = since.AddDate(0, 0, -7)
	var picked []news.Item
	err := s.st.WalkItems(store.Query{Since: since, Until: until, Oldest: true}, func(it news.Item) bool {
		if it.Picked {
			picked = append(picked, it)
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	Reclassify(s.m, picked)
	o := s.DigestOptions("", since, until)
	o.PerSection = 25
	o.PicksInSections = true // the rundown groups picks by research, product, other
	d := digest.Build(picked, nil, o)
	d.Week = week
	return d, nil
}

// Reclassify gives every item the model's current verdict. The verdict is
// the model's own even for a tagged item (the tag still wins where labels
// are read), so an untag shows what the model thinks.
func Reclassify(m *classifier.Model, items []news.Item) {
	for i := range items {
		items[i].Verdict = verdict(m, items[i])
	}
}

func verdict(m *classifier.Model, it news.Item) *news.Verdict {
	it.Tag = ""
	v := m.Classify(it)
	return &v
}

// Search finds recent items whose title contains every word of query
// (case-insensitive), newest first: the /tag and /pick autocomplete.
func (s *Service) Search(query string, limit int) ([]news.Item, error) {
	words := strings.Fields(strings.ToLower(query))
	var out []news.Item
	err := s.st.WalkItems(store.Query{Since: s.now().AddDate(0, 0, -28)}, func(it news.Item) bool {
		t := strings.ToLower(it.Title)
		for _, w := range words {
			if !strings.Contains(t, w) && it.ID != w {
				return true
			}
		}
		out = append(out, it)
		return len(out) < limit
	})
	return out, err
}
