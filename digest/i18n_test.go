package digest

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/triagebot/triagebot/internal/text"
	"github.com/triagebot/triagebot/news"
)

// TestZhTWHasNoEnglishUIWords renders a zh-TW digest, removes every piece
// of feed text (titles, summaries, sources, quotes, links, ids), and
// checks no Latin letter is left: every word the digest itself adds is
// Chinese.
func TestZhTWHasNoEnglishUIWords(t *testing.T) {
	d := goldenDigest(t, "zh-TW")
	feedText := func(s Story) []string {
		out := []string{s.Title, s.Summary, s.URL, s.ID, "`" + s.ID + "`"}
		for _, src := range s.Sources {
			out = append(out, src.Name)
		}
		for _, p := range s.Points {
			out = append(out, p.Quote, p.Source)
		}
		for _, c := range s.Coverage {
			out = append(out, c.Title, c.Source, c.URL)
		}
		out = append(out, s.PickedBy...)
		return out
	}
	latin := regexp.MustCompile(`[A-Za-z]{2,}`)
	renders := map[string]string{"markdown": Markdown(d), "text": Text(d)}
	for name, out := range renders {
		t.Run(name, func(t *testing.T) {
			for _, sec := range d.Sections {
				for _, s := range sec.Stories {
					for _, f := range feedText(s) {
						if f == "" {
							continue
						}
						out = strings.ReplaceAll(out, mdEscape(f), "")
						out = strings.ReplaceAll(out, mdEscape(text.ClipWords(f, 100)), "")
						out = strings.ReplaceAll(out, f, "")
					}
				}
			}
			// "AI" is how Taiwanese media write it: the title is "AI 新聞週報".
			out = strings.ReplaceAll(out, "AI 新聞週報", "")
			if w := latin.FindAllString(out, -1); len(w) > 0 {
				t.Errorf("English words in the zh-TW digest: %v\n%s", w, out)
			}
		})
	}
	for _, want := range []string{"11月23日–11月29日", "研究 0.99", "產品（主持人標記）", "2 個來源", "研究進展", "產品動態", "其他消息"} {
		if !strings.Contains(renders["markdown"], want) {
			t.Errorf("zh-TW markdown lacks %q", want)
		}
	}
}

// TestZhTWPunctuation: a zh-TW digest lists names with 、, reports with ；,
// quotes with 「」 and sources in full-width parentheses, in Markdown and
// text alike; English keeps its own.
func TestZhTWPunctuation(t *testing.T) {
	st := Story{ID: "s", Title: "Acme launches Zephyr-2", Label: news.Product, Confidence: 0.9,
		Sources: []Source{{Name: "The Verge"}, {Name: "TechCrunch"}, {Name: "Ars"}},
		Detail: &Detail{
			Points:   []Point{{Kind: pointAvailability, Quote: "It costs $5 a month.", Source: "The Verge"}},
			Coverage: []Report{{Title: "Zephyr-2 arrives", Source: "TechCrunch"}, {Title: "Hands-on", Source: "Ars"}},
		}}
	for _, tc := range []struct {
		lang string
		want []string
		not  []string
	}{
		{"zh-TW", []string{"3 個來源：The Verge、TechCrunch、Ars", "上市與價格：「It costs $5 a month.」（The Verge）", "Zephyr-2 arrives（TechCrunch）；Hands-on（Ars）", "另有 4 則產品動態未列出"},
			[]string{"The Verge, TechCrunch", "“", "; ", "(另有"}},
		{"en", []string{"3 sources: The Verge, TechCrunch, Ars", "Availability and price: “It costs $5 a month.” — The Verge", "Zephyr-2 arrives (TechCrunch); Hands-on (Ars)", "4 more product stories not shown"},
			[]string{"、", "「", "；"}},
	} {
		d := &Digest{Title: "t", Language: tc.lang, StoryCount: 1, Sections: []Section{{Key: SectionProduct, Title: "p", Stories: []Story{st}, Omitted: 4}}}
		md := strings.ReplaceAll(Markdown(d), "\\", "")
		for name, out := range map[string]string{"markdown": md, "text": Text(d)} {
			for i, w := range tc.want {
				if name == "text" && i == 2 {
					continue // text lists one report a line
				}
				if !strings.Contains(out, w) {
					t.Errorf("%s %s lacks %q:\n%s", tc.lang, name, w, out)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(out, w) {
					t.Errorf("%s %s has %q:\n%s", tc.lang, name, w, out)
				}
			}
		}
	}
	if w := displayWidth("AI 新聞週報（11月23日）"); w != 23 {
		t.Errorf("display width %d, want 23", w)
	}
}

func TestLangDatesLabelsCounts(t *testing.T) {
	day := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name string
		got  string
		want string
	}{
		{"zh range", LangZhTW.DateRange(day, day.AddDate(0, 0, 6)), "11月23日–11月29日"},
		{"en range", LangEN.DateRange(day, day.AddDate(0, 0, 6)), "Nov 23 – Nov 29"},
		{"zh full date", LangZhTW.FullDate(day), "2026年11月23日"},
		{"zh research", LangZhTW.Label(news.Research), "研究"},
		{"zh product", LangZhTW.Label(news.Product), "產品"},
		{"zh other", LangZhTW.Label(news.Other), "其他"},
		{"en label", LangEN.Label(news.Product), "product"},
		{"zh count", LangZhTW.Sources(3), "3 個來源"},
		{"en count one", LangEN.Sources(1), "1 source"},
		{"zh more", LangZhTW.More(4, SectionResearch), "另有 4 則研究進展未列出"},
		{"en more", LangEN.More(4, SectionOther), "4 more other stories not shown"},
		{"en one more", LangEN.More(1, SectionResearch), "1 more research story not shown"},
		{"zh verdict", LangZhTW.Verdict(Story{Label: news.Research, Confidence: 0.875}), "研究 0.88"},
		{"zh tagged", LangZhTW.Verdict(Story{Label: news.Other, Tagged: true}), "其他（主持人標記）"},
		{"zh section", LangZhTW.Section(SectionPicked), "本集選題"},
		{"zh point", LangZhTW.Point(pointAvailability), "上市與價格"},
		{"unknown is English", ParseLang("fr").Label(news.Research), "research"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("%q, want %q", tc.got, tc.want)
			}
		})
	}
	titles := []struct {
		o    Options
		want string
	}{
		{Options{Since: since, Until: until, Week: "2026-W48", Language: "zh-TW"}, "AI 新聞週報 · 2026 年第 48 週（11月23日–11月29日）"},
		{Options{Since: since, Until: until, Language: "zh-TW"}, "AI 新聞週報 · 2026年11月23日–2026年11月29日"},
		{Options{Since: since, Until: until, Week: "2026-W48"}, "AI news · 2026-W48 (Nov 23 – Nov 29)"},
		{Options{Since: since, Until: until}, "AI news · 2026-11-23 – 2026-11-29"},
	}
	for _, tc := range titles {
		if got := build(t, nil, nil, tc.o).Title; got != tc.want {
			t.Errorf("title %q, want %q", got, tc.want)
		}
	}
}

