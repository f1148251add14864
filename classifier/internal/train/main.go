// Command train builds classifier/model.bin and measures the classifier.
// It is what `go generate ./classifier` runs; the same inputs give the same
// bytes.
//
//	go run ./internal/train -out model.bin                 (from classifier/)
//	go run ./internal/train -out model.bin my-labels.jsonl (your own data)
//	go run ./internal/train -cv 5 -by source -seeds 5      (validation)
//	go run ./internal/train -cv 5 -pool DIR                (self-training experiment)
//
// -pool only measures: the feed captures it reads (../shared/feeds) may not
// be used in the project's build, so the shipped model never learns from
// them.
//
// Training data: labelled JSONL files given as arguments, by default the
// team's dev.jsonl and train.jsonl in ../../shared/eval (outside the
// repository), plus the seed examples in data/seed.jsonl. Without the
// data files it stops with an error rather than build a weaker model from
// the seed alone.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/longbridgeapp/opencc"
	"github.com/triagebot/triagebot/classifier"
	"github.com/triagebot/triagebot/news"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("train: ")
	out := flag.String("out", "", "write the model here")
	dataDir := flag.String("data", "../../shared/eval", "directory holding dev.jsonl and train.jsonl, used when no files are given")
	cv := flag.Int("cv", 0, "K-fold cross-validate instead of writing a model")
	by := flag.String("by", "source", "with -cv: source (hold out whole outlets) or random folds")
	adapt := flag.String("adapt", "", "with -learn: also compare retraining on the tagged part alone, adapting the model to it with these prior pulls (comma-separated, e.g. 0.1) and retraining on everything; over -seeds fold seeds")
	loo := flag.Bool("loo", false, "cross-validate leaving one outlet out: as many folds as outlets (sets -cv, needs -by source)")
	seeds := flag.Int("seeds", 5, "with -cv: fold seeds to average over")
	firstSeed := flag.Int("first-seed", 1, "with -cv: the first fold seed (seeds run from it)")
	learn := flag.Float64("learn", 0, "learning experiment: tag this fraction of the data on a model trained without it and score the rest before and after")
	showErrors := flag.Bool("errors", false, "with -cv: list the news and blog items it got wrong (first seed)")
	dump := flag.String("dump", "", "with -cv: write every fold seed's out-of-fold verdicts here as JSONL, for error analysis")
	verbose := flag.Bool("v", false, "with -cv: print every seed's full report")
	halves := flag.Int("halves", 0, "with -cv: also score the news and blog items of each half of the outlets, split by this seed (to measure cues chosen from one half's errors on the other)")
	poolDir := flag.String("pool", "", "with -cv: self-training experiment: feed files (*.xml) in this directory, unlabelled, pseudo-labelled by each fold's model")
	poolHeld := flag.Bool("pool-held", false, "with -pool: use the held-out outlets' pool items too (transductive, not the protocol)")
	poolConf := flag.Float64("pool-conf", 0.9, "with -pool: confidence a pseudo-label needs")
	seedFile := flag.String("base", "data/seed.jsonl", "labelled JSONL in every training set and fold, outside validation (the project's seed examples; \"\" for none)")
	var opts classifier.TrainOptions
	flag.IntVar(&opts.Epochs, "epochs", 0, "training epochs (0: default)")
	flag.Float64Var(&opts.L2, "l2", 0, "L2 weight decay (0: default)")
	flag.Float64Var(&opts.Rate, "rate", 0, "AdaGrad rate (0: default)")
	feats := classifier.DefaultFeatures()
	flag.IntVar(&feats.CharMin, "char-min", feats.CharMin, "shortest character n-gram")
	flag.IntVar(&feats.CharMax, "char-max", feats.CharMax, "longest character n-gram (0: none)")
	flag.BoolVar(&feats.CharSummary, "char-summary", feats.CharSummary, "character n-grams in the summary too")
	flag.IntVar(&feats.HanMax, "han", feats.HanMax, "longest Chinese character n-gram")
	flag.BoolVar(&feats.NoCues, "no-cues", feats.NoCues, "drop the cue-phrase groups")
	flag.BoolVar(&feats.CueSlices, "cue-slices", feats.CueSlices, "cue groups per feed kind and language too")
	flag.BoolVar(&feats.CueHan, "cue-han", feats.CueHan, "each cue group met in a Chinese item again, as a Chinese item's (with -cue-slices, its copies instead)")
	flag.BoolVar(&feats.Source, "source", feats.Source, "the feed's name as a feature (a per-feed prior)")
	flag.BoolVar(&feats.Shape, "shape", feats.Shape, "features of the item's form (version, figures, voice, …)")
	flag.IntVar(&feats.CuePairs, "cue-pairs", feats.CuePairs, "a feature per pair of cue groups met together: 1 in the title, 2 anywhere")
	flag.Float64Var(&feats.PairValue, "pair-value", feats.PairValue, "value of a cue-pair feature (0: 1)")
	flag.IntVar(&feats.MaxText, "max-text", feats.MaxText, "bytes of the summary read")
	flag.Float64Var(&opts.ConfidentTarget, "conf-target", 0, "accuracy the news+blog calibration aims at for confidence >= 0.8 (0: default, <0: log loss only)")
	flag.IntVar(&opts.Loss, "loss", 0, "training loss: 0 log loss, 1 squared hinge (one-vs-rest)")
	flag.Float64Var(&opts.OneOutlet, "one-outlet", 0, "scale text features seen more than once but in one outlet only by this (0: leave them)")
	flag.BoolVar(&opts.FitBias, "bias", false, "fit per-label offsets for news and blog items")
	flag.IntVar(&opts.Scale, "scale", 0, "text feature weighting in training: 0 none, 1 IDF, 2 naive Bayes ratios")
	flag.IntVar(&opts.MinCount, "min-count", 0, "drop text features seen fewer times in training")
	flag.BoolVar(&opts.NoBag, "no-bag", false, "do not average the calibration folds' models with the full one (bagging over outlets)")
	flag.IntVar(&opts.Second.Kind, "second", 0, "ensemble's second model: 0 none, 1 naive Bayes, 2 complement naive Bayes, 3 text-only regression")
	flag.Float64Var(&opts.Second.Alpha, "nb-alpha", 0, "naive Bayes smoothing (0: default)")
	flag.Float64Var(&opts.Second.Weight, "second-weight", 0, "weight of the second model's scores (0: fitted on out-of-fold predictions)")
	flag.BoolVar(&opts.Second.ByF1, "second-f1", false, "fit the second model's weight for macro-F1 instead of log loss")
	flag.Float64Var(&opts.TextScale, "text-scale", 0, "scale of text features' values in training, against cue, kind and form features (0: 1)")
	flag.IntVar(&opts.BagSeeds, "bag-seeds", 0, "fold seeds of the calibration folds whose models are averaged (0: one)")
	flag.IntVar(&opts.CalibrationFolds, "cal-folds", 0, "calibration folds inside training (0: default 5)")
	flag.Float64Var(&opts.AmbiguousWeight, "ambig", 0, "training weight of examples marked ambiguous (0: as clear ones; <0: left out of fitting)")
	flag.Float64Var(&opts.AmbiguousSmooth, "ambig-smooth", 0, "label smoothing of examples marked ambiguous: target mass moved to the other labels (0: default, <0: none)")
	flag.Float64Var(&opts.ClearSmooth, "clear-smooth", 0, "label smoothing of the examples not marked ambiguous")
	flag.Float64Var(&opts.LangBalance, "lang-balance", 0, "how far labels are balanced within each language (Chinese or not): 1 fully, past 1 extrapolates (0: default 1; <0: over all items only)")
	flag.Func("class-w", "label weights for news and blog examples in training, research,product,other (on top of balancing)", func(v string) error {
		return parseClassWeights(v, &opts.ClassWeight)
	})
	flag.Parse()
	opts.Features = &feats
	files, err := trainingFiles(flag.Args(), *dataDir)
	if err != nil {
		log.Fatal(err)
	}
	var data, base []classifier.Example
	for _, f := range files {
		data = append(data, read(f)...)
	}
	if *seedFile != "" {
		base = read(*seedFile)
	}
	if *loo {
		if *by != "source" {
			log.Fatal("-loo holds out outlets: use it with -by source")
		}
		// The shipped model trains on every outlet; the more outlets a
		// fold's model saw, the nearer its score is to the shipped
		// model's on an outlet it never saw (README, round 9).
		*cv = outletCount(data)
	}
	switch {
	case *learn > 0 && *adapt != "":
		var pulls []float64
		for _, f := range strings.Split(*adapt, ",") {
			v, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
			if err != nil || v <= 0 {
				log.Fatalf("-adapt %q: give prior pulls above 0, comma-separated", *adapt)
			}
			pulls = append(pulls, v)
		}
		adaptExperiment(base, data, *learn, pulls, *firstSeed, *seeds, opts)
	case *learn > 0:
		learnExperiment(base, data, *learn, opts)
	case *cv > 0:
		var pool []news.Item
		if *poolDir != "" {
			var err error
			if pool, err = readPool(*poolDir); err != nil {
				log.Fatal(err)
			}
			fmt.Printf("pool: %d unlabelled items, pseudo-labels at confidence >= %.2f\n", len(pool), *poolConf)
		}
		var dw io.Writer
		if *dump != "" {
			f, err := os.Create(*dump)
			if err != nil {
				log.Fatal(err)
			}
			defer func() {
				if err := f.Close(); err != nil {
					log.Fatal(err)
				}
			}()
			dw = f
		}
		validate(base, data, pool, *poolConf, *poolHeld, *cv, *by, *firstSeed, *seeds, *verbose, *showErrors, dw, *halves, opts)
	case *out != "":
		write(*out, base, data, files, opts)
	default:
		log.Fatal("give -out FILE, -cv K or -learn FRACTION")
	}
}

