package digest

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/triagebot/triagebot/news"
)

// sectionIDs is the order of story ids in a digest's section.
func sectionIDs(d *Digest, k SectionKey) []string {
	var out []string
	for _, sec := range d.Sections {
		if sec.Key == k {
			for _, s := range sec.Stories {
				out = append(out, s.ID)
			}
		}
	}
	return out
}

func findStory(d *Digest, id string) *Story {
	for i := range d.Sections {
		for j := range d.Sections[i].Stories {
			if d.Sections[i].Stories[j].ID == id {
				return &d.Sections[i].Stories[j]
			}
		}
	}
	return nil
}

func factor(s *Story, name string) float64 {
	for _, f := range s.Factors {
		if f.Name == name {
			return f.Points
		}
	}
	return 0
}

// TestRankingFactors pins each factor on its own: two stories that differ
// only in that factor, and the one with it must rank first.
func TestRankingFactors(t *testing.T) {
	B, N := news.KindBlog, news.KindNews
	base := func(id, title string) news.Item {
		return it(id, "Blog "+id, N, title, "Plain words about "+id+" here.", "https://e.example.com/"+id, news.Product, 0.8, 3)
	}
	cases := []struct {
		name       string
		winner     news.Item
		loser      news.Item
		history    []news.Item
		interests  []string
		weights    map[string]float64
		wantFactor string
		keepDates  bool // the dates are the factor under test
	}{
		{
			name:       "a primary-source release announcement",
			winner:     it("w", "Lab Blog", B, "Introducing Zephyr 5", "Our most capable model.", "https://lab.example.com/z5", news.Product, 0.8, 3),
			loser:      base("l", "Thoughts on model evaluation"),
			wantFactor: "primary_launch",
		},
		{
			name:       "a reported launch",
			winner:     it("w", "Wire", N, "Acme launches a voice mode for its app", "", "https://w.example.com/v", news.Product, 0.8, 3),
			loser:      base("l", "A look at voice interfaces"),
			wantFactor: "launch",
		},
		{
			name:       "interest keywords",
			winner:     base("w", "Robot hands learn to fold laundry"),
			loser:      base("l", "Spreadsheets get a new sidebar"),
			interests:  []string{"robot"},
			wantFactor: "interests",
		},
		{
			name:       "like what the hosts picked before",
			winner:     base("w", "Speech watermarks removed by resampling"),
			loser:      base("l", "Spreadsheets get a new sidebar"),
			history:    []news.Item{{Title: "Speech watermarks can be removed", Picked: true}},
			wantFactor: "history",
		},
		{
			name:       "classifier confidence",
			winner:     it("w", "Blog w", N, "Spreadsheets get a new sidebar", "", "https://e.example.com/w", news.Product, 0.99, 3),
			loser:      it("l", "Blog l", N, "Calendars get a new sidebar view", "", "https://e.example.com/l", news.Product, 0.4, 3),
			wantFactor: "confidence",
		},
		{
			name:       "recency",
			winner:     it("w", "Blog w", N, "Spreadsheets get a new sidebar", "", "https://e.example.com/w", news.Product, 0.8, 6),
			loser:      it("l", "Blog l", N, "Calendars get a new sidebar view", "", "https://e.example.com/l", news.Product, 0.8, 1),
			wantFactor: "recency",
			keepDates:  true,
		},
		{
			name:       "feed weight",
			winner:     base("w", "Spreadsheets get a new sidebar"),
			loser:      base("l", "Calendars gain a booking page"),
			weights:    map[string]float64{"Blog w": 3},
			wantFactor: "feed_weight",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// The loser is given the later date and the higher id, so
			// recency and the id tie-break favour it: only the factor can
			// put the winner first.
			if !tc.keepDates {
				tc.loser.Published = tc.winner.Published.Add(1)
			}
			d := build(t, []news.Item{tc.loser, tc.winner}, tc.history, Options{Since: since, Until: until, Now: until,
				Interests: tc.interests, FeedWeights: tc.weights})
			got := sectionIDs(d, SectionKey(tc.winner.Verdict.Label))
			if len(got) != 2 || got[0] != "w" {
				t.Fatalf("order %v, want w first", got)
			}
			w, l := findStory(d, "w"), findStory(d, "l")
			if factor(w, tc.wantFactor) <= factor(l, tc.wantFactor) {
				t.Errorf("factor %s: winner %v, loser %v", tc.wantFactor, w.Factors, l.Factors)
			}
			sum := 0.0
			for _, f := range w.Factors {
				sum += f.Points
			}
			if diff := sum - w.Score; diff > 0.01 || diff < -0.01 {
				t.Errorf("factors %v add up to %.3f, score is %.3f", w.Factors, sum, w.Score)
			}
		})
	}
}

