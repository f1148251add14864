package digest

import "fmt"

// tr holds every fixed string of a digest in one language.
type tr struct {
	lang     string
	section  map[SectionKey]string
	prompts  map[SectionKey][]string
	talk     string // "Talk about"
	more     string // "%d more %s stories not shown"
	sources  string // "%d sources"
	source1  string // "1 source"
	pickedBy string
	id       string
	empty    string
	title    func(Options) string
}

func texts(lang string) tr {
	if lang == "zh-TW" {
		return tr{
			lang: "zh-TW",
			section: map[SectionKey]string{
				SectionPicked: "本集選題", SectionResearch: "研究進展", SectionProduct: "產品動態", SectionOther: "其他消息",
			},
			prompts: map[SectionKey][]string{
				SectionResearch: {"影響", "限制（什麼情況下有效？）", "未來應用"},
				SectionProduct:  {"使用者反應", "公司成本", "商業模式"},
			},
			talk: "討論方向", more: "另有 %d 則%s未列出", sources: "%d 個來源", source1: "1 個來源", pickedBy: "選題者", id: "編號",
			empty: "這段期間沒有任何新項目。先執行 `triagebot poll` 抓取訂閱來源。",
			title: func(o Options) string { return "AI 新聞週報 · " + window(o) },
		}
	}
	return tr{
		lang: "en",
		section: map[SectionKey]string{
			SectionPicked: "Picked for the episode", SectionResearch: "Research", SectionProduct: "Product", SectionOther: "Other news",
		},
		prompts: map[SectionKey][]string{
			SectionResearch: {"impact", "caveats (when does it work?)", "future applications"},
			SectionProduct:  {"how users react", "cost to the company", "business model"},
		},
		talk: "Talk about", more: "%d more %s stories not shown", sources: "%d sources", source1: "1 source", pickedBy: "picked by", id: "id",
		empty: "No items were published in this window. Run `triagebot poll` to fetch the feeds.",
		title: func(o Options) string { return "AI news · " + window(o) },
	}
}

func window(o Options) string {
	loc := o.Location
	if o.Week != "" {
		return fmt.Sprintf("%s (%s – %s)", o.Week, o.Since.In(loc).Format("Jan 2"), o.Until.In(loc).AddDate(0, 0, -1).Format("Jan 2"))
	}
	if o.Since.IsZero() {
		return "until " + o.Until.In(loc).Format("2006-01-02")
	}
	if o.Until.IsZero() {
		return "since " + o.Since.In(loc).Format("2006-01-02")
	}
	return o.Since.In(loc).Format("2006-01-02") + " – " + o.Until.In(loc).Add(-1).Format("2006-01-02")
}
