package service

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/triagebot/triagebot/classifier"
	"github.com/triagebot/triagebot/config"
	"github.com/triagebot/triagebot/digest"
	"github.com/triagebot/triagebot/feeds"
	"github.com/triagebot/triagebot/news"
	"github.com/triagebot/triagebot/store"
)

// LearnedState is the store's name for the classifier's tag-learned part.
const LearnedState = "classifier.learned"

// forgottenState marks the learned part as deliberately empty (`retrain
// -reset`), so LoadModel does not rebuild it from the tags at the next
// start. Its name is what stores already hold.
const forgottenState = LearnedState + ".reset"

// Service wraps the store, the classifier and the digest settings.
type Service struct {
	st  *store.Store
	m   *classifier.Model
	cfg *config.Config
	now func() time.Time

	assist Assist // nil: fully offline

	tradOnce sync.Once // the Simplified→Traditional converter, built on first zh-TW digest
	trad     func(string) string
	tradErr  error

	tagMu sync.Mutex // one tag at a time: TagItem measures, then keeps or undoes what it learned
	fold  folder     // Simplified/Traditional folding for Search, loaded on first use

	// digests keeps the digest's scratch memory from one build to the
	// next (weekly posts, /digest on demand); two builds that meet each
	// take memory of their own.
	digests digest.Builder
}

// New builds a Service; now may be nil for time.Now.
func New(st *store.Store, m *classifier.Model, cfg *config.Config, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{st: st, m: m, cfg: cfg, now: now}
}

func (s *Service) Location() *time.Location { return s.cfg.Location }
func (s *Service) Config() *config.Config   { return s.cfg }
func (s *Service) Now() time.Time           { return s.now() }

