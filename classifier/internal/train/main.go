// Command train builds classifier/model.bin, reproducibly: the same inputs
// give the same bytes. It is what `go generate ./classifier` runs.
//
//	go run ./internal/train -out model.bin            (from classifier/)
//	go run ./internal/train -cv 5 ../../shared/eval/dev.jsonl
//
// Training data: data/seed.jsonl (written for this project, in the
// repository) plus, when it exists, the team's labelled dev set at
// ../../shared/eval/dev.jsonl (outside the repository; a user's clone
// trains on the seed alone and gets a weaker model). With -cv K it instead
// reports K-fold cross-validated scores of the extra files, training every
// fold on the seed plus the other folds.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/triagebot/triagebot/classifier"
	"github.com/triagebot/triagebot/news"
)

func main() {
	out := flag.String("out", "", "write the model here")
	seed := flag.String("seed", "data/seed.jsonl", "seed corpus")
	cv := flag.Int("cv", 0, "K-fold cross-validate the extra files instead of writing a model")
	learn := flag.Float64("learn", 0, "learning experiment: tag this fraction of the extra files on a seed-only model and score the rest before and after")
	seedOnly := flag.Bool("seed-only", false, "train on the seed alone and score the extra files (a fully out-of-sample check)")
	showErrors := flag.Bool("errors", false, "with -cv: list the news and blog items it got wrong")
	var opts classifier.TrainOptions
	flag.IntVar(&opts.Epochs, "epochs", 0, "training epochs (0: default)")
	flag.Float64Var(&opts.L2, "l2", 0, "L2 weight decay (0: default)")
	flag.Float64Var(&opts.Rate, "rate", 0, "AdaGrad rate (0: default)")
	flag.Parse()
	extras := flag.Args()
	if len(extras) == 0 {
		if _, err := os.Stat(filepath.FromSlash("../../shared/eval/dev.jsonl")); err == nil {
			extras = []string{"../../shared/eval/dev.jsonl"}
		}
	}
	base := read(*seed)
	var extra []classifier.Example
	for _, f := range extras {
		extra = append(extra, read(f)...)
	}
	if *learn > 0 {
		learnExperiment(base, extra, *learn, opts)
		return
	}
	if *seedOnly {
		m, err := classifier.Train(base, opts)
		if err != nil {
			log.Fatal(err)
		}
		verdicts := make([]news.Verdict, len(extra))
		for i, e := range extra {
			verdicts[i] = m.Classify(e.Item)
		}
		report(extra, verdicts)
		return
	}
	if *cv > 0 {
		verdicts, err := classifier.CrossValidate(base, extra, *cv, opts)
		if err != nil {
			log.Fatal(err)
		}
		report(extra, verdicts)
		if *showErrors {
			for i, v := range verdicts {
				if v.Label != extra[i].Label && extra[i].Item.SourceKind != "paper" {
					fmt.Printf("gold %-8s got %-8s %.2f %s | %v\n", extra[i].Label, v.Label, v.Confidence, extra[i].Item.Title, v.Reasons)
				}
			}
		}
		return
	}
	if *out == "" {
		log.Fatal("train: give -out FILE or -cv K")
	}
	if len(extra) > 0 {
		opts.CalibrateFrom = len(base)
	}
	m, err := classifier.Train(append(base, extra...), opts)
	if err != nil {
		log.Fatal(err)
	}
	b, err := m.Encode()
	if err != nil {
		log.Fatal(err)
	}
	if old, err := os.ReadFile(*out); err == nil && bytes.Equal(old, b) {
		fmt.Fprintf(os.Stderr, "train: %s unchanged\n", *out)
		return
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		log.Fatal(err)
	}
	fmt.Fprintf(os.Stderr, "train: wrote %s (%d bytes) from %d seed + %d extra examples %v\n", *out, len(b), len(base), len(extra), extras)
}

func read(path string) []classifier.Example {
	f, err := os.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	ex, err := classifier.ReadExamples(f)
	if err != nil {
		log.Fatalf("%s: %v", path, err)
	}
	return ex
}

func report(ex []classifier.Example, v []news.Verdict) {
	fmt.Print(classifier.Evaluate(ex, v).Text())
}

// learnExperiment shows what the hosts' tags do: a model that never saw the
// extra files classifies half of them; then the other half is tagged (fed
// through Learn one by one, as `tag` does) and the first half is scored
// again. Split by position parity within each label, so both halves keep
// the label mix.
func learnExperiment(base, extra []classifier.Example, frac float64, opts classifier.TrainOptions) {
	m, err := classifier.Train(base, opts)
	if err != nil {
		log.Fatal(err)
	}
	var tagged, held []classifier.Example
	seen := map[news.Label]int{}
	for _, e := range extra {
		seen[e.Label]++
		if float64(seen[e.Label]%100) < frac*100 && len(tagged) < int(frac*float64(len(extra)))+3 {
			tagged = append(tagged, e)
		} else {
			held = append(held, e)
		}
	}
	score := func() classifier.Report {
		v := make([]news.Verdict, len(held))
		for i, e := range held {
			v[i] = m.Classify(e.Item)
		}
		return classifier.Evaluate(held, v)
	}
	before := score()
	for _, e := range tagged {
		if _, err := m.Learn(e.Item, e.Label); err != nil {
			log.Fatal(err)
		}
	}
	after := score()
	fmt.Printf("learning experiment: seed-only model, %d items tagged, %d held out\n", len(tagged), len(held))
	fmt.Printf("  held-out news+blog macro-F1: before %.3f, after tags %.3f (accuracy %.3f -> %.3f)\n",
		before.NewsBlog.MacroF1, after.NewsBlog.MacroF1, before.NewsBlog.Accuracy, after.NewsBlog.Accuracy)
	fmt.Printf("  held-out overall macro-F1:   before %.3f, after tags %.3f\n", before.Overall.MacroF1, after.Overall.MacroF1)
}
