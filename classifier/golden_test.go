package classifier

import (
	"cmp"
	"encoding/binary"
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/triagebot/triagebot/news"
)

var update = flag.Bool("update", false, "rewrite testdata/golden_*.json from the current code")

// goldenItems are varied items written for this test (English news and
// blogs, Chinese, arXiv, money, odd bytes) that together walk every path
// of the extractor.
func goldenItems() []news.Item {
	return []news.Item{
		benchItem,
		{Title: "Acme's GPT-4o mini rolls out to 3.5 million users; pricing starts at $20/month", Summary: "The company's new plan — available today in the U.S. and EU — costs €18 or £16. O'Reilly called it \"a big deal\".", URL: "https://acme.example.com/blog/pricing-update", Source: "Acme Blog", SourceKind: news.KindBlog},
		{Title: "Startup raises $400M Series C at a $2.5bn valuation", Summary: "Investors poured 40mn into the round; the 4K display and 13B model were not mentioned. Revenue hit $13B.", URL: "https://news.example.org/business/funding/startup", Source: "Example Wire", SourceKind: news.KindNews},
		{Title: "Why the AI boom looks like a bubble", Summary: "An opinion on spending, chips and the hype cycle.", URL: "https://news.example.org/opinion/ai-bubble", SourceKind: news.KindNews},
		{Title: "Is the AI PC worth it?", Summary: "We tested three laptops with NPUs.", URL: "https://reviews.example.com/review/ai-pc", SourceKind: news.KindNews},
		{Title: "Sparse Mixture-of-Experts Scale Long-Context Reasoning", Summary: "We propose a routing method and show that it outperforms dense baselines on six benchmarks, with ablations. Code and data are released.", URL: "https://arxiv.org/abs/2611.01234", Source: "arXiv cs.CL", SourceKind: news.KindPaper},
		{Title: "研究團隊發布新模型，論文顯示推理能力大幅提升", Summary: "該公司週二宣布推出新產品，並將於下月上市。售價為 199 美元。", URL: "https://zh.example.com/newsflashes/123", Source: "某新聞", SourceKind: news.KindNews, Lang: "zh"},
		{Title: "阿里巴巴推出通义千问 3.0 版本", Summary: "今日正式上线，开发者可通过 API 调用。", URL: "https://zh.example.cn/article/9", SourceKind: news.KindNews},
		{Title: "OpenAI 推出 new 模型 with 論文 and مرحبا Привет 🚀", Summary: "混合 scripts ελληνικά ÉCOLE Straße İstanbul", SourceKind: news.KindNews},
		{Title: "\xff\xfe\xfd launch", Summary: "\xc3\x28 abc", SourceKind: news.KindBlog},
		{Title: "Authors sue Acme over copyright; judge rules in government case", Summary: "The lawsuit (filed Tuesday) says the company's models copied books. Regulators and lawmakers weigh in | analysis", URL: "https://news.example.org/politics/policy/lawsuit", SourceKind: news.KindNews},
		{Title: "Changelog: v2.3 release notes", Summary: "Fixed bugs. Added support for A&B testing, the 'beta' flag and don't-break-me mode.", URL: "https://docs.example.com/changelog/release", Source: "Docs", SourceKind: news.KindBlog},
		{Title: "How to watch the keynote live, and a ticket discount", Summary: strings.Repeat("Event details and a sponsored essay about apps and devices. ", 12), URL: "https://example.com/events/keynote", SourceKind: news.KindNews},
		{Title: strings.Repeat("supercalifragilisticexpialidocious", 3) + " launches", Summary: "x", SourceKind: news.KindNews},
		{},
		{Title: "!!! ??? ... $$$ ### ¥100 €5k £3m", Summary: "\n\n—–·", SourceKind: news.KindNews},
	}
}

type goldenItem struct {
	Title string `json:"title"`
	// Features: count and hashes of the default extractor's output, in
	// order (scores add up in this order) and as a multiset.
	Feats     int             `json:"feats"`
	FeatsSeq  uint64          `json:"feats_seq"`
	FeatsSet  uint64          `json:"feats_set"`
	AllFeats  int             `json:"all_feats"`
	AllSeq    uint64          `json:"all_seq"`
	AllSet    uint64          `json:"all_set"`
	ScoreBits [nLabels]uint32 `json:"score_bits"`
	Verdict   news.Verdict    `json:"verdict"`
	Learned   news.Verdict    `json:"learned"`
}

