package digest

import (
	"strings"
	"testing"

	"github.com/triagebot/triagebot/news"
)

// TestLeadBySubstance: the story's headline is the primary source's own
// announcement or the most informative report, never a "how to watch"
// piece or a tutorial, whoever was first; the rest is listed as coverage.
func TestLeadBySubstance(t *testing.T) {
	B, N, P := news.KindBlog, news.KindNews, news.KindPaper
	cases := []struct {
		name  string
		items []news.Item
		want  string
	}{
		{
			name: "the launch post leads over a customer story of the same model",
			items: []news.Item{
				it("fin", "Anthropic", B, "Advancing finance with Claude Opus 4.6", "Banks use Claude Opus 4.6 for research.", "https://a.example.com/fin", news.Product, 0.9, 1),
				it("intro", "Anthropic", B, "Introducing Claude Opus 4.6", "Our most capable model.", "https://a.example.com/intro", news.Product, 0.9, 1.5),
			},
			want: "intro",
		},
		{
			name: "the recap leads over how to watch, even when that came first",
			items: []news.Item{
				it("watch", "The Verge", N, "How to watch WWDC 2026", "The keynote starts at 10AM PT on June 8th and streams on Apple's site and YouTube.", "https://v.example.com/watch", news.Product, 0.9, 1),
				it("recap", "TechCrunch", N, "WWDC 2026: Apple unveils iOS 27", "Apple showed iOS 27.", "https://tc.example.com/recap", news.Product, 0.9, 2),
			},
			want: "recap",
		},
		{
			name: "the company's own announcement leads over a report of it",
			items: []news.Item{
				it("report", "Wire", N, "Mistral releases Magistral, its first reasoning model", "Mistral released Magistral today in two sizes, one open, one for enterprise customers.", "https://w.example.com/m", news.Product, 0.9, 1),
				it("own", "Mistral", B, "Announcing Magistral", "Our first reasoning model.", "https://mistral.example.com/magistral", news.Product, 0.9, 2),
			},
			want: "own",
		},
		{
			name: "the most informative report leads among reports",
			items: []news.Item{
				it("thin", "Wire A", N, "Acme robots fold laundry", "Acme robots.", "https://a.example.com/r", news.Research, 0.9, 1),
				it("rich", "Wire B", N, "Acme robots learn to fold laundry", "Acme's robots folded 87 of 100 shirts in a trial, up from 12 last year, using a model trained on 4,000 hours of video.", "https://b.example.com/r", news.Research, 0.9, 2),
			},
			want: "rich",
		},
		{
			name: "a news report leads over the paper it covers",
			items: []news.Item{
				it("paper", "arXiv cs.CL", P, "ChartLens: Teaching Language Models to Read Charts", "We propose ChartLens, a method with 12 figures and a long abstract that says a great deal about charts and models.", "https://arxiv.org/abs/2611.05555", news.Research, 0.99, 0),
				it("news", "MIT TR", N, "ChartLens teaches chatbots to read charts", "A cheap way.", "https://tr.example.com/c", news.Research, 0.8, 2),
			},
			want: "news",
		},
		{
			name: "noise leads only a story of nothing else",
			items: []news.Item{
				it("w1", "Wire A", N, "How to watch the Pixel event", "Streams at ten.", "https://a.example.com/w", news.Product, 0.9, 1),
				it("w2", "Wire B", N, "How to watch the Pixel launch event", "Streams at ten.", "https://b.example.com/w", news.Product, 0.9, 0.5),
			},
			want: "w2", // both noise: the earlier one
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := Story{ID: tc.items[0].ID, items: ptrs(tc.items)}
			chooseLead(&s, newCues())
			if s.ID != tc.want || s.items[0].ID != tc.want {
				t.Fatalf("lead %s, want %s", s.ID, tc.want)
			}
			lead := s.items[0]
			if s.Title != lead.Title || s.URL != lead.URL {
				t.Errorf("story shows %q %s, lead is %q %s", s.Title, s.URL, lead.Title, lead.URL)
			}
			cov := coverage(s.items)
			if len(cov) != len(tc.items)-1 {
				t.Fatalf("coverage %v", cov)
			}
			for _, c := range cov {
				if c.ID == tc.want {
					t.Errorf("the lead is listed as its own coverage: %v", cov)
				}
			}
		})
	}
}

// TestCoverageIsRendered: the other reports appear under the lead as
// "More:" in Markdown and text, and in the JSON.
func TestCoverageIsRendered(t *testing.T) {
	N := news.KindNews
	items := []news.Item{
		it("a", "The Verge", N, "Acme launches Zephyr-2 with a voice mode", "Rolling out today.", "https://v.example.com/a", news.Product, 0.9, 1),
		it("b", "TechCrunch", N, "Acme's Zephyr-2 is out with voice", "Out today for everyone.", "https://tc.example.com/b", news.Product, 0.9, 1.1),
	}
	for _, lang := range []string{"en", "zh-TW"} {
		d := build(t, items, nil, Options{Since: since, Until: until, Now: until, Language: lang})
		s := findStory(d, "a")
		if s == nil {
			s = findStory(d, "b")
		}
		if s == nil || len(s.Coverage) != 1 {
			t.Fatalf("%s: story %+v", lang, s)
		}
		other := s.Coverage[0]
		label := map[string]string{"en": "More: ", "zh-TW": "更多報導："}[lang]
		md, txt := Markdown(d), Text(d)
		if !strings.Contains(md, label) || !strings.Contains(md, "("+other.URL+")") || !strings.Contains(txt, label+other.Title) {
			t.Errorf("%s: coverage %v not rendered:\n%s\n%s", lang, other, md, txt)
		}
	}
}
