package service

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/triagebot/triagebot/digest"
	"github.com/triagebot/triagebot/internal/text"
)

// ErrBadWeek marks text that names no week.
var ErrBadWeek = errors.New("service: not a week")

// ResolveWeek reads a week as people write it: "" or "this week" (本週),
// "last week" (上週), "2026-W48", "W48" (the most recent week 48, this
// year's or last), or a date such as 2026-11-23 (the week that holds it).
// It returns the ISO week, like "2026-W48".
func (s *Service) ResolveWeek(in string) (string, error) {
	now := s.now()
	loc := s.cfg.Location
	t := strings.ToLower(text.OneLine(in))
	switch t {
	case "", "this week", "this", "now", "本週", "本周", "這週", "这周":
		w, _, _ := digest.WeekOf(now, loc)
		return w, nil
	case "last week", "last", "previous week", "上週", "上周":
		w, _, _ := digest.WeekOf(now.In(loc).AddDate(0, 0, -7), loc)
		return w, nil
	}
	if d, err := time.ParseInLocation("2006-01-02", t, loc); err == nil {
		w, _, _ := digest.WeekOf(d, loc)
		return w, nil
	}
	if n, ok := strings.CutPrefix(t, "w"); ok {
		num, err := strconv.Atoi(n)
		if err == nil {
			y, _ := now.In(loc).ISOWeek()
			for _, year := range []int{y, y - 1} {
				w := fmt.Sprintf("%d-W%02d", year, num)
				if since, _, err := digest.WeekWindow(w, loc); err == nil && !since.After(now) {
					return w, nil
				}
			}
		}
	}
	if since, _, err := digest.WeekWindow(t, loc); err == nil {
		y, w := since.ISOWeek()
		return fmt.Sprintf("%d-W%02d", y, w), nil
	}
	return "", fmt.Errorf("%w: %q", ErrBadWeek, in)
}

// Language is the hosts' language for what the bot posts: "en" or "zh-TW".
func (s *Service) Language() string { return digest.DiscordLang(s.cfg.Digest.Language) }

// DigestIn builds a week's digest in a language ("en" or "zh-TW"), for a
// reply only its asker reads; all keeps every story instead of the top of
// each section.
func (s *Service) DigestIn(week, lang string, all bool) (*digest.Digest, error) {
	since, until, err := digest.WeekWindow(week, s.cfg.Location)
	if err != nil {
		return nil, err
	}
	o := s.DigestOptions(week, since, until)
	o.Language = lang
	o.All = all
	return s.BuildDigest(o)
}
