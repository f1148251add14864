package digest

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/triagebot/triagebot/internal/text"
)

// Markdown renders show notes the hosts can paste as they are.
func Markdown(d *Digest) string {
	t, l := texts(d.Language), ParseLang(d.Language)
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", mdEscape(d.Title))
	if d.Empty() {
		writeEmpty(&b, t, l, d)
		return b.String()
	}
	for _, sec := range d.Sections {
		fmt.Fprintf(&b, "## %s\n\n", sec.Title)
		for i, s := range sec.Stories {
			title := mdEscape(s.Title)
			if u := safeURL(s.URL); u != "" {
				title = fmt.Sprintf("[%s](%s)", title, u)
			}
			fmt.Fprintf(&b, "%d. **%s**\n", i+1, title)
			if s.Summary != "" {
				fmt.Fprintf(&b, "   %s\n", mdEscape(s.Summary))
			}
			b.WriteString(briefMarkdown(s.Brief, d.Language))
			fmt.Fprintf(&b, "   %s · %s · %s `%s`\n", mdSources(s, t), l.Verdict(s), t.id, s.ID)
			for _, p := range s.points() {
				fmt.Fprintf(&b, "   - %s%s%s%s\n", l.Point(p.Kind), t.colon, t.quote(mdEscape(p.Quote)), t.attribution(mdEscape(p.Source)))
			}
			if len(s.coverage()) > 0 {
				fmt.Fprintf(&b, "   %s%s%s\n", t.coverage, t.colon, mdCoverage(s.coverage(), t))
			}
		}
		if sec.Omitted > 0 {
			fmt.Fprintf(&b, "\n_%s_\n", l.More(sec.Omitted, sec.Key))
		}
		b.WriteString("\n")
	}
	return b.String()
}

// maxCoverage is how many other reports a story lists in text; the JSON
// has them all.
const maxCoverage = 5

func mdCoverage(cs []Report, t tr) string {
	parts := make([]string, 0, min(len(cs), maxCoverage))
	for i, c := range cs {
		if i == maxCoverage {
			break
		}
		title := mdEscape(text.ClipWords(c.Title, 100))
		if u := safeURL(c.URL); u != "" {
			title = fmt.Sprintf("[%s](%s)", title, u)
		}
		parts = append(parts, title+t.paren(mdEscape(c.Source)))
	}
	out := strings.Join(parts, t.listSep)
	if n := len(cs) - len(parts); n > 0 {
		out += fmt.Sprintf("%s+%d", t.listSep, n)
	}
	return out
}

// Text renders plain text for a terminal or an email.
func Text(d *Digest) string {
	t, l := texts(d.Language), ParseLang(d.Language)
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n%s\n\n", d.Title, strings.Repeat("=", min(displayWidth(d.Title), 72)))
	if d.Empty() {
		writeEmpty(&b, t, l, d)
		return b.String()
	}
	for _, sec := range d.Sections {
		fmt.Fprintf(&b, "%s\n", strings.ToUpper(sec.Title))
		for i, s := range sec.Stories {
			fmt.Fprintf(&b, "\n%2d. %s\n", i+1, s.Title)
			if s.URL != "" {
				fmt.Fprintf(&b, "    %s\n", s.URL)
			}
			if s.Summary != "" {
				fmt.Fprintf(&b, "    %s\n", s.Summary)
			}
			b.WriteString(briefText(s.Brief, d.Language))
			fmt.Fprintf(&b, "    %s · %s · %s %s\n", plainSources(s, t), l.Verdict(s), t.id, s.ID)
			for _, p := range s.points() {
				fmt.Fprintf(&b, "    - %s%s%s%s\n", l.Point(p.Kind), t.colon, t.quote(p.Quote), t.attribution(p.Source))
			}
			for i, c := range s.coverage() {
				if i == maxCoverage {
					fmt.Fprintf(&b, "    %s%s+%d\n", t.coverage, t.colon, len(s.coverage())-i)
					break
				}
				fmt.Fprintf(&b, "    %s%s%s%s %s\n", t.coverage, t.colon, text.ClipWords(c.Title, 100), t.paren(c.Source), c.URL)
			}
		}
		if sec.Omitted > 0 {
			fmt.Fprintf(&b, "\n%s\n", strings.TrimSpace(t.paren(l.More(sec.Omitted, sec.Key))))
		}
		b.WriteString("\n")
	}
	return b.String()
}

