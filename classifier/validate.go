package classifier

import (
	"fmt"
	"math/rand/v2"
	"net/url"
	"slices"
	"strings"

	"github.com/triagebot/triagebot/news"
)

// Fold is one split of a cross-validation: indexes to train on and to
// predict.
type Fold struct{ Train, Test []int }

// Outlet names the publisher behind an item, for validation that holds out
// whole outlets: the link's registrable domain ("techcrunch.com",
// "36kr.com", "technews.tw"), else the feed's name. Feeds of one outlet
// (The Verge and its AI feed, 36氪 and 36氪快讯) share it, so a held-out
// outlet is unseen in all its feeds.
func Outlet(it news.Item) string {
	if u, err := url.Parse(strings.TrimSpace(it.URL)); err == nil && u.Hostname() != "" {
		parts := strings.Split(strings.ToLower(u.Hostname()), ".")
		n := 2
		if len(parts) >= 3 {
			switch parts[len(parts)-2] {
			case "com", "co", "org", "net", "edu", "gov", "ac":
				n = 3 // example.com.tw, example.co.uk
			}
		}
		if len(parts) > n {
			parts = parts[len(parts)-n:]
		}
		return strings.Join(parts, ".")
	}
	return strings.ToLower(strings.TrimSpace(it.Source))
}

// RandomFolds splits n examples into k folds by a seeded shuffle.
func RandomFolds(n, k int, seed uint64) []Fold {
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(seed, 42))
	rng.Shuffle(n, func(i, j int) { order[i], order[j] = order[j], order[i] })
	test := make([][]int, k)
	for pos, i := range order {
		test[pos%k] = append(test[pos%k], i)
	}
	return complete(n, test)
}

// SourceFolds splits examples into k folds so that every news or blog
// outlet is wholly in one fold: each fold's model never saw the outlets it
// is scored on, as in production, where new feeds get added. Outlets go,
// in a seeded order, to the fold with the fewest items so far. Papers are
// spread at random instead: arXiv is always among the feeds, so holding
// it out would measure a situation that does not occur.
func SourceFolds(ex []Example, k int, seed uint64) []Fold {
	groups := map[string][]int{}
	var papers []int
	for i, e := range ex {
		if e.Item.SourceKind == news.KindPaper {
			papers = append(papers, i)
			continue
		}
		o := Outlet(e.Item)
		groups[o] = append(groups[o], i)
	}
	names := make([]string, 0, len(groups))
	for g := range groups {
		names = append(names, g)
	}
	slices.Sort(names)
	rng := rand.New(rand.NewPCG(seed, 43))
	rng.Shuffle(len(names), func(i, j int) { names[i], names[j] = names[j], names[i] })
	test := make([][]int, k)
	for _, g := range names {
		f := 0
		for j := range test {
			if len(test[j]) < len(test[f]) {
				f = j
			}
		}
		test[f] = append(test[f], groups[g]...)
	}
	rng.Shuffle(len(papers), func(i, j int) { papers[i], papers[j] = papers[j], papers[i] })
	for pos, i := range papers {
		test[pos%k] = append(test[pos%k], i)
	}
	return complete(len(ex), test)
}

// complete turns test sets into folds: each fold trains on the rest.
func complete(n int, test [][]int) []Fold {
	out := make([]Fold, len(test))
	for f := range test {
		in := make([]bool, n)
		for _, i := range test[f] {
			in[i] = true
		}
		slices.Sort(test[f])
		out[f].Test = test[f]
		for i := range n {
			if !in[i] {
				out[f].Train = append(out[f].Train, i)
			}
		}
	}
	return out
}

// CrossValidateFolds trains on base plus each fold's training part and
// predicts its test part: verdicts for data never trained on.
func CrossValidateFolds(base, data []Example, folds []Fold, opts TrainOptions) ([]news.Verdict, error) {
	out := make([]news.Verdict, len(data))
	done := make([]bool, len(data))
	for _, f := range folds {
		train := append([]Example(nil), base...)
		for _, i := range f.Train {
			train = append(train, data[i])
		}
		o := opts
		o.CalibrateFrom = len(base)
		m, err := Train(train, o)
		if err != nil {
			return nil, err
		}
		for _, i := range f.Test {
			it := data[i].Item
			it.Tag = ""
			out[i] = m.Classify(it)
			done[i] = true
		}
	}
	for i, ok := range done {
		if !ok {
			return nil, fmt.Errorf("classifier: cross-validation: item %d is in no test fold", i+1)
		}
	}
	return out, nil
}

// CrossValidateBySource is k-fold cross-validation holding out whole
// outlets (SourceFolds, fold seed opts.Seed), with the seed examples in
// every training fold, as the shipped model is trained: what `eval -cv`
// reports.
func CrossValidateBySource(data []Example, k int, opts TrainOptions) ([]news.Verdict, error) {
	if k < 2 || k > len(data) {
		return nil, fmt.Errorf("classifier: cross-validation needs 2 <= k <= %d, got %d", len(data), k)
	}
	opts.defaults()
	seed, err := SeedExamples()
	if err != nil {
		return nil, err
	}
	return CrossValidateFolds(seed, data, SourceFolds(data, k, opts.Seed), opts)
}
