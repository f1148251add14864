package ingest

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/triagebot/triagebot/feeds"
	"github.com/triagebot/triagebot/news"
	"github.com/triagebot/triagebot/store"
)

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "feeds", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func rss(items string) string {
	return `<?xml version="1.0"?><rss version="2.0"><channel><title>h</title><link>https://h.example.com/</link>` + items + `</channel></rss>`
}

// hostileFeeds are bodies a careless poller chokes on.
func hostileFeeds() map[string]string {
	laughs := `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">` +
		`<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>` +
		`<rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title><link>https://b.example.com/1</link></item></channel></rss>`
	return map[string]string{
		"/dup-guids":  rss(`<item><title>one</title><guid>same</guid></item><item><title>two</title><guid>same</guid></item><item><title>three</title><guid>other</guid></item>`),
		"/no-id":      rss(`<item><title>Neither link nor guid</title><description>just text</description></item><item><title>Second anonymous</title></item>`),
		"/huge-title": rss(`<item><title>` + strings.Repeat("big ", 250_000) + `</title><link>https://h.example.com/big</link></item>`),
		"/future":     rss(`<item><title>From the future</title><link>https://h.example.com/f</link><pubDate>Fri, 01 Jan 2099 00:00:00 GMT</pubDate></item>`),
		"/laughs":     laughs,
		"/deep":       `<?xml version="1.0"?><rss version="2.0"><channel>` + strings.Repeat("<x>", 100_000) + `</channel></rss>`,
		"/html":       `<!DOCTYPE html><html><body><h1>Not a feed</h1></body></html>`,
		"/truncated":  `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>cut off`,
		// A GUID and a link longer than the store's largest key.
		"/long-ids": rss(`<item><title>long guid</title><guid>` + strings.Repeat("g", 40_000) + `</guid></item>` +
			`<item><title>long link</title><link>https://h.example.com/` + strings.Repeat("l", 40_000) + `</link></item>` +
			`<item><title>plain</title><link>https://h.example.com/plain</link></item>`),
	}
}

type env struct {
	srv   *httptest.Server
	store *store.Store
	p     *Poller
	now   time.Time
	hits  map[string]*atomic.Int64
}

func newEnv(t *testing.T, routes map[string]http.HandlerFunc, feedList []news.Feed, mod func(*Options)) *env {
	t.Helper()
	e := &env{now: time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC), hits: map[string]*atomic.Int64{}}
	mux := http.NewServeMux()
	for path, h := range routes {
		c := &atomic.Int64{}
		e.hits[path] = c
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) { c.Add(1); h(w, r) })
	}
	e.srv = httptest.NewServer(mux)
	t.Cleanup(e.srv.Close)
	st, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	e.store = st
	for i := range feedList {
		feedList[i].URL = e.srv.URL + feedList[i].URL
	}
	if err := st.SyncFeeds(feedList); err != nil {
		t.Fatal(err)
	}
	opts := testOptions(4, 4)
	if mod != nil {
		mod(&opts)
	}
	e.p = mustPoller(t)(New(st, testFetcher(t, 2*time.Second), nil, opts, func() time.Time { return e.now }, nil))
	return e
}

// testFetcher reaches loopback servers and gives up after timeout.
func testFetcher(tb testing.TB, timeout time.Duration) *feeds.Fetcher {
	tb.Helper()
	f, err := feeds.NewFetcher(feeds.FetchOptions{AllowPrivate: true, ConnectTimeout: time.Second, Timeout: timeout, MaxBodyBytes: 4 << 20, MaxRedirects: 5})
	if err != nil {
		tb.Fatal(err)
	}
	return f
}

// testOptions are valid poll options with the given parallelism.
func testOptions(workers, perHost int) Options {
	return Options{Interval: 30 * time.Minute, MaxBackoff: 8 * time.Hour, MaxFailures: 3, Workers: workers, PerHost: perHost}
}

// mustPoller fails tb when New refused its options.
func mustPoller(tb testing.TB) func(*Poller, error) *Poller {
	return func(p *Poller, err error) *Poller {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
		return p
	}
}

