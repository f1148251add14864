package bot_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/triagebot/triagebot/bot"
	"github.com/triagebot/triagebot/classifier"
	"github.com/triagebot/triagebot/config"
	"github.com/triagebot/triagebot/internal/fakediscord"
	"github.com/triagebot/triagebot/news"
	"github.com/triagebot/triagebot/service"
	"github.com/triagebot/triagebot/store"
)

const (
	token    = "fake-token-not-secret"
	channel  = "400000000000000001"
	hostRole = "700000000000000001"
)

var (
	admin   = fakediscord.Member{UserID: "500000000000000001", Name: "ana", Permissions: 32}
	cohost  = fakediscord.Member{UserID: "500000000000000003", Name: "bo", Permissions: 0, Roles: []string{hostRole}}
	guest   = fakediscord.Member{UserID: "500000000000000002", Name: "guest", Permissions: 0}
	zhAdmin = fakediscord.Member{UserID: "500000000000000001", Name: "ana", Permissions: 32, Locale: "zh-TW"}
)

// clock is a settable now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

type harness struct {
	retry time.Duration // the bot's first retry backoff
	t     *testing.T
	fake  *fakediscord.Server
	dir   string
	clock *clock
	st    *store.Store
	svc   *service.Service
	bot   *bot.Bot
	stop  context.CancelFunc
	done  chan error
	cfg   func(*config.Config)
	opts  func(*bot.Options)
	wrap  func(bot.Backend) bot.Backend
}

// week 48 of 2026 runs Mon 23 Nov to Mon 30 Nov (UTC); its digest is due
// Mon 30 Nov 09:00.
var w48 = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

func seedItems(t *testing.T, st *store.Store) {
	t.Helper()
	mk := func(id, feed string, kind news.Kind, title, summary string, day int) news.Item {
		return news.Item{ID: id, Key: "url:https://e.example.com/" + id, Title: title, Summary: summary, URL: "https://e.example.com/" + id,
			Feed: feed, Source: feed, SourceKind: kind, Published: w48.AddDate(0, 0, day).Add(10 * time.Hour), FirstSeen: w48}
	}
	items := []news.Item{
		mk("launch01", "The Verge", news.KindNews, "Acme launches a voice mode for its assistant app", "Rolling out today to all users on iOS and Android.", 1),
		mk("fund0001", "TechCrunch", news.KindNews, "Robotics startup raises $80M Series B", "The round was led by growth investors.", 2),
		mk("paper001", "arXiv cs.CL", news.KindPaper, "Sparse Adapters Let Frozen Models Read Charts", "We propose sparse adapters and outperform fine-tuning on three benchmarks.", 1),
		mk("evil0001", "Hostile Blog", news.KindBlog, "@everyone free GPUs <@123> **now** [here](https://evil.example.com)", "@here click", 3),
		mk("anth0001", "Anthropic News", news.KindBlog, "Anthropic ships a new model for agents", "Available in the API today.", 4),
		mk("zhcn0001", "机器之心", news.KindNews, "国产大模型系统对标评测结果发布", "多家厂商参与。", 2),
	}
	for i := range 12 { // enough stories for several messages
		items = append(items, mk(fmt.Sprintf("more%04d", i), "Other News", news.KindNews, fmt.Sprintf("Company %d ships feature %d to users", i, i), "Now available in the app.", i%6))
	}
	if _, err := st.UpsertItems(items); err != nil {
		t.Fatal(err)
	}
}

type setup struct {
	cfg  func(*config.Config)
	opts func(*bot.Options)
	wrap func(bot.Backend) bot.Backend // the backend the bot sees
}

func newHarness(t *testing.T, s ...setup) *harness {
	t.Helper()
	h := &harness{t: t, fake: fakediscord.New(token), dir: t.TempDir(), clock: &clock{t: time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)}, retry: 5 * time.Millisecond}
	if len(s) > 0 {
		h.cfg, h.opts, h.wrap = s[0].cfg, s[0].opts, s[0].wrap
	}
	t.Cleanup(h.fake.Close)
	st, err := store.Open(h.dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	h.st = st
	seedItems(t, st)
	h.start()
	t.Cleanup(func() {
		h.shutdown()
		// A test may have closed it already, to make the backend fail.
		if err := h.st.Close(); err != nil && !errors.Is(err, store.ErrClosed) {
			t.Error(err)
		}
	})
	return h
}