// parseClassWeights reads "r,p,o" into w.
func parseClassWeights(v string, w *[3]float64) error {
	parts := strings.Split(v, ",")
	if len(parts) != len(w) {
		return fmt.Errorf("train: -class-w %q: want three weights, research,product,other", v)
	}
	for i, p := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || f <= 0 {
			return fmt.Errorf("train: -class-w %q: %q is not a positive number", v, p)
		}
		w[i] = f
	}
	return nil
}

// errNoData: the default training files are missing.
var errNoData = errors.New("training data not found")

// trainingFiles are the given files, else dataDir's dev.jsonl and
// train.jsonl, which must exist: building the shipped model from less
// would silently make it weaker.
func trainingFiles(args []string, dataDir string) ([]string, error) {
	if len(args) > 0 {
		return args, nil
	}
	files := []string{filepath.Join(dataDir, "dev.jsonl"), filepath.Join(dataDir, "train.jsonl")}
	for _, f := range files {
		if _, err := os.Stat(f); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%w: %s is missing. The model is trained on labelled JSONL kept outside the repository; "+
				"point -data at the directory holding dev.jsonl and train.jsonl, or give your own labelled files "+
				"(go run ./internal/train -out model.bin FILE ...)", errNoData, f)
		}
	}
	return files, nil
}

