package bot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
	"github.com/triagebot/triagebot/digest"
	"github.com/triagebot/triagebot/feeds"
	"github.com/triagebot/triagebot/internal/text"
	"github.com/triagebot/triagebot/news"
	"github.com/triagebot/triagebot/service"
	"github.com/triagebot/triagebot/store"
)

// esc is user or feed text made safe to quote in a reply.
func esc(s string) string { return digest.Escape(text.Clip(s, 200)) }

func (b *Bot) cmdSubscribe(ic *discordgo.InteractionCreate) (*reply, error) {
	l := b.localeLang(ic)
	// What the weekly post needs, as Discord computed it for this
	// channel (overwrites included): refuse now rather than pause later.
	if missing := l.missingPerms(ic.AppPermissions); len(missing) > 0 {
		return nil, refuse(l, mMissingPerms, l.list(missing))
	}
	opts := ic.ApplicationCommandData().Options
	sec := optString(opts, "sections")
	var sections []string
	if sec != "" && sec != "all" {
		sections = strings.Split(sec, ",")
	}
	role := ""
	if o := option(opts, "role"); o != nil {
		role, _ = o.Value.(string)
		if strings.Trim(role, "0123456789") != "" {
			role = "" // not a snowflake: Discord sends role ids only
		}
	}
	err := b.b.Subscribe(news.Subscription{ChannelID: ic.ChannelID, GuildID: ic.GuildID, Sections: sections, CreatedBy: userName(ic), MentionRole: role})
	if err != nil {
		return nil, err
	}
	msg := l.t(mSubscribed, l.weekday(b.o.Weekday), fmt.Sprintf("%02d:%02d", int(b.o.DueTime.Hours()), int(b.o.DueTime.Minutes())%60), b.o.Location)
	if role != "" {
		msg += l.t(mSubscribedRole, "<@&"+role+">")
	}
	return &reply{content: msg}, nil
}

func (b *Bot) cmdUnsubscribe(ic *discordgo.InteractionCreate) (*reply, error) {
	l := b.localeLang(ic)
	if err := b.b.Unsubscribe(ic.ChannelID); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, refuse(l, mNotSubscribed)
		}
		return nil, err
	}
	return &reply{content: l.t(mUnsubscribed)}, nil
}

// cmdDigest shows a week to the asker alone, or with public (hosts only)
// posts it in this channel through the same exactly-once ledger as the
// weekly post: asking twice never makes a second copy.
func (b *Bot) cmdDigest(ic *discordgo.InteractionCreate) (*reply, error) {
	l := b.localeLang(ic)
	opts := ic.ApplicationCommandData().Options
	text := optString(opts, "week")
	week, err := b.b.ResolveWeek(text)
	if errors.Is(err, service.ErrBadWeek) {
		return nil, refuse(l, mBadWeek, esc(text))
	}
	if err != nil {
		return nil, err
	}
	public := optBool(opts, "public")
	var d *digest.Digest
	if public {
		d, err = b.b.WeekDigest(week) // what everyone reads: digest.language
	} else {
		d, err = b.b.DigestIn(week, string(l), false) // what the asker reads: their language
	}
	if err != nil {
		return nil, err
	}
	if d.Empty() {
		return &reply{content: l.t(mEmptyWeek, week)}, nil
	}
	if public {
		if !b.isHost(ic) {
			return nil, refuse(l, mDigestPublicHosts)
		}
		// A week still running would take the ledger's one post with half
		// its news: the weekly post would then skip it.
		if due, _ := DueWeek(b.o.Now(), b.o.Location, b.o.Weekday, b.o.DueTime); week > due {
			return nil, refuse(l, mWeekRunning, week)
		}
		p, ok, err := b.b.Post(ic.ChannelID, week)
		if err != nil {
			return nil, err
		}
		if ok && p.Done {
			return &reply{content: l.t(mDigestAlready, week)}, nil
		}
		// A subscribed channel keeps its own settings (sections, role to
		// mention): this post counts as the week's one post there.
		sub := news.Subscription{ChannelID: ic.ChannelID, GuildID: ic.GuildID}
		subs, err := b.b.Subscriptions()
		if err != nil {
			return nil, err
		}
		if i := slices.IndexFunc(subs, func(s news.Subscription) bool { return s.ChannelID == ic.ChannelID }); i >= 0 {
			sub = subs[i]
		}
		if err := b.postWeek(context.Background(), sub, week); err != nil {
			return nil, err
		}
		return &reply{content: l.t(mDigestPosted, week)}, nil
	}
	all, err := b.b.DigestIn(week, string(l), true)
	if err != nil {
		return nil, err
	}
	head := l.t(mDigestPrivate, digest.Escape(digest.DiscordTitle(d)), d.StoryCount, d.ItemCount)
	return &reply{content: storyList(head, d.Sections), file: notesFile("digest-"+week+".md", digest.WeekNotes(all))}, nil
}

