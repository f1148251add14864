package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"
	"strings"

	"github.com/triagebot/triagebot"
	"github.com/triagebot/triagebot/config"
	"github.com/triagebot/triagebot/feeds"
	"github.com/triagebot/triagebot/ingest"
	"github.com/triagebot/triagebot/store"
)

// Exit codes.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

// errUsage marks an error the user fixes by changing the command line.
var errUsage = errors.New("usage")

func usageErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errUsage, fmt.Sprintf(format, args...))
}

// app is one invocation: the streams, the global flags and what commands
// build lazily (config, store).
type app struct {
	ctx        context.Context
	stdin      io.Reader
	stdout     io.Writer
	stderr     io.Writer
	configPath string
	level      *slog.LevelVar
	log        *slog.Logger
}

type command struct {
	name    string
	args    string
	summary string
	run     func(a *app, args []string) error
}

func commands() []command {
	return []command{
		{"run", "[-http ADDR]", "the daemon: poll on schedule, classify, store (Ctrl-C stops it cleanly)", (*app).cmdRun},
		{"poll", "[-all]", "poll every due feed once (-all ignores schedules) and print a line per feed", (*app).cmdPoll},
		{"items", "[-since T] [-until T] [-feed NAME] [-label L] [-limit N] [-json]", "list stored items, newest first", (*app).cmdItems},
		{"feeds", "list|add|remove|enable ...", "manage feeds", (*app).cmdFeeds},
		{"classify", "[FILE|-] [-out FILE]", "JSONL in, JSONL out with label, confidence and reasons (no store, no network)", (*app).cmdClassify},
		{"eval", "FILE [-json] [-cv K]", "score the classifier on labelled JSONL; -cv K cross-validates instead", (*app).cmdEval},
		{"tag", "ITEM LABEL [-by NAME]", "label an item research, product or other (ITEM = id or URL); the classifier learns from it", (*app).cmdTag},
		{"untag", "ITEM", "remove a tag", (*app).cmdUntag},
		{"pick", "ITEM [-by NAME]", "pick an item for the episode", (*app).cmdPick},
		{"unpick", "ITEM", "take an item off the episode", (*app).cmdUnpick},
		{"retrain", "[-reset]", "rebuild what the classifier learned from all tags (-reset: forget it), then reclassify", (*app).cmdRetrain},
		{"reclassify", "", "classify every stored item again with the current model", (*app).cmdReclassify},
		{"digest", "[-week 2026-W48 | -since T -until T] [-format markdown|text|json|discord] [-out FILE]", "build the digest from the store (default: the last 7 days)", (*app).cmdDigest},
		{"backup", "FILE", "hot backup of the store to FILE", (*app).cmdBackup},
		{"version", "", "print the version", (*app).cmdVersion},
	}
}

// Main runs the CLI and returns the exit code.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a := &app{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr, level: new(slog.LevelVar)}
	fs := flag.NewFlagSet("triagebot", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&a.configPath, "config", "", "config file (default ./config.yaml, else the embedded default)")
	fs.BoolFunc("v", "verbose logging", a.verbose)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			a.usage(stdout)
			return exitOK
		}
		fmt.Fprintf(stderr, "triagebot: %v\n\n", err)
		a.usage(stderr)
		return exitUsage
	}
	a.log = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: a.level}))
	rest := fs.Args()
	if len(rest) == 0 {
		a.usage(stderr)
		return exitUsage
	}
	name := rest[0]
	if name == "help" || name == "-h" {
		a.usage(stdout)
		return exitOK
	}
	for _, c := range commands() {
		if c.name == name {
			err := c.run(a, rest[1:])
			switch {
			case err == nil:
				return exitOK
			case errors.Is(err, flag.ErrHelp):
				return exitOK
			case errors.Is(err, errUsage):
				fmt.Fprintf(stderr, "triagebot %s: %v\nusage: triagebot %s %s\n", name, strings.TrimPrefix(err.Error(), "usage: "), c.name, c.args)
				return exitUsage
			default:
				fmt.Fprintf(stderr, "triagebot %s: %v\n", name, err)
				return exitError
			}
		}
	}
	fmt.Fprintf(stderr, "triagebot: unknown command %q\n\n", name)
	a.usage(stderr)
	return exitUsage
}