// New refuses what no config passes instead of substituting its own
// default: the defaults live in config.
func TestNewRefusesInvalidOptions(t *testing.T) {
	f := testFetcher(t, time.Second)
	cases := map[string]func(*Options){
		"no interval":     func(o *Options) { o.Interval = 0 },
		"no max backoff":  func(o *Options) { o.MaxBackoff = -time.Hour },
		"no max failures": func(o *Options) { o.MaxFailures = 0 },
		"no workers":      func(o *Options) { o.Workers = 0 },
		"no per host":     func(o *Options) { o.PerHost = 0 },
	}
	for name, mod := range cases {
		t.Run(name, func(t *testing.T) {
			o := testOptions(2, 2)
			mod(&o)
			if p, err := New(nil, f, nil, o, nil, nil); !errors.Is(err, ErrBadOptions) || p != nil {
				t.Fatalf("got %v, %v; want ErrBadOptions", p, err)
			}
		})
	}
}

func static(body []byte, contentType string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("ETag", `"fixed"`)
		if r.Header.Get("If-None-Match") == `"fixed"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Write(body)
	}
}

func byFeed(res []FeedResult) map[string]FeedResult {
	m := map[string]FeedResult{}
	for _, r := range res {
		m[r.Feed] = r
	}
	return m
}

func TestPollGoodAndHostileFeedsTogether(t *testing.T) {
	routes := map[string]http.HandlerFunc{
		"/arxiv-cl": static(fixture(t, "arxiv_rss.xml"), "application/rss+xml"),
		"/arxiv-ai": static(fixture(t, "arxiv_rss_ai.xml"), "application/rss+xml"),
		"/api":      static(fixture(t, "arxiv_api.atom"), "application/atom+xml"),
		"/rss2":     static(fixture(t, "rss2_content.xml"), "application/rss+xml"),
		"/atom":     static(fixture(t, "atom_html.xml"), "application/atom+xml"),
		"/json":     static(fixture(t, "jsonfeed.json"), "application/feed+json"),
		"/rdf":      static(fixture(t, "rss1_rdf.xml"), "application/rdf+xml"),
		"/big5":     static(fixture(t, "big5.xml"), "application/rss+xml"),
		"/gbk":      static(fixture(t, "gbk.xml"), "text/xml"),
		"/slow": func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(20 * time.Second):
			}
		},
		"/404": func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) },
		"/500": func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(500) },
	}
	var list []news.Feed
	for path := range routes {
		list = append(list, news.Feed{Name: path, URL: path, Kind: news.KindNews})
	}
	want := map[string]struct {
		outcome Outcome
		added   int
	}{
		"/json": {OutcomeNew, 2}, "/rdf": {OutcomeNew, 1}, "/big5": {OutcomeNew, 1}, "/gbk": {OutcomeNew, 1},
		"/rss2": {OutcomeNew, 2}, "/atom": {OutcomeNew, 2}, "/api": {OutcomeNew, 2},
		"/dup-guids": {OutcomeNew, 2}, "/no-id": {OutcomeNew, 2}, "/huge-title": {OutcomeNew, 1}, "/future": {OutcomeNew, 1},
		"/slow": {OutcomeError, 0}, "/404": {OutcomeError, 0}, "/500": {OutcomeError, 0},
		"/html": {OutcomeError, 0}, "/laughs": {OutcomeNew, 1}, "/deep": {OutcomeUnchanged, 0},
		"/long-ids": {OutcomeNew, 3},
	}
	for path, body := range hostileFeeds() {
		routes[path] = static([]byte(body), "application/rss+xml")
		list = append(list, news.Feed{Name: path, URL: path, Kind: news.KindNews})
	}
	e := newEnv(t, routes, list, nil)
	// poll.timeout covers the parse too: leave room for gofeed on the 1 MB
	// title under -race (about 3 s there), while /slow still times out.
	e.p.fetcher = testFetcher(t, 10*time.Second)

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	res, err := e.p.PollDue(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	got := byFeed(res)
	if len(got) != len(list) {
		t.Fatalf("%d results for %d feeds", len(got), len(list))
	}
	for name, w := range want {
		r := got[name]
		if r.Outcome != w.outcome || r.New != w.added {
			t.Errorf("%s: outcome %s new %d (err %v), want %s %d", name, r.Outcome, r.New, r.Err, w.outcome, w.added)
		}
	}
	// The two arXiv feeds share two papers (cross-list and v2 replacement):
	// three distinct papers in all, however the pool ordered them.
	if n := got["/arxiv-cl"].New + got["/arxiv-ai"].New; n != 3 {
		t.Errorf("arXiv feeds added %d items, want 3 distinct papers", n)
	}
	if !strings.Contains(got["/html"].Err.Error(), "HTML page") {
		t.Errorf("html error should say so: %v", got["/html"].Err)
	}
	// A date in 2099 does not survive into the store.
	items, _ := e.store.Items(store.Query{Feed: "/future"})
	if len(items) != 1 || items[0].Published.After(e.now) {
		t.Errorf("future item: %+v", items)
	}

	// Second round: every fixture feed answers 304 and nothing is added.
	res, err = e.p.PollDue(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.New != 0 {
			t.Errorf("%s: %d new on re-poll", r.Feed, r.New)
		}
		firstNew := want[r.Feed].outcome == OutcomeNew || strings.HasPrefix(r.Feed, "/arxiv")
		if firstNew && r.Outcome != OutcomeNotModified {
			t.Errorf("%s: outcome %s on re-poll, want not modified", r.Feed, r.Outcome)
		}
	}
}

func TestFailuresBackOffThenDisable(t *testing.T) {
	e := newEnv(t, map[string]http.HandlerFunc{
		"/down": func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(503) },
	}, []news.Feed{{Name: "down", URL: "/down", Kind: news.KindNews}}, nil)
	ctx := context.Background()
	wantNext := []time.Duration{30 * time.Minute, time.Hour, 0}
	for i, d := range wantNext {
		res, _ := e.p.PollDue(ctx, true)
		rec, _ := e.store.Feed("down")
		if rec.State.Failures != i+1 {
			t.Fatalf("round %d: failures = %d", i, rec.State.Failures)
		}
		if i < 2 {
			if got := rec.State.NextCheck.Sub(e.now); got != d {
				t.Errorf("round %d: next check in %s, want %s", i, got, d)
			}
			if res[0].Outcome != OutcomeError {
				t.Errorf("round %d: outcome %s", i, res[0].Outcome)
			}
		} else if !rec.State.Disabled || res[0].Outcome != OutcomeDisabled || !strings.Contains(rec.State.DisabledWhy, "3 consecutive failures") {
			t.Errorf("after 3 failures: %+v outcome %s", rec.State, res[0].Outcome)
		}
	}
	if res, _ := e.p.PollDue(ctx, true); len(res) != 0 {
		t.Errorf("a disabled feed was polled: %+v", res)
	}
	if err := e.store.EnableFeed("down"); err != nil {
		t.Fatal(err)
	}
	if res, _ := e.p.PollDue(ctx, false); len(res) != 1 {
		t.Errorf("re-enabled feed not due at once: %+v", res)
	}
}

func TestGoneDisablesAtOnceAndRetryAfterIsHonoured(t *testing.T) {
	e := newEnv(t, map[string]http.HandlerFunc{
		"/gone": func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(410) },
		"/busy": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "7200")
			w.WriteHeader(429)
		},
		"/cached": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Cache-Control", "max-age=10800")
			w.Write([]byte(rss(`<item><title>x</title><link>https://c.example.com/x</link></item>`)))
		},
	}, []news.Feed{
		{Name: "gone", URL: "/gone", Kind: news.KindNews},
		{Name: "busy", URL: "/busy", Kind: news.KindNews},
		{Name: "cached", URL: "/cached", Kind: news.KindNews, Interval: time.Hour},
	}, nil)
	if _, err := e.p.PollDue(context.Background(), false); err != nil {
		t.Fatal(err)
	}
	gone, _ := e.store.Feed("gone")
	if !gone.State.Disabled || gone.State.Failures != 1 {
		t.Errorf("410: %+v", gone.State)
	}
	busy, _ := e.store.Feed("busy")
	if got := busy.State.NextCheck.Sub(e.now); got != 2*time.Hour {
		t.Errorf("429 Retry-After 7200: next check in %s", got)
	}
	cached, _ := e.store.Feed("cached")
	if got := cached.State.NextCheck.Sub(e.now); got != 3*time.Hour {
		t.Errorf("max-age 3h over a 1h interval: next check in %s", got)
	}
	// Not due yet: nothing polled.
	e.now = e.now.Add(time.Hour)
	if res, _ := e.p.PollDue(context.Background(), false); len(res) != 0 {
		t.Errorf("polled before due: %+v", res)
	}
}