func write(out string, base, data []classifier.Example, files []string, opts classifier.TrainOptions) {
	// The seed examples come first and stay out of calibration: they are
	// cleaner than real feed items and would make confidence too high.
	opts.CalibrateFrom = len(base)
	m, err := classifier.Train(append(base, data...), opts)
	if err != nil {
		log.Fatal(err)
	}
	b, err := m.Encode()
	if err != nil {
		log.Fatal(err)
	}
	if old, err := os.ReadFile(out); err == nil && bytes.Equal(old, b) {
		fmt.Fprintf(os.Stderr, "train: %s unchanged\n", out)
		return
	}
	if err := os.WriteFile(out, b, 0o644); err != nil {
		log.Fatal(err)
	}
	fmt.Fprintf(os.Stderr, "train: wrote %s (%d bytes) from %d seed + %d examples %v\n", out, len(b), len(base), len(data), files)
	if w := m.SecondWeight(); w != 0 {
		fmt.Fprintf(os.Stderr, "train: second model's weight %.3f\n", w)
	}
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

// validate prints, per fold seed and as mean ± sd over seeds, the figures
// the targets are stated in.
func validate(base, data []classifier.Example, pool []news.Item, poolConf float64, poolHeld bool, k int, by string, first, seeds int, verbose, showErrors bool, dump io.Writer, halfSeed int, opts classifier.TrainOptions) {
	type row struct{ nb, clear, paper, confAcc, confShare, acc float64 }
	var rows []row
	var half []int
	var halfRows [][4]float64
	if halfSeed > 0 {
		half = outletHalves(data, uint64(halfSeed))
	}
	langs := langSlices(data)
	var langRows [][]float64
	for s := first; s < first+seeds; s++ {
		var folds []classifier.Fold
		switch by {
		case "source":
			folds = classifier.SourceFolds(data, k, uint64(s))
		case "random":
			folds = classifier.RandomFolds(len(data), k, uint64(s))
		default:
			log.Fatalf("-by %q: use source or random", by)
		}
		var v []news.Verdict
		var err error
		if pool != nil {
			var added int
			v, added, err = selfTrainFolds(base, data, pool, folds, poolConf, poolHeld, opts)
			fmt.Printf("seed %d: %d pseudo-labelled items per fold\n", s, added)
		} else {
			v, err = classifier.CrossValidateFolds(base, data, folds, opts)
		}
		if err != nil {
			log.Fatal(err)
		}
		if dump != nil {
			if err := writeVerdicts(dump, s, data, v); err != nil {
				log.Fatal(err)
			}
		}
		r := classifier.Evaluate(data, v)
		p := r.ByKind[string(news.KindPaper)]
		rows = append(rows, row{r.NewsBlog.MacroF1, r.NewsBlogClear.MacroF1, p.PerClass[string(news.Research)].F1,
			r.NewsBlog.Confident, r.NewsBlog.ConfidentShare, r.NewsBlog.Accuracy})
		fmt.Printf("seed %d: news+blog macro-F1 %.3f  clear %.3f  arXiv F1 %.3f  news+blog conf>=0.8: %.3f right on %.0f%%\n",
			s, r.NewsBlog.MacroF1, r.NewsBlogClear.MacroF1, p.PerClass[string(news.Research)].F1, r.NewsBlog.Confident, 100*r.NewsBlog.ConfidentShare)
		lr := sliceF1(data, v, langs)
		langRows = append(langRows, lr)
		fmt.Printf("seed %d: news+blog macro-F1 by language:", s)
		for j, sl := range langs {
			fmt.Printf(" %s %.3f", sl.name, lr[j])
		}
		fmt.Println()
		if half != nil {
			var hr [4]float64
			for h := range 2 {
				var ex []classifier.Example
				var hv []news.Verdict
				for i, x := range v {
					if half[i] == h {
						ex = append(ex, data[i])
						hv = append(hv, x)
					}
				}
				rh := classifier.Evaluate(ex, hv)
				hr[2*h], hr[2*h+1] = rh.NewsBlog.MacroF1, rh.NewsBlogClear.MacroF1
			}
			halfRows = append(halfRows, hr)
			fmt.Printf("seed %d: outlet halves (split %d): A macro-F1 %.3f clear %.3f | B macro-F1 %.3f clear %.3f\n", s, halfSeed, hr[0], hr[1], hr[2], hr[3])
		}
		if verbose {
			fmt.Print(r.Text())
		}
		if showErrors && s == first {
			for i, x := range v {
				if x.Label != data[i].Label && data[i].Item.SourceKind != news.KindPaper {
					fmt.Printf("  gold %-8s got %-8s %.2f %s | %v\n", data[i].Label, x.Label, x.Confidence, data[i].Item.Title, x.Reasons)
				}
			}
		}
	}
	ms := func(f func(row) float64) string {
		return meanSD(len(rows), func(i int) float64 { return f(rows[i]) })
	}
	fmt.Printf("%d-fold by %s, %d seeds: news+blog macro-F1 %s | clear %s | arXiv F1 %s | conf>=0.8 right %s on %s of news+blog | accuracy %s\n",
		k, by, seeds, ms(func(r row) float64 { return r.nb }), ms(func(r row) float64 { return r.clear }),
		ms(func(r row) float64 { return r.paper }), ms(func(r row) float64 { return r.confAcc }),
		ms(func(r row) float64 { return r.confShare }), ms(func(r row) float64 { return r.acc }))
	fmt.Printf("news+blog macro-F1 by language, %d seeds:", seeds)
	for j, sl := range langs {
		fmt.Printf(" %s (%d items) %s", sl.name, len(sl.idx), meanSD(len(langRows), func(i int) float64 { return langRows[i][j] }))
	}
	fmt.Println()
	if len(halfRows) > 0 {
		var m [4]float64
		for _, hr := range halfRows {
			for j := range m {
				m[j] += hr[j] / float64(len(halfRows))
			}
		}
		fmt.Printf("outlet halves (split %d), mean over seeds: A macro-F1 %.3f clear %.3f | B macro-F1 %.3f clear %.3f\n", halfSeed, m[0], m[1], m[2], m[3])
	}
}

// outletHalves puts each news or blog example in half 0 or 1 by its
// outlet (classifier.Outlet): outlets in a seeded order go to the half
// with fewer items so far. Papers are in neither (-1). Cues chosen by
// reading the out-of-fold errors of one half can then be scored, honestly,
// on the other.
func outletHalves(data []classifier.Example, seed uint64) []int {
	count := map[string]int{}
	for _, e := range data {
		if e.Item.SourceKind != news.KindPaper {
			count[classifier.Outlet(e.Item)]++
		}
	}
	names := make([]string, 0, len(count))
	for o := range count {
		names = append(names, o)
	}
	slices.Sort(names)
	rng := rand.New(rand.NewPCG(seed, 0x68616c66))
	rng.Shuffle(len(names), func(i, j int) { names[i], names[j] = names[j], names[i] })
	of := map[string]int{}
	var size [2]int
	for _, o := range names {
		h := 0
		if size[1] < size[0] {
			h = 1
		}
		of[o] = h
		size[h] += count[o]
	}
	out := make([]int, len(data))
	for i, e := range data {
		out[i] = -1
		if e.Item.SourceKind != news.KindPaper {
			out[i] = of[classifier.Outlet(e.Item)]
		}
	}
	return out
}

// oofRecord is one out-of-fold verdict as -dump writes it: enough to
// group errors by (gold, predicted) and read the reasons behind them.
type oofRecord struct {
	Seed       int      `json:"seed"`
	Index      int      `json:"index"`
	Source     string   `json:"source"`
	Kind       string   `json:"kind"`
	Title      string   `json:"title"`
	Gold       string   `json:"gold"`
	Got        string   `json:"got"`
	Confidence float64  `json:"confidence"`
	Ambiguous  bool     `json:"ambiguous"`
	Reasons    []string `json:"reasons,omitempty"`
}

// writeVerdicts writes one JSON line per example: its out-of-fold verdict
// under fold seed seed.
func writeVerdicts(w io.Writer, seed int, data []classifier.Example, v []news.Verdict) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for i, x := range v {
		e := data[i]
		r := oofRecord{Seed: seed, Index: i, Source: e.Item.Source, Kind: string(e.Item.SourceKind), Title: e.Item.Title,
			Gold: string(e.Label), Got: string(x.Label), Confidence: x.Confidence, Ambiguous: e.Ambiguous, Reasons: x.Reasons}
		if err := enc.Encode(r); err != nil {
			return fmt.Errorf("train: dump verdicts: %w", err)
		}
	}
	return nil
}

