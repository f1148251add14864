package digest

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/triagebot/triagebot/news"
)

var update = flag.Bool("update", false, "rewrite golden files")

var (
	since = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	until = since.AddDate(0, 0, 7)
)

// it builds an item; day is days after the window's start.
func it(id, feed string, kind news.Kind, title, summary, url string, label news.Label, conf float64, day float64) news.Item {
	return news.Item{
		ID: id, Key: "k:" + id, Title: title, Summary: summary, URL: url, Feed: feed, Source: feed, SourceKind: kind,
		Published: since.Add(time.Duration(day * 24 * float64(time.Hour))),
		Verdict:   &news.Verdict{Label: label, Confidence: conf},
	}
}

// build is Build with a test's fixture settings in the fields it left
// zero (config passes every one of them in the product), failing the test
// on an error.
func build(t testing.TB, items, history []news.Item, o Options) *Digest {
	t.Helper()
	if o.Location == nil {
		o.Location = time.UTC
	}
	if o.PerSection == 0 {
		o.PerSection = 8
	}
	if o.Language == "" {
		o.Language = "en"
	}
	if o.Languages == nil {
		o.Languages = []string{"en", "zh"}
	}
	d, err := Build(items, history, o)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestOptionsAreExplicit: Build fills in no defaults (they live in package
// config); a missing or invalid setting is an error naming it, never a
// digest cut to a number nobody chose.
func TestOptionsAreExplicit(t *testing.T) {
	valid := Options{Since: since, Until: until, Location: time.UTC, PerSection: 8, Points: 3, Language: "en", Languages: []string{"en", "zh"}}
	cases := []struct {
		name   string
		change func(*Options)
		want   string // in the error; "" = valid
	}{
		{"valid", func(*Options) {}, ""},
		{"no talking points is a choice", func(o *Options) { o.Points = 0 }, ""},
		{"All needs no per-section number", func(o *Options) { o.All, o.PerSection = true, 0 }, ""},
		{"an open window", func(o *Options) { o.Since = time.Time{} }, ""},
		{"no location", func(o *Options) { o.Location = nil }, "Location"},
		{"zero per section", func(o *Options) { o.PerSection = 0 }, "digest.per_section"},
		{"negative per section", func(o *Options) { o.PerSection = -3 }, "digest.per_section"},
		{"negative points", func(o *Options) { o.Points = -1 }, "digest.points"},
		{"no language", func(o *Options) { o.Language = "" }, "digest.language"},
		{"an unknown language", func(o *Options) { o.Language = "zh-CN" }, "digest.language"},
		{"no item languages", func(o *Options) { o.Languages = nil }, "digest.languages"},
		{"an empty window", func(o *Options) { o.Until = o.Since }, "window"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			o := valid
			tc.change(&o)
			d, err := Build(nil, nil, o)
			if tc.want == "" {
				if err != nil || d == nil {
					t.Fatalf("Build: %v", err)
				}
				return
			}
			if !errors.Is(err, ErrOptions) || !strings.Contains(err.Error(), tc.want) || d != nil {
				t.Errorf("Build = %v, %v; want ErrOptions naming %s", d, err, tc.want)
			}
		})
	}
}

func ptrs(items []news.Item) []*news.Item {
	out := make([]*news.Item, len(items))
	for i := range items {
		out[i] = &items[i]
	}
	return out
}

func groups(stories []Story) []string {
	var out []string
	for _, s := range stories {
		s.fill()
		ids := append([]string(nil), s.ItemIDs...)
		sort.Strings(ids)
		out = append(out, strings.Join(ids, "+"))
	}
	sort.Strings(out)
	return out
}

func TestStoriesGroupWhatIsTheSameNews(t *testing.T) {
	P, N, B := news.KindPaper, news.KindNews, news.KindBlog
	cases := []struct {
		name  string
		items []news.Item
		want  []string
	}{
		{"arXiv versions and cross-lists are one story", []news.Item{
			func() news.Item {
				x := it("p1", "arXiv cs.CL", P, "Sparse Adapters Teach Frozen Models to Read Charts", "We propose sparse adapters.", "https://arxiv.org/abs/2611.01234", news.Research, 0.99, 1)
				x.ArxivID = "2611.01234"
				return x
			}(),
			func() news.Item {
				x := it("p2", "arXiv cs.CV", P, "Sparse Adapters Teach Frozen Models to Read Charts", "We propose sparse adapters (v2).", "https://arxiv.org/abs/2611.01234v2", news.Research, 0.98, 2)
				x.ArxivID = "2611.01234"
				return x
			}(),
		}, []string{"p1+p2"}},
		{"one launch in three outlets", []news.Item{
			it("a", "The Verge", N, "Acme launches Zephyr-2, its fastest assistant yet", "Acme's Zephyr-2 is rolling out to paid users today with a voice mode.", "https://verge.example.com/a", news.Product, 0.9, 1),
			it("b", "TechCrunch", N, "Zephyr-2 arrives with voice mode and a $20 plan", "Acme said Zephyr-2 reaches all paid users today; the voice mode costs extra.", "https://tc.example.com/b", news.Product, 0.85, 1.1),
			it("c", "Ars", N, "Hands-on: Acme's Zephyr-2 assistant and its new voice mode", "We tried Zephyr-2 for a day; the assistant and voice mode are fast.", "https://ars.example.com/c", news.Product, 0.8, 1.5),
			it("d", "The Verge", N, "Bolt raises $40M to build robot kitchens", "The startup's Series B was led by a growth fund.", "https://verge.example.com/d", news.Other, 0.9, 2),
		}, []string{"a+b+c", "d"}},
		{"a paper and its news coverage", []news.Item{
			func() news.Item {
				x := it("p", "arXiv cs.CL", P, "ChartLens: Teaching Language Models to Read Charts", "We propose ChartLens.", "https://arxiv.org/abs/2611.05555", news.Research, 0.99, 1)
				x.ArxivID = "2611.05555"
				return x
			}(),
			it("n1", "MIT TR", N, "Researchers teach chatbots to read charts", "A new paper (arxiv.org/abs/2611.05555) shows a method that lets models answer chart questions.", "https://tr.example.com/n1", news.Research, 0.8, 2),
			it("n2", "VentureBeat", N, "ChartLens could make enterprise dashboards talk back", "The research method reads bar charts with few extra parameters.", "https://vb.example.com/n2", news.Research, 0.7, 3),
		}, []string{"n1+n2+p"}},
		{"unrelated items with similar wording stay apart", []news.Item{
			it("x", "The Verge", N, "OpenAI raises $40 billion at a $300 billion valuation", "The round is led by a large investor.", "https://v.example.com/x", news.Other, 0.9, 1),
			it("y", "The Verge", N, "OpenAI launches a new AI assistant for doctors", "The assistant is available to hospitals.", "https://v.example.com/y", news.Product, 0.9, 1),
			it("z", "TechCrunch", N, "Acme launches a new AI assistant for lawyers", "The assistant is available to law firms.", "https://tc.example.com/z", news.Product, 0.9, 1),
			func() news.Item {
				x := it("q1", "arXiv cs.LG", P, "Scaling Llama-3 Fine-Tuning with Sparse Updates", "We study sparse updates.", "https://arxiv.org/abs/2611.00001", news.Research, 0.99, 1)
				x.ArxivID = "2611.00001"
				return x
			}(),
			func() news.Item {
				x := it("q2", "arXiv cs.LG", P, "Evaluating Llama-3 on Legal Reasoning", "We evaluate Llama-3.", "https://arxiv.org/abs/2611.00002", news.Research, 0.99, 1)
				x.ArxivID = "2611.00002"
				return x
			}(),
		}, []string{"q1", "q2", "x", "y", "z"}},
		{"an English and a Chinese report of one named launch", []news.Item{
			// Two shared names (GLM-5.3, AutoGLM): one would be a topic.
			it("en", "TechCrunch", N, "Zhipu opens GLM-5.3 and its AutoGLM agent to developers", "The model is available today through the company's platform.", "https://tc.example.com/glm", news.Product, 0.9, 1),
			it("zh", "36氪", N, "智谱：GLM-5.3与AutoGLM即日起正式上线", "据智谱消息，GLM-5.3与AutoGLM即日起正式上线，面向开发者开放。", "https://36kr.example.com/glm", news.Product, 0.9, 1.2),
			it("zh2", "36氪", N, "某公司发布新款耳机", "该产品今日上市。", "https://36kr.example.com/other", news.Product, 0.8, 1.3),
		}, []string{"en+zh", "zh2"}},
		{"identical syndicated copy is one story", []news.Item{
			it("s1", "Wire A", N, "Chipmaker to build a $20 billion plant in Arizona", "The company said the plant would make advanced chips starting in 2029 and employ 3,000 people.", "https://a.example.com/1", news.Other, 0.8, 1),
			it("s2", "Wire B", B, "Chipmaker to build $20 billion plant in Arizona", "The company said the plant would make advanced chips starting in 2029 and employ 3,000 people.", "https://b.example.com/1", news.Other, 0.8, 1),
		}, []string{"s1+s2"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := groups(cluster(ptrs(tc.items)))
			if strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Errorf("stories %v, want %v", got, tc.want)
			}
		})
	}
}

