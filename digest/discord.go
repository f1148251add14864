package digest

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/triagebot/triagebot/internal/text"
)

// Discord's hard limits (docs: Create Message, Embed Limits, Components).
const (
	MaxContent       = 2000
	MaxEmbeds        = 10
	MaxEmbedTotal    = 6000
	MaxEmbedTitle    = 256
	MaxEmbedDesc     = 4096
	MaxFields        = 25
	MaxFieldName     = 256
	MaxFieldValue    = 1024
	MaxFooter        = 2048
	MaxActionRows    = 5
	MaxButtonsPerRow = 5
	MaxCustomID      = 100
	MaxButtonLabel   = 80
)

// Message is a Discord message body as the API takes it (POST
// /channels/{id}/messages). Field names follow Discord's JSON.
type Message struct {
	Content         string          `json:"content,omitempty"`
	Embeds          []Embed         `json:"embeds,omitempty"`
	Components      []ActionRow     `json:"components,omitempty"`
	AllowedMentions AllowedMentions `json:"allowed_mentions"`
	// Nonce with EnforceNonce makes Discord return the message it already
	// created for this nonce instead of creating a second one: a resend
	// after a crash is harmless. Set by the poster.
	Nonce        string `json:"nonce,omitempty"`
	EnforceNonce bool   `json:"enforce_nonce,omitempty"`
}

// AllowedMentions with an empty Parse list mentions nobody, whatever the
// text says.
type AllowedMentions struct {
	Parse []string `json:"parse"`
	Roles []string `json:"roles,omitempty"` // only these roles may be mentioned
}

// Embed is a Discord embed.
type Embed struct {
	Title       string       `json:"title,omitempty"`
	URL         string       `json:"url,omitempty"`
	Description string       `json:"description,omitempty"`
	Color       int          `json:"color,omitempty"`
	Fields      []EmbedField `json:"fields,omitempty"`
	Footer      *EmbedFooter `json:"footer,omitempty"`
	Timestamp   string       `json:"timestamp,omitempty"` // ISO 8601; Discord shows it in the reader's time zone
}

// EmbedField is one field of an embed.
type EmbedField struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Inline bool   `json:"inline,omitempty"`
}

// EmbedFooter is an embed's footer.
type EmbedFooter struct {
	Text string `json:"text"`
}

// ActionRow holds buttons (component type 1).
type ActionRow struct {
	Type       int      `json:"type"`
	Components []Button `json:"components"`
}

// Button is a component of type 2.
type Button struct {
	Type     int    `json:"type"`
	Style    int    `json:"style"`
	Label    string `json:"label"`
	CustomID string `json:"custom_id"`
}

// Button styles.
const (
	StylePrimary   = 1
	StyleSecondary = 2
	StyleSuccess   = 3
)

// NoMentions is the allowed_mentions every message carries.
func NoMentions() AllowedMentions { return AllowedMentions{Parse: []string{}} }

func sectionColor(k SectionKey) int {
	switch k {
	case SectionPicked:
		return 0xF1C40F
	case SectionResearch:
		return 0x3498DB
	case SectionProduct:
		return 0x2ECC71
	}
	return 0x95A5A6
}

// Discord renders the digest as messages to post in order: a header,
// then one message per story, each with its own embed and its own row of
// buttons right under it (nothing ties a button to a story by counting),
// then, when the sections were cut, a line offering the full week. Every
// message respects every limit above; feed text is escaped so it cannot
// format, link or mention; anything shortened ends with an ellipsis and
// keeps its link. Listeners see no confidence numbers and no item ids:
// the Details button shows them to a host, privately.
func Discord(d *Digest) []Message {
	t := dtexts(d.Language)
	header := "**" + fitEscaped(DiscordTitle(d), 300) + "**"
	if d.Empty() {
		return []Message{{Content: header + "\n" + escape(t.empty), AllowedMentions: NoMentions()}}
	}
	out := []Message{{Content: header + "\n" + fmt.Sprintf(t.header, d.StoryCount, d.ItemCount), AllowedMentions: NoMentions()}}
	omitted := 0
	for _, sec := range d.Sections {
		omitted += sec.Omitted
		head := "__**" + escape(sec.Title) + "**__"
		if len(sec.Prompts) > 0 {
			head += " — " + texts(d.Language).talk + ": " + escape(strings.Join(sec.Prompts, " · "))
		}
		for i, s := range sec.Stories {
			m := Message{Embeds: []Embed{storyEmbed(s, sec.Key, d.Language)}, AllowedMentions: NoMentions(),
				Components: []ActionRow{StoryRow(d.Language, stateOf(s))}}
			if i == 0 {
				m.Content = text.ClipWords(head, MaxContent)
			}
			out = append(out, m)
		}
	}
	if omitted > 0 {
		m := Message{Content: "*" + fmt.Sprintf(t.more, omitted) + "*", AllowedMentions: NoMentions()}
		if d.Week != "" {
			m.Components = []ActionRow{{Type: 1, Components: []Button{{Type: 2, Style: StylePrimary, Label: t.fullWeek,
				CustomID: ButtonID{Action: ActFullWeek, Ref: d.Week}.Format()}}}}
		}
		out = append(out, m)
	}
	return out
}

