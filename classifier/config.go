package classifier

import (
	"fmt"
	"slices"
)

// featureVersion changes whenever extraction code changes what a feature
// means (tokenizing, hashing, cue matching), so that a model file built by
// older code is refused instead of read with shifted meanings.
const featureVersion = 2

// Features says which features the extractor makes. A model is only valid
// with the features it was trained on: the model file records their Hash.
type Features struct {
	// CharMin..CharMax: character n-grams of each word with its boundaries
	// ("<la", "lau", …, "ch>"), so "launch", "launcher" and "relaunch"
	// share evidence; 0 turns them off.
	CharMin, CharMax int
	// CharSummary adds character n-grams of summary words too, not only
	// of the title's.
	CharSummary bool
	// HanMax: Chinese character n-grams of length 2..HanMax.
	HanMax int
	// NoCues drops the curated cue-phrase groups (for measuring them).
	NoCues bool
	// CueSlices adds each cue group again per feed kind and language.
	CueSlices bool
	// Source adds the feed's name: a per-feed prior learned in training.
	Source bool
	// Shape adds features of an item's form (shape.go): a version in the
	// title, figures, a number opening the title, a short summary, …
	Shape bool
	// MaxText is how many bytes of a summary are read.
	MaxText int
	// CuePairs adds a feature per pair of cue groups met together: 1 in
	// the title, 2 anywhere in the item; PairValue is its value.
	CuePairs  int
	PairValue float64
	// CueHan adds each cue group met in a Chinese item again, as a
	// Chinese item's: a launch word in a Chinese flash item says
	// something else than in an English story or a company's blog, and
	// with one weight per group the English items, three in four, set it.
	CueHan bool
}

// DefaultFeatures are the features the shipped model uses, chosen by
// source-held-out cross-validation (README, "The classifier").
func DefaultFeatures() Features {
	return Features{CharMin: 2, CharMax: 4, HanMax: 3, Shape: true, MaxText: 400, CueHan: true}
}

// Hash identifies the feature set: the extraction version, the
// configuration and the whole lexicon (cue groups, phrases, stopwords).
// Two models with the same hash read items the same way.
func (f Features) Hash() uint64 {
	// Fields added since the shipped model are hashed only when set, so
	// adding an option does not orphan the models built without it.
	pairs := f.CuePairs != 0 || f.PairValue != 0
	extra := ""
	if pairs {
		extra = fmt.Sprintf("pairs%d,%g|", f.CuePairs, f.PairValue)
	}
	if f.CueHan {
		extra += "cuehan|"
	}
	f.CuePairs, f.PairValue, f.CueHan = 0, 0, false
	h := fnvString(fmt.Sprintf("v%d|hash%d|%+v|%s", featureVersion, hashBits, legacy(f), extra))
	groups := cueGroups()
	names := make([]string, 0, len(groups))
	for g := range groups {
		names = append(names, g)
	}
	slices.Sort(names)
	for _, g := range names {
		h = mix(h, fnvString("group:"+g))
		for _, p := range groups[g] {
			h = mix(h, fnvString(p))
		}
	}
	for _, w := range stopwords() {
		h = mix(h, fnvString("stop:"+w))
	}
	return h
}

// legacyFeatures is Features as the first models hashed it (printed
// with %+v, field names and all).
type legacyFeatures struct {
	CharMin, CharMax int
	CharSummary      bool
	HanMax           int
	NoCues           bool
	CueSlices        bool
	Source           bool
	Shape            bool
	MaxText          int
}

func legacy(f Features) legacyFeatures {
	return legacyFeatures{f.CharMin, f.CharMax, f.CharSummary, f.HanMax, f.NoCues, f.CueSlices, f.Source, f.Shape, f.MaxText}
}

func (f *Features) fill() {
	if f.MaxText <= 0 {
		f.MaxText = 400
	}
	if f.HanMax < 2 {
		f.HanMax = 2
	}
}
