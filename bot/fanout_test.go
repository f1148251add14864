package bot_test

import (
	"flag"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/triagebot/triagebot/bot"
	"github.com/triagebot/triagebot/config"
	"github.com/triagebot/triagebot/digest"
	"github.com/triagebot/triagebot/internal/fakediscord"
	"github.com/triagebot/triagebot/news"
)

// countBuilds counts the week's digest builds.
type countBuilds struct {
	bot.Backend
	n atomic.Int32
}

func (c *countBuilds) WeekDigest(week string) (*digest.Digest, error) {
	if week == "2026-W48" {
		c.n.Add(1)
	}
	return c.Backend.WeekDigest(week)
}

var fanoutLoad = flag.Int("fanout", 0, "run TestFanOutLoad with this many subscribed channels (e.g. 1000) under Discord's real rate limits")

// subscribeMany subscribes n channels straight in the store, after the
// week before fell due and before this one does.
func (h *harness) subscribeMany(n int) []string {
	h.t.Helper()
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("41%016d", i)
		if err := h.st.PutSubscription(news.Subscription{ChannelID: ids[i], GuildID: "300000000000000001", CreatedAt: w48.Add(10 * time.Hour)}); err != nil {
			h.t.Fatal(err)
		}
	}
	return ids
}

// delivered checks one channel's week: the first message in the channel,
// the rest in its one thread, each body of the ledger exactly once.
func (h *harness) delivered(ch string, p news.Post) (dups int) {
	h.t.Helper()
	msgs := h.fake.Messages(ch)
	for _, th := range h.fake.ThreadsOf(ch) {
		msgs = append(msgs, h.fake.Messages(th)...)
	}
	seen := map[string]bool{}
	for _, m := range msgs {
		if seen[m.Nonce] {
			dups++
		}
		seen[m.Nonce] = true
	}
	if len(msgs) != len(p.Bodies) || len(seen) != len(p.Nonces) {
		h.t.Errorf("channel %s: %d messages (%d distinct) for a ledger of %d", ch, len(msgs), len(seen), len(p.Bodies))
	}
	return dups
}

