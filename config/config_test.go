package config

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/triagebot/triagebot/news"
)

func TestEmbeddedDefaultIsValidAndUseful(t *testing.T) {
	data, err := os.ReadFile("../config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := Parse(data, "config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[news.Kind]int{}
	zh := 0
	arxiv := map[string]bool{}
	for _, f := range cfg.Feeds {
		kinds[f.Kind]++
		if f.Lang == "zh" {
			zh++
		}
		if strings.HasPrefix(f.URL, "https://rss.arxiv.org/rss/") {
			arxiv[strings.TrimPrefix(f.URL, "https://rss.arxiv.org/rss/")] = f.Kind == news.KindPaper
		}
	}
	for _, cat := range []string{"cs.AI", "cs.CL", "cs.LG"} {
		if !arxiv[cat] {
			t.Errorf("default config lacks arXiv %s as a paper feed", cat)
		}
	}
	if kinds[news.KindNews] < 3 || kinds[news.KindBlog] < 3 || zh < 1 {
		t.Errorf("default feeds: %v kinds, %d Chinese", kinds, zh)
	}
	if cfg.Timezone != "Asia/Taipei" || cfg.Location == nil || cfg.Discord.TokenEnv != "DISCORD_TOKEN" || cfg.Discord.APIURL != "https://discord.com" {
		t.Errorf("contract keys: %+v", cfg)
	}
	if cfg.Poll.AllowPrivateNetworks {
		t.Error("the default must refuse private networks")
	}
}

func TestDefaultsFillMissingKeys(t *testing.T) {
	if _, err := Parse([]byte("timezone: Nowhere/Land\n"), "t"); !errors.Is(err, ErrInvalid) {
		t.Errorf("a rule violation should be ErrInvalid: %v", err)
	}
	cfg, err := Parse([]byte("feeds:\n  - {name: a, url: https://a.example.com/feed, kind: news}\n"), "t")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Poll.Interval != 30*time.Minute || cfg.Poll.MaxBodyBytes != 15<<20 || cfg.Poll.MaxFailures != 10 || cfg.Poll.MaxRedirects != 5 {
		t.Errorf("poll defaults: %+v", cfg.Poll)
	}
	if cfg.Digest.Day != time.Monday || cfg.Digest.Clock != 9*time.Hour || cfg.Digest.PerSection != 8 || cfg.Digest.Language != "en" {
		t.Errorf("digest defaults: %+v", cfg.Digest)
	}
	if cfg.Feeds[0].Weight != 1 || cfg.DataDir != "data" {
		t.Errorf("feed weight %v data_dir %q", cfg.Feeds[0].Weight, cfg.DataDir)
	}
}

func TestBadConfigNamesKeyAndLine(t *testing.T) {
	cases := []struct {
		name, yaml string
		want       []string
	}{
		{"unknown key", "data_dir: d\npol:\n  interval: 5m\n", []string{"line 2", "pol"}},
		{"unknown nested key", "poll:\n  intervall: 5m\n", []string{"line 2", "intervall"}},
		{"bad duration", "poll:\n  interval: soon\n", []string{"line 2", "soon"}},
		{"bad timezone", "timezone: Mars/Olympus\n", []string{"line 1", "timezone", "Mars/Olympus"}},
		{"feed scheme", "feeds:\n  - {name: a, url: ftp://x/feed, kind: news}\n", []string{"line 2", "feeds[0]", "only http and https"}},
		{"feed kind", "feeds:\n  - {name: a, url: https://x/feed, kind: podcast}\n", []string{"feeds[0]", "paper, news, blog"}},
		{"duplicate names", "feeds:\n  - {name: A, url: https://x/1, kind: news}\n  - {name: a, url: https://x/2, kind: news}\n", []string{"line 3", "feeds[1].name", "unique"}},
		{"interval too short", "poll:\n  interval: 5s\n", []string{"poll.interval", "1m or more"}},
		{"workers", "poll:\n  workers: 0\n", []string{"poll.workers"}},
		{"api url", "discord:\n  api_url: discord.com\n", []string{"line 2", "discord.api_url"}},
		{"token in file is not a key", "discord:\n  token: abc\n", []string{"line 2", "token"}},
		{"not yaml", "feeds: [\n", []string{"t:"}},
		{"weekday", "digest:\n  weekday: someday\n", []string{"line 2", "digest.weekday", "monday"}},
		{"time", "digest:\n  time: 9am\n", []string{"line 2", "digest.time", "09:00"}},
		{"language", "digest:\n  language: fr\n", []string{"digest.language", "zh-TW"}},
		{"per section", "digest:\n  per_section: 0\n", []string{"digest.per_section"}},
		{"host id", "discord:\n  hosts: [\"ana#1234\"]\n", []string{"line 2", "discord.hosts", "Copy ID"}},
		{"per section too big", "digest:\n  per_section: 100000\n", []string{"line 2", "digest.per_section", "digest -all"}},
		{"no languages", "digest:\n  languages: []\n", []string{"line 2", "digest.languages", "[en, zh]"}},
		{"bad language", "digest:\n  languages: [en, english]\n", []string{"line 2", "digest.languages", "english", "ISO 639-1"}},
		{"shards", "discord:\n  shards: many\n", []string{"line 2", "discord.shards", "auto"}},
		{"requests per second", "discord:\n  requests_per_second: 0\n", []string{"line 2", "discord.requests_per_second"}},
		{"shard id beyond the count", "discord:\n  shards: 2\n  shard_ids: [0, 2]\n", []string{"line 3", "discord.shard_ids"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.yaml), "t")
			if err == nil {
				t.Fatal("want an error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q should contain %q", err, w)
				}
			}
		})
	}
}

