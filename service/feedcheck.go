package service

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/triagebot/triagebot/config"
	"github.com/triagebot/triagebot/feeds"
	"github.com/triagebot/triagebot/news"
)

// ErrFeedInvalid marks a feed the config file's rules refuse (name, URL
// form, kind, weight); an *InvalidFeedError says which rule.
var ErrFeedInvalid = errors.New("service: invalid feed")

// InvalidFeedError carries the rule a feed broke, in words for users.
type InvalidFeedError struct{ Rule error }

func (e *InvalidFeedError) Error() string        { return fmt.Sprintf("%v: %v", ErrFeedInvalid, e.Rule) }
func (e *InvalidFeedError) Unwrap() error        { return e.Rule }
func (e *InvalidFeedError) Is(target error) bool { return target == ErrFeedInvalid }

// ErrFeedFollowed marks a feed URL that is already followed under another
// name.
var ErrFeedFollowed = errors.New("service: this feed is already followed")

// FollowedError says under which name a feed is already followed; it
// matches ErrFeedFollowed.
type FollowedError struct{ Name string }

func (e *FollowedError) Error() string        { return fmt.Sprintf("%v as %q", ErrFeedFollowed, e.Name) }
func (e *FollowedError) Is(target error) bool { return target == ErrFeedFollowed }

// FeedCheck is what one fetch of a new feed found.
type FeedCheck struct {
	Title string // the feed's own title
	Items int
}

// CheckFeed validates a feed by the config file's rules, refuses a URL
// already followed under another name, and fetches it once with the
// poller's settings (the private-network guard included) to prove it is a
// feed. The errors are the feeds package's: *feeds.HTTPError,
// feeds.ErrNotAFeed, feeds.ErrPrivateAddress, …, and ErrFeedFollowed.
func (s *Service) CheckFeed(ctx context.Context, f news.Feed) (FeedCheck, error) {
	config.FeedDefaults(&f)
	if err := config.CheckFeed(f); err != nil {
		return FeedCheck{}, &InvalidFeedError{Rule: err}
	}
	recs, err := s.st.Feeds(false)
	if err != nil {
		return FeedCheck{}, err
	}
	for _, r := range recs {
		if sameFeedURL(r.URL, f.URL) && !strings.EqualFold(r.Name, f.Name) {
			return FeedCheck{}, &FollowedError{Name: r.Name}
		}
	}
	fe, err := feeds.NewFetcher(FetchOptions(s.cfg.Poll, ""))
	if err != nil {
		return FeedCheck{}, err
	}
	res, err := fe.Fetch(ctx, f.URL, feeds.Validators{})
	if err != nil {
		return FeedCheck{}, err
	}
	parsed, err := feeds.Parse(ctx, res.Body, res.ContentType)
	if err != nil {
		return FeedCheck{}, err
	}
	return FeedCheck{Title: strings.TrimSpace(parsed.Title), Items: len(parsed.Items)}, nil
}

// AddFeedChecked is CheckFeed, then AddFeed: nothing is saved unless the
// feed answered with a feed.
func (s *Service) AddFeedChecked(ctx context.Context, f news.Feed) (FeedCheck, error) {
	c, err := s.CheckFeed(ctx, f)
	if err != nil {
		return c, err
	}
	return c, s.AddFeed(f)
}

// sameFeedURL compares feed URLs as a person would: scheme, a "www.",
// letter case of the host and a trailing slash do not matter.
func sameFeedURL(a, b string) bool {
	norm := func(s string) string {
		u, err := url.Parse(strings.TrimSpace(s))
		if err != nil {
			return s
		}
		host := strings.TrimPrefix(strings.ToLower(u.Host), "www.")
		q := ""
		if u.RawQuery != "" {
			q = "?" + u.RawQuery
		}
		return host + strings.TrimRight(u.Path, "/") + q
	}
	return norm(a) == norm(b)
}

// FetchOptions are the poll config's fetch settings, for the poller and for
// the one fetch that checks a new feed alike: one place maps the config
// onto the fetcher. An empty userAgent leaves the fetcher's own.
func FetchOptions(p config.Poll, userAgent string) feeds.FetchOptions {
	return feeds.FetchOptions{
		ConnectTimeout: p.ConnectTimeout,
		Timeout:        p.Timeout,
		MaxBodyBytes:   p.MaxBodyBytes,
		MaxRedirects:   p.MaxRedirects,
		AllowPrivate:   p.AllowPrivateNetworks,
		UserAgent:      userAgent,
	}
}
