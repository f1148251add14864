package feeds

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/iotest"
	"time"
)

const tinyFeed = `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>a</title><link>https://e.com/a</link></item></channel></rss>`

// testFetcher allows loopback so httptest servers are reachable.
func testFetcher(mod func(*FetchOptions)) *Fetcher {
	o := FetchOptions{AllowPrivate: true, Timeout: 2 * time.Second, ConnectTimeout: time.Second, MaxBodyBytes: 1 << 20, MaxRedirects: 5}
	if mod != nil {
		mod(&o)
	}
	return must(NewFetcher(o))
}

// must is a fetcher a test built from valid options.
func must(f *Fetcher, err error) *Fetcher {
	if err != nil {
		panic(err)
	}
	return f
}

// The limits come from config; a missing one is the caller's mistake,
// reported as such instead of replaced by a default the operator never saw.
func TestNewFetcherRefusesMissingLimits(t *testing.T) {
	valid := FetchOptions{ConnectTimeout: time.Second, Timeout: 2 * time.Second, MaxBodyBytes: 1 << 20, MaxRedirects: 5}
	if _, err := NewFetcher(valid); err != nil {
		t.Fatalf("valid options: %v", err)
	}
	cases := map[string]func(*FetchOptions){
		"no connect timeout": func(o *FetchOptions) { o.ConnectTimeout = 0 },
		"no timeout":         func(o *FetchOptions) { o.Timeout = 0 },
		"negative timeout":   func(o *FetchOptions) { o.Timeout = -time.Second },
		"no body cap":        func(o *FetchOptions) { o.MaxBodyBytes = 0 },
		"negative redirects": func(o *FetchOptions) { o.MaxRedirects = -1 },
	}
	for name, mod := range cases {
		t.Run(name, func(t *testing.T) {
			o := valid
			mod(&o)
			if f, err := NewFetcher(o); !errors.Is(err, ErrBadOptions) || f != nil {
				t.Fatalf("got %v, %v; want ErrBadOptions", f, err)
			}
		})
	}
}

func TestConditionalGetTransfersNoBody(t *testing.T) {
	var bodies atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.UserAgent(), "triagebot") {
			t.Errorf("User-Agent = %q", r.UserAgent())
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Thu, 01 Jan 2026 00:00:00 GMT")
		w.Header().Set("Cache-Control", "public, max-age=3600")
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		bodies.Add(1)
		fmt.Fprint(w, tinyFeed)
	}))
	defer srv.Close()
	f := testFetcher(nil)
	first, err := f.Fetch(context.Background(), srv.URL, Validators{})
	if err != nil {
		t.Fatal(err)
	}
	if first.NotModified || string(first.Body) != tinyFeed || first.Validators.ETag != `"v1"` || first.CacheFor != time.Hour {
		t.Fatalf("first fetch: %+v", first)
	}
	second, err := f.Fetch(context.Background(), srv.URL, first.Validators)
	if err != nil {
		t.Fatal(err)
	}
	if !second.NotModified || len(second.Body) != 0 {
		t.Fatalf("second fetch should be 304 with no body: %+v", second)
	}
	if second.Validators != first.Validators {
		t.Errorf("validators lost on 304: %+v", second.Validators)
	}
	if n := bodies.Load(); n != 1 {
		t.Errorf("bodies sent = %d, want 1", n)
	}
}

