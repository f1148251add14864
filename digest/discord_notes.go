package digest

import (
	"fmt"
	"strings"
)

// ShowNotes renders an episode rundown as notes a host can publish as they
// are: the episode's week in the title, the stories by section with their
// sources as links, no confidence numbers, ids or pickers, and no empty
// section.
func ShowNotes(d *Digest) string {
	title := "Show notes · " + d.Week
	if DiscordLang(d.Language) == "zh-TW" {
		title = "節目筆記 · " + d.Week
	}
	return notes(d, title)
}

// WeekNotes renders the whole week for a reader (the "Full week" button):
// the digest's title, every story by section with its sources, no
// internals.
func WeekNotes(d *Digest) string { return notes(d, d.Title) }

func notes(d *Digest, title string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", mdEscape(title))
	shown := 0
	for _, sec := range d.Sections {
		if len(sec.Stories) == 0 {
			continue
		}
		fmt.Fprintf(&b, "## %s\n\n", mdEscape(sec.Title))
		for i, s := range sec.Stories {
			t := mdEscape(s.Title)
			if u := safeURL(s.URL); u != "" {
				t = "[" + t + "](" + u + ")"
			}
			fmt.Fprintf(&b, "%d. **%s**\n", i+1, t)
			if s.Summary != "" {
				fmt.Fprintf(&b, "   %s\n", mdEscape(s.Summary))
			}
			var src []string
			for _, so := range s.Sources {
				name := mdEscape(so.Name)
				if u := safeURL(so.URL); u != "" {
					name = "[" + name + "](" + u + ")"
				}
				src = append(src, name)
			}
			if len(src) > 0 {
				fmt.Fprintf(&b, "   %s\n", strings.Join(src, " · "))
			}
			shown++
		}
		b.WriteString("\n")
	}
	if shown == 0 {
		b.WriteString(EmptyWeek(d.Language) + "\n")
	}
	return b.String()
}
