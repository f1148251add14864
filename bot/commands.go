package bot

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
	"github.com/triagebot/triagebot/digest"
	"github.com/triagebot/triagebot/news"
)

// who may run a command, checked on the server side for every interaction
// (default_member_permissions only hides commands in the client).
type access int

const (
	anyone access = iota
	hostOnly
	managerOnly // Manage Server
)

// command is one slash command: its definition as data and its handler.
type command struct {
	def    *discordgo.ApplicationCommand
	who    access
	slow   bool // answer with a deferred response first, then follow up
	hidden bool // the answer is ephemeral
	run    func(b *Bot, ic *discordgo.InteractionCreate) (*reply, error)
}

// reply is a handler's answer: text, and digest messages to follow.
type reply struct {
	content string
	msgs    []digest.Message
	file    *discordgo.File
}

var nameRE = regexp.MustCompile(`^[-_\p{L}\p{N}]{1,32}$`)

func manageServer() *int64 {
	p := int64(discordgo.PermissionManageGuild)
	return &p
}

func (b *Bot) commands() []command {
	label := &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: "label", Description: "research, product or other", Required: true,
		Choices: []*discordgo.ApplicationCommandOptionChoice{{Name: "research", Value: "research"}, {Name: "product", Value: "product"}, {Name: "other", Value: "other"}}}
	item := func() *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: "item", Description: "type words of the title (or an item id or link)", Required: true, Autocomplete: true}
	}
	feedName := &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: "name", Description: "the feed's name", Required: true}
	return []command{
		{def: &discordgo.ApplicationCommand{Name: "subscribe", Description: "Post the weekly AI news digest in this channel", DefaultMemberPermissions: manageServer(),
			Options: []*discordgo.ApplicationCommandOption{{Type: discordgo.ApplicationCommandOptionString, Name: "sections", Description: "which sections (default: all)",
				Choices: []*discordgo.ApplicationCommandOptionChoice{{Name: "all", Value: "all"}, {Name: "research", Value: "research"}, {Name: "product", Value: "product"}, {Name: "other", Value: "other"}, {Name: "research and product", Value: "research,product"}}}}},
			who: managerOnly, run: (*Bot).cmdSubscribe},
		{def: &discordgo.ApplicationCommand{Name: "unsubscribe", Description: "Stop the weekly digest in this channel", DefaultMemberPermissions: manageServer()},
			who: managerOnly, run: (*Bot).cmdUnsubscribe},
		{def: &discordgo.ApplicationCommand{Name: "digest", Description: "Post the digest now, or for a past week",
			Options: []*discordgo.ApplicationCommandOption{{Type: discordgo.ApplicationCommandOptionString, Name: "week", Description: "an ISO week like 2026-W48 (default: this week so far)"}}},
			slow: true, run: (*Bot).cmdDigest},
		{def: &discordgo.ApplicationCommand{Name: "tag", Description: "Label an item research, product or other; the classifier learns from it",
			Options: []*discordgo.ApplicationCommandOption{item(), label}}, who: hostOnly, hidden: true, run: (*Bot).cmdTag},
		{def: &discordgo.ApplicationCommand{Name: "pick", Description: "Pick an item for the episode",
			Options: []*discordgo.ApplicationCommandOption{item()}}, who: hostOnly, hidden: true, run: (*Bot).cmdPick},
		{def: &discordgo.ApplicationCommand{Name: "episode", Description: "The picked stories by section, with the show notes attached"},
			slow: true, run: (*Bot).cmdEpisode},
		{def: &discordgo.ApplicationCommand{Name: "feeds", Description: "Manage the feeds", DefaultMemberPermissions: manageServer(),
			Options: []*discordgo.ApplicationCommandOption{
				{Type: discordgo.ApplicationCommandOptionSubCommand, Name: "add", Description: "Add a feed", Options: []*discordgo.ApplicationCommandOption{
					feedName,
					{Type: discordgo.ApplicationCommandOptionString, Name: "url", Description: "the feed's http(s) URL", Required: true},
					{Type: discordgo.ApplicationCommandOptionString, Name: "kind", Description: "paper, news or blog", Required: true,
						Choices: []*discordgo.ApplicationCommandOptionChoice{{Name: "paper", Value: "paper"}, {Name: "news", Value: "news"}, {Name: "blog", Value: "blog"}}},
					{Type: discordgo.ApplicationCommandOptionNumber, Name: "weight", Description: "ranking weight, 0 to 10 (default 1)"},
				}},
				{Type: discordgo.ApplicationCommandOptionSubCommand, Name: "remove", Description: "Remove a feed (its items stay)", Options: []*discordgo.ApplicationCommandOption{feedName}},
				{Type: discordgo.ApplicationCommandOptionSubCommand, Name: "enable", Description: "Re-enable a disabled feed", Options: []*discordgo.ApplicationCommandOption{feedName}},
				{Type: discordgo.ApplicationCommandOptionSubCommand, Name: "list", Description: "List the feeds and their health"},
			}}, who: managerOnly, hidden: true, run: (*Bot).cmdFeeds},
		{def: &discordgo.ApplicationCommand{Name: "status", Description: "Feed health, last poll, next digest, paused channels"},
			hidden: true, run: (*Bot).cmdStatus},
	}
}