func TestStoryLabelSourcesAndPicks(t *testing.T) {
	a := it("a", "The Verge", news.KindNews, "Acme launches Zephyr-2", "Rolling out today.", "https://verge.example/a", news.Product, 0.6, 1)
	b := it("b", "TechCrunch", news.KindNews, "Acme's Zephyr-2 is out", "Out today for everyone.", "https://tc.example/b", news.Research, 0.9, 1)
	stories := cluster(ptrs([]news.Item{a, b}))
	stories[0].fill()
	if len(stories) != 1 || stories[0].Label != news.Research || stories[0].Confidence != 0.9 || len(stories[0].Sources) != 2 {
		t.Fatalf("most confident verdict should label the story: %+v", stories)
	}
	a.Tag, a.TaggedAt = news.Other, since
	b.Picked, b.PickedBy = true, "ana"
	s := cluster(ptrs([]news.Item{a, b}))[0]
	if s.Label != news.Other || !s.Tagged || !s.Picked || s.PickedBy[0] != "ana" {
		t.Errorf("a tag should win and the pick show: %+v", s)
	}
}

func TestRankingKeepsUncoveredPapersFromDrowningResearch(t *testing.T) {
	var items []news.Item
	for i := range 300 {
		x := it(fmt.Sprintf("p%03d", i), "arXiv cs.LG", news.KindPaper, fmt.Sprintf("Paper number %d on topic %d", i, i*7), "We propose a method.", fmt.Sprintf("https://arxiv.org/abs/2611.%05d", i), news.Research, 0.99, float64(i%7))
		x.ArxivID = fmt.Sprintf("2611.%05d", i)
		items = append(items, x)
	}
	covered := it("n", "MIT TR", news.KindNews, "Study shows chatbots flatter users", "A study found that models agree with false claims.", "https://tr.example.com/s", news.Research, 0.7, 3)
	liked := it("liked", "arXiv cs.CL", news.KindPaper, "Watermarks for Speech Models Fail Under Resampling", "We show watermark removal for speech models.", "https://arxiv.org/abs/2611.99999", news.Research, 0.99, 2)
	liked.ArxivID = "2611.99999"
	interest := it("int", "arXiv cs.CL", news.KindPaper, "A Benchmark for Robot Dexterity", "We introduce a robotics benchmark.", "https://arxiv.org/abs/2611.88888", news.Research, 0.99, 1)
	interest.ArxivID = "2611.88888"
	items = append(items, covered, liked, interest)
	history := []news.Item{{Title: "Watermarks for speech models can be removed", Summary: "A study of audio watermark removal.", Picked: true}}
	d := build(t, items, history, Options{Since: since, Until: until, PerSection: 5, Interests: []string{"robot"}, Now: until})
	var research *Section
	for i := range d.Sections {
		if d.Sections[i].Key == SectionResearch {
			research = &d.Sections[i]
		}
	}
	if research == nil || len(research.Stories) != 5 || research.Omitted != len(items)-5 {
		t.Fatalf("research section: %+v", research)
	}
	top := map[string]bool{}
	for _, s := range research.Stories[:3] {
		top[s.ID] = true
	}
	for _, id := range []string{"n", "liked", "int"} {
		if !top[id] {
			t.Errorf("%s should rank in the top 3 over uncovered papers; got %v", id, research.Stories[:3])
		}
	}
}