func (h *harness) start() {
	h.t.Helper()
	cfg := config.Defaults()
	cfg.Timezone = "UTC"
	// Every seeded story in the digest (the twelve "Company N ships
	// feature N" items are twelve stories), so the hostile one is shown.
	cfg.Digest.PerSection = 25
	if h.cfg != nil {
		h.cfg(&cfg)
	}
	if err := cfg.Complete(); err != nil {
		h.t.Fatal(err)
	}
	m, err := classifier.Builtin()
	if err != nil {
		h.t.Fatal(err)
	}
	h.svc = service.New(h.st, m, &cfg, h.clock.now)
	o := options(&cfg, h.fake.URL())
	// Faster than a deployment, so a test sees several passes and retries.
	o.Now, o.RetryBase, o.Tick = h.clock.now, h.retry, 20*time.Millisecond
	if h.opts != nil {
		h.opts(&o)
	}
	var be bot.Backend = h.svc
	if h.wrap != nil {
		be = h.wrap(be)
	}
	h.bot, err = bot.New(o, be)
	if err != nil {
		h.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	h.stop, h.done = cancel, make(chan error, 1)
	go func() { h.done <- h.bot.Run(ctx) }()
	if !h.fake.WaitFor(10*time.Second, func() bool { return h.fake.Connected() && len(h.fake.Commands()) > 0 }) {
		h.t.Fatalf("the bot did not connect and register its commands; rejected: %v", h.fake.Rejected())
	}
}

// options are the config's values, each explicit, as cmd/triagebot maps
// them.
func options(cfg *config.Config, apiURL string) bot.Options {
	d := cfg.Discord
	return bot.Options{Token: token, TokenEnv: d.TokenEnv, APIURL: apiURL, Hosts: d.Hosts, HostRoles: d.HostRoles,
		Location: cfg.Location, Weekday: cfg.Digest.Day, DueTime: cfg.Digest.Clock,
		RetryBase: d.PostRetry, Tick: d.ScheduleTick, Concurrency: d.PostConcurrency,
		RequestsPerSecond: d.RequestsPerSecond, IdentifyInterval: d.IdentifyInterval}
}

func (h *harness) shutdown() {
	if h.stop == nil {
		return
	}
	h.stop()
	select {
	case err := <-h.done:
		if err != nil {
			h.t.Errorf("Run: %v", err)
		}
	case <-time.After(10 * time.Second):
		h.t.Error("Run did not stop")
	}
	h.stop = nil
}

// ticks waits until the scheduler has made n more full passes: the proof
// that nothing happened is that the bot looked n times, not that time
// went by.
func (h *harness) ticks(n int64) {
	h.t.Helper()
	target := h.bot.Metrics.Ticks.Load() + n
	if !h.fake.WaitFor(10*time.Second, func() bool { return h.bot.Metrics.Ticks.Load() >= target }) {
		h.t.Fatalf("the scheduler did not make %d passes", n)
	}
}

// response waits for the interaction's first callback.
func (h *harness) response(id string) map[string]any {
	h.t.Helper()
	if !h.fake.WaitFor(5*time.Second, func() bool { return len(h.fake.Callbacks(id)) > 0 }) {
		h.t.Fatalf("interaction %s was not answered; rejected: %v", id, h.fake.Rejected())
	}
	return h.fake.Callbacks(id)[0]
}

// answer is what the user finally reads: the response, or for a deferred
// command the edit of the deferred answer. ephemeral says whether only
// they read it.
func (h *harness) answer(id string) (content string, ephemeral bool, full map[string]any) {
	h.t.Helper()
	cb := h.response(id)
	if t, _ := cb["type"].(float64); t != 5 {
		mentionsNobody(h.t, data(cb))
		return str(data(cb)["content"]), flagsOf(data(cb))&64 != 0, data(cb)
	}
	if !h.fake.WaitFor(10*time.Second, func() bool { return len(h.fake.FollowupsOf(id)) > 0 }) {
		h.t.Fatalf("deferred interaction %s never answered; rejected: %v", id, h.fake.Rejected())
	}
	fu := h.fake.FollowupsOf(id)[0]
	if fu["_edit"] != true {
		h.t.Fatalf("a deferred answer should be edited, got %v", fu)
	}
	mentionsNobody(h.t, fu)
	return str(fu["content"]), flagsOf(data(cb))&64 != 0, fu
}

// mentionsNobody: every reply carries allowed_mentions with parse [] and
// no roles, whatever its text says.
func mentionsNobody(t *testing.T, body map[string]any) {
	t.Helper()
	am, _ := body["allowed_mentions"].(map[string]any)
	parse, ok := am["parse"].([]any)
	if !ok || len(parse) != 0 || am["roles"] != nil {
		t.Errorf("a reply without allowed_mentions {parse: []}: %v", body)
	}
}

func str(v any) string { s, _ := v.(string); return s }

func data(cb map[string]any) map[string]any { d, _ := cb["data"].(map[string]any); return d }

func flagsOf(m map[string]any) int { f, _ := m["flags"].(float64); return int(f) }

func files(m map[string]any) map[string]any { f, _ := m["_files"].(map[string]any); return f }

func (h *harness) noRejects() {
	h.t.Helper()
	if rej := h.fake.Rejected(); len(rej) != 0 {
		h.t.Errorf("the fake rejected: %v", rej)
	}
}

func TestCommandsRegisteredValidly(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	cmds := h.fake.Commands()
	names := map[string]map[string]any{}
	for _, c := range cmds {
		names[c["name"].(string)] = c
	}
	for _, n := range []string{"subscribe", "unsubscribe", "digest", "tag", "untag", "pick", "unpick", "episode", "feeds", "status"} {
		c := names[n]
		if c == nil {
			t.Errorf("command %s not registered", n)
			continue
		}
		// Guild-only: a global /subscribe must not show in DMs.
		if ctx, _ := c["contexts"].([]any); len(ctx) != 1 || ctx[0] != float64(0) {
			t.Errorf("%s: contexts = %v, want [0] (guild only)", n, c["contexts"])
		}
		var checkLoc func(where string, m map[string]any)
		checkLoc = func(where string, m map[string]any) {
			nl, _ := m["name_localizations"].(map[string]any)
			dl, _ := m["description_localizations"].(map[string]any)
			if str(nl["zh-TW"]) == "" || str(dl["zh-TW"]) == "" {
				t.Errorf("%s has no zh-TW name or description: %v %v", where, nl, dl)
			}
			opts, _ := m["options"].([]any)
			for _, o := range opts {
				om := o.(map[string]any)
				checkLoc(where+"."+str(om["name"]), om)
			}
		}
		checkLoc(n, c)
	}
	for _, n := range []string{"subscribe", "unsubscribe", "feeds"} {
		if names[n]["default_member_permissions"] != "32" {
			t.Errorf("%s: default_member_permissions = %v, want Manage Server (32)", n, names[n]["default_member_permissions"])
		}
	}
	if c, eph, _ := h.answer(h.fake.DirectMessage(admin, "status")); !eph || !strings.Contains(c, "server channel") {
		t.Errorf("a command from a DM: %q", c)
	}
	if p := names["digest"]["default_member_permissions"]; p != nil {
		t.Errorf("/digest is for everyone, got default_member_permissions %v", p)
	}
	h.noRejects()
}

func (h *harness) subscribe(m fakediscord.Member, opts ...map[string]any) string {
	h.t.Helper()
	c, eph, _ := h.answer(h.fake.Command(channel, m, "subscribe", opts...))
	if !eph || !strings.Contains(c, "weekly digest") {
		h.t.Fatalf("subscribe answer: %q (ephemeral %v)", c, eph)
	}
	return c
}

// digestMessages are the messages of the week's post: the first in the
// channel, the rest in its thread.
func (h *harness) digestMessages() []fakediscord.Message {
	msgs := h.fake.Messages(channel)
	for _, th := range h.fake.ThreadsOf(channel) {
		msgs = append(msgs, h.fake.Messages(th)...)
	}
	return msgs
}

// post, subs and item read the store and stop the test on an error, so
// a failing read never passes for "not posted" or "not tagged".
func (h *harness) post(channelID, key string) (news.Post, bool) {
	h.t.Helper()
	p, ok, err := h.st.Post(channelID, key)
	if err != nil {
		h.t.Fatal(err)
	}
	return p, ok
}

func (h *harness) subs() []news.Subscription {
	h.t.Helper()
	subs, err := h.st.Subscriptions()
	if err != nil {
		h.t.Fatal(err)
	}
	return subs
}

func (h *harness) item(id string) news.Item {
	h.t.Helper()
	it, err := h.st.Item(id)
	if err != nil {
		h.t.Fatal(err)
	}
	return it
}

func (h *harness) waitPost(week string) news.Post {
	h.t.Helper()
	var p news.Post
	ok := h.fake.WaitFor(20*time.Second, func() bool {
		var found bool
		p, found = h.post(channel, week)
		return found && p.Done
	})
	if !ok {
		h.t.Fatalf("the %s digest was not posted: %d messages, ids %q, thread %q, in channel %v; rejected %v",
			week, len(p.Bodies), p.MessageIDs, p.ThreadID, p.InChannel, h.fake.Rejected())
	}
	return p
}

// due moves the clock past week 48's due time.
func (h *harness) due() { h.clock.set(time.Date(2026, 11, 30, 9, 0, 1, 0, time.UTC)) }

// internals finds what listeners must not see: a confidence number or an
// item id in the text of a posted message.
var confidence = regexp.MustCompile(`\b(research|product|other) [01]\.\d\d\b`)

// noURLs cuts link targets, which may contain anything.
var noURLs = regexp.MustCompile(`\(<?https?://[^)]*\)`)

func TestScheduledDigestOneMessagePerStoryOnceAndNotAgainAfterRestart(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.subscribe(admin)
	h.ticks(3)
	if n := len(h.digestMessages()); n != 0 {
		t.Fatalf("%d messages before the digest was due", n)
	}
	h.due()
	p := h.waitPost("2026-W48")
	msgs := h.digestMessages()
	if len(msgs) != len(p.Bodies) || len(msgs) < 5 {
		t.Fatalf("%d messages for a post of %d", len(msgs), len(p.Bodies))
	}
	threads := h.fake.ThreadsOf(channel)
	if len(threads) != 1 || len(h.fake.Messages(threads[0])) != len(msgs)-1 {
		t.Fatalf("threads %v: the rest of the digest should be in one thread", threads)
	}
	if !strings.Contains(msgs[0].Content(), "AI news · 2026-W48") {
		t.Errorf("first message: %q", msgs[0].Content())
	}
	stories := 0
	for _, m := range msgs[1:] {
		embeds, _ := m.Body["embeds"].([]any)
		rows, _ := m.Body["components"].([]any)
		if len(embeds) == 0 {
			continue // the "more" line
		}
		stories++
		// One story, its own row right under it, every button about it.
		if len(embeds) != 1 || len(rows) != 1 {
			t.Fatalf("a story message has %d embeds and %d rows: %v", len(embeds), len(rows), m.Body)
		}
		e := embeds[0].(map[string]any)
		var ref string
		for _, b := range rows[0].(map[string]any)["components"].([]any) {
			id := str(b.(map[string]any)["custom_id"])
			r := id[strings.LastIndex(id, ":")+1:]
			if ref != "" && r != ref {
				t.Errorf("one row holds buttons of two stories: %s and %s", ref, r)
			}
			ref = r
		}
		text := noURLs.ReplaceAllString(str(e["title"])+str(e["description"])+str(e["footer"].(map[string]any)["text"])+m.Content(), "")
		if confidence.MatchString(text) || strings.Contains(text, ref) {
			t.Errorf("listeners see internals (confidence or id %s): %q", ref, text)
		}
		if _, err := time.Parse(time.RFC3339, str(e["timestamp"])); err != nil {
			t.Errorf("story without a timestamp: %v", e)
		}
		if !strings.Contains(str(e["description"]), "](https://e.example.com/") {
			t.Errorf("sources are not links: %q", e["description"])
		}
	}
	if stories < 6 {
		t.Errorf("%d story messages", stories)
	}
	// More passes, then a restart: nothing new.
	h.ticks(3)
	h.shutdown()
	h.start()
	h.ticks(3)
	if n := len(h.digestMessages()); n != len(msgs) {
		t.Errorf("after a restart %d messages, want %d", n, len(msgs))
	}
	h.noRejects()
}

func TestEmptyWeekPostsNothing(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.subscribe(admin)
	// Week 50 has no items: due Mon 14 Dec.
	h.clock.set(time.Date(2026, 12, 14, 9, 0, 1, 0, time.UTC))
	p := h.waitPost("2026-W50")
	if len(p.Bodies) != 0 || len(h.digestMessages()) != 0 || len(h.fake.ThreadsOf(channel)) != 0 {
		t.Errorf("an empty week posted %d messages, %d threads", len(h.digestMessages()), len(h.fake.ThreadsOf(channel)))
	}
	c, eph, _ := h.answer(h.fake.Command(channel, guest, "digest", fakediscord.Opt("week", "2026-W50")))
	if !eph || !strings.Contains(c, "Nothing new in 2026-W50") || strings.Contains(c, "poll") || strings.Contains(c, "\\`") {
		t.Errorf("empty /digest: %q ephemeral %v", c, eph)
	}
}

func TestKillDuringPostingLeavesNoDuplicate(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.subscribe(admin)
	// Restart with a long retry wait, so the process is "killed" while it
	// waits: the second message reached Discord, but its answer was lost,
	// so the ledger does not know it.
	h.shutdown()
	h.retry = time.Hour
	h.fake.DropAfter(2)
	h.due()
	h.start()
	if !h.fake.WaitFor(5*time.Second, func() bool { return len(h.digestMessages()) == 2 }) {
		t.Fatalf("expected the first two messages to reach Discord, got %d", len(h.digestMessages()))
	}
	h.shutdown()
	p, _ := h.post(channel, "2026-W48")
	if p.Done || p.MessageIDs[0] == "" || p.MessageIDs[1] != "" {
		t.Fatalf("ledger after the kill: done %v ids %q", p.Done, p.MessageIDs)
	}
	// The next start resumes: message 2 is sent again with its nonce and
	// Discord returns the one it has.
	h.retry = 5 * time.Millisecond
	h.start()
	p = h.waitPost("2026-W48")
	msgs := h.digestMessages()
	seen := map[string]bool{}
	for _, m := range msgs {
		if seen[m.Nonce] {
			t.Errorf("message with nonce %s posted twice", m.Nonce)
		}
		seen[m.Nonce] = true
	}
	if len(msgs) != len(p.Bodies) {
		t.Errorf("%d messages for a post of %d", len(msgs), len(p.Bodies))
	}
}

func TestRateLimitMidDigestLosesNothing(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.subscribe(admin)
	h.fake.RateLimitNext(3)
	h.due()
	p := h.waitPost("2026-W48")
	if msgs := h.digestMessages(); len(msgs) != len(p.Bodies) {
		t.Errorf("%d messages arrived for %d sent", len(msgs), len(p.Bodies))
	}
}

func TestDeletedChannelPausesSubscription(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.subscribe(admin)
	h.fake.DeleteChannel(channel)
	h.due()
	ok := h.fake.WaitFor(5*time.Second, func() bool {
		subs := h.subs()
		return len(subs) == 1 && subs[0].Paused
	})
	if !ok {
		t.Fatal("the subscription was not paused")
	}
	subs := h.subs()
	if !strings.Contains(subs[0].PausedWhy, "no longer exists") {
		t.Errorf("paused why: %q", subs[0].PausedWhy)
	}
	c, eph, _ := h.answer(h.fake.Command(channel, admin, "status"))
	if !eph || !strings.Contains(c, "paused") {
		t.Errorf("status: %q", c)
	}
}

func TestMentionsPingNobodyButTheChosenRole(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	role := "800000000000000001"
	c := h.subscribe(admin, map[string]any{"name": "role", "type": 8, "value": role})
	if !strings.Contains(c, "<@&"+role+">") {
		t.Errorf("subscribe does not say which role it mentions: %q", c)
	}
	h.due()
	h.waitPost("2026-W48")
	found := false
	for i, m := range h.digestMessages() {
		am, ok := m.Body["allowed_mentions"].(map[string]any)
		if !ok || len(am["parse"].([]any)) != 0 {
			t.Errorf("message without allowed_mentions parse=[]: %v", m.Body)
		}
		roles, _ := am["roles"].([]any)
		if i == 0 {
			if len(roles) != 1 || roles[0] != role || !strings.HasPrefix(m.Content(), "<@&"+role+">") {
				t.Errorf("the first message should mention the role and only it: %v", m.Body)
			}
		} else if len(roles) != 0 || strings.Contains(m.Content(), "<@&") {
			t.Errorf("message %d mentions a role: %v", i, m.Body)
		}
		raw, _ := json.Marshal(m.Body)
		if strings.Contains(string(raw), "@everyone") || strings.Contains(string(raw), "<@123>") || strings.Contains(string(raw), "@here") {
			t.Errorf("mention text survived: %s", raw)
		}
		if strings.Contains(string(raw), "free GPUs") {
			found = true
		}
	}
	if !found {
		t.Error("the hostile item should still be in the digest, escaped")
	}
}

func TestPermissionsFollowDiscordAndTheChannel(t *testing.T) {
	t.Parallel()
	h := newHarness(t, setup{cfg: func(c *config.Config) { c.Poll.AllowPrivateNetworks = true }})
	// A member without Manage Server, to whom the server granted /feeds
	// through a command permission override: Discord delivered the
	// interaction, so the bot runs it.
	c, eph, _ := h.answer(h.fake.Command(channel, guest, "feeds", fakediscord.Sub("list")))
	if !eph || strings.Contains(c, "Manage Server") || !strings.Contains(c, "No feeds") {
		t.Errorf("/feeds list by a member with an override: %q", c)
	}
	// A channel where the bot lacks Embed Links: /subscribe says so and
	// does not subscribe.
	h.fake.SetAppPermissions(channel, fakediscord.DefaultAppPermissions&^(1<<14))
	c, eph, _ = h.answer(h.fake.Command(channel, admin, "subscribe"))
	if !eph || !strings.Contains(c, "Embed Links") || strings.Contains(c, "Send Messages,") {
		t.Errorf("subscribe without Embed Links: %q", c)
	}
	if subs := h.subs(); len(subs) != 0 {
		t.Errorf("subscribed without the permissions: %v", subs)
	}
	h.fake.SetAppPermissions(channel, 0)
	c, _, _ = h.answer(h.fake.Command(channel, zhAdmin, "subscribe"))
	for _, p := range []string{"檢視頻道", "傳送訊息", "嵌入連結", "建立公開討論串", "在討論串中傳送訊息"} {
		if !strings.Contains(c, p) {
			t.Errorf("zh-TW refusal lacks %s: %q", p, c)
		}
	}
	h.noRejects()
}

func TestHostOnlyTaggingConfigured(t *testing.T) {
	t.Parallel()
	h := newHarness(t, twoHosts)
	for _, tc := range []struct {
		who  fakediscord.Member
		ok   bool
		name string
	}{{guest, false, "guest"}, {admin, true, "host by id"}, {cohost, true, "host by role"}} {
		t.Run(tc.name, func(t *testing.T) {
			c, eph, _ := h.answer(h.fake.Command(channel, tc.who, "pick", fakediscord.Opt("item", "launch01")))
			refused := strings.Contains(c, "Only the show's hosts")
			if !eph || refused == tc.ok {
				t.Errorf("pick by %s: %q", tc.name, c)
			}
			msg := fakediscord.Message{ID: "1", ChannelID: channel, Body: map[string]any{"content": "x"}}
			cb := h.response(h.fake.Click(channel, tc.who, "tag:research:fund0001", msg))
			if refused := strings.Contains(str(data(cb)["content"]), "Only the show's hosts"); refused == tc.ok || (refused && flagsOf(data(cb))&64 == 0) {
				t.Errorf("click by %s: %v", tc.name, cb)
			}
		})
	}
	// Details are for hosts.
	msg := fakediscord.Message{ID: "1", ChannelID: channel, Body: map[string]any{"content": "x"}}
	if cb := h.response(h.fake.Click(channel, guest, "info:fund0001", msg)); !strings.Contains(str(data(cb)["content"]), "Only the show's hosts") {
		t.Errorf("details for a guest: %v", cb)
	}
	// Posting /digest publicly is for hosts too (the episode is not: it
	// is private and changes nothing).
	c, eph, _ := h.answer(h.fake.Command(channel, guest, "digest", fakediscord.Opt("week", "2026-W48"), fakediscord.Opt("public", true)))
	if !eph || !strings.Contains(c, "Only the show's hosts") || len(h.fake.Messages(channel)) != 0 {
		t.Errorf("public /digest by a guest: %q", c)
	}
}

// storyMessage finds the posted message of a story in the week's thread.
func (h *harness) storyMessage(itemID string) fakediscord.Message {
	h.t.Helper()
	for _, m := range h.digestMessages() {
		raw, _ := json.Marshal(m.Body["components"])
		if strings.Contains(string(raw), `"info:`+itemID+`"`) {
			return m
		}
	}
	h.t.Fatalf("no message for story %s", itemID)
	return fakediscord.Message{}
}

func footer(body map[string]any) string {
	embeds, _ := body["embeds"].([]any)
	if len(embeds) == 0 {
		return ""
	}
	f, _ := embeds[0].(map[string]any)["footer"].(map[string]any)
	return str(f["text"])
}

func button(body map[string]any, i int) map[string]any {
	rows := body["components"].([]any)
	return rows[0].(map[string]any)["components"].([]any)[i].(map[string]any)
}

// twoHosts: ana by her id, bo by his role.
var twoHosts = setup{opts: func(o *bot.Options) { o.Hosts = []string{admin.UserID}; o.HostRoles = []string{hostRole} }}

func TestHostsDefaultToManagersOrEveryoneByTheServerRole(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		roles    []string
		guestMay bool
	}{{"nobody configured: managers", nil, false}, {"the @everyone role: everyone", []string{"300000000000000001"}, true}} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, setup{opts: func(o *bot.Options) { o.HostRoles = tc.roles }})
			c, _, _ := h.answer(h.fake.Command(channel, guest, "pick", fakediscord.Opt("item", "launch01")))
			if may := !strings.Contains(c, "Only the show's hosts"); may != tc.guestMay {
				t.Errorf("guest pick: %q", c)
			}
			if c, _, _ := h.answer(h.fake.Command(channel, admin, "pick", fakediscord.Opt("item", "fund0001"))); !strings.Contains(c, "Picked") {
				t.Errorf("a manager's pick: %q", c)
			}
		})
	}
}

