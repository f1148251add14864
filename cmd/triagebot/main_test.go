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

	"github.com/triagebot/triagebot/news"
	"github.com/triagebot/triagebot/store"
)

const feedXML = `<?xml version="1.0"?><rss version="2.0"><channel><title>Lab</title>
<item><title>Acme launches a voice mode</title><link>https://lab.example.com/voice</link><pubDate>Tue, 24 Nov 2026 10:00:00 GMT</pubDate></item>
<item><title>A new method for chart reading</title><link>https://lab.example.com/charts</link><pubDate>Mon, 23 Nov 2026 10:00:00 GMT</pubDate></item>
</channel></rss>`

// cli runs the command line in a temp dir with a config that points at a
// loopback feed server.
type cli struct {
	t   *testing.T
	dir string
	cfg string
}

func newCLI(t *testing.T) *cli {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/feed":
			w.Header().Set("ETag", `"1"`)
			if r.Header.Get("If-None-Match") == `"1"` {
				w.WriteHeader(304)
				return
			}
			fmt.Fprint(w, feedXML)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.yaml")
	os.WriteFile(cfg, []byte(fmt.Sprintf(`data_dir: %s
timezone: UTC
feeds:
  - {name: "Lab", url: "%s/feed", kind: blog}
  - {name: "Broken", url: "%s/missing", kind: news}
poll:
  allow_private_networks: true
  retention_weeks: 0
`, filepath.Join(dir, "data"), srv.URL, srv.URL)), 0o644)
	return &cli{t: t, dir: dir, cfg: cfg}
}

func (c *cli) run(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := Main(context.Background(), append([]string{"-config", c.cfg}, args...), strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestPollThenItems(t *testing.T) {
	c := newCLI(t)
	code, out, _ := c.run("poll")
	if code != 0 || !strings.Contains(out, "Lab") || !strings.Contains(out, "2 new (of 2)") || !strings.Contains(out, "Broken") || !strings.Contains(out, "404") {
		t.Fatalf("poll: %d\n%s", code, out)
	}
	code, out, _ = c.run("poll", "-all")
	if code != 0 || !strings.Contains(out, "not modified") {
		t.Fatalf("second poll: %d\n%s", code, out)
	}
	code, out, _ = c.run("items", "-json", "-limit", "1")
	var it news.Item
	if code != 0 || json.Unmarshal([]byte(strings.TrimSpace(out)), &it) != nil || it.Title != "Acme launches a voice mode" {
		t.Fatalf("items -json -limit 1: %d %q", code, out)
	}
	code, out, _ = c.run("items", "-since", "2026-11-24")
	if code != 0 || strings.Count(strings.TrimSpace(out), "\n") != 0 || !strings.Contains(out, "voice") {
		t.Errorf("items -since: %q", out)
	}
	code, out, _ = c.run("items", "-feed", "Broken")
	if code != 0 || !strings.Contains(out, "no items match") {
		t.Errorf("items -feed Broken: %d %q", code, out)
	}
}

func TestUsageAndErrorsExitCodes(t *testing.T) {
	c := newCLI(t)
	cases := []struct {
		args     []string
		code     int
		stderrIn string
	}{
		{[]string{"frobnicate"}, 2, "unknown command"},
		{[]string{"items", "-label", "papers"}, 2, "research, product, other"},
		{[]string{"items", "-since", "last tuesday"}, 2, "not a date"},
		{[]string{"items", "-feed", "Nope"}, 1, "feeds list"},
		{[]string{"feeds", "add", "X", "https://x.example.com/feed", "-kind", "podcast"}, 2, "paper, news, blog"},
		{[]string{"feeds", "add", "X", "file:///etc/passwd", "-kind", "news"}, 2, "http and https"},
		{[]string{"feeds", "enable", "Nope"}, 1, "feeds list"},
		{[]string{"feeds", "explode"}, 2, "list, add, remove, enable, import or export"},
		{[]string{"backup"}, 2, "backup file name"},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, _, errOut := c.run(tc.args...)
			if code != tc.code || !strings.Contains(errOut, tc.stderrIn) {
				t.Errorf("exit %d (want %d), stderr %q (want %q)", code, tc.code, errOut, tc.stderrIn)
			}
		})
	}
	var out, errb bytes.Buffer
	if code := Main(context.Background(), []string{"-config", filepath.Join(c.dir, "nope.yaml"), "poll"}, nil, &out, &errb); code != 1 || !strings.Contains(errb.String(), "check the -config path") {
		t.Errorf("missing config: %d %q", code, errb.String())
	}
}