// TestCoverageOutranksSingleSources: a story three outlets covered ranks
// above any single-source story of its section, however many boosts that
// one has, unless the hosts picked or tagged it.
func TestCoverageOutranksSingleSources(t *testing.T) {
	N, B := news.KindNews, news.KindBlog
	covered := []news.Item{
		it("c1", "Wire A", N, "Bolt robotics raises funds for warehouse arms", "Bolt raised money.", "https://a.example/bolt", news.Product, 0.6, 1),
		it("c2", "Wire B", N, "Bolt robotics funds warehouse arms", "Bolt raised money.", "https://b.example/bolt", news.Product, 0.6, 1.1),
		it("c3", "Wire C", N, "Bolt robotics gets funds for warehouse arms", "Bolt raised money.", "https://c.example/bolt", news.Product, 0.6, 1.2),
	}
	// Every boost a lone story can have: own-voice launch, interests,
	// history, a heavy feed, full confidence, the latest date.
	boosted := it("solo", "Lab Blog", B, "Introducing Zephyr 5 for robot agents", "Zephyr 5 agents for robot fleets.", "https://lab.example.com/z5", news.Product, 1, 6.9)
	history := []news.Item{{Title: "Introducing Zephyr 5 for robot agents", Summary: "Zephyr 5 agents for robot fleets.", Picked: true}}
	opts := Options{Since: since, Until: until, Now: until, Interests: []string{"zephyr", "robot", "agents"},
		FeedWeights: map[string]float64{"Lab Blog": 10}}
	cases := []struct {
		name    string
		solo    func(*news.Item)
		picks   bool
		wantTop string
	}{
		{"covered story first", func(*news.Item) {}, false, "c1"},
		{"tagged single source first", func(x *news.Item) { x.Tag, x.TaggedAt = news.Product, since }, false, "solo"},
		{"picked single source first (rundown)", func(x *news.Item) { x.Picked = true }, true, "solo"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			solo := boosted
			tc.solo(&solo)
			o := opts
			o.PicksInSections = tc.picks
			d := build(t, append(slices.Clone(covered), solo), history, o)
			got := sectionIDs(d, SectionProduct)
			if len(got) != 2 || !strings.HasPrefix(got[0], tc.wantTop[:1]) {
				t.Fatalf("order %v, want %s first", got, tc.wantTop)
			}
		})
	}
}