func TestPerHostLimitDoesNotStallOtherHosts(t *testing.T) {
	// Three feeds on one slow host and one on another; with one slot per
	// host the fast feed must finish while the slow host is still busy.
	block := make(chan struct{})
	var fastDone atomic.Bool
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-block:
		case <-r.Context().Done():
		}
		w.Write([]byte(rss("")))
	}))
	defer slow.Close()
	fast := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(rss(`<item><title>f</title><link>https://f.example.com/1</link></item>`)))
	}))
	defer fast.Close()
	st, _ := store.Open(t.TempDir(), store.Options{})
	defer st.Close()
	st.SyncFeeds([]news.Feed{
		{Name: "s1", URL: slow.URL + "/1", Kind: news.KindNews}, {Name: "s2", URL: slow.URL + "/2", Kind: news.KindNews},
		{Name: "s3", URL: slow.URL + "/3", Kind: news.KindNews}, {Name: "fast", URL: strings.Replace(fast.URL, "127.0.0.1", "localhost", 1), Kind: news.KindNews},
	})
	p := mustPoller(t)(New(st, testFetcher(t, 10*time.Second), nil, testOptions(2, 1), nil, nil))
	go func() {
		for !fastDone.Load() {
			time.Sleep(10 * time.Millisecond)
			if items, _ := st.Items(store.Query{Feed: "fast"}); len(items) == 1 {
				fastDone.Store(true)
			}
		}
		close(block)
	}()
	res, err := p.PollDue(context.Background(), true)
	if err != nil || len(res) != 4 {
		t.Fatalf("%d results, %v", len(res), err)
	}
	if !fastDone.Load() {
		t.Error("the fast host's feed did not finish while the slow host was busy")
	}
}