func TestFetchStatusErrors(t *testing.T) {
	cases := []struct {
		name      string
		status    int
		retry     string
		wantGone  bool
		wantRetry time.Duration
	}{
		{"404", 404, "", false, 0},
		{"500", 500, "", false, 0},
		{"429 seconds", 429, "120", false, 2 * time.Minute},
		{"503 date", 503, time.Now().Add(time.Hour).UTC().Format(http.TimeFormat), false, time.Hour},
		{"410 gone", 410, "", true, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tc.retry != "" {
					w.Header().Set("Retry-After", tc.retry)
				}
				w.WriteHeader(tc.status)
			}))
			defer srv.Close()
			_, err := testFetcher(nil).Fetch(context.Background(), srv.URL, Validators{})
			if tc.wantGone {
				if !errors.Is(err, ErrGone) {
					t.Fatalf("err = %v, want ErrGone", err)
				}
				return
			}
			var he *HTTPError
			if !errors.As(err, &he) || he.Status != tc.status {
				t.Fatalf("err = %v, want HTTP %d", err, tc.status)
			}
			if d := he.RetryAfter - tc.wantRetry; d < -2*time.Second || d > 2*time.Second {
				t.Errorf("RetryAfter = %s, want about %s", he.RetryAfter, tc.wantRetry)
			}
		})
	}
}

func TestFetchHostileServers(t *testing.T) {
	// A gzip bomb: ~20 KiB on the wire that inflates to 20 MiB.
	var bomb bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&bomb, gzip.BestCompression)
	zw.Write([]byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>b</title><item><title>x</title><description>`))
	chunk := bytes.Repeat([]byte("A"), 1<<20)
	for range 20 {
		zw.Write(chunk)
	}
	zw.Close()

	mux := http.NewServeMux()
	mux.HandleFunc("/slow-headers", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(30 * time.Second):
		}
	})
	mux.HandleFunc("/slow-body", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.WriteHeader(200)
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel>`)
		for {
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(50 * time.Millisecond):
				w.Write([]byte(" "))
			}
		}
	})
	mux.HandleFunc("/huge", func(w http.ResponseWriter, r *http.Request) {
		w.Write(bytes.Repeat([]byte("x"), 2<<20))
	})
	mux.HandleFunc("/gzip-bomb", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(bomb.Bytes())
	})
	mux.HandleFunc("/loop-a", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop-b", http.StatusFound) })
	mux.HandleFunc("/loop-b", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop-a", http.StatusFound) })
	mux.HandleFunc("/to-file", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	cases := []struct {
		path string
		want error // nil: any error
	}{
		{"/slow-headers", nil},
		{"/slow-body", nil},
		{"/huge", ErrTooLarge},
		{"/gzip-bomb", ErrTooLarge},
		{"/loop-a", ErrTooManyHops},
		{"/to-file", ErrBadScheme},
	}
	for _, tc := range cases {
		t.Run(tc.path, func(t *testing.T) {
			f := testFetcher(func(o *FetchOptions) { o.Timeout = 500 * time.Millisecond })
			start := time.Now()
			_, err := f.Fetch(context.Background(), srv.URL+tc.path, Validators{})
			if err == nil {
				t.Fatal("want an error")
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			// Generous bound: the point is "ends", not "ends fast".
			if el := time.Since(start); el > 10*time.Second {
				t.Errorf("took %s; the timeout did not hold", el)
			}
		})
	}
}

func TestPrivateNetworkGuard(t *testing.T) {
	var privateHits atomic.Int64
	private := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		privateHits.Add(1)
		fmt.Fprint(w, tinyFeed)
	}))
	defer private.Close()
	public := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, private.URL+"/feed", http.StatusFound)
	}))
	defer public.Close()
	pu, _ := url.Parse(public.URL)
	publicPort := pu.Port()

	strict := FetchOptions{Timeout: 2 * time.Second, ConnectTimeout: time.Second, MaxBodyBytes: 1 << 20, MaxRedirects: 5}
	localhostURL := strings.Replace(private.URL, "127.0.0.1", "localhost", 1)
	cases := []struct {
		name string
		f    *Fetcher
		url  string
	}{
		{"loopback by IP", must(NewFetcher(strict)), private.URL},
		{"loopback by name, checked after DNS", must(NewFetcher(strict)), localhostURL},
		{"metadata address", must(NewFetcher(strict)), "http://169.254.169.254/latest/meta-data/"},
		// The "public" server is only public to this fetcher; its redirect
		// to loopback must still be refused at dial time.
		{"redirect to loopback", must(newFetcher(strict, func(ap netip.AddrPort) bool {
			return fmt.Sprint(ap.Port()) == publicPort
		})), public.URL},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.f.Fetch(context.Background(), tc.url, Validators{})
			if !errors.Is(err, ErrPrivateAddress) {
				t.Fatalf("err = %v, want ErrPrivateAddress", err)
			}
		})
	}
	if n := privateHits.Load(); n != 0 {
		t.Errorf("private server was reached %d times", n)
	}
	// With the flag the same fetch works.
	if _, err := testFetcher(nil).Fetch(context.Background(), private.URL, Validators{}); err != nil {
		t.Errorf("allow_private_networks: %v", err)
	}
}

