package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/triagebot/triagebot/config"
	"github.com/triagebot/triagebot/news"
)

func (a *app) cmdFeeds(args []string) error {
	if len(args) == 0 {
		return usageErr("give a subcommand: list, add, remove or enable")
	}
	switch args[0] {
	case "list":
		return a.feedsList(args[1:])
	case "add":
		return a.feedsAdd(args[1:])
	case "remove":
		return a.feedsRemove(args[1:])
	case "enable":
		return a.feedsEnable(args[1:])
	}
	return usageErr("unknown subcommand %q: use list, add, remove or enable", args[0])
}

func (a *app) feedsList(args []string) error {
	fs := a.flags("feeds list")
	asJSON := fs.Bool("json", false, "JSON output")
	if err := parseFlagsOnly(fs, args); err != nil {
		return err
	}
	cfg, st, err := a.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	recs, err := st.Feeds(false)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(recs)
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tKIND\tSTATUS\tLAST OK\tNEXT CHECK\tURL")
	for _, r := range recs {
		status := oneLine(r.Health(), 90)
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.Name, r.Kind, status,
			when(r.State.LastSuccess, cfg.Location), when(r.State.NextCheck, cfg.Location), r.URL)
	}
	return tw.Flush()
}

func when(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "-"
	}
	return t.In(loc).Format("2006-01-02 15:04")
}

func (a *app) feedsAdd(args []string) error {
	fs := a.flags("feeds add")
	kind := fs.String("kind", "", "paper, news or blog (required)")
	weight := fs.Float64("weight", 1, "ranking weight in the digest (0-10)")
	interval := fs.Duration("interval", 0, "poll interval (default poll.interval)")
	lang := fs.String("lang", "", "language hint (en, zh, ...)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usageErr("give a name and a URL: triagebot feeds add -kind news \"The Verge AI\" https://www.theverge.com/rss/ai-artificial-intelligence/index.xml")
	}
	f := news.Feed{Name: pos[0], URL: pos[1], Kind: news.Kind(*kind), Weight: *weight, Interval: *interval, Lang: *lang}
	// The same rules as the config file and /feeds add, checked before
	// the store is opened so a typo is a usage error.
	if err := config.CheckFeed(f); err != nil {
		return usageErr("%v", err)
	}
	svc, done, err := a.service()
	if err != nil {
		return err
	}
	defer done()
	if err := svc.AddFeed(f); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "added %q (%s); `triagebot poll` fetches it now\n", f.Name, strings.ToLower(string(f.Kind)))
	return nil
}

func (a *app) feedsRemove(args []string) error {
	pos, err := parse(a.flags("feeds remove"), args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageErr("give the feed's name (see `triagebot feeds list`)")
	}
	_, st, err := a.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	fromConfig, err := st.RemoveFeed(pos[0])
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "removed %q; its stored items stay\n", pos[0])
	if fromConfig {
		fmt.Fprintln(a.stdout, "it is listed in the config file: it stays removed here, but delete it there too to keep things tidy")
	}
	return nil
}

func (a *app) feedsEnable(args []string) error {
	pos, err := parse(a.flags("feeds enable"), args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageErr("give the feed's name (see `triagebot feeds list`)")
	}
	_, st, err := a.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.EnableFeed(pos[0]); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "enabled %q; it is due at the next poll\n", pos[0])
	return nil
}
