package digest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/triagebot/triagebot/news"
)

// TestTalkingPointsQuoteOnlyWhatTheTextSays: each hook is a sentence of
// the story's own text, with its source; a kind the text does not support
// is absent, never filled with something generic.
func TestTalkingPointsQuoteOnlyWhatTheTextSays(t *testing.T) {
	N, P := news.KindNews, news.KindPaper
	cases := []struct {
		name  string
		label news.Label
		items []news.Item
		want  map[string]string // kind → a phrase its quote contains
	}{
		{
			name:  "research: result, caveat and application",
			label: news.Research,
			items: []news.Item{
				it("n", "MIT TR", N, "ChartLens teaches chatbots to read charts", "Researchers found a cheap way to give models chart skills. The method still fails on dense scatter plots.", "https://tr.example.com/c", news.Research, 0.8, 1),
				it("p", "arXiv cs.CL", P, "ChartLens: Teaching Language Models to Read Charts", "We propose ChartLens, a method that lets frozen language models answer questions about charts. It improves accuracy by 14% on three benchmarks.", "https://arxiv.org/abs/2611.05555", news.Research, 0.99, 0),
			},
			want: map[string]string{pointResult: "14%", pointCaveat: "still fails", pointApplication: "lets frozen"},
		},
		{
			name:  "research: a result without figures or limits gives no result and no caveat",
			label: news.Research,
			items: []news.Item{
				it("n", "Wire", N, "A new way to read charts", "Researchers describe a new way to read charts with language models. It could be used to check financial reports.", "https://w.example.com/c", news.Research, 0.8, 1),
			},
			want: map[string]string{pointApplication: "could be used"},
		},
		{
			name:  "product: availability and price, who gets it, the business angle",
			label: news.Product,
			items: []news.Item{
				it("v", "The Verge", N, "Acme launches Zephyr-2 with a voice mode", "The voice mode costs $5 a month on top of the plan. Acme hopes the feature will win back revenue lost to rivals.", "https://v.example.com/z", news.Product, 0.9, 1),
				it("t", "TechCrunch", N, "Zephyr-2 arrives", "Zephyr-2 reaches all paid subscribers in the US first.", "https://tc.example.com/z", news.Product, 0.9, 1.2),
			},
			want: map[string]string{pointAvailability: "$5 a month", pointAudience: "paid subscribers", pointBusiness: "revenue"},
		},
		{
			name:  "product: nothing concrete, no points",
			label: news.Product,
			items: []news.Item{
				it("v", "Blog", N, "Some thoughts on design", "We think design matters a lot to all of us here. Read more.", "https://b.example.com/d", news.Product, 0.9, 1),
			},
			want: map[string]string{},
		},
		{
			name:  "Chinese text: the caveat and the price",
			label: news.Product,
			items: []news.Item{
				it("z", "机器之心", N, "智谱发布GLM-5", "智谱今天发布GLM-5模型，个人用户可以免费使用。但企业版的价格尚未公布，目前仅支持中文。", "https://z.example.com/1", news.Product, 0.9, 1),
			},
			want: map[string]string{pointAvailability: "免费", pointAudience: "企业版"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			pts := talkingPoints(ptrs(tc.items), tc.label)
			if len(pts) != len(tc.want) || len(pts) > 3 {
				t.Fatalf("points %+v, want kinds %v", pts, tc.want)
			}
			for _, p := range pts {
				phrase, ok := tc.want[p.Kind]
				if !ok || !strings.Contains(p.Quote, phrase) {
					t.Errorf("%s point %q should quote %q", p.Kind, p.Quote, phrase)
				}
				// Never invented: the quote is in its source's text.
				var src *news.Item
				for i := range tc.items {
					if tc.items[i].Source == p.Source {
						src = &tc.items[i]
					}
				}
				if src == nil || p.URL != src.URL || !strings.Contains(src.Title+" "+src.Summary, strings.TrimSuffix(p.Quote, "…")) {
					t.Errorf("quote %q is not in %s's text", p.Quote, p.Source)
				}
			}
		})
	}
}