// TestFanOutChannelsDoNotWaitForEachOther: twenty channels under
// per-channel buckets. One channel hangs and then fails, one is paused;
// the other eighteen get the whole week while the hung one's first post
// is still unanswered, within the buckets (no 429), and each exactly once.
// The failing one has its ledger (bodies and nonces) before its first send
// and, once Discord works again, gets the week exactly once too.
func TestFanOutChannelsDoNotWaitForEachOther(t *testing.T) {
	t.Parallel()
	builds := &countBuilds{}
	h := newHarness(t, setup{opts: func(o *bot.Options) { o.RequestsPerSecond = 1000; o.Concurrency = 8 },
		wrap: func(b bot.Backend) bot.Backend { builds.Backend = b; return builds }})
	h.fake.SetLimits(fakediscord.Limits{Global: 1000, GlobalWindow: time.Second, PerChannel: 5, ChannelWindow: 100 * time.Millisecond})
	chans := h.subscribeMany(20)
	failing, paused := chans[0], chans[1]
	if err := h.svc.Pause(paused, "test: paused"); err != nil {
		t.Fatal(err)
	}
	release := h.fake.Hold(failing)
	t.Cleanup(release)
	h.fake.Fail(failing, true)
	h.due()
	week := "2026-W48"
	healthy := chans[2:]
	allDone := func() bool {
		for _, ch := range healthy {
			if p, ok := h.post(ch, week); !ok || !p.Done {
				return false
			}
		}
		return true
	}
	if !h.fake.WaitFor(30*time.Second, allDone) {
		t.Fatalf("the healthy channels did not all get the week; rejected %v", h.fake.Rejected())
	}
	if n := builds.n.Load(); n != 1 {
		t.Errorf("the week was built %d times for one pass over 20 channels, want once", n)
	}
	if h.fake.Waiting(failing) != 1 {
		t.Fatalf("the hung channel has %d posts waiting; the others should have finished while it hung", h.fake.Waiting(failing))
	}
	p, ok := h.post(failing, week)
	if !ok || len(p.Bodies) == 0 || len(p.Nonces) != len(p.Bodies) || p.MessageIDs[0] != "" || p.Done {
		t.Fatalf("the ledger of a channel whose first send is in flight: ok %v, %d bodies, ids %q, done %v", ok, len(p.Bodies), p.MessageIDs, p.Done)
	}
	dups := 0
	for _, ch := range healthy {
		p, _ := h.post(ch, week)
		dups += h.delivered(ch, p)
	}
	if dups != 0 {
		t.Errorf("%d duplicate messages", dups)
	}
	if n := len(h.fake.Messages(paused)); n != 0 {
		t.Errorf("the paused channel got %d messages", n)
	}
	if _, ok := h.post(paused, week); ok {
		t.Error("the paused channel has a ledger entry")
	}
	// The hung post now fails; nothing reaches the channel and the
	// others are untouched. Then Discord heals: exactly one week arrives.
	release()
	h.ticks(2)
	if n := len(h.fake.Messages(failing)); n != 0 {
		t.Fatalf("a failing channel got %d messages", n)
	}
	h.fake.Fail(failing, false)
	if !h.fake.WaitFor(20*time.Second, func() bool { p, _ = h.post(failing, week); return p.Done }) {
		t.Fatal("the channel did not get the week after Discord healed")
	}
	if h.delivered(failing, p) != 0 {
		t.Error("duplicates in the healed channel")
	}
	if tm := h.fake.TooMany(); tm.Channel != 0 || tm.Global != 0 {
		t.Errorf("429s: %+v; discordgo should wait out each channel's bucket from the headers", tm)
	}
	h.noRejects()
}

// TestFanOutLoad is the load run (go test ./bot -run TestFanOutLoad
// -fanout 1000 -v): N channels get the week under Discord's real limits,
// 50 requests/s for the bot and 5 messages per 5 s per channel. It reports
// the time against the floor the global limit sets: requests / 50 per s.
func TestFanOutLoad(t *testing.T) {
	n := *fanoutLoad
	if n == 0 {
		t.Skip("a load run: -fanout N")
	}
	h := newHarness(t, setup{cfg: func(c *config.Config) { c.Digest.PerSection = 2 }, opts: func(o *bot.Options) {
		o.Tick = time.Second
		// discord.com speaks HTTP/2: one connection carries every request.
		// The loopback fake speaks HTTP/1.1, so keep its connections
		// alive rather than dial one per request (the default keeps 2).
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.MaxIdleConnsPerHost = 128
		o.Transport = tr
	}})
	limits := fakediscord.DiscordLimits()
	h.fake.SetLimits(limits)
	chans := h.subscribeMany(n)
	week := "2026-W48"
	before := h.fake.Requests()
	start := time.Now()
	h.due()
	done := func() int {
		k := 0
		for _, ch := range chans {
			if p, ok := h.post(ch, week); ok && p.Done {
				k++
			}
		}
		return k
	}
	if !h.fake.WaitFor(time.Hour, func() bool { return done() == n }) {
		t.Fatalf("%d of %d channels done", done(), n)
	}
	took := time.Since(start)
	reqs := h.fake.Requests() - before
	dups, msgs := 0, 0
	for _, ch := range chans {
		p, _ := h.post(ch, week)
		dups += h.delivered(ch, p)
		msgs += len(p.Bodies)
	}
	// The floor counts the requests the post needs, not the 429s.
	tm := h.fake.TooMany()
	needed := reqs - tm.Global - tm.Channel
	floor := time.Duration(float64(needed) / float64(limits.Global) * float64(limits.GlobalWindow))
	t.Logf("%d channels, %d messages, %d requests (+%d answered 429: global %d, channel %d) in %s; floor at %d/s: %s (%.2fx); violations %d, duplicates %d",
		n, msgs, needed, tm.Global+tm.Channel, tm.Global, tm.Channel, took.Round(10*time.Millisecond), limits.Global, floor.Round(10*time.Millisecond),
		took.Seconds()/floor.Seconds(), len(h.fake.Rejected()), dups)
	if dups != 0 || len(h.fake.Rejected()) != 0 {
		t.Errorf("%d duplicates, violations %v", dups, h.fake.Rejected())
	}
}

