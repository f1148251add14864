package digest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/triagebot/triagebot/news"
)

// background is a week of unrelated headlines, so the batch IDF sees a
// realistic mix and not only the handful of items a case is about.
func background() []news.Item {
	heads := []struct{ title, summary string }{
		{"Robotics startup raises $80M to build warehouse arms", "The Series B was led by a growth fund; the company sells picking robots to retailers."},
		{"EU lawmakers agree on rules for general-purpose models", "The agreement sets transparency duties for model providers from next year."},
		{"Nvidia posts record data-center revenue as demand for chips grows", "Quarterly revenue beat forecasts; the company guided higher for the next quarter."},
		{"A new benchmark tests whether agents can book travel", "Researchers released a suite of tasks that require browsing airline sites."},
		{"Meta releases an open speech model for 200 languages", "The model transcribes and translates speech and is free for research use."},
		{"Samsung shows a foldable phone with a larger cover screen", "The phone goes on sale next month in Korea and the US."},
		{"Perplexity adds shopping to its answer engine", "Users can buy products without leaving the app; merchants pay a fee."},
		{"Study finds chatbots flatter users more than people do", "The authors measured agreement rates across eleven assistants."},
		{"Mistral opens an office in Singapore", "The company plans to hire engineers and sales staff in the region."},
		{"GitHub makes code review agents available to all teams", "The feature reviews pull requests and suggests fixes."},
		{"Waymo expands driverless rides to two more cities", "Riders in both cities can hail a car through the app from today."},
		{"Intel names a new chief financial officer", "The appointment follows a reorganization of the finance team."},
	}
	out := make([]news.Item, len(heads))
	for i, h := range heads {
		out[i] = it(fmt.Sprintf("bg%d", i), fmt.Sprintf("Outlet %d", i), news.KindNews, h.title, h.summary,
			fmt.Sprintf("https://bg.example.com/%d", i), news.Other, 0.8, float64(i%7))
	}
	return out
}

// paper builds an arXiv item.
func paper(id, title, arxiv string, day float64) news.Item {
	x := it(id, "arXiv cs.CL", news.KindPaper, title, "We propose a method and evaluate it.", "https://arxiv.org/abs/"+arxiv, news.Research, 0.99, day)
	x.ArxivID = arxiv
	return x
}

// at moves an item to a given date (for cases that span years).
func at(x news.Item, t time.Time) news.Item {
	x.Published = t
	return x
}