// LoadModel loads the classifier (the model `retrain -from` trained, kept
// beside the store, else the shipped one: see BaseModel) and what it
// learned from the hosts' tags. When that learned part is missing or
// unreadable while tags exist (a store from before learning, a damaged
// blob), it is rebuilt from the tags, the source of truth; unless
// `retrain -reset` asked otherwise. warn reports a damaged blob or model.
func LoadModel(st *store.Store, warn func(error)) (*classifier.Model, error) {
	if st == nil {
		return classifier.Builtin()
	}
	m, err := BaseModel(filepath.Dir(st.Path()), warn)
	if err != nil {
		return nil, err
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
	if forgotten, err := st.GetState(forgottenState); err != nil || forgotten != nil {
		return m, err
	}
	tagged, err := TaggedExamples(st)
	if err != nil || len(tagged) == 0 {
		return m, err
	}
	// The memory is saved: learned from junk the cleanup pass is about to
	// remove (a write open loads the model for that pass), it would keep
	// the junk until a retrain. Reclean leaves clean text as it is.
	for i := range tagged {
		feeds.Reclean(&tagged[i].Item)
	}
	b, err := m.Relearn(tagged)
	if err != nil || st.ReadOnly() {
		return m, err // a read-only open learns for itself and saves nothing
	}
	return m, st.PutState(LearnedState, b)
}

// TaggedExamples are every tagged item the tag memory may learn from,
// oldest first: all but the tags held back by the MaxRelabel cap (read from
// the store's tag/pick index, not the whole store).
func TaggedExamples(st *store.Store) ([]classifier.Example, error) {
	held, err := heldTags(st)
	if err != nil {
		return nil, err
	}
	var out []classifier.Example
	err = st.WalkItems(store.Query{Oldest: true, Marked: true}, func(it news.Item) bool {
		if it.Tag != "" && !held[it.ID] {
			out = append(out, classifier.Example{Item: it, Label: it.Tag})
		}
		return true
	})
	return out, err
}

// Relearn rebuilds the learned part from all tags, saves it, and says how
// many tags it learned from. It lifts a ForgetLearned.
func (s *Service) Relearn() (int, error) {
	s.tagMu.Lock()
	defer s.tagMu.Unlock()
	return s.relearn()
}

// relearn is Relearn under tagMu: a relearn between TagItem's lesson and
// its undo would be lost or undone.
func (s *Service) relearn() (int, error) {
	tagged, err := TaggedExamples(s.st)
	if err != nil {
		return 0, err
	}
	b, err := s.m.Relearn(tagged)
	if err != nil {
		return 0, err
	}
	if err := s.st.PutState(forgottenState, nil); err != nil {
		return 0, err
	}
	return s.m.LearnedCount(), s.st.PutState(LearnedState, b)
}

// ForgetLearned drops what the classifier learned from tags (`retrain
// -reset`): the tags stay and still win for their own items, the shipped
// model alone classifies, and the next start does not relearn from the
// tags until Relearn is asked for.
func (s *Service) ForgetLearned() error {
	s.tagMu.Lock()
	defer s.tagMu.Unlock()
	s.m.Forget()
	if err := s.st.PutState(LearnedState, nil); err != nil {
		return err
	}
	return s.st.PutState(forgottenState, []byte("1"))
}

// ReclassifyStored rewrites every stored verdict with the current model.
// override holds verdicts decided elsewhere (the model assist's answers,
// which cannot be asked inside the store's write transaction) by item id.
// It returns how many items it rewrote and how many changed label.
func (s *Service) ReclassifyStored(override map[string]news.Verdict) (n, changed int, err error) {
	n, err = s.st.UpdateAll(func(it *news.Item) bool {
		old := it.Verdict
		v := verdict(s.m, *it)
		if o, ok := override[it.ID]; ok {
			v = &o
		}
		if old != nil && old.Label != v.Label {
			changed++
		}
		it.Verdict = v
		return true
	})
	return n, changed, err
}

// RecleanStored passes every stored item through feeds.Reclean and gives
// each one whose title or summary changed the verdict the model gives its
// new text, as ReclassifyStored would: a verdict left from the old text
// would go on showing in `items` and deciding `items -label`. It returns
// how many items it rewrote. The tag, and the rest of the item, stay.
//
// So does Lang. Normalize took it from the feed's configured language,
// else the feed document's language tag, else the text; the tag is not
// stored. A text-derived value can change with the text only when it
// equals what the old text gives, and then a tag that said the same is
// just as likely its source: no case is left where recomputing it is
// both faithful and a change.
func (s *Service) RecleanStored() (int, error) {
	return s.st.UpdateAll(func(it *news.Item) bool {
		if !feeds.Reclean(it) {
			return false
		}
		it.Verdict = verdict(s.m, *it)
		return true
	})
}

// Unsure walks the stored items whose offline verdict (the model's own,
// tag aside) send accepts: what the model assist is asked about.
func (s *Service) Unsure(send func(news.Verdict) bool) ([]news.Item, error) {
	var out []news.Item
	err := s.st.WalkItems(store.Query{}, func(it news.Item) bool {
		it.Tag = ""
		if send(s.m.Classify(it)) {
			out = append(out, it)
		}
		return true
	})
	return out, err
}

// ResolveRef turns what a host pasted into something the store finds: an
// id or the exact link work as they are; a link with other tracking
// parameters, or another arXiv version, is found through its canonical key.
func (s *Service) ResolveRef(ref string) string {
	ref = strings.TrimSpace(ref)
	if _, err := s.st.Item(ref); err == nil || !strings.Contains(ref, "/") {
		return ref
	}
	if key := feeds.KeyOf(ref); key != "" {
		if _, err := s.st.Item(key); err == nil {
			return key
		}
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

// Tag stores a host's label and folds it into the learned classifier,
// uncapped: the CLI's deliberate `tag`. A click goes through TagItem.
func (s *Service) Tag(ref string, label news.Label, by string) (news.Item, error) {
	s.tagMu.Lock()
	defer s.tagMu.Unlock()
	it, err := s.setTag(ref, label, by)
	if err != nil {
		return it, err
	}
	b, err := s.m.Learn(it, label)
	if err != nil {
		return it, err
	}
	if err := setHeld(s.st, it.ID, false); err != nil {
		return it, err
	}
	return it, s.st.PutState(LearnedState, b)
}

// setTag stores the host's label on the item ref names; the caller holds
// tagMu and teaches the classifier.
func (s *Service) setTag(ref string, label news.Label, by string) (news.Item, error) {
	return s.st.UpdateItem(s.ResolveRef(ref), func(it *news.Item) error {
		it.Tag, it.TaggedBy, it.TaggedAt = label, by, s.now().UTC()
		return nil
	})
}

// ErrNoTag is returned by Untag for an item without a tag.
var ErrNoTag = errors.New("service: the item has no tag")

// Untag removes a tag and relearns from the tags that remain (one tag
// cannot be subtracted from what was learned).
func (s *Service) Untag(ref string) (news.Item, error) {
	s.tagMu.Lock()
	defer s.tagMu.Unlock()
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
	if err := setHeld(s.st, it.ID, false); err != nil {
		return it, err
	}
	_, err = s.relearn()
	return it, err
}

// Pick adds (on) or takes back a host's pick. Picks by several hosts are
// all kept. Taking back removes by's own pick; when by had none, it
// removes every pick (a host clearing the rundown).
func (s *Service) Pick(ref string, on bool, by string) (news.Item, error) {
	return s.st.UpdateItem(s.ResolveRef(ref), func(it *news.Item) error {
		pickers := PickersOf(*it)
		switch {
		case on && !slices.Contains(pickers, by):
			pickers = append(pickers, by)
		case !on && slices.Contains(pickers, by):
			pickers = slices.DeleteFunc(pickers, func(p string) bool { return p == by })
		case !on:
			pickers = nil
		}
		it.Pickers = pickers
		it.Picked = len(pickers) > 0
		it.PickedBy = strings.Join(pickers, ", ")
		switch {
		case !it.Picked:
			it.PickedAt = time.Time{}
		case it.PickedAt.IsZero():
			it.PickedAt = s.now().UTC()
		}
		return nil
	})
}

// PickersOf are the hosts who picked an item; an item picked before
// Pickers existed has its one picker in PickedBy.
func PickersOf(it news.Item) []string {
	if len(it.Pickers) > 0 {
		return slices.Clone(it.Pickers)
	}
	if it.Picked && it.PickedBy != "" {
		return []string{it.PickedBy}
	}
	if it.Picked {
		return []string{"?"}
	}
	return nil
}

// DigestOptions fills the configured digest settings for a window.
func (s *Service) DigestOptions(week string, since, until time.Time) digest.Options {
	return digest.Options{Since: since, Until: until, Week: week, Location: s.cfg.Location,
		PerSection: s.cfg.Digest.PerSection, Points: s.cfg.Digest.Points, Language: s.cfg.Digest.Language,
		Languages: s.cfg.Digest.Languages, Interests: s.cfg.Digest.Interests, Now: s.now()}
}

// discordPerSection is the most stories per section a digest posted to
// Discord shows; per_section above it is for Markdown and JSON exports.
const discordPerSection = 25

// WeekDigest builds the digest of an ISO week ("" = the current week).
func (s *Service) WeekDigest(week string) (*digest.Digest, error) {
	var since, until time.Time
	var err error
	if week == "" {
		week, since, until = digest.WeekOf(s.now(), s.cfg.Location)
	} else if since, until, err = digest.WeekWindow(week, s.cfg.Location); err != nil {
		return nil, err
	}
	o := s.DigestOptions(week, since, until)
	o.PerSection = min(o.PerSection, discordPerSection) // this digest is posted to Discord
	return s.BuildDigest(o)
}

// BuildDigest loads the window, refreshes verdicts with the current model
// (so what the hosts' tags taught shows at once), and builds the digest.
func (s *Service) BuildDigest(o digest.Options) (*digest.Digest, error) {
	items, err := s.st.Items(store.Query{Since: o.Since, Until: o.Until, Oldest: true})
	if err != nil {
		return nil, err
	}
	Reclassify(s.m, items)
	s.cachedVerdicts(items)
	// What the hosts picked or tagged in the half year before: stories
	// like those rank higher.
	var history []news.Item
	err = s.st.WalkItems(store.Query{Since: o.Since.AddDate(0, 0, -182), Until: o.Since, Marked: true}, func(it news.Item) bool {
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
	if o.Language == "zh-TW" && o.ToTraditional == nil {
		if o.ToTraditional, err = s.traditional(); err != nil {
			return nil, err
		}
	}
	o.FeedWeights = map[string]float64{}
	for _, f := range recs {
		o.FeedWeights[f.Name] = f.Weight
	}
	d, err := s.digests.Build(items, history, o)
	if err != nil {
		return nil, fmt.Errorf("service: %w", err)
	}
	s.brief(d, items)
	return d, nil
}

// Episode is the rundown of what the hosts picked in the current and the
// previous week, by section.
func (s *Service) Episode() (*digest.Digest, error) { return s.EpisodeIn(s.cfg.Digest.Language) }

// EpisodeIn is Episode in a language ("en" or "zh-TW").
func (s *Service) EpisodeIn(lang string) (*digest.Digest, error) {
	week, since, until := digest.WeekOf(s.now(), s.cfg.Location)
	since = since.AddDate(0, 0, -7)
	var picked []news.Item
	err := s.st.WalkItems(store.Query{Since: since, Until: until, Oldest: true, Marked: true}, func(it news.Item) bool {
		if it.Picked {
			picked = append(picked, it)
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	Reclassify(s.m, picked)
	s.cachedVerdicts(picked)
	o := s.DigestOptions("", since, until)
	o.Language = lang
	o.PerSection = discordPerSection
	o.PicksInSections = true // the rundown groups picks by research, product, other
	if o.Language == "zh-TW" {
		if o.ToTraditional, err = s.traditional(); err != nil {
			return nil, err
		}
	}
	d, err := s.digests.Build(picked, nil, o)
	if err != nil {
		return nil, fmt.Errorf("service: %w", err)
	}
	d.Week = week
	return d, nil
}

// Reclassify gives every item the model's current verdict. The verdict is
// the model's own even for a tagged item (the tag still wins where labels
// are read), so an untag shows what the model thinks.
func Reclassify(m Classifier, items []news.Item) {
	for i := range items {
		items[i].Verdict = verdict(m, items[i])
	}
}

func verdict(m Classifier, it news.Item) *news.Verdict {
	it.Tag = ""
	v := m.Classify(it)
	return &v
}

// Describe returns an item with the classifier's current verdict: what
// the hosts' Details button shows.
func (s *Service) Describe(ref string) (news.Item, error) {
	it, err := s.st.Item(s.ResolveRef(ref))
	if err != nil {
		return it, err
	}
	it.Verdict = verdict(s.m, it)
	return it, nil
}
