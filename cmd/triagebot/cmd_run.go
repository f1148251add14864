package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/triagebot/triagebot/bot"
	"github.com/triagebot/triagebot/digest"
	"github.com/triagebot/triagebot/ingest"
	"github.com/triagebot/triagebot/llm"
	"github.com/triagebot/triagebot/news"
	"github.com/triagebot/triagebot/service"
	"github.com/triagebot/triagebot/store"
)

// metrics are the daemon's counters, served at /metrics in Prometheus's
// text format (a handful of counters do not need a client library).
type metrics struct {
	feedsPolled, fetchErrors, digestsPosted atomic.Int64
	itemsByLabel                            [3]atomic.Int64
	bot                                     *bot.Bot
	llm                                     *llm.Assist // nil when the model assist is off
}

func (m *metrics) observe(res []ingest.FeedResult) {
	for _, r := range res {
		m.feedsPolled.Add(1)
		if r.Err != nil {
			m.fetchErrors.Add(1)
		}
		for i, l := range news.Labels() {
			m.itemsByLabel[i].Add(int64(r.NewByLabel[l]))
		}
	}
}

func (m *metrics) write(w io.Writer) {
	c := func(name, help string, v int64) {
		fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s counter\n%s %d\n", name, help, name, name, v)
	}
	c("triagebot_feeds_polled_total", "Feed polls attempted.", m.feedsPolled.Load())
	c("triagebot_fetch_errors_total", "Feed polls that failed.", m.fetchErrors.Load())
	fmt.Fprintf(w, "# HELP triagebot_items_stored_total New items stored, by classifier label.\n# TYPE triagebot_items_stored_total counter\n")
	for i, l := range news.Labels() {
		fmt.Fprintf(w, "triagebot_items_stored_total{label=%q} %d\n", l, m.itemsByLabel[i].Load())
	}
	posted, sent, errs, inter := m.digestsPosted.Load(), int64(0), int64(0), int64(0)
	if m.bot != nil {
		posted += m.bot.Metrics.DigestsPosted.Load()
		sent, errs, inter = m.bot.Metrics.MessagesSent.Load(), m.bot.Metrics.DiscordErrors.Load(), m.bot.Metrics.Interactions.Load()
	}
	c("triagebot_digests_posted_total", "Weekly digests delivered (Discord channels and console).", posted)
	c("triagebot_discord_messages_sent_total", "Discord messages sent.", sent)
	c("triagebot_discord_errors_total", "Failed Discord requests.", errs)
	c("triagebot_discord_interactions_total", "Slash commands, buttons and autocompletes received.", inter)
	if m.llm != nil {
		st := m.llm.Stats()
		c("triagebot_llm_calls_total", "Calls to the model assist's endpoint (retries included).", st.Calls)
		c("triagebot_llm_failures_total", "Model calls that failed or answered outside the schema.", st.Failures)
		c("triagebot_llm_skipped_total", "Model questions skipped: budget spent or endpoint down.", st.Skipped)
		c("triagebot_llm_cache_hits_total", "Model answers served from the store's cache.", st.CacheHits)
		fmt.Fprintf(w, "# HELP triagebot_llm_tokens_total Tokens the model assist used.\n# TYPE triagebot_llm_tokens_total counter\n")
		fmt.Fprintf(w, "triagebot_llm_tokens_total{kind=\"prompt\"} %d\ntriagebot_llm_tokens_total{kind=\"completion\"} %d\n", st.PromptTokens, st.CompletionTokens)
	}
}