func TestGroupingKeepsApartWhatOnlyLooksAlike(t *testing.T) {
	N, B := news.KindNews, news.KindBlog
	checkGroupCases(t, []groupCase{
		{"a Chinese Copilot headline and unrelated English GPT-5 stories", []news.Item{
			it("zh", "IT之家", N, "微軟Copilot改用GPT-5模型", "微軟宣布Copilot全面改用GPT-5模型，使用者無須額外付費。", "https://zh.example.com/1", news.Product, 0.9, 1),
			it("e1", "The Verge", N, "OpenAI launches GPT-5 with a new reasoning mode", "GPT-5 is rolling out to ChatGPT users today, with a reasoning mode for hard questions.", "https://v.example.com/1", news.Product, 0.9, 1),
			it("e2", "Ars", N, "GPT-5 stumbles on a simple arithmetic benchmark, researchers say", "A study found GPT-5 miscounts digits in long sums.", "https://a.example.com/2", news.Research, 0.8, 1.5),
			it("e3", "TechCrunch", N, "Developers report GPT-5 API latency spikes", "Some developers saw GPT-5 responses slow to ten seconds on Tuesday.", "https://tc.example.com/3", news.Product, 0.8, 2),
		}, [][2]string{{"zh", "e1"}, {"zh", "e2"}, {"zh", "e3"}, {"e1", "e2"}, {"e2", "e3"}}, nil},
		{"a paper named Atlas, ChatGPT Atlas and Boston Dynamics' Atlas", []news.Item{
			paper("p", "Atlas: Scalable Retrieval for Long-Context Agents", "2611.04444", 1),
			it("browser", "The Verge", N, "OpenAI unveils ChatGPT Atlas, a web browser built around its chatbot", "ChatGPT Atlas puts the assistant in a sidebar of every page.", "https://v.example.com/atlas", news.Product, 0.9, 1.2),
			it("robot", "IEEE Spectrum", N, "Boston Dynamics shows its electric Atlas robot sorting parts", "The humanoid Atlas moved engine parts between bins in a new video.", "https://ieee.example.com/atlas", news.Product, 0.8, 1.4),
		}, [][2]string{{"p", "browser"}, {"p", "robot"}, {"browser", "robot"}}, nil},
		{"ProFit, fun and profit, and a Profit Center podcast", []news.Item{
			paper("p", "ProFit: Profile-Guided Fine-Tuning of Code Models", "2611.05555", 1),
			it("fun", "Security Blog", B, "Jailbreaking coding assistants for fun and profit", "We tricked three assistants into leaking secrets.", "https://sec.example.com/fun", news.Other, 0.7, 1.5),
			it("pod1", "Profit Center", B, "Profit Center: Folge 12 – Preise richtig setzen", "Wie Unternehmen ihre Preise festlegen.", "https://pc.example.com/12", news.Other, 0.6, 1),
			it("pod2", "Profit Center", B, "Profit Center: Folge 13 – Cashflow im Griff", "Was Gründer über Cashflow wissen müssen.", "https://pc.example.com/13", news.Other, 0.6, 5),
		}, [][2]string{{"p", "fun"}, {"p", "pod1"}, {"fun", "pod1"}, {"pod1", "pod2"}}, nil},
		{"two Introducing ... Pro posts", []news.Item{
			it("claude", "Anthropic", B, "Introducing Claude Pro", "A paid plan with more usage of Claude.", "https://anthropic.example.com/pro", news.Product, 0.9, 1),
			it("dlai", "DeepLearning.AI", B, "Introducing DeepLearning.AI Pro", "A membership with all our courses.", "https://dlai.example.com/pro", news.Product, 0.8, 1.2),
		}, [][2]string{{"claude", "dlai"}}, nil},
		{"many Claude launches in one week stay separate stories", []news.Item{
			it("c1", "Anthropic", B, "Introducing Claude Opus 4", "Our most capable model for coding and agents.", "https://anthropic.example.com/opus4", news.Product, 0.9, 0),
			it("c2", "Anthropic", B, "Claude Sonnet 4.5 is here", "A faster model for everyday tasks.", "https://anthropic.example.com/sonnet45", news.Product, 0.9, 0.5),
			it("c3", "Anthropic", B, "Claude Haiku 4.5 now available to all developers", "Our smallest model is now in the API.", "https://anthropic.example.com/haiku45", news.Product, 0.9, 1),
			it("c4", "Anthropic", B, "Claude for Chrome enters beta", "Claude can now act in the browser for Max users.", "https://anthropic.example.com/chrome", news.Product, 0.9, 1.5),
			it("c5", "Anthropic", B, "Claude Code gets plugins", "Install plugins to add commands and agents to Claude Code.", "https://anthropic.example.com/plugins", news.Product, 0.9, 2),
			it("c6", "Anthropic", B, "Introducing Claude for Financial Services", "Claude connects to market data for analysts.", "https://anthropic.example.com/fin", news.Product, 0.9, 2.5),
		}, [][2]string{{"c1", "c2"}, {"c1", "c3"}, {"c2", "c3"}, {"c1", "c4"}, {"c4", "c5"}, {"c5", "c6"}, {"c1", "c6"}, {"c3", "c5"}}, nil},
		{"a chain of look-alike headlines is not one story", []news.Item{
			it("x1", "Outlet A", N, "Falcon coding model tops the SWE leaderboard", "Falcon scores 80 percent on the SWE coding leaderboard.", "https://a.example.com/x1", news.Product, 0.8, 1),
			it("x2", "Outlet B", N, "Falcon coding model from the SWE leaderboard arrives in Harbor IDE", "Harbor adds the Falcon coding model.", "https://b.example.com/x2", news.Product, 0.8, 1.1),
			it("x3", "Outlet C", N, "Harbor IDE adds an offline mode for long flights", "It now works without a network.", "https://c.example.com/x3", news.Product, 0.8, 1.2),
		}, [][2]string{{"x1", "x3"}}, nil},
		{"Hello GPT-4o in 2024 and a GPT-4o rollback a year later", []news.Item{
			at(it("hello", "OpenAI", B, "Hello GPT-4o", "GPT-4o is our new flagship model that can reason across audio, vision and text in real time.", "https://openai.example.com/hello-gpt-4o", news.Product, 0.9, 0), time.Date(2024, 5, 13, 17, 0, 0, 0, time.UTC)),
			at(it("rollback", "微博", N, "OpenAI回滾GPT-4o更新", "OpenAI表示已回滾上週的GPT-4o更新，因為模型變得過於奉承。", "https://weibo.example.com/1", news.Product, 0.8, 0), time.Date(2025, 4, 30, 3, 0, 0, 0, time.UTC)),
			at(it("rollback-en", "The Verge", N, "OpenAI rolls back the GPT-4o update that made ChatGPT too agreeable", "GPT-4o, the flagship model that reasons across audio, vision and text, had become sycophantic after last week's update.", "https://v.example.com/rollback", news.Product, 0.8, 0), time.Date(2025, 4, 29, 20, 0, 0, 0, time.UTC)),
		}, [][2]string{{"hello", "rollback"}, {"hello", "rollback-en"}}, nil},
		{"one launch from several outlets, the model named only in summaries", []news.Item{
			it("tc", "TechCrunch", N, "Anthropic's new Claude 4 models can work on code for hours", "Anthropic released Claude Opus 4 and Claude Sonnet 4, which it says can work on long coding tasks for hours.", "https://tc.example.com/claude4", news.Product, 0.9, 1),
			it("verge", "The Verge", N, "Anthropic releases its most capable models yet, Claude 4", "Claude Opus 4 leads a coding benchmark, Anthropic says, and Claude Sonnet 4 replaces Sonnet 3.7.", "https://v.example.com/claude4", news.Product, 0.9, 1.1),
			it("vb", "VentureBeat", N, "Anthropic's most capable model yet codes for seven hours straight", "Claude Opus 4 worked on an open-source refactor for seven hours; Claude Sonnet 4 is free to use.", "https://vb.example.com/opus4", news.Product, 0.9, 1.3),
		}, nil, [][]string{{"tc", "verge", "vb"}}},
		{"a lowercase-led product name joins; another model stays apart", []news.Item{
			it("a", "The Verge", N, "Apple unveils iPhone 17 with a thinner design and a faster chip", "The iPhone 17 starts at $799 and ships next Friday.", "https://v.example.com/iphone17", news.Product, 0.9, 1),
			it("b", "CNET", N, "iPhone 17 hands-on: thinner design, same price", "We held the iPhone 17 for an hour after Apple's event; the thinner design is striking.", "https://cnet.example.com/iphone17", news.Product, 0.9, 1.2),
			it("c", "9to5Mac", N, "iPhone 16 gets a price cut in India", "Retailers dropped the iPhone 16 price ahead of the festival season.", "https://9to5.example.com/iphone16", news.Product, 0.8, 1.4),
		}, [][2]string{{"a", "c"}, {"b", "c"}}, [][]string{{"a", "b"}}},
		{"an item that links another joins it", []news.Item{
			it("blog", "Acme Blog", B, "Our new reasoning model, Kestrel", "Kestrel solves olympiad geometry.", "https://acme.example.com/blog/kestrel", news.Product, 0.9, 1),
			it("news", "Newsletter", N, "What we're reading this week", "Acme's write-up (https://acme.example.com/blog/kestrel/) is worth your time.", "https://nl.example.com/42", news.Other, 0.6, 1.5),
		}, nil, [][]string{{"blog", "news"}}},
		{"a paper joins coverage that names it in the headline", []news.Item{
			paper("p", "ChartLens: Teaching Language Models to Read Charts", "2611.07777", 1),
			it("n", "VentureBeat", N, "ChartLens could make enterprise dashboards talk back", "The research method reads bar charts with few extra parameters.", "https://vb.example.com/chartlens", news.Research, 0.7, 2),
			it("m", "MIT TR", N, "Researchers teach chatbots to read charts", "A new paper (arxiv.org/abs/2611.07777) shows how.", "https://tr.example.com/charts", news.Research, 0.8, 2.5),
		}, nil, [][]string{{"p", "n", "m"}}},
		{"two reports whose headlines share little and whose links name the same fire", []news.Item{
			it("a", "Outlet A", N, "Crews hold the line above Brightwater as overnight rain slows the advancing blaze", "", "https://a.example.com/2026/07/26/us/kestrel-ridge-wildfire-brightwater-evacuation.html", news.Other, 0.8, 1),
			it("b", "Outlet B", N, "Residents of Brightwater may soon go home as weary crews finally gain ground", "", "https://b.example.com/news/kestrel-ridge-wildfire-brightwater-evacuation-orders-lifted", news.Other, 0.8, 1.2),
		}, nil, [][]string{{"a", "b"}}},
		{"links that share only a live blog's boilerplate or percent-encoded bytes", []news.Item{
			it("storm", "Outlet C", N, "Storm knocks out power across the coast", "", "https://c.example.com/live/storm-power-outage-live-updates-what-we-know", news.Other, 0.8, 1),
			it("trial", "Outlet D", N, "Jury reaches a verdict in the Harlan fraud trial", "", "https://d.example.com/live/harlan-fraud-trial-verdict-live-updates-what-we-know", news.Other, 0.8, 1.1),
			it("zh1", "Outlet E", N, "微軟發布新模型", "", "https://e.example.com/news/%E5%BE%AE%E8%BB%9F-%E7%99%BC%E5%B8%83-%E6%A8%A1%E5%9E%8B", news.Other, 0.8, 1),
			it("zh2", "Outlet F", N, "颱風逼近東部沿海", "", "https://f.example.com/news/%E9%A2%B1%E9%A2%A8-%E9%80%BC%E8%BF%91-%E6%B2%BF%E6%B5%B7", news.Other, 0.8, 1.1),
		}, [][2]string{{"storm", "trial"}, {"zh1", "zh2"}}, nil},
		{"English and Chinese items sharing one name of two words", []news.Item{
			it("law", "Outlet A", N, "Governor signs the Harbor Data Act into law", "Governor Marisol Quintero signed the Harbor Data Act, which makes platforms remove deepfakes.", "https://a.example.com/harbor-act", news.Other, 0.8, 1),
			it("roundup", "電子報", N, "新聞速寫：晶片關稅｜資本支出｜機器人", "州長Marisol Quintero（Marisol Quintero）週末宣布關稅新措施，晶片廠商紛紛回應。", "https://zh.example.com/roundup", news.Other, 0.7, 1.2),
			it("ipo", "Outlet B", N, "US investors will soon get access to Kestrel Memory", "Kestrel Memory is riding the AI boom to a US listing on Friday.", "https://b.example.com/kestrel-ipo", news.Other, 0.8, 1),
			it("dinner", "電子報", N, "黃仁勳宴請Kestrel工程師，力挺Kestrel Memory新晶片", "黃仁勳與Kestrel Memory（Kestrel Memory）工程師共進晚餐。", "https://zh.example.com/dinner", news.Other, 0.7, 1.1),
		}, [][2]string{{"law", "roundup"}, {"ipo", "dinner"}}, nil},
		{"English and Chinese reports of one launch sharing two names", []news.Item{
			it("en", "TechCrunch", N, "Moonshot releases Kimi K3 with a 2M-token context and the OK Computer agent", "Kimi K3 and its OK Computer agent are free to try.", "https://tc.example.com/k3", news.Product, 0.9, 1),
			it("zh", "36氪", N, "月之暗面發布Kimi K3，OK Computer代理同步上線", "Kimi K3支援兩百萬字上下文，OK Computer代理免費試用。", "https://36kr.example.com/k3", news.Product, 0.9, 1.1),
		}, nil, [][]string{{"en", "zh"}}},
	})
}

