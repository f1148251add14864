package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/triagebot/triagebot/news"
	"go.yaml.in/yaml/v3"
)

// Config is the whole configuration.
type Config struct {
	DataDir  string      `yaml:"data_dir"`
	Timezone string      `yaml:"timezone"`
	Feeds    []news.Feed `yaml:"feeds"`
	Poll     Poll        `yaml:"poll"`
	Discord  Discord     `yaml:"discord"`
	Digest   Digest      `yaml:"digest"`
	LLM      LLM         `yaml:"llm"`

	// Source says where the config came from (a path or "embedded default"),
	// for messages.
	Source string `yaml:"-"`
	// Location is Timezone, resolved by Parse.
	Location *time.Location `yaml:"-"`
}

// Poll configures fetching and scheduling.
type Poll struct {
	Interval             time.Duration `yaml:"interval"`
	AllowPrivateNetworks bool          `yaml:"allow_private_networks"`
	ConnectTimeout       time.Duration `yaml:"connect_timeout"`
	Timeout              time.Duration `yaml:"timeout"`
	MaxBodyBytes         int64         `yaml:"max_body_bytes"`
	MaxRedirects         int           `yaml:"max_redirects"`
	Workers              int           `yaml:"workers"`
	PerHost              int           `yaml:"per_host"`
	MaxBackoff           time.Duration `yaml:"max_backoff"`
	MaxFailures          int           `yaml:"max_failures"`
	RetentionWeeks       int           `yaml:"retention_weeks"`
}

// Discord configures the bot. The token itself is read from the environment
// variable TokenEnv names.
type Discord struct {
	TokenEnv string `yaml:"token_env"`
	APIURL   string `yaml:"api_url"`
	GuildID  string `yaml:"guild_id"`
	// Hosts (user ids) and HostRoles (role ids) may tag and pick; both
	// empty: members with Manage Server. The server's id in HostRoles
	// (its @everyone role) lets everyone.
	Hosts     []string `yaml:"hosts"`
	HostRoles []string `yaml:"host_roles"`
	// Shards is the gateway shard count: empty or 1 for one session,
	// "auto" for what Discord recommends (GET /gateway/bot), or a number.
	// ShardIDs are the shards this process runs (empty: all); processes
	// sharing one token run disjoint subsets.
	Shards   string `yaml:"shards"`
	ShardIDs []int  `yaml:"shard_ids"`
	// RequestsPerSecond is this process's share of the bot's global REST
	// limit (Discord: 50/s per bot). Processes sharing a token without a
	// REST proxy split it between them.
	RequestsPerSecond int `yaml:"requests_per_second"`

	// The bot's pacing is not in the file: Discord's rules set it
	// (IdentifyInterval) or nobody has needed another value. It lives here
	// so that each default has one home; the bot refuses zero values.
	PostConcurrency  int           `yaml:"-"` // channels the weekly post reaches at once; the global limit sets the pace
	PostRetry        time.Duration `yaml:"-"` // first wait after a failed send; doubles at each try
	ScheduleTick     time.Duration `yaml:"-"` // how often the bot looks for due digests
	IdentifyInterval time.Duration `yaml:"-"` // between identify batches of several shards (Discord: max_concurrency per 5 s)

	// ShardCount and ShardsAuto are Shards, resolved by Parse.
	ShardCount int  `yaml:"-"`
	ShardsAuto bool `yaml:"-"`
}

// Digest configures the weekly digest.
type Digest struct {
	Weekday    string `yaml:"weekday"`     // day the weekly digest is posted
	Time       string `yaml:"time"`        // HH:MM in the configured timezone
	PerSection int    `yaml:"per_section"` // stories per section; Discord posts show at most 25
	// Points is how many top stories of Research and Product (and every
	// pick) get talking points; 0 turns them off.
	Points    int      `yaml:"points"`
	Language  string   `yaml:"language"`  // en or zh-TW
	Interests []string `yaml:"interests"` // keywords that rank stories higher
	// Languages are the item languages the digest keeps (ISO 639-1 codes:
	// en, zh, ...); items in any other language are left out.
	Languages []string `yaml:"languages"`

	// Day and Clock are Weekday and Time, resolved by Parse.
	Day   time.Weekday  `yaml:"-"`
	Clock time.Duration `yaml:"-"`
}

// Token reads the bot token from the environment. Empty means console mode.
func (d Discord) Token() string {
	return strings.TrimSpace(os.Getenv(d.TokenEnv))
}