func TestTalkingPointsOnlyForTopResearchAndProduct(t *testing.T) {
	N := news.KindNews
	var items []news.Item
	for i := range 5 {
		w := func(k int) string { return madeUpWord(i + 100*k) }
		items = append(items, it(w(0), "Wire "+w(0), N, "Acme "+w(1)+" "+w(2)+" "+w(3), "Acme ships "+w(1)+". It is "+w(2)+". The "+w(4)+" costs $"+fmt.Sprint(10*i+9)+" a month for "+w(5)+" "+w(6)+" customers.", "https://e.example.com/"+w(0), news.Product, 0.9-float64(i)/10, 1))
	}
	other := it("o", "Wire", N, "Bolt raises $40M for robot kitchens", "The round values Bolt at $400M and ships to customers in 2027.", "https://e.example.com/o", news.Other, 0.9, 1)
	d := build(t, append(items, other), nil, Options{Since: since, Until: until, Now: until, Points: 2})
	with := 0
	for _, sec := range d.Sections {
		for _, s := range sec.Stories {
			if len(s.Points) > 0 {
				with++
				if sec.Key != SectionProduct {
					t.Errorf("%s story %s has points", sec.Key, s.ID)
				}
			}
		}
	}
	if with != 2 {
		t.Errorf("%d stories with points, want the top 2 of Product", with)
	}
}