func TestVisibleTaggingAndPicksByBothHosts(t *testing.T) {
	t.Parallel()
	h := newHarness(t, twoHosts)
	h.subscribe(admin)
	// Tagged and picked before the post: the post says by whom.
	if _, err := h.svc.TagItem("paper001", news.Research, "ana"); err != nil {
		t.Fatal(err)
	}
	h.svc.Pick("paper001", true, "ana")
	h.svc.Pick("paper001", true, "bo")
	h.due()
	h.waitPost("2026-W48")
	if f := footer(h.storyMessage("paper001").Body); f != "Research · tagged by ana · picked by ana, bo" {
		t.Errorf("a story tagged and picked before the post shows %q", f)
	}
	msg := h.storyMessage("fund0001")
	click := func(m fakediscord.Member, id string) map[string]any {
		t.Helper()
		cb := h.response(h.fake.Click(channel, m, id, msg))
		if cb["type"].(float64) != 7 {
			t.Fatalf("a button should update its story's message: %v", cb)
		}
		msg.Body["embeds"], msg.Body["components"] = data(cb)["embeds"], data(cb)["components"]
		return data(cb)
	}
	d := click(admin, "tag:research:fund0001")
	if f := footer(d); !strings.Contains(f, "Research") || !strings.Contains(f, "tagged by ana") {
		t.Errorf("after a tag the footer says %q", f)
	}
	if button(d, 0)["style"].(float64) != 1 || button(d, 1)["style"].(float64) != 2 {
		t.Errorf("the chosen label should be highlighted: %v", d["components"])
	}
	if it := h.item("fund0001"); it.Tag != news.Research || it.TaggedBy != "ana" {
		t.Fatalf("item after click: %+v", it)
	}
	// The tagger hears, privately, what the tag memory did.
	var note map[string]any
	h.fake.WaitFor(5*time.Second, func() bool {
		for _, fu := range h.fake.Followups() {
			if strings.Contains(str(fu["content"]), "similar recent items") {
				note = fu
			}
		}
		return note != nil
	})
	if note == nil || flagsOf(note)&64 == 0 {
		t.Errorf("no private note on the re-labelled items: %v", h.fake.Followups())
	}
	// Click the same label again: the tag is taken back.
	d = click(admin, "tag:research:fund0001")
	if f := footer(d); strings.Contains(f, "tagged") {
		t.Errorf("after undo the footer says %q", f)
	}
	if it := h.item("fund0001"); it.Tag != "" {
		t.Errorf("undo left the tag %q", it.Tag)
	}
	// Both hosts pick; both are kept and shown; one takes theirs back.
	click(admin, "pick:fund0001")
	d = click(cohost, "pick:fund0001")
	if f := footer(d); !strings.Contains(f, "picked by ana, bo") || str(button(d, 3)["label"]) != "Picked (2)" {
		t.Errorf("two picks show as %q / %v", f, button(d, 3))
	}
	d = click(cohost, "pick:fund0001")
	if f := footer(d); !strings.Contains(f, "picked by ana") || strings.Contains(f, "bo") {
		t.Errorf("after bo's unpick: %q", f)
	}
	// A message from before stories had one each: only the clicked
	// story's row changes (legacy "unpick:" ids still work).
	old := fakediscord.Message{ID: "600000000000000001", ChannelID: channel, Body: map[string]any{"content": "x",
		"embeds": []any{map[string]any{"title": "Robotics"}, map[string]any{"title": "Other story"}},
		"components": []any{
			map[string]any{"type": 1, "components": []any{map[string]any{"type": 2, "style": 3, "label": "unpick", "custom_id": "unpick:fund0001"}}},
			map[string]any{"type": 1, "components": []any{map[string]any{"type": 2, "style": 3, "label": "pick", "custom_id": "pick:more0001"}}},
		}}}
	cb := h.response(h.fake.Click(channel, admin, "unpick:fund0001", old))
	rows, _ := data(cb)["components"].([]any)
	if len(rows) != 2 || len(data(cb)["embeds"].([]any)) != 2 || str(button(data(cb), 0)["custom_id"]) != "tag:research:fund0001" ||
		str(rows[1].(map[string]any)["components"].([]any)[0].(map[string]any)["custom_id"]) != "pick:more0001" {
		t.Errorf("a click on an old multi-story message: %v", data(cb))
	}
	// A slash command updates the story's message as a click does.
	before := len(h.fake.Edits())
	c, eph, _ := h.answer(h.fake.Command(channel, cohost, "tag", fakediscord.Opt("item", "fund0001"), fakediscord.Opt("label", "other")))
	if !eph || !strings.Contains(c, "as **Other**") {
		t.Errorf("/tag: %q", c)
	}
	if !h.fake.WaitFor(5*time.Second, func() bool { return len(h.fake.Edits()) > before }) || !strings.Contains(footer(h.fake.Edits()[before].Body), "tagged by bo") {
		t.Errorf("/tag did not update the story's message: %v", h.fake.Edits())
	}
	c, _, _ = h.answer(h.fake.Command(channel, cohost, "untag", fakediscord.Opt("item", "fund0001")))
	if !strings.Contains(c, "Took back the tag") {
		t.Errorf("/untag: %q", c)
	}
	c, _, _ = h.answer(h.fake.Command(channel, cohost, "unpick", fakediscord.Opt("item", "fund0001")))
	if !strings.Contains(c, "cleared every pick") {
		t.Errorf("/unpick by a host who had not picked: %q", c)
	}
	// Details, privately, with what the post leaves out.
	cb = h.response(h.fake.Click(channel, cohost, "info:fund0001", msg))
	if flagsOf(data(cb))&64 == 0 || !strings.Contains(str(data(cb)["content"]), "fund0001") || !regexp.MustCompile(`\d\.\d\d`).MatchString(str(data(cb)["content"])) {
		t.Errorf("details: %v", cb)
	}
	h.noRejects()
}

