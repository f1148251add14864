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

// briefDiscord renders a story's brief for its Discord embed. Each part is
// clipped (title 120, brief 400, points 200 characters each, at most three
// points), so a brief adds at most about 1,200 characters to a description
// whose other parts are bounded too: the embed stays within Discord's 4,096
// and 6,000 limits whatever the model wrote.
func briefDiscord(b *news.Brief, lang string) string {
	if b == nil || b.Text == "" {
		return ""
	}
	var lines []string
	if b.Title != "" {
		lines = append(lines, "**"+fitEscaped(b.Title, 120)+"**")
	}
	lines = append(lines, "*"+fitEscaped(briefLabel(b, lang), 100)+":* "+fitEscaped(b.Text, 400))
	for i, p := range b.Points {
		if i == 3 {
			break
		}
		lines = append(lines, "• "+fitEscaped(p, 200))
	}
	return strings.Join(lines, "\n")
}
