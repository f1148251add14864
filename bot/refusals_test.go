package bot_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/triagebot/triagebot/config"
	"github.com/triagebot/triagebot/internal/fakediscord"
)

// TestRefusalsChosenByKind: each failure a user can fix gets its own
// answer, chosen by the error's kind, in the user's language; none is
// reported as another (a bad label is not "no item matches").
func TestRefusalsChosenByKind(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Feed %s</title><link>https://lab.example.com/</link>`+
			`<item><title>One</title><link>https://lab.example.com%s/1</link></item></channel></rss>`, r.URL.Path, r.URL.Path)
	}))
	t.Cleanup(srv.Close)
	h := newHarness(t, setup{cfg: func(c *config.Config) { c.Poll.AllowPrivateNetworks = true }})
	add := func(who fakediscord.Member, name, url string) string {
		t.Helper()
		c, _, _ := h.answer(h.fake.Command(channel, who, "feeds", fakediscord.Sub("add", fakediscord.Opt("name", name), fakediscord.Opt("url", url), fakediscord.Opt("kind", "blog"))))
		return c
	}
	if c := add(admin, "Lab", srv.URL+"/a.xml"); !strings.Contains(c, "Added **Lab**") {
		t.Fatalf("first add: %q", c)
	}
	for _, tc := range []struct {
		name string
		ask  func() string
		want string
		not  string
	}{
		{"a label that is none", func() string {
			c, _, _ := h.answer(h.fake.Command(channel, admin, "tag", fakediscord.Opt("item", "launch01"), fakediscord.Opt("label", "papers")))
			return c
		}, "“papers” is not a label", "No item matches"},
		{"an item that is none", func() string {
			c, _, _ := h.answer(h.fake.Command(channel, admin, "tag", fakediscord.Opt("item", "nosuchid"), fakediscord.Opt("label", "research")))
			return c
		}, "No item matches", "not a label"},
		{"a feed name taken", func() string { return add(admin, "Lab", srv.URL+"/b.xml") }, "a feed named **Lab** already exists", "Something went wrong"},
		{"a feed name taken, zh-TW", func() string { return add(zhAdmin, "Lab", srv.URL+"/b.xml") }, "已經有名為「Lab」的訂閱源", "Not added"},
		{"a site that does not answer", func() string { return add(admin, "Closed", "http://127.0.0.1:1/feed.xml") }, "the site could not be reached", "127.0.0.1:1/feed.xml: dial"},
		{"an attachment that is not OPML", func() string {
			c, _, _ := h.answer(h.fake.CommandWithFile(channel, admin, "feeds", "import", "file", "notes.txt", []byte("just some notes"), fakediscord.Opt("kind", "news")))
			return c
		}, "notes.txt is not an OPML file", "Something went wrong"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if c := tc.ask(); !strings.Contains(c, tc.want) || strings.Contains(c, tc.not) {
				t.Errorf("answer %q, want %q and not %q", c, tc.want, tc.not)
			}
		})
	}
	if _, err := h.st.Feed("Closed"); err == nil {
		t.Error("an unreachable feed was saved")
	}
	h.noRejects()
}

// TestClickFailuresByKind: a click on an item gone from the store says so;
// a click that fails on our side (here, a closed store) does not claim the
// item is gone.
func TestClickFailuresByKind(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	msg := fakediscord.Message{ID: "1", ChannelID: channel, Body: map[string]any{"content": "x"}}
	click := func(customID string) string {
		t.Helper()
		return str(data(h.response(h.fake.Click(channel, admin, customID, msg)))["content"])
	}
	for _, id := range []string{"tag:research:nosuchid", "pick:nosuchid", "info:nosuchid"} {
		if c := click(id); !strings.Contains(c, "no longer in the store") {
			t.Errorf("%s on a missing item: %q", id, c)
		}
	}
	if err := h.st.Close(); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"tag:research:launch01", "pick:launch01", "info:launch01"} {
		if c := click(id); !strings.Contains(c, "Something went wrong on our side") {
			t.Errorf("%s with the store closed: %q", id, c)
		}
	}
}