func TestPublicAddress(t *testing.T) {
	cases := []struct {
		addr string
		want bool
	}{
		{"8.8.8.8", true}, {"2606:4700::1111", true}, {"1.1.1.1", true},
		{"2a00:1450:4001:80b::200e", true}, {"192.0.3.1", true}, {"203.0.114.1", true},
		{"2001:4860:4860::8888", true}, {"2003::1", true}, {"::ffff:8.8.8.8", true},

		{"127.0.0.1", false}, {"10.1.2.3", false}, {"172.16.0.1", false}, {"192.168.1.1", false},
		{"169.254.169.254", false}, {"100.64.0.1", false}, {"0.0.0.0", false}, {"::1", false},
		{"fe80::1", false}, {"fd00:ec2::254", false}, {"224.0.0.1", false},
		{"255.255.255.255", false}, {"64:ff9b::a00:1", false}, {"64:ff9b:1::1", false},
		// IPv4-mapped: the IPv4 rules must apply after Unmap, including the
		// ranges netip has no predicate for.
		{"::ffff:127.0.0.1", false}, {"::ffff:100.64.0.1", false}, {"::ffff:198.18.0.1", false},
		{"::ffff:192.0.2.1", false}, {"::ffff:10.0.0.1", false},
		// IPv4-translated (SIIT) is not unmapped by netip.
		{"::ffff:0:7f00:1", false}, {"::ffff:0:a00:1", false},
		// IPv4-compatible (deprecated) ::/96.
		{"::127.0.0.1", false}, {"::10.0.0.1", false}, {"::8.8.8.8", false},
		// 6to4 wrapping private and public IPv4.
		{"2002:7f00:1::", false}, {"2002:a00:1::1", false}, {"2002:c0a8:101::1", false}, {"2002:808:808::1", false},
		// Teredo.
		{"2001::1", false}, {"2001:0:4136:e378:8000:63bf:3fff:fdd2", false},
		{"fec0::1", false}, {"feff::1", false}, {"100::1", false}, {"100::ffff:ffff:ffff:ffff", false},
		// Documentation and benchmarking.
		{"192.0.2.1", false}, {"198.51.100.7", false}, {"203.0.113.200", false},
		{"2001:db8::1", false}, {"2001:db8:ffff::1", false}, {"3fff::1", false},
		{"198.18.0.1", false}, {"198.19.255.254", false}, {"2001:2::1", false},
		{"192.0.0.8", false}, {"192.88.99.1", false}, {"240.0.0.1", false},
		{"2001:10::1", false}, {"5f00::1", false}, {"fc00::1", false}, {"ff02::1", false},
	}
	for _, tc := range cases {
		t.Run(tc.addr, func(t *testing.T) {
			if got := PublicAddress(netip.MustParseAddr(tc.addr)); got != tc.want {
				t.Errorf("PublicAddress(%s) = %v, want %v", tc.addr, got, tc.want)
			}
		})
	}
}