func TestCancelStopsPolling(t *testing.T) {
	e := newEnv(t, map[string]http.HandlerFunc{
		"/hang": func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() },
	}, []news.Feed{{Name: "hang", URL: "/hang", Kind: news.KindNews}}, nil)
	e.p.fetcher = testFetcher(t, time.Minute)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := e.p.PollDue(ctx, true)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v", err)
	}
	if time.Since(start) > 10*time.Second {
		t.Error("cancel did not stop the fetch")
	}
	rec, _ := e.store.Feed("hang")
	if rec.State.Failures != 0 {
		t.Errorf("a shutdown counted as a feed failure: %+v", rec.State)
	}
}

func TestClassifierVerdictIsStored(t *testing.T) {
	e := newEnv(t, map[string]http.HandlerFunc{
		"/f": static([]byte(rss(`<item><title>x</title><link>https://c.example.com/x</link></item>`)), "application/rss+xml"),
	}, []news.Feed{{Name: "f", URL: "/f", Kind: news.KindNews}}, nil)
	e.p.classifier = fixedClassifier{news.Verdict{Label: news.Product, Confidence: 0.7, Reasons: []string{"test"}}}
	if _, err := e.p.PollDue(context.Background(), true); err != nil {
		t.Fatal(err)
	}
	items, _ := e.store.Items(store.Query{Label: news.Product})
	if len(items) != 1 || items[0].Verdict.Confidence != 0.7 {
		t.Fatalf("items = %+v", items)
	}
}

type fixedClassifier struct{ v news.Verdict }

func (f fixedClassifier) Classify(news.Item) news.Verdict { return f.v }