// TestResumeBetweenFirstMessageAndThread: a process stopped after the
// first message was confirmed but before its thread was recorded resumes
// into the thread, not the channel, and without a duplicate.
func TestResumeBetweenFirstMessageAndThread(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.subscribe(admin)
	h.due()
	p := h.waitPost("2026-W48")
	h.shutdown()
	want := len(h.digestMessages())
	// The ledger as it stood between the first send and the thread.
	for i := 1; i < len(p.MessageIDs); i++ {
		p.MessageIDs[i] = ""
	}
	p.ThreadID, p.Done = "", false
	if err := h.st.PutPost(p); err != nil {
		t.Fatal(err)
	}
	h.start()
	p = h.waitPost("2026-W48")
	if p.ThreadID != p.MessageIDs[0] {
		t.Errorf("thread %q, want the first message's %q", p.ThreadID, p.MessageIDs[0])
	}
	if n := len(h.fake.Messages(channel)); n != 1 {
		t.Errorf("%d messages in the channel, want 1 (the rest in the thread)", n)
	}
	if got := len(h.digestMessages()); got != want {
		t.Errorf("%d messages after the resume, want %d", got, want)
	}
}

// A thread that fails to open during an outage is opened at the next try:
// the week's stories never spill into the channel for a 500.
func TestThreadOutageDoesNotSpillIntoTheChannel(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.subscribe(admin)
	h.fake.ThreadOutage(channel, 1)
	h.due()
	p := h.waitPost("2026-W48")
	if p.ThreadID != p.MessageIDs[0] {
		t.Fatalf("thread %q, want the first message's %q", p.ThreadID, p.MessageIDs[0])
	}
	if n := len(h.fake.Messages(channel)); n != 1 {
		t.Fatalf("%d messages in the channel, want 1 (the rest in the thread)", n)
	}
}

// A channel where Discord refuses threads gets the whole week in the
// channel, and the ledger says so (InChannel), so a resume does not ask
// for the thread again.
func TestChannelWithoutThreadsGetsTheWeekInTheChannel(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.subscribe(admin)
	h.fake.NoThreads(channel)
	h.due()
	p := h.waitPost("2026-W48")
	if !p.InChannel || p.ThreadID != "" {
		t.Fatalf("ledger: in channel %v, thread %q; want the channel, no thread", p.InChannel, p.ThreadID)
	}
	if got := len(h.fake.Messages(channel)); got != len(p.Bodies) || len(h.fake.ThreadsOf(channel)) != 0 {
		t.Fatalf("%d of %d messages in the channel, %d threads", got, len(p.Bodies), len(h.fake.ThreadsOf(channel)))
	}
	// Stopped after the second message: the rest follow in the channel.
	h.shutdown()
	for i := 2; i < len(p.MessageIDs); i++ {
		p.MessageIDs[i] = ""
	}
	p.Done = false
	if err := h.st.PutPost(p); err != nil {
		t.Fatal(err)
	}
	h.start()
	p = h.waitPost("2026-W48")
	if got := len(h.fake.Messages(channel)); got != len(p.Bodies) || len(h.fake.ThreadsOf(channel)) != 0 {
		t.Errorf("after the resume: %d of %d messages in the channel, %d threads", got, len(p.Bodies), len(h.fake.ThreadsOf(channel)))
	}
	h.noRejects()
}
