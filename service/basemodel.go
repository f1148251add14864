package service

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/triagebot/triagebot/classifier"
	"github.com/triagebot/triagebot/internal/atomicfile"
	"github.com/triagebot/triagebot/news"
)

// BaseModelFile is where `retrain -from FILE` keeps the model it trained,
// in data_dir: a file rather than a store entry, so that `classify`, which
// never opens the store, uses it too.
const BaseModelFile = "classifier-model.bin"

// The smallest labelled set `retrain -from` trains on: with fewer items,
// or a label with almost none, the model would guess.
const (
	MinTrainItems    = 30
	MinTrainPerLabel = 5
)

// ErrTooFewExamples: the labelled file is too small to train on.
var ErrTooFewExamples = errors.New("service: too few labelled items to train a model")

// BaseModel is the model items are classified with, before tags: the one
// `retrain -from` trained when data_dir holds it, else the shipped one. A
// model file that cannot be used (damaged, or built for the features of
// another version) is reported to warn, and the shipped model is used.
func BaseModel(dataDir string, warn func(error)) (*classifier.Model, error) {
	shipped, err := classifier.Builtin()
	if err != nil {
		return nil, err
	}
	path := filepath.Join(dataDir, BaseModelFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return shipped, nil
	}
	if err == nil {
		var m *classifier.Model
		if m, err = classifier.Decode(b); err == nil {
			return m, nil
		}
	}
	if warn != nil {
		warn(fmt.Errorf("service: %s: %w; using the shipped model (run `triagebot retrain -from FILE` again, or `retrain -reset`)", path, err))
	}
	return shipped, nil
}

// TrainReport says what TrainBase trained on.
type TrainReport struct {
	Items   int                // the caller's labelled items
	Seed    int                // seed examples added
	ByLabel map[news.Label]int // the caller's items per label
}

// CheckTrainingSet refuses a labelled set too small to train on, saying
// what it holds and what is missing.
func CheckTrainingSet(ex []classifier.Example) (map[news.Label]int, error) {
	by := map[news.Label]int{}
	for _, e := range ex {
		by[e.Label]++
	}
	short := len(ex) < MinTrainItems
	for _, l := range news.Labels() {
		short = short || by[l] < MinTrainPerLabel
	}
	if short {
		return by, fmt.Errorf("%w: %d items (research %d, product %d, other %d); a model needs at least %d, with at least %d of each label",
			ErrTooFewExamples, len(ex), by[news.Research], by[news.Product], by[news.Other], MinTrainItems, MinTrainPerLabel)
	}
	return by, nil
}

// TrainBase trains a new base model on the hosts' labelled items (after
// the project's seed examples when withSeed), keeps it in data_dir, and
// classifies with it from now on; what was learned from tags stays.
// Stored verdicts are not touched: the caller reclassifies.
func (s *Service) TrainBase(ex []classifier.Example, withSeed bool) (TrainReport, error) {
	by, err := CheckTrainingSet(ex)
	if err != nil {
		return TrainReport{}, err
	}
	var seed []classifier.Example
	if withSeed {
		if seed, err = classifier.SeedExamples(); err != nil {
			return TrainReport{}, err
		}
	}
	// The seed examples come first and stay out of calibration, as in the
	// shipped model: they are cleaner than real items.
	m, err := classifier.Train(append(seed, ex...), classifier.TrainOptions{CalibrateFrom: len(seed)})
	if err != nil {
		return TrainReport{}, err
	}
	b, err := m.Encode()
	if err != nil {
		return TrainReport{}, err
	}
	if err := atomicfile.WriteFile(filepath.Join(filepath.Dir(s.st.Path()), BaseModelFile), b, 0o644); err != nil {
		return TrainReport{}, err
	}
	if err := s.m.UseBase(m); err != nil {
		return TrainReport{}, err
	}
	return TrainReport{Items: len(ex), Seed: len(seed), ByLabel: by}, nil
}

// ResetBase goes back to the shipped model: the trained model file is
// removed and the shipped weights classify from now on.
func (s *Service) ResetBase() error {
	shipped, err := classifier.Builtin()
	if err != nil {
		return err
	}
	if err := os.Remove(filepath.Join(filepath.Dir(s.st.Path()), BaseModelFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("service: %w", err)
	}
	return s.m.UseBase(shipped)
}