func TestDigestPrivateByDefaultAndPublicOnce(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	id := h.fake.Command(channel, guest, "digest", fakediscord.Opt("week", "W48"))
	c, eph, fu := h.answer(id)
	if !eph || !strings.Contains(c, "2026-W48") || !strings.Contains(c, "Only you") {
		t.Errorf("private /digest: %q ephemeral %v", c, eph)
	}
	md := str(files(fu)["digest-2026-W48.md"])
	if !strings.Contains(md, "Robotics startup raises") || confidence.MatchString(md) || strings.Contains(noURLs.ReplaceAllString(md, ""), "fund0001") {
		t.Errorf("the attached week: %q", md)
	}
	if n := len(h.fake.AllMessages()); n != 0 {
		t.Errorf("a private /digest posted %d channel messages", n)
	}
	// Private means in the asker's language, whatever digest.language says.
	c, _, fu = h.answer(h.fake.Command(channel, zhAdmin, "digest", fakediscord.Opt("week", "本週")))
	if !strings.Contains(c, "只有你看得到") || !strings.Contains(c, "研究進展") || !strings.Contains(str(files(fu)["digest-2026-W48.md"]), "# AI 新聞週報") {
		t.Errorf("a zh-TW asker's private digest: %q", c)
	}
	// A week still running is not posted for everyone: its one post is
	// the complete week.
	c, _, _ = h.answer(h.fake.Command(channel, admin, "digest", fakediscord.Opt("public", true)))
	if !strings.Contains(c, "not over yet") || len(h.fake.AllMessages()) != 0 {
		t.Errorf("public /digest of a running week: %q", c)
	}
	// Once due: posted once, into the channel and its thread.
	h.due()
	c, eph, _ = h.answer(h.fake.Command(channel, admin, "digest", fakediscord.Opt("week", "last week"), fakediscord.Opt("public", true)))
	if !eph || !strings.Contains(c, "Posted 2026-W48") {
		t.Errorf("public /digest: %q", c)
	}
	n := len(h.digestMessages())
	if n < 5 || len(h.fake.ThreadsOf(channel)) != 1 {
		t.Errorf("public /digest posted %d messages in %d threads", n, len(h.fake.ThreadsOf(channel)))
	}
	c, _, _ = h.answer(h.fake.Command(channel, admin, "digest", fakediscord.Opt("week", "2026-11-25"), fakediscord.Opt("public", true)))
	if !strings.Contains(c, "already posted") || len(h.digestMessages()) != n {
		t.Errorf("a second public /digest: %q, %d messages (was %d)", c, len(h.digestMessages()), n)
	}
	// The weekly post of the same week is the same post: a subscription
	// that covers week 48 finds it done.
	if err := h.st.PutSubscription(news.Subscription{ChannelID: channel, GuildID: "300000000000000001", CreatedAt: w48}); err != nil {
		t.Fatal(err)
	}
	h.ticks(3)
	if len(h.digestMessages()) != n {
		t.Errorf("the scheduled post repeated the public one: %d messages, was %d", len(h.digestMessages()), n)
	}
	h.noRejects()
}

