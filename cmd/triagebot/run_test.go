package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/triagebot/triagebot/bot"
	"github.com/triagebot/triagebot/digest"
	"github.com/triagebot/triagebot/internal/fakediscord"
)

// syncBuffer is a bytes.Buffer safe for a goroutine writing while the test
// reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func waitFor(t *testing.T, d time.Duration, cond func() bool, show ...fmt.Stringer) {
	t.Helper()
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if cond() {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, s := range show {
		t.Log(s.String())
	}
	t.Fatal("condition not met in time")
}

func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func startRun(t *testing.T, c *cli, args ...string) (stop func() int, out, errOut *syncBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out, errOut = &syncBuffer{}, &syncBuffer{}
	code := make(chan int, 1)
	go func() {
		code <- Main(ctx, append([]string{"-config", c.cfg, "run"}, args...), strings.NewReader(""), out, errOut)
	}()
	return func() int {
		cancel()
		select {
		case c := <-code:
			return c
		case <-time.After(15 * time.Second):
			t.Fatal("run did not stop after SIGINT")
			return -1
		}
	}, out, errOut
}

// dueWeekFeed serves a feed whose two items fall in the week whose digest
// is due now (by the default schedule, Monday 09:00 UTC).
func dueWeekFeed(t *testing.T) string {
	week, _ := bot.DueWeek(time.Now(), time.UTC, time.Monday, 9*time.Hour)
	since, _, err := digest.WeekWindow(week, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	d := since.Add(36 * time.Hour).Format(http.TimeFormat)
	body := fmt.Sprintf(`<?xml version="1.0"?><rss version="2.0"><channel><title>Lab</title>
<item><title>Acme launches a voice mode</title><link>https://lab.example.com/voice</link><pubDate>%s</pubDate></item>
<item><title>A new method for chart reading</title><link>https://lab.example.com/charts</link><pubDate>%s</pubDate></item>
</channel></rss>`, d, d)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, body) }))
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestRunConsoleModeWritesTheDigestOnce(t *testing.T) {
	c := newCLI(t)
	writeFile(t, c.cfg, fmt.Sprintf("data_dir: %s\ntimezone: UTC\nfeeds:\n  - {name: Lab, url: %q, kind: blog}\npoll: {allow_private_networks: true, retention_weeks: 0}\n",
		filepath.Join(c.dir, "data"), dueWeekFeed(t)))
	t.Setenv("DISCORD_TOKEN", "")
	addr := freeAddr(t)
	stop, out, errOut0 := startRun(t, c, "-http", addr)
	digests := filepath.Join(c.dir, "data", "digests")
	var written string
	waitFor(t, 10*time.Second, func() bool {
		files, _ := filepath.Glob(filepath.Join(digests, "*.md"))
		if len(files) == 1 {
			written = files[0]
		}
		return written != "" && strings.Contains(out.String(), "2 new (of 2)") && strings.Contains(out.String(), "written to")
	}, out, errOut0)
	if !strings.Contains(out.String(), "console mode") || !strings.Contains(out.String(), "DISCORD_TOKEN") {
		t.Errorf("console mode should say how to connect Discord:\n%s", out)
	}
	body, err := os.ReadFile(written)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(body), "# AI news · ") {
		t.Errorf("digest file: %q", body)
	}
	for path, want := range map[string]string{"/healthz": "ok", "/metrics": "triagebot_feeds_polled_total 1"} {
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(b), want) {
			t.Errorf("%s: %q lacks %q", path, b, want)
		}
	}
	if code := stop(); code != 0 {
		t.Errorf("exit %d", code)
	}
	if !strings.Contains(out.String(), "stopped") {
		t.Errorf("no clean stop:\n%s", out)
	}
	// A second run does not write the same week again.
	os.Remove(written)
	stop, out, _ = startRun(t, c)
	waitFor(t, 10*time.Second, func() bool { return strings.Contains(out.String(), "polling 1 feeds") }, out)
	time.Sleep(300 * time.Millisecond) // the console schedule runs at start
	stop()
	if _, err := os.Stat(written); err == nil {
		t.Error("the week's digest was written twice")
	}
}

func TestRunRefusesATakenHTTPAddress(t *testing.T) {
	c := newCLI(t)
	t.Setenv("DISCORD_TOKEN", "")
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	code, _, errOut := c.run("run", "-http", l.Addr().String())
	if code != 1 || !strings.Contains(errOut, "choose a free address") {
		t.Errorf("exit %d: %s", code, errOut)
	}
}

func TestRunWithDiscordConnectsAndNeverLogsTheToken(t *testing.T) {
	const token = "sekret-token-value-123"
	fake := fakediscord.New(token)
	defer fake.Close()
	c := newCLI(t)
	cfg, err := os.ReadFile(c.cfg)
	if err != nil {
		t.Fatal(err)
	}
	// The hosts come from the config: a listed user and a listed role.
	discord := fmt.Sprintf("discord:\n  token_env: TB_TEST_TOKEN\n  api_url: %s\n  hosts: [\"500000000000000001\"]\n  host_roles: [\"700000000000000001\"]\n", fake.URL())
	if err := os.WriteFile(c.cfg, append(cfg, discord...), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TB_TEST_TOKEN", token)
	stop, out, errOut := startRun(t, c, "-v")
	if !fake.WaitFor(10*time.Second, func() bool { return len(fake.Commands()) == 10 }) {
		t.Fatalf("commands not registered; stderr:\n%s", errOut)
	}
	id := fake.Command("400000000000000009", fakediscord.Member{UserID: "1", Name: "ana", Permissions: 32}, "status")
	if !fake.WaitFor(5*time.Second, func() bool { return len(fake.Callbacks(id)) == 1 }) {
		t.Fatal("/status not answered")
	}
	// With discord.hosts or host_roles set, only those may pick: a server
	// manager who is not listed is refused (without the keys, managers
	// are the hosts), the listed user and a member with the role are not.
	for _, tc := range []struct {
		name string
		who  fakediscord.Member
		host bool
	}{
		{"an unlisted manager", fakediscord.Member{UserID: "500000000000000002", Name: "mo", Permissions: 32}, false},
		{"a host by id", fakediscord.Member{UserID: "500000000000000001", Name: "ana"}, true},
		{"a host by role", fakediscord.Member{UserID: "500000000000000003", Name: "bo", Roles: []string{"700000000000000001"}}, true},
	} {
		id := fake.Command("400000000000000009", tc.who, "pick", fakediscord.Opt("item", "nosuchid"))
		if !fake.WaitFor(5*time.Second, func() bool { return len(fake.Callbacks(id)) == 1 }) {
			t.Fatalf("/pick by %s not answered", tc.name)
		}
		data, _ := fake.Callbacks(id)[0]["data"].(map[string]any)
		content, _ := data["content"].(string)
		if refused := strings.Contains(content, "Only the show's hosts"); refused == tc.host || content == "" {
			t.Errorf("/pick by %s: %q", tc.name, content)
		}
	}
	if code := stop(); code != 0 {
		t.Errorf("exit %d: %s", code, errOut)
	}
	if strings.Contains(out.String()+errOut.String(), token) {
		t.Error("the token appeared in the output")
	}
	if strings.Contains(out.String(), "console mode") {
		t.Error("with a token, run must not be in console mode")
	}
}