func TestNamesFromTitlesAndSummaries(t *testing.T) {
	cases := []struct {
		text       string
		want, not  []string
		wantModels []string
	}{
		{"Anthropic released Claude Opus 4 and Claude Sonnet 4 today.", []string{"claude", "sonnet"}, []string{"released", "today"}, []string{"claude4", "claudeopus4", "opus4", "sonnet4"}},
		{"Hands-on with the iPhone 17 and macOS", []string{"iphone", "macos"}, []string{"hands-on"}, []string{"iphone17"}},
		{"微軟Copilot改用GPT-5模型", []string{"copilot"}, nil, []string{"gpt5"}},
		{"Zhipu opens GLM-5.3 to developers. Developers like it.", []string{"glm-5.3"}, []string{"zhipu", "developers"}, []string{"glm5.3"}},
		{"Why the Falcon rocket is back", []string{"falcon"}, []string{"why", "rocket"}, nil},
		// A date is no model name: every story of the day has it.
		{"Horoscopes Today, July 27, 2024", nil, []string{"july27", "today27", "todayjuly27"}, nil},
		{"Five Observations | Chiefs Training Camp 7/26", []string{"camp"}, []string{"camp7", "training7", "trainingcamp7"}, nil},
		{"Acme beats Q3 forecasts as Orbit 2 ships", []string{"orbit"}, []string{"q3"}, []string{"orbit2"}},
	}
	for _, tc := range cases {
		t.Run(tc.text, func(t *testing.T) {
			got := map[string]bool{}
			models := map[string]bool{}
			for _, n := range names(tc.text, nil) {
				got[n.key] = true
				models[n.key] = n.model
			}
			for _, w := range tc.wantModels {
				if !models[w] {
					t.Errorf("model name %q missing from %v", w, got)
				}
			}
			for _, w := range tc.want {
				if !got[w] && !got[strings.ReplaceAll(w, "-", "")] {
					t.Errorf("name %q missing from %v", w, got)
				}
			}
			for _, w := range tc.not {
				if got[w] {
					t.Errorf("%q is not a name: %v", w, got)
				}
			}
		})
	}
}