func TestEmptyWindowSaysSo(t *testing.T) {
	d := build(t, nil, nil, Options{Since: since, Until: until, Week: "2026-W48", Now: until})
	if !d.Empty() || !strings.Contains(Markdown(d), "No items were published") || !strings.Contains(Text(d), "triagebot poll") {
		t.Errorf("empty digest: %s", Markdown(d))
	}
	msgs := Discord(d)
	if len(msgs) != 1 || !strings.Contains(msgs[0].Content, "Nothing new this week") || strings.Contains(msgs[0].Content, "poll") {
		t.Errorf("discord: %+v", msgs)
	}
	zh := build(t, nil, nil, Options{Since: since, Until: until, Language: "zh-TW"})
	if !strings.Contains(Markdown(zh), "沒有任何新項目") {
		t.Errorf("zh-TW empty: %s", Markdown(zh))
	}
}

func TestWeekWindow(t *testing.T) {
	tp, _ := time.LoadLocation("Asia/Taipei")
	cases := []struct {
		week  string
		since string
	}{
		{"2026-W48", "2026-11-23"}, {"2026-w01", "2025-12-29"}, {"2020-W53", "2020-12-28"},
	}
	for _, tc := range cases {
		s, u, err := WeekWindow(tc.week, tp)
		if err != nil || s.Format("2006-01-02") != tc.since || u.Sub(s) != 7*24*time.Hour || s.Location() != tp {
			t.Errorf("%s: %s %s %v", tc.week, s, u, err)
		}
	}
	for _, bad := range []string{"2026-48", "2026-W54", "2025-W53", "W48", ""} {
		if _, _, err := WeekWindow(bad, tp); err == nil || !strings.Contains(err.Error(), "2026-W48") {
			t.Errorf("%q: %v", bad, err)
		}
	}
	w, s, _ := WeekOf(time.Date(2026, 11, 29, 20, 0, 0, 0, time.UTC), tp) // Monday 04:00 in Taipei
	if w != "2026-W49" || s.Format("2006-01-02") != "2026-11-30" {
		t.Errorf("WeekOf: %s %s", w, s)
	}
}