// learnExperiment shows what the hosts' tags do: a model trained on the
// other outlets classifies one held-out group of outlets (a SourceFolds
// fold); then part of that group is tagged (fed through Learn one by one,
// as `tag` does) and the rest is scored again. Once with the tags' feed
// names, so feeds' priors move, and once without, so only the memory of
// tagged items acts.
func learnExperiment(seed, data []classifier.Example, frac float64, opts classifier.TrainOptions) {
	var sum [3]float64
	defer func() {
		fmt.Printf("mean over 5 folds: news+blog macro-F1 %.3f before, %.3f with the memory, %.3f with feed priors too\n", sum[0]/5, sum[1]/5, sum[2]/5)
	}()
	for fold := range 5 {
		folds := classifier.SourceFolds(data, 5, 1)
		base := append([]classifier.Example(nil), seed...)
		opts.CalibrateFrom = len(seed)
		for _, i := range folds[fold].Train {
			base = append(base, data[i])
		}
		m, err := classifier.Train(base, opts)
		if err != nil {
			log.Fatal(err)
		}
		tagged, held := splitTagged(data, folds[fold].Test, frac)
		score := func() classifier.Report {
			v := make([]news.Verdict, len(held))
			for i, e := range held {
				v[i] = m.Classify(e.Item)
			}
			return classifier.Evaluate(held, v)
		}
		before := score()
		for _, e := range tagged {
			it := e.Item
			it.Source = ""
			if _, err := m.Learn(it, e.Label); err != nil {
				log.Fatal(err)
			}
		}
		memoOnly := score()
		m.Forget()
		for _, e := range tagged {
			if _, err := m.Learn(e.Item, e.Label); err != nil {
				log.Fatal(err)
			}
		}
		after := score()
		sum[0] += before.NewsBlog.MacroF1
		sum[1] += memoOnly.NewsBlog.MacroF1
		sum[2] += after.NewsBlog.MacroF1
		fmt.Printf("fold %d: %d news+blog items of unseen outlets tagged, %d scored: macro-F1 %.3f before, %.3f with the memory of tagged items, %.3f with feed priors too (accuracy %.3f, %.3f, %.3f)\n",
			fold+1, len(tagged), len(held), before.NewsBlog.MacroF1, memoOnly.NewsBlog.MacroF1, after.NewsBlog.MacroF1,
			before.NewsBlog.Accuracy, memoOnly.NewsBlog.Accuracy, after.NewsBlog.Accuracy)
	}
}