// TestNoiseIsDemoted: tutorials, customer stories, event promotions, job
// posts, newsletter issues and podcast episodes rank below an ordinary
// post of the same feed, and the JSON says why.
func TestNoiseIsDemoted(t *testing.T) {
	B, N := news.KindBlog, news.KindNews
	cases := []struct {
		kind  string
		item  news.Item
		label news.Label
	}{
		{"tutorial", it("x", "Vendor", B, "How to build a RAG pipeline with vectors", "", "https://v.example.com/rag", news.Product, 0.9, 3), news.Product},
		{"tutorial", it("x", "Vendor", B, "Best practices for data pipelines", "", "https://v.example.com/bp", news.Product, 0.9, 3), news.Product},
		{"customer_story", it("x", "Lab", B, "Advancing finance with Claude Opus 4.6", "", "https://lab.example.com/fin", news.Product, 0.9, 3), news.Product},
		{"customer_story", it("x", "Lab", B, "Case study: Bank cuts support time in half", "", "https://lab.example.com/bank", news.Product, 0.9, 3), news.Product},
		{"event", it("x", "Wire", N, "How to watch WWDC 2026", "", "https://w.example.com/watch", news.Other, 0.9, 3), news.Other},
		{"event", it("x", "Vendor", B, "Join us for a webinar on agent security", "", "https://v.example.com/web", news.Other, 0.9, 3), news.Other},
		{"job_post", it("x", "Lab", B, "We're hiring research engineers", "", "https://lab.example.com/jobs", news.Other, 0.9, 3), news.Other},
		{"job_post", it("x", "Lab", B, "Applications open for our safety fellowship program", "", "https://lab.example.com/fel", news.Other, 0.9, 3), news.Other},
		{"newsletter", it("x", "MIT TR", N, "The Download: chip exports and robot chefs", "", "https://tr.example.com/dl", news.Other, 0.9, 3), news.Other},
		{"newsletter", it("x", "The Batch", N, "Gemini Flash Gets Pricey, AI Act Delays, Agents Drive Online Traffic", "", "https://b.example.com/1", news.Research, 0.9, 3), news.Research},
		{"podcast", it("x", "AI FIRST Podcast", B, "Agentic AI im ERP", "", "https://ai.example.com/podcast/erp", news.Other, 0.9, 3), news.Other},
		{"podcast", it("x", "Show", B, "Episode 212: scaling laws with a guest", "", "https://show.example.com/212", news.Other, 0.9, 3), news.Other},
		{"tutorial", it("x", "Claude Blog", B, "Steering Claude Code: when to use CLAUDE.md, skills, hooks, and subagents", "", "https://c.example/steer", news.Product, 0.9, 3), news.Product},
		{"tutorial", it("x", "Vendor", B, "The founder's playbook: Building an AI-native startup", "", "https://v.example.com/pb", news.Other, 0.9, 3), news.Other},
		{"customer_story", it("x", "Lab", B, "How CodeRabbit used Claude to build an agent orchestration system", "", "https://lab.example.com/cr", news.Research, 0.9, 3), news.Research},
		{"patch_notes", it("x", "Windsurf Changelog", B, "Windsurf 1.9544.26", "Bug Fixes and Improvements", "https://windsurf.example/changelog", news.Research, 0.9, 3), news.Research},
	}
	for _, tc := range cases {
		t.Run(tc.kind+"/"+tc.item.Title, func(t *testing.T) {
			plain := it("plain", "Plain Feed", tc.item.SourceKind, "Notes on quiet progress in storage engines", "", "https://p.example.com/p", tc.label, 0.5, 1)
			d := build(t, []news.Item{tc.item, plain}, nil, Options{Since: since, Until: until, Now: until})
			got := sectionIDs(d, SectionKey(tc.label))
			if len(got) != 2 || got[0] != "plain" {
				t.Fatalf("order %v: the %s should rank below an ordinary post", got, tc.kind)
			}
			if f := factor(findStory(d, "x"), tc.kind); f >= 0 {
				t.Errorf("factors %v lack a negative %s", findStory(d, "x").Factors, tc.kind)
			}
		})
	}
}

// TestNotNoise keeps the cues from catching real news.
func TestNotNoise(t *testing.T) {
	B, N, P := news.KindBlog, news.KindNews, news.KindPaper
	c := newCues()
	for _, x := range []news.Item{
		it("a", "Lab", B, "Introducing Claude Opus 4.6", "", "", news.Product, 1, 1),
		it("b", "Wire", N, "OpenAI, Google and Meta agree on model evaluations", "", "", news.Other, 1, 1),
		it("c", "arXiv cs.CV", P, "How to Train Event Cameras: a Webinar-Free Study", "", "", news.Research, 1, 1),
		it("d", "Wire", N, "Cursor is now a part of SpaceX", "", "", news.Other, 1, 1),
		it("e", "Lab", B, "WWDC 2026 recap: everything Apple announced", "", "", news.Product, 1, 1),
		it("f", "Lab", B, "Anthropic Education Report: How university students use Claude", "", "", news.Research, 1, 1),
		it("g", "Wire", N, "Salesforce teams up with Anthropic to enhance Einstein with Claude", "", "", news.Other, 1, 1),
		it("h", "Lab", B, "Introducing Claude for Financial Services with new connectors", "", "", news.Product, 1, 1),
	} {
		if k := c.features(&x).noise; k != notNoise {
			t.Errorf("%q taken for %s", x.Title, k)
		}
	}
}