// The reserved ranges are refused by the dial hook itself, before any
// connection is attempted (none of these addresses is reachable anyway; a
// broken guard shows up as a different error, after the short timeout).
func TestGuardRefusesReservedAtDial(t *testing.T) {
	f := must(NewFetcher(FetchOptions{Timeout: time.Second, ConnectTimeout: 200 * time.Millisecond, MaxBodyBytes: 1 << 20}))
	ipv6 := true
	if ln, err := net.Listen("tcp6", "[::1]:0"); err != nil {
		ipv6 = false // no IPv6 sockets here: the dial fails before the hook runs
	} else {
		ln.Close()
	}
	for _, host := range []string{
		"192.0.2.1", "198.51.100.1", "203.0.113.1", "198.18.0.1", "100.64.0.1", "[::ffff:100.64.0.1]",
		"[::127.0.0.1]", "[2002:7f00:1::1]", "[2001::1]", "[fec0::1]", "[100::1]", "[2001:db8::1]",
	} {
		t.Run(host, func(t *testing.T) {
			if strings.HasPrefix(host, "[") && !strings.HasPrefix(host, "[::ffff:") && !ipv6 {
				t.Skip("no IPv6")
			}
			_, err := f.Fetch(context.Background(), "http://"+host+":9/feed", Validators{})
			if !errors.Is(err, ErrPrivateAddress) {
				t.Fatalf("err = %v, want ErrPrivateAddress", err)
			}
		})
	}
}

// TestGuardRefusesIPv6Loopback dials a real server on [::1]: the guard must
// see tcp6 dials as well as tcp4 ones.
func TestGuardRefusesIPv6Loopback(t *testing.T) {
	ln, err := net.Listen("tcp6", "[::1]:0")
	if err != nil {
		t.Skipf("no IPv6 loopback here: %v", err)
	}
	var hits atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		fmt.Fprint(w, tinyFeed)
	}))
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	defer srv.Close()
	if !strings.Contains(srv.URL, "[::1]") {
		t.Fatalf("server URL %s is not on [::1]", srv.URL)
	}
	_, err = must(NewFetcher(FetchOptions{Timeout: 2 * time.Second, ConnectTimeout: time.Second, MaxBodyBytes: 1 << 20})).Fetch(context.Background(), srv.URL, Validators{})
	if !errors.Is(err, ErrPrivateAddress) {
		t.Fatalf("err = %v, want ErrPrivateAddress", err)
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the [::1] server was reached %d times", n)
	}
	// The same server is reachable when private networks are allowed, so
	// the refusal above came from the guard, not from a broken listener.
	if _, err := testFetcher(nil).Fetch(context.Background(), srv.URL, Validators{}); err != nil {
		t.Fatalf("allow_private_networks over [::1]: %v", err)
	}
}

func TestRedirectCapFollowsConfig(t *testing.T) {
	// /hops/N redirects N more times, then serves the feed.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/hops/"))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		if n > 0 {
			http.Redirect(w, r, fmt.Sprintf("/hops/%d", n-1), http.StatusFound)
			return
		}
		fmt.Fprint(w, tinyFeed)
	}))
	defer srv.Close()
	cases := []struct {
		maxRedirects, hops int
		ok                 bool
	}{
		{2, 0, true}, {2, 1, true}, {2, 2, true}, {2, 3, false},
		{0, 0, true}, {0, 1, false},
		{5, 5, true}, {5, 6, false},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("max_%d_hops_%d", tc.maxRedirects, tc.hops), func(t *testing.T) {
			f := testFetcher(func(o *FetchOptions) { o.MaxRedirects = tc.maxRedirects })
			res, err := f.Fetch(context.Background(), fmt.Sprintf("%s/hops/%d", srv.URL, tc.hops), Validators{})
			if tc.ok {
				if err != nil || string(res.Body) != tinyFeed {
					t.Fatalf("want the feed after %d hops: %v", tc.hops, err)
				}
				return
			}
			if !errors.Is(err, ErrTooManyHops) {
				t.Fatalf("err = %v, want ErrTooManyHops", err)
			}
		})
	}
}

