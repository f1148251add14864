package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/triagebot/triagebot/classifier"
	"github.com/triagebot/triagebot/config"
	"github.com/triagebot/triagebot/digest"
	"github.com/triagebot/triagebot/news"
	"github.com/triagebot/triagebot/store"
)

func (a *app) cmdDigest(args []string) error {
	fs := a.flags("digest")
	week := fs.String("week", "", "ISO week, e.g. 2026-W48 (in the configured timezone)")
	since := fs.String("since", "", "start (2026-11-23 or RFC 3339); default: 7 days ago")
	until := fs.String("until", "", "end, exclusive; default: now")
	format := fs.String("format", "markdown", "markdown, text, json or discord (the JSON message bodies it would post)")
	out := fs.String("out", "", "write to this file instead of stdout")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	switch *format {
	case "markdown", "md", "text", "json", "discord":
	default:
		return usageErr("-format %q: use markdown, text, json or discord", *format)
	}
	cfg, st, err := a.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	now := time.Now()
	opts, err := digestWindow(cfg, *week, *since, *until, now)
	if err != nil {
		return usageErr("%v", err)
	}
	m, err := a.model(st)
	if err != nil {
		return err
	}
	d, err := buildDigest(st, m, cfg, opts)
	if err != nil {
		return err
	}
	body, err := renderDigest(d, *format)
	if err != nil {
		return err
	}
	if *out == "" {
		_, err = a.stdout.Write(body)
		return err
	}
	if err := writeFileAtomic(*out, body); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "wrote %s (%d stories from %d items)\n", *out, d.StoryCount, d.ItemCount)
	return nil
}

// digestWindow turns the flags into the digest's window and options.
func digestWindow(cfg *config.Config, week, since, until string, now time.Time) (digest.Options, error) {
	o := digest.Options{Location: cfg.Location, PerSection: cfg.Digest.PerSection, Language: cfg.Digest.Language,
		Interests: cfg.Digest.Interests, Now: now}
	var err error
	switch {
	case week != "" && (since != "" || until != ""):
		return o, fmt.Errorf("give -week or -since/-until, not both")
	case week != "":
		o.Week = week
		o.Since, o.Until, err = digest.WeekWindow(week, cfg.Location)
		return o, err
	}
	if o.Since, err = parseTime(since, cfg.Location, now); err != nil {
		return o, fmt.Errorf("-since: %w", err)
	}
	if o.Until, err = parseTime(until, cfg.Location, now); err != nil {
		return o, fmt.Errorf("-until: %w", err)
	}
	if o.Until.IsZero() {
		o.Until = now
	}
	if o.Since.IsZero() {
		o.Since = o.Until.AddDate(0, 0, -7)
	}
	if !o.Since.Before(o.Until) {
		return o, fmt.Errorf("-since must be before -until")
	}
	return o, nil
}

// buildDigest loads the window, refreshes verdicts with the current model
// (so what the hosts' tags taught shows at once), and builds the digest.
func buildDigest(st *store.Store, m *classifier.Model, cfg *config.Config, o digest.Options) (*digest.Digest, error) {
	items, err := st.Items(store.Query{Since: o.Since, Until: o.Until, Oldest: true})
	if err != nil {
		return nil, err
	}
	for i := range items {
		probe := items[i]
		probe.Tag = ""
		v := m.Classify(probe)
		items[i].Verdict = &v
	}
	// What the hosts picked or tagged in the half year before: stories
	// like those rank higher.
	var history []news.Item
	err = st.WalkItems(store.Query{Since: o.Since.AddDate(0, 0, -182), Until: o.Since}, func(it news.Item) bool {
		if it.Tag != "" || it.Picked {
			history = append(history, it)
		}
		return len(history) < 5000
	})
	if err != nil {
		return nil, err
	}
	feeds, err := st.Feeds(true)
	if err != nil {
		return nil, err
	}
	o.FeedWeights = map[string]float64{}
	for _, f := range feeds {
		o.FeedWeights[f.Name] = f.Weight
	}
	return digest.Build(items, history, o), nil
}

func renderDigest(d *digest.Digest, format string) ([]byte, error) {
	switch format {
	case "text":
		return []byte(digest.Text(d)), nil
	case "json":
		b, err := digest.JSON(d)
		return append(b, '\n'), err
	case "discord":
		b, err := json.MarshalIndent(digest.Discord(d), "", "  ")
		return append(b, '\n'), err
	}
	return []byte(digest.Markdown(d)), nil
}

// writeFileAtomic writes beside the target and renames, so a reader never
// sees half a file.
func writeFileAtomic(path string, body []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".triagebot-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(body); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