// Defaults returns a Config with every default filled, its derived fields
// resolved, and no feeds. A caller that changes it calls Complete.
func Defaults() Config {
	c := Config{
		DataDir:  "data",
		Timezone: "UTC",
		Poll: Poll{
			Interval:       30 * time.Minute,
			ConnectTimeout: 10 * time.Second,
			Timeout:        30 * time.Second,
			MaxBodyBytes:   15 << 20,
			MaxRedirects:   5,
			Workers:        8,
			PerHost:        2,
			MaxBackoff:     24 * time.Hour,
			MaxFailures:    10,
			RetentionWeeks: 26,
		},
		Discord: Discord{TokenEnv: "DISCORD_TOKEN", APIURL: "https://discord.com", RequestsPerSecond: 50,
			PostConcurrency: 64, PostRetry: 2 * time.Second, ScheduleTick: time.Minute, IdentifyInterval: 5 * time.Second},
		Digest: Digest{Weekday: "monday", Time: "09:00", PerSection: 8, Points: 3, Language: "en", Languages: []string{"en", "zh"}},
		LLM:    defaultLLM(),
	}
	c.resolve()
	return c
}

// Complete does for a Config built in code what Parse does for a file:
// applies the defaults lists need, validates, and resolves the derived
// fields (Location, Digest.Day, Digest.Clock).
func (c *Config) Complete() error {
	c.applyDefaults()
	if err := c.Validate(); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	c.resolve()
	return nil
}

// ErrInvalid marks a config that parsed but breaks a rule.
var ErrInvalid = errors.New("invalid config")

// Load reads the config from path. An empty path means ./config.yaml if it
// exists, else the embedded default.
func Load(path string, embedded []byte) (*Config, error) {
	var (
		data   []byte
		source string
		err    error
	)
	switch {
	case path != "":
		data, err = os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("config: read %s: %w (check the -config path)", path, err)
		}
		source = path
	default:
		data, err = os.ReadFile("config.yaml")
		switch {
		case err == nil:
			source = "config.yaml"
		case errors.Is(err, os.ErrNotExist):
			data, source = embedded, "embedded default"
		default:
			return nil, fmt.Errorf("config: read config.yaml: %w", err)
		}
	}
	return Parse(data, source)
}

// Parse decodes YAML, applies defaults, validates and resolves the derived
// fields (Location, Digest.Day, Digest.Clock). Unknown keys are errors.
func Parse(data []byte, source string) (*Config, error) {
	cfg := Defaults()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("config: %s: %w (fix the key or value on that line)", source, err)
	}
	// The document's nodes give an error its line number. Decoded again
	// only when a value is wrong: a config of thousands of feeds takes
	// tens of milliseconds to decode, which every command would pay.
	var node *yaml.Node
	root := func() *yaml.Node {
		if node == nil {
			node = new(yaml.Node)
			_ = yaml.Unmarshal(data, node) // it decoded above; only lines are read
		}
		return node
	}
	cfg.Source = source
	cfg.applyDefaults()
	if err := cfg.validate(root); err != nil {
		return nil, fmt.Errorf("config: %s: %w", source, err)
	}
	cfg.resolve()
	return &cfg, nil
}

// applyDefaults fills what a decoded file may leave empty inside lists
// (Defaults covers the rest) and trims names and URLs.
func (c *Config) applyDefaults() {
	for i := range c.Feeds {
		FeedDefaults(&c.Feeds[i])
	}
}

// FeedDefaults fills a feed's unset weight (1) and trims its name and URL:
// the one place a feed's defaults live, for the file and for feeds added at
// run time alike.
func FeedDefaults(f *news.Feed) {
	if f.Weight == 0 {
		f.Weight = 1
	}
	f.Name = strings.TrimSpace(f.Name)
	f.URL = strings.TrimSpace(f.URL)
}

// resolve computes the derived fields from a config that validated. It
// cannot fail then: validate parsed the same values.
func (c *Config) resolve() {
	c.Location, _ = time.LoadLocation(c.Timezone)
	c.Digest.Day, _ = parseWeekday(c.Digest.Weekday)
	c.Digest.Clock, _ = parseClock(c.Digest.Time)
	c.Discord.ShardCount, c.Discord.ShardsAuto, _ = parseShards(c.Discord.Shards)
}