func TestLoadPicksSource(t *testing.T) {
	dir := t.TempDir()
	embedded := []byte("data_dir: from-embedded\n")
	t.Chdir(dir)
	cfg, err := Load("", embedded)
	if err != nil || cfg.DataDir != "from-embedded" || cfg.Source != "embedded default" {
		t.Fatalf("embedded: %+v %v", cfg, err)
	}
	if err := os.WriteFile("config.yaml", []byte("data_dir: from-cwd\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if cfg, err := Load("", embedded); err != nil || cfg.DataDir != "from-cwd" {
		t.Fatalf("./config.yaml not preferred: %+v %v", cfg, err)
	}
	other := filepath.Join(dir, "other.yaml")
	if err := os.WriteFile(other, []byte("data_dir: from-flag\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if cfg, err := Load(other, embedded); err != nil || cfg.DataDir != "from-flag" {
		t.Fatalf("-config not preferred: %+v %v", cfg, err)
	}
	if _, err := Load(filepath.Join(dir, "missing.yaml"), embedded); err == nil || !strings.Contains(err.Error(), "-config") {
		t.Errorf("missing file: %v", err)
	}
}

func TestTokenComesFromEnvironment(t *testing.T) {
	t.Setenv("TB_TEST_TOKEN", "  secret  ")
	d := Discord{TokenEnv: "TB_TEST_TOKEN"}
	if d.Token() != "secret" {
		t.Errorf("token = %q", d.Token())
	}
}

// FuzzParse: any bytes give a config or an error, never a panic.
func FuzzParse(f *testing.F) {
	data, err := os.ReadFile("../config.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte("feeds: [{name: a, url: 'https://a', kind: news}]\npoll: {interval: 1m}\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		cfg, err := Parse(b, "fuzz")
		if err == nil && (cfg.Location == nil || cfg.Poll.Interval <= 0) {
			t.Fatalf("valid config without defaults: %+v", cfg)
		}
	})
}

// Every numeric key is bounded, and the error names the key and its line.
func TestNumericKeysAreBounded(t *testing.T) {
	cases := []struct {
		name, yaml string
		want       []string
	}{
		{"retention overflowing UnixNano", "poll:\n  retention_weeks: 20000\n", []string{"line 2", "poll.retention_weeks", "5200"}},
		{"retention negative", "poll:\n  retention_weeks: -1\n", []string{"line 2", "poll.retention_weeks"}},
		{"body cap int64 max", "poll:\n  max_body_bytes: 9223372036854775807\n", []string{"line 2", "poll.max_body_bytes"}},
		{"body cap tiny", "poll:\n  max_body_bytes: 10\n", []string{"line 2", "poll.max_body_bytes"}},
		{"weight NaN", "feeds:\n  - name: a\n    url: https://a.example.com/f\n    kind: news\n    weight: .nan\n", []string{"line 5", "feeds[0].weight", "NaN"}},
		{"weight +Inf", "feeds:\n  - {name: a, url: https://a.example.com/f, kind: news, weight: .inf}\n", []string{"line 2", "feeds[0].weight", "+Inf"}},
		{"weight -Inf", "feeds:\n  - {name: a, url: https://a.example.com/f, kind: news, weight: -.inf}\n", []string{"feeds[0].weight"}},
		{"weight 11", "feeds:\n  - {name: a, url: https://a.example.com/f, kind: news, weight: 11}\n", []string{"feeds[0].weight", "between 0 and 10"}},
		{"feed interval 30d", "feeds:\n  - {name: a, url: https://a.example.com/f, kind: news, interval: 720h}\n", []string{"feeds[0].interval", "168h"}},
		{"interval 30d", "poll:\n  interval: 720h\n", []string{"line 2", "poll.interval", "168h"}},
		{"connect timeout 1ns", "poll:\n  connect_timeout: 1ns\n", []string{"line 2", "poll.connect_timeout"}},
		{"connect timeout 1h", "poll:\n  connect_timeout: 1h\n", []string{"poll.connect_timeout", "5m"}},
		{"timeout 2h", "poll:\n  timeout: 2h\n", []string{"line 2", "poll.timeout", "1h"}},
		{"timeout negative", "poll:\n  timeout: -5s\n", []string{"poll.timeout", "positive"}},
		{"max backoff a year", "poll:\n  max_backoff: 8760h\n", []string{"line 2", "poll.max_backoff", "720h"}},
		{"max backoff below interval", "poll:\n  interval: 2h\n  max_backoff: 1h\n", []string{"line 3", "poll.max_backoff", "poll.interval"}},
		{"workers 1000", "poll:\n  workers: 1000\n", []string{"line 2", "poll.workers", "256"}},
		{"per host 0", "poll:\n  per_host: 0\n", []string{"line 2", "poll.per_host"}},
		{"per host 1000", "poll:\n  per_host: 1000\n", []string{"poll.per_host", "64"}},
		{"max failures 0", "poll:\n  max_failures: 0\n", []string{"poll.max_failures"}},
		{"max failures huge", "poll:\n  max_failures: 9223372036854775807\n", []string{"line 2", "poll.max_failures", "1000"}},
		{"max redirects 21", "poll:\n  max_redirects: 21\n", []string{"line 2", "poll.max_redirects", "20"}},
		{"per section 501", "digest:\n  per_section: 501\n", []string{"line 2", "digest.per_section", "500"}},
		{"int overflowing int64", "poll:\n  max_body_bytes: 99999999999999999999\n", []string{"line 2"}}, // yaml names the line; the value cannot be held
		{"duration overflowing", "poll:\n  interval: 9999999999h\n", []string{"line 2"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.yaml), "t")
			if err == nil {
				t.Fatal("want an error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q should contain %q", err, w)
				}
			}
		})
	}
}