func TestABigStoryStaysOneAndSpansAtMostTheWindow(t *testing.T) {
	t.Run("sixty outlets on one launch", func(t *testing.T) {
		items := background()
		for i := range 60 {
			items = append(items, it(fmt.Sprintf("z%02d", i), fmt.Sprintf("Outlet %d", i), news.KindNews,
				fmt.Sprintf("Acme's Zephyr-9 model launches with Orbit voice mode (report %d)", i),
				"Zephyr-9 and the Orbit voice mode reach paid users today.", fmt.Sprintf("https://o%d.example.com/z", i),
				news.Product, 0.9, 1+float64(i)/60))
		}
		biggest := 0
		for _, g := range Group(ptrs(items), GroupOptions{}) {
			biggest = max(biggest, len(g))
		}
		// More outlets than a short posting holds: joined along the long
		// posting's neighbours, not dropped.
		if biggest < 60 {
			t.Errorf("largest story has %d of the 60 reports", biggest)
		}
	})
	t.Run("copies five days apart are not chained through a middle one", func(t *testing.T) {
		items := background()
		for i, day := range []float64{0, 2.5, 5} {
			items = append(items, it(fmt.Sprintf("c%d", i), fmt.Sprintf("Outlet %d", i), news.KindNews,
				"Acme's Zephyr-9 model launches with Orbit voice mode", "Zephyr-9 and the Orbit voice mode reach paid users.",
				fmt.Sprintf("https://c%d.example.com/z", i), news.Product, 0.9, day))
		}
		story := map[string]int{}
		for k, g := range Group(ptrs(items), GroupOptions{}) {
			for _, x := range g {
				story[x.ID] = k
			}
		}
		if story["c0"] == story["c2"] {
			t.Errorf("a story spans five days: %v", story)
		}
		if story["c0"] != story["c1"] && story["c1"] != story["c2"] {
			t.Errorf("copies 2.5 days apart should join: %v", story)
		}
	})
}