func TestHasFigure(t *testing.T) {
	cases := []struct {
		text string
		want bool
	}{
		{"it improves accuracy by 14% on three benchmarks", true},
		{"a 1.86x speedup for streaming", true},
		{"up 3 points on mmlu", true},
		{"速度提升2倍", true},
		{"cited in the fable 5 and mythos 5 release", false},
		{"gpt-5 arrives in 2026", false},
		{"runs on x86 and 4x4 grids", false},
		{"the headline repeats itself", false},
	}
	for _, tc := range cases {
		t.Run(tc.text, func(t *testing.T) {
			if got := hasFigure(" " + tc.text + " "); got != tc.want {
				t.Errorf("hasFigure = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestTalkingPointsAddToTheLede: the hosts read the headline and the lede
// above the hooks, so a hook that says them again (verbatim, or in nearly
// the same words) is dropped, and a sentence that adds something stays.
func TestTalkingPointsAddToTheLede(t *testing.T) {
	N := news.KindNews
	cases := []struct {
		name  string
		label news.Label
		items []news.Item
		want  map[string]string // kind → a phrase its quote contains
	}{
		{
			name:  "the lede's own sentence is no hook",
			label: news.Product,
			items: []news.Item{it("e", "Weaviate Blog", news.KindBlog, "Engram is now generally available", "Engram, a managed memory service for agents, is now generally available.", "https://w.example.com/e", news.Product, 0.9, 1)},
			want:  map[string]string{},
		},
		{
			name:  "a sentence after the lede is a hook",
			label: news.Product,
			items: []news.Item{it("z", "The Verge", N, "Acme launches Zephyr-2", "Acme launched Zephyr-2 today. It has a voice mode. The voice mode costs $5 a month for paid subscribers.", "https://v.example.com/z", news.Product, 0.9, 1)},
			want:  map[string]string{pointAvailability: "$5 a month"},
		},
		{
			name:  "another outlet repeating the lede in nearly the same words is no hook",
			label: news.Product,
			items: []news.Item{
				it("z", "The Verge", N, "Acme launches Zephyr-2", "Acme is rolling out Zephyr-2 to paid users today.", "https://v.example.com/z", news.Product, 0.9, 1),
				it("t", "TechCrunch", N, "Zephyr-2 arrives", "Acme is now rolling out Zephyr-2 to all paid users today. Acme hopes to win back revenue lost to rivals.", "https://tc.example.com/z", news.Product, 0.9, 1.1),
			},
			want: map[string]string{pointBusiness: "revenue"},
		},
		{
			name:  "research: the caveat in the lede is not repeated, the result after it is kept",
			label: news.Research,
			items: []news.Item{it("c", "MIT TR", N, "ChartLens reads charts", "ChartLens reads charts, but still fails on dense scatter plots. It is cheap. It improves accuracy by 14% on three benchmarks.", "https://tr.example.com/c", news.Research, 0.9, 1)},
			want:  map[string]string{pointResult: "14%"},
		},
		{
			name:  "the same sentence in two feeds is one hook, not two kinds",
			label: news.Product,
			items: []news.Item{
				it("a", "Windsurf Changelog", news.KindBlog, "Windsurf 1.9552.21", "Bug fixes. Small changes. Plan Mode is now available to all paid users on every plan.", "https://w.example.com/1", news.Product, 0.9, 1),
				it("b", "Windsurf Next Changelog", news.KindBlog, "Windsurf Next 1.9552.1021", "Fixes. Changes. Plan Mode is now available to all paid users on every plan.", "https://w.example.com/2", news.Product, 0.9, 1),
			},
			want: map[string]string{pointAvailability: "Plan Mode"},
		},
		{
			name:  "a run-on of list items that lost their breaks is no hook",
			label: news.Product,
			items: []news.Item{it("w", "Windsurf Changelog", news.KindBlog, "Windsurf 1.9544.24", "Arena Mode is here. It compares models. Battle Groups: Choose specific models to compare or let Windsurf randomly select from curated groups like fast models vs smart models Personal & Global Leaderboards: Your votes contribute to both a personal leaderboard (your preferences) and a global one (across all Windsurf users) Sync or Branch: Send followup prompts to both agents simultaneously, or branch and explore different paths individually To get started, select the new Arena tab in the model picker.", "https://w.example.com/c", news.Product, 0.9, 1)},
			want:  map[string]string{},
		},
		{
			name:  "plus and max are ordinary words, not plans",
			label: news.Product,
			items: []news.Item{it("q", "Lab", news.KindBlog, "Introducing Tuesday", "A new index. It ranks models. Qwen 3.8 Max scores 58.7 on the index, plus a new cost chart.", "https://l.example.com/t", news.Product, 0.9, 1)},
			want:  map[string]string{},
		},
		{
			name:  "Chinese: the lede's sentence is not repeated",
			label: news.Product,
			items: []news.Item{it("g", "机器之心", N, "智谱发布GLM-5", "智谱今天发布GLM-5模型，个人用户可以免费使用。模型支持中文。企业版的价格尚未公布，将面向企业客户开放。", "https://z.example.com/1", news.Product, 0.9, 1)},
			want:  map[string]string{pointAvailability: "价格尚未公布"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			its := ptrs(tc.items)
			title, led := its[0].Title, lede(its)
			pts := talkingPoints(its, tc.label, title, led)
			if len(pts) != len(tc.want) {
				t.Fatalf("points %+v under lede %q, want kinds %v", pts, led, tc.want)
			}
			for _, p := range pts {
				if phrase, ok := tc.want[p.Kind]; !ok || !strings.Contains(p.Quote, phrase) {
					t.Errorf("%s point %q should quote %q", p.Kind, p.Quote, phrase)
				}
				if strings.Contains(led, strings.TrimSuffix(p.Quote, "…")) {
					t.Errorf("point %q repeats the lede %q", p.Quote, led)
				}
			}
		})
	}
}

func TestTalkingPointsSkipASummaryThatRepeatsTheTitle(t *testing.T) {
	x := it("a", "Lab", news.KindBlog, "Introducing the Partner Hub for enterprise customers", "Introducing the Partner Hub for enterprise customers.", "https://lab.example.com/hub", news.Product, 0.9, 1)
	if pts := talkingPoints(ptrs([]news.Item{x}), news.Product); len(pts) != 0 {
		t.Errorf("points from a repeated headline: %+v", pts)
	}
}

func TestNoTalkingPointsWhenTurnedOff(t *testing.T) {
	x := it("a", "Wire", news.KindNews, "Acme launches Zephyr-2", "Acme has a new model. It talks. Zephyr-2 costs $5 a month for paid users.", "https://w.example.com/z", news.Product, 0.9, 1)
	x.Picked = true
	for _, picks := range []bool{false, true} {
		d := build(t, []news.Item{x}, nil, Options{Since: since, Until: until, Now: until, Points: 0, PicksInSections: picks})
		if s := findStory(d, "a"); s == nil || len(s.Points) != 0 {
			t.Errorf("picks in sections %v: points %+v with Points 0", picks, s)
		}
	}
	d := build(t, []news.Item{x}, nil, Options{Since: since, Until: until, Now: until, Points: 1})
	if s := findStory(d, "a"); s == nil || len(s.Points) == 0 {
		t.Errorf("a pick should get talking points when any story does: %+v", s)
	}
}