func TestBoundsAcceptTheirEdges(t *testing.T) {
	cases := []string{
		"poll:\n  retention_weeks: 5200\n",
		"poll:\n  retention_weeks: 0\n",
		"poll:\n  max_body_bytes: 1073741824\n",
		"poll:\n  max_body_bytes: 1024\n",
		"poll:\n  interval: 168h\n  max_backoff: 720h\n",
		"poll:\n  max_redirects: 0\n  workers: 256\n  per_host: 64\n  max_failures: 1000\n",
		"feeds:\n  - {name: a, url: https://a.example.com/f, kind: news, weight: 10, interval: 1m}\n",
	}
	for _, y := range cases {
		t.Run(y, func(t *testing.T) {
			if _, err := Parse([]byte(y), "t"); err != nil {
				t.Error(err)
			}
		})
	}
}

// Validate only reads: running it leaves the config exactly as it was,
// and Parse still fills the derived fields.
func TestValidateDoesNotMutate(t *testing.T) {
	c := Defaults()
	c.Feeds = []news.Feed{{Name: " a ", URL: "https://a.example.com/f", Kind: news.KindNews}}
	c.Digest.Weekday, c.Digest.Time, c.Timezone = "friday", "17:30", "Asia/Taipei"
	before := fmt.Sprintf("%#v", c)
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if after := fmt.Sprintf("%#v", c); after != before {
		t.Errorf("Validate changed the config:\nbefore %s\nafter  %s", before, after)
	}
	if c.Location != time.UTC || c.Digest.Day != time.Monday || c.Digest.Clock != 9*time.Hour || c.Feeds[0].Weight != 0 {
		t.Errorf("Validate resolved or defaulted fields: %+v", c)
	}
	cfg, err := Parse([]byte("timezone: Asia/Taipei\ndigest: {weekday: friday, time: \"17:30\"}\n"), "t")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Location == nil || cfg.Location.String() != "Asia/Taipei" || cfg.Digest.Day != time.Friday || cfg.Digest.Clock != 17*time.Hour+30*time.Minute {
		t.Errorf("Parse did not resolve: %v %v %v", cfg.Location, cfg.Digest.Day, cfg.Digest.Clock)
	}
}

