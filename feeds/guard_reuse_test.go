package feeds

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// With many idle connections kept per host, the private-network guard
// must still see every new address: a pooled connection serves only the
// host and port it was dialled (and checked) for, so a redirect from a
// pooled host to a private one, or another name for a private address,
// dials anew and is refused.
func TestGuardStillRefusesWhileConnectionsAreIdle(t *testing.T) {
	var privateHits atomic.Int64
	private := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		privateHits.Add(1)
		w.WriteHeader(http.StatusNotModified)
	}))
	defer private.Close()
	public := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/redirect" {
			http.Redirect(w, r, private.URL+"/feed", http.StatusFound)
			return
		}
		w.WriteHeader(http.StatusNotModified)
	}))
	defer public.Close()
	pu, err := url.Parse(public.URL)
	if err != nil {
		t.Fatal(err)
	}
	var dials atomic.Int64
	f := must(newFetcher(FetchOptions{Timeout: 2 * time.Second, ConnectTimeout: time.Second, MaxBodyBytes: 1 << 20, MaxRedirects: 5},
		func(ap netip.AddrPort) bool {
			dials.Add(1)
			return strconv.Itoa(int(ap.Port())) == pu.Port()
		}))
	// Fill the pool: 16 connections to the public server, all idle after.
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := f.Fetch(context.Background(), public.URL+"/ok", Validators{ETag: `"1"`}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	time.Sleep(20 * time.Millisecond) // the last connections go back to the pool
	before := dials.Load()
	for _, raw := range []string{
		private.URL + "/feed",
		strings.Replace(private.URL, "127.0.0.1", "localhost", 1) + "/feed",
		public.URL + "/redirect",
	} {
		if _, err := f.Fetch(context.Background(), raw, Validators{}); !errors.Is(err, ErrPrivateAddress) {
			t.Errorf("%s with the pool full: %v, want ErrPrivateAddress", raw, err)
		}
	}
	if n := privateHits.Load(); n != 0 {
		t.Errorf("the private server was reached %d times", n)
	}
	if dials.Load() == before {
		t.Error("the refused fetches never reached the guard")
	}
	// The public host's fetches still run on the pooled connections.
	before = dials.Load()
	if _, err := f.Fetch(context.Background(), public.URL+"/ok", Validators{ETag: `"1"`}); err != nil {
		t.Fatal(err)
	}
	if n := dials.Load() - before; n != 0 {
		t.Errorf("a fetch to the pooled host dialled %d times", n)
	}
}