// storyList is head and then each section's stories, one line each,
// keeping only whole sections that fit one message (the attached notes
// hold everything). Counting bytes, not runes, errs on the short side.
func storyList(head string, secs []digest.Section) string {
	var sb strings.Builder
	sb.WriteString(head)
	for _, sec := range secs {
		if len(sec.Stories) == 0 {
			continue
		}
		part := "\n\n__**" + digest.Escape(sec.Title) + "**__"
		for _, s := range sec.Stories {
			part += "\n• " + storyLink(s)
		}
		if sb.Len()+len(part) > digest.MaxContent-50 {
			break
		}
		sb.WriteString(part)
	}
	return sb.String()
}

// storyLink is a story as one line: its title linked (without a preview
// card, <...>), and where it came from.
func storyLink(s digest.Story) string {
	t := digest.Escape(text.Clip(s.Title, 120))
	if u, err := url.Parse(s.URL); err == nil && (u.Scheme == "http" || u.Scheme == "https") && !strings.ContainsAny(s.URL, "<> ") {
		t = "[" + t + "](<" + s.URL + ">)"
	}
	if len(s.Sources) > 0 {
		t += " · " + digest.Escape(text.Clip(s.Sources[0].Name, 40))
	}
	return t
}

func notesFile(name, md string) *discordgo.File {
	return &discordgo.File{Name: name, ContentType: "text/markdown; charset=utf-8", Reader: strings.NewReader(md)}
}

func (b *Bot) cmdTag(ic *discordgo.InteractionCreate) (*reply, error) {
	l := b.localeLang(ic)
	opts := ic.ApplicationCommandData().Options
	label, err := news.ParseLabel(optString(opts, "label"))
	if err != nil {
		return nil, refuse(l, mBadLabel, esc(optString(opts, "label")))
	}
	r, err := b.b.TagItem(optString(opts, "item"), label, userName(ic))
	if err != nil {
		return nil, itemErr(l, err)
	}
	return &reply{content: tagText(l, r), after: func() { b.refreshStory(r.Item.ID) }}, nil
}

func tagText(l lang, r service.TagResult) string {
	msg := l.t(mTagged, esc(r.Item.Title), l.label(string(r.Item.Tag)))
	if r.Held {
		return msg + " " + l.t(mRelabelHeld, r.Relabelled, service.MaxRelabel)
	}
	return msg + " " + l.t(mRelabelled, r.Relabelled)
}

// itemErr turns a failed lookup into the right answer: a missing item is
// the user's to fix, anything else is ours.
func itemErr(l lang, err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return refuse(l, mNoItem)
	}
	return err
}

func (b *Bot) cmdUntag(ic *discordgo.InteractionCreate) (*reply, error) {
	l := b.localeLang(ic)
	ref := optString(ic.ApplicationCommandData().Options, "item")
	it, err := b.b.Untag(ref)
	if errors.Is(err, service.ErrNoTag) {
		it, _ = b.b.Describe(ref)
		return nil, refuse(l, mNotTagged, esc(it.Title))
	}
	if err != nil {
		return nil, itemErr(l, err)
	}
	it, err = b.b.Describe(it.ID)
	if err != nil {
		return nil, err
	}
	return &reply{content: l.t(mUntagged, esc(it.Title), l.label(string(it.Effective()))), after: func() { b.refreshStory(it.ID) }}, nil
}

