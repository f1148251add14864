package main

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/triagebot/triagebot/digest"
	"github.com/triagebot/triagebot/service"
)

func (a *app) cmdDigest(args []string) error {
	fs := a.flags("digest")
	week := fs.String("week", "", "ISO week, e.g. 2026-W48 (in the configured timezone)")
	since := fs.String("since", "", "start (2026-11-23 or RFC 3339); default: 7 days ago")
	until := fs.String("until", "", "end, exclusive; default: now")
	format := fs.String("format", "markdown", "markdown, text, json or discord (the JSON message bodies it would post)")
	out := fs.String("out", "", "write to this file instead of stdout")
	all := fs.Bool("all", false, "every story of the window, no per-section cut (for export)")
	if err := parseFlagsOnly(fs, args); err != nil {
		return err
	}
	*week = normWeek(*week)
	switch *format {
	case "markdown", "md", "text", "json", "discord":
	default:
		return usageErr("-format %q: use markdown, text, json or discord", *format)
	}
	svc, done, err := a.serviceRead()
	if err != nil {
		return err
	}
	defer done()
	opts, err := digestWindow(svc, *week, *since, *until)
	if err != nil {
		return usageErr("%v", err)
	}
	opts.All = *all
	d, err := svc.BuildDigest(opts)
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
	if err := a.writeOutput(*out, func(w io.Writer) error { _, err := w.Write(body); return err }); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "wrote %s (%d stories from %d items)\n", *out, d.StoryCount, d.ItemCount)
	return nil
}

// digestWindow turns the flags into the digest's window and options.
func digestWindow(svc *service.Service, week, since, until string) (digest.Options, error) {
	loc, now := svc.Location(), svc.Now()
	if week != "" && (since != "" || until != "") {
		return digest.Options{}, fmt.Errorf("give -week or -since/-until, not both")
	}
	if week != "" {
		s, u, err := digest.WeekWindow(week, loc)
		return svc.DigestOptions(week, s, u), err
	}
	s, err := parseTime(since, loc, now)
	if err != nil {
		return digest.Options{}, fmt.Errorf("-since: %w", err)
	}
	u, err := parseTime(until, loc, now)
	if err != nil {
		return digest.Options{}, fmt.Errorf("-until: %w", err)
	}
	if u.IsZero() {
		u = now
	}
	if s.IsZero() {
		s = u.AddDate(0, 0, -7)
	}
	if !s.Before(u) {
		return digest.Options{}, fmt.Errorf("-since must be before -until")
	}
	return svc.DigestOptions("", s, u), nil
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
