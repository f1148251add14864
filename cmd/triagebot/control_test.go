package main

import (
	"bufio"
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/triagebot/triagebot/news"
	"github.com/triagebot/triagebot/store"
)

// startDaemon polls once, starts `run` and waits until its control socket
// answers.
func startDaemon(t *testing.T, c *cli) func() int {
	t.Helper()
	t.Setenv("DISCORD_TOKEN", "")
	stop, out, errOut := startRun(t, c)
	sock := filepath.Join(c.dir, "data", SocketName)
	waitFor(t, 10*time.Second, func() bool {
		conn, err := net.Dial("unix", sock)
		if err == nil {
			conn.Close()
		}
		return err == nil && strings.Contains(out.String(), "polling")
	}, out, errOut)
	var once sync.Once
	code := 0
	stopOnce := func() int { once.Do(func() { code = stop() }); return code }
	t.Cleanup(func() { stopOnce() })
	return stopOnce
}

func TestCLICommandsRunThroughTheDaemon(t *testing.T) {
	c := newCLI(t)
	if code, out, errOut := c.run("poll"); code != 0 {
		t.Fatalf("poll: %d %s %s", code, out, errOut)
	}
	stop := startDaemon(t, c)
	sock := filepath.Join(c.dir, "data", SocketName)
	if fi, err := os.Stat(sock); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("socket %v mode %v, want 0600", err, fi.Mode().Perm())
	}
	// The daemon holds the file: a command opening it here would wait 1 s
	// and fail with "already in use".
	code, out, errOut := c.run("items", "-json", "-limit", "1")
	var it news.Item
	if code != 0 || json.Unmarshal([]byte(strings.TrimSpace(out)), &it) != nil || it.Title != "Acme launches a voice mode" {
		t.Fatalf("items beside the daemon: %d %q %q", code, out, errOut)
	}
	backup := filepath.Join(c.dir, "out", "backup.db")
	digestFile := filepath.Join(c.dir, "out", "digest.md")
	steps := []struct {
		args    []string
		code    int
		out     string // in stdout
		errOut  string // in stderr
		written string // a file the client wrote, and what it holds
	}{
		{args: []string{"items"}, out: "voice mode"},
		{args: []string{"tag", it.ID, "research"}, out: "tagged " + it.ID + " as research"},
		{args: []string{"items", "-label", "research"}, out: "research (tag)"},
		{args: []string{"pick", it.ID}, out: "picked " + it.ID},
		{args: []string{"feeds", "list"}, out: "Lab"},
		{args: []string{"digest", "-since", "2026-11-20", "-until", "2026-11-28", "-format", "text"}, out: "voice mode"},
		{args: []string{"digest", "-since", "2026-11-20", "-until", "2026-11-28", "-out", digestFile}, out: "wrote " + digestFile, written: "voice mode"},
		{args: []string{"backup", backup}, out: "backed up", written: ""},
		// The OPML travels to the client like a backup (its directory is
		// created there); the daemon never writes where a client asks.
		{args: []string{"feeds", "export", filepath.Join(c.dir, "out", "opml", "feeds.opml")}, out: "wrote", written: "xmlUrl"},
		{args: []string{"check"}, out: "OK"},
		{args: []string{"poll", "-all"}, out: "2 feeds polled"},
		{args: []string{"items", "-label", "papers"}, code: 2, errOut: "research, product, other"},
		{args: []string{"feeds", "enable", "Nope"}, code: 1, errOut: "feeds list"},
		{args: []string{"backup", filepath.Join(c.dir, "no", "such", "\x00dir", "b.db")}, code: 1, errOut: "backup"},
		// Never over the live store: the daemon would go on writing an
		// unlinked file and every later change would be lost.
		{args: []string{"backup", filepath.Join(c.dir, "data", "triagebot.db")}, code: 2, errOut: "the store itself"},
		{args: []string{"digest", "-out", filepath.Join(c.dir, "data", "triagebot.db")}, code: 2, errOut: "the store itself"},
	}
	for _, st := range steps {
		t.Run(strings.Join(st.args, " "), func(t *testing.T) {
			start := time.Now()
			code, out, errOut := c.run(st.args...)
			if code != st.code || !strings.Contains(out, st.out) || !strings.Contains(errOut, st.errOut) {
				t.Fatalf("exit %d (want %d)\nstdout %q (want %q)\nstderr %q (want %q)", code, st.code, out, st.out, errOut, st.errOut)
			}
			if el := time.Since(start); el > 900*time.Millisecond {
				t.Errorf("took %s: did it wait for the lock instead of asking the daemon?", el)
			}
			if st.code == 0 && st.written != "" {
				path := st.args[len(st.args)-1]
				b, err := os.ReadFile(path)
				if err != nil || !strings.Contains(string(b), st.written) {
					t.Errorf("%s: %v %q", path, err, b)
				}
			}
		})
	}
	// -config after the command finds the daemon too.
	var outb, errb strings.Builder
	if code := Main(context.Background(), []string{"items", "-config", c.cfg}, strings.NewReader(""), &outb, &errb); code != 0 || !strings.Contains(outb.String(), "voice") {
		t.Errorf("items -config after the command: %d %q %q", code, outb.String(), errb.String())
	}
	// The backup the client wrote is a whole store with the tag in it.
	restored := t.TempDir()
	b, err := os.ReadFile(backup)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(restored, store.FileName), b, 0o600)
	rs, err := store.Open(restored, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := rs.Item(it.ID); err != nil || got.Tag != news.Research || !got.Picked {
		t.Errorf("backup's item: %+v %v", got, err)
	}
	rs.Close()
	if leftovers, _ := filepath.Glob(filepath.Join(c.dir, "out", "*", ".triagebot-*")); len(leftovers) > 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
	if leftovers, _ := filepath.Glob(filepath.Join(c.dir, "out", ".triagebot-*")); len(leftovers) > 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}

	if code := stop(); code != 0 {
		t.Errorf("run exit %d", code)
	}
	if _, err := os.Stat(sock); !os.IsNotExist(err) {
		t.Errorf("socket still there after a clean stop: %v", err)
	}
	// No daemon: the same commands open the file themselves.
	if code, out, errOut := c.run("items", "-label", "research"); code != 0 || !strings.Contains(out, "research (tag)") {
		t.Errorf("items without the daemon: %d %q %q", code, out, errOut)
	}
}

