package bot

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
	"github.com/triagebot/triagebot/digest"
	"github.com/triagebot/triagebot/internal/text"
	"github.com/triagebot/triagebot/news"
	"github.com/triagebot/triagebot/service"
	"github.com/triagebot/triagebot/store"
)

// storyState is what a story's message shows for its lead item now.
func storyState(it news.Item) digest.StoryState {
	return digest.StoryState{ID: it.ID, Label: it.Effective(), Tagged: it.Tag != "", TaggedBy: it.TaggedBy, PickedBy: service.PickersOf(it)}
}

// restyle puts an item's current state on a story message: the footer of
// its embed and its button row. Everything else (title, summary, sources,
// time) stays as posted.
func restyle(lang string, embeds []digest.Embed, it news.Item) ([]digest.Embed, []digest.ActionRow) {
	st := storyState(it)
	out := slices.Clone(embeds)
	if len(out) > 0 {
		out[0].Footer = &digest.EmbedFooter{Text: digest.StoryFooter(lang, st)}
	}
	return out, []digest.ActionRow{digest.StoryRow(lang, st)}
}

// restyleClicked is restyle for the clicked message. A message posted
// before stories had a message each holds several stories: there only the
// clicked story's row changes, and no footer (which embed is whose would
// be a guess).
func (b *Bot) restyleClicked(m *discordgo.Message, it news.Item) ([]digest.Embed, []digest.ActionRow) {
	var embeds []digest.Embed
	var rows []digest.ActionRow
	if m != nil {
		raw, _ := json.Marshal(m.Embeds)
		_ = json.Unmarshal(raw, &embeds) // the same JSON shape Discord uses
		raw, _ = json.Marshal(m.Components)
		_ = json.Unmarshal(raw, &rows)
	}
	if len(embeds) <= 1 {
		return restyle(b.b.Language(), embeds, it)
	}
	mine := digest.StoryRow(b.b.Language(), storyState(it))
	for i, r := range rows {
		for _, btn := range r.Components {
			if id, err := digest.ParseButtonID(btn.CustomID); err == nil && id.Ref == it.ID {
				rows[i] = mine
				break
			}
		}
	}
	return embeds, rows
}

// onButton handles a story's buttons: re-tag (click the current tag again
// to take it back), pick (again to take your pick back), details; and the
// full-week button. A tag or pick updates the story's own message, so the
// co-host sees who did what.
func (b *Bot) onButton(ic *discordgo.InteractionCreate) {
	l := b.localeLang(ic)
	id, err := digest.ParseButtonID(ic.MessageComponentData().CustomID)
	if err != nil {
		b.answer(ic, false, &reply{content: l.t(mGone)})
		return
	}
	if id.Action == digest.ActFullWeek {
		b.fullWeek(ic, l, id.Ref) // the week is for every listener
		return
	}
	if !b.isHost(ic) {
		b.answer(ic, false, &reply{content: l.t(mNotHost)})
		return
	}
	if id.Action == digest.ActDetails {
		b.details(ic, l, id)
		return
	}
	before, err := b.b.Describe(id.Ref)
	if err != nil {
		b.clickFailed(ic, l, id, err)
		return
	}
	var note string
	var it news.Item
	switch id.Action {
	case digest.ActTag:
		if before.Tag == id.Label {
			if _, err = b.b.Untag(id.Ref); err == nil {
				it, err = b.b.Describe(id.Ref)
				note = l.t(mUntagged, esc(it.Title), l.label(string(it.Effective())))
			}
		} else {
			var r service.TagResult
			if r, err = b.b.TagItem(id.Ref, id.Label, userName(ic)); err == nil {
				it = r.Item
				note = tagText(l, r)
			}
		}
	case digest.ActPick:
		on := !slices.Contains(service.PickersOf(before), userName(ic))
		it, err = b.b.Pick(id.Ref, on, userName(ic))
	}
	if err != nil {
		b.clickFailed(ic, l, id, err)
		return
	}
	embeds, rows := b.restyleClicked(ic.Message, it)
	if err := b.callback(ic, discordgo.InteractionResponseUpdateMessage, body{Embeds: embeds, Components: &rows}, nil); err != nil {
		b.discordErr("button update", err)
		return
	}
	if note != "" {
		m := message(note)
		m.Flags = ephemeralFlag
		if err := b.followup(ic, m, nil); err != nil {
			b.discordErr("button note", err)
		}
	}
}

// clickFailed answers a failed click by the error's kind: an item gone
// from the store is the user's news, anything else is ours to log.
func (b *Bot) clickFailed(ic *discordgo.InteractionCreate, l lang, id digest.ButtonID, err error) {
	if errors.Is(err, store.ErrNotFound) {
		b.answer(ic, false, &reply{content: l.t(mGone)})
		return
	}
	b.log.Error("button failed", "custom_id", id.Format(), "err", redact(err, b.o.Token))
	b.answer(ic, false, &reply{content: l.t(mWrong)})
}

