package digest

import (
	"fmt"
	"time"

	"github.com/triagebot/triagebot/news"
)

// Lang is the language of every fixed word the hosts read: "en" or
// "zh-TW". Renderers outside this file (Discord) ask it for labels, dates
// and counts, so a digest never mixes English UI words into a Chinese page.
type Lang string

const (
	LangEN   Lang = "en"
	LangZhTW Lang = "zh-TW"
)

// ParseLang maps a configured language to a Lang; anything but zh-TW is
// English.
func ParseLang(s string) Lang {
	if s == string(LangZhTW) {
		return LangZhTW
	}
	return LangEN
}

func (l Lang) zh() bool { return l == LangZhTW }

// Label names a label as the hosts read it: research, 研究.
func (l Lang) Label(lb news.Label) string {
	if !l.zh() {
		return string(lb)
	}
	switch lb {
	case news.Research:
		return "研究"
	case news.Product:
		return "產品"
	}
	return "其他"
}

// Section is a section's heading.
func (l Lang) Section(k SectionKey) string { return texts(string(l)).section[k] }

// Date is a day without the year: "Nov 23", 11月23日.
func (l Lang) Date(t time.Time) string {
	if l.zh() {
		return fmt.Sprintf("%d月%d日", int(t.Month()), t.Day())
	}
	return t.Format("Jan 2")
}

// DateRange is an inclusive range of days: "Nov 23 – Nov 29",
// 11月23日–11月29日. last is the last day shown, not an exclusive end.
func (l Lang) DateRange(first, last time.Time) string {
	if l.zh() {
		return l.Date(first) + "–" + l.Date(last)
	}
	return l.Date(first) + " – " + l.Date(last)
}

// FullDate is a day with its year: 2026-11-23, 2026年11月23日.
func (l Lang) FullDate(t time.Time) string {
	if l.zh() {
		return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
	}
	return t.Format("2006-01-02")
}

// Sources counts outlets: "1 source", "3 sources", 3 個來源.
func (l Lang) Sources(n int) string { return texts(string(l)).count(n) }

// Verdict is a story's label with the classifier's confidence, or a note
// that the hosts tagged it: "product 0.90", 產品 0.90, 產品（主持人標記）.
func (l Lang) Verdict(s Story) string {
	if s.Tagged {
		return l.Label(s.Label) + texts(string(l)).tagged
	}
	return fmt.Sprintf("%s %.2f", l.Label(s.Label), s.Confidence)
}

// More says how many stories of a section were cut: "3 more research
// stories not shown", 另有 3 則研究進展未列出.
func (l Lang) More(n int, sec SectionKey) string {
	t := texts(string(l))
	if l.zh() {
		return fmt.Sprintf(t.more, n, t.section[sec])
	}
	word := map[SectionKey]string{SectionPicked: "picked", SectionResearch: "research", SectionProduct: "product", SectionOther: "other"}[sec]
	if n == 1 {
		return fmt.Sprintf("1 more %s story not shown", word)
	}
	return fmt.Sprintf(t.more, n, word)
}

// Empty is the text of a week without items.
func (l Lang) Empty() string { return texts(string(l)).empty }

// LeftOut says what the digest dropped, for a week that shows nothing
// although items came in: "" when nothing was dropped.
func (l Lang) LeftOut(lo LeftOut) string {
	if lo.Language == 0 && lo.ArxivReplace == 0 {
		return ""
	}
	if l.zh() {
		return fmt.Sprintf("已略過 %d 則其他語言的項目（digest.languages）與 %d 則 arXiv 舊論文更新。", lo.Language, lo.ArxivReplace)
	}
	return fmt.Sprintf("Left out: items in other languages (digest.languages): %d; arXiv replacements of old papers: %d.", lo.Language, lo.ArxivReplace)
}

// Point names a kind of talking point: "Result", 成果.
func (l Lang) Point(kind string) string { return texts(string(l)).point[kind] }

// tr holds every fixed string of a digest in one language.
type tr struct {
	lang     string
	section  map[SectionKey]string
	talk     string // "Talk about"
	more     string // "%d more %s stories not shown"
	sources  string // "%d sources"
	source1  string // "1 source"
	pickedBy string
	id       string
	empty    string
	tagged   string // after a label the hosts set
	coverage string // "More" before the other reports of a story
	undated  string // an item whose feed gave no date
	score    string
	colon    string            // between a label and what it labels
	sep      string            // between names in a list: ", ", 、
	listSep  string            // between longer items (reports): "; ", ；
	point    map[string]string // talking point kinds
	week     func(string) string
	title    string
}