// langSlice is a subset of the news and blog examples, scored apart.
type langSlice struct {
	name string
	idx  []int
}

// langSlices are the news and blog examples by language, and the Chinese
// ones again by script: Traditional when OpenCC's t2s changes their
// title or summary, else Simplified. The Chinese items are the weakest
// slice, and a Traditional outlet held out is scored by a model that
// learned its Chinese mostly from Simplified text.
func langSlices(data []classifier.Example) []langSlice {
	cc, err := opencc.New("t2s")
	if err != nil {
		log.Fatalf("load OpenCC t2s: %v", err)
	}
	out := []langSlice{{name: "en"}, {name: "zh"}, {name: "zh-Hant"}, {name: "zh-Hans"}}
	for i, e := range data {
		if e.Item.SourceKind == news.KindPaper {
			continue
		}
		// Chinese as the classifier reads it ("zh-TW", or no tag and a
		// Chinese title, too); English by its tag, or no tag and no
		// Chinese; other languages in neither slice.
		switch {
		case e.Item.Lang == "en" || e.Item.Lang == "" && !classifier.IsChinese("", e.Item.Title):
			out[0].idx = append(out[0].idx, i)
		case classifier.IsChinese(e.Item.Lang, e.Item.Title):
			out[1].idx = append(out[1].idx, i)
			s := e.Item.Title + "\n" + e.Item.Summary
			if t, err := cc.Convert(s); err == nil && t != s {
				out[2].idx = append(out[2].idx, i)
			} else {
				out[3].idx = append(out[3].idx, i)
			}
		}
	}
	return out
}