// checkCommands enforces Discord's rules on names and descriptions before
// anything is sent, and rejects duplicate names.
func checkCommands(cmds []command) error {
	seen := map[string]bool{}
	var check func(name, desc string, opts []*discordgo.ApplicationCommandOption) error
	check = func(name, desc string, opts []*discordgo.ApplicationCommandOption) error {
		if !nameRE.MatchString(name) || strings.ToLower(name) != name {
			return fmt.Errorf("bot: command or option name %q breaks ^[-_\\p{L}\\p{N}]{1,32}$ lowercase", name)
		}
		if n := utf8.RuneCountInString(desc); n < 1 || n > 100 {
			return fmt.Errorf("bot: description of %q has %d characters; 1-100 allowed", name, n)
		}
		if len(opts) > 25 {
			return fmt.Errorf("bot: %q has more than 25 options", name)
		}
		for _, o := range opts {
			if len(o.Choices) > 25 {
				return fmt.Errorf("bot: option %q has more than 25 choices", o.Name)
			}
			if err := check(o.Name, o.Description, o.Options); err != nil {
				return err
			}
		}
		return nil
	}
	for _, c := range cmds {
		if seen[c.def.Name] {
			return fmt.Errorf("bot: command %q defined twice", c.def.Name)
		}
		seen[c.def.Name] = true
		if err := check(c.def.Name, c.def.Description, c.def.Options); err != nil {
			return err
		}
	}
	return nil
}

// refusal is an error whose text is the answer to the user.
type refusal struct{ msg string }

func (r refusal) Error() string { return r.msg }

func refuse(format string, args ...any) error { return refusal{fmt.Sprintf(format, args...)} }

func (b *Bot) onInteraction(_ *discordgo.Session, ic *discordgo.InteractionCreate) {
	b.Metrics.Interactions.Add(1)
	switch ic.Type {
	case discordgo.InteractionApplicationCommand:
		b.onCommand(ic)
	case discordgo.InteractionApplicationCommandAutocomplete:
		b.onAutocomplete(ic)
	case discordgo.InteractionMessageComponent:
		b.onButton(ic)
	}
}

func (b *Bot) onCommand(ic *discordgo.InteractionCreate) {
	name := ic.ApplicationCommandData().Name
	var cmd *command
	for i := range b.cmds {
		if b.cmds[i].def.Name == name {
			cmd = &b.cmds[i]
		}
	}
	if cmd == nil {
		b.answer(ic, false, true, &reply{content: "Unknown command. The bot's commands may be updating; try again in a minute."})
		return
	}
	if err := b.allowed(ic, cmd.who); err != nil {
		b.answer(ic, false, true, &reply{content: err.Error()})
		return
	}
	deferred := false
	if cmd.slow {
		// Discord wants an answer within 3 seconds; building a digest may
		// take longer, so acknowledge first and follow up.
		err := b.s.InteractionRespond(ic.Interaction, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{Flags: flags(cmd.hidden)}})
		if err != nil {
			b.discordErr("defer", err)
			return
		}
		deferred = true
	}
	r, err := cmd.run(b, ic)
	if err != nil {
		var ref refusal
		msg := err.Error()
		if !errors.As(err, &ref) {
			b.log.Error("command failed", "command", name, "err", redact(err, b.o.Token))
			msg = "Something went wrong: " + msg
		}
		b.answer(ic, deferred, true, &reply{content: msg})
		return
	}
	b.answer(ic, deferred, cmd.hidden, r)
}