func TestStaleSocketIsIgnoredAndReplaced(t *testing.T) {
	c := newCLI(t)
	c.run("poll")
	sock := filepath.Join(c.dir, "data", SocketName)
	// A socket file nobody listens on, as a killed daemon leaves it.
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	ln.Close()
	if _, err := os.Stat(sock); err != nil {
		t.Fatalf("no stale socket to test with: %v", err)
	}
	if code, out, errOut := c.run("items"); code != 0 || !strings.Contains(out, "voice") {
		t.Fatalf("items with a stale socket: %d %q %q", code, out, errOut)
	}
	startDaemon(t, c) // fails unless the daemon replaced the stale socket
	if code, out, errOut := c.run("items"); code != 0 || !strings.Contains(out, "voice") {
		t.Fatalf("items through the new daemon: %d %q %q", code, out, errOut)
	}
}

// A client that sends garbage, too much, nothing, or asks for a command
// the daemon does not run gets a refusal, and the daemon keeps serving.
func TestControlServerRefusesBadClients(t *testing.T) {
	c := newCLI(t)
	c.run("poll")
	dir := filepath.Join(c.dir, "data")
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a := &app{configPath: c.cfg, log: slog.New(slog.DiscardHandler)}
	conf, err := a.config()
	if err != nil {
		t.Fatal(err)
	}
	m, err := a.model(st)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := listenControl(context.Background(), conf, st, m, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	cs.timeout = time.Second
	cs.start()
	defer cs.close()
	sock := socketPath(dir)
	cases := []struct {
		name, send string
		code       int
		errOut     string
	}{
		{"garbage", "\x00\x01hello\n", exitUsage, "bad request"},
		{"wrong version", `{"v":9,"args":["items"]}` + "\n", exitUsage, "protocol version"},
		{"too long", strings.Repeat("a", maxRequest+10) + "\n", exitUsage, "longer than"},
		{"silent", "", exitUsage, "bad request"},
		{"run in the daemon", `{"v":1,"args":["run"]}` + "\n", exitUsage, "does not run \"run\""},
		{"classify reads daemon files", `{"v":1,"args":["classify","/etc/passwd"]}` + "\n", exitUsage, "does not run \"classify\""},
		{"too many args", `{"v":1,"args":["items"` + strings.Repeat(`,"x"`, maxArgs) + `]}` + "\n", exitUsage, "at most"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			conn, err := net.Dial("unix", sock)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			conn.SetDeadline(time.Now().Add(5 * time.Second))
			go conn.Write([]byte(tc.send)) // the server may refuse before reading it all
			code, stderr := readFrames(t, conn)
			if code != tc.code || !strings.Contains(stderr, tc.errOut) {
				t.Errorf("exit %d (want %d), stderr %q (want %q)", code, tc.code, stderr, tc.errOut)
			}
		})
	}
	// Clients that connect and say nothing hold their slot until the
	// request timeout; one more than the limit is told the daemon is busy.
	var idle []net.Conn
	for range maxClients {
		c, err := net.Dial("unix", sock)
		if err != nil {
			t.Fatal(err)
		}
		idle = append(idle, c)
	}
	busy, err := net.Dial("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	busy.SetDeadline(time.Now().Add(5 * time.Second))
	if code, stderr := readFrames(t, busy); code != exitError || !strings.Contains(stderr, "busy") {
		t.Errorf("client %d: exit %d, stderr %q; want busy", maxClients+1, code, stderr)
	}
	busy.Close()
	for _, c := range idle {
		c.Close()
	}
	// Still serving (once the idle clients' slots are free).
	for try := 0; ; try++ {
		conn, err := net.Dial("unix", sock)
		if err != nil {
			t.Fatal(err)
		}
		conn.SetDeadline(time.Now().Add(5 * time.Second))
		conn.Write([]byte(`{"v":1,"args":["-config","` + c.cfg + `","items","-limit","1"]}` + "\n"))
		code, stderr := readFrames(t, conn)
		conn.Close()
		if strings.Contains(stderr, "busy") && try < 40 {
			time.Sleep(50 * time.Millisecond)
			continue
		}
		if code != 0 {
			t.Errorf("a good request after the bad ones: exit %d %q", code, stderr)
		}
		break
	}
}

func readFrames(t *testing.T, conn net.Conn) (int, string) {
	t.Helper()
	r := bufio.NewReader(conn)
	var stderr strings.Builder
	for {
		line, err := readLine(r, maxFrame)
		if err != nil {
			t.Fatalf("no exit frame: %v (stderr %q)", err, stderr.String())
		}
		var f frame
		if err := json.Unmarshal(line, &f); err != nil {
			t.Fatal(err)
		}
		switch f.T {
		case frameErr:
			stderr.Write(f.D)
		case frameExit:
			return f.Code, stderr.String()
		}
	}
}

// Read commands open the store read-only: the file's bytes stay as they
// were, and a damaged store is a clear error, never a crash.
func TestReadCommandsWriteNothing(t *testing.T) {
	c := newCLI(t)
	c.run("poll")
	path := filepath.Join(c.dir, "data", store.FileName)
	os.Chmod(path, 0o444)
	before, _ := os.ReadFile(path)
	for _, args := range [][]string{{"items"}, {"feeds", "list"}, {"digest"}, {"backup", filepath.Join(c.dir, "b.db")}, {"check"},
		{"feeds", "export"}, {"feeds", "export", filepath.Join(c.dir, "f.opml")}} {
		if code, out, errOut := c.run(args...); code != 0 {
			t.Errorf("%v: %d %q %q", args, code, out, errOut)
		}
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Error("a read command changed the store file")
	}
}

func TestDamagedStoreIsAClearError(t *testing.T) {
	c := newCLI(t)
	c.run("poll")
	path := filepath.Join(c.dir, "data", store.FileName)
	if err := os.Truncate(path, 8<<10); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"items"}, {"poll"}, {"digest"}, {"tag", "x", "research"}, {"feeds", "list"}, {"backup", filepath.Join(c.dir, "b.db")}} {
		code, _, errOut := c.run(args...)
		if code != 1 {
			t.Errorf("%v: exit %d, want 1", args, code)
		}
		for _, want := range []string{path, "damaged", "backup", "triagebot check"} {
			if !strings.Contains(errOut, want) {
				t.Errorf("%v: stderr %q lacks %q", args, errOut, want)
			}
		}
	}
	code, out, errOut := c.run("check")
	if code != 1 || !strings.Contains(out, "DAMAGED") || !strings.Contains(out, "truncated") {
		t.Errorf("check: %d %q %q", code, out, errOut)
	}
	os.Truncate(path, 0)
	if code, _, errOut := c.run("items"); code != 1 || !strings.Contains(errOut, "empty (0 bytes)") {
		t.Errorf("0-byte store: %d %q", code, errOut)
	}
}