func stateOf(s Story) StoryState {
	return StoryState{ID: s.ID, Label: s.Label, Tagged: s.Tagged, PickedBy: s.PickedBy}
}

// An embed's text other than its footer is kept within maxBody, so the
// footer the bot writes when a host tags or picks (StoryFooter, at most
// MaxFooter) always fits Discord's 6,000 for the embed. The parts share it
// in order of what the hosts need: title (≤ 256), summary (≤ 600), talking
// points (≤ 3 fields of ≤ maxPoint), the model's brief (≤ about 1,260, see
// briefDiscord), the other reports (one field of ≤ maxCoverageField), and
// the source links get the rest (≤ maxSources, never under minSources:
// fields give way first).
const (
	maxBody          = MaxEmbedTotal - MaxFooter
	minSources       = 200
	maxSummary       = 600
	maxPoint         = 300
	maxCoverageField = 700
	maxSources       = 2400
)

func storyEmbed(s Story, k SectionKey, lang string) Embed {
	t, l := texts(lang), ParseLang(lang)
	e := Embed{Title: fitEscaped(s.Title, MaxEmbedTitle), URL: safeURL(s.URL), Color: sectionColor(k),
		Footer: &EmbedFooter{Text: StoryFooter(lang, stateOf(s))}}
	if !s.Published.IsZero() && !s.Undated { // a first-seen time is no publication date
		e.Timestamp = s.Published.UTC().Format(time.RFC3339)
	}
	var desc []string
	if s.Summary != "" {
		desc = append(desc, fitEscaped(s.Summary, maxSummary))
	}
	if b := briefDiscord(s.Brief, lang); b != "" {
		desc = append(desc, b)
	}
	for i, p := range s.points() {
		if i == 3 {
			break
		}
		e.Fields = append(e.Fields, EmbedField{Name: fitEscaped(l.Point(p.Kind), 40), Value: pointValue(p, t)})
	}
	if cs := s.coverage(); len(cs) > 0 {
		e.Fields = append(e.Fields, EmbedField{Name: fitEscaped(t.coverage, 40), Value: coverageLinks(cs, t, maxCoverageField)})
	}
	used := utf8.RuneCountInString(e.Title) + 2*len(desc)
	for _, d := range desc {
		used += utf8.RuneCountInString(d)
	}
	fieldLen := func(f EmbedField) int { return utf8.RuneCountInString(f.Name) + utf8.RuneCountInString(f.Value) }
	for _, f := range e.Fields {
		used += fieldLen(f)
	}
	// Every part at its longest would leave the sources too little: the
	// last fields give way (coverage first, then the last points).
	for len(e.Fields) > 0 && used > maxBody-minSources {
		used -= fieldLen(e.Fields[len(e.Fields)-1])
		e.Fields = e.Fields[:len(e.Fields)-1]
	}
	if src := sourceLinks(s, min(maxSources, maxBody-used)); src != "" {
		desc = append(desc, src)
	}
	e.Description = strings.Join(desc, "\n\n")
	return e
}

// pointValue is a talking point as a field value, at most maxPoint runes:
// the quote, then its source, a link when its URL is short enough to
// leave the quote most of the room.
func pointValue(p Point, t tr) string {
	name := fitEscaped(p.Source, 80)
	if u := safeURL(p.URL); u != "" && len(u) <= 100 {
		name = "[" + linkText(p.Source, 80) + "](" + u + ")"
	}
	// 8 covers the quote marks and the attribution's dash or parentheses.
	return t.quote(fitEscaped(p.Quote, maxPoint-utf8.RuneCountInString(name)-8)) + t.attribution(name)
}