func (b *Bot) cmdPick(ic *discordgo.InteractionCreate) (*reply, error) {
	l := b.localeLang(ic)
	it, err := b.b.Pick(optString(ic.ApplicationCommandData().Options, "item"), true, userName(ic))
	if err != nil {
		return nil, itemErr(l, err)
	}
	return &reply{content: l.t(mPicked, esc(it.Title), esc(l.list(service.PickersOf(it)))), after: func() { b.refreshStory(it.ID) }}, nil
}

func (b *Bot) cmdUnpick(ic *discordgo.InteractionCreate) (*reply, error) {
	l := b.localeLang(ic)
	ref := optString(ic.ApplicationCommandData().Options, "item")
	before, err := b.b.Describe(ref)
	if err != nil {
		return nil, itemErr(l, err)
	}
	pickers := service.PickersOf(before)
	it, err := b.b.Pick(ref, false, userName(ic))
	if err != nil {
		return nil, itemErr(l, err)
	}
	after := func() { b.refreshStory(it.ID) }
	if slices.Contains(pickers, userName(ic)) {
		return &reply{content: l.t(mUnpicked, esc(it.Title)), after: after}, nil
	}
	return &reply{content: l.t(mUnpickedAll, esc(it.Title), esc(l.list(pickers))), after: after}, nil
}

func (b *Bot) cmdEpisode(ic *discordgo.InteractionCreate) (*reply, error) {
	l := b.localeLang(ic)
	d, err := b.b.EpisodeIn(string(l))
	if err != nil {
		return nil, err
	}
	if d.Empty() {
		return &reply{content: l.t(mEpisodeEmpty)}, nil
	}
	return &reply{content: storyList(l.t(mEpisodeReady, d.Week, d.StoryCount), d.Sections), file: notesFile("show-notes-"+d.Week+".md", digest.ShowNotes(d))}, nil
}

func (b *Bot) cmdFeeds(ic *discordgo.InteractionCreate) (*reply, error) {
	l := b.localeLang(ic)
	data := ic.ApplicationCommandData()
	if len(data.Options) == 0 {
		return nil, refuse(l, mChoose)
	}
	sub := data.Options[0]
	switch sub.Name {
	case "add":
		return b.feedsAdd(l, sub.Options)
	case "remove":
		name := optString(sub.Options, "name")
		fromConfig, err := b.b.RemoveFeed(name)
		if errors.Is(err, store.ErrNotFound) {
			return nil, refuse(l, mNoFeed, esc(name))
		}
		if err != nil {
			return nil, err
		}
		msg := l.t(mFeedRemoved, esc(name))
		if fromConfig {
			msg += l.t(mFeedInConfig)
		}
		return &reply{content: msg}, nil
	case "enable":
		name := optString(sub.Options, "name")
		err := b.b.EnableFeed(name)
		if errors.Is(err, store.ErrNotFound) {
			return nil, refuse(l, mNoFeed, esc(name))
		}
		if err != nil {
			return nil, err
		}
		return &reply{content: l.t(mFeedEnabled, esc(name))}, nil
	case "list":
		return b.feedsList(l)
	case "import":
		return b.feedsImport(ic, l, sub.Options)
	}
	return nil, refuse(l, mChoose)
}

