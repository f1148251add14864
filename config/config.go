// Package config owns triagebot's configuration: one typed struct decoded
// from YAML, filled with defaults, then validated. Secrets never come from the
// file; the file only names the environment variable that holds them.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
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
	// Location is Timezone resolved by Validate.
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

	// ShardCount and ShardsAuto are Shards resolved by Validate.
	ShardCount int  `yaml:"-"`
	ShardsAuto bool `yaml:"-"`
}

// Digest configures the weekly digest.
type Digest struct {
	Weekday    string   `yaml:"weekday"`     // day the weekly digest is posted
	Time       string   `yaml:"time"`        // HH:MM in the configured timezone
	PerSection int      `yaml:"per_section"` // stories per section; Discord posts show at most 25
	Language   string   `yaml:"language"`    // en or zh-TW
	Interests  []string `yaml:"interests"`   // keywords that rank stories higher
	// Languages are the item languages the digest keeps (ISO 639-1 codes:
	// en, zh, ...); items in any other language are left out.
	Languages []string `yaml:"languages"`

	// Day and Clock are Weekday and Time resolved by Validate.
	Day   time.Weekday  `yaml:"-"`
	Clock time.Duration `yaml:"-"`
}

// Token reads the bot token from the environment. Empty means console mode.
func (d Discord) Token() string {
	return strings.TrimSpace(os.Getenv(d.TokenEnv))
}

// Defaults returns a Config with every default filled and no feeds.
func Defaults() Config {
	return Config{
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
		Discord: Discord{TokenEnv: "DISCORD_TOKEN", APIURL: "https://discord.com", RequestsPerSecond: 50},
		Digest:  Digest{Weekday: "monday", Time: "09:00", PerSection: 8, Language: "en", Languages: []string{"en", "zh"}},
		LLM:     defaultLLM(),
	}
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

// Parse decodes YAML, applies defaults and validates. Unknown keys are errors.
func Parse(data []byte, source string) (*Config, error) {
	cfg := Defaults()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("config: %s: %w (fix the key or value on that line)", source, err)
	}
	var root yaml.Node
	_ = yaml.Unmarshal(data, &root) // already decoded once; only used for line numbers
	cfg.Source = source
	for i := range cfg.Feeds {
		f := &cfg.Feeds[i]
		if f.Weight == 0 {
			f.Weight = 1
		}
		f.Name = strings.TrimSpace(f.Name)
		f.URL = strings.TrimSpace(f.URL)
	}
	if err := cfg.validate(&root); err != nil {
		return nil, fmt.Errorf("config: %s: %w", source, err)
	}
	return &cfg, nil
}

// Validate checks every rule and names the offending key.
func (c *Config) Validate() error { return c.validate(nil) }