// countingTransport counts the body bytes the fetcher actually consumed,
// after the base transport's gzip decoding.
type countingTransport struct {
	base http.RoundTripper
	read atomic.Int64
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := c.base.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	resp.Body = &countingBody{ReadCloser: resp.Body, n: &c.read}
	return resp, nil
}

type countingBody struct {
	io.ReadCloser
	n *atomic.Int64
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n.Add(int64(n))
	return n, err
}

func TestBodyCapStopsReading(t *testing.T) {
	const limit = 64 << 10
	// The server would send 16 MiB (decoded) of an endless feed; a fetcher
	// that reads everything and measures afterwards reads all of it.
	const endless = 16 << 20
	chunk := bytes.Repeat([]byte("<item><title>x</title></item>"), 1<<10)
	mux := http.NewServeMux()
	mux.HandleFunc("/plain", func(w http.ResponseWriter, r *http.Request) {
		for sent := 0; sent < endless; sent += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	mux.HandleFunc("/gzip", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.WriteHeader(http.StatusOK)
		zw := gzip.NewWriter(w)
		for sent := 0; sent < endless; sent += len(chunk) {
			if _, err := zw.Write(chunk); err != nil {
				return
			}
			if err := zw.Flush(); err != nil {
				return
			}
		}
		zw.Close()
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	for _, path := range []string{"/plain", "/gzip"} {
		t.Run(path, func(t *testing.T) {
			ct := &countingTransport{base: &http.Transport{}}
			f := testFetcher(func(o *FetchOptions) { o.MaxBodyBytes = limit; o.Transport = ct; o.Timeout = 10 * time.Second })
			_, err := f.Fetch(context.Background(), srv.URL+path, Validators{})
			if !errors.Is(err, ErrTooLarge) {
				t.Fatalf("err = %v, want ErrTooLarge", err)
			}
			// One read past the cap is how the cap is detected; allow one
			// buffer of slack on top.
			if n := ct.read.Load(); n > limit+64<<10 {
				t.Errorf("read %d decoded bytes for a %d-byte cap; reading must stop at the cap", n, limit)
			}
		})
	}
}

func TestNotModifiedOnLastModifiedAlone(t *testing.T) {
	const lastMod = "Thu, 01 Jan 2026 00:00:00 GMT"
	var bodies atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Last-Modified", lastMod) // no ETag at all
		if r.Header.Get("If-Modified-Since") == lastMod {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		bodies.Add(1)
		fmt.Fprint(w, tinyFeed)
	}))
	defer srv.Close()
	f := testFetcher(nil)
	first, err := f.Fetch(context.Background(), srv.URL, Validators{})
	if err != nil {
		t.Fatal(err)
	}
	if first.Validators != (Validators{LastModified: lastMod}) {
		t.Fatalf("validators = %+v, want Last-Modified only", first.Validators)
	}
	second, err := f.Fetch(context.Background(), srv.URL, first.Validators)
	if err != nil {
		t.Fatal(err)
	}
	if !second.NotModified || second.Validators.LastModified != lastMod {
		t.Fatalf("second fetch = %+v, want not modified with Last-Modified kept", second)
	}
	if n := bodies.Load(); n != 1 {
		t.Errorf("bodies sent = %d, want 1", n)
	}
}

func TestFetchRefusesOtherSchemes(t *testing.T) {
	for _, u := range []string{"ftp://example.com/feed", "file:///etc/passwd", "gopher://x"} {
		if _, err := testFetcher(nil).Fetch(context.Background(), u, Validators{}); !errors.Is(err, ErrBadScheme) {
			t.Errorf("%s: err = %v, want ErrBadScheme", u, err)
		}
	}
}

// readBody reads what io.ReadAll over the same limit reads, whatever the
// declared length says, in one buffer when the length is right.
func TestReadBodyMatchesReadAll(t *testing.T) {
	const limit = 100 << 10
	tests := []struct {
		name     string
		n        int   // bytes the server sends
		declared int64 // Content-Length (-1: none)
	}{
		{"empty, no length", 0, -1},
		{"empty, length 0", 0, 0},
		{"small, no length", 300, -1},
		{"40 KB, no length", 40 << 10, -1},
		{"past 64 KB, no length", 90 << 10, -1},
		{"exact length", 40 << 10, 40 << 10},
		{"length says less", 40 << 10, 100},
		{"length says more", 1000, 50 << 10},
		{"length past the limit", 2000, 1 << 40},
		{"at the limit", limit, -1},
		{"one past the limit", limit + 1, limit + 1},
		{"far past the limit", 3 * limit, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := bytes.Repeat([]byte("0123456789abcdef"), tt.n/16+1)[:tt.n]
			// Short reads (HalfReader): the loop must not stop early.
			got, err := readBody(iotest.HalfReader(bytes.NewReader(data)), tt.declared, limit)
			want, _ := io.ReadAll(io.LimitReader(bytes.NewReader(data), limit+1))
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("got %d bytes, %v; want %d bytes", len(got), err, len(want))
			}
			if tt.declared == int64(tt.n) && tt.n <= limit && cap(got) != tt.n+1 {
				t.Errorf("cap %d for a right length of %d: regrown", cap(got), tt.n)
			}
		})
	}
	// The largest cap a caller can pass: limit+1 must not wrap.
	if got, err := readBody(strings.NewReader("abc"), 3, math.MaxInt64); err != nil || string(got) != "abc" {
		t.Errorf("cap MaxInt64: %q, %v", got, err)
	}
	broken := errors.New("connection reset")
	if _, err := readBody(io.MultiReader(strings.NewReader("abc"), iotest.ErrReader(broken)), -1, limit); !errors.Is(err, broken) {
		t.Errorf("read error: %v", err)
	}
}