// TestExclusions: items in languages outside digest.languages, and arXiv
// replace announcements nobody covered or picked, are left out and
// counted.
func TestExclusions(t *testing.T) {
	P, N := news.KindPaper, news.KindNews
	paper := func(id, title, announce string) news.Item {
		x := it(id, "arXiv cs.CL", P, title, "We study things.", "https://arxiv.org/abs/2611.0000"+id[len(id)-1:], news.Research, 0.99, 1)
		x.ArxivID, x.AnnounceType = "2611.0000"+id[len(id)-1:], announce
		return x
	}
	german := it("de", "AI FIRST", N, "Das AI-First Prinzip", "", "https://ai.example.com/1", news.Other, 0.9, 1)
	german.Lang = "de"
	chinese := it("zh", "机器之心", N, "智谱发布GLM-5模型", "", "https://jqzx.example.com/1", news.Product, 0.9, 1)
	chinese.Lang = "zh-CN"
	english := it("en", "Wire", N, "Acme ships a model", "", "https://w.example.com/1", news.Product, 0.9, 1)
	english.Lang = "en"
	unknown := it("un", "Wire", N, "Acme ships another model", "", "https://w.example.com/2", news.Product, 0.9, 1)
	replaced := paper("r1", "SparseFoo: An Old Paper, Version 3", "replace")
	replacedCross := paper("r2", "DenseBar: Another Old Paper", "replace-cross")
	picked := paper("r3", "PickedBaz: Old but Picked", "replace")
	picked.Picked = true
	covered := paper("r4", "CoveredQux: Old Paper in the News", "replace")
	coverage := it("cov", "Wire", N, "CoveredQux shows old models can read", "See arxiv.org/abs/2611.00004 for details.", "https://w.example.com/qux", news.Research, 0.8, 1.5)
	fresh := paper("n5", "FreshZed: A New Paper", "new")

	cases := []struct {
		name      string
		languages []string
		keep      []string
		drop      []string
		wantLang  int
		wantRepl  int
	}{
		{"default languages en and zh", nil, []string{"zh", "en", "un"}, []string{"de"}, 1, 2},
		{"only English", []string{"en"}, []string{"en", "un"}, []string{"de", "zh"}, 2, 2},
		{"German too", []string{"en", "zh", "de"}, []string{"de", "zh", "en"}, nil, 0, 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			items := []news.Item{german, chinese, english, unknown, replaced, replacedCross, picked, covered, coverage, fresh}
			d := build(t, items, nil, Options{Since: since, Until: until, Now: until, Languages: tc.languages, PerSection: 50})
			var ids []string
			for _, sec := range d.Sections {
				for _, s := range sec.Stories {
					ids = append(ids, s.ItemIDs...)
				}
			}
			for _, id := range append(tc.keep, "r3", "r4", "cov", "n5") {
				if !slices.Contains(ids, id) {
					t.Errorf("%s left out; shown %v", id, ids)
				}
			}
			for _, id := range append(tc.drop, "r1", "r2") {
				if slices.Contains(ids, id) {
					t.Errorf("%s shown; it should be left out", id)
				}
			}
			if d.LeftOut.Language != tc.wantLang || d.LeftOut.ArxivReplace != tc.wantRepl {
				t.Errorf("left out %+v, want language %d, arxiv_replace %d", d.LeftOut, tc.wantLang, tc.wantRepl)
			}
		})
	}
}

func TestAllShowsEveryStory(t *testing.T) {
	word := madeUpWord
	var items []news.Item
	for i := range 60 {
		title := fmt.Sprintf("Acme %s %s %s", word(i), word(i+100), word(i+200))
		items = append(items, it(fmt.Sprintf("i%02d", i), fmt.Sprintf("Feed %d", i), news.KindNews, title, "", fmt.Sprintf("https://e.example.com/%d", i), news.Labels()[i%3], 0.7, float64(i%7)))
	}
	for _, tc := range []struct {
		name      string
		o         Options
		wantShown int
	}{
		{"per section cut", Options{PerSection: 5}, 15},
		{"more than 25 per section", Options{PerSection: 30}, 60},
		{"all", Options{PerSection: 5, All: true}, 60},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := tc.o
			o.Since, o.Until, o.Now = since, until, until
			d := build(t, items, nil, o)
			shown, omitted := 0, 0
			for _, sec := range d.Sections {
				shown += len(sec.Stories)
				omitted += sec.Omitted
			}
			if shown != tc.wantShown || shown+omitted != d.StoryCount {
				t.Errorf("shown %d omitted %d of %d stories; want %d shown", shown, omitted, d.StoryCount, tc.wantShown)
			}
		})
	}
}