// TestJoinHardArxivIsMapJoin checks the arXiv joins of joinHard, which
// keeps the ids in an open-addressed table of hashes (the forms table's
// array), against the map it replaced: every paper joins the first item
// with its id, every citing item the first one too. Batches large enough
// that slots collide and probe, ids repeated (versions, cross-lists) and
// cited from summaries and links, papers without ids.
func TestJoinHardArxivIsMapJoin(t *testing.T) {
	for _, tc := range []struct {
		name                string
		papers, ids, citers int
		noID                int // every noID-th paper has no id
	}{
		{"one paper", 1, 1, 0, 0},
		{"few, repeated", 12, 5, 4, 0},
		{"thousands", 3000, 2200, 800, 7},
		{"all one id", 300, 1, 30, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var items []news.Item
			for i := range tc.papers {
				x := it(fmt.Sprintf("p%d", i), "arXiv", news.KindPaper, fmt.Sprintf("Paper %d on things", i), "We study things.",
					fmt.Sprintf("https://example.org/p/%d", i), news.Research, 0.9, float64(i%7))
				if tc.noID == 0 || i%tc.noID != 0 {
					x.ArxivID = fmt.Sprintf("2611.%05d", (i*7919)%tc.ids)
				}
				items = append(items, x)
			}
			for i := range tc.citers {
				sum := fmt.Sprintf("A report on arXiv:2611.%05d and more.", (i*31)%(2*tc.ids)) // half cite ids no paper has
				url := fmt.Sprintf("https://news.example.com/%d", i)
				if i%3 == 0 {
					sum, url = "A report.", fmt.Sprintf("https://arxiv.org/abs/2611.%05d", (i*17)%(2*tc.ids))
				}
				items = append(items, it(fmt.Sprintf("n%d", i), "Outlet", news.KindNews, fmt.Sprintf("Report %d", i), sum, url, news.Research, 0.8, float64(i%7)))
			}
			ptrs := make([]*news.Item, len(items))
			for i := range items {
				ptrs[i] = &items[i]
			}
			g := newGrouper(ptrs, GroupOptions{}, nil)
			g.joinHard()
			// The reference: the map joinHard used before.
			var want unionFind
			want.reset(len(items))
			byArxiv := map[string]int{}
			for i, d := range g.docs {
				if id := d.arxiv(); id != "" {
					if j, ok := byArxiv[id]; ok {
						want.union(i, j)
					} else {
						byArxiv[id] = i
					}
				}
			}
			for _, c := range g.cites {
				if j, ok := byArxiv[c.id]; ok {
					want.union(int(c.doc), j)
				}
			}
			joined := 0
			for i := range items {
				if got, w := g.uf.find(i), want.find(i); got != w {
					t.Fatalf("item %d (%s): root %d, the map's %d", i, items[i].ID, got, w)
				}
				if want.find(i) != i {
					joined++
				}
			}
			if tc.papers > 1 && joined == 0 {
				t.Fatal("nothing joined: the case tests nothing")
			}
		})
	}
}

