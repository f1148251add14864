package service

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/triagebot/triagebot/classifier"
	"github.com/triagebot/triagebot/news"
)

// A model file that cannot be used, damaged or built for other features
// (an upgrade changed them), is reported, and the shipped model
// classifies: a bot keeps working and says what to do.
func TestBaseModelFallsBackToTheShippedModel(t *testing.T) {
	shipped, err := classifier.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	other := classifier.DefaultFeatures()
	other.HanMax = 4
	ex, err := classifier.SeedExamples()
	if err != nil {
		t.Fatal(err)
	}
	odd, err := classifier.Train(ex, classifier.TrainOptions{Epochs: 2, CalibrationFolds: 1, Features: &other})
	if err != nil {
		t.Fatal(err)
	}
	oddBytes, err := odd.Encode()
	if err != nil {
		t.Fatal(err)
	}
	probe := news.Item{Title: "Acme launches a voice mode for its assistant app", SourceKind: news.KindNews}
	for name, tc := range map[string]struct {
		file []byte
		want error
	}{
		"damaged":        {[]byte("not a model"), classifier.ErrBadModel},
		"other features": {oddBytes, classifier.ErrFeatureMismatch},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, BaseModelFile), tc.file, 0o644)
			var warned error
			m, err := BaseModel(dir, func(err error) { warned = err })
			if err != nil {
				t.Fatal(err)
			}
			if !errors.Is(warned, tc.want) {
				t.Errorf("warned %v, want %v", warned, tc.want)
			}
			if g, w := m.Classify(probe), shipped.Classify(probe); g.Label != w.Label || g.Confidence != w.Confidence {
				t.Errorf("classified %+v, want the shipped model's %+v", g, w)
			}
		})
	}
	var warned error
	if _, err := BaseModel(t.TempDir(), func(err error) { warned = err }); err != nil || warned != nil {
		t.Errorf("no model file: %v, warned %v", err, warned)
	}
}

// TrainBase refuses too small a set before training and writes nothing.
func TestTrainBaseRefusesTooFewItems(t *testing.T) {
	svc, st := newService(t, nil, nil)
	ex, err := classifier.SeedExamples()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.TrainBase(ex[:MinTrainItems-1], BaseTraining{}); !errors.Is(err, ErrTooFewExamples) {
		t.Errorf("%d items: %v", MinTrainItems-1, err)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(st.Path()), BaseModelFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a model file was written: %v", err)
	}
}