func texts(lang string) tr {
	if lang == string(LangZhTW) {
		return tr{
			lang: "zh-TW",
			section: map[SectionKey]string{
				SectionPicked: "本集選題", SectionResearch: "研究進展", SectionProduct: "產品動態", SectionOther: "其他消息",
			},
			talk: "討論方向", more: "另有 %d 則%s未列出", sources: "%d 個來源", source1: "1 個來源", pickedBy: "選題者", id: "編號",
			empty:    "這段期間沒有任何新項目。先執行 `triagebot poll` 抓取訂閱來源。",
			tagged:   "（主持人標記）",
			coverage: "更多報導",
			undated:  "未標日期",
			score:    "重要性",
			colon:    "：",
			sep:      "、",
			listSep:  "；",
			point: map[string]string{
				pointResult: "成果", pointCaveat: "限制", pointApplication: "應用",
				pointAvailability: "上市與價格", pointAudience: "適用對象", pointBusiness: "商業面",
			},
			week: func(w string) string {
				var y, n int
				if _, err := fmt.Sscanf(w, "%d-W%d", &y, &n); err == nil {
					return fmt.Sprintf("%d 年第 %d 週", y, n)
				}
				return w
			},
			title: "AI 新聞週報",
		}
	}
	return tr{
		lang: "en",
		section: map[SectionKey]string{
			SectionPicked: "Picked for the episode", SectionResearch: "Research", SectionProduct: "Product", SectionOther: "Other news",
		},
		talk: "Talk about", more: "%d more %s stories not shown", sources: "%d sources", source1: "1 source", pickedBy: "picked by", id: "id",
		empty:    "No items were published in this window. Run `triagebot poll` to fetch the feeds.",
		tagged:   " (tag)",
		coverage: "More",
		undated:  "undated",
		score:    "score",
		colon:    ": ",
		sep:      ", ",
		listSep:  "; ",
		point: map[string]string{
			pointResult: "Result", pointCaveat: "Caveat", pointApplication: "Application",
			pointAvailability: "Availability and price", pointAudience: "Who gets it", pointBusiness: "Business angle",
		},
		week:  func(w string) string { return w },
		title: "AI news",
	}
}

// window is the digest's title after the name: the week and its days, or
// the dates of a free window.
func window(o Options) string {
	loc, l := o.Location, ParseLang(o.Language)
	t := texts(o.Language)
	if o.Week != "" {
		days := l.DateRange(o.Since.In(loc), o.Until.In(loc).AddDate(0, 0, -1))
		if l.zh() {
			return t.week(o.Week) + "（" + days + "）"
		}
		return fmt.Sprintf("%s (%s)", o.Week, days)
	}
	if l.zh() {
		switch {
		case o.Since.IsZero():
			return l.FullDate(o.Until.In(loc)) + "以前"
		case o.Until.IsZero():
			return l.FullDate(o.Since.In(loc)) + "以來"
		}
		return l.FullDate(o.Since.In(loc)) + "–" + l.FullDate(o.Until.In(loc).Add(-1))
	}
	if o.Since.IsZero() {
		return "until " + l.FullDate(o.Until.In(loc))
	}
	if o.Until.IsZero() {
		return "since " + l.FullDate(o.Since.In(loc))
	}
	return l.FullDate(o.Since.In(loc)) + " – " + l.FullDate(o.Until.In(loc).Add(-1))
}

// quote marks a quotation: “…” in English, 「…」 as Taiwan writes it.
func (t tr) quote(s string) string {
	if t.lang == string(LangZhTW) {
		return "「" + s + "」"
	}
	return "“" + s + "”"
}

// attribution names a quotation's source after it: " — Wire", （Wire）.
func (t tr) attribution(source string) string {
	if t.lang == string(LangZhTW) {
		return t.paren(source)
	}
	return " — " + source
}

// paren puts a note after a title: " (Wire)", （Wire）.
func (t tr) paren(s string) string {
	if t.lang == string(LangZhTW) {
		return "（" + s + "）"
	}
	return " (" + s + ")"
}

func (t tr) titleOf(o Options) string { return t.title + " · " + window(o) }
