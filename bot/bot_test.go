package bot_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/triagebot/triagebot/bot"
	"github.com/triagebot/triagebot/bot/fakediscord"
	"github.com/triagebot/triagebot/classifier"
	"github.com/triagebot/triagebot/config"
	"github.com/triagebot/triagebot/news"
	"github.com/triagebot/triagebot/service"
	"github.com/triagebot/triagebot/store"
)

const (
	token   = "fake-token-not-secret"
	channel = "400000000000000001"
)

var (
	admin = fakediscord.Member{UserID: "500000000000000001", Name: "ana", Permissions: 32}
	guest = fakediscord.Member{UserID: "500000000000000002", Name: "guest", Permissions: 0}
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
}

// week 48 of 2026 runs Mon 23 Nov to Mon 30 Nov (UTC); its digest is due
// Mon 30 Nov 09:00.
var w48 = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

func seedItems(t *testing.T, st *store.Store) {
	t.Helper()
	mk := func(id, feed string, kind news.Kind, title, summary string, day int) news.Item {
		return news.Item{ID: id + "xx", Key: "url:https://e.example.com/" + id, Title: title, Summary: summary, URL: "https://e.example.com/" + id,
			Feed: feed, Source: feed, SourceKind: kind, Published: w48.AddDate(0, 0, day).Add(10 * time.Hour), FirstSeen: w48}
	}
	items := []news.Item{
		mk("launch01", "The Verge", news.KindNews, "Acme launches a voice mode for its assistant app", "Rolling out today to all users on iOS and Android.", 1),
		mk("fund0001", "TechCrunch", news.KindNews, "Robotics startup raises $80M Series B", "The round was led by growth investors.", 2),
		mk("paper001", "arXiv cs.CL", news.KindPaper, "Sparse Adapters Let Frozen Models Read Charts", "We propose sparse adapters and outperform fine-tuning on three benchmarks.", 1),
		mk("evil0001", "Hostile Blog", news.KindBlog, "@everyone free GPUs <@123> **now** [here](https://evil.example.com)", "@here click", 3),
	}
	for i := range 12 { // enough stories for several messages
		items = append(items, mk(fmt.Sprintf("more%04d", i), "Other News", news.KindNews, fmt.Sprintf("Company %d ships feature %d to users", i, i), "Now available in the app.", i%6))
	}
	if _, err := st.UpsertItems(items); err != nil {
		t.Fatal(err)
	}
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	h := &harness{t: t, fake: fakediscord.New(token), dir: t.TempDir(), clock: &clock{t: time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)}, retry: 5 * time.Millisecond}
	t.Cleanup(h.fake.Close)
	st, err := store.Open(h.dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	h.st = st
	seedItems(t, st)
	h.start()
	t.Cleanup(func() { h.shutdown(); h.st.Close() })
	return h
}

