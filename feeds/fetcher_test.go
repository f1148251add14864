package feeds

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

const tinyFeed = `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>a</title><link>https://e.com/a</link></item></channel></rss>`

// testFetcher allows loopback so httptest servers are reachable.
func testFetcher(mod func(*FetchOptions)) *Fetcher {
	o := FetchOptions{AllowPrivate: true, Timeout: 2 * time.Second, ConnectTimeout: time.Second, MaxBodyBytes: 1 << 20, MaxRedirects: 5}
	if mod != nil {
		mod(&o)
	}
	return NewFetcher(o)
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

	strict := FetchOptions{Timeout: 2 * time.Second}
	localhostURL := strings.Replace(private.URL, "127.0.0.1", "localhost", 1)
	cases := []struct {
		name string
		f    *Fetcher
		url  string
	}{
		{"loopback by IP", NewFetcher(strict), private.URL},
		{"loopback by name, checked after DNS", NewFetcher(strict), localhostURL},
		{"metadata address", NewFetcher(strict), "http://169.254.169.254/latest/meta-data/"},
		// The "public" server is only public to this fetcher; its redirect
		// to loopback must still be refused at dial time.
		{"redirect to loopback", newFetcher(strict, func(ap netip.AddrPort) bool {
			return fmt.Sprint(ap.Port()) == publicPort
		}), public.URL},
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
	cases := map[string]bool{
		"8.8.8.8": true, "2606:4700::1111": true,
		"127.0.0.1": false, "10.1.2.3": false, "172.16.0.1": false, "192.168.1.1": false,
		"169.254.169.254": false, "100.64.0.1": false, "0.0.0.0": false, "::1": false,
		"fe80::1": false, "fd00:ec2::254": false, "::ffff:127.0.0.1": false, "224.0.0.1": false,
		"255.255.255.255": false, "64:ff9b::a00:1": false,
	}
	for s, want := range cases {
		if got := PublicAddress(netip.MustParseAddr(s)); got != want {
			t.Errorf("PublicAddress(%s) = %v, want %v", s, got, want)
		}
	}
}

func TestFetchRefusesOtherSchemes(t *testing.T) {
	for _, u := range []string{"ftp://example.com/feed", "file:///etc/passwd", "gopher://x"} {
		if _, err := testFetcher(nil).Fetch(context.Background(), u, Validators{}); !errors.Is(err, ErrBadScheme) {
			t.Errorf("%s: err = %v, want ErrBadScheme", u, err)
		}
	}
}
