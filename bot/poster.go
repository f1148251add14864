package bot

import (
	"context"
	"crypto/sha256"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/triagebot/triagebot/digest"
	"github.com/triagebot/triagebot/feeds"
	"github.com/triagebot/triagebot/internal/text"
	"github.com/triagebot/triagebot/news"
)

// errPaused marks a post stopped because the channel is gone or closed to
// the bot; the subscription is paused with the reason.
var errPaused = errors.New("bot: subscription paused")

// postDue posts the due week's digest to every subscription that has not
// had it: after a restart this is also the catch-up. A subscription gets
// the weeks that fall due after it subscribed. The channels post at once
// (Options.Concurrency of them), so a channel that waits or fails costs
// the others nothing; the global limit and discordgo's per-channel
// buckets keep the whole within Discord's limits.
func (b *Bot) postDue(ctx context.Context) {
	subs, err := b.b.Subscriptions()
	if err != nil {
		b.log.Error("list subscriptions", "err", err)
		return
	}
	week, due := DueWeek(b.o.Now(), b.o.Location, b.o.Weekday, b.o.DueTime)
	subs = slices.DeleteFunc(subs, func(s news.Subscription) bool { return s.Paused || due.Before(s.CreatedAt) })
	// One build of the week for the whole pass, and only if a channel
	// still needs it: with a thousand channels a build per channel would
	// cost more than the posting.
	week1 := sync.OnceValues(func() (*digest.Digest, error) { return b.b.WeekDigest(week) })
	fanOut(ctx, b.o.Concurrency, subs, func(ctx context.Context, sub news.Subscription) {
		if ctx.Err() != nil {
			return
		}
		if err := b.postWeekOf(ctx, sub, week, week1); err != nil && !errors.Is(err, errPaused) && ctx.Err() == nil {
			b.log.Warn("digest post incomplete; retrying at the next tick", "channel_id", sub.ChannelID, "week", week, "err", redact(err, b.o.Token))
		}
	})
}

// postWeek posts one week's digest to one channel exactly once. The
// messages are rendered and recorded with their nonces before the first is
// sent, and every message's id is recorded as it is confirmed. A restart
// resumes from the ledger and sends the rest with the same nonces and
// enforce_nonce, so a message that reached Discord before a crash is
// returned, not duplicated. The first message opens a thread, if the
// channel allows; the rest go into it.
func (b *Bot) postWeek(ctx context.Context, sub news.Subscription, week string) error {
	return b.postWeekOf(ctx, sub, week, func() (*digest.Digest, error) { return b.b.WeekDigest(week) })
}

// postWeekOf is postWeek with the week's digest from build, called only
// when the channel has no ledger entry yet. The digest is shared and only
// read.
func (b *Bot) postWeekOf(ctx context.Context, sub news.Subscription, week string, build func() (*digest.Digest, error)) error {
	defer b.posting.lock(sub.ChannelID)()
	p, ok, err := b.b.Post(sub.ChannelID, week)
	if err != nil {
		return err
	}
	if ok && p.Done {
		return nil
	}
	if !ok {
		d, err := build()
		if err != nil {
			return err
		}
		p = news.Post{ChannelID: sub.ChannelID, Week: week, StartedAt: b.o.Now().UTC()}
		d = onlySections(d, sub.Sections)
		if !hasStories(d) {
			// Nothing to say: no message, no empty thread. The ledger
			// records the week as done so no later tick posts it.
			p.Done, p.DoneAt, p.InChannel = true, b.o.Now().UTC(), true
			b.log.Info("empty week; nothing posted", "channel_id", sub.ChannelID, "week", week)
			return b.b.PutPost(p)
		}
		for i, m := range digest.Discord(d) {
			b.current(&m)
			if i == 0 && sub.MentionRole != "" {
				// The one mention the bot ever makes: the role the
				// channel asked for, on the week's first message.
				m.Content = text.Clip("<@&"+sub.MentionRole+"> "+m.Content, digest.MaxContent)
				m.AllowedMentions.Roles = []string{sub.MentionRole}
			}
			m.Nonce, m.EnforceNonce = nonce(sub.ChannelID, week, i), true
			body, err := json.Marshal(m)
			if err != nil {
				return err
			}
			p.Bodies, p.Nonces, p.MessageIDs = append(p.Bodies, body), append(p.Nonces, m.Nonce), append(p.MessageIDs, "")
		}
		if err := b.b.PutPost(p); err != nil {
			return err
		}
	}
	if len(p.Bodies) > 0 && p.MessageIDs[0] != "" && p.ThreadPending() {
		// Stopped between the first message and its thread: open the
		// thread now, or the rest would land in the channel.
		if err := b.openThread(&p); err != nil {
			return err // the ledger still says "no thread yet": tried again at the next tick
		}
	}
	for i := range p.Bodies {
		if p.MessageIDs[i] != "" {
			continue
		}
		if ctx.Err() != nil {
			return ctx.Err() // shutting down: the ledger says where to resume
		}
		id, err := b.send(ctx, p.Target(i), p.Bodies[i])
		if err != nil {
			if why, ok := closedChannel(err); ok {
				if perr := b.b.Pause(sub.ChannelID, why); perr != nil {
					return perr
				}
				b.log.Warn("subscription paused", "channel_id", sub.ChannelID, "why", why)
				return fmt.Errorf("%w: %s", errPaused, why)
			}
			return err
		}
		p.MessageIDs[i] = id
		if err := b.b.PutPost(p); err != nil {
			return err
		}
		b.Metrics.MessagesSent.Add(1)
		if i == 0 && p.ThreadPending() {
			if err := b.openThread(&p); err != nil {
				return err // the first message is recorded: the thread opens at the next tick
			}
		}
	}
	p.Done, p.DoneAt = true, b.o.Now().UTC()
	if err := b.b.PutPost(p); err != nil {
		return err
	}
	b.Metrics.DigestsPosted.Add(1)
	b.log.Info("digest posted", "channel_id", sub.ChannelID, "week", week, "messages", len(p.Bodies))
	return nil
}