func TestBadWeekIsEscapedAndPrivate(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for _, tc := range []struct {
		who  fakediscord.Member
		want string
	}{{guest, "can't read"}, {zhAdmin, "無法把"}} {
		c, eph, _ := h.answer(h.fake.Command(channel, tc.who, "digest", fakediscord.Opt("week", "@everyone [win](https://evil.example.com)")))
		if !eph || !strings.Contains(c, tc.want) || strings.Contains(c, "[win](") || strings.Contains(c, "@everyone") {
			t.Errorf("bad week by %s: %q ephemeral %v", tc.who.Name, c, eph)
		}
	}
	c, eph, _ := h.answer(h.fake.Command(channel, admin, "feeds", fakediscord.Sub("remove", fakediscord.Opt("name", "**x** <@1>"))))
	if !eph || strings.Contains(c, "**x**") || strings.Contains(c, "<@1>") || !strings.Contains(c, "No feed is named") {
		t.Errorf("feeds remove echo: %q", c)
	}
	c, _, _ = h.answer(h.fake.Command(channel, admin, "feeds", fakediscord.Sub("enable", fakediscord.Opt("name", "__y__"))))
	if strings.Contains(c, "__y__") {
		t.Errorf("feeds enable echo: %q", c)
	}
}

func TestZhTW(t *testing.T) {
	t.Parallel()
	h := newHarness(t, setup{cfg: func(c *config.Config) { c.Digest.Language = "zh-TW" }})
	// The config's language decides what is posted.
	c, _, _ := h.answer(h.fake.Command(channel, zhAdmin, "subscribe"))
	if !strings.Contains(c, "每週一") {
		t.Errorf("zh-TW subscribe: %q", c)
	}
	h.due()
	h.waitPost("2026-W48")
	if msgs := h.digestMessages(); !strings.Contains(msgs[0].Content(), "AI 新聞週報 · 2026-W48（11月23日 – 11月29日）") || h.fake.ThreadName(msgs[0].ID) != "AI 新聞週報 · 2026-W48" {
		t.Errorf("zh-TW header: %q", msgs[0].Content())
	}
	m := h.storyMessage("fund0001")
	if b := button(m.Body, 0); str(b["label"]) != "研究" || !strings.Contains(footer(m.Body), "自動分類") {
		t.Errorf("zh-TW buttons and footer: %v / %q", b, footer(m.Body))
	}
	// Ephemeral replies follow the asker's locale, whatever the config.
	c, _, _ = h.answer(h.fake.Command(channel, admin, "status"))
	if !strings.Contains(c, "**Feeds**") {
		t.Errorf("an en-US client reads %q", c)
	}
	c, _, _ = h.answer(h.fake.Command(channel, admin, "digest", fakediscord.Opt("week", "2026-W48")))
	if !strings.Contains(c, "Only you") || !strings.Contains(c, "__**Research**__") {
		t.Errorf("an en-US asker's private digest: %q", c)
	}
	c, _, _ = h.answer(h.fake.Command(channel, zhAdmin, "status"))
	if !strings.Contains(c, "訂閱源") {
		t.Errorf("a zh-TW client reads %q", c)
	}
	// A client in neither language reads the config's.
	ja := admin
	ja.Locale = "ja"
	if c, _, _ = h.answer(h.fake.Command(channel, ja, "status")); !strings.Contains(c, "訂閱源") {
		t.Errorf("a ja client in a zh-TW server reads %q", c)
	}
	// The clock is in week 49 now.
	c, _, _ = h.answer(h.fake.Command(channel, zhAdmin, "digest", fakediscord.Opt("week", "上週")))
	if !strings.Contains(c, "2026-W48") {
		t.Errorf("上週: %q", c)
	}
	cb := h.response(h.fake.Click(channel, zhAdmin, "tag:product:fund0001", m))
	if f := footer(data(cb)); !strings.Contains(f, "產品") || !strings.Contains(f, "由 ana 標記") {
		t.Errorf("zh-TW footer after a tag: %q", f)
	}
	h.noRejects()
}