// JSON renders the documented schema (see README, "Digest JSON").
func JSON(d *Digest) ([]byte, error) {
	out := *d
	if out.Sections == nil {
		out.Sections = []Section{}
	}
	return json.MarshalIndent(out, "", "  ")
}

func sourceNames(s Story, max int, t tr) (string, int) {
	names := make([]string, 0, len(s.Sources))
	for i, src := range s.Sources {
		if i == max {
			break
		}
		names = append(names, src.Name)
	}
	return strings.Join(names, t.sep), len(s.Sources) - len(names)
}

func mdSources(s Story, t tr) string {
	names, rest := sourceNames(s, 6, t)
	out := t.count(len(s.Sources)) + t.colon + mdEscape(names)
	if rest > 0 {
		out += fmt.Sprintf("%s+%d", t.sep, rest)
	}
	if s.Picked && len(s.PickedBy) > 0 {
		out += " · " + t.pickedBy + " " + mdEscape(strings.Join(s.PickedBy, t.sep))
	}
	if s.Undated {
		out += " · " + t.undated
	}
	return out
}

func plainSources(s Story, t tr) string {
	names, rest := sourceNames(s, 6, t)
	out := t.count(len(s.Sources)) + t.colon + names
	if rest > 0 {
		out += fmt.Sprintf("%s+%d", t.sep, rest)
	}
	if s.Picked && len(s.PickedBy) > 0 {
		out += " · " + t.pickedBy + " " + strings.Join(s.PickedBy, t.sep)
	}
	if s.Undated {
		out += " · " + t.undated
	}
	return out
}

// mdEscape keeps feed text from turning into Markdown (or HTML) in the
// show notes.
func mdEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '#', '|', '~':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// safeURL returns an http(s) URL fit to put in a link, or "".
func safeURL(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(raw) > 2000 {
		return ""
	}
	s := u.String()
	// Parentheses would end a Markdown link early.
	return strings.NewReplacer("(", "%28", ")", "%29", " ", "%20").Replace(s)
}

func (t tr) count(n int) string {
	if n == 1 {
		return t.source1
	}
	return fmt.Sprintf(t.sources, n)
}

// points and coverage read a story's detail; a story made by hand (a
// test, another renderer) may have none.
func (s *Story) points() []Point {
	if s.Detail == nil {
		return nil
	}
	return s.Points
}

func (s *Story) coverage() []Report {
	if s.Detail == nil {
		return nil
	}
	return s.Coverage
}

// writeEmpty is the body of a digest with no stories: the reason, and
// what was left out, which may be why it is empty.
func writeEmpty(b *strings.Builder, t tr, l Lang, d *Digest) {
	b.WriteString(t.empty + "\n")
	if lo := l.LeftOut(d.LeftOut); lo != "" {
		b.WriteString("\n" + lo + "\n")
	}
}

// displayWidth is how many terminal columns s takes: Chinese characters
// and full-width punctuation take two, so an underline matches a Chinese
// title.
func displayWidth(s string) int {
	w := 0
	for _, r := range s {
		w++
		if r >= 0x1100 && (r <= 0x115F || r >= 0x2E80 && r <= 0xA4CF || r >= 0xAC00 && r <= 0xD7A3 || r >= 0xF900 && r <= 0xFAFF || r >= 0xFE30 && r <= 0xFE4F || r >= 0xFF00 && r <= 0xFF60 || r >= 0xFFE0 && r <= 0xFFE6) {
			w++
		}
	}
	return w
}