// current gives a story message its lead item's state as the store has
// it now: who tagged it, every picker (the digest knows labels, not names).
func (b *Bot) current(m *digest.Message) {
	if len(m.Embeds) != 1 || len(m.Components) != 1 {
		return
	}
	for _, btn := range m.Components[0].Components {
		id, err := digest.ParseButtonID(btn.CustomID)
		if err != nil || id.Action != digest.ActDetails {
			continue
		}
		it, err := b.b.Describe(id.Ref)
		if err != nil {
			return // the story keeps what the digest rendered
		}
		embeds, rows := restyle(b.b.Language(), m.Embeds, it)
		m.Embeds, m.Components = embeds, rows
		return
	}
}

// hasStories: a digest (or the sections a channel wants) with something
// to show.
func hasStories(d *digest.Digest) bool {
	for _, s := range d.Sections {
		if len(s.Stories) > 0 {
			return true
		}
	}
	return false
}

// onlySections keeps the subscription's sections (and always the picks).
func onlySections(d *digest.Digest, sections []string) *digest.Digest {
	if len(sections) == 0 {
		return d
	}
	out := *d
	out.Sections = nil
	for _, s := range d.Sections {
		if s.Key == digest.SectionPicked || slices.Contains(sections, string(s.Key)) {
			out.Sections = append(out.Sections, s)
		}
	}
	return &out
}

// nonce is stable per channel, post key (a week or a notice's key) and
// message: Discord allows 25 characters.
func nonce(channel, key string, i int) string {
	sum := sha256.Sum256(fmt.Appendf(nil, "%s\x00%s\x00%d", channel, key, i))
	return strings.ToLower(base32.StdEncoding.EncodeToString(sum[:]))[:25]
}

// send posts one message body, retrying what may pass (server errors, a
// dropped connection) with backoff; 429s are waited out by discordgo.
func (b *Bot) send(ctx context.Context, channelID string, body []byte) (string, error) {
	url := discordgo.EndpointChannelMessages(channelID)
	var err error
	for attempt := range 5 {
		var resp []byte
		// The bucket is the channel's: discordgo keeps one per channel
		// from the X-RateLimit-* headers and waits out its own 429s.
		resp, err = b.s.RequestWithBucketID("POST", url, json.RawMessage(body), url, discordgo.WithContext(ctx))
		if err == nil {
			var m struct {
				ID string `json:"id"`
			}
			if jerr := json.Unmarshal(resp, &m); jerr != nil || m.ID == "" {
				return "", fmt.Errorf("bot: Discord answered without a message id: %s", text.Clip(string(resp), 200))
			}
			return m.ID, nil
		}
		b.Metrics.DiscordErrors.Add(1)
		var re *discordgo.RESTError
		if errors.As(err, &re) && re.Response != nil && re.Response.StatusCode >= 400 && re.Response.StatusCode < 500 {
			return "", err // a client error does not heal by itself
		}
		if attempt == 4 {
			break // no wait after the last try: the next tick retries
		}
		select {
		case <-ctx.Done():
			return "", ctx.Err()
		case <-time.After(b.o.RetryBase << attempt):
		}
	}
	return "", err
}

// closedChannel recognizes a deleted channel or a lost permission.
func closedChannel(err error) (string, bool) {
	var re *discordgo.RESTError
	if !errors.As(err, &re) || re.Response == nil {
		return "", false
	}
	switch re.Response.StatusCode {
	case http.StatusNotFound:
		return "the channel no longer exists (Discord: 404); run /subscribe in a channel to resume", true
	case http.StatusForbidden:
		msg := "the bot may not post here"
		if re.Message != nil && re.Message.Message != "" {
			msg += " (Discord: " + re.Message.Message + ")"
		}
		return msg + "; give it Send Messages and Create Public Threads, then run /subscribe again", true
	}
	return "", false
}

// errNoThreads is Discord refusing a thread in a channel (no threads
// there, or a permission missing): the week goes in the channel.
var errNoThreads = errors.New("bot: the channel allows no thread")

