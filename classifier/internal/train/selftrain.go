package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/triagebot/triagebot/classifier"
	"github.com/triagebot/triagebot/feeds"
	"github.com/triagebot/triagebot/news"
)

// readPool reads every feed file (*.xml) in dir as unlabelled items, for
// the self-training experiment. A file named for a news outlet (theverge,
// the_batch) is a news feed; the rest are company and lab blogs.
func readPool(dir string) ([]news.Item, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.xml"))
	if err != nil {
		return nil, fmt.Errorf("train: pool: %w", err)
	}
	slices.Sort(files)
	var out []news.Item
	now := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	for _, f := range files {
		body, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("train: pool: %w", err)
		}
		feed, err := feeds.Parse(context.Background(), body, "")
		if err != nil {
			return nil, fmt.Errorf("train: pool %s: %w", f, err)
		}
		kind := news.KindBlog
		base := filepath.Base(f)
		if strings.Contains(base, "theverge") || strings.Contains(base, "the_batch") {
			kind = news.KindNews
		}
		fi := feeds.FeedInfo{Name: strings.TrimSuffix(base, ".xml"), Kind: kind, Lang: "en", Title: feed.Title, Link: feed.Link}
		for _, it := range feed.Items {
			n := feeds.Normalize(it, fi, "en", now)
			if strings.TrimSpace(n.Title) != "" {
				out = append(out, n)
			}
		}
	}
	return out, nil
}

// selfTrainFolds is CrossValidateFolds with self-training: each fold's
// model labels the unlabelled pool, and the items it labels with
// confidence >= conf join its training set for a second model, which
// predicts the fold. Pool items of an outlet in the fold's test part are
// never used (the model must not read the held-out outlets' text), nor
// are pool items whose title is a labelled item's. useHeld lifts the
// first rule, to measure adapting to one's own feeds (transductive: not
// the protocol's figure).
func selfTrainFolds(base, data []classifier.Example, pool []news.Item, folds []classifier.Fold, conf float64, useHeld bool, opts classifier.TrainOptions) ([]news.Verdict, int, error) {
	labelled := map[string]bool{}
	for _, e := range data {
		labelled[strings.ToLower(strings.TrimSpace(e.Item.Title))] = true
	}
	out := make([]news.Verdict, len(data))
	added := 0
	for _, f := range folds {
		held := map[string]bool{}
		for _, i := range f.Test {
			held[classifier.Outlet(data[i].Item)] = true
		}
		train := append([]classifier.Example(nil), base...)
		for _, i := range f.Train {
			train = append(train, data[i])
		}
		o := opts
		o.CalibrateFrom = len(base)
		m, err := classifier.Train(train, o)
		if err != nil {
			return nil, 0, err
		}
		// Pseudo-labelled items go after the seed and before the real
		// items, and stay out of calibration as the seed does.
		pseudo := pseudoLabel(m, pool, func(it news.Item) bool {
			return (held[classifier.Outlet(it)] && !useHeld) || labelled[strings.ToLower(strings.TrimSpace(it.Title))]
		}, conf)
		added += len(pseudo)
		second := append(append([]classifier.Example(nil), base...), pseudo...)
		o.CalibrateFrom = len(second)
		for _, i := range f.Train {
			second = append(second, data[i])
		}
		m2, err := classifier.Train(second, o)
		if err != nil {
			return nil, 0, err
		}
		for _, i := range f.Test {
			it := data[i].Item
			it.Tag = ""
			out[i] = m2.Classify(it)
		}
	}
	return out, added / len(folds), nil
}

// pseudoLabel is the pool's items m labels with confidence >= conf, as
// examples with those labels, but for the items skip refuses.
func pseudoLabel(m *classifier.Model, pool []news.Item, skip func(news.Item) bool, conf float64) []classifier.Example {
	var out []classifier.Example
	for _, it := range pool {
		if skip(it) {
			continue
		}
		if v := m.Classify(it); v.Confidence >= conf {
			out = append(out, classifier.Example{Item: it, Label: v.Label})
		}
	}
	return out
}
