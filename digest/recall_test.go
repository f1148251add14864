package digest

import (
	"fmt"
	"slices"
	"testing"

	"github.com/triagebot/triagebot/news"
)

// groupCase is a batch (added to background()) with the pairs that must
// stay apart and the lists that must be one story.
type groupCase struct {
	name     string
	items    []news.Item
	apart    [][2]string
	together [][]string
}

// checkGroupCases groups each case's items with the background week and
// checks its pairs, and that no item joined a background headline.
func checkGroupCases(t *testing.T, cases []groupCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			items := append(background(), tc.items...)
			groups := Group(ptrs(items), GroupOptions{})
			story := map[string]int{}
			for k, g := range groups {
				for _, x := range g {
					story[x.ID] = k
				}
			}
			show := func(id string) []string {
				var ids []string
				for _, x := range groups[story[id]] {
					ids = append(ids, x.ID)
				}
				slices.Sort(ids)
				return ids
			}
			for _, p := range tc.apart {
				if story[p[0]] == story[p[1]] {
					t.Errorf("%s and %s joined: story %v", p[0], p[1], show(p[0]))
				}
			}
			for _, ids := range tc.together {
				for _, id := range ids[1:] {
					if story[id] != story[ids[0]] {
						t.Errorf("%s and %s apart: %v and %v", ids[0], id, show(ids[0]), show(id))
					}
				}
			}
			for _, x := range tc.items {
				for _, y := range background() {
					if story[x.ID] == story[y.ID] {
						t.Errorf("%s joined unrelated %s", x.ID, y.ID)
					}
				}
			}
		})
	}
}

// TestVersionedNamesInHeadlines: a versioned name both headlines carry
// ("Vortex X7", "Zephyr 9") is one release or event, not a person's name:
// the phrase rule does not discount it. Named only in a summary, it is
// what a post is about at most in passing, and the rule holds.
func TestVersionedNamesInHeadlines(t *testing.T) {
	N, B := news.KindNews, news.KindBlog
	checkGroupCases(t, []groupCase{
		{"two reviews of one versioned product", []news.Item{
			it("a", "Outlet A", N, "Riders call the Vortex X7 the fastest commuter e-bike of the summer", "", "https://a.example.com/1", news.Other, 0.8, 1),
			it("b", "Outlet B", N, "Vortex X7 hands-on: a light frame, a long range and a loud motor", "", "https://b.example.com/2", news.Other, 0.8, 1.2),
		}, nil, [][]string{{"a", "b"}}},
		{"a model named in one post's summary only", []news.Item{
			it("a", "Lab", B, "Partnering with Harbor to harden its browser", "We used Kestrel 4.6 to find memory bugs in the Harbor browser before release.", "https://lab.example.com/harbor", news.Other, 0.8, 1),
			it("b", "Lab", B, "Test awareness in Kestrel 4.6 runs", "Kestrel 4.6 noticed it was being tested.", "https://lab.example.com/awareness", news.Research, 0.8, 1.2),
		}, [][2]string{{"a", "b"}}, nil},
		// names keeps "$47M" as a versioned name, but an amount two
		// headlines share is no release: two startups' rounds.
		{"two rounds of the same amount", []news.Item{
			it("a", "Outlet A", N, "Tessaro raises $47M to build AI chip design tools", "The round was led by a venture fund.", "https://a.example.com/1", news.Product, 0.8, 1),
			it("b", "Outlet B", N, "Brightwell raises $47M for humanoid warehouse robots", "The startup plans to hire engineers.", "https://b.example.com/2", news.Product, 0.8, 1.2),
		}, [][2]string{{"a", "b"}}, nil},
	})
}