func (a *app) cmdRun(args []string) error {
	fs := a.flags("run")
	httpAddr := fs.String("http", "", "serve /healthz and Prometheus /metrics on this address (e.g. 127.0.0.1:9090)")
	if err := parseFlagsOnly(fs, args); err != nil {
		return err
	}
	cfg, st, err := a.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	model, err := a.model(st)
	if err != nil {
		return err
	}
	// One model for the poller, the bot and the CLI commands served here,
	// so a tag from any of them shows in the others at once.
	svc := service.New(st, model, cfg, nil)
	// One model assist too (nil when llm.base_url is empty), so /status
	// and /metrics count the poll's calls and the digests' alike.
	as, err := a.newAssist(cfg, st)
	if err != nil {
		return err
	}
	if as != nil {
		svc.SetAssist(usageAssist{as, st, cfg})
	}
	// Polls never wait on the model: unsure items are asked on the side.
	classify, stopAssist := a.pollClassifier(cfg, st, model, as)
	defer stopAssist() // after the poller stops, before the store closes
	p := a.newPollerWith(cfg, st, classify)
	m := &metrics{llm: as}
	ctx, cancel := context.WithCancel(a.ctx)
	defer cancel()
	// The CLI beside the daemon: commands that need the store run here.
	// Deferred after st.Close, so it runs first: commands in flight finish
	// before the store closes.
	if cs, err := listenControl(ctx, cfg, st, model, a.log); err != nil {
		a.log.Warn("no control socket: CLI commands cannot run while the daemon does", "err", err)
	} else {
		cs.start()
		defer cs.close()
	}
	var wg sync.WaitGroup
	errc := make(chan error, 2)

	polled := make(chan struct{}, 1) // a poll round finished
	token := cfg.Discord.Token()
	if token == "" {
		fmt.Fprintf(a.stdout, "console mode: no Discord token in $%s. Digests are printed here and written to %s every %s at %s (%s). Set $%s to post them to Discord; see README, \"Deploying\".\n",
			cfg.Discord.TokenEnv, filepath.Join(cfg.DataDir, "digests"), cfg.Digest.Day, cfg.Digest.Time, cfg.Location, cfg.Discord.TokenEnv)
		wg.Add(1)
		go func() { defer wg.Done(); a.consoleDigests(ctx, svc, m, polled) }()
	} else {
		shards := cfg.Discord.ShardCount
		if cfg.Discord.ShardsAuto {
			shards = bot.ShardsAuto
		}
		b, err := bot.New(bot.Options{Token: token, TokenEnv: cfg.Discord.TokenEnv, APIURL: cfg.Discord.APIURL, GuildID: cfg.Discord.GuildID,
			Hosts: cfg.Discord.Hosts, HostRoles: cfg.Discord.HostRoles, Location: cfg.Location,
			Weekday: cfg.Digest.Day, Clock: cfg.Digest.Clock, Log: a.log, Shards: shards, ShardIDs: cfg.Discord.ShardIDs,
			RequestsPerSecond: cfg.Discord.RequestsPerSecond}, svc)
		if err != nil {
			return err
		}
		m.bot = b
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := b.Run(ctx); err != nil {
				errc <- err
				cancel()
			}
		}()
	}
	if *httpAddr != "" {
		// Bind before anything starts: a taken port is an error now, and
		// /healthz answers from the moment run says it is polling.
		ln, err := net.Listen("tcp", *httpAddr)
		if err != nil {
			cancel()
			wg.Wait()
			return fmt.Errorf("-http %s: %w (choose a free address, e.g. 127.0.0.1:9090)", *httpAddr, err)
		}
		srv := &http.Server{Handler: opsHandler(st, m), ReadHeaderTimeout: 5 * time.Second}
		go func() {
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				a.log.Error("http server", "addr", *httpAddr, "err", err)
			}
		}()
		defer func() {
			sctx, scancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer scancel()
			_ = srv.Shutdown(sctx)
		}()
	}
	fmt.Fprintf(a.stdout, "polling %d feeds from %s; Ctrl-C stops\n", len(cfg.Feeds), cfg.Source)
	err = p.Run(ctx, time.Minute, func(res []ingest.FeedResult) {
		m.observe(res)
		printPoll(a, res)
		select {
		case polled <- struct{}{}:
		default:
		}
		if n, err := prune(cfg.Poll.RetentionWeeks, st); err != nil {
			a.log.Error("prune", "err", err)
		} else if n > 0 {
			a.log.Info("pruned old items", "count", n)
		}
	})
	cancel()
	wg.Wait() // the bot finishes or records its post in flight
	fmt.Fprintln(a.stdout, "stopped")
	select {
	case berr := <-errc:
		return berr
	default:
	}
	return err
}

// consoleDigests is the schedule without Discord: each due week's digest
// is printed and written as Markdown to data_dir/digests/WEEK.md, once
// (the ledger's "console" channel), and a week missed while stopped is
// written at start. A week with no stored items is written once a poll
// brings some: the schedule is checked every minute and after every poll.
func (a *app) consoleDigests(ctx context.Context, svc *service.Service, m *metrics, polled <-chan struct{}) {
	cfg := svc.Config()
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		week, _ := bot.DueWeek(svc.Now(), cfg.Location, cfg.Digest.Day, cfg.Digest.Clock)
		if err := a.consoleDigest(svc, week, m); err != nil {
			a.log.Error("console digest", "week", week, "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-polled:
		}
	}
}

func (a *app) consoleDigest(svc *service.Service, week string, m *metrics) error {
	if p, ok, err := svc.Post("console", week); err != nil || (ok && p.Done) {
		return err
	}
	d, err := svc.WeekDigest(week)
	if err != nil {
		return err
	}
	if d.Empty() {
		// Nothing stored for that week yet (a first start, before the
		// first poll finished): try again after later polls rather than
		// record an empty week as done.
		return nil
	}
	md := digest.Markdown(d)
	path := filepath.Join(svc.Config().DataDir, "digests", week+".md")
	if err := writeFileAtomic(path, []byte(md)); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "\n%s\n(written to %s)\n", md, path)
	m.digestsPosted.Add(1)
	now := svc.Now().UTC()
	return svc.PutPost(news.Post{ChannelID: "console", Week: week, Done: true, StartedAt: now, DoneAt: now})
}

func opsHandler(st *store.Store, m *metrics) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		if _, err := st.Count(); err != nil {
			http.Error(w, "store unavailable", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4")
		m.write(w)
	})
	return mux
}
