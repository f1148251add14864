package digest

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Discord's hard limits (docs: Create Message, Embed Limits, Components).
const (
	MaxContent        = 2000
	MaxEmbeds         = 10
	MaxEmbedTotal     = 6000
	MaxEmbedTitle     = 256
	MaxEmbedDesc      = 4096
	MaxFields         = 25
	MaxFieldName      = 256
	MaxFieldValue     = 1024
	MaxFooter         = 2048
	MaxActionRows     = 5
	MaxButtonsPerRow  = 5
	MaxCustomID       = 100
	MaxButtonLabel    = 80
	storiesPerMessage = MaxActionRows // one row of buttons per story
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
}

// Embed is a Discord embed.
type Embed struct {
	Title       string       `json:"title,omitempty"`
	URL         string       `json:"url,omitempty"`
	Description string       `json:"description,omitempty"`
	Color       int          `json:"color,omitempty"`
	Fields      []EmbedField `json:"fields,omitempty"`
	Footer      *EmbedFooter `json:"footer,omitempty"`
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

// Discord renders the digest as messages to post in order. Every message
// respects every limit above; a long digest is split at story boundaries;
// feed text is escaped so it cannot format, link or mention; anything
// shortened ends with an ellipsis and keeps its link.
func Discord(d *Digest) []Message {
	t := texts(d.Language)
	header := "**" + fitEscaped(d.Title, 300) + "**"
	if d.Empty() {
		return []Message{{Content: header + "\n" + escape(t.empty), AllowedMentions: NoMentions()}}
	}
	var out []Message
	first := true
	for _, sec := range d.Sections {
		content := "__**" + escape(sec.Title) + "**__"
		if len(sec.Prompts) > 0 {
			content += " — " + t.talk + ": " + strings.Join(sec.Prompts, " · ")
		}
		if sec.Omitted > 0 {
			content += "\n*" + fmt.Sprintf(t.more, sec.Omitted, sectionWord(sec, t)) + "*"
		}
		if first {
			content = header + "\n" + content
			first = false
		}
		content = clip(content, MaxContent)
		msg := Message{Content: content, AllowedMentions: NoMentions()}
		total := 0
		for _, s := range sec.Stories {
			e := storyEmbed(s, sec.Key, t)
			n := embedLen(e)
			if len(msg.Embeds) == storiesPerMessage || total+n > MaxEmbedTotal {
				out = append(out, msg)
				msg, total = Message{AllowedMentions: NoMentions()}, 0
			}
			msg.Embeds = append(msg.Embeds, e)
			msg.Components = append(msg.Components, storyButtons(s))
			total += n
		}
		out = append(out, msg)
	}
	return out
}

func storyEmbed(s Story, k SectionKey, t tr) Embed {
	e := Embed{Title: fitEscaped(s.Title, MaxEmbedTitle), URL: safeURL(s.URL), Color: sectionColor(k)}
	meta := escape(plainSources(s, t)) + "\n" + verdictText(s) + " · " + t.id + " `" + s.ID + "`"
	// The summary gets what the metadata leaves of a quarter of the
	// message budget, so five stories always fit in one message.
	room := min(MaxEmbedDesc, MaxEmbedTotal/storiesPerMessage-utf8.RuneCountInString(e.Title)) - utf8.RuneCountInString(meta) - 2
	if room < 20 {
		meta = clip(meta, MaxEmbedTotal/storiesPerMessage-utf8.RuneCountInString(e.Title)-2)
		e.Description = meta
		return e
	}
	desc := ""
	if s.Summary != "" {
		desc = fitEscaped(s.Summary, room) + "\n"
	}
	e.Description = desc + meta
	return e
}

func embedLen(e Embed) int {
	n := utf8.RuneCountInString(e.Title) + utf8.RuneCountInString(e.Description)
	for _, f := range e.Fields {
		n += utf8.RuneCountInString(f.Name) + utf8.RuneCountInString(f.Value)
	}
	if e.Footer != nil {
		n += utf8.RuneCountInString(e.Footer.Text)
	}
	return n
}

// storyButtons re-tag the story's lead item and pick it. custom_id is
// "tag:LABEL:ITEMID" or "pick:ITEMID", well under 100 characters.
func storyButtons(s Story) ActionRow {
	row := ActionRow{Type: 1}
	for _, l := range []string{"research", "product", "other"} {
		style := StyleSecondary
		if string(s.Label) == l {
			style = StylePrimary
		}
		row.Components = append(row.Components, Button{Type: 2, Style: style, Label: l, CustomID: clipID("tag:" + l + ":" + s.ID)})
	}
	pick := "pick"
	if s.Picked {
		pick = "unpick"
	}
	row.Components = append(row.Components, Button{Type: 2, Style: StyleSuccess, Label: pick, CustomID: clipID(pick + ":" + s.ID)})
	return row
}

func clipID(s string) string {
	if len(s) > MaxCustomID {
		return s[:MaxCustomID]
	}
	return s
}

// fitEscaped escapes s and makes it fit max runes, shortening the text
// (never an escape sequence) and ending with an ellipsis when it had to.
func fitEscaped(s string, max int) string {
	for n := max; n > 1; n -= max/10 + 1 {
		if e := escape(clip(s, n)); utf8.RuneCountInString(e) <= max {
			return e
		}
	}
	return "…"
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