// details shows a host, privately, what the public post leaves out.
func (b *Bot) details(ic *discordgo.InteractionCreate, l lang, id digest.ButtonID) {
	it, err := b.b.Describe(id.Ref)
	if err != nil {
		b.clickFailed(ic, l, id, err)
		return
	}
	how := "suggested"
	if l == "zh-TW" {
		how = "自動分類"
	}
	if it.Tag != "" {
		how = "tagged by " + esc(it.TaggedBy)
		if l == "zh-TW" {
			how = "由 " + esc(it.TaggedBy) + " 標記"
		}
	}
	v := it.Verdict
	if v == nil {
		v = &news.Verdict{}
	}
	why := ""
	if len(v.Reasons) > 0 {
		why = "\n" + esc(strings.Join(v.Reasons, "; "))
	}
	b.answer(ic, false, &reply{content: l.t(mDetails, esc(it.Title), it.ID, l.label(string(it.Effective())), how, l.label(string(v.Label)), v.Confidence, why)})
}

// fullWeek sends the whole week privately, as a Markdown file.
func (b *Bot) fullWeek(ic *discordgo.InteractionCreate, l lang, week string) {
	d, err := b.b.DigestIn(week, string(l), true)
	if err != nil {
		b.answer(ic, false, &reply{content: l.t(mBadWeek, esc(week))})
		return
	}
	b.answer(ic, false, &reply{content: l.t(mFullWeek, week), file: notesFile("digest-"+week+".md", digest.WeekNotes(d))})
}

// refreshStory updates the posted messages of the story led by an item
// (in this and last week's posts), after a /tag, /untag, /pick or
// /unpick: the message shows the same as after a click.
func (b *Bot) refreshStory(itemID string) {
	it, err := b.b.Describe(itemID)
	if err != nil {
		// The command already answered; the posted copy just stays as it was.
		b.log.Warn("story refresh failed", "item_id", itemID, "err", err)
		return
	}
	subs, err := b.b.Subscriptions()
	if err != nil {
		b.log.Warn("story refresh failed", "item_id", itemID, "err", err)
		return
	}
	now := b.o.Now()
	marker := []byte(`"` + digest.ButtonID{Action: digest.ActDetails, Ref: itemID}.Format() + `"`)
	for _, sub := range subs {
		for _, when := range []int{0, -7} {
			week, _, _ := digest.WeekOf(now.AddDate(0, 0, when), b.o.Location)
			p, ok, err := b.b.Post(sub.ChannelID, week)
			if err != nil {
				b.log.Warn("story refresh failed", "item_id", itemID, "channel_id", sub.ChannelID, "week", week, "err", err)
			}
			if err != nil || !ok {
				continue
			}
			for i, raw := range p.Bodies {
				if p.MessageIDs[i] == "" || !strings.Contains(string(raw), string(marker)) {
					continue
				}
				var m digest.Message
				if json.Unmarshal(raw, &m) != nil {
					continue
				}
				embeds, rows := restyle(b.b.Language(), m.Embeds, it)
				target := p.Target(i)
				url := discordgo.EndpointChannelMessage(target, p.MessageIDs[i])
				if _, err := b.s.RequestWithBucketID("PATCH", url, body{Embeds: embeds, Components: &rows}, discordgo.EndpointChannelMessages(target)); err != nil {
					b.discordErr("story refresh", err)
				}
			}
		}
	}
}

// choice is an autocomplete choice as Discord takes it.
type choiceJSON struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// onAutocomplete answers item searches (tag, pick, …) and feed names
// (feeds remove, enable). It always sends "choices", [] when nothing
// matches.
func (b *Bot) onAutocomplete(ic *discordgo.InteractionCreate) {
	data := ic.ApplicationCommandData()
	opts := data.Options
	sub := ""
	if len(opts) == 1 && opts[0].Type == discordgo.ApplicationCommandOptionSubCommand {
		sub, opts = opts[0].Name, opts[0].Options
	}
	var q string
	for _, o := range opts {
		if o.Focused {
			q, _ = o.Value.(string)
		}
	}
	choices := []choiceJSON{}
	if data.Name == "feeds" && sub != "" {
		recs, err := b.b.Feeds()
		if err != nil {
			b.log.Warn("autocomplete feeds failed", "err", err)
		}
		for _, r := range recs {
			if len(choices) < 25 && (q == "" || strings.Contains(strings.ToLower(r.Name), strings.ToLower(strings.TrimSpace(q)))) {
				choices = append(choices, choiceJSON{Name: text.Clip(r.Name, 100), Value: text.Clip(r.Name, 100)})
			}
		}
	} else {
		items, err := b.b.Search(q, 25)
		if err != nil {
			b.log.Warn("autocomplete search failed", "err", err)
		}
		l := b.localeLang(ic)
		for _, it := range items {
			choices = append(choices, choiceJSON{Name: choiceName(l, it, b.o.Location), Value: it.ID})
		}
	}
	if err := b.callback(ic, discordgo.InteractionApplicationCommandAutocompleteResult, map[string]any{"choices": choices}, nil); err != nil {
		b.discordErr("autocomplete", err)
	}
}

// choiceName is "title · Nov 26 · The Verge" within Discord's 100
// characters: the title gives way, the date and source stay.
func choiceName(l lang, it news.Item, loc *time.Location) string {
	src := text.Clip(strings.TrimSpace(it.Source), 24)
	if src == "" {
		src = text.Clip(it.Feed, 24)
	}
	suffix := " · " + l.date(it.Published.In(loc))
	if src != "" {
		suffix += " · " + src
	}
	room := 100 - utf8.RuneCountInString(suffix)
	return text.Clip(text.OneLine(it.Title), room) + suffix
}