// coverageLinks lists a story's other reports, a headline linked to its
// article and the outlet after it, one a line, within budget runes: at
// most maxCoverage, then "+N" for the ones left (the JSON has them all).
func coverageLinks(cs []Report, t tr, budget int) string {
	var lines []string
	used := 0
	for i, c := range cs {
		more := fmt.Sprintf("+%d", len(cs)-i)
		if i == maxCoverage {
			lines = append(lines, more)
			break
		}
		title, src := fitEscaped(c.Title, 100), t.paren(fitEscaped(c.Source, 60))
		line := title + src
		if u := safeURL(c.URL); u != "" {
			if linked := "[" + linkText(c.Title, 100) + "](" + u + ")" + src; used+utf8.RuneCountInString(linked)+len(more)+2 <= budget {
				line = linked
			}
		}
		n := utf8.RuneCountInString(line) + 1
		if used+n+len(more)+1 > budget {
			lines = append(lines, more)
			break
		}
		lines = append(lines, line)
		used += n
	}
	return strings.Join(lines, "\n")
}

// sourceLinks lists the outlets that carried the story, each a link to its
// own article, within budget characters (a link that does not fit is
// left as a plain name); at most 8, then "+N".
func sourceLinks(s Story, budget int) string {
	var parts []string
	used := 0
	for i, src := range s.Sources {
		more := fmt.Sprintf("+%d", len(s.Sources)-i)
		if i == 8 {
			parts = append(parts, more)
			break
		}
		name := fitEscaped(src.Name, 80)
		if u := safeURL(src.URL); u != "" && used+utf8.RuneCountInString(name)+len(u)+4+len(more)+3 <= budget {
			name = "[" + linkText(src.Name, 80) + "](" + u + ")"
		}
		n := utf8.RuneCountInString(name) + 3
		if used+n+len(more)+3 > budget {
			parts = append(parts, more)
			break
		}
		parts = append(parts, name)
		used += n
	}
	return strings.Join(parts, " · ")
}

// fitEscaped escapes s and makes it fit max runes, shortening the text
// (never an escape sequence) and ending with an ellipsis when it had to.
func fitEscaped(s string, max int) string {
	for n := max; n > 1; n -= max/10 + 1 {
		if e := escape(text.ClipWords(s, n)); utf8.RuneCountInString(e) <= max {
			return e
		}
	}
	return text.Ellipsis
}

// linkText makes feed text fit to be a masked link's text, within max
// runes. Discord shows a backslash escape inside a masked link as it is
// (escaping is off there: "[Report \(1\)](…)" reads "Report \(1\)"), so
// the text is not escaped; brackets, which would end the link, become
// full-width ones, a line break a space, and mentions are broken up with a
// zero-width space as escape does (allowed_mentions stops pings anyway).
func linkText(s string, max int) string {
	for n := max; n > 1; n -= max/10 + 1 {
		if t := linkRunes(text.ClipWords(text.OneLine(s), n)); utf8.RuneCountInString(t) <= max {
			return t
		}
	}
	return text.Ellipsis
}

func linkRunes(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '[':
			r = '［'
		case ']':
			r = '］'
		case '\\':
			r = '＼'
		case '@', '<':
			b.WriteRune(r)
			r = '\u200b'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Escape is escape for other packages' messages (the bot's replies).
func Escape(s string) string { return escape(s) }

// escape neutralizes Discord markdown, masked links and mentions in feed
// text. allowed_mentions already stops pings; this also stops the text
// from looking like one.
func escape(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i, r := range s {
		switch r {
		case '\\', '*', '_', '~', '`', '|', '>', '[', ']', '(', ')', '#', '-':
			if r == '-' && !(i == 0 || s[i-1] == '\n') {
				break // only a leading dash makes a list
			}
			if r == '#' && !(i == 0 || s[i-1] == '\n') {
				break // only a leading hash makes a heading
			}
			b.WriteByte('\\')
		case '@':
			b.WriteRune(r)
			b.WriteRune('\u200b') // "@everyone" no longer reads as a mention
			continue
		case '<':
			b.WriteRune(r)
			b.WriteRune('\u200b') // nor "<@123>", "<#123>", "<@&123>"
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