// goldenDigest is a small, fixed week: a picked launch covered twice, a
// paper with coverage, a lone paper, a funding round, hostile text.
func goldenDigest(t testing.TB, lang string) *Digest {
	t.Helper()
	return build(t, goldenItems(), nil, Options{
		Since: since, Until: until, Week: "2026-W48", Location: time.UTC, PerSection: 2, Points: 3, Language: lang, Languages: []string{"en", "zh"},
		FeedWeights: map[string]float64{"MIT Technology Review": 1.2}, Now: until,
	})
}

// goldenItems are the golden digest's items.
func goldenItems() []news.Item {
	p := it("p1", "arXiv cs.CL", news.KindPaper, "ChartLens: Teaching Language Models to Read Charts", "We propose ChartLens, a method that lets frozen language models answer questions about charts. It outperforms fine-tuning on three benchmarks.", "https://arxiv.org/abs/2611.05555", news.Research, 0.99, 1)
	p.ArxivID = "2611.05555"
	n := it("n1", "MIT Technology Review", news.KindNews, "ChartLens teaches chatbots to read charts", "Researchers found a cheap way to give models chart skills. The method still fails on dense scatter plots.", "https://tr.example/chartlens", news.Research, 0.8, 2)
	lone := it("p2", "arXiv cs.LG", news.KindPaper, "On the Convergence of Adaptive Optimizers", "We prove convergence rates under heavy-tailed noise.", "https://arxiv.org/abs/2611.07777", news.Research, 0.99, 1)
	lone.ArxivID = "2611.07777"
	a := it("l1", "The Verge", news.KindNews, "Acme launches Zephyr-2 with a voice mode", "Acme is rolling out Zephyr-2 to paid users today. A voice mode costs $5 more.", "https://verge.example/zephyr", news.Product, 0.9, 3)
	a.Picked, a.PickedBy = true, "ana"
	b := it("l2", "TechCrunch", news.KindNews, "Zephyr-2 arrives for paid users", "Acme's Zephyr-2 reaches all paid users with a new voice mode today.", "https://tc.example/zephyr", news.Product, 0.85, 3.2)
	f := it("f1", "TechCrunch", news.KindNews, "Bolt raises $40M Series B for robot kitchens", "The round values Bolt at $400M.", "https://tc.example/bolt", news.Other, 0.93, 4)
	h := it("h1", "Hostile Blog", news.KindBlog, "@everyone **Free** [click](https://evil.example.com) <@123> `code` ~~x~~", "# Heading\n- list @here _it_ |spoiler| > quote", "https://blog.example.com/h", news.Product, 0.55, 5)
	h.Tag, h.TaggedAt = news.Product, since
	return []news.Item{p, n, lone, a, b, f, h}
}