func (b *Bot) feedsAdd(l lang, opts []*discordgo.ApplicationCommandInteractionDataOption) (*reply, error) {
	f := news.Feed{Name: optString(opts, "name"), URL: optString(opts, "url"), Kind: news.Kind(optString(opts, "kind"))}
	if o := option(opts, "weight"); o != nil {
		if w, ok := o.Value.(float64); ok {
			f.Weight = w
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	c, err := b.b.AddFeedChecked(ctx, f)
	u := esc(feeds.Redact(f.URL))
	var he *feeds.HTTPError
	var followed *service.FollowedError
	switch {
	case err == nil:
		title := c.Title
		if title == "" {
			title = f.Name
		}
		return &reply{content: l.t(mFeedAdded, esc(f.Name), f.Kind, esc(title), c.Items)}, nil
	case errors.As(err, &he):
		return nil, refuse(l, mFeedHTTP, u, he.Status)
	case errors.Is(err, feeds.ErrGone):
		return nil, refuse(l, mFeedHTTP, u, http.StatusGone)
	case errors.As(err, &followed):
		return nil, refuse(l, mFeedFollowed, esc(followed.Name))
	case errors.Is(err, feeds.ErrPrivateAddress):
		return nil, refuse(l, mFeedGuard, u)
	case errors.Is(err, feeds.ErrNotAFeed):
		return nil, refuse(l, mFeedNotAFeed, u)
	case errors.Is(err, feeds.ErrUnparseable):
		return nil, refuse(l, mFeedUnreadable, u)
	case errors.Is(err, store.ErrFeedExists):
		return nil, refuse(l, mFeedNameTaken, esc(f.Name))
	}
	var invalid *service.InvalidFeedError
	if errors.As(err, &invalid) {
		// The config file's own rules; their message is written for users.
		return nil, refuse(l, mFeedBad, esc(invalid.Rule.Error()))
	}
	if why, ok := fetchWhy(l, err); ok {
		return nil, refuse(l, mFeedFetch, u, why)
	}
	return nil, err
}

// fetchWhy says, by kind, why fetching a feed failed, in the user's
// language; ok is false for a failure that is ours, not the feed's.
func fetchWhy(l lang, err error) (why string, ok bool) {
	var ue *url.Error
	switch {
	case errors.Is(err, feeds.ErrTooLarge):
		return l.t(mWhyTooLarge), true
	case errors.Is(err, feeds.ErrTooManyHops):
		return l.t(mWhyHops), true
	case errors.Is(err, feeds.ErrBadScheme):
		return l.t(mWhyScheme), true
	case errors.Is(err, context.DeadlineExceeded):
		return l.t(mWhyTimeout), true
	case errors.As(err, &ue):
		if ue.Timeout() {
			return l.t(mWhyTimeout), true
		}
		return l.t(mWhyUnreachable), true
	}
	return "", false
}

func (b *Bot) feedsList(l lang) (*reply, error) {
	recs, err := b.b.Feeds()
	if err != nil {
		return nil, err
	}
	var sb strings.Builder
	for i, r := range recs {
		last := l.t(mNever)
		if !r.State.LastSuccess.IsZero() {
			last = fmt.Sprintf("<t:%d:R>", r.State.LastSuccess.Unix())
		}
		line := fmt.Sprintf("• **%s** (%s) — %s · ✓ %s\n  <%s>\n", esc(r.Name), r.Kind, esc(text.Clip(l.health(r), 100)), last, strings.ReplaceAll(feeds.Redact(r.URL), ">", "%3E"))
		if sb.Len()+len(line) > digest.MaxContent-80 {
			sb.WriteString(l.t(mFeedsMore, len(recs)-i))
			break
		}
		sb.WriteString(line)
	}
	if sb.Len() == 0 {
		sb.WriteString(l.t(mFeedsNone))
	}
	return &reply{content: sb.String()}, nil
}

// maxOPMLUpload bounds the attachment the bot downloads.
const maxOPMLUpload = 4 << 20

func (b *Bot) feedsImport(ic *discordgo.InteractionCreate, l lang, opts []*discordgo.ApplicationCommandInteractionDataOption) (*reply, error) {
	var att *discordgo.MessageAttachment
	if o, data := option(opts, "file"), ic.ApplicationCommandData(); o != nil && data.Resolved != nil {
		id, _ := o.Value.(string)
		att = data.Resolved.Attachments[id]
	}
	if att == nil || att.URL == "" {
		return nil, refuse(l, mFeedsImportNoFile)
	}
	raw, err := b.download(att.URL, maxOPMLUpload)
	if err != nil {
		b.log.Warn("attachment download failed", "file", att.Filename, "err", redact(err, b.o.Token))
		return nil, refuse(l, mAttachment, esc(att.Filename), maxOPMLUpload>>20)
	}
	kind, _ := news.ParseKind(optString(opts, "kind"))
	res, err := b.b.ImportOPML(bytes.NewReader(raw), kind, false)
	if errors.Is(err, service.ErrOPML) {
		return nil, refuse(l, mNotOPML, esc(att.Filename))
	}
	if err != nil {
		return nil, err
	}
	var sb strings.Builder
	if res.Blocking() {
		sb.WriteString(l.t(mFeedsImportRefused))
	} else {
		sb.WriteString(l.t(mFeedsImported, len(res.Added)))
		for _, f := range res.Added {
			sb.WriteString("\n+ " + esc(f.Name) + " (" + string(f.Kind) + ")")
		}
	}
	for _, r := range res.Refused {
		sb.WriteString(fmt.Sprintf("\n• %d: %s — %s", r.Line, esc(r.Name), esc(r.Why)))
	}
	return &reply{content: sb.String()}, nil
}

// download fetches an interaction's attachment from Discord's CDN with
// the bot's own HTTP client (the API rebase applies in tests).
func (b *Bot) download(u string, max int64) ([]byte, error) {
	resp, err := b.s.Client.Get(u)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("bot: download attachment: HTTP %d", resp.StatusCode)
	}
	raw, err := io.ReadAll(io.LimitReader(resp.Body, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(raw)) > max {
		return nil, fmt.Errorf("bot: attachment larger than %d MiB", max>>20)
	}
	return raw, nil
}

func (b *Bot) cmdStatus(ic *discordgo.InteractionCreate) (*reply, error) {
	l := b.localeLang(ic)
	st, err := b.b.Status()
	if err != nil {
		return nil, err
	}
	next := NextDue(b.o.Now(), b.o.Location, b.o.Weekday, b.o.DueTime)
	var sb strings.Builder
	sb.WriteString(l.t(mStatusFeeds, st.Feeds, st.Failing, st.Disabled, st.Items) + "\n")
	if st.LastPoll.IsZero() {
		sb.WriteString(l.t(mStatusNoPoll) + "\n")
	} else {
		sb.WriteString(l.t(mStatusLastPoll, st.LastPoll.Unix()) + "\n")
	}
	sb.WriteString(l.t(mStatusNext, next.Unix(), st.Subscriptions, st.Paused, st.DigestsPosted) + "\n")
	if u := st.LLM; u != nil {
		sb.WriteString(l.t(mStatusLLM, esc(text.Clip(u.Model, 60)), u.CallsToday, u.MaxCallsPerDay, u.Calls, u.Failures, u.Skipped, u.Hits, u.PromptTokens, u.CompletionTokens) + "\n")
	}
	subs, err := b.b.Subscriptions()
	if err != nil {
		return nil, err
	}
	var lines []string
	for _, s := range subs {
		if s.Paused {
			lines = append(lines, l.t(mStatusPaused, s.ChannelID, esc(text.Clip(s.PausedWhy, 200))))
		}
	}
	for _, f := range st.FailingFeeds {
		why := f.State.LastError
		if f.State.Disabled {
			why = f.State.DisabledWhy
		}
		// Errors stored before redaction existed may still quote the URL's
		// credentials.
		why = feeds.RedactText(why, f.URL)
		lines = append(lines, fmt.Sprintf("• %s — %s", esc(f.Name), esc(text.Clip(why, 150))))
	}
	// Paused channels first, then failing feeds, as many as fit in one
	// message; the count of the rest closes it.
	used := utf8.RuneCountInString(sb.String())
	for i, line := range lines {
		more := l.t(mFeedsMore, len(lines)-i)
		if used+utf8.RuneCountInString(line)+1+utf8.RuneCountInString(more) > digest.MaxContent {
			sb.WriteString(more)
			break
		}
		sb.WriteString(line + "\n")
		used += utf8.RuneCountInString(line) + 1
	}
	return &reply{content: sb.String()}, nil
}