// parseShards reads discord.shards: empty or a count, or auto (the count
// Discord recommends, asked at connect).
func parseShards(s string) (count int, auto, ok bool) {
	switch sh := strings.ToLower(strings.TrimSpace(s)); sh {
	case "", "1":
		return 1, false, true
	case "auto":
		return 0, true, true
	default:
		n, err := strconv.Atoi(sh)
		if err != nil || n < 1 {
			return 1, false, false
		}
		return n, false, true
	}
}

// Validate checks every rule and names the offending key. It only reads
// the config: defaults and derived fields are Parse's job.
func (c Config) Validate() error { return c.validate(func() *yaml.Node { return nil }) }

// Limits on numeric keys. They keep values in a range where the arithmetic
// downstream cannot overflow (a week count turned into nanoseconds, a body
// cap plus one) and where the value still means something.
const (
	MaxRetentionWeeks = 5200 // 100 years
	MaxBodyBytes      = 1 << 30
	MinBodyBytes      = 1024
	MaxWeight         = 10
	MinInterval       = time.Minute
	MaxInterval       = 7 * 24 * time.Hour
)

// intRange and durRange are the bounds of one numeric key.
type intRange struct {
	key      string
	v        int64
	min, max int64
	hint     string
}

type durRange struct {
	key      string
	v        time.Duration
	min, max time.Duration
}