func TestGoldenRenderings(t *testing.T) {
	for _, lang := range []string{"en", "zh-TW"} {
		d := goldenDigest(t, lang)
		js, err := JSON(d)
		if err != nil {
			t.Fatal(err)
		}
		dm, _ := json.MarshalIndent(Discord(d), "", "  ")
		for ext, got := range map[string]string{"md": Markdown(d), "txt": Text(d), "json": string(js), "discord.json": string(dm)} {
			name := filepath.Join("testdata", "golden."+lang+"."+ext)
			if *update {
				os.WriteFile(name, []byte(got), 0o644)
				continue
			}
			want, err := os.ReadFile(name)
			if err != nil {
				t.Fatalf("%v (run go test ./digest -run Golden -update)", err)
			}
			if got != string(want) {
				t.Errorf("%s differs from the golden file; if the change is intended, run go test ./digest -run Golden -update\n--- got ---\n%s", name, got)
			}
		}
	}
}

// TestDiscordLimitsProperty builds 1,000 random digests full of long,
// hostile, multilingual text and checks every message against every limit,
// and that no story is lost or repeated.
func TestDiscordLimitsProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	alphabet := []string{"a", "Z", " ", "word ", "*", "_", "~", "`", "|", ">", "[", "]", "(", ")", "#", "-", "@", "@everyone", "<@123>", "<#9>",
		"\n", "漢", "字", "研究", "🚀", "👩‍💻", "é", "\\", "https://x.example.com/(a)", "&amp;", "ﷺ", "\u200b"}
	text := func(max int) string {
		n := rng.IntN(max + 1)
		var b strings.Builder
		for b.Len() < n {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		return b.String()
	}
	for round := range 1000 {
		nItems := rng.IntN(40)
		if round%50 == 0 {
			nItems = 300 + rng.IntN(300)
		}
		var items []news.Item
		for i := range nItems {
			x := it(fmt.Sprintf("i%04d%s", i, strings.Repeat("x", rng.IntN(3))), text(40), []news.Kind{news.KindPaper, news.KindNews, news.KindBlog}[rng.IntN(3)],
				text(600), text(3000), []string{"https://e.example.com/" + fmt.Sprint(i), "javascript:alert(1)", "", "https://e.example.com/" + strings.Repeat("p", 3000)}[rng.IntN(4)],
				news.Labels()[rng.IntN(3)], rng.Float64(), rng.Float64()*7)
			x.Picked = rng.IntN(10) == 0
			if x.Picked {
				x.PickedBy = text(50)
			}
			items = append(items, x)
		}
		lang := []string{"en", "zh-TW"}[round%2]
		d := build(t, items, nil, Options{Since: since, Until: until, Week: "2026-W48", PerSection: 1 + rng.IntN(30), Language: lang, Now: until})
		msgs := Discord(d)
		var seen []string
		for mi, m := range msgs {
			where := fmt.Sprintf("round %d message %d", round, mi)
			checkMessage(t, where, m)
			for _, e := range m.Embeds {
				seen = append(seen, e.Title)
			}
		}
		var want []string
		for _, sec := range d.Sections {
			for _, s := range sec.Stories {
				want = append(want, s.ID)
			}
		}
		if len(seen) != len(want) {
			t.Fatalf("round %d: %d story embeds for %d stories", round, len(seen), len(want))
		}
		if t.Failed() {
			return
		}
	}
}