// TestProductsAreNoPlaces: a capitalized word after "in" is no place
// when the batch writes it as a product's name (with a version, or after
// a company) or when it is the item's own publisher; a town written with
// a year, or named by an outlet's longer name, is still a place.
func TestProductsAreNoPlaces(t *testing.T) {
	N, B := news.KindNews, news.KindBlog
	windsurf := func(url, source string) news.Item {
		x := it("ws", source, B, "Acme brings its Kestrel coding model to developers in Windsurf", "", url, news.Product, 0.9, 1)
		x.Source = source
		return x
	}
	bedrock := it("br", "Cloud News", N, "Acme's Kestrel coding model reaches enterprise developers in Bedrock", "", "https://cloud.example.com/kestrel", news.Product, 0.9, 1.2)
	pittsburgh := func(source, url string) news.Item {
		x := it("pit", source, N, "West Nile virus found in mosquitoes from several Pittsburgh neighborhoods", "", url, news.Other, 0.8, 1)
		x.Source = source
		return x
	}
	harris := it("har", "Houston Desk", N, "West Nile virus found in mosquitoes from several Harris County neighborhoods", "", "https://houston.example.com/wnv", news.Other, 0.8, 1.1)
	checkGroupCases(t, []groupCase{
		{"the item's own publisher", []news.Item{
			windsurf("https://windsurf.com/changelog/kestrel", "Windsurf Changelog"), bedrock,
		}, nil, [][]string{{"ws", "br"}}},
		{"the publisher's one-word name", []news.Item{
			windsurf("https://blog.example.com/kestrel", "Windsurf"), bedrock,
		}, nil, [][]string{{"ws", "br"}}},
		{"a product of a company elsewhere in the batch", []news.Item{
			windsurf("https://blog.example.com/kestrel", "Dev Blog"), bedrock,
			it("other", "Cloud News", N, "Guardrails console comes to Amazon Bedrock", "", "https://cloud.example.com/guardrails", news.Product, 0.8, 2),
		}, nil, [][]string{{"ws", "br"}}},
		{"a versioned product elsewhere in the batch", []news.Item{
			windsurf("https://blog.example.com/kestrel", "Dev Blog"), bedrock,
			it("other", "Dev News", N, "Cognition ships Windsurf 2 with a faster editor", "", "https://dev.example.com/ws2", news.Product, 0.8, 2),
		}, nil, [][]string{{"ws", "br"}}},
		// "Google India" is Google's arm in India: a country after a
		// company stays a place, or one such headline in a week would
		// join every pair of stories told in India and elsewhere.
		{"a country after a company", []news.Item{
			it("in", "Wire", N, "Heatwave knocks out cloud data centers in India", "Outages hit several providers.", "https://wire.example.com/in", news.Other, 0.8, 1),
			it("oh", "Wire", N, "Heatwave knocks out cloud data centers in Ohio", "Outages hit several providers.", "https://wire.example.com/oh", news.Other, 0.8, 1.1),
			it("arm", "Mint", N, "Google India launches an AI skilling program for students", "", "https://mint.example.com/skills", news.Other, 0.8, 1.2),
		}, [][2]string{{"in", "oh"}}, nil},
		{"no evidence: two places", []news.Item{
			windsurf("https://blog.example.com/kestrel", "Dev Blog"), bedrock,
		}, [][2]string{{"ws", "br"}}, nil},
		{"a town with a year, and an outlet named after it", []news.Item{
			pittsburgh("Pittsburgh Post-Gazette", "https://post-gazette.example.com/wnv"), harris,
			it("budget", "Metro Desk", N, "Council passes the Pittsburgh 2026 budget after a long night", "", "https://metro.example.com/budget", news.Other, 0.8, 2),
		}, [][2]string{{"pit", "har"}}, nil},
	})
}