func TestPruneCutoffSaturates(t *testing.T) {
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		weeks  int
		want   time.Time
		pruned bool
	}{
		{0, time.Time{}, false},
		{-3, time.Time{}, false},
		{26, now.AddDate(0, 0, -182), true},
		{5200, now.AddDate(0, 0, -7*5200), true},
		{18000, now.AddDate(0, 0, -7*18000), true}, // 1681: still representable
		{18300, time.Time{}, false},                // 1676: before what UnixNano holds
		{20000, time.Time{}, false},
		{math.MaxInt, time.Time{}, false},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprint(tc.weeks), func(t *testing.T) {
			got, ok := PruneCutoff(now, tc.weeks)
			if ok != tc.pruned || !got.Equal(tc.want) {
				t.Fatalf("PruneCutoff(%d) = %v, %v; want %v, %v", tc.weeks, got, ok, tc.want, tc.pruned)
			}
			if ok && !got.Before(now) {
				t.Errorf("cutoff %v is not in the past", got)
			}
		})
	}
}

func TestDefaultsAndCompleteResolve(t *testing.T) {
	d := Defaults()
	if d.Location != time.UTC || d.Digest.Day != time.Monday || d.Digest.Clock != 9*time.Hour {
		t.Errorf("Defaults not resolved: %v %v %v", d.Location, d.Digest.Day, d.Digest.Clock)
	}
	d.Timezone, d.Digest.Weekday = "Asia/Taipei", "sunday"
	d.Feeds = []news.Feed{{Name: "a", URL: "https://a.example.com/f", Kind: news.KindNews}}
	if err := d.Complete(); err != nil {
		t.Fatal(err)
	}
	if d.Location.String() != "Asia/Taipei" || d.Digest.Day != time.Sunday || d.Feeds[0].Weight != 1 {
		t.Errorf("Complete: %v %v weight %v", d.Location, d.Digest.Day, d.Feeds[0].Weight)
	}
	d.Poll.RetentionWeeks = 20000
	if err := d.Complete(); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "poll.retention_weeks") {
		t.Errorf("Complete of a bad config: %v", err)
	}
}

func TestDigestLanguagesAndLargeSections(t *testing.T) {
	cases := []struct {
		name  string
		yaml  string
		langs []string
		per   int
	}{
		{"defaults keep English and Chinese", "", []string{"en", "zh"}, 8},
		{"a list replaces the default", "digest:\n  languages: [EN, ja, zh-TW]\n", []string{"EN", "ja", "zh-TW"}, 8},
		{"more than 25 per section for exports", "digest:\n  per_section: 120\n", []string{"en", "zh"}, 120},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := Parse([]byte(tc.yaml), "t")
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(cfg.Digest.Languages, ",") != strings.Join(tc.langs, ",") || cfg.Digest.PerSection != tc.per {
				t.Errorf("languages %v per_section %d; want %v %d", cfg.Digest.Languages, cfg.Digest.PerSection, tc.langs, tc.per)
			}
		})
	}
}

func TestDiscordShards(t *testing.T) {
	for _, tc := range []struct {
		name, yaml string
		count      int
		auto       bool
		ids        []int
	}{
		{"default is one session", "", 1, false, nil},
		{"auto asks Discord", "discord:\n  shards: auto\n", 0, true, nil},
		{"a count and a subset", "discord:\n  shards: 4\n  shard_ids: [2, 3]\n", 4, false, []int{2, 3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := Parse([]byte(tc.yaml), "t")
			if err != nil {
				t.Fatal(err)
			}
			d := cfg.Discord
			if d.ShardCount != tc.count || d.ShardsAuto != tc.auto || !slices.Equal(d.ShardIDs, tc.ids) {
				t.Errorf("shards %d auto %v ids %v, want %d %v %v", d.ShardCount, d.ShardsAuto, d.ShardIDs, tc.count, tc.auto, tc.ids)
			}
		})
	}
}
