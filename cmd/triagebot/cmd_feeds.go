package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/triagebot/triagebot/config"
	"github.com/triagebot/triagebot/feeds"
	"github.com/triagebot/triagebot/internal/text"
	"github.com/triagebot/triagebot/news"
	"github.com/triagebot/triagebot/service"
)

func (a *app) cmdFeeds(args []string) error {
	if len(args) == 0 {
		return usageErr("give a subcommand: list, add, remove, enable, import or export")
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
	case "import":
		return a.feedsImport(args[1:])
	case "export":
		return a.feedsExport(args[1:])
	}
	return usageErr("unknown subcommand %q: use list, add, remove, enable, import or export", args[0])
}

func (a *app) feedsList(args []string) error {
	fs := a.flags("feeds list")
	asJSON := fs.Bool("json", false, "JSON output")
	if err := parseFlagsOnly(fs, args); err != nil {
		return err
	}
	svc, done, err := a.feedService(false)
	if err != nil {
		return err
	}
	defer done()
	recs, err := svc.Feeds()
	if err != nil {
		return err
	}
	for i := range recs {
		// Credentials in a feed URL are never shown; an error stored
		// before errors were redacted may still quote them.
		r := &recs[i]
		r.State.LastError = feeds.RedactText(r.State.LastError, r.URL)
		r.State.DisabledWhy = feeds.RedactText(r.State.DisabledWhy, r.URL)
		r.URL = feeds.Redact(r.URL)
	}
	if *asJSON {
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(recs)
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tKIND\tSTATUS\tLAST OK\tNEXT CHECK\tURL")
	for _, r := range recs {
		status := text.Clip(r.Health(), 90)
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.Name, r.Kind, status,
			when(r.State.LastSuccess, svc.Location()), when(r.State.NextCheck, svc.Location()), r.URL)
	}
	return tw.Flush()
}

// feedService is the service for `feeds list|remove|enable`, which need
// no classifier: loading it (and perhaps relearning from every tag) would
// only slow them down. write false opens the store read-only.
func (a *app) feedService(write bool) (*service.Service, func(), error) {
	open := a.openStoreRead
	if write {
		open = a.openStore
	}
	cfg, st, err := open()
	if err != nil {
		return nil, nil, err
	}
	return service.New(st, nil, cfg, nil), func() { st.Close() }, nil
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
	return a.onNamedFeed("remove", args, func(svc *service.Service, name string) error {
		fromConfig, err := svc.RemoveFeed(name)
		if err != nil {
			return err
		}
		fmt.Fprintf(a.stdout, "removed %q; its stored items stay\n", name)
		if fromConfig {
			fmt.Fprintln(a.stdout, "it is listed in the config file: it stays removed here, but delete it there too to keep things tidy")
		}
		return nil
	})
}

func (a *app) feedsEnable(args []string) error {
	return a.onNamedFeed("enable", args, func(svc *service.Service, name string) error {
		if err := svc.EnableFeed(name); err != nil {
			return err
		}
		fmt.Fprintf(a.stdout, "enabled %q; it is due at the next poll\n", name)
		return nil
	})
}

// onNamedFeed runs a `feeds SUB NAME` command: exactly one feed name, and
// the store open for writing while do runs.
func (a *app) onNamedFeed(sub string, args []string, do func(svc *service.Service, name string) error) error {
	pos, err := parse(a.flags("feeds "+sub), args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageErr("give the feed's name (see `triagebot feeds list`)")
	}
	svc, done, err := a.feedService(true)
	if err != nil {
		return err
	}
	defer done()
	return do(svc, pos[0])
}

// feedsImport adds the feeds of an OPML file, all or nothing: every
// refused outline is reported with its line, and then nothing is added.
func (a *app) feedsImport(args []string) error {
	fs := a.flags("feeds import")
	kind, dry := importFlags(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageErr("give the OPML file: triagebot feeds import -kind news feeds.opml")
	}
	var k news.Kind
	if *kind != "" {
		if k, err = news.ParseKind(*kind); err != nil {
			return usageErr("-kind %q: use paper, news or blog", *kind)
		}
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return err
	}
	defer f.Close()
	svc, done, err := a.service()
	if err != nil {
		return err
	}
	defer done()
	res, err := svc.ImportOPML(f, k, *dry)
	if err != nil {
		return fmt.Errorf("%s: %w", pos[0], err)
	}
	for _, r := range res.Refused {
		what := "refused"
		if r.Followed {
			what = "skipped"
		}
		fmt.Fprintf(a.stdout, "%s:%d: %s %q (%s): %s\n", pos[0], r.Line, what, r.Name, r.URL, r.Why)
	}
	if res.Blocking() {
		return fmt.Errorf("%s: nothing imported; fix the refused lines above and run it again", pos[0])
	}
	verb := "added"
	if *dry {
		verb = "would add"
	}
	for _, f := range res.Added {
		fmt.Fprintf(a.stdout, "%s %q (%s) %s\n", verb, f.Name, f.Kind, f.URL)
	}
	if !*dry {
		fmt.Fprintf(a.stdout, "imported %d feeds; `triagebot poll` fetches them now\n", len(res.Added))
	}
	return nil
}

// importFlags are feeds import's flags, shared with clientPaths, which
// must find the FILE among them the same way.
func importFlags(fs *flag.FlagSet) (kind *string, dry *bool) {
	kind = fs.String("kind", "", "kind (paper, news, blog) for feeds outside a folder named paper, news or blog")
	dry = fs.Bool("dry-run", false, "report what would be imported; change nothing")
	return kind, dry
}

// feedsExport writes the followed feeds as OPML 2.0 to FILE, or stdout.
func (a *app) feedsExport(args []string) error {
	pos, err := parse(a.flags("feeds export"), args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return usageErr("give at most one file: triagebot feeds export [FILE]")
	}
	// A read: the store is opened read-only, and FILE is written like a
	// backup's (through the daemon, by the client).
	svc, done, err := a.feedService(false)
	if err != nil {
		return err
	}
	defer done()
	if len(pos) == 0 {
		return svc.ExportOPML(a.stdout)
	}
	var buf bytes.Buffer
	if err := svc.ExportOPML(&buf); err != nil {
		return err
	}
	if err := a.writeOutput(pos[0], func(w io.Writer) error { _, err := w.Write(buf.Bytes()); return err }); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "wrote %s\n", pos[0])
	return nil
}