// TestRareWordsActAsNames: two headlines that share no name but a word
// hardly any item has ("zelvarine") are held to the same bar as two
// that share a name; the same word in many items is a topic, and
// Chinese character pairs are no such words.
func TestRareWordsActAsNames(t *testing.T) {
	N := news.KindNews
	pair := []news.Item{
		it("a", "Outlet A", N, "Zelvarine fever cases climb across provinces", "", "https://a.example.com/1", news.Other, 0.8, 1),
		it("b", "Outlet B", N, "Hospitals fill as zelvarine infections climb", "", "https://b.example.com/2", news.Other, 0.8, 1.2),
	}
	common := slices.Clone(pair)
	for i, s := range []string{"a vaccine trial", "a school closure", "a travel warning", "a mosquito study", "a blood drive", "a clinic opening"} {
		common = append(common,
			it(fmt.Sprintf("f%d", i), "Outlet F", N, "Zelvarine news roundup: "+s, "", fmt.Sprintf("https://f.example.com/%d", i), news.Other, 0.8, 1.5),
			it(fmt.Sprintf("g%d", i), "Outlet G", N, "Prices climb again after "+s, "", fmt.Sprintf("https://g.example.com/%d", i), news.Other, 0.8, 1.5))
	}
	checkGroupCases(t, []groupCase{
		{"a rare word", pair, nil, [][]string{{"a", "b"}}},
		{"the same word in many items", common, [][2]string{{"a", "b"}}, nil},
		// A rare compound is made of common words ("self-service" is as
		// rare as a name in tech news, but not one): two customer stories
		// about self-service analytics at two companies are two stories.
		{"a compound", []news.Item{
			it("a", "Outlet A", N, "How Quillby powers Northwind's self-service data analytics", "", "https://a.example.com/1", news.Other, 0.8, 1),
			it("b", "Outlet B", N, "How Larkspur enables self-service analytics for its data teams", "", "https://b.example.com/2", news.Other, 0.8, 1.2),
		}, [][2]string{{"a", "b"}}, nil},
		// A number is no word, however rare: "1,800" in two headlines is
		// a count two stories can share.
		{"a rare number", []news.Item{
			it("a", "Outlet A", N, "Kalmora cuts 1,800 jobs as AI takes over support", "", "https://a.example.com/1", news.Other, 0.8, 1),
			it("b", "Outlet B", N, "Duovant cuts 1,800 contractors as AI writes lessons", "", "https://b.example.com/2", news.Other, 0.8, 1.2),
		}, [][2]string{{"a", "b"}}, nil},
		// A word used to end inside a letter past ASCII, so "résumé"
		// and "réseau" both read as "r" and the é's first byte: one
		// rare-looking term for two unrelated words. They are two
		// words now (scanWord), and share nothing.
		{"a word cut inside a letter", []news.Item{
			it("a", "Outlet A", N, "Quillby brings résumé analytics to recruiters", "", "https://a.example.com/1", news.Other, 0.8, 1),
			it("b", "Outlet B", N, "Larkspur brings réseau analytics to telecoms", "", "https://b.example.com/2", news.Other, 0.8, 1.2),
		}, [][2]string{{"a", "b"}}, nil},
		{"Chinese character pairs", []news.Item{
			it("a", "Outlet A", N, "台積電高雄廠明年量產", "", "https://a.example.com/1", news.Other, 0.8, 1),
			it("b", "Outlet B", N, "高雄廠附近道路明年封閉", "", "https://b.example.com/2", news.Other, 0.8, 1.2),
		}, [][2]string{{"a", "b"}}, nil},
	})
}