// openThread opens the week's thread on the post's first message and
// records the outcome in the ledger: the thread's id, or InChannel when the
// channel refuses threads.
func (b *Bot) openThread(p *news.Post) error {
	tid, err := b.startThread(p.ChannelID, p.MessageIDs[0], digest.ThreadName(b.b.Language(), p.Week))
	switch {
	case errors.Is(err, errNoThreads):
		p.InChannel = true
	case err != nil:
		return err
	default:
		p.ThreadID = tid
	}
	return b.b.PutPost(*p)
}

// startThread opens the week's thread on the first message and returns its
// id, or errNoThreads when the channel does not allow threads. A thread
// started from a message has that message's id, so a retry after a crash
// finds it.
func (b *Bot) startThread(channelID, messageID, name string) (string, error) {
	// A thread started from a message is public; "invitable" applies to
	// private threads only, so it is left out (discordgo would send false).
	start := struct {
		Name                string `json:"name"`
		AutoArchiveDuration int    `json:"auto_archive_duration"`
	}{name, 10080}
	_, err := b.s.RequestWithBucketID("POST", discordgo.EndpointChannelMessageThread(channelID, messageID), start, discordgo.EndpointChannelMessageThread(channelID, ""))
	if err == nil {
		return messageID, nil
	}
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Message != nil && re.Message.Code == discordgo.ErrCodeThreadAlreadyCreatedForThisMessage {
		return messageID, nil
	}
	// Only Discord's own refusal (a channel without threads, a missing
	// permission) sends the week into the channel; an outage or a timeout
	// leaves the thread to open at the next try, so one 5xx does not spill
	// twenty stories into the channel.
	if errors.As(err, &re) && re.Response != nil && re.Response.StatusCode >= 400 && re.Response.StatusCode < 500 {
		b.log.Info("no thread for this digest; posting in the channel", "channel_id", channelID, "err", redact(err, b.o.Token))
		return "", errNoThreads
	}
	return "", fmt.Errorf("bot: open the week's thread in %s: %w", channelID, redact(err, b.o.Token))
}

// announceDisabled tells every subscribed channel, once, that a feed was
// disabled and why. Failures are logged and retried at the next tick.
func (b *Bot) announceDisabled(ctx context.Context) {
	if err := b.announce(ctx); err != nil {
		b.log.Warn("disabled-feed announcement incomplete; retrying at the next tick", "err", redact(err, b.o.Token))
	}
}

func (b *Bot) announce(ctx context.Context) error {
	recs, err := b.b.Feeds()
	if err != nil {
		return err
	}
	subs, err := b.b.Subscriptions()
	if err != nil {
		return err
	}
	recs = slices.DeleteFunc(recs, func(f news.FeedRecord) bool { return !f.State.Disabled || f.State.DisabledAt.IsZero() })
	subs = slices.DeleteFunc(subs, func(s news.Subscription) bool { return s.Paused })
	if len(recs) == 0 {
		return nil
	}
	var mu sync.Mutex
	var errs []error
	fanOut(ctx, b.o.Concurrency, subs, func(ctx context.Context, sub news.Subscription) {
		defer b.posting.lock(sub.ChannelID)()
		for _, f := range recs {
			if ctx.Err() != nil {
				return
			}
			err := b.announceOne(ctx, sub, f)
			if errors.Is(err, errPaused) {
				return // the channel is closed to the bot: no more tries
			}
			if err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		}
	})
	return errors.Join(errs...)
}

// announceOne tells one channel, once, that one feed was disabled.
func (b *Bot) announceOne(ctx context.Context, sub news.Subscription, f news.FeedRecord) error {
	key := disabledNotice(f)
	p, ok, err := b.b.Post(sub.ChannelID, key)
	if err != nil {
		return err
	}
	if ok && p.Done {
		return nil
	}
	l := lang(b.b.Language())
	m := digest.Message{Content: text.Clip(l.t(mDisabledFeed, esc(f.Name), esc(feeds.RedactText(f.State.DisabledWhy, f.URL))), digest.MaxContent), AllowedMentions: digest.NoMentions(),
		Nonce: nonce(sub.ChannelID, key, 0), EnforceNonce: true}
	body, err := json.Marshal(m)
	if err != nil {
		return err
	}
	id, err := b.send(ctx, sub.ChannelID, body)
	if err != nil {
		if why, ok := closedChannel(err); ok {
			if perr := b.b.Pause(sub.ChannelID, why); perr != nil {
				return fmt.Errorf("bot: announce %q in %s: %w", f.Name, sub.ChannelID, perr)
			}
			return fmt.Errorf("%w: %s", errPaused, why)
		}
		return fmt.Errorf("bot: announce %q in %s: %w", f.Name, sub.ChannelID, err)
	}
	now := b.o.Now().UTC()
	return b.b.PutPost(news.Post{ChannelID: sub.ChannelID, Notice: key, Bodies: [][]byte{body}, Nonces: []string{m.Nonce}, MessageIDs: []string{id}, Done: true, StartedAt: now, DoneAt: now})
}

// disabledNotice is the ledger key of the notice that a feed was disabled:
// one per disabling, so a feed disabled again is announced again.
func disabledNotice(f news.FeedRecord) string {
	return fmt.Sprintf("feed-disabled:%s:%d", f.Name, f.State.DisabledAt.Unix())
}