func (c *Config) validate(root *yaml.Node) error {
	var errs []error
	bad := func(line int, key, format string, args ...any) {
		where := key
		if line > 0 {
			where = fmt.Sprintf("line %d: %s", line, key)
		}
		errs = append(errs, fmt.Errorf("%w: %s: %s", ErrInvalid, where, fmt.Sprintf(format, args...)))
	}
	top := func(key string) int { return lineOf(root, key) }

	if strings.TrimSpace(c.DataDir) == "" {
		bad(top("data_dir"), "data_dir", "must not be empty")
	}
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil {
		bad(top("timezone"), "timezone", "%q is not an IANA zone such as Asia/Taipei or UTC", c.Timezone)
	}
	c.Location = loc

	names := map[string]bool{}
	for i, f := range c.Feeds {
		key := fmt.Sprintf("feeds[%d]", i)
		line := lineOf(root, "feeds", i)
		if err := CheckFeed(f); err != nil {
			bad(line, key, "%v", err)
		}
		if names[strings.ToLower(f.Name)] {
			bad(line, key+".name", "%q is used twice; feed names must be unique", f.Name)
		}
		names[strings.ToLower(f.Name)] = true
	}

	p := c.Poll
	positive := []struct {
		key string
		d   time.Duration
	}{
		{"poll.interval", p.Interval}, {"poll.connect_timeout", p.ConnectTimeout},
		{"poll.timeout", p.Timeout}, {"poll.max_backoff", p.MaxBackoff},
	}
	for _, d := range positive {
		if d.d <= 0 {
			bad(lineOf(root, "poll", strings.TrimPrefix(d.key, "poll.")), d.key, "must be a positive duration such as 30s or 1h")
		}
	}
	if p.Interval > 0 && p.Interval < time.Minute {
		bad(lineOf(root, "poll", "interval"), "poll.interval", "%s is too often; use 1m or more", p.Interval)
	}
	if p.MaxBodyBytes < 1024 {
		bad(lineOf(root, "poll", "max_body_bytes"), "poll.max_body_bytes", "must be at least 1024")
	}
	if p.MaxRedirects < 0 || p.MaxRedirects > 20 {
		bad(lineOf(root, "poll", "max_redirects"), "poll.max_redirects", "must be between 0 and 20")
	}
	if p.Workers < 1 || p.Workers > 256 {
		bad(lineOf(root, "poll", "workers"), "poll.workers", "must be between 1 and 256")
	}
	if p.PerHost < 1 {
		bad(lineOf(root, "poll", "per_host"), "poll.per_host", "must be at least 1")
	}
	if p.MaxFailures < 1 {
		bad(lineOf(root, "poll", "max_failures"), "poll.max_failures", "must be at least 1")
	}
	if p.RetentionWeeks < 0 {
		bad(lineOf(root, "poll", "retention_weeks"), "poll.retention_weeks", "must be 0 (keep all) or more")
	}

	if strings.TrimSpace(c.Discord.TokenEnv) == "" {
		bad(lineOf(root, "discord", "token_env"), "discord.token_env", "must name an environment variable such as DISCORD_TOKEN")
	}
	if u, err := url.Parse(c.Discord.APIURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad(lineOf(root, "discord", "api_url"), "discord.api_url", "%q is not an http(s) URL such as https://discord.com", c.Discord.APIURL)
	}
	for key, ids := range map[string][]string{"hosts": c.Discord.Hosts, "host_roles": c.Discord.HostRoles, "guild_id": {c.Discord.GuildID}} {
		for _, id := range ids {
			if id != "" && !isSnowflake(id) {
				bad(lineOf(root, "discord", key), "discord."+key, "%q is not a Discord id (digits; in Discord: Developer Mode, then right-click, Copy ID); quote it", id)
			}
		}
	}
	switch sh := strings.ToLower(strings.TrimSpace(c.Discord.Shards)); sh {
	case "", "1":
		c.Discord.ShardCount, c.Discord.ShardsAuto = 1, false
	case "auto":
		c.Discord.ShardCount, c.Discord.ShardsAuto = 0, true
	default:
		n, err := strconv.Atoi(sh)
		if err != nil || n < 1 {
			bad(lineOf(root, "discord", "shards"), "discord.shards", "%q is not a shard count; use auto or a number of at least 1", c.Discord.Shards)
		}
		c.Discord.ShardCount = n
	}
	if c.Discord.RequestsPerSecond < 1 || c.Discord.RequestsPerSecond > 10000 {
		bad(lineOf(root, "discord", "requests_per_second"), "discord.requests_per_second", "must be between 1 and 10000 (Discord allows a bot 50 unless it raised your limit)")
	}
	seenShard := map[int]bool{}
	for _, id := range c.Discord.ShardIDs {
		if id < 0 || (c.Discord.ShardCount > 0 && id >= c.Discord.ShardCount) || seenShard[id] {
			bad(lineOf(root, "discord", "shard_ids"), "discord.shard_ids", "%d: want distinct ids from 0 to the shard count minus one (discord.shards)", id)
		}
		seenShard[id] = true
	}
	dg := &c.Digest
	if day, ok := weekdays()[strings.ToLower(strings.TrimSpace(dg.Weekday))]; ok {
		dg.Day = day
	} else {
		bad(lineOf(root, "digest", "weekday"), "digest.weekday", "%q is not a weekday; use monday ... sunday", dg.Weekday)
	}
	if t, err := time.Parse("15:04", strings.TrimSpace(dg.Time)); err == nil {
		dg.Clock = time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute
	} else {
		bad(lineOf(root, "digest", "time"), "digest.time", "%q is not a time like 09:00 (24-hour, quoted)", dg.Time)
	}
	if dg.PerSection < 1 || dg.PerSection > MaxPerSection {
		bad(lineOf(root, "digest", "per_section"), "digest.per_section", "must be between 1 and %d (Discord posts show at most 25; use `digest -all` to export a whole week)", MaxPerSection)
	}
	if len(dg.Languages) == 0 {
		bad(lineOf(root, "digest", "languages"), "digest.languages", "must list at least one language, such as [en, zh]")
	}
	for _, l := range dg.Languages {
		// The digest compares codes case-insensitively; nothing to resolve here.
		if !isLangCode(strings.ToLower(strings.TrimSpace(l))) {
			bad(lineOf(root, "digest", "languages"), "digest.languages", "%q is not a language code; use ISO 639-1 codes such as en, zh, ja", l)
		}
	}
	if dg.Language != "en" && dg.Language != "zh-TW" {
		bad(lineOf(root, "digest", "language"), "digest.language", "%q: use en or zh-TW", dg.Language)
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

// CheckFeed validates one feed definition; the CLI and the bot use it too so
// a feed added at run time obeys the same rules as one in the file.
func CheckFeed(f news.Feed) error {
	if strings.TrimSpace(f.Name) == "" {
		return errors.New("name must not be empty")
	}
	if len(f.Name) > 100 {
		return errors.New("name must be at most 100 characters")
	}
	u, err := url.Parse(f.URL)
	if err != nil {
		return fmt.Errorf("url %q is not a URL", f.URL)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("url %q: only http and https are fetched", f.URL)
	}
	if u.Host == "" {
		return fmt.Errorf("url %q has no host", f.URL)
	}
	if _, err := news.ParseKind(string(f.Kind)); err != nil {
		return fmt.Errorf("kind %q: use one of paper, news, blog", f.Kind)
	}
	if f.Weight < 0 || f.Weight > 10 {
		return fmt.Errorf("weight %v must be between 0 and 10", f.Weight)
	}
	if f.Interval < 0 || (f.Interval > 0 && f.Interval < time.Minute) {
		return fmt.Errorf("interval %s must be 1m or more", f.Interval)
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
