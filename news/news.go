package news

import (
	"fmt"
	"strings"
	"time"
)

// Label is what an item reports as the news. The set is closed.
type Label string

const (
	Research Label = "research"
	Product  Label = "product"
	Other    Label = "other"
)

// Labels lists every valid label in display order.
func Labels() []Label { return []Label{Research, Product, Other} }

// ParseLabel accepts a label in any case and reports the valid ones when it
// is none of them, so a user who typed "papers" learns what to type instead.
func ParseLabel(s string) (Label, error) {
	l := Label(strings.ToLower(strings.TrimSpace(s)))
	for _, v := range Labels() {
		if l == v {
			return l, nil
		}
	}
	return "", fmt.Errorf("news: unknown label %q: use one of research, product, other", s)
}

// Kind is what sort of source a feed is. It is a prior for the classifier,
// never a verdict: a lab blog also announces products.
type Kind string

const (
	KindPaper Kind = "paper"
	KindNews  Kind = "news"
	KindBlog  Kind = "blog"
)

// ParseKind validates a feed kind.
func ParseKind(s string) (Kind, error) {
	switch k := Kind(strings.ToLower(strings.TrimSpace(s))); k {
	case KindPaper, KindNews, KindBlog:
		return k, nil
	}
	return "", fmt.Errorf("news: unknown feed kind %q: use one of paper, news, blog", s)
}

// Verdict is the classifier's answer for one item.
type Verdict struct {
	Label      Label    `json:"label"`
	Confidence float64  `json:"confidence"`
	Reasons    []string `json:"reasons,omitempty"`
}

// Item is one normalized feed entry.
type Item struct {
	// ID is short and stable so a person can type it (`triagebot tag ID product`).
	ID string `json:"id"`
	// Key is the canonical identity: the arXiv id without version, else the
	// GUID, else the cleaned link, else a hash of title and date.
	Key string `json:"key"`

	Title   string `json:"title"`
	Summary string `json:"summary,omitempty"`
	URL     string `json:"url,omitempty"`
	GUID    string `json:"guid,omitempty"`
	Lang    string `json:"lang,omitempty"`

	Feed       string `json:"feed"`        // configured feed name
	Source     string `json:"source"`      // display name of the source
	SourceKind Kind   `json:"source_kind"` // paper, news or blog

	Published time.Time `json:"published"`
	FirstSeen time.Time `json:"first_seen"`
	// Undated is true when the feed gave no usable date (none, unparseable,
	// or absurdly in the future): Published is then the first-seen time and
	// says nothing about when the story happened.
	Undated bool `json:"undated,omitempty"`
	// LegacyKey is the key an earlier key rule gave this item, when it
	// differs from Key; the store uses it to recognize an item it stored
	// under that rule. Never stored.
	LegacyKey string `json:"-"`

	ArxivID      string   `json:"arxiv_id,omitempty"`
	AnnounceType string   `json:"announce_type,omitempty"` // new, cross, replace, replace-cross
	Categories   []string `json:"categories,omitempty"`
	Authors      []string `json:"authors,omitempty"`

	Verdict  *Verdict  `json:"verdict,omitempty"`
	Tag      Label     `json:"tag,omitempty"` // the hosts' manual label; always wins
	TaggedBy string    `json:"tagged_by,omitempty"`
	TaggedAt time.Time `json:"tagged_at,omitzero"`
	Picked   bool      `json:"picked,omitempty"`    // chosen for the episode
	PickedBy string    `json:"picked_by,omitempty"` // the pickers, ", "-joined, for display
	// Pickers are the hosts who picked the item, first first; a second
	// host's pick adds to the list instead of replacing the first.
	Pickers  []string  `json:"pickers,omitempty"`
	PickedAt time.Time `json:"picked_at,omitzero"`
}

// Effective is the label the hosts see: their tag, else the classifier's.
func (it *Item) Effective() Label {
	if it.Tag != "" {
		return it.Tag
	}
	if it.Verdict != nil {
		return it.Verdict.Label
	}
	return ""
}

// Feed is one feed definition, from config.yaml or added at run time.
type Feed struct {
	Name     string        `yaml:"name" json:"name"`
	URL      string        `yaml:"url" json:"url"`
	Kind     Kind          `yaml:"kind" json:"kind"`
	Weight   float64       `yaml:"weight" json:"weight,omitempty"`
	Interval time.Duration `yaml:"interval" json:"interval,omitempty"`
	Lang     string        `yaml:"lang" json:"lang,omitempty"`
}

