package classifier

import (
	"testing"

	"github.com/triagebot/triagebot/news"
)

// LangBalance is a share, 0–1: a larger value must not weigh a label
// below zero (it extrapolated past the within-language balance: with 10
// it gave the Chinese "other" items a negative weight), but balance as
// 1 does.
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
	weights := func(f float64) []float32 {
		s := make([]sample, len(ex))
		for i, e := range ex {
			s[i].y = labelIndex(e.Label)
		}
		weigh(s, ex, TrainOptions{LangBalance: f})
		w := make([]float32, len(s))
		for i := range s {
			w[i] = s[i].w
		}
		return w
	}
	one := weights(1)
	for _, f := range []float64{1.5, 10} {
		for i, w := range weights(f) {
			if w != one[i] {
				t.Fatalf("LangBalance %v: %q weighs %v, want %v as at 1", f, ex[i].Item.Title, w, one[i])
			}
		}
	}
}
