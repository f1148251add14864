package classifier

import (
	"errors"
	"fmt"
	"testing"

	"github.com/triagebot/triagebot/news"
)

// adaptFixture: per label, n items carrying a word only that label's
// items use, with a little shared text, as news from a few outlets.
func adaptFixture(words [nLabels]string, n int, from string) []Example {
	var out []Example
	for c, l := range labelOrder() {
		for i := range n {
			out = append(out, Example{
				Item: news.Item{
					Title:      fmt.Sprintf("%s report number %d", words[c], i),
					Summary:    fmt.Sprintf("The %s story, part %d, as %s tells it.", words[c], i, from),
					URL:        fmt.Sprintf("https://%s%d.example/a/%d", from, i%4, i),
					SourceKind: news.KindNews,
				},
				Label: l,
			})
		}
	}
	return out
}

// A model adapted to new items learns what they teach and keeps what the
// model it started from knew and they do not contradict; a model trained
// on the new items alone cannot know it.
func TestAdaptKeepsWhatThePriorKnew(t *testing.T) {
	old := [nLabels]string{"zorblat", "quibbit", "vexhal"}
	fresh := [nLabels]string{"snarfle", "drommel", "plonkit"}
	prior, err := Train(adaptFixture(old, 20, "old"), TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	mine := adaptFixture(fresh, 12, "mine")
	adapted, err := Train(mine, TrainOptions{Prior: prior})
	if err != nil {
		t.Fatal(err)
	}
	alone, err := Train(mine, TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	probe := func(word string) news.Item {
		return news.Item{Title: word + " surfaces again", Summary: "Nothing else is said.", SourceKind: news.KindNews}
	}
	discriminates := false
	for c, l := range labelOrder() {
		if got := adapted.Classify(probe(fresh[c])); got.Label != l {
			t.Errorf("adapted model on a new word of %s items: %+v", l, got)
		}
		if got := adapted.Classify(probe(old[c])); got.Label != l {
			t.Errorf("adapted model forgot that %q meant %s: %+v", old[c], l, got)
		}
		if got := alone.Classify(probe(old[c])); got.Label != l {
			discriminates = true
		}
	}
	if !discriminates {
		t.Fatal("the model trained alone reads the old words right too: the probes cannot tell adapting from not")
	}
}

// The model to adapt must read items as the new one will, and the text
// scalings (whose weights live in another space) are refused with it.
func TestAdaptRefusesWhatItCannotStartFrom(t *testing.T) {
	data := adaptFixture([nLabels]string{"zorblat", "quibbit", "vexhal"}, 10, "old")
	other := DefaultFeatures()
	other.CharMax = 0
	prior, err := Train(data, TrainOptions{Features: &other, CalibrationFolds: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Train(data, TrainOptions{Prior: prior, CalibrationFolds: 1}); !errors.Is(err, ErrFeatureMismatch) {
		t.Errorf("a prior with other features: %v, want ErrFeatureMismatch", err)
	}
	same, err := Train(data, TrainOptions{CalibrationFolds: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range []TrainOptions{{Scale: ScaleIDF}, {MinCount: 3}, {OneOutlet: 0.5}, {TextScale: 2}} {
		o.Prior, o.CalibrationFolds = same, 1
		if _, err := Train(data, o); err == nil {
			t.Errorf("adapting with %+v was accepted", o)
		}
	}
	if _, err := Train(data, TrainOptions{Prior: same, CalibrationFolds: 1}); err != nil {
		t.Errorf("adapting a model with the same features: %v", err)
	}
}

// A slice the new items cannot calibrate (fewer than 20 out-of-fold
// verdicts, or calibration off) keeps the temperature of the model
// adapted, whose weights it mostly still has: a host's news-only file
// must not leave arXiv papers at temperature 1 (the shipped model's is
// 0.1), which turns their near-certain verdicts into doubtful ones.
func TestAdaptKeepsThePriorsTemperatureWhereItCannotCalibrate(t *testing.T) {
	prior := builtin(t)
	if prior.temp[slicePaper] == 1 || prior.temp[sliceNews] == 1 {
		t.Fatalf("shipped temperatures %v: the test cannot tell kept from unset", prior.temp)
	}
	words := [nLabels]string{"snarfle", "drommel", "plonkit"}
	cases := []struct {
		name  string
		ex    []Example
		folds int
		kept  []int // slices that must keep the prior's temperature
	}{
		{"news only", adaptFixture(words, 12, "mine"), 0, []int{slicePaper}},
		{"too few news items", adaptFixture(words, 4, "mine"), 0, []int{slicePaper, sliceNews}},
		{"calibration off", adaptFixture(words, 12, "mine"), 1, []int{slicePaper, sliceNews}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Train(tc.ex, TrainOptions{Prior: prior, CalibrationFolds: tc.folds})
			if err != nil {
				t.Fatal(err)
			}
			for _, sl := range tc.kept {
				if m.temp[sl] != prior.temp[sl] {
					t.Errorf("slice %d: temperature %v, want the prior's %v", sl, m.temp[sl], prior.temp[sl])
				}
			}
		})
	}
}