// TestTwoCompaniesNoStory: two headlines that each name a company (or a
// company's product) the other does not, and share no other name, are
// two companies' news on one topic, however rare the topic's word
// ("zelvarine watermarks" at Google and at Meta). Names skips a
// headline's first word, so "Meta is …" must be read too. A product and
// its company are one company ("ChatGPT" / "OpenAI"), and a company in
// common keeps the pair.
func TestTwoCompaniesNoStory(t *testing.T) {
	N := news.KindNews
	cases := []struct {
		a, b  string
		apart bool
	}{
		{"Google adds zelvarine watermarks to Gemini images", "Meta rolls out zelvarine watermarks across Llama apps", true},
		{"Google adds zelvarine watermarks to Gemini images", "Meta is now putting zelvarine watermarks on images made by its AI", true},
		{"OpenAI adds zelvarine watermarks to images", "Microsoft puts zelvarine watermarks on Copilot pictures", true},
		{"Nvidia unveils zelvarine chips for data centers", "AMD answers with zelvarine chips of its own", true},
		{"Anthropic hit by zelvarine outage", "OpenAI suffers zelvarine outage for hours", true},
		{"xAI hit by zelvarine outage", "OpenAI suffers zelvarine outage for hours", true},
		{"Google adds zelvarine watermarks to Gemini images", "Gemini images now get zelvarine watermarks", false},
		{"OpenAI adds zelvarine watermarks to images", "ChatGPT images now carry zelvarine watermarks", false},
		{"Apple picks zelvarine chips for Siri servers", "Google's zelvarine chips will run Apple's Siri", false},
		{"Anthropic hit by zelvarine outage", "Zelvarine outage takes down chatbots for hours", false},
		// The company in common is the fifth the first headline names.
		{"Amazon, Google, Meta, Microsoft and OpenAI sign zelvarine safety pledge", "OpenAI signs zelvarine safety pledge", false},
		// A news outlet credited in a headline is no company of the story.
		{"Zelvarine outbreak spreads to three more states - Reuters", "Zelvarine outbreak spreads to three more states - Bloomberg", false},
		{"Zelvarine maker raises $2 billion, Bloomberg reports", "Zelvarine maker raises $2 billion - CNN", false},
		// A compound names both companies.
		{"Google-Anthropic zelvarine cloud deal worth billions", "Anthropic zelvarine cloud deal worth billions", false},
		// Chinese headlines name companies in Chinese (hanCompanies).
		{"騰訊推出全新AI助手，免費開放給所有用戶", "字節跳動推出全新AI助手，免費開放給所有用戶", true},
		{"輝達財報超預期，資料中心營收創新高", "超微財報超預期，資料中心營收創新高", true},
		{"阿里巴巴發布新一代推理模型，數學能力大幅提升", "百度發布新一代推理模型，數學能力大幅提升", true},
		{"美超微財報超預期，伺服器營收創新高", "超微財報超預期，伺服器營收創新高", true},
		{"輝達財報超預期，資料中心營收創新高", "輝達財報超預期 資料中心營收再創新高", false},
		{"通義千問推出新一代推理模型，數學能力大幅提升", "阿里巴巴推出新一代推理模型，數學能力大幅提升", false},
		{"谷歌推出新一代推理模型，數學能力大幅提升", "Google推出新一代推理模型，數學能力大幅提升", false},
		// Two markets' closes in one template are two stories; one
		// market's close in two wordings is one.
		{"A股三大指數集體收漲，醫藥股全線大漲", "美股三大指數集體收跌，科技股全線走低", true},
		{"美股三大指數集體收跌，科技股全線走低", "美股三大指數集體收跌 科技股領跌", false},
	}
	var gc []groupCase
	for _, c := range cases {
		items := []news.Item{
			it("a", "Outlet A", N, c.a, "", "https://a.example.com/1", news.Product, 0.8, 1),
			it("b", "Outlet B", N, c.b, "", "https://b.example.com/2", news.Product, 0.8, 1.2),
		}
		if c.apart {
			gc = append(gc, groupCase{c.a + " / " + c.b, items, [][2]string{{"a", "b"}}, nil})
		} else {
			gc = append(gc, groupCase{c.a + " / " + c.b, items, nil, [][]string{{"a", "b"}}})
		}
	}
	checkGroupCases(t, gc)
}

