package bot

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/triagebot/triagebot/digest"
	"github.com/triagebot/triagebot/news"
	"github.com/triagebot/triagebot/service"
)

// Digests builds digests.
type Digests interface {
	WeekDigest(week string) (*digest.Digest, error) // in digest.language, to post
	// DigestIn is a week in the asker's language; all: every story.
	DigestIn(week, lang string, all bool) (*digest.Digest, error)
	EpisodeIn(lang string) (*digest.Digest, error)
	ResolveWeek(text string) (string, error) // "W48", "last week", a date, …
	Language() string                        // what the bot posts in: "en" or "zh-TW"
}

// Items tags, picks and finds items.
type Items interface {
	TagItem(ref string, label news.Label, by string) (service.TagResult, error)
	Untag(ref string) (news.Item, error)
	Pick(ref string, on bool, by string) (news.Item, error)
	Search(query string, limit int) ([]news.Item, error)
	Describe(ref string) (news.Item, error) // the item with the classifier's current verdict
}

// Feeds manages feeds.
type Feeds interface {
	Feeds() ([]news.FeedRecord, error)
	AddFeedChecked(ctx context.Context, f news.Feed) (service.FeedCheck, error)
	RemoveFeed(name string) (fromConfig bool, err error)
	EnableFeed(name string) error
	ImportOPML(r io.Reader, defaultKind news.Kind, dryRun bool) (service.OPMLImport, error)
}

// Subscriptions keeps subscriptions and the post ledger.
type Subscriptions interface {
	Subscribe(news.Subscription) error
	Unsubscribe(channelID string) error
	Subscriptions() ([]news.Subscription, error)
	Pause(channelID, why string) error
	Post(channelID, week string) (news.Post, bool, error)
	PutPost(news.Post) error
}

// Statuser reports health.
type Statuser interface {
	Status() (service.Status, error)
}

// Backend is everything the bot needs.
type Backend interface {
	Digests
	Items
	Feeds
	Subscriptions
	Statuser
}

// Options configure the bot. Every value that comes from the config is
// required: the defaults live in package config only (config.Defaults),
// and New refuses a missing or invalid one instead of guessing.
type Options struct {
	Token    string // without the "Bot " prefix
	TokenEnv string // the variable it came from, for messages
	APIURL   string // REST base (discord.api_url)
	GuildID  string // register commands in this guild only (instant; for development)
	// Hosts and HostRoles may tag, pick, see Details and post /digest
	// publicly; both empty: members with Manage Server. The server's id in
	// HostRoles (its @everyone role) opens them to everyone. Checked by
	// the bot on every click and command.
	Hosts, HostRoles []string
	Location         *time.Location // digest weeks are cut in this zone
	Weekday          time.Weekday
	DueTime          time.Duration // time of day the digest is due, in Location (digest.time)
	// Log and Now are dependencies, not settings: nil means a discarded
	// log and the real clock.
	Log *slog.Logger
	Now func() time.Time
	// RetryBase is the first backoff of a failed post; it doubles at each
	// try.
	RetryBase time.Duration
	// Tick is how often the scheduler looks for due digests.
	Tick time.Duration
	// Transport is the HTTP transport under the API rebase (tests).
	Transport http.RoundTripper
	// Concurrency is how many channels the weekly post reaches at once;
	// the global limit, not this, sets the pace.
	Concurrency int
	// RequestsPerSecond is the bot's global REST limit (Discord: 50).
	// Behind a shared REST proxy the proxy keeps the shared count; this
	// stays a per-process ceiling.
	RequestsPerSecond int
	// Shards is the gateway shard count: 0 or 1 one session, ShardsAuto
	// Discord's recommendation from GET /gateway/bot. ShardIDs are the
	// shards this process runs (empty: all); several processes with the
	// same token run disjoint subsets.
	Shards   int
	ShardIDs []int
	// IdentifyInterval is the wait between identify batches when one
	// process opens several shards (Discord: max_concurrency per 5s).
	IdentifyInterval time.Duration
}

// ErrOptions marks Options that New refuses.
var ErrOptions = errors.New("bot: invalid options")

// check names every option New cannot run with.
func (o Options) check() error {
	var errs []error
	bad := func(field, why string) { errs = append(errs, fmt.Errorf("%w: %s %s", ErrOptions, field, why)) }
	if strings.TrimSpace(o.Token) == "" {
		bad("Token", "is empty")
	}
	if strings.TrimSpace(o.TokenEnv) == "" {
		bad("TokenEnv", "is empty; name the variable the token came from (discord.token_env)")
	}
	if o.Location == nil {
		bad("Location", "is nil; pass the config's resolved Location")
	}
	if o.DueTime < 0 || o.DueTime >= 24*time.Hour {
		bad("DueTime", fmt.Sprintf("%s is not a time of day", o.DueTime))
	}
	for _, d := range []struct {
		field string
		v     time.Duration
	}{{"RetryBase", o.RetryBase}, {"Tick", o.Tick}, {"IdentifyInterval", o.IdentifyInterval}} {
		if d.v <= 0 {
			bad(d.field, fmt.Sprintf("%s must be positive (config.Defaults has the default)", d.v))
		}
	}
	if o.Concurrency < 1 {
		bad("Concurrency", fmt.Sprintf("%d must be at least 1", o.Concurrency))
	}
	if o.RequestsPerSecond < 1 {
		bad("RequestsPerSecond", fmt.Sprintf("%d must be at least 1 (discord.requests_per_second)", o.RequestsPerSecond))
	}
	if o.Shards < ShardsAuto {
		bad("Shards", fmt.Sprintf("%d: want auto or a count of at least 1", o.Shards))
	}
	return errors.Join(errs...)
}