func flags(ephemeral bool) discordgo.MessageFlags {
	if ephemeral {
		return discordgo.MessageFlagsEphemeral
	}
	return 0
}

func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// answer is the one path every reply takes: the first text as the
// interaction's response (or the edit of the deferred one), digest
// messages and a file as follow-ups. Every message mentions nobody.
func (b *Bot) answer(ic *discordgo.InteractionCreate, deferred, ephemeral bool, r *reply) {
	content := clipText(r.content, digest.MaxContent)
	var err error
	if deferred {
		_, err = b.s.InteractionResponseEdit(ic.Interaction, &discordgo.WebhookEdit{Content: &content, AllowedMentions: noMentions()})
	} else {
		err = b.s.InteractionRespond(ic.Interaction, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{Content: content, Flags: flags(ephemeral), AllowedMentions: noMentions()}})
	}
	if err != nil {
		b.discordErr("respond", err)
		return
	}
	for _, m := range r.msgs {
		if ephemeral {
			// Follow-ups carry their own flags.
			m2 := struct {
				digest.Message
				Flags discordgo.MessageFlags `json:"flags,omitempty"`
			}{m, discordgo.MessageFlagsEphemeral}
			_, err = b.s.RequestWithBucketID("POST", discordgo.EndpointFollowupMessage(ic.AppID, ic.Token)+"?wait=true", m2, discordgo.EndpointFollowupMessage(ic.AppID, ""))
		} else {
			_, err = b.s.RequestWithBucketID("POST", discordgo.EndpointFollowupMessage(ic.AppID, ic.Token)+"?wait=true", m, discordgo.EndpointFollowupMessage(ic.AppID, ""))
		}
		if err != nil {
			b.discordErr("follow-up", err)
			return
		}
		b.Metrics.MessagesSent.Add(1)
	}
	if r.file != nil {
		_, err = b.s.FollowupMessageCreate(ic.Interaction, true, &discordgo.WebhookParams{Files: []*discordgo.File{r.file}, AllowedMentions: noMentions(), Flags: flags(ephemeral)})
		if err != nil {
			b.discordErr("attachment", err)
		}
	}
}

func (b *Bot) discordErr(what string, err error) {
	b.Metrics.DiscordErrors.Add(1)
	b.log.Warn("discord request failed", "what", what, "err", redact(err, b.o.Token))
}