func TestAutocomplete(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for _, tc := range []struct {
		typed, want string
	}{
		{"voice mode", "launch01"},
		{"系統對標", "zhcn0001"}, // Traditional, no spaces, finds 系统对标
		{"大模型系統", "zhcn0001"},
		{"antropic", "anth0001"}, // a typo
	} {
		cb := h.response(h.fake.Autocomplete(channel, admin, "tag", "item", tc.typed))
		choices := data(cb)["choices"].([]any)
		if len(choices) == 0 || choices[0].(map[string]any)["value"] != tc.want {
			t.Errorf("%q: %v", tc.typed, choices)
			continue
		}
		name := str(choices[0].(map[string]any)["name"])
		if utf8.RuneCountInString(name) > 100 || !regexp.MustCompile(`· (Nov|Dec) \d+ · `).MatchString(name) {
			t.Errorf("%q: choice %q lacks date and source", tc.typed, name)
		}
	}
	cb := h.response(h.fake.Autocomplete(channel, admin, "pick", "item", "zzzqqq nothing"))
	raw, _ := json.Marshal(data(cb))
	if string(raw) != `{"choices":[]}` {
		t.Errorf("no match should answer choices: [], got %s", raw)
	}
	// Newest first.
	cb = h.response(h.fake.Autocomplete(channel, admin, "pick", "item", "ships"))
	choices := data(cb)["choices"].([]any)
	var got []string
	for _, c := range choices {
		got = append(got, str(c.(map[string]any)["value"]))
	}
	if len(got) != 13 || got[0] != "more0011" || !slices.Contains(got, "anth0001") {
		t.Errorf("ships: %v", got)
	}
	for i := 1; i < len(got); i++ {
		a := h.item(got[i-1])
		b := h.item(got[i])
		if a.Published.Before(b.Published) {
			t.Errorf("not newest first: %s before %s", got[i-1], got[i])
		}
	}
	h.noRejects()
}