// madeUpWord is a different nonsense word for every i below 1,000, so
// items built from them never look like one story.
func madeUpWord(i int) string {
	syl := []string{"ka", "lo", "mi", "ne", "ru", "sa", "te", "vo", "zi", "po"}
	return syl[i%10] + syl[i/10%10] + syl[i/100%10] + "x"
}

func TestTopIndexesMatchesAFullSort(t *testing.T) {
	scores := []float64{3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4, 6, 2, 6, 4, 3, 3, 8, 3, 2, 7, 9, 5}
	before := func(a, b int32) bool {
		if scores[a] != scores[b] {
			return scores[a] > scores[b]
		}
		return a < b
	}
	for n := 0; n <= len(scores); n++ {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			idx := make([]int32, len(scores))
			for i := range idx {
				idx[i] = int32(i)
			}
			want := slices.Clone(idx)
			slices.SortFunc(want, func(a, b int32) int {
				if before(a, b) {
					return -1
				}
				return 1
			})
			if got := topIndexes(idx, n, before); !slices.Equal(got, want[:n]) {
				t.Errorf("top %d: %v, want %v", n, got, want[:n])
			}
		})
	}
}

func TestAWeekOfOnlyLeftOutItemsSaysWhy(t *testing.T) {
	de := it("de", "AI FIRST", news.KindNews, "Das AI-First Prinzip", "", "https://ai.example.com/1", news.Other, 0.9, 1)
	de.Lang = "de"
	for _, tc := range []struct{ lang, want string }{
		{"en", "Left out: items in other languages (digest.languages): 1;"},
		{"zh-TW", "已略過 1 則其他語言的項目"},
	} {
		d := build(t, []news.Item{de}, nil, Options{Since: since, Until: until, Now: until, Language: tc.lang})
		if !d.Empty() || !strings.Contains(Markdown(d), tc.want) || !strings.Contains(Text(d), tc.want) {
			t.Errorf("%s: %s", tc.lang, Markdown(d))
		}
	}
}

func TestNoiseEarnsNoLaunchPoints(t *testing.T) {
	x := it("x", "Lab", news.KindBlog, "Meet the winners of our first hackathon", "", "https://lab.example.com/h", news.Other, 0.9, 1)
	d := build(t, []news.Item{x}, nil, Options{Since: since, Until: until, Now: until})
	s := findStory(d, "x")
	if s == nil || factor(s, "primary_launch") != 0 || factor(s, "event") >= 0 {
		t.Errorf("factors %+v: an event post should be demoted and get no launch points", s.Factors)
	}
}

