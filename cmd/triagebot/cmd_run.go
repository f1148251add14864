package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"sync"
	"time"

	"github.com/triagebot/triagebot/bot"
	"github.com/triagebot/triagebot/config"
	"github.com/triagebot/triagebot/digest"
	"github.com/triagebot/triagebot/ingest"
	"github.com/triagebot/triagebot/internal/atomicfile"
	"github.com/triagebot/triagebot/news"
	"github.com/triagebot/triagebot/service"
	"github.com/triagebot/triagebot/store"
)

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
	p, err := a.newPollerWith(cfg, st, classify)
	if err != nil {
		return err
	}
	m := newMetrics(as)
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
		b, err := bot.New(botOptions(cfg, token, a.log), svc)
		if err != nil {
			return err
		}
		m.setBot(b)
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
	if err := atomicfile.WriteFile(path, []byte(md), 0o600); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "\n%s\n(written to %s)\n", md, path)
	m.consoleDigests.Add(1)
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
	mux.Handle("GET /metrics", m.handler())
	return mux
}

// botOptions maps the config onto the bot, every value explicit: the
// defaults are config's alone.
func botOptions(cfg *config.Config, token string, log *slog.Logger) bot.Options {
	shards := cfg.Discord.ShardCount
	if cfg.Discord.ShardsAuto {
		shards = bot.ShardsAuto
	}
	d := cfg.Discord
	return bot.Options{Token: token, TokenEnv: d.TokenEnv, APIURL: d.APIURL, GuildID: d.GuildID,
		Hosts: d.Hosts, HostRoles: d.HostRoles, Location: cfg.Location,
		Weekday: cfg.Digest.Day, DueTime: cfg.Digest.Clock, Log: log, Shards: shards, ShardIDs: d.ShardIDs,
		RequestsPerSecond: d.RequestsPerSecond, Concurrency: d.PostConcurrency, RetryBase: d.PostRetry,
		Tick: d.ScheduleTick, IdentifyInterval: d.IdentifyInterval}
}