// sliceF1 is each slice's macro-F1 under the verdicts v.
func sliceF1(data []classifier.Example, v []news.Verdict, slices []langSlice) []float64 {
	out := make([]float64, len(slices))
	for j, sl := range slices {
		ex := make([]classifier.Example, len(sl.idx))
		sv := make([]news.Verdict, len(sl.idx))
		for k, i := range sl.idx {
			ex[k], sv[k] = data[i], v[i]
		}
		out[j] = classifier.Evaluate(ex, sv).Overall.MacroF1
	}
	return out
}

// meanSD formats the mean ± sample sd of f(0..n-1).
func meanSD(n int, f func(int) float64) string {
	sum, sq := 0.0, 0.0
	for i := range n {
		sum += f(i)
	}
	mean := sum / float64(n)
	for i := range n {
		sq += (f(i) - mean) * (f(i) - mean)
	}
	sd := 0.0
	if n > 1 {
		sd = math.Sqrt(sq / float64(n-1))
	}
	return fmt.Sprintf("%.3f ± %.3f", mean, sd)
}

// outletCount is how many news and blog outlets the examples come from:
// with that many source folds, each holds out exactly one outlet.
func outletCount(data []classifier.Example) int {
	seen := map[string]bool{}
	for _, e := range data {
		if e.Item.SourceKind != news.KindPaper {
			seen[classifier.Outlet(e.Item)] = true
		}
	}
	return len(seen)
}

