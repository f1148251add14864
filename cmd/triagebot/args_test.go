package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every command refuses words it does not take, with exit 2 and its usage
// line, before it touches the store or the network.
func TestExtraArgumentsAreUsageErrors(t *testing.T) {
	c := newCLI(t)
	in := filepath.Join(c.dir, "in.jsonl")
	os.WriteFile(in, []byte("{\"title\":\"x\",\"label\":\"research\"}\n"), 0o644)
	cases := [][]string{
		{"run", "extra"},
		{"poll", "extra"},
		{"poll", "-all", "extra"},
		{"items", "extra"},
		{"feeds", "list", "extra"},
		{"feeds", "add", "-kind", "news", "X", "https://x.example.com/feed", "extra"},
		{"feeds", "remove", "Lab", "extra"},
		{"feeds", "enable", "Lab", "extra"},
		{"classify", in, "extra"},
		{"eval", in, "extra"},
		{"tag", "abc", "research", "extra"},
		{"untag", "abc", "extra"},
		{"pick", "abc", "extra"},
		{"unpick", "abc", "extra"},
		{"retrain", "extra"},
		{"retrain", "-reset", "extra"},
		{"reclassify", "extra"},
		{"digest", "extra"},
		{"digest", "-week", "2026-W48", "extra"},
		{"backup", "a.db", "b.db"},
		{"version", "extra"},
	}
	for _, args := range cases {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			// A cancelled context: should the check break, `run` stops at
			// once (exit 0, a failure here) instead of hanging the test.
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			var stdout, stderr bytes.Buffer
			code := Main(ctx, append([]string{"-config", c.cfg}, args...), strings.NewReader(""), &stdout, &stderr)
			out, errOut := stdout.String(), stderr.String()
			name := args[0]
			if code != 2 || !strings.Contains(errOut, "usage: triagebot "+name) {
				t.Errorf("exit %d (want 2), stdout %q, stderr %q", code, out, errOut)
			}
		})
	}
	// None of them opened the store: no poll ran, nothing was retrained.
	if _, err := os.Stat(filepath.Join(c.dir, "data")); !os.IsNotExist(err) {
		t.Errorf("a refused command still created the data dir: %v", err)
	}
}

func TestBadFlagValuesAreUsageErrors(t *testing.T) {
	c := newCLI(t)
	in := filepath.Join(c.dir, "in.jsonl")
	os.WriteFile(in, []byte("{\"title\":\"x\",\"label\":\"research\"}\n"), 0o644)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"items", "-limit", "-5"}, "-limit -5"},
		{[]string{"eval", in, "-cv", "-3"}, "-cv -3"},
		{[]string{"feeds", "add", "-kind", "news", "-weight", "NaN", "X", "https://x.example.com/feed"}, "weight NaN"},
		{[]string{"feeds", "add", "-kind", "news", "-weight", "11", "X", "https://x.example.com/feed"}, "between 0 and 10"},
		{[]string{"feeds", "add", "-kind", "news", "-interval", "10s", "X", "https://x.example.com/feed"}, "interval"},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, _, errOut := c.run(tc.args...)
			if code != 2 || !strings.Contains(errOut, tc.want) {
				t.Errorf("exit %d (want 2), stderr %q (want %q)", code, errOut, tc.want)
			}
		})
	}
	if code, out, errOut := c.run("items", "-limit", "0"); code != 0 {
		t.Errorf("-limit 0 (every match): exit %d %s %s", code, out, errOut)
	}
}

func TestWeekIsNormalizedBeforeUseAndEcho(t *testing.T) {
	c := newCLI(t)
	c.run("poll")
	for _, week := range []string{"2026-W48", " 2026-w48 ", "2026-w48"} {
		t.Run(week, func(t *testing.T) {
			code, out, errOut := c.run("digest", "-week", week, "-format", "json")
			var d struct {
				Week      string `json:"week"`
				ItemCount int    `json:"item_count"`
			}
			if code != 0 || json.Unmarshal([]byte(out), &d) != nil {
				t.Fatalf("exit %d: %s %s", code, out, errOut)
			}
			if d.Week != "2026-W48" || d.ItemCount != 2 {
				t.Errorf("week %q, %d items; want 2026-W48, 2", d.Week, d.ItemCount)
			}
			code, out, _ = c.run("digest", "-week", week)
			if code != 0 || !strings.Contains(out, "2026-W48") || strings.Contains(out, "w48") {
				t.Errorf("markdown does not show the normalized week:\n%s", out)
			}
		})
	}
}

// A feed whose items carry opaque GUIDs and tracking parameters: the item
// is keyed by the GUID, so only its link can find it, in any of the forms
// feeds treats as the same link.
const guidFeedXML = `<?xml version="1.0"?><rss version="2.0"><channel><title>Blog</title>
<item><title>Acme prices its agent</title><guid isPermaLink="false">post-4711</guid><link>https://blog.example.com/posts/agent-pricing?utm_source=rss&amp;utm_medium=feed</link><pubDate>Tue, 24 Nov 2026 10:00:00 GMT</pubDate></item>
</channel></rss>`

func TestTagByURLNormalizesLikeFeeds(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, guidFeedXML)
	}))
	defer srv.Close()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.yaml")
	os.WriteFile(cfg, []byte(fmt.Sprintf("data_dir: %s\nfeeds:\n  - {name: Blog, url: %q, kind: blog}\npoll: {allow_private_networks: true, retention_weeks: 0}\n", filepath.Join(dir, "data"), srv.URL)), 0o644)
	run := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := Main(context.Background(), append([]string{"-config", cfg}, args...), strings.NewReader(""), &out, &errb)
		return code, out.String(), errb.String()
	}
	if code, out, errOut := run("poll"); code != 0 || !strings.Contains(out, "1 new items") {
		t.Fatalf("poll: %d %s %s", code, out, errOut)
	}
	refs := []string{
		"https://blog.example.com/posts/agent-pricing?utm_source=rss&utm_medium=feed", // exactly as stored
		"https://blog.example.com/posts/agent-pricing",
		"http://www.blog.example.com/posts/agent-pricing",
		"https://BLOG.example.com/posts/agent-pricing#comments",
		"  https://blog.example.com/posts/agent-pricing?utm_campaign=x  ",
	}
	for _, ref := range refs {
		t.Run(ref, func(t *testing.T) {
			code, out, errOut := run("tag", ref, "product")
			if code != 0 || !strings.Contains(out, "tagged") || !strings.Contains(out, "Acme prices its agent") {
				t.Errorf("tag: exit %d, %s %s", code, out, errOut)
			}
		})
	}
	if code, _, errOut := run("tag", "https://blog.example.com/posts/other", "product"); code != 1 || !strings.Contains(errOut, "no item") {
		t.Errorf("an unknown URL: exit %d, %s", code, errOut)
	}
}

// retention_weeks: 20000 once put the prune cutoff in the future and
// deleted every item; now the config refuses it before anything runs.
func TestHugeRetentionIsRefusedBeforeAPoll(t *testing.T) {
	c := newCLI(t)
	b, _ := os.ReadFile(c.cfg)
	os.WriteFile(c.cfg, bytes.Replace(b, []byte("retention_weeks: 0"), []byte("retention_weeks: 20000"), 1), 0o644)
	code, out, errOut := c.run("poll")
	if code != 1 || !strings.Contains(errOut, "poll.retention_weeks") || !strings.Contains(errOut, "line 8") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}
