package config

import (
	"errors"
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
		{"per section too big", "digest:\n  per_section: 100000\n", []string{"line 2", "digest.per_section", "digest -all"}},
		{"no languages", "digest:\n  languages: []\n", []string{"line 2", "digest.languages", "[en, zh]"}},
		{"bad language", "digest:\n  languages: [en, english]\n", []string{"line 2", "digest.languages", "english", "ISO 639-1"}},
		{"host id", "discord:\n  hosts: [\"ana#1234\"]\n", []string{"line 2", "discord.hosts", "Copy ID"}},
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
	wd, _ := os.Getwd()
	t.Cleanup(func() { os.Chdir(wd) })
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load("", embedded)
	if err != nil || cfg.DataDir != "from-embedded" || cfg.Source != "embedded default" {
		t.Fatalf("embedded: %+v %v", cfg, err)
	}
	os.WriteFile("config.yaml", []byte("data_dir: from-cwd\n"), 0o644)
	if cfg, _ := Load("", embedded); cfg.DataDir != "from-cwd" {
		t.Errorf("./config.yaml not preferred: %q", cfg.DataDir)
	}
	other := filepath.Join(dir, "other.yaml")
	os.WriteFile(other, []byte("data_dir: from-flag\n"), 0o644)
	if cfg, _ := Load(other, embedded); cfg.DataDir != "from-flag" {
		t.Errorf("-config not preferred: %q", cfg.DataDir)
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
	data, _ := os.ReadFile("../config.yaml")
	f.Add(data)
	f.Add([]byte("feeds: [{name: a, url: 'https://a', kind: news}]\npoll: {interval: 1m}\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		cfg, err := Parse(b, "fuzz")
		if err == nil && (cfg.Location == nil || cfg.Poll.Interval <= 0) {
			t.Fatalf("valid config without defaults: %+v", cfg)
		}
	})
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
