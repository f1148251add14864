package classifier

import (
	"strings"
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
		{"Speed up by 3x", long, []string{"a figure (% or ×)"}, nil},
		{"Model 3 review", "It costs 30 dollars, sold out 5x faster than the last one, no percentages here.", nil, []string{"a figure (% or ×)"}},
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

// Who speaks is a cue group each: "we" (a company on its own work) and
// "I" (a columnist, a newsletter); "US" is not "us".
func TestVoiceCues(t *testing.T) {
	m := newModel(nil, [nSlices]float32{1, 1}, DefaultFeatures())
	for title, want := range map[string][2]bool{
		"Why I stopped using chatbots":     {false, true},
		"Our new model is here":            {true, false},
		"We're hiring: my take on the job": {true, true},
		"US regulators act":                {false, false},
	} {
		got := cuesOf(m, title)
		if got["we"] != want[0] || got["i"] != want[1] {
			t.Errorf("%q: cues %v, want we=%v i=%v", title, got, want[0], want[1])
		}
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
	start := cpuTime()
	for b.Loop() {
		buf = x.shape(&it, title, summary, buf[:0])
	}
	if start > 0 {
		b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
	}
}

// hasQuote finds the quotes strings.ContainsAny finds, in any bytes.
func FuzzHasQuoteMatchesContainsAny(f *testing.F) {
	for _, s := range []string{"", "\"", "CEO says “AGI is near”", "‘x", "「引用」", "\xe2\x80", "\xe2\xe2\x80\x9c", "\xe3\x80\x8c", "\xf0\xe2\x80\x9d", "no quotes — here…"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := hasQuote(s), strings.ContainsAny(s, "\"“”‘「"); got != want {
			t.Fatalf("hasQuote(%q) = %v, want %v", s, got, want)
		}
	})
}
