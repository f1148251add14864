package classifier

import (
	"fmt"
	"sort"
	"strings"

	"github.com/triagebot/triagebot/news"
)

// ClassScores are one label's figures.
type ClassScores struct {
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	Support   int     `json:"support"`
}

// Scores are the figures for one set of items.
type Scores struct {
	N        int                    `json:"n"`
	Accuracy float64                `json:"accuracy"`
	MacroF1  float64                `json:"macro_f1"`
	PerClass map[string]ClassScores `json:"per_class"`
	// Confusion[gold][predicted] counts items.
	Confusion map[string]map[string]int `json:"confusion"`
	// Confident is accuracy among verdicts with confidence >= 0.8, and
	// ConfidentN how many there were: the calibration check.
	Confident  float64 `json:"accuracy_at_confidence_0.8"`
	ConfidentN int     `json:"n_at_confidence_0.8"`
	// ConfidentShare is ConfidentN / N: how much the confident verdicts
	// cover.
	ConfidentShare float64 `json:"share_at_confidence_0.8"`
}

// Report is an evaluation overall and broken down.
type Report struct {
	Overall  Scores `json:"overall"`
	NewsBlog Scores `json:"news_and_blog"`
	// NewsBlogClear: news and blog items not marked ambiguous.
	NewsBlogClear Scores            `json:"news_and_blog_clear"`
	ByKind        map[string]Scores `json:"by_source_kind"`
	ByLang        map[string]Scores `json:"by_lang"`
}

// Evaluate scores verdicts against the examples' labels.
func Evaluate(ex []Example, v []news.Verdict) Report {
	all := make([]int, len(ex))
	for i := range all {
		all[i] = i
	}
	r := Report{ByKind: map[string]Scores{}, ByLang: map[string]Scores{}}
	r.Overall = score(ex, v, all)
	var nb, clear []int
	byKind, byLang := map[string][]int{}, map[string][]int{}
	for i, e := range ex {
		k := string(e.Item.SourceKind)
		if k == "" {
			k = "unknown"
		}
		byKind[k] = append(byKind[k], i)
		if k != string(news.KindPaper) {
			nb = append(nb, i)
			if !e.Ambiguous {
				clear = append(clear, i)
			}
		}
		l := e.Item.Lang
		if l == "" {
			l = "unknown"
		}
		byLang[l] = append(byLang[l], i)
	}
	r.NewsBlog = score(ex, v, nb)
	r.NewsBlogClear = score(ex, v, clear)
	for k, idx := range byKind {
		r.ByKind[k] = score(ex, v, idx)
	}
	for l, idx := range byLang {
		r.ByLang[l] = score(ex, v, idx)
	}
	return r
}

func score(ex []Example, v []news.Verdict, idx []int) Scores {
	s := Scores{N: len(idx), PerClass: map[string]ClassScores{}, Confusion: map[string]map[string]int{}}
	for _, g := range labelOrder() {
		s.Confusion[string(g)] = map[string]int{}
		for _, p := range labelOrder() {
			s.Confusion[string(g)][string(p)] = 0
		}
	}
	if len(idx) == 0 {
		return s
	}
	correct, conf, confOK := 0, 0, 0
	for _, i := range idx {
		g, p := ex[i].Label, v[i].Label
		s.Confusion[string(g)][string(p)]++
		if g == p {
			correct++
		}
		if v[i].Confidence >= 0.8 {
			conf++
			if g == p {
				confOK++
			}
		}
	}
	s.Accuracy = round4(float64(correct) / float64(len(idx)))
	s.ConfidentN = conf
	s.ConfidentShare = round4(float64(conf) / float64(len(idx)))
	if conf > 0 {
		s.Confident = round4(float64(confOK) / float64(conf))
	}
	f1sum := 0.0
	for _, c := range labelOrder() {
		tp := s.Confusion[string(c)][string(c)]
		fp, fn := 0, 0
		for _, o := range labelOrder() {
			if o != c {
				fp += s.Confusion[string(o)][string(c)]
				fn += s.Confusion[string(c)][string(o)]
			}
		}
		cs := ClassScores{Support: tp + fn}
		if tp+fp > 0 {
			cs.Precision = float64(tp) / float64(tp+fp)
		}
		if tp+fn > 0 {
			cs.Recall = float64(tp) / float64(tp+fn)
		}
		if cs.Precision+cs.Recall > 0 {
			cs.F1 = 2 * cs.Precision * cs.Recall / (cs.Precision + cs.Recall)
		}
		f1sum += cs.F1
		cs.Precision, cs.Recall, cs.F1 = round4(cs.Precision), round4(cs.Recall), round4(cs.F1)
		s.PerClass[string(c)] = cs
	}
	s.MacroF1 = round4(f1sum / nLabels)
	return s
}

func round4(x float64) float64 { return float64(int64(x*10000+0.5)) / 10000 }

// Text renders the report for a terminal.
func (r Report) Text() string {
	var b strings.Builder
	section := func(name string, s Scores) {
		fmt.Fprintf(&b, "%s: n=%d  accuracy %.3f  macro-F1 %.3f", name, s.N, s.Accuracy, s.MacroF1)
		if s.ConfidentN > 0 {
			fmt.Fprintf(&b, "  accuracy at confidence>=0.8 %.3f (n=%d, %.0f%% of items)", s.Confident, s.ConfidentN, 100*s.ConfidentShare)
		}
		b.WriteString("\n")
		fmt.Fprintf(&b, "  %-9s %9s %9s %9s %8s   confusion: predicted", "class", "precision", "recall", "F1", "support")
		for _, c := range labelOrder() {
			fmt.Fprintf(&b, " %8s", c)
		}
		b.WriteString("\n")
		for _, c := range labelOrder() {
			cs := s.PerClass[string(c)]
			fmt.Fprintf(&b, "  %-9s %9.3f %9.3f %9.3f %8d   %9s", c, cs.Precision, cs.Recall, cs.F1, cs.Support, "")
			for _, p := range labelOrder() {
				fmt.Fprintf(&b, " %8d", s.Confusion[string(c)][string(p)])
			}
			b.WriteString("\n")
		}
	}
	section("overall", r.Overall)
	section("news+blog", r.NewsBlog)
	if r.NewsBlogClear.N > 0 && r.NewsBlogClear.N < r.NewsBlog.N {
		section("news+blog, clear items", r.NewsBlogClear)
	}
	for _, k := range sortedKeys(r.ByKind) {
		section("source_kind "+k, r.ByKind[k])
	}
	for _, l := range sortedKeys(r.ByLang) {
		section("lang "+l, r.ByLang[l])
	}
	return b.String()
}

func sortedKeys(m map[string]Scores) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
