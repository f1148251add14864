package digest

import (
	"fmt"
	"strings"

	"github.com/triagebot/triagebot/news"
)

// briefLabel marks a brief as machine-written and names its model, in the
// digest's language: the hosts must always know which words no outlet
// wrote.
func briefLabel(b *news.Brief, lang string) string {
	if lang == "zh-TW" {
		return fmt.Sprintf("AI 摘要（由 %s 自動生成）", b.Model)
	}
	return fmt.Sprintf("Machine-written brief (%s)", b.Model)
}

// briefMarkdown renders a story's brief as indented Markdown lines.
func briefMarkdown(b *news.Brief, lang string) string {
	if b == nil || b.Text == "" {
		return ""
	}
	var s strings.Builder
	if b.Title != "" {
		fmt.Fprintf(&s, "   %s\n", mdEscape(b.Title))
	}
	fmt.Fprintf(&s, "   _%s:_ %s\n", mdEscape(briefLabel(b, lang)), mdEscape(b.Text))
	for _, p := range b.Points {
		fmt.Fprintf(&s, "   - %s\n", mdEscape(p))
	}
	return s.String()
}

// briefText renders a story's brief as indented plain lines.
func briefText(b *news.Brief, lang string) string {
	if b == nil || b.Text == "" {
		return ""
	}
	var s strings.Builder
	if b.Title != "" {
		fmt.Fprintf(&s, "    %s\n", b.Title)
	}
	fmt.Fprintf(&s, "    [%s] %s\n", briefLabel(b, lang), b.Text)
	for _, p := range b.Points {
		fmt.Fprintf(&s, "    - %s\n", p)
	}
	return s.String()
}
