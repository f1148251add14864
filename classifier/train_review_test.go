package classifier

import (
	"math"
	"testing"

	"github.com/triagebot/triagebot/news"
)

// LangBalance past 1 extrapolates past the balance within each language
// (README, round 7, measured 1.5 and 2) but never weighs a label below
// zero: with 10 it gave the Chinese "other" items a negative weight.
func TestWeighLangBalancePastOne(t *testing.T) {
	var ex []Example
	add := func(n int, title string, l news.Label) {
		for range n {
			ex = append(ex, Example{Item: news.Item{Title: title, SourceKind: news.KindNews}, Label: l})
		}
	}
	add(10, "Lab finds a method", news.Research)
	add(10, "App ships a feature", news.Product)
	add(10, "Startup raises money", news.Other)
	add(10, "研究團隊提出新方法", news.Research)
	add(10, "新功能上線", news.Product)
	add(40, "公司完成融資", news.Other)
	for _, tc := range []struct {
		balance float64
		want    map[string]float32 // weight by title
	}{
		// Over all items: research 1.5, product 1.5, other 0.6; within
		// each language: 1, 1, 1 and 2, 2, 0.5 (TestWeighByLanguage).
		{1.5, map[string]float32{
			"Lab finds a method": 0.75, "App ships a feature": 0.75, "Startup raises money": 1.2,
			"研究團隊提出新方法": 2.25, "新功能上線": 2.25, "公司完成融資": 0.45}},
		{10, map[string]float32{
			"Lab finds a method": 0, "App ships a feature": 0, "Startup raises money": 4.6,
			"研究團隊提出新方法": 6.5, "新功能上線": 6.5, "公司完成融資": 0}},
	} {
		s := make([]sample, len(ex))
		for i, e := range ex {
			s[i].y = labelIndex(e.Label)
		}
		weigh(s, ex, TrainOptions{LangBalance: tc.balance})
		for i, e := range ex {
			if want := tc.want[e.Item.Title]; math.Abs(float64(s[i].w-want)) > 1e-5 {
				t.Errorf("LangBalance %v: %q weighs %v, want %v", tc.balance, e.Item.Title, s[i].w, want)
			}
		}
	}
}