// featHashes hashes a feature list in order and sorted, so a failure says
// whether the features changed or only their order.
func featHashes(fs []feat) (seq, set uint64) {
	enc := func(f feat) []byte {
		var b [16]byte
		binary.LittleEndian.PutUint32(b[0:], f.key)
		binary.LittleEndian.PutUint32(b[4:], math.Float32bits(f.v))
		binary.LittleEndian.PutUint32(b[8:], uint32(f.start))
		binary.LittleEndian.PutUint32(b[12:], uint32(f.end))
		return b[:]
	}
	seq = fnvString("seq")
	for _, f := range fs {
		seq = mix(seq, fnv(enc(f)))
	}
	sorted := slices.Clone(fs)
	slices.SortFunc(sorted, func(a, b feat) int {
		for _, d := range [...]int64{int64(a.key) - int64(b.key), int64(math.Float32bits(a.v)) - int64(math.Float32bits(b.v)),
			int64(a.start) - int64(b.start), int64(a.end) - int64(b.end)} {
			if d != 0 {
				return int(max(-1, min(1, d)))
			}
		}
		return 0
	})
	set = fnvString("set")
	for _, f := range sorted {
		set = mix(set, fnv(enc(f)))
	}
	return seq, set
}

// TestGoldenFeaturesAndVerdicts pins what the extractor and Classify
// produce for varied items, so that speed work cannot silently change the
// features the shipped weights were trained on. A change meant to change
// the features (and then the model, with go generate) rewrites the file:
//
//	go test ./classifier -run Golden -update
func TestGoldenFeaturesAndVerdicts(t *testing.T) {
	m := builtin(t)
	all := newExtractor(m.ext.lex, Features{CharMin: 1, CharMax: 5, CharSummary: true, HanMax: 4, CueSlices: true, Source: true, MaxText: 2000})
	learned := builtin(t)
	for i, it := range goldenItems()[:6] {
		l := []news.Label{news.Product, news.Product, news.Other, news.Other, news.Product, news.Research}[i]
		it.Title += " (tagged)"
		if _, err := learned.Learn(it, l); err != nil {
			t.Fatal(err)
		}
	}
	var got []goldenItem
	for _, it := range goldenItems() {
		g := goldenItem{Title: it.Title}
		fs := m.ext.extract(&it, nil)
		g.Feats = len(fs)
		g.FeatsSeq, g.FeatsSet = featHashes(fs)
		var s [nLabels]float32
		m.score(fs, &s)
		for c := range s {
			g.ScoreBits[c] = math.Float32bits(s[c])
		}
		afs := all.extract(&it, nil)
		g.AllFeats = len(afs)
		g.AllSeq, g.AllSet = featHashes(afs)
		g.Verdict = m.Classify(it)
		g.Learned = learned.Classify(it)
		got = append(got, g)
	}
	path := filepath.Join("testdata", "golden_features.json")
	if *update {
		b, err := json.MarshalIndent(got, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (create it with -update)", err)
	}
	var want []goldenItem
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	if len(want) != len(got) {
		t.Fatalf("golden file has %d items, the test %d: rewrite it with -update", len(want), len(got))
	}
	for i := range got {
		g, w := got[i], want[i]
		if g.Feats != w.Feats || g.FeatsSet != w.FeatsSet || g.AllFeats != w.AllFeats || g.AllSet != w.AllSet {
			t.Errorf("item %d %q: features changed: %d/%d features (default/all), want %d/%d; multiset same: %v/%v",
				i, g.Title, g.Feats, g.AllFeats, w.Feats, w.AllFeats, g.FeatsSet == w.FeatsSet, g.AllSet == w.AllSet)
		} else if g.FeatsSeq != w.FeatsSeq || g.AllSeq != w.AllSeq {
			t.Errorf("item %d %q: same features in another order (scores add up in order)", i, g.Title)
		}
		if g.ScoreBits != w.ScoreBits {
			t.Errorf("item %d %q: scores %v, want %v", i, g.Title, g.ScoreBits, w.ScoreBits)
		}
		if !verdictEqual(g.Verdict, w.Verdict) {
			t.Errorf("item %d %q: verdict\n got %+v\nwant %+v", i, g.Title, g.Verdict, w.Verdict)
		}
		if !verdictEqual(g.Learned, w.Learned) {
			t.Errorf("item %d %q: verdict after tags\n got %+v\nwant %+v", i, g.Title, g.Learned, w.Learned)
		}
	}
}

func verdictEqual(a, b news.Verdict) bool {
	return a.Label == b.Label && a.Confidence == b.Confidence && slices.Equal(a.Reasons, b.Reasons)
}

// BenchmarkParts splits Classify's CPU time between extracting, scoring
// and explaining, to show where speed work pays.
func BenchmarkParts(b *testing.B) {
	m := builtin(b)
	it := benchItem
	buf := make([]feat, 0, maxFeats)
	sc := &scratch{}
	var s [nLabels]float32
	var ld leads
	for _, part := range []struct {
		name string
		f    func()
	}{
		{"extract", func() { buf = m.ext.extract(&it, buf[:0]) }},
		// Scoring also keeps each label's strongest features.
		{"score", func() { s = [nLabels]float32{}; sc.cand = m.scoreLeads(buf, &s, &ld, sc.cand) }},
		{"reasons", func() { m.reasons(&it, buf, 1, ld.top[1][:ld.n[1]], "", sc) }},
	} {
		part.f()
		b.Run(part.name, func(b *testing.B) {
			b.ReportAllocs()
			start := cpuTime()
			for b.Loop() {
				part.f()
			}
			if start > 0 {
				b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
			}
		})
	}
}

// topReference is how reasons picked its features before scoreLeads
// did it while scoring: a pass of its own over all features. A cue's
// copy counts as its cue, with the larger of the two margins.
func topReference(m *Model, feats []feat, best int) []contrib {
	var top [4]contrib
	n := 0
	w := m.w[: hashSize*nLabels : hashSize*nLabels]
	b1, b2 := (best+1)%nLabels, (best+2)%nLabels
	bar := float32(0.05)
	for i, f := range feats {
		if f.kind() == fBias {
			continue
		}
		o := int(f.idx()) * nLabels
		wf := w[o : o+nLabels : o+nLabels]
		c := contrib{i: int32(i), v: f.v * (wf[best] - max(wf[b1], wf[b2]))}
		if i > 0 && isCueCopy(feats[i-1], f) {
			c.i--
		}
		if c.v <= bar {
			continue
		}
		if k := slices.IndexFunc(top[:n], func(t contrib) bool { return t.i == c.i }); k >= 0 {
			// The cue is among the leads: it takes the larger margin
			// and its place by it.
			top[k].v = max(top[k].v, c.v)
			slices.SortStableFunc(top[:n], func(a, b contrib) int { return cmp.Compare(b.v, a.v) })
			if n == len(top) {
				bar = max(bar, top[n-1].v)
			}
			continue
		}
		j := min(n, len(top)-1)
		for ; j > 0 && top[j-1].v < c.v; j-- {
			top[j] = top[j-1]
		}
		top[j] = c
		if n < len(top) {
			n++
		}
		if n == len(top) {
			bar = max(bar, top[n-1].v)
		}
	}
	return top[:n]
}

// scoreLeads finds, for every label, the features the separate pass
// found, and the same scores as a plain sum in order; also with values
// of any sign, which extract never makes but add must handle.
func TestScoreLeadsMatchesReference(t *testing.T) {
	m := builtin(t)
	all := newExtractor(m.ext.lex, Features{CharMin: 1, CharMax: 5, CharSummary: true, HanMax: 4, CueSlices: true, Source: true, MaxText: 2000})
	check := func(name string, fs []feat) {
		var want [nLabels]float32
		for _, f := range fs {
			o := int(f.idx()) * nLabels
			for c := range nLabels {
				want[c] += f.v * m.w[o+c]
			}
		}
		var got [nLabels]float32
		var ld leads
		m.scoreLeads(fs, &got, &ld, nil)
		if got != want {
			t.Errorf("%s: scores %v, want %v", name, got, want)
		}
		for c := range nLabels {
			if ref := topReference(m, fs, c); !slices.Equal(ld.top[c][:ld.n[c]], ref) {
				t.Errorf("%s: label %d: leads %v, want %v", name, c, ld.top[c][:ld.n[c]], ref)
			}
		}
	}
	for _, it := range goldenItems() {
		for _, x := range []*extractor{m.ext, all} {
			fs := x.extract(&it, nil)
			check(it.Title, fs)
			signed := slices.Clone(fs)
			for i := range signed {
				signed[i].v *= []float32{1, -1, 0, 0.5, -3}[i%5]
			}
			check(it.Title+" (signed)", signed)
		}
	}
}

// urlHintsReference is urlHints as first written (a substring search per
// path), kept to show the faster one finds the same hints in the same
// order.
func urlHintsReference(u string) []string {
	if u == "" {
		return nil
	}
	u = strings.ToLower(u)
	var out []string
	if strings.Contains(u, "arxiv.org") {
		out = append(out, "arxiv.org")
	}
	for _, p := range urlPaths {
		if strings.Contains(u, p.sub) {
			out = append(out, p.hint)
		}
	}
	return out
}

func FuzzURLHintsMatchReference(f *testing.F) {
	for _, u := range []string{"", "/", "https://Example.com/Research/Papers/x", "https://a.b/blog/news/newsflashes/1?next=/pricing",
		"https://arxiv.org/abs/2611.01234", "http://x//docs", "https://x.com/releases/product-review/deals", "blog/news", "/p", "https://x/events/",
		"https://x/politics/policy/opinion/podcast/science/business/funding/plans/changelog/publications/paper/"} {
		f.Add(u)
	}
	f.Fuzz(func(t *testing.T, u string) {
		if got, want := urlHints(nil, u), urlHintsReference(u); !slices.Equal(got, want) {
			t.Fatalf("urlHints(%q) = %q, want %q", u, got, want)
		}
	})
}

// score adds up the weights of the features, for tests (Classify scores
// and picks the reasons' features in one pass, scoreLeads).
func (m *Model) score(feats []feat, s *[nLabels]float32) {
	var ld leads
	m.scoreLeads(feats, s, &ld, nil)
}