// A poll on one host reuses its connections. Between two bursts of
// fetches all of a burst's connections are idle at once; a transport that
// kept only 4 idle per host closed the rest, and the next burst dialled
// them again (a second poll of 4,000 feeds on one host, 8 at a time,
// dialled 560 connections).
func TestFetcherKeepsItsConnectionsForTheNextBurst(t *testing.T) {
	for _, width := range []int{8, 16, 64} {
		t.Run(strconv.Itoa(width), func(t *testing.T) {
			var (
				conns, arrived atomic.Int64
				mu             sync.Mutex
				all            = sync.NewCond(&mu)
			)
			srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				// Hold each request until its whole burst has arrived, so
				// the burst has width connections open at once.
				n := arrived.Add(1)
				burstEnd := (n + int64(width) - 1) / int64(width) * int64(width)
				mu.Lock()
				all.Broadcast()
				for arrived.Load() < burstEnd {
					all.Wait()
				}
				mu.Unlock()
				w.WriteHeader(http.StatusNotModified)
			}))
			srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
				if s == http.StateNew {
					conns.Add(1)
				}
			}
			srv.Start()
			defer srv.Close()
			f := testFetcher(nil)
			const bursts = 3
			for range bursts {
				var wg sync.WaitGroup
				var failed atomic.Int64
				for range width {
					wg.Add(1)
					go func() {
						defer wg.Done()
						if r, err := f.Fetch(context.Background(), srv.URL, Validators{ETag: `"1"`}); err != nil || !r.NotModified {
							failed.Add(1)
						}
					}()
				}
				wg.Wait()
				if n := failed.Load(); n > 0 {
					t.Fatalf("%d fetches failed or were not a 304", n)
				}
				// Let the last responses' connections go back to the idle list.
				time.Sleep(20 * time.Millisecond)
			}
			if n := conns.Load(); n != int64(width) {
				t.Errorf("%d bursts of %d fetches opened %d connections, want %d", bursts, width, n, width)
			}
		})
	}
}
