package ingest

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/triagebot/triagebot/feeds"
	"github.com/triagebot/triagebot/news"
	"github.com/triagebot/triagebot/store"
	bolt "go.etcd.io/bbolt"
)

// changelog is a single-page changelog whose releases differ only in the
// GUID's fragment (Windsurf's feeds do this).
var changelog = rss(`<item><title>Editor 2.3.15</title><link>https://editor.example.com/changelog#2.3.15</link><guid isPermaLink="false">https://editor.example.com/changelog#2.3.15#2.3.15</guid><pubDate>Thu, 28 May 2026 00:00:00 +0000</pubDate></item>` +
	`<item><title>Editor 2.3.9</title><link>https://editor.example.com/changelog#2.3.9</link><guid isPermaLink="false">https://editor.example.com/changelog#2.3.9#2.3.9</guid><pubDate>Sun, 17 May 2026 00:00:00 +0000</pubDate></item>` +
	`<item><title>Editor 2.2.17</title><link>https://editor.example.com/changelog#2.2.17</link><guid isPermaLink="false">https://editor.example.com/changelog#2.2.17#2.2.17</guid><pubDate>Wed, 06 May 2026 00:00:00 +0000</pubDate></item>`)

func TestFragmentGUIDReleasesAreAllStored(t *testing.T) {
	e := newEnv(t, map[string]http.HandlerFunc{"/log": static([]byte(changelog), "application/rss+xml")},
		[]news.Feed{{Name: "log", URL: "/log", Kind: news.KindBlog}}, nil)
	res, err := e.p.PollDue(context.Background(), true)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || res[0].New != 3 || res[0].Entries != 3 || res[0].Duplicates != 0 {
		t.Fatalf("result %+v, want 3 new of 3", res)
	}
}

// TestOldStorePicksUpCollapsedReleases: a store written by the release
// that dropped GUID fragments holds one of the three releases and the
// feed's ETag, so a plain re-poll would get a 304. Opening it migrates the
// store, the next poll re-reads the body and adds the two lost releases,
// without a second copy of the one it had.
func TestOldStorePicksUpCollapsedReleases(t *testing.T) {
	e := newEnv(t, map[string]http.HandlerFunc{"/log": static([]byte(changelog), "application/rss+xml")},
		[]news.Feed{{Name: "log", URL: "/log", Kind: news.KindBlog}}, nil)
	parsed, err := feeds.Parse(t.Context(), []byte(changelog), "application/rss+xml")
	if err != nil {
		t.Fatal(err)
	}
	// What the old key rule stored: the first release, under the
	// fragment-less key, and the validators of that poll.
	first := feeds.Normalize(parsed.Items[0], feeds.FeedInfo{Name: "log", Kind: news.KindBlog}, "", e.now)
	first.Key, first.LegacyKey = "url:"+feeds.CleanURL(first.GUID), ""
	first.ID = feeds.ItemID(first.Key)
	if _, err := e.store.RecordPoll("log", []news.Item{first}, func(r *store.FeedRecord, _ []news.Item) {
		r.State.ETag, r.State.LastSuccess = `"fixed"`, e.now
	}); err != nil {
		t.Fatal(err)
	}
	dir := e.store.Path()
	if err := e.store.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := bolt.Open(dir, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("meta")).Put([]byte("schema_version"), []byte("1"))
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	st, err := store.Open(strings.TrimSuffix(dir, "/"+store.FileName), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	e.p.store = st
	res, err := e.p.PollDue(context.Background(), true)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || res[0].Outcome != OutcomeNew || res[0].New != 2 {
		t.Fatalf("result %+v, want the 2 lost releases", res)
	}
	items, err := st.Items(store.Query{Feed: "log"})
	if err != nil {
		t.Fatal(err)
	}
	titles := map[string]int{}
	for _, it := range items {
		titles[it.Title]++
	}
	if len(items) != 3 || titles["Editor 2.3.15"] != 1 || titles["Editor 2.3.9"] != 1 || titles["Editor 2.2.17"] != 1 {
		t.Errorf("stored %v, want each release once", titles)
	}
	// And the poll after that is a 304 again.
	res, _ = e.p.PollDue(context.Background(), true)
	if len(res) != 1 || res[0].Outcome != OutcomeNotModified {
		t.Errorf("third poll: %+v", res)
	}
}

func TestDuplicateEntriesAreCounted(t *testing.T) {
	body := rss(`<item><title>one</title><guid>same</guid></item><item><title>two</title><guid>same</guid></item><item><title>three</title><guid>other</guid></item>`)
	e := newEnv(t, map[string]http.HandlerFunc{"/dup": static([]byte(body), "application/rss+xml")},
		[]news.Feed{{Name: "dup", URL: "/dup", Kind: news.KindNews}}, nil)
	res, err := e.p.PollDue(context.Background(), true)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || res[0].New != 2 || res[0].Entries != 3 || res[0].Duplicates != 1 {
		t.Fatalf("result %+v, want 2 new of 3 entries, 1 duplicate", res)
	}
}

func TestFeedCredentialsNeverShown(t *testing.T) {
	// A server that is gone: the fetch error quotes the URL it tried.
	dead := httptest.NewServer(http.NotFoundHandler())
	deadURL := strings.Replace(dead.URL, "http://", "http://reader:s3cr3tpw@", 1) + "/feed"
	dead.Close()
	var logs bytes.Buffer
	e := newEnv(t, nil, nil, nil)
	e.p.log = slog.New(slog.NewTextHandler(&logs, nil))
	if err := e.store.AddFeed(news.Feed{Name: "private", URL: deadURL, Kind: news.KindNews}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	res, err := e.p.PollDue(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || res[0].Err == nil {
		t.Fatalf("result %+v, want a failure", res)
	}
	rec, err := e.store.Feed("private")
	if err != nil {
		t.Fatal(err)
	}
	for what, text := range map[string]string{"error": res[0].Err.Error(), "url": res[0].URL, "log": logs.String(), "stored error": rec.State.LastError} {
		if strings.Contains(text, "s3cr3tpw") || strings.Contains(text, "reader:") {
			t.Errorf("%s shows the credentials: %s", what, text)
		}
	}
	if !strings.Contains(logs.String(), "feed_url") || !strings.Contains(res[0].URL, "***@") {
		t.Errorf("the redacted URL is not shown: url %q log %s", res[0].URL, logs.String())
	}
}