func clipText(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// allowed checks the member's permissions as the interaction reports
// them: Discord hides commands by default_member_permissions, but a
// server can override that, so the bot checks again.
func (b *Bot) allowed(ic *discordgo.InteractionCreate, who access) error {
	switch who {
	case managerOnly:
		if ic.Member == nil {
			return refuse("Use this command in a server channel, not in a direct message.")
		}
		if ic.Member.Permissions&(discordgo.PermissionManageGuild|discordgo.PermissionAdministrator) == 0 {
			return refuse("You need the Manage Server permission for this command.")
		}
	case hostOnly:
		if len(b.o.Hosts) == 0 && len(b.o.HostRoles) == 0 {
			return nil
		}
		u := user(ic)
		for _, h := range b.o.Hosts {
			if u != nil && u.ID == h {
				return nil
			}
		}
		if ic.Member != nil {
			for _, r := range ic.Member.Roles {
				for _, h := range b.o.HostRoles {
					if r == h {
						return nil
					}
				}
			}
		}
		return refuse("Only the show's hosts can tag and pick items here (see discord.hosts and discord.host_roles in the config).")
	}
	return nil
}

func user(ic *discordgo.InteractionCreate) *discordgo.User {
	if ic.Member != nil && ic.Member.User != nil {
		return ic.Member.User
	}
	return ic.User
}

func userName(ic *discordgo.InteractionCreate) string {
	if ic.Member != nil && ic.Member.Nick != "" {
		return ic.Member.Nick
	}
	if u := user(ic); u != nil {
		if u.GlobalName != "" {
			return u.GlobalName
		}
		return u.Username
	}
	return "someone"
}

func option(opts []*discordgo.ApplicationCommandInteractionDataOption, name string) *discordgo.ApplicationCommandInteractionDataOption {
	for _, o := range opts {
		if o.Name == name {
			return o
		}
	}
	return nil
}

func optString(opts []*discordgo.ApplicationCommandInteractionDataOption, name string) string {
	if o := option(opts, name); o != nil {
		if s, ok := o.Value.(string); ok {
			return strings.TrimSpace(s)
		}
	}
	return ""
}

func (b *Bot) cmdSubscribe(ic *discordgo.InteractionCreate) (*reply, error) {
	sec := optString(ic.ApplicationCommandData().Options, "sections")
	var sections []string
	if sec != "" && sec != "all" {
		sections = strings.Split(sec, ",")
	}
	err := b.b.Subscribe(news.Subscription{ChannelID: ic.ChannelID, GuildID: ic.GuildID, Sections: sections, CreatedBy: userName(ic)})
	if err != nil {
		return nil, err
	}
	what := "the weekly digest"
	if len(sections) > 0 {
		what = "the " + strings.Join(sections, " and ") + " part of the weekly digest"
	}
	return &reply{content: fmt.Sprintf("This channel will get %s every %s at %02d:%02d (%s), in a thread per week where the channel allows threads. `/digest` shows one now.",
		what, b.o.Weekday, int(b.o.Clock.Hours()), int(b.o.Clock.Minutes())%60, b.o.Location)}, nil
}

func (b *Bot) cmdUnsubscribe(ic *discordgo.InteractionCreate) (*reply, error) {
	if err := b.b.Unsubscribe(ic.ChannelID); err != nil {
		return nil, refuse("This channel is not subscribed.")
	}
	return &reply{content: "This channel will no longer get the weekly digest."}, nil
}

func (b *Bot) cmdDigest(ic *discordgo.InteractionCreate) (*reply, error) {
	week := strings.ToUpper(optString(ic.ApplicationCommandData().Options, "week"))
	d, err := b.b.WeekDigest(week)
	if err != nil {
		return nil, refuse("%s", strings.TrimPrefix(err.Error(), "digest: "))
	}
	msgs := digest.Discord(d)
	return &reply{content: fmt.Sprintf("%s: %d stories from %d items.", d.Title, d.StoryCount, d.ItemCount), msgs: msgs}, nil
}

func (b *Bot) cmdTag(ic *discordgo.InteractionCreate) (*reply, error) {
	opts := ic.ApplicationCommandData().Options
	l, err := news.ParseLabel(optString(opts, "label"))
	if err != nil {
		return nil, refuse("Choose research, product or other.")
	}
	it, err := b.b.Tag(optString(opts, "item"), l, userName(ic))
	if err != nil {
		return nil, refuse("No item matches that; pick one from the list as you type.")
	}
	return &reply{content: fmt.Sprintf("Tagged `%s` as **%s**: %s. The classifier learned from it.", it.ID, l, digest.Escape(it.Title))}, nil
}

func (b *Bot) cmdPick(ic *discordgo.InteractionCreate) (*reply, error) {
	it, err := b.b.Pick(optString(ic.ApplicationCommandData().Options, "item"), true, userName(ic))
	if err != nil {
		return nil, refuse("No item matches that; pick one from the list as you type.")
	}
	return &reply{content: fmt.Sprintf("Picked `%s` for the episode: %s.", it.ID, digest.Escape(it.Title))}, nil
}

func (b *Bot) cmdEpisode(ic *discordgo.InteractionCreate) (*reply, error) {
	d, err := b.b.Episode()
	if err != nil {
		return nil, err
	}
	if d.Empty() {
		return &reply{content: "Nothing is picked for the episode yet. Use `/pick` or the pick buttons on the digest."}, nil
	}
	md := digest.Markdown(d)
	return &reply{
		content: fmt.Sprintf("Episode rundown: %d picked stories. Show notes attached.", d.StoryCount),
		msgs:    digest.Discord(d),
		file:    &discordgo.File{Name: "show-notes-" + d.Week + ".md", ContentType: "text/markdown", Reader: strings.NewReader(md)},
	}, nil
}

func (b *Bot) cmdFeeds(ic *discordgo.InteractionCreate) (*reply, error) {
	data := ic.ApplicationCommandData()
	if len(data.Options) == 0 {
		return nil, refuse("Choose add, remove, enable or list.")
	}
	sub := data.Options[0]
	switch sub.Name {
	case "add":
		f := news.Feed{Name: optString(sub.Options, "name"), URL: optString(sub.Options, "url"), Kind: news.Kind(optString(sub.Options, "kind"))}
		if o := option(sub.Options, "weight"); o != nil {
			if w, ok := o.Value.(float64); ok {
				f.Weight = w
			}
		}
		if err := b.b.AddFeed(f); err != nil {
			return nil, refuse("Not added: %s", strings.TrimPrefix(err.Error(), "store: "))
		}
		return &reply{content: fmt.Sprintf("Added **%s** (%s). It is polled within the minute.", digest.Escape(f.Name), f.Kind)}, nil
	case "remove":
		name := optString(sub.Options, "name")
		fromConfig, err := b.b.RemoveFeed(name)
		if err != nil {
			return nil, refuse("No feed is named %q; see `/feeds list`.", name)
		}
		msg := fmt.Sprintf("Removed **%s**; its items stay.", digest.Escape(name))
		if fromConfig {
			msg += " It is also listed in the config file; remove it there too."
		}
		return &reply{content: msg}, nil
	case "enable":
		name := optString(sub.Options, "name")
		if err := b.b.EnableFeed(name); err != nil {
			return nil, refuse("No feed is named %q; see `/feeds list`.", name)
		}
		return &reply{content: fmt.Sprintf("Enabled **%s**; it is polled within the minute.", digest.Escape(name))}, nil
	case "list":
		recs, err := b.b.Feeds()
		if err != nil {
			return nil, err
		}
		var sb strings.Builder
		for _, r := range recs {
			status := r.Health()
			line := fmt.Sprintf("• **%s** (%s) — %s\n", digest.Escape(r.Name), r.Kind, digest.Escape(clipText(status, 120)))
			if sb.Len()+len(line) > digest.MaxContent-40 {
				fmt.Fprintf(&sb, "… and more; `triagebot feeds list` shows all.")
				break
			}
			sb.WriteString(line)
		}
		if sb.Len() == 0 {
			sb.WriteString("No feeds. Add one with `/feeds add`.")
		}
		return &reply{content: sb.String()}, nil
	}
	return nil, refuse("Choose add, remove, enable or list.")
}

func (b *Bot) cmdStatus(ic *discordgo.InteractionCreate) (*reply, error) {
	st, err := b.b.Status()
	if err != nil {
		return nil, err
	}
	next := NextDue(b.o.Now(), b.o.Location, b.o.Weekday, b.o.Clock)
	var sb strings.Builder
	fmt.Fprintf(&sb, "**Feeds**: %d, %d failing, %d disabled. **Items**: %d.\n", st.Feeds, st.Failing, st.Disabled, st.Items)
	if st.LastPoll.IsZero() {
		sb.WriteString("**Last poll**: not yet.\n")
	} else {
		fmt.Fprintf(&sb, "**Last poll**: <t:%d:R>.\n", st.LastPoll.Unix())
	}
	fmt.Fprintf(&sb, "**Next digest**: <t:%d:F>. **Subscribed channels**: %d (%d paused). **Digests posted**: %d.\n", next.Unix(), st.Subscriptions, st.Paused, st.PostsDone)
	for _, f := range st.FailingFeeds {
		why := f.State.LastError
		if f.State.Disabled {
			why = "disabled: " + f.State.DisabledWhy
		}
		fmt.Fprintf(&sb, "• %s — %s\n", digest.Escape(f.Name), digest.Escape(clipText(why, 150)))
	}
	for _, p := range st.PausedWhy {
		fmt.Fprintf(&sb, "• paused %s\n", p)
	}
	return &reply{content: sb.String()}, nil
}

func (b *Bot) onAutocomplete(ic *discordgo.InteractionCreate) {
	var q string
	for _, o := range ic.ApplicationCommandData().Options {
		if o.Focused {
			q, _ = o.Value.(string)
		}
	}
	items, err := b.b.Search(q, 25)
	if err != nil {
		b.log.Warn("autocomplete search failed", "err", err)
	}
	choices := make([]*discordgo.ApplicationCommandOptionChoice, 0, len(items))
	for _, it := range items {
		choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: clipText(it.Title, 100), Value: it.ID})
	}
	err = b.s.InteractionRespond(ic.Interaction, &discordgo.InteractionResponse{Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: choices}})
	if err != nil {
		b.discordErr("autocomplete", err)
	}
}