// TestDocArxivAndPaperName: a doc keeps where its item's arXiv id and a
// paper's name are rather than the strings; what it gives back is what
// makeDoc read before (the item's own id, else a paper's link's; a
// paper's distinctive title head).
func TestDocArxivAndPaperName(t *testing.T) {
	for _, tc := range []struct {
		name             string
		kind             news.Kind
		title, url, id   string
		wantID, wantName string
	}{
		{"paper with its id", news.KindPaper, "ChartLens: reading charts", "https://example.org/p", "2611.01234", "2611.01234", "ChartLens"},
		{"paper, id from its link", news.KindPaper, "A study of charts", "https://arxiv.org/abs/2611.04321v2", "", "2611.04321", ""},
		{"paper, old-style id", news.KindPaper, "  DeepFlow :  flows", "http://arxiv.org/abs/hep-th/9901001", "", "hep-th/9901001", "DeepFlow"},
		{"paper, own id before its link's", news.KindPaper, "Atlas: a map", "https://arxiv.org/abs/2611.00001", "2611.09999", "2611.09999", ""},
		{"paper without either", news.KindPaper, "Two words: not a name", "https://example.org/x", "", "", ""},
		{"news with an id", news.KindNews, "ChartLens: a report", "https://news.example.com/a", "2611.01234", "2611.01234", ""},
		{"news linking arXiv", news.KindNews, "A report", "https://arxiv.org/abs/2611.04321", "", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x := it("a", "feed", tc.kind, tc.title, "Summary.", tc.url, news.Research, 0.9, 1)
			x.ArxivID = tc.id
			g := newGrouper([]*news.Item{&x}, GroupOptions{}, nil)
			d := &g.docs[0]
			if got := d.arxiv(); got != tc.wantID {
				t.Errorf("arxiv() = %q, want %q", got, tc.wantID)
			}
			if got := d.paperName(); got != tc.wantName {
				t.Errorf("paperName() = %q, want %q", got, tc.wantName)
			}
		})
	}
}

