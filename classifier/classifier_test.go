package classifier

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/triagebot/triagebot/news"
)

func builtin(t testing.TB) *Model {
	t.Helper()
	m, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// Clear cases the shipped model must get right. Written for this test; none
// is taken from the evaluation data.
func TestBuiltinClearCases(t *testing.T) {
	m := builtin(t)
	cases := []struct {
		kind          news.Kind
		url, title, s string
		want          news.Label
	}{
		{news.KindPaper, "https://arxiv.org/abs/2612.00001", "Contrastive Decoding Reduces Hallucination in Vision-Language Models",
			"We propose a training-free decoding method and show it outperforms baselines on four benchmarks.", news.Research},
		{news.KindPaper, "https://arxiv.org/abs/2612.00002", "A Dataset of Annotated Clinical Dialogues",
			"We release a dataset of 10,000 doctor-patient conversations and evaluate summarization models on it.", news.Research},
		{news.KindNews, "https://technews.example.net/2026/12/app-voice", "Notes app launches a voice mode for all users",
			"The feature is rolling out today on iOS and Android and is free.", news.Product},
		{news.KindNews, "https://technews.example.net/2026/12/price", "Streaming service's AI search now costs $5 a month",
			"Subscribers can add the feature to their plan starting next week.", news.Product},
		{news.KindBlog, "https://corp.example.net/blog/api", "Our embeddings API is now generally available",
			"Developers can use the new endpoint in all regions today; pricing is per million tokens.", news.Product},
		{news.KindNews, "https://technews.example.net/2026/12/funding", "Robotics startup raises $120M Series B led by growth investors",
			"The round values the company at $1.2 billion.", news.Other},
		{news.KindNews, "https://technews.example.net/2026/12/lawsuit", "Authors sue AI company for copyright infringement in federal court",
			"The lawsuit seeks damages for books used in training.", news.Other},
		{news.KindNews, "https://technews.example.net/2026/12/study", "Researchers find language models can be fooled by simple typos, study shows",
			"The paper tested eight models on a new benchmark of misspelled questions.", news.Research},
		{news.KindNews, "https://technews.example.cn/a/1", "某公司完成5亿元C轮融资", "本轮融资由多家投资机构领投，估值超过50亿元。", news.Other},
		{news.KindNews, "https://technews.example.cn/a/2", "某手机品牌推出AI助手App，即日起免费使用", "用户更新系统后即可使用新功能。", news.Product},
		{news.KindNews, "https://technews.example.tw/a/3", "研究團隊提出新方法，論文發表於國際期刊", "實驗結果顯示，新方法在多個資料集上的準確率優於現有方法。", news.Research},
	}
	for _, tc := range cases {
		t.Run(tc.title, func(t *testing.T) {
			v := m.Classify(news.Item{Title: tc.title, Summary: tc.s, URL: tc.url, SourceKind: tc.kind})
			if v.Label != tc.want {
				t.Errorf("got %s (%.2f, %v), want %s", v.Label, v.Confidence, v.Reasons, tc.want)
			}
			if v.Confidence <= 0.34 || v.Confidence > 1 {
				t.Errorf("confidence %v out of range", v.Confidence)
			}
			if len(v.Reasons) == 0 || len(v.Reasons) > 3 {
				t.Errorf("reasons: %v", v.Reasons)
			}
		})
	}
}

func TestReasonsQuoteTheText(t *testing.T) {
	m := builtin(t)
	v := m.Classify(news.Item{Title: "AI startup raises $50M Series A", SourceKind: news.KindNews})
	joined := strings.Join(v.Reasons, "; ")
	if v.Label != news.Other || !strings.Contains(joined, "→ other") {
		t.Fatalf("verdict %+v", v)
	}
	quoted := false
	for _, w := range []string{`"ai startup`, `"startup"`, `"raises"`, `"series`, `"$50m"`, `"$"`} {
		quoted = quoted || strings.Contains(joined, w)
	}
	if !quoted {
		t.Errorf("reasons should quote the funding headline: %q", joined)
	}
	p := m.Classify(news.Item{Title: "Attention Sinks in Long-Context Transformers", URL: "https://arxiv.org/abs/2612.1", SourceKind: news.KindPaper})
	if !strings.Contains(strings.Join(p.Reasons, ";"), "feed kind paper") && !strings.Contains(strings.Join(p.Reasons, ";"), "arxiv") {
		t.Errorf("paper reasons should name the feed kind or the link: %v", p.Reasons)
	}
}

func TestTagAlwaysWins(t *testing.T) {
	m := builtin(t)
	it := news.Item{Title: "Startup raises $1B", SourceKind: news.KindNews, Tag: news.Research}
	v := m.Classify(it)
	if v.Label != news.Research || v.Confidence != 1 || v.Reasons[0] != "tagged by a host" {
		t.Errorf("verdict %+v", v)
	}
}

// The hosts decide that "showcase" posts about a fictional product line are
// product news. Tagging five teaches the model; a similar untagged item
// moves toward product, and the learned part survives a restart.
func TestTagsGeneralizeAndPersist(t *testing.T) {
	m := builtin(t)
	probe := news.Item{Title: "Zorblax showcase: autumn Zorblax roundup", Summary: "Another Zorblax showcase with the Zorblax team.", SourceKind: news.KindBlog}
	before := m.Classify(probe)
	tags := []news.Item{
		{Title: "Zorblax showcase: spring edition", Summary: "The Zorblax showcase returns.", SourceKind: news.KindBlog},
		{Title: "Zorblax showcase for teams", Summary: "A Zorblax showcase about teams.", SourceKind: news.KindBlog},
		{Title: "The big Zorblax showcase", Summary: "Everything in this Zorblax showcase.", SourceKind: news.KindBlog},
		{Title: "Zorblax showcase recap", Summary: "Our Zorblax showcase, summed up.", SourceKind: news.KindBlog},
		{Title: "Winter Zorblax showcase", Summary: "The Zorblax showcase for winter.", SourceKind: news.KindBlog},
	}
	var state []byte
	var err error
	for _, it := range tags {
		if state, err = m.Learn(it, news.Product); err != nil {
			t.Fatal(err)
		}
	}
	after := m.Classify(probe)
	if after.Label != news.Product {
		t.Fatalf("after %d tags: %+v (before %+v)", len(tags), after, before)
	}
	if !strings.Contains(strings.Join(after.Reasons, ";"), "learned from tags") {
		t.Errorf("reasons should say a tag-learned signal decided: %v", after.Reasons)
	}
	if m.LearnedCount() != len(tags) {
		t.Errorf("learned count %d", m.LearnedCount())
	}
	// A fresh model (a restart) with the persisted state agrees.
	fresh := builtin(t)
	if err := fresh.LoadLearned(state); err != nil {
		t.Fatal(err)
	}
	if got := fresh.Classify(probe); got.Label != after.Label || got.Confidence != after.Confidence {
		t.Errorf("after reload %+v, want %+v", got, after)
	}
	// Relearn from the same tags gives the same direction; Forget undoes it.
	var ex []Example
	for _, it := range tags {
		ex = append(ex, Example{Item: it, Label: news.Product})
	}
	if _, err := fresh.Relearn(ex); err != nil {
		t.Fatal(err)
	}
	if got := fresh.Classify(probe); got.Label != news.Product {
		t.Errorf("after relearn %+v", got)
	}
	fresh.Forget()
	if got := fresh.Classify(probe); got.Label != before.Label || fresh.LearnedCount() != 0 {
		t.Errorf("after forget %+v, want %+v", got, before)
	}
	if _, err := m.Learn(probe, "papers"); err == nil || !strings.Contains(err.Error(), "research, product, other") {
		t.Errorf("bad label: %v", err)
	}
}

func TestBadInputAlwaysGetsAVerdict(t *testing.T) {
	m := builtin(t)
	cases := map[string]news.Item{
		"empty":        {},
		"1 MB summary": {Title: "x", Summary: strings.Repeat("launches raises study ", 50_000)},
		"invalid utf8": {Title: "\xff\xfe\xfd launch", Summary: "\xc3\x28 abc"},
		"mixed":        {Title: "OpenAI 推出 new 模型 with 論文 and مرحبا Привет 🚀", Summary: "混合 scripts ελληνικά"},
		"html":         {Title: "<b>Launch</b> &amp; <script>x</script>", Summary: "<p>now <i>available</i></p>"},
		"only symbols": {Title: "!!! ??? ... $$$ ###"},
		"long word":    {Title: strings.Repeat("a", 10_000)},
	}
	for name, it := range cases {
		t.Run(name, func(t *testing.T) {
			v := m.Classify(it)
			if labelIndex(v.Label) < 0 || v.Confidence <= 0 || len(v.Reasons) == 0 {
				t.Fatalf("verdict %+v", v)
			}
			for _, r := range v.Reasons {
				if !utf8.ValidString(r) {
					t.Errorf("invalid UTF-8 reason %q", r)
				}
			}
		})
	}
}

func FuzzClassify(f *testing.F) {
	m, err := Builtin()
	if err != nil {
		f.Fatal(err)
	}
	f.Add("Acme launches a voice mode", "now available", "https://e.com/blog/x", "news")
	f.Add("", "", "", "")
	f.Add("研究團隊 $13B 論文", "\xff<b>", "arxiv.org", "paper")
	f.Fuzz(func(t *testing.T, title, summary, url, kind string) {
		v := m.Classify(news.Item{Title: title, Summary: summary, URL: url, SourceKind: news.Kind(kind)})
		if labelIndex(v.Label) < 0 || v.Confidence < 1.0/3-0.01 || v.Confidence > 1 || len(v.Reasons) == 0 || len(v.Reasons) > 3 {
			t.Fatalf("verdict %+v", v)
		}
	})
}

func TestTrainIsDeterministicAndRoundTrips(t *testing.T) {
	seed, err := SeedExamples()
	if err != nil || len(seed) < 100 {
		t.Fatalf("seed: %d examples, %v", len(seed), err)
	}
	a, err := Train(seed, TrainOptions{Epochs: 5, CalibrationFolds: 1})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Train(seed, TrainOptions{Epochs: 5, CalibrationFolds: 1})
	ea, _ := a.Encode()
	eb, _ := b.Encode()
	if !bytes.Equal(ea, eb) {
		t.Error("two trainings on the same data differ")
	}
	c, err := Decode(ea)
	if err != nil {
		t.Fatal(err)
	}
	it := news.Item{Title: "Company ships a new app", SourceKind: news.KindNews}
	if a.Classify(it).Confidence != c.Classify(it).Confidence {
		t.Error("decoded model scores differently")
	}
}

func TestDecodeRejectsGarbage(t *testing.T) {
	for name, b := range map[string][]byte{"empty": nil, "text": []byte("hello"), "learned as model": encodeDeltas(&deltas{index: map[uint32][]int32{}})} {
		if _, err := Decode(b); !errors.Is(err, ErrBadModel) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	m := builtin(t)
	if err := m.LoadLearned([]byte("TBL2\x01\x00\x00\x00garbage")); !errors.Is(err, ErrBadModel) {
		t.Errorf("bad learned state: %v", err)
	}
}

func TestEvaluateCountsAndBreakdowns(t *testing.T) {
	ex := []Example{
		{Item: news.Item{SourceKind: news.KindPaper, Lang: "en"}, Label: news.Research},
		{Item: news.Item{SourceKind: news.KindNews, Lang: "en"}, Label: news.Product},
		{Item: news.Item{SourceKind: news.KindNews, Lang: "zh"}, Label: news.Other},
		{Item: news.Item{SourceKind: news.KindBlog, Lang: "en"}, Label: news.Product},
	}
	v := []news.Verdict{{Label: news.Research, Confidence: 0.9}, {Label: news.Product, Confidence: 0.85}, {Label: news.Product, Confidence: 0.9}, {Label: news.Other, Confidence: 0.5}}
	r := Evaluate(ex, v)
	if r.Overall.N != 4 || r.Overall.Accuracy != 0.5 || r.NewsBlog.N != 3 {
		t.Fatalf("overall %+v newsblog %+v", r.Overall, r.NewsBlog)
	}
	if r.Overall.Confusion["other"]["product"] != 1 || r.Overall.Confusion["product"]["other"] != 1 {
		t.Errorf("confusion %v", r.Overall.Confusion)
	}
	// product: tp 1, fp 1, fn 1 → P = R = F1 = 0.5
	if pc := r.Overall.PerClass["product"]; pc.Precision != 0.5 || pc.Recall != 0.5 || pc.F1 != 0.5 || pc.Support != 2 {
		t.Errorf("product %+v", pc)
	}
	if r.Overall.ConfidentN != 3 || r.Overall.Confident != 0.6667 {
		t.Errorf("confident %v of %d", r.Overall.Confident, r.Overall.ConfidentN)
	}
	if r.ByLang["zh"].N != 1 || r.ByKind["blog"].N != 1 {
		t.Errorf("breakdowns %+v %+v", r.ByLang, r.ByKind)
	}
	if !strings.Contains(r.Text(), "news+blog") {
		t.Error("text report lacks the news+blog line")
	}
}

func TestStemAndTokenize(t *testing.T) {
	for in, want := range map[string]string{"launches": "launch", "launched": "launch", "launching": "launch", "studies": "study", "news": "news", "bus": "bus", "raises": "rais", "raised": "rais"} {
		if got := string(stem([]byte(in))); got != want {
			t.Errorf("stem(%s) = %s, want %s", in, got, want)
		}
	}
	m := builtin(t)
	// "rolls out" is a two-word cue and must be found through stemming.
	feats := m.ext.extract(&news.Item{Title: "Company rolls out assistant"}, nil)
	found := false
	for _, f := range feats {
		if f.kind() == fTitleCue && m.ext.lex.groups[f.group()] == "launch" {
			found = true
		}
	}
	if !found {
		t.Error("the launch cue was not found in \"rolls out\"")
	}
}

var benchItem = news.Item{
	Title:      "Acme launches a voice mode for its assistant app, with a new $20 plan for power users",
	Summary:    strings.Repeat("The company said the feature is rolling out to all paid users on iOS and Android today, and researchers note the model behind it was trained with a new method. ", 4)[:560],
	URL:        "https://news.example.com/2026/11/24/acme-voice-mode",
	SourceKind: news.KindNews,
}

// BenchmarkClassify: one verdict (with reasons) for a ~650-character item.
//
//	go test ./classifier -run '^$' -bench Classify -benchmem
func BenchmarkClassify(b *testing.B) {
	m := builtin(b)
	b.ReportAllocs()
	for b.Loop() {
		m.Classify(benchItem)
	}
}
