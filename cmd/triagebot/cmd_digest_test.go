package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// digestCLI polls a loopback feed of n blog posts from one week, with the
// digest settings given, so the digest command has something to cut.
func digestCLI(t *testing.T, n int, digestYAML string) *cli {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Lab</title>`)
	// Made-up words, different in every item, so no two items are one story.
	word := func(i int) string {
		syl := []string{"ka", "lo", "mi", "ne", "ru", "sa", "te", "vo", "zi", "po"}
		return syl[i%10] + syl[i/10%10] + syl[i/100%10] + "x"
	}
	for i := range n {
		fmt.Fprintf(&b, `<item><title>Acme %s %s %s</title><link>https://lab.example.com/%d</link><description>The %s %s %s %s.</description><pubDate>Tue, 24 Nov 2026 %02d:00:00 GMT</pubDate></item>`,
			word(i), word(i+100), word(i+200), i, word(i+300), word(i+400), word(i+500), word(i+600), i%24)
	}
	b.WriteString(`<item><title>微软发布新的视频软件</title><link>https://lab.example.com/zh</link><description>这款软件支持人工智能视频生成。</description><pubDate>Wed, 25 Nov 2026 10:00:00 GMT</pubDate></item>`)
	b.WriteString(`</channel></rss>`)
	body := b.String()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, body) }))
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.yaml")
	os.WriteFile(cfg, []byte(fmt.Sprintf("data_dir: %s\ntimezone: UTC\nfeeds:\n  - {name: \"Lab\", url: \"%s/feed\", kind: blog}\npoll:\n  allow_private_networks: true\n  retention_weeks: 0\n%s",
		filepath.Join(dir, "data"), srv.URL, digestYAML)), 0o644)
	c := &cli{t: t, dir: dir, cfg: cfg}
	if code, out, errOut := c.run("poll"); code != 0 {
		t.Fatalf("poll: %d %s %s", code, out, errOut)
	}
	return c
}

type digestJSON struct {
	StoryCount int `json:"story_count"`
	Sections   []struct {
		Key     string            `json:"key"`
		Omitted int               `json:"omitted"`
		Stories []json.RawMessage `json:"stories"`
	} `json:"sections"`
}

func (d digestJSON) shown() (shown, omitted int) {
	for _, s := range d.Sections {
		shown += len(s.Stories)
		omitted += s.Omitted
	}
	return shown, omitted
}

func TestDigestAllExportsEveryStory(t *testing.T) {
	c := digestCLI(t, 40, "digest:\n  per_section: 2\n")
	cases := []struct {
		name        string
		args        []string
		wantShown   int
		wantOmitted bool
	}{
		{"per_section cuts each section", []string{"digest", "-week", "2026-W48", "-format", "json"}, 0, true},
		{"-all shows every story", []string{"digest", "-week", "2026-W48", "-format", "json", "-all"}, 41, false},
		{"--all works too", []string{"digest", "-week", "2026-W48", "-format", "json", "--all"}, 41, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := c.run(tc.args...)
			var d digestJSON
			if code != 0 || json.Unmarshal([]byte(out), &d) != nil {
				t.Fatalf("%d %s %s", code, out, errOut)
			}
			shown, omitted := d.shown()
			if shown+omitted != d.StoryCount || d.StoryCount < 2 {
				t.Errorf("shown %d + omitted %d != %d stories", shown, omitted, d.StoryCount)
			}
			if tc.wantShown > 0 && shown != tc.wantShown {
				t.Errorf("shown %d, want %d", shown, tc.wantShown)
			}
			if (omitted > 0) != tc.wantOmitted {
				t.Errorf("omitted %d", omitted)
			}
		})
	}
}

func TestDigestPerSectionAbove25(t *testing.T) {
	c := digestCLI(t, 40, "digest:\n  per_section: 30\n")
	code, out, errOut := c.run("digest", "-week", "2026-W48", "-format", "json")
	var d digestJSON
	if code != 0 || json.Unmarshal([]byte(out), &d) != nil {
		t.Fatalf("%d %s %s", code, out, errOut)
	}
	for _, s := range d.Sections {
		if len(s.Stories) > 30 || (s.Omitted > 0 && len(s.Stories) != 30) {
			t.Errorf("section %s: %d shown, %d omitted; want up to 30 shown", s.Key, len(s.Stories), s.Omitted)
		}
	}
	if shown, _ := d.shown(); shown <= 25 {
		t.Errorf("only %d stories shown; per_section 30 should show more than 25", shown)
	}
}

func TestDigestZhTWConvertsSimplifiedItems(t *testing.T) {
	c := digestCLI(t, 2, "digest:\n  language: zh-TW\n")
	code, out, errOut := c.run("digest", "-week", "2026-W48")
	if code != 0 {
		t.Fatalf("%d %s", code, errOut)
	}
	for _, want := range []string{"11月23日–11月29日", "微軟釋出新的影片軟體", "這款軟體支援人工智慧影片生成", "Acme "} {
		if !strings.Contains(out, want) {
			t.Errorf("zh-TW digest lacks %q:\n%s", want, out)
		}
	}
	for _, simplified := range []string{"微软", "视频", "软件"} {
		if strings.Contains(out, simplified) {
			t.Errorf("Simplified %q left in a zh-TW digest:\n%s", simplified, out)
		}
	}
}
