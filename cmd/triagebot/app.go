package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/triagebot/triagebot"
	"github.com/triagebot/triagebot/config"
	"github.com/triagebot/triagebot/feeds"
	"github.com/triagebot/triagebot/ingest"
	"github.com/triagebot/triagebot/internal/atomicfile"
	"github.com/triagebot/triagebot/service"
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

// usageError is a command-line mistake; its text is what to fix, said
// to the user as it is (errors.Is(err, errUsage) picks the exit code).
type usageError struct{ msg string }

func (e *usageError) Error() string        { return e.msg }
func (e *usageError) Is(target error) bool { return target == errUsage }

func usageErr(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
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
	// served is set when the daemon runs this command for a CLI client
	// (control.go): the daemon's config, open store and model stand in for
	// opening them, and output files go back to the client.
	served *served
	// loaded is the config last read from loadedPath: forwarding to a
	// daemon reads it to find the socket, and the command run here would
	// read the same file again (tens of milliseconds for thousands of feeds).
	loaded     *config.Config
	loadedPath string
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
		{"cluster", "[FILE|-] [-out FILE]", "JSONL in, the same lines out with \"story\" and \"lead\": the digest's own grouping (no store)", (*app).cmdCluster},
		{"eval", "FILE [-json] [-cv K]", "score the classifier on labelled JSONL; -cv K cross-validates instead", (*app).cmdEval},
		{"tag", "ITEM LABEL [-by NAME]", "label an item research, product or other (ITEM = id or URL); the classifier learns from it", (*app).cmdTag},
		{"untag", "ITEM", "remove a tag", (*app).cmdUntag},
		{"pick", "ITEM [-by NAME]", "pick an item for the episode", (*app).cmdPick},
		{"unpick", "ITEM", "take an item off the episode", (*app).cmdUnpick},
		{"retrain", "[-from FILE [-alone [-seed]] | -reset]", "rebuild what the classifier learned from all tags; -from: adapt the shipped model to your labelled JSONL (-alone: train on the file alone, -seed: with the seed examples); -reset: back to the shipped model; then reclassify", (*app).cmdRetrain},
		{"reclassify", "", "classify every stored item again with the current model", (*app).cmdReclassify},
		{"digest", "[-week 2026-W48 | -since T -until T] [-format markdown|text|json|discord] [-out FILE]", "build the digest from the store (default: the last 7 days)", (*app).cmdDigest},
		{"backup", "FILE", "hot backup of the store to FILE", (*app).cmdBackup},
		{"check", "", "verify the store file and say what is wrong with it, if anything (exit 1: damaged)", (*app).cmdCheck},
		{"version", "", "print the version", (*app).cmdVersion},
	}
}

// Main runs the CLI and returns the exit code.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a := &app{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr, level: new(slog.LevelVar)}
	return a.main(args)
}