// feedServer serves a small RSS feed, an HTML page and a 404.
func feedServer(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/feed.xml":
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Lab Notes</title><link>https://lab.example.com/</link>`+
				`<item><title>One</title><link>https://lab.example.com/1</link></item><item><title>Two</title><link>https://lab.example.com/2</link></item></channel></rss>`)
		case "/page":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, `<!doctype html><html><head><title>Lab</title></head><body>hi</body></html>`)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestFeedsAddChecksFirst(t *testing.T) {
	t.Parallel()
	srv := feedServer(t)
	h := newHarness(t, setup{cfg: func(c *config.Config) { c.Poll.AllowPrivateNetworks = true }})
	add := func(name, url string) string {
		t.Helper()
		c, eph, _ := h.answer(h.fake.Command(channel, admin, "feeds", fakediscord.Sub("add", fakediscord.Opt("name", name), fakediscord.Opt("url", url), fakediscord.Opt("kind", "blog"))))
		if !eph {
			t.Errorf("add %s answered in public", name)
		}
		return c
	}
	for _, tc := range []struct {
		name, url, want string
		saved           bool
	}{
		{"Lab", srv.URL + "/feed.xml", "“Lab Notes”, 2 items", true},
		{"Missing", srv.URL + "/nope.xml", "HTTP 404", false},
		{"Page", srv.URL + "/page", "not an RSS, Atom or JSON feed", false},
		{"Lab again", srv.URL + "/feed.xml/", "already followed as **Lab**", false},
		{"Ftp", "ftp://x.example.com/feed", "only http and https", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if c := add(tc.name, tc.url); !strings.Contains(c, tc.want) {
				t.Errorf("add %s: %q, want %q", tc.url, c, tc.want)
			}
			if _, err := h.st.Feed(tc.name); (err == nil) != tc.saved {
				t.Errorf("saved = %v, want %v", err == nil, tc.saved)
			}
		})
	}
	// The list shows the URL without credentials, the health and the
	// last success.
	if err := h.svc.AddFeed(news.Feed{Name: "Secret", URL: "https://user:hunter2@s.example.com/rss?api_key=abc123&x=1", Kind: news.KindNews}); err != nil {
		t.Fatal(err)
	}
	c, _, _ := h.answer(h.fake.Command(channel, admin, "feeds", fakediscord.Sub("list")))
	if strings.Contains(c, "hunter2") || strings.Contains(c, "abc123") || !strings.Contains(c, "s.example.com/rss") || !strings.Contains(c, "never") {
		t.Errorf("feeds list: %q", c)
	}
	if c, _, _ := h.answer(h.fake.Command(channel, zhAdmin, "feeds", fakediscord.Sub("list"))); !strings.Contains(c, "尚未抓取") || !strings.Contains(c, "從未") {
		t.Errorf("zh-TW feeds list: %q", c)
	}
	// Feed names autocomplete in remove and enable.
	cb := h.response(h.fake.Autocomplete(channel, admin, "feeds", "name", "la", "remove"))
	if ch := data(cb)["choices"].([]any); len(ch) != 1 || ch[0].(map[string]any)["value"] != "Lab" {
		t.Errorf("feed name autocomplete: %v", ch)
	}
	h.noRejects()
}

func TestFeedsAddRefusedByTheNetworkGuard(t *testing.T) {
	t.Parallel()
	srv := feedServer(t)
	h := newHarness(t) // allow_private_networks: false
	c, eph, _ := h.answer(h.fake.Command(channel, admin, "feeds", fakediscord.Sub("add", fakediscord.Opt("name", "Local"), fakediscord.Opt("url", srv.URL+"/feed.xml"), fakediscord.Opt("kind", "news"))))
	if !eph || !strings.Contains(c, "private or local address") {
		t.Errorf("a loopback feed: %q", c)
	}
	if _, err := h.st.Feed("Local"); err == nil {
		t.Error("a refused feed was saved")
	}
}