func TestHeadCompanies(t *testing.T) {
	cases := []struct {
		title string
		want  []string
		more  bool // it names more companies than want holds
	}{
		{"Meta is now putting watermarks on images", []string{"meta"}, false},
		{"Google's chips will run Apple's Siri", []string{"google", "apple"}, false},
		{"ChatGPT and GPT-5 come to Windows via Copilot", []string{"openai", "microsoft"}, false},
		{"微軟Copilot改用GPT-5模型", []string{"microsoft", "openai"}, false},
		{"Hugging Face hires", []string{"hugging"}, false},
		{"metaverse news from apple growers", nil, false},
		{"Googleplex tour", nil, false},
		{"Face ID fails on Galaxy-style masks", []string{"samsung"}, false},
		{"Apple's Face ID gets a fix", []string{"apple"}, false},
		{"xAI ships Grok 5 as iPhone and iOS apps", []string{"xai", "apple"}, false},
		{"ipad and xai in lowercase", nil, false},
		{"Outbreak spreads, BBC and CNN report - Reuters; Bloomberg, arXiv", nil, false},
		{"Microsoft-OpenAI deal, Nvidia-backed rival", []string{"microsoft", "openai", "nvidia"}, false},
		{"OpenAI, Google, Meta, Apple, Amazon and Nvidia meet", []string{"openai", "google", "meta", "apple"}, true},
		{"OpenAI, Google, Meta and Apple meet; Gemini and ChatGPT too", []string{"openai", "google", "meta", "apple"}, false},
		{"字節跳動與騰訊搶人", []string{"bytedance", "tencent"}, false},
		{"阿里巴巴通義千問上線", []string{"alibaba"}, false},
		{"美超微股價大漲", []string{"supermicro"}, false},
		{"超微與美超微合作", []string{"supermicro", "amd"}, false},
		{"谷歌Gemini登陸蘋果iPhone", []string{"google", "apple"}, false},
		{"華為、小米、三星、蘋果與谷歌同場", []string{"huawei", "xiaomi", "google", "apple"}, true},
		{"聯想與理想：日常字詞不算公司", nil, false},
	}
	for _, c := range cases {
		var out [4]string
		n, ok := headCompanies(c.title, &out)
		if !slices.Equal(out[:n], c.want) && !(n == 0 && c.want == nil) {
			t.Errorf("headCompanies(%q) = %q, want %q", c.title, out[:n], c.want)
		}
		if ok == c.more {
			t.Errorf("headCompanies(%q): ok %v, want %v", c.title, ok, !c.more)
		}
	}
}

// TestTwoCompaniesBigStory: a big story's name is in more items than a
// distinctive name is (nameCommon), so two of its reports share no
// distinctive name; one naming the maker and one naming a rival are
// still one story ("OpenAI's Sora 2 app tops the charts" / "Sora 2 app
// tops the charts, beating Google's Gemini"), though names skips the
// second's first word. Only reports that share no capitalized word but
// companies are two companies' news.
func TestTwoCompaniesBigStory(t *testing.T) {
	N := news.KindNews
	items := []news.Item{
		it("a", "Outlet A", N, "OpenAI's Vexora 2 video app tops the charts", "", "https://a.example.com/1", news.Product, 0.8, 1),
		it("b", "Outlet B", N, "Vexora 2 video app tops the charts, beating Google's Gemini", "", "https://b.example.com/2", news.Product, 0.8, 1.1),
	}
	for k, h := range []string{
		"deepfakes worry Hollywood studios", "cameo feature draws criticism", "watermark removers spread online",
		"invite codes sell on eBay", "adds pet cameos", "copyright policy changes again", "clips flood TikTok feeds",
		"passes one million downloads", "arrives on Android", "faces Japanese publishers' complaint",
		"lets users set cameo rules", "users remix Sam Altman", "team explains feed ranking", "adds storyboards for Pro users",
	} {
		items = append(items, it(fmt.Sprintf("f%d", k), fmt.Sprintf("Outlet %d", k), N, "Vexora "+h, "",
			fmt.Sprintf("https://f%d.example.com/%d", k, k), news.Product, 0.8, 1+float64(k)/20))
	}
	checkGroupCases(t, []groupCase{{"big story", items, nil, [][]string{{"a", "b"}}}})
}