func (c Config) validate(root func() *yaml.Node) error {
	var errs []error
	bad := func(line int, key, format string, args ...any) {
		where := key
		if line > 0 {
			where = fmt.Sprintf("line %d: %s", line, key)
		}
		errs = append(errs, fmt.Errorf("%w: %s: %s", ErrInvalid, where, fmt.Sprintf(format, args...)))
	}
	top := func(key string) int { return lineOf(root(), key) }
	// line finds "section.key" in the document.
	line := func(key string) int {
		path := []any{}
		for _, p := range strings.Split(key, ".") {
			path = append(path, p)
		}
		return lineOf(root(), path...)
	}

	if strings.TrimSpace(c.DataDir) == "" {
		bad(top("data_dir"), "data_dir", "must not be empty")
	}
	if _, err := time.LoadLocation(c.Timezone); err != nil {
		bad(top("timezone"), "timezone", "%q is not an IANA zone such as Asia/Taipei or UTC", c.Timezone)
	}

	names := map[string]bool{}
	for i, f := range c.Feeds {
		key := fmt.Sprintf("feeds[%d]", i)
		if err := CheckFeed(f); err != nil {
			var fe *FieldError
			if errors.As(err, &fe) && lineOf(root(), "feeds", i, fe.Field) > 0 {
				bad(lineOf(root(), "feeds", i, fe.Field), key+"."+fe.Field, "%s", fe.Msg)
			} else {
				bad(lineOf(root(), "feeds", i), key, "%v", err)
			}
		}
		if names[strings.ToLower(f.Name)] {
			bad(lineOf(root(), "feeds", i), key+".name", "%q is used twice; feed names must be unique", f.Name)
		}
		names[strings.ToLower(f.Name)] = true
	}

	p := c.Poll
	for _, d := range []durRange{
		{"poll.interval", p.Interval, MinInterval, MaxInterval},
		{"poll.connect_timeout", p.ConnectTimeout, 100 * time.Millisecond, 5 * time.Minute},
		{"poll.timeout", p.Timeout, 100 * time.Millisecond, time.Hour},
		{"poll.max_backoff", p.MaxBackoff, time.Minute, 30 * 24 * time.Hour},
	} {
		switch {
		case d.v <= 0:
			bad(line(d.key), d.key, "must be a positive duration such as 30s or 1h")
		case d.v < d.min:
			bad(line(d.key), d.key, "%s is too short; use %s or more", d.v, fmtDur(d.min))
		case d.v > d.max:
			bad(line(d.key), d.key, "%s is too long; use at most %s", d.v, fmtDur(d.max))
		}
	}
	if p.MaxBackoff > 0 && p.Interval > 0 && p.MaxBackoff < p.Interval {
		bad(line("poll.max_backoff"), "poll.max_backoff", "%s is shorter than poll.interval %s; a failing feed would be checked more often than a healthy one", p.MaxBackoff, p.Interval)
	}
	ints := []intRange{
		{"poll.max_body_bytes", p.MaxBodyBytes, MinBodyBytes, MaxBodyBytes, " (1 KiB to 1 GiB; the default is 15728640, 15 MiB)"},
		{"poll.max_redirects", int64(p.MaxRedirects), 0, 20, " (0 follows none)"},
		{"poll.workers", int64(p.Workers), 1, 256, ""},
		{"poll.per_host", int64(p.PerHost), 1, 64, ""},
		{"poll.max_failures", int64(p.MaxFailures), 1, 1000, ""},
		{"poll.retention_weeks", int64(p.RetentionWeeks), 0, MaxRetentionWeeks, " (0 keeps everything; 5200 weeks is 100 years)"},
		{"digest.per_section", int64(c.Digest.PerSection), 1, MaxPerSection, " (Discord posts show at most 25; use `digest -all` to export a whole week)"},
		{"digest.points", int64(c.Digest.Points), 0, MaxPerSection, " (0 turns talking points off)"},
	}
	for _, r := range ints {
		if r.v < r.min || r.v > r.max {
			bad(line(r.key), r.key, "%d is out of range; must be between %d and %d%s", r.v, r.min, r.max, r.hint)
		}
	}

	if strings.TrimSpace(c.Discord.TokenEnv) == "" {
		bad(line("discord.token_env"), "discord.token_env", "must name an environment variable such as DISCORD_TOKEN")
	}
	if u, err := url.Parse(c.Discord.APIURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad(line("discord.api_url"), "discord.api_url", "%q is not an http(s) URL such as https://discord.com", c.Discord.APIURL)
	}
	for key, ids := range map[string][]string{"hosts": c.Discord.Hosts, "host_roles": c.Discord.HostRoles, "guild_id": {c.Discord.GuildID}} {
		for _, id := range ids {
			if id != "" && !isSnowflake(id) {
				bad(lineOf(root(), "discord", key), "discord."+key, "%q is not a Discord id (digits; in Discord: Developer Mode, then right-click, Copy ID); quote it", id)
			}
		}
	}
	count, auto, ok := parseShards(c.Discord.Shards)
	if !ok {
		bad(line("discord.shards"), "discord.shards", "%q is not a shard count; use auto or a number of at least 1", c.Discord.Shards)
	}
	if c.Discord.RequestsPerSecond < 1 || c.Discord.RequestsPerSecond > 10000 {
		bad(line("discord.requests_per_second"), "discord.requests_per_second", "must be between 1 and 10000 (Discord allows a bot 50 unless it raised your limit)")
	}
	seenShard := map[int]bool{}
	for _, id := range c.Discord.ShardIDs {
		if id < 0 || (!auto && id >= count) || seenShard[id] {
			bad(line("discord.shard_ids"), "discord.shard_ids", "%d: want distinct ids from 0 to the shard count minus one (discord.shards)", id)
		}
		seenShard[id] = true
	}
	dg := c.Digest
	if _, ok := parseWeekday(dg.Weekday); !ok {
		bad(line("digest.weekday"), "digest.weekday", "%q is not a weekday; use monday ... sunday", dg.Weekday)
	}
	if _, ok := parseClock(dg.Time); !ok {
		bad(line("digest.time"), "digest.time", "%q is not a time like 09:00 (24-hour, quoted)", dg.Time)
	}
	if len(dg.Languages) == 0 {
		bad(line("digest.languages"), "digest.languages", "must list at least one language, such as [en, zh]")
	}
	for _, l := range dg.Languages {
		// The digest compares codes case-insensitively; nothing to resolve here.
		if !isLangCode(strings.ToLower(strings.TrimSpace(l))) {
			bad(line("digest.languages"), "digest.languages", "%q is not a language code; use ISO 639-1 codes such as en, zh, ja", l)
		}
	}
	if dg.Language != "en" && dg.Language != "zh-TW" {
		bad(line("digest.language"), "digest.language", "%q: use en or zh-TW", dg.Language)
	}
	errs = append(errs, c.LLM.check(root)...)
	return errors.Join(errs...)
}

// MaxPerSection bounds digest.per_section: beyond a few hundred a
// section is an export, which `digest -all` does without a cap.
const MaxPerSection = 500

// isLangCode accepts a two- or three-letter language code, optionally with
// a region (zh-TW): the digest compares only the language part.
func isLangCode(s string) bool {
	base, region, _ := strings.Cut(strings.ReplaceAll(s, "_", "-"), "-")
	if len(base) < 2 || len(base) > 3 || len(region) > 8 {
		return false
	}
	for _, r := range base + region {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') {
			return false
		}
	}
	return true
}