// main parses the global flags and runs one command: here, or, for a
// command that needs the store while a daemon holds it, in the daemon
// (control.go).
func (a *app) main(args []string) int {
	stdout, stderr := a.stdout, a.stderr
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
			if a.served == nil && servedCommand(name) {
				if code, ok := a.forward(clientPaths(args)); ok {
					return code
				}
			}
			err := c.run(a, rest[1:])
			switch {
			case err == nil:
				return exitOK
			case errors.Is(err, flag.ErrHelp):
				return exitOK
			case errors.Is(err, errUsage):
				fmt.Fprintf(stderr, "triagebot %s: %v\nusage: triagebot %s %s\n", name, err, c.name, c.args)
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
	if a.served != nil {
		return a.served.cfg, nil
	}
	return a.loadConfig(a.configPath)
}

// loadConfig reads the config at path once per command.
func (a *app) loadConfig(path string) (*config.Config, error) {
	if a.loaded != nil && a.loadedPath == path {
		return a.loaded, nil
	}
	cfg, err := config.Load(path, triagebot.DefaultConfig())
	if err != nil {
		return nil, err
	}
	a.loaded, a.loadedPath = cfg, path
	return cfg, nil
}

// openStore loads the config and opens the store for writing, with the
// config's feeds synced into it. In the daemon it is the daemon's store.
func (a *app) openStore() (*config.Config, *store.Store, error) {
	if a.served != nil {
		return a.served.cfg, a.served.st.Borrow(), nil
	}
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
	if err := a.recleanStored(cfg, st); err != nil {
		// Old junk in titles is not worth a daemon that cannot start: the
		// store opens, and the pass is tried again at the next open.
		a.log.Warn("stored items not cleaned of old feed junk; `triagebot check` reports what is wrong with the store", "err", err)
	}
	return cfg, st, nil
}

// textRulesState names the state entry holding the feeds.TextRules
// version the stored items were last cleaned under.
const textRulesState = "text_rules"

// recleanStored passes every stored item through feeds.Reclean once per
// version of the cleanup rules, so the items an older triagebot stored
// lose the feed junk the rules now remove (a glued date, a literal
// "\n\n") instead of keeping it in digests and searches. A recleaned item
// gets the verdict the model gives its new text (service.RecleanStored).
// A killed or failed pass is run again at the next open: Reclean leaves
// clean items alone. The model is loaded only when a pass is due.
func (a *app) recleanStored(cfg *config.Config, st *store.Store) error {
	raw, err := st.GetState(textRulesState)
	if err != nil {
		return err
	}
	if v, err := strconv.Atoi(string(raw)); err == nil && v >= feeds.TextRules {
		return nil
	}
	m, err := a.model(st)
	if err != nil {
		return err
	}
	n, err := service.New(st, m, cfg, nil).RecleanStored()
	if err != nil {
		return fmt.Errorf("clean the stored items under the current text rules: %w", err)
	}
	if n > 0 {
		a.log.Info("stored items cleaned of feed junk older versions kept, and classified again", "items", n, "rules", feeds.TextRules)
	}
	return st.PutState(textRulesState, []byte(strconv.Itoa(feeds.TextRules)))
}

// openStoreRead opens the store for a command that only reads: read-only,
// so it writes nothing (no schema, no feed sync) and works on a full disk
// or a read-only file, beside other readers. Only a store that does not
// exist yet is created, by a write open.
func (a *app) openStoreRead() (*config.Config, *store.Store, error) {
	if a.served != nil {
		return a.openStore()
	}
	cfg, err := a.config()
	if err != nil {
		return nil, nil, err
	}
	st, err := store.Open(cfg.DataDir, store.Options{ReadOnly: true})
	if errors.Is(err, store.ErrNoStore) {
		return a.openStore()
	}
	if err != nil {
		return nil, nil, err
	}
	return cfg, st, nil
}

// serviceRead is the service on a read-only open (see openStoreRead).
func (a *app) serviceRead() (*service.Service, func(), error) {
	if cfg, err := a.config(); err == nil && cfg.LLM.Enabled() {
		// The model assist caches its briefs and counts its calls in the
		// store, so with it on a digest writes.
		return a.service()
	}
	cfg, st, err := a.openStoreRead()
	if err != nil {
		return nil, nil, err
	}
	m, err := a.model(st)
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	return service.New(st, m, cfg, nil), func() { st.Close() }, nil
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

// newPoller builds a one-shot poller; stop waits for the model assist's
// answers (at most one llm.timeout) once the poll is done.
func (a *app) newPoller(cfg *config.Config, st *store.Store) (p *ingest.Poller, stop func(), err error) {
	m, err := a.model(st)
	if err != nil {
		return nil, nil, err
	}
	as, err := a.newAssist(cfg, st)
	if err != nil {
		return nil, nil, err
	}
	c, stop := a.pollClassifier(cfg, st, m, as)
	p, err = a.newPollerWith(cfg, st, c)
	if err != nil {
		stop()
		return nil, nil, err
	}
	return p, stop, nil
}

// newPollerWith builds the poller around a given model, so the daemon's
// poller and bot share one (a tag learned by either shows in both).
func (a *app) newPollerWith(cfg *config.Config, st *store.Store, m ingest.Classifier) (*ingest.Poller, error) {
	f, err := feeds.NewFetcher(service.FetchOptions(cfg.Poll, userAgent()))
	if err != nil {
		return nil, err
	}
	return ingest.New(st, f, m, ingest.Options{
		Interval:    cfg.Poll.Interval,
		MaxBackoff:  cfg.Poll.MaxBackoff,
		MaxFailures: cfg.Poll.MaxFailures,
		Workers:     cfg.Poll.Workers,
		PerHost:     cfg.Poll.PerHost,
	}, nil, a.log)
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
	_, st, err := a.openStoreRead()
	if err != nil {
		return err
	}
	defer st.Close()
	var n int64
	err = a.writeOutput(pos[0], func(w io.Writer) error {
		var err error
		n, err = st.Backup(w)
		return err
	})
	if err != nil {
		return fmt.Errorf("backup %s: %w", pos[0], err)
	}
	fmt.Fprintf(a.stdout, "backed up %d bytes to %s\n", n, pos[0])
	return nil
}

// writeOutput writes a file the user named (backup FILE, digest -out
// FILE). Here it is written beside the target, synced and renamed, so a
// failure never leaves half a file under the real name; in the daemon the
// bytes go back to the client, which writes them the same way: the daemon
// never writes where a client asks.
func (a *app) writeOutput(path string, write func(io.Writer) error) error {
	if a.served != nil {
		return a.served.sendFile(path, write)
	}
	if cfg, err := a.config(); err == nil && isStoreFile(path, cfg.DataDir) {
		return usageErr("%s: %v", path, errStoreTarget)
	}
	return atomicfile.Write(path, 0o600, write)
}

// errStoreTarget refuses an output file that is the store itself: renaming
// a backup or a digest over it would replace the live database while this
// process, or the daemon, still writes the old one.
var errStoreTarget = errors.New("that is the store itself (data_dir/" + store.FileName + "); name another file")

// isStoreFile reports whether path names dataDir's store file, by identity
// when both exist and by absolute path otherwise.
func isStoreFile(path, dataDir string) bool {
	db := filepath.Join(dataDir, store.FileName)
	if a, err := os.Stat(path); err == nil {
		if b, err := os.Stat(db); err == nil {
			return os.SameFile(a, b)
		}
	}
	ap, err1 := filepath.Abs(path)
	bp, err2 := filepath.Abs(db)
	return err1 == nil && err2 == nil && ap == bp
}

func dirOf(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[:i+1]
	}
	return "."
}