func TestLatinWordsAdjacency(t *testing.T) {
	cases := []struct {
		text string
		want string // each word, "+" before a word that only spaces separate from the one before
	}{
		{"President Donald Trump signed", "president +donald +trump +signed"},
		{"黃仁勳力挺SK海力士HBM4", "sk hbm4"},
		{"SK海力士（SK Hynix）工程師", "sk sk +hynix"},
		{"Kimi K3, OK Computer", "kimi +k3 ok +computer"},
		{"GPT-5.1 and glm-5.3.", "gpt51 +and +glm53"},
		{"Pokémon  Go", "pokémon +go"},
		{"", ""},
		// Spaces of any width, a no-break hyphen and a middle initial
		// keep one name's words together (found by a review).
		{"Donald\u00a0Trump", "donald +trump"},
		{"州長Donald\u3000Trump宣布", "donald +trump"},
		{"Donald J. Trump signed", "donald +trump +signed"},
		{"J.R.R. Tolkien", "jrr tolkien"},
		{"GPT\u20115.1 and Codex\u2011Max", "gpt +51 +and +codex +max"},
		{"Jean-Émile Roux", "jeanémile +roux"},
		{"Παπαδόπουλος", "παπαδόπουλοσ"},
		{"A. B", "b"},
	}
	for _, c := range cases {
		var parts []string
		for _, w := range latinWords(c.text) {
			if w.afterSpace {
				parts = append(parts, "+"+w.word)
			} else {
				parts = append(parts, w.word)
			}
		}
		if got := strings.Join(parts, " "); got != c.want {
			t.Errorf("latinWords(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}