func TestFeedsLifecycle(t *testing.T) {
	c := newCLI(t)
	steps := []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"feeds", "add", "-kind", "news", "Extra", "https://extra.example.com/feed"}, 0, `added "Extra"`},
		{[]string{"feeds", "add", "Extra", "https://extra.example.com/feed", "-kind", "news"}, 1, ""},
		{[]string{"feeds", "list"}, 0, "Extra"},
		{[]string{"feeds", "remove", "Lab"}, 0, "config file"},
		{[]string{"feeds", "remove", "Extra"}, 0, `removed "Extra"`},
	}
	for _, s := range steps {
		code, out, errOut := c.run(s.args...)
		if code != s.code || !strings.Contains(out, s.out) {
			t.Fatalf("%v: exit %d out %q err %q", s.args, code, out, errOut)
		}
	}
	_, out, _ := c.run("feeds", "list")
	if strings.Contains(out, "Lab") || strings.Contains(out, "Extra") {
		t.Errorf("removed feeds still listed:\n%s", out)
	}
}

func TestDisabledFeedIsReEnabled(t *testing.T) {
	c := newCLI(t)
	st, err := store.Open(filepath.Join(c.dir, "data"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st.SyncFeeds([]news.Feed{{Name: "Broken", URL: "https://b.example.com/", Kind: news.KindNews}})
	st.UpdateFeed("Broken", func(r *store.FeedRecord) error {
		r.State.Disabled, r.State.DisabledWhy = true, "10 consecutive failures"
		return nil
	})
	st.Close()
	_, out, _ := c.run("feeds", "list")
	if !strings.Contains(out, "DISABLED: 10 consecutive failures") {
		t.Fatalf("list:\n%s", out)
	}
	if code, out, _ := c.run("feeds", "enable", "broken"); code != 0 || !strings.Contains(out, "enabled") {
		t.Fatalf("enable: %d %s", code, out)
	}
	_, out, _ = c.run("feeds", "list")
	if strings.Contains(out, "DISABLED") {
		t.Errorf("still disabled:\n%s", out)
	}
}

func TestBackupAndLockedStore(t *testing.T) {
	c := newCLI(t)
	c.run("poll")
	dst := filepath.Join(c.dir, "backup.db")
	if code, out, errOut := c.run("backup", dst); code != 0 || !strings.Contains(out, "backed up") {
		t.Fatalf("backup: %d %s %s", code, out, errOut)
	}
	restored := t.TempDir()
	b, _ := os.ReadFile(dst)
	os.WriteFile(filepath.Join(restored, store.FileName), b, 0o600)
	st, err := store.Open(restored, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := st.Count(); n != 2 {
		t.Errorf("backup holds %d items", n)
	}
	st.Close()

	held, err := store.Open(filepath.Join(c.dir, "data"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	code, _, errOut := c.run("poll")
	if code != 1 || !strings.Contains(errOut, "already in use by another triagebot") {
		t.Errorf("locked: %d %q", code, errOut)
	}
}

func TestVersionAndHelp(t *testing.T) {
	c := newCLI(t)
	if code, out, _ := c.run("version"); code != 0 || !strings.HasPrefix(out, "triagebot ") {
		t.Errorf("version: %d %q", code, out)
	}
	if code, out, _ := c.run("help"); code != 0 || !strings.Contains(out, "poll") {
		t.Errorf("help: %d %q", code, out)
	}
}

// Without a daemon too, no command writes a file over the store it uses.
func TestNoOutputOverTheStore(t *testing.T) {
	c := newCLI(t)
	if code, _, errOut := c.run("poll"); code != 0 {
		t.Fatalf("poll: %s", errOut)
	}
	db := filepath.Join(c.dir, "data", "triagebot.db")
	before, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"backup", db}, {"digest", "-out", db}, {"feeds", "export", db}} {
		code, _, errOut := c.run(args...)
		if code != 2 || !strings.Contains(errOut, "the store itself") {
			t.Errorf("%v: exit %d, %q; want a refusal", args, code, errOut)
		}
	}
	after, _ := os.ReadFile(db)
	if !bytes.Equal(before, after) {
		t.Fatal("the store file changed")
	}
	if code, out, _ := c.run("items"); code != 0 || !strings.Contains(out, "voice mode") {
		t.Fatalf("items after the refusals: %d %q", code, out)
	}
}