func checkMessage(t *testing.T, where string, m Message) {
	t.Helper()
	if n := utf8.RuneCountInString(m.Content); n > MaxContent {
		t.Errorf("%s: content %d", where, n)
	}
	if m.AllowedMentions.Parse == nil || len(m.AllowedMentions.Parse) != 0 {
		t.Errorf("%s: allowed_mentions must mention nobody", where)
	}
	if len(m.Embeds) > MaxEmbeds || len(m.Components) > MaxActionRows {
		t.Errorf("%s: %d embeds, %d rows", where, len(m.Embeds), len(m.Components))
	}
	total := 0
	for _, e := range m.Embeds {
		if utf8.RuneCountInString(e.Title) > MaxEmbedTitle || utf8.RuneCountInString(e.Description) > MaxEmbedDesc || len(e.Fields) > MaxFields {
			t.Errorf("%s: embed over a limit: title %d desc %d", where, utf8.RuneCountInString(e.Title), utf8.RuneCountInString(e.Description))
		}
		if e.Footer != nil && utf8.RuneCountInString(e.Footer.Text) > MaxFooter {
			t.Errorf("%s: footer", where)
		}
		if e.URL != "" && !strings.HasPrefix(e.URL, "https://") && !strings.HasPrefix(e.URL, "http://") {
			t.Errorf("%s: url %q", where, e.URL)
		}
		total += embedLen(e)
	}
	if total > MaxEmbedTotal {
		t.Errorf("%s: embed text %d", where, total)
	}
	for _, row := range m.Components {
		if row.Type != 1 || len(row.Components) > MaxButtonsPerRow {
			t.Errorf("%s: row %+v", where, row)
		}
		for _, b := range row.Components {
			if len(b.CustomID) > MaxCustomID || b.CustomID == "" || len(b.Label) > MaxButtonLabel {
				t.Errorf("%s: button %+v", where, b)
			}
		}
	}
	all := m.Content
	for _, e := range m.Embeds {
		all += e.Title + e.Description
	}
	for _, bad := range []string{"@everyone", "@here", "<@1", "<#9"} {
		if strings.Contains(all, bad) {
			t.Errorf("%s: %q survived escaping", where, bad)
		}
	}
}

func benchItems(n int) []news.Item {
	rng := rand.New(rand.NewPCG(1, 2))
	// A Zipf-like vocabulary of 5,000 words, so items overlap the way news
	// text does instead of all looking alike.
	vocab := make([]string, 5000)
	syl := []string{"ka", "lo", "mi", "ne", "ru", "sa", "te", "vo", "zi", "po"}
	for i := range vocab {
		vocab[i] = syl[i%10] + syl[i/10%10] + syl[i/100%10] + syl[i/1000%10]
	}
	zipf := rand.NewZipf(rand.New(rand.NewPCG(3, 4)), 1.1, 2, uint64(len(vocab)-1))
	items := make([]news.Item, n)
	for i := range items {
		var t, s strings.Builder
		for range 8 {
			t.WriteString(vocab[zipf.Uint64()] + " ")
		}
		fmt.Fprintf(&t, "Thing-%d", rng.IntN(n/3+1)) // a model-like name shared by about three items
		for range 40 {
			s.WriteString(vocab[zipf.Uint64()] + " ")
		}
		kind := []news.Kind{news.KindPaper, news.KindPaper, news.KindNews, news.KindBlog}[rng.IntN(4)]
		items[i] = it(fmt.Sprintf("%08d", i), fmt.Sprintf("feed-%d", rng.IntN(50)), kind, t.String(), s.String(),
			fmt.Sprintf("https://e.example.com/%d", i), news.Labels()[rng.IntN(3)], rng.Float64(), rng.Float64()*7)
		if kind == news.KindPaper {
			items[i].ArxivID = fmt.Sprintf("2611.%05d", i%99999)
		}
	}
	return items
}