// splitTagged splits a fold's news and blog items into the part a host
// labels (frac of each label, spread evenly) and the part scored.
func splitTagged(data []classifier.Example, test []int, frac float64) (tagged, held []classifier.Example) {
	seen := map[news.Label]int{}
	for _, i := range test {
		e := data[i]
		if e.Item.SourceKind == news.KindPaper {
			continue
		}
		seen[e.Label]++
		if float64(seen[e.Label]%10) < frac*10 {
			tagged = append(tagged, e)
		} else {
			held = append(held, e)
		}
	}
	return tagged, held
}

// pathScore pools one way of using a host's labels over the folds:
// macro-F1 per fold, and the confident verdicts.
type pathScore struct {
	name                  string
	f1                    []float64
	confident, right, all int
}

func (p *pathScore) add(m *classifier.Model, held []classifier.Example) {
	v := make([]news.Verdict, len(held))
	for i, e := range held {
		v[i] = m.Classify(e.Item)
		if v[i].Confidence >= 0.8 {
			p.confident++
			if v[i].Label == e.Label {
				p.right++
			}
		}
	}
	p.all += len(held)
	p.f1 = append(p.f1, classifier.Evaluate(held, v).NewsBlog.MacroF1)
}

// adaptExperiment shows what retrain -from does with a host's labelled
// items of outlets the model never saw, against the other ways to use
// them. Per outlet fold (5 folds, each fold seed): a model trained on
// the other outlets; the fold's news and blog items split as in -learn;
// the tagged part used by the tag memory and feed priors (Learn), by a
// model trained on it alone after the seed (retrain -from -alone -seed),
// by that model adapted to it (retrain -from; one row per prior pull),
// and by a model retrained on everything (what the project's own build
// would do with the labels). Each scores the other part.
func adaptExperiment(seed, data []classifier.Example, frac float64, pulls []float64, first, seeds int, opts classifier.TrainOptions) {
	paths := []*pathScore{{name: "model of the other outlets"}, {name: "+ tags (memory, feed priors)"}, {name: "retrained on the tagged items alone (-alone -seed)"}}
	for _, p := range pulls {
		paths = append(paths, &pathScore{name: fmt.Sprintf("adapted to them, pull %g", p)})
	}
	paths = append(paths, &pathScore{name: "retrained on everything"})
	train := func(ex []classifier.Example, o classifier.TrainOptions) *classifier.Model {
		m, err := classifier.Train(ex, o)
		if err != nil {
			log.Fatal(err)
		}
		return m
	}
	for s := first; s < first+seeds; s++ {
		folds := classifier.SourceFolds(data, 5, uint64(s))
		for _, f := range folds {
			base := append([]classifier.Example(nil), seed...)
			for _, i := range f.Train {
				base = append(base, data[i])
			}
			o := opts
			o.CalibrateFrom = len(seed)
			m := train(base, o)
			tagged, held := splitTagged(data, f.Test, frac)
			paths[0].add(m, held)
			for _, e := range tagged {
				if _, err := m.Learn(e.Item, e.Label); err != nil {
					log.Fatal(err)
				}
			}
			paths[1].add(m, held)
			m.Forget()
			paths[2].add(train(append(append([]classifier.Example(nil), seed...), tagged...), o), held)
			for j, p := range pulls {
				oa := opts
				oa.Prior, oa.PriorL2 = m, p
				paths[3+j].add(train(tagged, oa), held)
			}
			paths[len(paths)-1].add(train(append(base, tagged...), o), held)
		}
	}
	fmt.Printf("%d outlet folds (%d fold seeds), a fraction %.2f of each fold's news and blog items labelled, the rest scored:\n", len(paths[0].f1), seeds, frac)
	for _, p := range paths {
		d := make([]float64, len(p.f1))
		for i := range p.f1 {
			d[i] = p.f1[i] - paths[0].f1[i]
		}
		fmt.Printf("  %-52s macro-F1 %s (paired with the first row %s) | conf>=0.8 %.1f%% right on %.1f%%\n",
			p.name, meanSD(len(p.f1), func(i int) float64 { return p.f1[i] }), meanSD(len(d), func(i int) float64 { return d[i] }),
			100*float64(p.right)/float64(max(p.confident, 1)), 100*float64(p.confident)/float64(max(p.all, 1)))
	}
}
