package classifier

import "math"

// A second model, trained apart from the logistic regression over the same
// features (or a subset of them), whose scores are added to the
// regression's with a weight fitted on out-of-fold predictions inside
// training. Both are linear in the same hashed features, so the weighted
// sum folds into one weight table: the ensemble costs Classify nothing.
const (
	SecondNone = iota
	// SecondNB is multinomial naive Bayes over the (scaled) feature
	// values: it trusts rare words that a regularized regression shrinks.
	SecondNB
	// SecondCNB is complement naive Bayes: each label is scored by how
	// unlike the other labels' text the item is, steadier with few
	// examples of a label.
	SecondCNB
	// SecondTextLR is a logistic regression over text features only
	// (words, pairs, character n-grams), without the cue groups, feed
	// kind or link hints the main model leans on.
	SecondTextLR
)

// SecondModel configures the second model of an ensemble.
type SecondModel struct {
	Kind int
	// Alpha is naive Bayes' additive smoothing (default 0.5).
	Alpha float64
	// Weight of the second model's scores; 0 fits it on out-of-fold
	// predictions (by log loss after temperature), never on the items
	// the model is scored on.
	Weight float64
	// ByF1 fits the weight for news+blog macro-F1 instead of log loss.
	ByF1 bool
}

func (s *SecondModel) defaults() {
	if s.Alpha <= 0 {
		s.Alpha = 0.5
	}
}

// fitSecond trains the second model and returns its weights in the
// main model's layout (hashSize × nLabels).
func fitSecond(samples []sample, o TrainOptions) []float32 {
	switch o.Second.Kind {
	case SecondNB, SecondCNB:
		return fitNB(samples, o.Second.Alpha, o.Second.Kind == SecondCNB)
	case SecondTextLR:
		sub := make([]sample, len(samples))
		for i, s := range samples {
			f := make([]feat, 0, len(s.feats))
			for _, x := range s.feats {
				switch x.kind() {
				case fBias, fWord, fTitleWord, fBigram, fCJK, fChar:
					f = append(f, x)
				}
			}
			sub[i] = sample{feats: f, y: s.y, w: s.w}
		}
		return fit(sub, o)
	}
	return nil
}

// fitNB counts feature values per label (example weights applied, so
// the labels weigh alike as in the regression) and turns the counts into
// log-probability weights, centred per bucket: a bucket never seen gets
// 0, and the centring changes no score difference between labels.
func fitNB(samples []sample, alpha float64, complement bool) []float32 {
	cnt := make([]float64, hashSize*nLabels)
	var total [nLabels]float64
	for _, s := range samples {
		for _, f := range s.feats {
			if f.kind() == fBias {
				continue
			}
			v := float64(s.w * f.v)
			cnt[int(f.idx())*nLabels+s.y] += v
			total[s.y] += v
		}
	}
	seen := 0
	for b := range hashSize {
		o := b * nLabels
		if cnt[o] != 0 || cnt[o+1] != 0 || cnt[o+2] != 0 {
			seen++
		}
	}
	all := total[0] + total[1] + total[2]
	w := make([]float32, hashSize*nLabels)
	for b := range hashSize {
		o := b * nLabels
		if cnt[o] == 0 && cnt[o+1] == 0 && cnt[o+2] == 0 {
			continue
		}
		var lp [nLabels]float64
		mean := 0.0
		for c := range nLabels {
			if complement {
				n := cnt[o] + cnt[o+1] + cnt[o+2] - cnt[o+c]
				lp[c] = -math.Log((n + alpha) / (all - total[c] + alpha*float64(seen)))
			} else {
				lp[c] = math.Log((cnt[o+c] + alpha) / (total[c] + alpha*float64(seen)))
			}
			mean += lp[c] / nLabels
		}
		for c := range nLabels {
			w[o+c] = float32(lp[c] - mean)
		}
	}
	return w
}

// fitSecondWeight picks the weight of the second model's scores from
// out-of-fold scores of both: the one whose sum has the lowest log loss
// at its best temperature, or the best macro-F1.
func fitSecondWeight(l1, l2 [][nLabels]float32, ys []int, byF1 bool) float32 {
	best, bestObj := float32(0), math.Inf(1)
	cands := []float32{0}
	for x := float32(0.01); x <= 4.01; x *= 1.5 {
		cands = append(cands, x)
	}
	sum := make([][nLabels]float32, len(l1))
	for _, a := range cands {
		for i := range l1 {
			for c := range nLabels {
				sum[i][c] = l1[i][c] + a*l2[i][c]
			}
		}
		var obj float64
		if byF1 {
			var conf [nLabels][nLabels]int
			for i, l := range sum {
				p := 0
				for c := 1; c < nLabels; c++ {
					if l[c] > l[p] {
						p = c
					}
				}
				conf[ys[i]][p]++
			}
			obj = -macroF1(&conf)
		} else {
			t := fitTemperature(sum, ys)
			for i, l := range sum {
				obj -= math.Log(max(softmax(l, t)[ys[i]], 1e-12))
			}
		}
		if obj < bestObj-1e-9 {
			best, bestObj = a, obj
		}
	}
	return best
}

// SecondWeight is the weight the ensemble's second model got in training
// (0: no second model).
func (m *Model) SecondWeight() float32 { return m.second }
