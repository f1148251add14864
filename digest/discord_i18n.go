package digest

import (
	"fmt"
	"strings"

	"github.com/triagebot/triagebot/internal/text"
	"github.com/triagebot/triagebot/news"
)

// dtr is every fixed string of the Discord rendering in one language:
// what listeners and hosts read on the posted digest.
type dtr struct {
	label     map[news.Label]string
	suggested string // the classifier's label, no host has tagged it
	taggedBy  string // "tagged by %s"
	tagged    string // tagged, by nobody we know
	pickedBy  string // "picked by %s"
	pick      string
	picked    string // "picked (%d)"
	details   string
	fullWeek  string
	more      string // "%d more stories this week are not shown."
	header    string // "%d stories from %d items."
	empty     string
	thread    string // "AI news · %s"
	sep       string // list separator between names
}

// DiscordLang returns the language the digest uses for a setting such
// as digest.language: "zh-TW" or "en".
func DiscordLang(lang string) string {
	if lang == "zh-TW" {
		return "zh-TW"
	}
	return "en"
}

func dtexts(lang string) dtr {
	if DiscordLang(lang) == "zh-TW" {
		return dtr{
			label:     map[news.Label]string{news.Research: "研究", news.Product: "產品", news.Other: "其他"},
			suggested: "自動分類", taggedBy: "由 %s 標記", tagged: "主持人已標記", pickedBy: "選題：%s",
			pick: "選題", picked: "已選 (%d)", details: "詳情", fullWeek: "完整週報",
			more: "本週另有 %d 則未列出。", header: "共 %d 則報導，來自 %d 個項目。",
			empty: "這週沒有新報導。", thread: "AI 新聞週報 · %s", sep: "、",
		}
	}
	return dtr{
		label:     map[news.Label]string{news.Research: "Research", news.Product: "Product", news.Other: "Other"},
		suggested: "suggested", taggedBy: "tagged by %s", tagged: "tagged by a host", pickedBy: "picked by %s",
		pick: "Pick", picked: "Picked (%d)", details: "Details", fullWeek: "Full week",
		more: "%d more stories this week are not shown.", header: "%d stories from %d items.",
		empty: "Nothing new this week.", thread: "AI news · %s", sep: ", ",
	}
}

// LabelName is a label as the hosts read it.
func LabelName(lang string, l news.Label) string {
	if s, ok := dtexts(lang).label[l]; ok {
		return s
	}
	return string(l)
}

// ThreadName names the week's thread (Discord allows 1-100 characters).
func ThreadName(lang, week string) string {
	return text.ClipWords(fmt.Sprintf(dtexts(lang).thread, texts(DiscordLang(lang)).week(week)), 100)
}

// EmptyWeek is the short line for a week with nothing in it.
func EmptyWeek(lang string) string { return dtexts(lang).empty }

// StoryState is what a story's footer and buttons show: its label and who
// tagged and picked it.
type StoryState struct {
	ID       string
	Label    news.Label
	Tagged   bool
	TaggedBy string
	PickedBy []string
}

// StoryFooter is the line under a story: its label, who tagged it, who
// picked it. No confidence, no ids: listeners read it.
func StoryFooter(lang string, s StoryState) string {
	t := dtexts(lang)
	parts := []string{LabelName(lang, s.Label)}
	switch {
	case s.Tagged && s.TaggedBy != "":
		parts = append(parts, fmt.Sprintf(t.taggedBy, s.TaggedBy))
	case s.Tagged:
		parts = append(parts, t.tagged)
	default:
		parts = append(parts, t.suggested)
	}
	if len(s.PickedBy) > 0 {
		parts = append(parts, fmt.Sprintf(t.pickedBy, strings.Join(s.PickedBy, t.sep)))
	}
	return text.ClipWords(strings.Join(parts, " · "), MaxFooter)
}

// StoryRow is a story's own buttons: its three labels (the current one
// highlighted), pick, and details.
func StoryRow(lang string, s StoryState) ActionRow {
	t := dtexts(lang)
	row := ActionRow{Type: 1}
	for _, l := range news.Labels() {
		style := StyleSecondary
		if s.Label == l {
			style = StylePrimary
		}
		row.Components = append(row.Components, Button{Type: 2, Style: style, Label: LabelName(lang, l),
			CustomID: ButtonID{Action: ActTag, Label: l, Ref: s.ID}.Format()})
	}
	pick := Button{Type: 2, Style: StyleSecondary, Label: t.pick, CustomID: ButtonID{Action: ActPick, Ref: s.ID}.Format()}
	if len(s.PickedBy) > 0 {
		pick.Style, pick.Label = StyleSuccess, fmt.Sprintf(t.picked, len(s.PickedBy))
	}
	row.Components = append(row.Components, pick,
		Button{Type: 2, Style: StyleSecondary, Label: t.details, CustomID: ButtonID{Action: ActDetails, Ref: s.ID}.Format()})
	return row
}

// DiscordTitle is the digest's title as posted: the same localized title
// the Markdown shows (in zh-TW "AI 新聞週報 · 2026 年第 48 週（11月23日–11月29日）").
func DiscordTitle(d *Digest) string { return d.Title }