func TestCommandLineParsingForTheDaemon(t *testing.T) {
	cases := []struct {
		args       []string
		name, conf string
		hasConf    bool
	}{
		{[]string{"items"}, "items", "", false},
		{[]string{"-config", "a.yaml", "-v", "items", "-limit", "2"}, "items", "a.yaml", true},
		{[]string{"--config=b.yaml", "digest"}, "digest", "b.yaml", true},
		{[]string{"items", "-config", "c.yaml"}, "items", "c.yaml", true},
		{[]string{"-config", "a.yaml", "backup", "-config=d.yaml", "x.db"}, "backup", "d.yaml", true},
		{[]string{"-v", "--", "tag", "-config", "e.yaml"}, "tag", "", false},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			if got := commandName(tc.args); got != tc.name {
				t.Errorf("command %q, want %q", got, tc.name)
			}
			if got, ok := configArg(tc.args); got != tc.conf || ok != tc.hasConf {
				t.Errorf("config %q %v, want %q %v", got, ok, tc.conf, tc.hasConf)
			}
		})
	}
}

// A file the command reads (feeds import FILE, retrain -from FILE) is named relative to the
// client's working directory, which the daemon does not share: the client
// makes the path absolute before it asks the daemon.
func TestClientPathsForTheDaemon(t *testing.T) {
	abs := func(p string) string {
		a, err := filepath.Abs(p)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	cases := []struct {
		args, want []string
	}{
		{[]string{"feeds", "import", "f.opml"}, []string{"feeds", "import", abs("f.opml")}},
		{[]string{"-v", "feeds", "import", "-kind", "news", "news"}, []string{"-v", "feeds", "import", "-kind", "news", abs("news")}},
		{[]string{"-config", "c.yaml", "feeds", "import", "--kind=blog", "sub/f.opml", "-dry-run"}, []string{"-config", "c.yaml", "feeds", "import", "--kind=blog", abs("sub/f.opml"), "-dry-run"}},
		{[]string{"feeds", "import", "--", "-odd.opml"}, []string{"feeds", "import", "--", abs("-odd.opml")}},
		{[]string{"feeds", "import", "/abs/f.opml"}, []string{"feeds", "import", "/abs/f.opml"}},
		{[]string{"feeds", "import", "a.opml", "b.opml"}, []string{"feeds", "import", "a.opml", "b.opml"}}, // a usage error, left to the command
		{[]string{"feeds", "export", "f.opml"}, []string{"feeds", "export", "f.opml"}},
		{[]string{"backup", "x.db"}, []string{"backup", "x.db"}},
		{[]string{"retrain", "-from", "labels.jsonl"}, []string{"retrain", "-from", abs("labels.jsonl")}},
		{[]string{"-v", "retrain", "-seed", "--from=sub/l.jsonl"}, []string{"-v", "retrain", "-seed", "--from=" + abs("sub/l.jsonl")}},
		{[]string{"retrain", "-from", "/abs/l.jsonl"}, []string{"retrain", "-from", "/abs/l.jsonl"}},
		{[]string{"retrain", "-reset"}, []string{"retrain", "-reset"}},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			got := clientPaths(tc.args)
			if strings.Join(got, "\x00") != strings.Join(tc.want, "\x00") {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