// TestLedeSkipsLabelsAndBylines: a feed that puts its category or its
// authors (or its headline again) where the summary goes gives the hosts
// no lede; nor does another outlet's text, which would read as the lead's.
func TestLedeSkipsLabelsAndBylines(t *testing.T) {
	cases := []struct {
		name      string
		summaries []string // lead first
		want      string
	}{
		{"a category", []string{"Applied Research"}, ""},
		{"a post type", []string{"Link post"}, ""},
		{"an author list", []string{"Gordon et al."}, ""},
		{"two authors", []string{"Wang and Murfet"}, ""},
		{"changelog headings", []string{"Patch fixes Miscellaneous fixes"}, ""},
		{"never another outlet's text, unattributed", []string{"Fundamental Research", "Researchers trained a small model on office work."}, ""},
		{"the headline again", []string{"A title."}, ""},
		{"a short sentence is a lede", []string{"Stands to reason."}, "Stands to reason."},
		{"a real lede", []string{"We study sparse updates for fine-tuning"}, "We study sparse updates for fine-tuning"},
		{"Chinese text", []string{"智譜今天發布新模型，個人用戶免費使用"}, "智譜今天發布新模型，個人用戶免費使用"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var items []news.Item
			for i, s := range tc.summaries {
				items = append(items, it(fmt.Sprint(i), "Feed", news.KindBlog, "A title", s, "https://e.example.com/"+fmt.Sprint(i), news.Research, 0.9, 1))
			}
			if got := lede(ptrs(items)); got != tc.want {
				t.Errorf("lede = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestOutletsAreSitesNotFeeds: coverage counts independent outlets. Feeds
// of one site (a company's blog and its two changelogs, arXiv's listings)
// are one outlet; one feed is one outlet whatever it links to.
func TestOutletsAreSitesNotFeeds(t *testing.T) {
	B, N, P := news.KindBlog, news.KindNews, news.KindPaper
	cases := []struct {
		name  string
		items []news.Item
		want  int
	}{
		{"one company's blog and changelogs", []news.Item{
			it("a", "Windsurf Blog", B, "Wave 14: Arena Mode", "", "https://windsurf.com/blog/wave-14", news.Product, 0.9, 1),
			it("b", "Windsurf Changelog", B, "Windsurf 1.9544.24", "", "https://windsurf.com/changelog#1.9544.24", news.Product, 0.9, 1),
			it("c", "Windsurf Next Changelog", B, "Windsurf Next 1.9544.1018", "", "https://windsurf.com/changelog/windsurf-next#1", news.Product, 0.9, 1),
		}, 1},
		{"a company's subdomain blog", []news.Item{
			it("a", "Anthropic News", B, "Mapping cyber threats", "", "https://www.anthropic.com/news/map", news.Other, 0.9, 1),
			it("b", "Anthropic Frontier Red Team Blog", B, "Mapping AI-enabled cyber threats", "", "https://red.anthropic.com/2026/map/", news.Other, 0.9, 1),
		}, 1},
		{"two arXiv listings", []news.Item{
			it("a", "arXiv cs.CL", P, "ChartLens", "", "https://arxiv.org/abs/2611.05555", news.Research, 0.9, 1),
			it("b", "arXiv cs.LG", P, "ChartLens", "", "https://arxiv.org/abs/2611.05555", news.Research, 0.9, 1),
		}, 1},
		{"three outlets", []news.Item{
			it("a", "The Verge", N, "Acme launches Zephyr-2", "", "https://www.theverge.com/a", news.Product, 0.9, 1),
			it("b", "TechCrunch", N, "Zephyr-2 arrives", "", "https://techcrunch.com/b", news.Product, 0.9, 1),
			it("c", "BBC", N, "Acme's Zephyr-2", "", "https://news.bbc.co.uk/c", news.Product, 0.9, 1),
		}, 3},
		{"an aggregator linking to two sites is one outlet", []news.Item{
			it("a", "Hacker News", N, "Acme launches Zephyr-2", "", "https://www.theverge.com/a", news.Product, 0.9, 1),
			it("b", "Hacker News", N, "Zephyr-2 arrives", "", "https://techcrunch.com/b", news.Product, 0.9, 1),
		}, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			its := ptrs(tc.items)
			s := storyOf(its)
			if got := outletCount(&s, its); got != tc.want {
				t.Errorf("%d outlets, want %d", got, tc.want)
			}
			// The page's "N sources" is the same count, each outlet
			// named by its first report.
			st := s.show(its, storyAside{})
			st.fill()
			if len(st.Sources) != tc.want || st.Sources[0].Name != tc.items[0].Feed {
				t.Errorf("sources %+v, want %d named first by %q", st.Sources, tc.want, tc.items[0].Feed)
			}
		})
	}
}

// TestPatchNotes: a changelog entry titled with its version and opening
// with fixes is noise; one that names a feature is not, but it leads its
// story only when nothing says more.
func TestPatchNotes(t *testing.T) {
	B := news.KindBlog
	c := newCues()
	cases := []struct {
		item  news.Item
		noise bool
	}{
		{it("a", "Windsurf Changelog", B, "Windsurf 1.9544.26", "Bug Fixes and Improvements Improve UI styling", "", news.Product, 1, 1), true},
		{it("b", "Windsurf Next Changelog", B, "Windsurf Next 1.13.114", "Patch fixes Miscellaneous fixes", "", news.Product, 1, 1), true},
		{it("c", "Ollama Blog", B, "Ollama v0.5.7", "", "", news.Product, 1, 1), true},
		{it("d", "Windsurf Changelog", B, "Windsurf 2.0.44", "Devin in Windsurf: the Devin cloud agent inside Windsurf", "", news.Product, 1, 1), false},
		{it("e", "Lab", B, "Claude Opus 4.6", "Fixes nothing; a new model.", "", news.Product, 1, 1), false},
		{it("f", "Weaviate Blog", B, "Weaviate 1.37 Release", "Fixes and features.", "", news.Product, 1, 1), false},
	}
	for _, tc := range cases {
		t.Run(tc.item.Title, func(t *testing.T) {
			if got := c.features(&tc.item).noise == noisePatch; got != tc.noise {
				t.Errorf("patch notes %v, want %v", got, tc.noise)
			}
		})
	}
	story := []news.Item{
		it("log", "Windsurf Next Changelog", B, "Windsurf Next 1.9544.1018", "Wave 14: Arena Mode brings side-by-side model comparison into your IDE, with 12 battle groups.", "https://windsurf.com/changelog/n", news.Product, 0.9, 1),
		it("blog", "Windsurf Blog", B, "Wave 14: Arena Mode - May the Best Model Win", "Compare models side by side.", "https://windsurf.com/blog/wave-14", news.Product, 0.9, 2),
	}
	s := Story{items: ptrs(story)}
	chooseLead(&s, c)
	if s.ID != "blog" {
		t.Errorf("lead %s, want the blog post's headline over a version number", s.ID)
	}
}

// storyOf is a new story filled from its items (see init), which are
// the whole list its indexes refer to.
func storyOf(its []*news.Item) story {
	var s story
	s.init(its, 0, time.Time{})
	return s
}

// TestHistIndexIsPairwiseJaccard pins the history factor's inverted index
// against comparing word sets pairwise, as it was computed before: the
// same largest similarity, exactly, for texts that share many, few or no
// words with the history, repeat words, or have none.
func TestHistIndexIsPairwiseJaccard(t *testing.T) {
	wordSet := func(s string) map[uint64]bool {
		m := map[uint64]bool{}
		words(s, func(h uint64) { m[h] = true })
		return m
	}
	jaccard := func(a, b map[uint64]bool) float64 {
		if len(a) == 0 || len(b) == 0 {
			return 0
		}
		inter := 0
		for h := range a {
			if b[h] {
				inter++
			}
		}
		return float64(inter) / float64(len(a)+len(b)-inter)
	}
	rng := rand.New(rand.NewPCG(7, 8))
	vocab := []string{"model", "launch", "agent", "robot", "chip", "paper", "voice", "mode", "price", "Claude", "GPT-5", "開源", "模型", "the", "a"}
	text := func(n int) string {
		var b strings.Builder
		for range n {
			b.WriteString(vocab[rng.IntN(len(vocab))] + " ")
		}
		return b.String()
	}
	tests := []struct {
		name    string
		history []news.Item
	}{
		{"none", nil},
		{"untagged only", []news.Item{{Title: "model launch"}}},
		{"tagged without words", []news.Item{{Title: "—", Tag: "product"}, {Title: "model launch", Picked: true}}},
		{"one", []news.Item{{Title: "Claude gets a voice mode", Summary: "price and launch", Tag: "product"}}},
		{"many", func() []news.Item {
			var h []news.Item
			for i := range 60 {
				h = append(h, news.Item{Title: text(1 + i%9), Summary: text(i % 20), Tag: "research", Picked: i%3 == 0})
			}
			return h
		}()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var sets []map[uint64]bool
			for _, it := range tc.history {
				if it.Tag != "" || it.Picked {
					sets = append(sets, wordSet(it.Title+" "+it.Summary))
				}
			}
			x := newHistIndex(tc.history)
			for i := range 200 {
				title, summary := text(i%7), text(i%25)
				s := title + " " + summary
				want := 0.0
				for _, h := range sets {
					want = max(want, jaccard(wordSet(s), h))
				}
				got := 0.0
				if x != nil {
					got = x.best(title, summary)
				}
				if got != want {
					t.Fatalf("%q: %v, pairwise %v", s, got, want)
				}
			}
			if x != nil && len(sets) > 0 && x.best(tc.history[len(tc.history)-1].Title, tc.history[len(tc.history)-1].Summary) == 0 {
				t.Error("a history item is not similar to itself")
			}
		})
	}
}