// onButton handles the digest's buttons: re-tag or (un)pick the story's
// lead item, then update that message's buttons in place.
func (b *Bot) onButton(ic *discordgo.InteractionCreate) {
	id := ic.MessageComponentData().CustomID
	parts := strings.Split(id, ":")
	if err := b.allowed(ic, hostOnly); err != nil {
		b.answer(ic, false, true, &reply{content: err.Error()})
		return
	}
	var err error
	var itemID string
	switch {
	case len(parts) == 3 && parts[0] == "tag":
		itemID = parts[2]
		var l news.Label
		if l, err = news.ParseLabel(parts[1]); err == nil {
			_, err = b.b.Tag(itemID, l, userName(ic))
		}
	case len(parts) == 2 && (parts[0] == "pick" || parts[0] == "unpick"):
		itemID = parts[1]
		_, err = b.b.Pick(itemID, parts[0] == "pick", userName(ic))
	default:
		err = errors.New("unknown button")
	}
	if err != nil {
		b.answer(ic, false, true, &reply{content: "That item is no longer in the store; nothing changed."})
		return
	}
	rows := updatedButtons(ic.Message, parts, itemID)
	body := map[string]any{"type": discordgo.InteractionResponseUpdateMessage, "data": map[string]any{"components": rows}}
	if _, err := b.s.RequestWithBucketID("POST", discordgo.EndpointInteractionResponse(ic.ID, ic.Token), body, discordgo.EndpointInteractionResponse(ic.ID, "")); err != nil {
		b.discordErr("button update", err)
	}
}