// FeedState is what the poller remembers about a feed between polls.
type FeedState struct {
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
	NextCheck    time.Time `json:"next_check"`
	LastCheck    time.Time `json:"last_check"`
	LastSuccess  time.Time `json:"last_success"`
	LastNew      int       `json:"last_new"`
	Failures     int       `json:"failures"`
	LastError    string    `json:"last_error,omitempty"`
	Disabled     bool      `json:"disabled,omitempty"`
	DisabledWhy  string    `json:"disabled_why,omitempty"`
	DisabledAt   time.Time `json:"disabled_at"`
	// FromConfig feeds come back at every start from config.yaml; others
	// were added with `feeds add` or /feeds add.
	FromConfig bool `json:"from_config,omitempty"`
	// Removed keeps a config feed removed at run time from returning at the
	// next start.
	Removed bool `json:"removed,omitempty"`
}

// Subscription is a chat channel that receives the weekly digest.
type Subscription struct {
	ChannelID string    `json:"channel_id"`
	GuildID   string    `json:"guild_id,omitempty"`
	Sections  []string  `json:"sections,omitempty"` // empty: all sections
	CreatedBy string    `json:"created_by,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	// Paused subscriptions get nothing until /subscribe is run again: the
	// channel was deleted or the bot lost its permission there.
	Paused    bool   `json:"paused,omitempty"`
	PausedWhy string `json:"paused_why,omitempty"`
	// MentionRole is a role id the week's digest mentions when it is
	// posted; nothing else the bot posts mentions anyone.
	MentionRole string `json:"mention_role,omitempty"`
}

// Post is the ledger entry for one thing sent to one channel exactly once:
// a week's digest or a one-off notice. It holds what was to be sent, the
// nonces that make a resend harmless, and what was sent.
type Post struct {
	ChannelID string `json:"channel_id"`
	// Week is the ISO week of a digest ("2026-W48"); empty for a notice.
	Week string `json:"week,omitempty"`
	// Notice is the key of a one-off notice, such as a disabled feed's
	// "feed-disabled:NAME:UNIX"; empty for a digest. Exactly one of Week
	// and Notice is set; Key is the one that is.
	Notice     string   `json:"notice,omitempty"`
	Bodies     [][]byte `json:"bodies"`      // the messages, rendered once, resent as they are
	Nonces     []string `json:"nonces"`      // one per message
	MessageIDs []string `json:"message_ids"` // "" until that message is confirmed
	// ThreadID is the week's thread, opened on the first message; "" until
	// it is open, and for good when InChannel is set.
	ThreadID string `json:"thread_id,omitempty"`
	// InChannel: the channel allows no thread (or the week had nothing to
	// post), so every message goes in the channel.
	InChannel bool      `json:"in_channel,omitempty"`
	Done      bool      `json:"done,omitempty"`
	StartedAt time.Time `json:"started_at"`
	DoneAt    time.Time `json:"done_at,omitzero"`
}

// Key is what the post is, unique within its channel: the week or the
// notice's key.
func (p Post) Key() string {
	if p.Notice != "" {
		return p.Notice
	}
	return p.Week
}

// ThreadPending says the thread is still to be opened: neither opened
// nor refused by the channel.
func (p Post) ThreadPending() bool { return p.ThreadID == "" && !p.InChannel }

// Target is where message i goes: the first always in the channel, the
// rest in the thread once it is open.
func (p Post) Target(i int) string {
	if i > 0 && p.ThreadID != "" {
		return p.ThreadID
	}
	return p.ChannelID
}

// FeedRecord is a feed's definition plus its poll state.
type FeedRecord struct {
	Feed
	State FeedState `json:"state"`
}

// Health says in a few words how the feed is doing: "ok", "never polled",
// "failing (3): <last error>" or "DISABLED: <why>".
func (r FeedRecord) Health() string {
	switch {
	case r.State.Disabled:
		return "DISABLED: " + r.State.DisabledWhy
	case r.State.Failures > 0:
		return fmt.Sprintf("failing (%d): %s", r.State.Failures, r.State.LastError)
	case r.State.LastCheck.IsZero():
		return "never polled"
	}
	return "ok"
}
