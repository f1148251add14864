package service

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/triagebot/triagebot/news"
	"github.com/triagebot/triagebot/store"
)

// MaxRelabel caps the tag memory's reach: when one tag would change the
// label of more than this many other recent items, the tag is kept on its
// own item but the classifier does not learn from it, and the answer says
// so. One click must not silently move dozens of items.
const MaxRelabel = 10

// HeldState is the store's name for the ids of items whose tag was held
// back from the tag memory by the MaxRelabel cap: a later relearn (an
// untag, `retrain`, a rebuilt memory) leaves them out too, so the cap
// holds for good, not until the next relearn.
const HeldState = "classifier.held"

// heldTags reads the held item ids.
func heldTags(st *store.Store) (map[string]bool, error) {
	raw, err := st.GetState(HeldState)
	if err != nil || raw == nil {
		return map[string]bool{}, err
	}
	var ids []string
	if err := json.Unmarshal(raw, &ids); err != nil {
		return nil, fmt.Errorf("service: read %s: %w", HeldState, err)
	}
	out := make(map[string]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}

// setHeld adds (on) or removes an item id from the held tags.
func setHeld(st *store.Store, id string, on bool) error {
	held, err := heldTags(st)
	if err != nil {
		return err
	}
	if held[id] == on {
		return nil
	}
	if on {
		held[id] = true
	} else {
		delete(held, id)
	}
	ids := make([]string, 0, len(held))
	for k := range held {
		ids = append(ids, k)
	}
	slices.Sort(ids)
	raw, err := json.Marshal(ids)
	if err != nil {
		return err
	}
	return st.PutState(HeldState, raw)
}

// relabelWindow is how far back TagItem looks for items a tag re-labels:
// the weeks the hosts still read.
const relabelWindow = 28

// TagResult says what a tag did.
type TagResult struct {
	Item news.Item
	// Relabelled counts the other recent, untagged items whose label the
	// tag memory changed.
	Relabelled int
	// Held is true when Relabelled passed MaxRelabel: the item is tagged,
	// the memory does not learn from it (see HeldState).
	Held bool
}

// TagItem tags an item and teaches the classifier's tag memory, within
// MaxRelabel. It counts how many other items of the last four weeks the
// lesson re-labels by classifying them before and after.
func (s *Service) TagItem(ref string, label news.Label, by string) (TagResult, error) {
	s.tagMu.Lock()
	defer s.tagMu.Unlock()
	it, err := s.setTag(ref, label, by)
	if err != nil {
		return TagResult{Item: it}, err
	}
	recent, err := s.st.Items(store.Query{Since: s.now().AddDate(0, 0, -relabelWindow), Limit: 5000})
	if err != nil {
		return TagResult{Item: it}, err
	}
	before := make(map[string]news.Label, len(recent))
	for _, r := range recent {
		if r.Tag == "" && r.ID != it.ID {
			before[r.ID] = s.m.Classify(r).Label
		}
	}
	prev, err := s.st.GetState(LearnedState)
	if err != nil {
		return TagResult{Item: it}, err
	}
	b, err := s.m.Learn(it, label)
	if err != nil {
		return TagResult{Item: it}, err
	}
	res := TagResult{Item: it}
	for _, r := range recent {
		if l, ok := before[r.ID]; ok && s.m.Classify(r).Label != l {
			res.Relabelled++
		}
	}
	if res.Relabelled > MaxRelabel {
		res.Held = true
		if err := s.m.LoadLearned(prev); err != nil {
			return res, fmt.Errorf("service: undo a lesson past the relabel cap: %w", err)
		}
		return res, setHeld(s.st, it.ID, true)
	}
	if err := setHeld(s.st, it.ID, false); err != nil {
		return res, err
	}
	return res, s.st.PutState(LearnedState, b)
}