// updatedButtons rebuilds a digest message's button rows with the clicked
// story's row showing the new state.
func updatedButtons(m *discordgo.Message, parts []string, itemID string) []digest.ActionRow {
	var rows []digest.ActionRow
	if m == nil {
		return rows
	}
	raw, _ := json.Marshal(m.Components)
	_ = json.Unmarshal(raw, &rows) // the same JSON shape Discord uses
	for r := range rows {
		mine := false
		for _, btn := range rows[r].Components {
			if strings.HasSuffix(btn.CustomID, ":"+itemID) {
				mine = true
			}
		}
		if !mine {
			continue
		}
		for k := range rows[r].Components {
			btn := &rows[r].Components[k]
			switch {
			case parts[0] == "tag" && strings.HasPrefix(btn.CustomID, "tag:"):
				btn.Style = digest.StyleSecondary
				if btn.CustomID == strings.Join(parts, ":") {
					btn.Style = digest.StylePrimary
				}
			case parts[0] == "pick" && btn.CustomID == "pick:"+itemID:
				btn.Label, btn.CustomID = "unpick", "unpick:"+itemID
			case parts[0] == "unpick" && btn.CustomID == "unpick:"+itemID:
				btn.Label, btn.CustomID = "pick", "pick:"+itemID
			}
		}
	}
	return rows
}