func TestFeedsImportOPML(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	good := `<?xml version="1.0"?>
<opml version="2.0"><head><title>x</title></head><body>
<outline text="Papers"><outline text="arXiv AI" type="rss" xmlUrl="https://arxiv.example.org/rss/cs.AI"/></outline>
<outline text="Misc"><outline text="Lab Blog" type="rss" xmlUrl="https://lab.example.com/feed"/></outline>
</body></opml>`
	c, eph, _ := h.answer(h.fake.CommandWithFile(channel, admin, "feeds", "import", "file", "feeds.opml", []byte(good), fakediscord.Opt("kind", "blog")))
	if !eph || !strings.Contains(c, "Imported 2 feeds") {
		t.Errorf("import: %q", c)
	}
	if f, err := h.st.Feed("arXiv AI"); err != nil || f.Kind != news.KindPaper {
		t.Errorf("the Papers folder should make a paper feed: %+v %v", f, err)
	}
	bad := `<?xml version="1.0"?>
<opml version="2.0"><body>
<outline text="New One" type="rss" xmlUrl="https://new.example.com/feed"/>
<outline text="Broken" type="rss" xmlUrl="ftp://nope/feed"/>
</body></opml>`
	c, _, _ = h.answer(h.fake.CommandWithFile(channel, admin, "feeds", "import", "file", "more.opml", []byte(bad), fakediscord.Opt("kind", "news")))
	if !strings.Contains(c, "Nothing was imported") || !strings.Contains(c, "• 4: Broken") {
		t.Errorf("a bad line: %q", c)
	}
	if _, err := h.st.Feed("New One"); err == nil {
		t.Error("half an import was saved")
	}
	h.noRejects()
}

func TestEpisodeNotesPublishable(t *testing.T) {
	t.Parallel()
	h := newHarness(t, twoHosts)
	h.answer(h.fake.Command(channel, admin, "pick", fakediscord.Opt("item", "launch01")))
	h.answer(h.fake.Command(channel, cohost, "pick", fakediscord.Opt("item", "paper001")))
	c, eph, fu := h.answer(h.fake.Command(channel, admin, "episode"))
	if !eph || !strings.Contains(c, "2026-W48") {
		t.Errorf("episode: %q", c)
	}
	md := str(files(fu)["show-notes-2026-W48.md"])
	if !strings.HasPrefix(md, "# Show notes · 2026-W48") {
		t.Errorf("notes title: %q", md)
	}
	if !strings.Contains(md, "## Research") || !strings.Contains(md, "## Product") || strings.Contains(md, "## Other") {
		t.Errorf("notes sections (the empty Other must be left out): %q", md)
	}
	if !strings.Contains(md, "[The Verge](https://e.example.com/launch01)") {
		t.Errorf("notes without source links: %q", md)
	}
	if confidence.MatchString(md) || strings.Contains(md, "launch01`") || strings.Contains(md, "picked by") || strings.Contains(md, "0.") {
		t.Errorf("notes carry internals: %q", md)
	}
}

func TestDisabledFeedAnnouncedOnce(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.subscribe(admin)
	if err := h.st.SyncFeeds([]news.Feed{{Name: "Flaky Feed", URL: "https://flaky.example.com/feed", Kind: news.KindNews}}); err != nil {
		t.Fatal(err)
	}
	if err := h.st.UpdateFeed("Flaky Feed", func(r *store.FeedRecord) error {
		r.State.Disabled, r.State.DisabledWhy, r.State.DisabledAt = true, "10 consecutive failures; last: HTTP 500 <@1>", h.clock.now()
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	announced := func() int {
		n := 0
		for _, m := range h.fake.Messages(channel) {
			if strings.Contains(m.Content(), "Flaky Feed") && strings.Contains(m.Content(), "/feeds enable") {
				n++
				if am, _ := m.Body["allowed_mentions"].(map[string]any); am == nil || len(am["parse"].([]any)) != 0 {
					t.Errorf("announcement may mention: %v", m.Body)
				}
			}
		}
		return n
	}
	if !h.fake.WaitFor(5*time.Second, func() bool { return announced() == 1 }) {
		t.Fatal("the disabled feed was not announced")
	}
	h.ticks(3)
	h.shutdown()
	h.start()
	h.ticks(3)
	if n := announced(); n != 1 {
		t.Errorf("announced %d times", n)
	}
}

func TestFullWeekButtonSendsTheWeekPrivately(t *testing.T) {
	t.Parallel()
	h := newHarness(t, setup{cfg: func(c *config.Config) { c.Digest.PerSection = 2 }})
	h.subscribe(admin)
	h.due()
	h.waitPost("2026-W48")
	msgs := h.digestMessages()
	last := msgs[len(msgs)-1]
	if !strings.Contains(last.Content(), "more stories this week") {
		t.Fatalf("the last message should offer the rest: %v", last.Body)
	}
	id := str(button(last.Body, 0)["custom_id"])
	cb := h.response(h.fake.Click(channel, guest, id, last))
	md := str(files(cb)["digest-2026-W48.md"])
	if flagsOf(data(cb))&64 == 0 || strings.Count(md, "\n1. ") < 3 || !strings.Contains(md, "\n5. **") || !strings.Contains(md, "Robotics startup") {
		t.Errorf("full week (five product stories where the post showed two): %v\n%s", data(cb)["content"], md)
	}
	mentionsNobody(t, data(cb))
	h.noRejects()
}

func TestStatusWithManyFailingFeedsFitsDiscord(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	var fs []news.Feed
	for i := range 40 {
		fs = append(fs, news.Feed{Name: fmt.Sprintf("Failing feed number %02d with a long name", i), URL: fmt.Sprintf("https://f%d.example.com/feed", i), Kind: news.KindNews})
	}
	if err := h.st.SyncFeeds(fs); err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		if err := h.st.UpdateFeed(f.Name, func(r *store.FeedRecord) error {
			r.State.Failures, r.State.LastError = 3, strings.Repeat("connection refused by the remote host; ", 8)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	for _, who := range []fakediscord.Member{admin, zhAdmin} {
		c, _, _ := h.answer(h.fake.Command(channel, who, "status"))
		if n := utf8.RuneCountInString(c); n > 2000 || n < 1500 || !strings.Contains(c, "Failing feed number 00") {
			t.Errorf("/status of %d characters: %q", n, c)
		}
	}
	h.noRejects()
}

func TestGatewayDropReconnects(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.fake.Drop()
	if !h.fake.WaitFor(15*time.Second, func() bool { ident, res := h.fake.Identifies(); return h.fake.Connected() && ident+res >= 2 }) {
		t.Fatal("the bot did not reconnect after the gateway dropped")
	}
	c, _, _ := h.answer(h.fake.Command(channel, admin, "status"))
	if !strings.Contains(c, "Feeds") {
		t.Errorf("status after reconnect: %q", c)
	}
}