// fmtDur prints a limit the way a user writes it in the file (168h, 1m).
func fmtDur(d time.Duration) string {
	switch {
	case d%time.Hour == 0:
		return fmt.Sprintf("%dh", d/time.Hour)
	case d%time.Minute == 0:
		return fmt.Sprintf("%dm", d/time.Minute)
	}
	return d.String()
}

func parseWeekday(s string) (time.Weekday, bool) {
	d, ok := weekdays()[strings.ToLower(strings.TrimSpace(s))]
	return d, ok
}

func parseClock(s string) (time.Duration, bool) {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if err != nil {
		return 0, false
	}
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute, true
}

// PruneCutoff is the time before which untagged, unpicked items are pruned,
// and false when retention_weeks is 0 (keep everything). It saturates
// instead of overflowing: a retention reaching before the year 1678 (the
// earliest time in nanoseconds since 1970 an int64 holds) keeps everything
// too, whatever weeks holds, so a config that bypassed Validate can never
// put the cutoff in the future.
func PruneCutoff(now time.Time, weeks int) (time.Time, bool) {
	if weeks <= 0 {
		return time.Time{}, false
	}
	// Beyond 400 years the answer is "keep everything" anyway; the check
	// also keeps 7*weeks from overflowing int.
	if weeks > 400*53 {
		return time.Time{}, false
	}
	cutoff := now.AddDate(0, 0, -7*weeks)
	if earliest := time.Unix(0, math.MinInt64); !cutoff.After(earliest) || cutoff.After(now) {
		return time.Time{}, false
	}
	return cutoff, true
}

func isSnowflake(s string) bool {
	if len(s) < 5 || len(s) > 20 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func weekdays() map[string]time.Weekday {
	m := map[string]time.Weekday{}
	for d := time.Sunday; d <= time.Saturday; d++ {
		m[strings.ToLower(d.String())] = d
	}
	return m
}

// FieldError is a feed rule broken by one field; Field is its YAML key.
type FieldError struct {
	Field string
	Msg   string
}

func (e *FieldError) Error() string { return e.Field + " " + e.Msg }

// CheckFeed validates one feed definition; the CLI and the bot use it too so
// a feed added at run time obeys the same rules as one in the file. Its
// errors are *FieldError.
func CheckFeed(f news.Feed) error {
	if strings.TrimSpace(f.Name) == "" {
		return &FieldError{"name", "must not be empty"}
	}
	if len(f.Name) > 100 {
		return &FieldError{"name", "must be at most 100 characters"}
	}
	u, err := url.Parse(f.URL)
	if err != nil {
		return &FieldError{"url", fmt.Sprintf("%q is not a URL", f.URL)}
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return &FieldError{"url", fmt.Sprintf("%q: only http and https are fetched", f.URL)}
	}
	if u.Host == "" {
		return &FieldError{"url", fmt.Sprintf("%q has no host", f.URL)}
	}
	if _, err := news.ParseKind(string(f.Kind)); err != nil {
		return &FieldError{"kind", fmt.Sprintf("%q: use one of paper, news, blog", f.Kind)}
	}
	// NaN compares false with everything, so it is refused by name.
	if math.IsNaN(f.Weight) || math.IsInf(f.Weight, 0) || f.Weight < 0 || f.Weight > MaxWeight {
		return &FieldError{"weight", fmt.Sprintf("%v must be a number between 0 and %d", f.Weight, MaxWeight)}
	}
	if f.Interval < 0 || (f.Interval > 0 && (f.Interval < MinInterval || f.Interval > MaxInterval)) {
		return &FieldError{"interval", fmt.Sprintf("%s must be between %s and %s", f.Interval, fmtDur(MinInterval), fmtDur(MaxInterval))}
	}
	return nil
}

// lineOf finds the line of a key path (map keys as strings, sequence indexes
// as ints) in a decoded document, or 0 when it is not there.
func lineOf(root *yaml.Node, path ...any) int {
	if root == nil {
		return 0
	}
	n := root
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	for depth, p := range path {
		last := depth == len(path)-1
		switch k := p.(type) {
		case string:
			if n.Kind != yaml.MappingNode {
				return 0
			}
			next := (*yaml.Node)(nil)
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == k {
					if last {
						return n.Content[i].Line
					}
					next = n.Content[i+1]
					break
				}
			}
			if next == nil {
				return 0
			}
			n = next
		case int:
			if n.Kind != yaml.SequenceNode || k >= len(n.Content) {
				return 0
			}
			n = n.Content[k]
		}
	}
	return n.Line
}
