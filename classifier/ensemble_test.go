package classifier

import (
	"testing"

	"github.com/triagebot/triagebot/news"
)

// Bagging averages the outlet-fold models, but a fold model trained on
// less than half the data (the fixture is one outlet, so one fold trains
// on a few papers alone) stays out instead of shrinking the average: the
// bagged scores stay within 10% of the full model's (with that fold model
// in, they shrink by about a sixth).
func TestBaggingSkipsStarvedFoldModels(t *testing.T) {
	data := fixture()
	bag, err := Train(data, TrainOptions{Epochs: 5})
	if err != nil {
		t.Fatal(err)
	}
	one, err := Train(data, TrainOptions{Epochs: 5, NoBag: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range []news.Item{
		{Title: "Zeta raises $40M in Series B funding", SourceKind: news.KindNews},
		{Title: "Zeta app launches a voice mode", SourceKind: news.KindNews},
	} {
		var a, b [nLabels]float32
		bag.score(bag.ext.extract(&it, nil), &a)
		one.score(one.ext.extract(&it, nil), &b)
		for c := range nLabels {
			if r := a[c] / b[c]; r < 0.9 || r > 1.1 {
				t.Errorf("%q: bagged scores %v, full model %v", it.Title, a, b)
				break
			}
		}
	}
}

// The second model of an ensemble folds into the weight table: a fixed
// weight w gives the regression's scores plus w times the second's.
func TestSecondModelFoldsIntoWeights(t *testing.T) {
	data := fixture()
	base, err := Train(data, TrainOptions{Epochs: 5, NoBag: true, CalibrationFolds: 1})
	if err != nil {
		t.Fatal(err)
	}
	ens, err := Train(data, TrainOptions{Epochs: 5, NoBag: true, CalibrationFolds: 1, Second: SecondModel{Kind: SecondNB, Weight: 0.5}})
	if err != nil {
		t.Fatal(err)
	}
	if ens.SecondWeight() != 0.5 || base.SecondWeight() != 0 {
		t.Fatalf("weights %v, %v", ens.SecondWeight(), base.SecondWeight())
	}
	samples, err := base.samples(data, TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	o := TrainOptions{}
	o.defaults()
	nb := fitSecond(samples, TrainOptions{Second: SecondModel{Kind: SecondNB, Alpha: o.Second.Alpha}})
	for i := range ens.w {
		if d := ens.w[i] - base.w[i] - 0.5*nb[i]; d > 1e-5 || d < -1e-5 {
			t.Fatalf("bucket %d: %v != %v + 0.5 × %v", i, ens.w[i], base.w[i], nb[i])
		}
	}
}

// Each training loss fits the fixture: every item of it, classified by a
// model trained on it, gets its label; and the losses are not the same
// fit under two names.
func TestLossesFit(t *testing.T) {
	data := fixture()
	enc := map[int][]byte{}
	for _, tc := range []struct {
		name string
		loss int
	}{
		{"log loss", LossLog},
		{"squared hinge", LossSquaredHinge},
	} {
		m, err := Train(data, TrainOptions{Epochs: 10, NoBag: true, CalibrationFolds: 1, Loss: tc.loss})
		if err != nil {
			t.Fatal(err)
		}
		wrong := 0
		for _, e := range data {
			if v := m.Classify(e.Item); v.Label != e.Label {
				wrong++
			}
		}
		if wrong > 0 {
			t.Errorf("%s: %d of %d training items misclassified", tc.name, wrong, len(data))
		}
		if enc[tc.loss], err = m.Encode(); err != nil {
			t.Fatal(err)
		}
	}
	if string(enc[LossLog]) == string(enc[LossSquaredHinge]) {
		t.Error("squared hinge trained the same weights as log loss")
	}
}

// OneOutlet scales a text feature seen more than once in one outlet only
// (an outlet's own wording); one seen once, one seen in two outlets, and
// features that are not text stay at 1. TextScale scales all text
// features.
func TestOneOutletScales(t *testing.T) {
	word := func(b uint32) feat { return mkFeat(b, 1, fWord, 0, 0, 0, 0) }
	cue := mkFeat(9, 1, fCue, 0, 0, 0, 0)
	samples := []sample{
		{feats: []feat{word(1), word(2), word(3), cue}, y: 0, outlet: 0},
		{feats: []feat{word(1), word(2), cue}, y: 1, outlet: 0},
		{feats: []feat{word(2), cue}, y: 2, outlet: 1},
	}
	for _, tc := range []struct {
		name   string
		factor float64
		text   float64 // TextScale
		bucket uint32
		want   float32
	}{
		{"twice in one outlet", 0.5, 0, 1, 0.5},
		{"twice in one outlet, dropped", 0.001, 0, 1, 0.001},
		{"in two outlets", 0.5, 0, 2, 1},
		{"seen once", 0.5, 0, 3, 1},
		{"a cue group", 0.5, 0, 9, 1},
		{"off", 0, 0, 1, 1},
		// TextScale scales every text feature, on top of OneOutlet, and
		// leaves cue groups alone.
		{"text scale, in two outlets", 0, 0.7, 2, 0.7},
		{"text scale, twice in one outlet", 0.5, 0.7, 1, 0.35},
		{"text scale, a cue group", 0, 0.7, 9, 1},
	} {
		sc := scales(samples, ScaleNone, 0, tc.factor, tc.text)
		for c := range nLabels {
			if got := sc[int(tc.bucket)*nLabels+c]; got != tc.want {
				t.Errorf("%s: label %d scale %v, want %v", tc.name, c, got, tc.want)
			}
		}
	}
}
