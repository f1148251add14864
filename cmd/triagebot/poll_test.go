package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPollLineShowsDuplicatesAndHidesCredentials: a feed whose URL carries
// credentials and whose document repeats an entry. The poll line counts
// the dropped duplicate; no output shows the password, including the
// error of a credentialed feed that cannot be reached.
func TestPollLineShowsDuplicatesAndHidesCredentials(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Lab</title>
<item><title>One</title><link>https://lab.example.com/1</link></item>
<item><title>One again</title><link>https://lab.example.com/1</link></item>
<item><title>Two</title><link>https://lab.example.com/2</link></item>
</channel></rss>`)
	}))
	t.Cleanup(srv.Close)
	dead := httptest.NewServer(http.NotFoundHandler())
	deadURL := dead.URL
	dead.Close()
	withCreds := func(u string) string { return strings.Replace(u, "http://", "http://reader:s3cr3tpw@", 1) }
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.yaml")
	os.WriteFile(cfg, []byte(fmt.Sprintf(`data_dir: %s
timezone: UTC
feeds:
  - {name: "Private", url: "%s/feed", kind: blog}
  - {name: "Gone", url: "%s/feed", kind: news}
poll:
  allow_private_networks: true
  retention_weeks: 0
`, filepath.Join(dir, "data"), withCreds(srv.URL), withCreds(deadURL))), 0o644)
	c := &cli{t: t, dir: dir, cfg: cfg}

	_, out, errOut := c.run("poll")
	if !strings.Contains(out, "2 new (of 3; 1 duplicate)") {
		t.Errorf("poll line does not count the duplicate:\n%s", out)
	}
	_, listOut, _ := c.run("feeds", "list")
	_, jsonOut, _ := c.run("feeds", "list", "-json")
	for what, text := range map[string]string{"poll": out + errOut, "feeds list": listOut, "feeds list -json": jsonOut} {
		if strings.Contains(text, "s3cr3tpw") || strings.Contains(text, "reader:") {
			t.Errorf("%s shows the credentials:\n%s", what, text)
		}
	}
	if !strings.Contains(out, "Gone") || !strings.Contains(out, "***@127.0.0.1") {
		t.Errorf("the unreachable feed's error should quote the redacted URL:\n%s", out)
	}
	if !strings.Contains(listOut, "***@127.0.0.1") {
		t.Errorf("feeds list should show the redacted URL:\n%s", listOut)
	}
}

func TestDupText(t *testing.T) {
	for n, want := range map[int]string{0: "", 1: "; 1 duplicate", 6: "; 6 duplicates"} {
		if got := dupText(n); got != want {
			t.Errorf("dupText(%d) = %q, want %q", n, got, want)
		}
	}
}