func (a *app) usage(w io.Writer) {
	fmt.Fprintf(w, "usage: triagebot [-config PATH] [-v] COMMAND [ARGS]\n\ncommands:\n")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n           %s\n", c.name, c.args, c.summary)
	}
	fmt.Fprintf(w, "\nRun `triagebot COMMAND -h` for a command's flags.\n")
}

// flags makes a command's flag set; -config is accepted after the command
// too, so `triagebot poll -config x.yaml` works.
func (a *app) flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("triagebot "+name, flag.ContinueOnError)
	fs.SetOutput(a.stderr)
	fs.StringVar(&a.configPath, "config", a.configPath, "config file")
	fs.BoolFunc("v", "verbose logging", a.verbose)
	return fs
}

// verbose is the -v flag, accepted before or after the command.
func (a *app) verbose(string) error {
	a.level.Set(slog.LevelDebug)
	return nil
}

// parse parses flags and positionals in any order ("feeds add NAME URL
// -kind news" and "feeds add -kind news NAME URL" both work).
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usageErr("%v", err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func (a *app) config() (*config.Config, error) {
	return config.Load(a.configPath, triagebot.DefaultConfig())
}

// openStore loads the config and opens the store with its feeds synced.
func (a *app) openStore() (*config.Config, *store.Store, error) {
	cfg, err := a.config()
	if err != nil {
		return nil, nil, err
	}
	st, err := store.Open(cfg.DataDir, store.Options{})
	if err != nil {
		return nil, nil, err
	}
	if err := st.SyncFeeds(cfg.Feeds); err != nil {
		st.Close()
		return nil, nil, err
	}
	return cfg, st, nil
}

func version() string {
	v, rev := "dev", ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			v = bi.Main.Version
		}
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				rev = s.Value[:12]
			}
		}
	}
	if rev != "" {
		v += "+" + rev
	}
	return v
}

func userAgent() string {
	return "triagebot/" + version() + " (+https://github.com/triagebot/triagebot)"
}

func newFetcher(cfg *config.Config) *feeds.Fetcher {
	hops := cfg.Poll.MaxRedirects
	if hops == 0 {
		hops = -1 // the config's 0 means "follow none"
	}
	return feeds.NewFetcher(feeds.FetchOptions{
		ConnectTimeout: cfg.Poll.ConnectTimeout,
		Timeout:        cfg.Poll.Timeout,
		MaxBodyBytes:   cfg.Poll.MaxBodyBytes,
		MaxRedirects:   hops,
		AllowPrivate:   cfg.Poll.AllowPrivateNetworks,
		UserAgent:      userAgent(),
	})
}

func (a *app) newPoller(cfg *config.Config, st *store.Store) (*ingest.Poller, error) {
	m, err := a.model(st)
	if err != nil {
		return nil, err
	}
	return ingest.New(st, newFetcher(cfg), m, ingest.Options{
		Interval:    cfg.Poll.Interval,
		MaxBackoff:  cfg.Poll.MaxBackoff,
		MaxFailures: cfg.Poll.MaxFailures,
		Workers:     cfg.Poll.Workers,
		PerHost:     cfg.Poll.PerHost,
	}, nil, a.log), nil
}

func (a *app) cmdVersion(args []string) error {
	if err := parseFlagsOnly(a.flags("version"), args); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "triagebot %s\n", version())
	return nil
}

func (a *app) cmdBackup(args []string) error {
	pos, err := parse(a.flags("backup"), args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageErr("give the backup file name, e.g. triagebot backup triagebot-backup.db")
	}
	_, st, err := a.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	// Write beside the target and rename, so a failed backup never leaves
	// a half-written file under the real name.
	tmp, err := os.CreateTemp(dirOf(pos[0]), ".triagebot-backup-*")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer os.Remove(tmp.Name())
	n, err := st.Backup(tmp)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), pos[0])
	}
	if err != nil {
		return fmt.Errorf("backup %s: %w", pos[0], err)
	}
	fmt.Fprintf(a.stdout, "backed up %d bytes to %s\n", n, pos[0])
	return nil
}

func dirOf(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[:i+1]
	}
	return "."
}