// ShardsAuto takes the shard count Discord recommends.
const ShardsAuto = -1

// Metrics are the bot's counters, for /metrics.
type Metrics struct {
	DigestsPosted atomic.Int64
	MessagesSent  atomic.Int64
	DiscordErrors atomic.Int64
	Interactions  atomic.Int64
	// Ticks counts finished scheduler passes, so a test can wait for
	// "three passes later" instead of sleeping and hoping.
	Ticks atomic.Int64
}

// Bot is a running Discord bot.
type Bot struct {
	s       *discordgo.Session
	b       Backend
	o       Options
	log     *slog.Logger
	cmds    []command
	Metrics Metrics

	mu      sync.Mutex
	appID   string
	ready   chan struct{}
	posting channelLocks // one post per channel at a time, so two passes never race on a ledger
	// sessions are the gateway shards this process runs; the first is s,
	// which also makes every REST call, so all shards share one
	// rate limiter and one global limit.
	sessions []*discordgo.Session
}

// New prepares a bot; Run connects it.
func New(o Options, b Backend) (*Bot, error) {
	if err := o.check(); err != nil {
		return nil, err
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	rt, err := newRebase(o.APIURL, o.Transport)
	if err != nil {
		return nil, err
	}
	bot := &Bot{b: b, o: o, log: o.Log, ready: make(chan struct{})}
	s, err := bot.session(&http.Client{Transport: newGlobalLimit(o.RequestsPerSecond, rt), Timeout: 30 * time.Second}, nil)
	if err != nil {
		return nil, err
	}
	bot.s = s
	bot.cmds = bot.commands()
	if err := checkCommands(bot.cmds); err != nil {
		return nil, err
	}
	return bot, nil
}

// session makes one gateway session with the bot's handlers; with a
// rate limiter given, it shares it (and the client) with the first.
func (b *Bot) session(client *http.Client, rl *discordgo.RateLimiter) (*discordgo.Session, error) {
	s, err := discordgo.New("Bot " + strings.TrimSpace(b.o.Token))
	if err != nil {
		return nil, fmt.Errorf("bot: %w", err)
	}
	s.Client = client
	if rl != nil {
		s.Ratelimiter = rl
	}
	s.Identify.Intents = discordgo.IntentsGuilds // no privileged intents
	s.ShouldRetryOnRateLimit = true
	s.MaxRestRetries = 3
	s.LogLevel = discordgo.LogError
	s.UserAgent = "DiscordBot (https://github.com/triagebot/triagebot, 1) triagebot"
	s.AddHandler(b.onReady)
	s.AddHandler(b.onInteraction)
	return s, nil
}

// Run connects, registers the commands, and posts due digests until ctx
// ends; then it finishes the post in flight and disconnects.
func (b *Bot) Run(ctx context.Context) error {
	defer b.closeShards()
	if err := b.openShards(ctx); err != nil {
		return err
	}
	select {
	case <-b.ready:
	case <-ctx.Done():
		return nil
	case <-time.After(30 * time.Second):
		return errors.New("bot: Discord sent no READY within 30s")
	}
	if err := b.register(); err != nil {
		return err
	}
	b.log.Info("discord connected", "commands", len(b.cmds), "guild_id", b.o.GuildID)
	t := time.NewTicker(b.o.Tick)
	defer t.Stop()
	for {
		b.postDue(ctx)
		b.announceDisabled(ctx)
		b.Metrics.Ticks.Add(1)
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

func (b *Bot) onReady(_ *discordgo.Session, r *discordgo.Ready) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if r.Application != nil && r.Application.ID != "" {
		b.appID = r.Application.ID
	} else if r.User != nil {
		b.appID = r.User.ID
	}
	select {
	case <-b.ready:
	default:
		close(b.ready)
	}
}

// register replaces the application's commands in one bulk overwrite:
// guild-scoped when a guild is configured, else global.
func (b *Bot) register() error {
	b.mu.Lock()
	app := b.appID
	b.mu.Unlock()
	defs := make([]*discordgo.ApplicationCommand, len(b.cmds))
	for i, c := range b.cmds {
		defs[i] = c.def
	}
	if _, err := b.s.ApplicationCommandBulkOverwrite(app, b.o.GuildID, defs); err != nil {
		return fmt.Errorf("bot: register commands: %w", redact(err, b.o.Token))
	}
	return nil
}

// redact keeps the token out of any error that might quote a request
// (a proxy echoing the Authorization header, a REST error quoting the
// body). The text is the one thing changed: callers still branch on the
// error's kind through Unwrap.
func redact(err error, token string) error {
	if err == nil || token == "" || !strings.Contains(err.Error(), token) {
		return err
	}
	return &redactedError{msg: strings.ReplaceAll(err.Error(), token, "[token]"), err: err}
}

type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }
