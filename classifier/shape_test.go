package classifier

import (
	"testing"

	"github.com/triagebot/triagebot/news"
)

func shapesOf(it news.Item) map[string]bool {
	cfg := DefaultFeatures()
	cfg.Shape = true
	x := newExtractor(newLexicon(), cfg)
	out := map[string]bool{}
	for _, f := range x.extract(&it, nil) {
		if f.kind() == fShape {
			out[shapeNames[f.start]] = true
		}
	}
	return out
}

func TestShapeFeatures(t *testing.T) {
	long := "The company said the update reaches every region this month, with more languages and more countries to follow later in the year."
	cases := []struct {
		title, summary string
		want, not      []string
	}{
		{"OpenAI ships GPT-5 to all users", long, []string{"a version in the title"}, []string{"a figure (% or ×)", "a short summary"}},
		{"Startup raises $400M at a 2025 valuation", long, nil, []string{"a version in the title"}},
		{"New method cuts errors by 14%", "", []string{"a figure (% or ×)", "a short summary"}, nil},
		{"Why I stopped using chatbots", long, []string{"written as \"I\""}, []string{"written as \"we\""}},
		{"Our new model", "We are releasing it today.", []string{"written as \"we\""}, nil},
		{"US regulators act", long, nil, []string{"written as \"we\""}},
		{"5 ways to speed up inference", long, []string{"the title opens with a number"}, nil},
		{"The Download: chips and chatbots", long, []string{"the title has a colon"}, nil},
		{"CEO says “AGI is near”", long, []string{"a quote in the title"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.title, func(t *testing.T) {
			got := shapesOf(news.Item{Title: tc.title, Summary: tc.summary, SourceKind: news.KindNews})
			for _, w := range tc.want {
				if !got[w] {
					t.Errorf("want %q, got %v", w, got)
				}
			}
			for _, w := range tc.not {
				if got[w] {
					t.Errorf("%q should not fire, got %v", w, got)
				}
			}
		})
	}
}

// BenchmarkExtractShape: what the form features add to feature
// extraction, against extraction without them in the same run.
func BenchmarkExtractShape(b *testing.B) {
	for _, on := range []bool{false, true} {
		name := "without"
		if on {
			name = "with"
		}
		b.Run(name, func(b *testing.B) {
			cfg := DefaultFeatures()
			cfg.Shape = on
			x := newExtractor(newLexicon(), cfg)
			buf := make([]feat, 0, maxFeats+64)
			it := benchItem
			for b.Loop() {
				buf = x.extract(&it, buf[:0])
			}
		})
	}
}

// BenchmarkShapeOnly: the form features alone, to set against
// BenchmarkClassify's few microseconds.
func BenchmarkShapeOnly(b *testing.B) {
	cfg := DefaultFeatures()
	cfg.Shape = true
	x := newExtractor(newLexicon(), cfg)
	buf := make([]feat, 0, 64)
	it := benchItem
	title, summary := cut(it.Title, 600), cut(it.Summary, cfg.MaxText)
	for b.Loop() {
		buf = x.shape(&it, title, summary, buf[:0])
	}
}