// BenchmarkBuild builds a week's digest, clustering included, from 10,000
// and 100,000 items; compare ns/op to see how it grows, and cpu-ns/op
// (the process's CPU, garbage collection included) on a busy machine.
//
//	go test ./digest -run '^$' -bench Build -benchtime 5x
func BenchmarkBuild(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		items := benchItems(n)
		b.Run(fmt.Sprintf("items=%d", n), func(b *testing.B) {
			cpu0 := cpuTime()
			for b.Loop() {
				d := build(b, items, nil, Options{Since: since, Until: until, PerSection: 10, Now: until})
				if d.ItemCount != n {
					b.Fatal(d.ItemCount)
				}
			}
			if cpu := cpuTime() - cpu0; cpu > 0 {
				// The target (0.3 s on one core) is CPU; on a shared
				// machine ns/op also counts waiting for the core.
				b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
			}
		})
	}
}

// BenchmarkBuilder is BenchmarkBuild with one Builder reused across the
// builds, as the daemon keeps one: the cost of each build after the
// first. The first build, which allocates the scratch memory the later
// ones reuse, runs before the timed loop: it is what BenchmarkBuild
// measures, and averaged into a handful of iterations (the default
// -benchtime runs four at 100,000 items) it made the figure depend on
// how many there were.
func BenchmarkBuilder(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		items := benchItems(n)
		b.Run(fmt.Sprintf("items=%d", n), func(b *testing.B) {
			var bl Builder
			o := Options{Since: since, Until: until, PerSection: 10, Now: until, Location: time.UTC, Language: "en", Languages: []string{"en", "zh"}}
			if _, err := bl.Build(items, nil, o); err != nil {
				b.Fatal(err)
			}
			cpu0 := cpuTime()
			for b.Loop() {
				d, err := bl.Build(items, nil, o)
				if err != nil {
					b.Fatal(err)
				}
				if d.ItemCount != n {
					b.Fatal(d.ItemCount)
				}
			}
			if cpu := cpuTime() - cpu0; cpu > 0 {
				b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
			}
		})
	}
}

// benchHistory is n benchmark items as the hosts' history: every other
// one tagged, the rest picked, with ids of their own (benchItems' second
// n, so their words are the week's).
func benchHistory(n int) []news.Item {
	history := benchItems(2 * n)[n:]
	for i := range history {
		history[i].ID = "h" + history[i].ID
		if i%2 == 0 {
			history[i].Tag = news.Labels()[i%3]
		} else {
			history[i].Picked = true
		}
	}
	return history
}

// BenchmarkHistoryDigest is BenchmarkBuild with the hosts' history: tagged
// or picked items of earlier weeks, which every story is compared with
// for the history factor (the daemon passes up to 5,000).
func BenchmarkHistoryDigest(b *testing.B) {
	for _, c := range []struct{ items, history int }{{10_000, 500}, {100_000, 500}, {100_000, 5_000}} {
		items := benchItems(c.items)
		history := benchHistory(c.history)
		b.Run(fmt.Sprintf("items=%d/history=%d", c.items, c.history), func(b *testing.B) {
			cpu0 := cpuTime()
			for b.Loop() {
				d := build(b, items, history, Options{Since: since, Until: until, PerSection: 10, Now: until})
				if d.ItemCount != c.items {
					b.Fatal(d.ItemCount)
				}
			}
			if cpu := cpuTime() - cpu0; cpu > 0 {
				b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
			}
		})
	}
}

// cluster groups the items into stories, lead first, as Build does
// without its cues.
func cluster(items []*news.Item) []Story {
	var out []Story
	m := &scratch{}
	for _, s := range clusterCued(m, items, nil, time.Time{}) {
		out = append(out, s.show(m.flat, m.aside[s.at]))
	}
	return out
}

// embedLen counts an embed's characters as Discord adds them up for its
// 6,000-character limit.
func embedLen(e Embed) int {
	n := utf8.RuneCountInString(e.Title) + utf8.RuneCountInString(e.Description)
	for _, f := range e.Fields {
		n += utf8.RuneCountInString(f.Name) + utf8.RuneCountInString(f.Value)
	}
	if e.Footer != nil {
		n += utf8.RuneCountInString(e.Footer.Text)
	}
	return n
}
