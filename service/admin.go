package service

import (
	"fmt"
	"time"

	"github.com/triagebot/triagebot/config"
	"github.com/triagebot/triagebot/news"
)

// Feeds lists the feeds with their health.
func (s *Service) Feeds() ([]news.FeedRecord, error) { return s.st.Feeds(false) }

// AddFeed validates a feed by the config file's rules and stores it.
func (s *Service) AddFeed(f news.Feed) error {
	config.FeedDefaults(&f)
	if err := config.CheckFeed(f); err != nil {
		return err
	}
	k, _ := news.ParseKind(string(f.Kind))
	f.Kind = k
	return s.st.AddFeed(f)
}

// RemoveFeed removes a feed (its items stay) and says whether it is
// listed in the config file.
func (s *Service) RemoveFeed(name string) (bool, error) { return s.st.RemoveFeed(name) }

// EnableFeed re-enables a disabled feed.
func (s *Service) EnableFeed(name string) error { return s.st.EnableFeed(name) }

// Subscribe makes a channel receive the weekly digest; subscribing again
// replaces the sections and lifts a pause.
func (s *Service) Subscribe(sub news.Subscription) error {
	sub.CreatedAt = s.now().UTC()
	sub.Paused, sub.PausedWhy = false, ""
	return s.st.PutSubscription(sub)
}

// Unsubscribe stops a channel's digest.
func (s *Service) Unsubscribe(channelID string) error { return s.st.DeleteSubscription(channelID) }

// Subscriptions lists the subscribed channels.
func (s *Service) Subscriptions() ([]news.Subscription, error) { return s.st.Subscriptions() }

// Pause stops posting to a channel until it subscribes again.
func (s *Service) Pause(channelID, why string) error {
	subs, err := s.st.Subscriptions()
	if err != nil {
		return err
	}
	for _, sub := range subs {
		if sub.ChannelID == channelID {
			sub.Paused, sub.PausedWhy = true, why
			return s.st.PutSubscription(sub)
		}
	}
	return nil
}

// Post and PutPost are the digest ledger.
func (s *Service) Post(channelID, week string) (news.Post, bool, error) {
	return s.st.Post(channelID, week)
}
func (s *Service) PutPost(p news.Post) error { return s.st.PutPost(p) }

// Status is the health summary /status shows.
type Status struct {
	Feeds, Failing, Disabled int
	FailingFeeds             []news.FeedRecord // failing or disabled
	LastPoll                 time.Time
	Items                    int
	Subscriptions, Paused    int
	PausedWhy                []string
	DigestsPosted            int          // channel-weeks whose digest was sent in full
	LLM                      *AssistUsage // nil when the model assist is off
}

// Status gathers feed health, the last poll and the subscriptions.
func (s *Service) Status() (Status, error) {
	var st Status
	recs, err := s.st.Feeds(false)
	if err != nil {
		return st, err
	}
	st.Feeds = len(recs)
	for _, r := range recs {
		if r.State.LastCheck.After(st.LastPoll) {
			st.LastPoll = r.State.LastCheck
		}
		switch {
		case r.State.Disabled:
			st.Disabled++
			st.FailingFeeds = append(st.FailingFeeds, r)
		case r.State.Failures > 0:
			st.Failing++
			st.FailingFeeds = append(st.FailingFeeds, r)
		}
	}
	if st.Items, err = s.st.Count(); err != nil {
		return st, err
	}
	subs, err := s.st.Subscriptions()
	if err != nil {
		return st, err
	}
	st.Subscriptions = len(subs)
	for _, sub := range subs {
		if sub.Paused {
			st.Paused++
			st.PausedWhy = append(st.PausedWhy, fmt.Sprintf("<#%s>: %s", sub.ChannelID, sub.PausedWhy))
		}
	}
	st.DigestsPosted, err = s.st.DigestsPosted()
	st.LLM = s.AssistUsage()
	return st, err
}