// TestZhTWConvertsOnlyChineseText: with a converter, Chinese feed text is
// converted for a zh-TW digest; English text is never passed to it, and
// an English digest leaves Chinese as it came.
func TestZhTWConvertsOnlyChineseText(t *testing.T) {
	N := news.KindNews
	items := []news.Item{
		it("zh", "机器之心", N, "智谱发布新模型", "这款模型支持视频生成，价格为每月20元。", "https://z.example.com/1", news.Product, 0.9, 1),
		it("en", "Wire", N, "Acme ships a modem", "It costs $20 a month for all users.", "https://w.example.com/1", news.Product, 0.8, 1),
	}
	var seen []string
	fake := func(s string) string {
		seen = append(seen, s)
		return strings.NewReplacer("发布", "發布", "这款", "這款", "视频", "影片", "价格", "價格", "为", "為", "开发者", "開發者", "开放", "開放").Replace(s)
	}
	items[0].Summary = "这款模型支持视频生成。它由智谱训练。价格为每月20元，面向所有开发者开放。"
	d := build(t, items, nil, Options{Since: since, Until: until, Now: until, Language: "zh-TW", ToTraditional: fake, Points: 3})
	zh, en := findStory(d, "zh"), findStory(d, "en")
	if zh == nil || en == nil {
		t.Fatalf("stories: %+v", d.Sections)
	}
	if len(zh.Points) == 0 {
		t.Fatalf("no talking point to check the conversion of: %+v", zh)
	}
	if zh.Title != "智谱發布新模型" || !strings.Contains(zh.Summary, "這款模型支持影片生成") {
		t.Errorf("not converted: %q %q", zh.Title, zh.Summary)
	}
	if !slices.Contains(seen, "机器之心") {
		t.Errorf("the Chinese source name was not converted; converter saw %q", seen)
	}
	for _, p := range zh.Points {
		if strings.Contains(p.Quote, "价格") {
			t.Errorf("talking point not converted: %q", p.Quote)
		}
	}
	for _, s := range seen {
		if !text.HasHan(s) {
			t.Errorf("English text %q was passed to the converter", s)
		}
	}
	if en.Title != "Acme ships a modem" {
		t.Errorf("English title changed: %q", en.Title)
	}
	seen = nil
	build(t, items, nil, Options{Since: since, Until: until, Now: until, Language: "en", ToTraditional: fake})
	if len(seen) != 0 {
		t.Errorf("an English digest converted %v", seen)
	}
}