func (h *harness) start() {
	h.t.Helper()
	cfg := config.Defaults()
	cfg.Timezone = "UTC"
	// Every seeded story in the digest (the twelve "Company N ships
	// feature N" items are twelve stories), so the hostile one is shown.
	cfg.Digest.PerSection = 25
	if err := cfg.Validate(); err != nil {
		h.t.Fatal(err)
	}
	m, err := classifier.Builtin()
	if err != nil {
		h.t.Fatal(err)
	}
	h.svc = service.New(h.st, m, &cfg, h.clock.now)
	h.bot, err = bot.New(bot.Options{Token: token, APIURL: h.fake.URL(), Location: time.UTC, Weekday: time.Monday, Clock: 9 * time.Hour,
		Now: h.clock.now, RetryBase: h.retry, Tick: 30 * time.Millisecond}, h.svc)
	if err != nil {
		h.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	h.stop, h.done = cancel, make(chan error, 1)
	go func() { h.done <- h.bot.Run(ctx) }()
	if !h.fake.WaitFor(10*time.Second, func() bool { return h.fake.Connected() && len(h.fake.Commands()) > 0 }) {
		h.t.Fatal("the bot did not connect and register its commands")
	}
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

// response waits for the interaction's first callback.
func (h *harness) response(id string) map[string]any {
	h.t.Helper()
	if !h.fake.WaitFor(5*time.Second, func() bool { return len(h.fake.Callbacks(id)) > 0 }) {
		h.t.Fatalf("interaction %s was not answered", id)
	}
	return h.fake.Callbacks(id)[0]
}

func data(cb map[string]any) map[string]any { d, _ := cb["data"].(map[string]any); return d }

func ephemeral(cb map[string]any) bool { f, _ := data(cb)["flags"].(float64); return int(f)&64 != 0 }

func TestCommandsRegisteredValidly(t *testing.T) {
	h := newHarness(t)
	cmds := h.fake.Commands()
	names := map[string]map[string]any{}
	for _, c := range cmds {
		names[c["name"].(string)] = c
	}
	for _, n := range []string{"subscribe", "unsubscribe", "digest", "tag", "pick", "episode", "feeds", "status"} {
		if names[n] == nil {
			t.Errorf("command %s not registered", n)
		}
	}
	for _, n := range []string{"subscribe", "unsubscribe", "feeds"} {
		if names[n]["default_member_permissions"] != "32" {
			t.Errorf("%s: default_member_permissions = %v, want Manage Server (32)", n, names[n]["default_member_permissions"])
		}
	}
	if rej := h.fake.Rejected(); len(rej) != 0 {
		t.Errorf("the fake rejected: %v", rej)
	}
}

func (h *harness) subscribe() {
	h.t.Helper()
	cb := h.response(h.fake.Command(channel, admin, "subscribe"))
	if !strings.Contains(data(cb)["content"].(string), "weekly digest") {
		h.t.Fatalf("subscribe answer: %v", cb)
	}
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

func (h *harness) waitPost(week string) news.Post {
	h.t.Helper()
	var p news.Post
	ok := h.fake.WaitFor(10*time.Second, func() bool {
		var found bool
		p, found, _ = h.st.Post(channel, week)
		return found && p.Done
	})
	if !ok {
		h.t.Fatalf("the %s digest was not posted: %+v", week, p)
	}
	return p
}

func TestScheduledDigestPostedOnceAndNotAgainAfterRestart(t *testing.T) {
	h := newHarness(t)
	h.subscribe()
	// Before the due time nothing is posted.
	time.Sleep(150 * time.Millisecond)
	if n := len(h.digestMessages()); n != 0 {
		t.Fatalf("%d messages before the digest was due", n)
	}
	h.clock.set(time.Date(2026, 11, 30, 9, 0, 1, 0, time.UTC))
	p := h.waitPost("2026-W48")
	msgs := h.digestMessages()
	if len(msgs) != len(p.Bodies) || len(msgs) < 2 {
		t.Fatalf("%d messages for a post of %d", len(msgs), len(p.Bodies))
	}
	if threads := h.fake.ThreadsOf(channel); len(threads) != 1 || len(h.fake.Messages(threads[0])) != len(msgs)-1 {
		t.Errorf("threads %v: the rest of the digest should be in one thread", threads)
	}
	if !strings.Contains(msgs[0].Content(), "AI news · 2026-W48") {
		t.Errorf("first message: %q", msgs[0].Content())
	}
	// More ticks, then a restart: nothing new.
	time.Sleep(150 * time.Millisecond)
	h.shutdown()
	h.start()
	time.Sleep(200 * time.Millisecond)
	if n := len(h.digestMessages()); n != len(msgs) {
		t.Errorf("after a restart %d messages, want %d", n, len(msgs))
	}
	if rej := h.fake.Rejected(); len(rej) != 0 {
		t.Errorf("the fake rejected: %v", rej)
	}
}

func TestKillDuringPostingLeavesNoDuplicate(t *testing.T) {
	h := newHarness(t)
	h.subscribe()
	// Restart with a long retry wait, so the process is "killed" while it
	// waits: the second message reached Discord, but its answer was lost,
	// so the ledger does not know it.
	h.shutdown()
	h.retry = time.Hour
	h.fake.DropAfter(2)
	h.clock.set(time.Date(2026, 11, 30, 9, 0, 1, 0, time.UTC))
	h.start()
	if !h.fake.WaitFor(5*time.Second, func() bool { return len(h.digestMessages()) == 2 }) {
		t.Fatalf("expected the first two messages to reach Discord, got %d", len(h.digestMessages()))
	}
	time.Sleep(50 * time.Millisecond)
	h.shutdown()
	p, _, _ := h.st.Post(channel, "2026-W48")
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
	h := newHarness(t)
	h.subscribe()
	h.fake.RateLimitNext(3)
	h.clock.set(time.Date(2026, 11, 30, 9, 0, 1, 0, time.UTC))
	p := h.waitPost("2026-W48")
	if msgs := h.digestMessages(); len(msgs) != len(p.Bodies) {
		t.Errorf("%d messages arrived for %d sent", len(msgs), len(p.Bodies))
	}
}

func TestDeletedChannelPausesSubscription(t *testing.T) {
	h := newHarness(t)
	h.subscribe()
	h.fake.DeleteChannel(channel)
	h.clock.set(time.Date(2026, 11, 30, 9, 0, 1, 0, time.UTC))
	ok := h.fake.WaitFor(5*time.Second, func() bool {
		subs, _ := h.st.Subscriptions()
		return len(subs) == 1 && subs[0].Paused
	})
	if !ok {
		t.Fatal("the subscription was not paused")
	}
	subs, _ := h.st.Subscriptions()
	if !strings.Contains(subs[0].PausedWhy, "no longer exists") {
		t.Errorf("paused why: %q", subs[0].PausedWhy)
	}
	// /status shows it.
	cb := h.response(h.fake.Command(channel, admin, "status"))
	if !strings.Contains(data(cb)["content"].(string), "paused") {
		t.Errorf("status: %v", data(cb)["content"])
	}
}

func TestMentionsInFeedTextPingNobody(t *testing.T) {
	h := newHarness(t)
	h.subscribe()
	h.clock.set(time.Date(2026, 11, 30, 9, 0, 1, 0, time.UTC))
	h.waitPost("2026-W48")
	found := false
	for _, m := range h.digestMessages() {
		am, ok := m.Body["allowed_mentions"].(map[string]any)
		if !ok || len(am["parse"].([]any)) != 0 {
			t.Errorf("message without allowed_mentions parse=[]: %v", m.Body)
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

func TestNonAdminFeedsAndSubscribeRefused(t *testing.T) {
	h := newHarness(t)
	for _, cmd := range []struct {
		name string
		opts []map[string]any
	}{
		{"feeds", []map[string]any{fakediscord.Sub("list")}},
		{"feeds", []map[string]any{fakediscord.Sub("add", fakediscord.Opt("name", "x"), fakediscord.Opt("url", "https://x.example.com/feed"), fakediscord.Opt("kind", "news"))}},
		{"subscribe", nil},
		{"unsubscribe", nil},
	} {
		cb := h.response(h.fake.Command(channel, guest, cmd.name, cmd.opts...))
		if !ephemeral(cb) || !strings.Contains(data(cb)["content"].(string), "Manage Server") {
			t.Errorf("%s by a guest: %v", cmd.name, cb)
		}
	}
	if subs, _ := h.st.Subscriptions(); len(subs) != 0 {
		t.Errorf("a refused /subscribe subscribed: %v", subs)
	}
	if _, err := h.st.Feed("x"); err == nil {
		t.Error("a refused /feeds add added the feed")
	}
	// An admin can, with the same validation as the CLI.
	cb := h.response(h.fake.Command(channel, admin, "feeds", fakediscord.Sub("add", fakediscord.Opt("name", "x"), fakediscord.Opt("url", "ftp://x/feed"), fakediscord.Opt("kind", "news"))))
	if !strings.Contains(data(cb)["content"].(string), "only http and https") {
		t.Errorf("bad url: %v", data(cb))
	}
	cb = h.response(h.fake.Command(channel, admin, "feeds", fakediscord.Sub("add", fakediscord.Opt("name", "X Feed"), fakediscord.Opt("url", "https://x.example.com/feed"), fakediscord.Opt("kind", "news"))))
	if !strings.Contains(data(cb)["content"].(string), "Added") {
		t.Errorf("add: %v", data(cb))
	}
	cb = h.response(h.fake.Command(channel, admin, "feeds", fakediscord.Sub("list")))
	if !strings.Contains(data(cb)["content"].(string), "X Feed") {
		t.Errorf("list: %v", data(cb))
	}
}

func TestButtonRetagsAndNextDigestReflectsIt(t *testing.T) {
	h := newHarness(t)
	id := h.fake.Command(channel, admin, "digest", fakediscord.Opt("week", "2026-W48"))
	h.response(id) // deferred
	hasFunding := func() bool {
		for _, fu := range h.fake.Followups() {
			raw, _ := json.Marshal(fu)
			if strings.Contains(string(raw), "Robotics startup raises") {
				return true
			}
		}
		return false
	}
	if !h.fake.WaitFor(5*time.Second, hasFunding) {
		t.Fatalf("the digest follow-ups lack the funding story: %v", h.fake.Followups())
	}
	// Find the funding story's buttons and tag it research.
	var target string
	for _, fu := range h.fake.Followups() {
		raw, _ := json.Marshal(fu)
		if strings.Contains(string(raw), "Robotics startup raises") {
			embeds := fu["embeds"].([]any)
			rows := fu["components"].([]any)
			for i, e := range embeds {
				if strings.Contains(e.(map[string]any)["title"].(string), "Robotics") {
					btn := rows[i].(map[string]any)["components"].([]any)[0].(map[string]any)
					target = btn["custom_id"].(string)
				}
			}
		}
	}
	if !strings.HasPrefix(target, "tag:research:") {
		t.Fatalf("research button of the funding story not found: %q", target)
	}
	msg := fakediscord.Message{ID: "600000000000000001", ChannelID: channel, Body: map[string]any{"content": "x", "components": []any{
		map[string]any{"type": 1, "components": []any{
			map[string]any{"type": 2, "style": 2, "label": "research", "custom_id": target},
			map[string]any{"type": 2, "style": 1, "label": "other", "custom_id": strings.Replace(target, "research", "other", 1)},
		}}}}}
	cb := h.response(h.fake.Click(channel, admin, target, msg))
	if cb["type"].(float64) != 7 {
		t.Fatalf("a button should update its message in place: %v", cb)
	}
	btn := data(cb)["components"].([]any)[0].(map[string]any)["components"].([]any)[0].(map[string]any)
	if btn["style"].(float64) != 1 {
		t.Errorf("the chosen label should be highlighted: %v", btn)
	}
	itemID := strings.TrimPrefix(target, "tag:research:")
	it, err := h.st.Item(itemID)
	if err != nil || it.Tag != news.Research || it.TaggedBy != "ana" {
		t.Fatalf("item after click: %+v %v", it, err)
	}
	// The next /digest shows the story under Research, as tagged.
	before := len(h.fake.Followups())
	h.response(h.fake.Command(channel, admin, "digest", fakediscord.Opt("week", "2026-W48")))
	var section string
	ok := h.fake.WaitFor(5*time.Second, func() bool {
		for _, fu := range h.fake.Followups()[before:] {
			if c, _ := fu["content"].(string); strings.Contains(c, "__**") {
				section = c
			}
			embeds, _ := fu["embeds"].([]any)
			for _, e := range embeds {
				em := e.(map[string]any)
				if strings.Contains(em["title"].(string), "Robotics") {
					return strings.Contains(em["description"].(string), "research (tag)") && strings.Contains(section, "Research")
				}
			}
		}
		return false
	})
	if !ok {
		t.Errorf("the next /digest does not show the story as tagged research: %v", h.fake.Followups()[before:])
	}
}

func TestDisabledFeedAnnouncedOnce(t *testing.T) {
	h := newHarness(t)
	h.subscribe()
	h.st.SyncFeeds([]news.Feed{{Name: "Flaky Feed", URL: "https://flaky.example.com/feed", Kind: news.KindNews}})
	h.st.UpdateFeed("Flaky Feed", func(r *store.FeedRecord) error {
		r.State.Disabled, r.State.DisabledWhy, r.State.DisabledAt = true, "10 consecutive failures; last: HTTP 500", h.clock.now()
		return nil
	})
	announced := func() int {
		n := 0
		for _, m := range h.fake.Messages(channel) {
			if strings.Contains(m.Content(), "Flaky Feed") && strings.Contains(m.Content(), "/feeds enable") {
				n++
			}
		}
		return n
	}
	if !h.fake.WaitFor(5*time.Second, func() bool { return announced() == 1 }) {
		t.Fatal("the disabled feed was not announced")
	}
	time.Sleep(200 * time.Millisecond) // several more ticks
	h.shutdown()
	h.start()
	time.Sleep(200 * time.Millisecond)
	if n := announced(); n != 1 {
		t.Errorf("announced %d times", n)
	}
}

func TestTagPickAutocompleteAndEpisode(t *testing.T) {
	h := newHarness(t)
	cb := h.response(h.fake.Autocomplete(channel, admin, "tag", "item", "voice mode"))
	choices := data(cb)["choices"].([]any)
	if len(choices) != 1 || choices[0].(map[string]any)["value"] != "launch01" {
		t.Fatalf("autocomplete: %v", choices)
	}
	cb = h.response(h.fake.Command(channel, admin, "tag", fakediscord.Opt("item", "launch01"), fakediscord.Opt("label", "product")))
	if !ephemeral(cb) || !strings.Contains(data(cb)["content"].(string), "Tagged `launch01` as **product**") {
		t.Errorf("tag: %v", cb)
	}
	cb = h.response(h.fake.Command(channel, admin, "pick", fakediscord.Opt("item", "launch01")))
	if !strings.Contains(data(cb)["content"].(string), "Picked") {
		t.Errorf("pick: %v", cb)
	}
	cb = h.response(h.fake.Command(channel, admin, "tag", fakediscord.Opt("item", "nothing-like-this"), fakediscord.Opt("label", "product")))
	if !ephemeral(cb) || !strings.Contains(data(cb)["content"].(string), "No item matches") {
		t.Errorf("unknown item: %v", cb)
	}
	h.response(h.fake.Command(channel, admin, "episode"))
	ok := h.fake.WaitFor(5*time.Second, func() bool {
		for _, fu := range h.fake.Followups() {
			if _, isFile := fu["attachments"]; isFile {
				return true
			}
			raw, _ := json.Marshal(fu)
			if strings.Contains(string(raw), "picked by ana") {
				return true
			}
		}
		return false
	})
	if !ok {
		t.Errorf("episode follow-ups: %v", h.fake.Followups())
	}
}

func TestGatewayDropReconnects(t *testing.T) {
	h := newHarness(t)
	h.fake.Drop()
	if !h.fake.WaitFor(15*time.Second, func() bool { ident, res := h.fake.Identifies(); return h.fake.Connected() && ident+res >= 2 }) {
		t.Fatal("the bot did not reconnect after the gateway dropped")
	}
	cb := h.response(h.fake.Command(channel, admin, "status"))
	if !strings.Contains(data(cb)["content"].(string), "Feeds") {
		t.Errorf("status after reconnect: %v", cb)
	}
}
