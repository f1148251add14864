package feeds

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// FetchOptions are the fetcher's limits, taken as given: the defaults live
// in config. A timeout or body cap that is zero or negative is an error
// from NewFetcher, not a silent default, because "no timeout" or "no cap"
// is never what a caller means.
type FetchOptions struct {
	ConnectTimeout time.Duration
	// Timeout bounds one fetch, and with Deadline the parse that follows.
	Timeout      time.Duration
	MaxBodyBytes int64
	// MaxRedirects is how many redirects are followed: 0 follows none (as
	// poll.max_redirects: 0 says).
	MaxRedirects int
	AllowPrivate bool
	// UserAgent is sent with every request; empty sends a generic
	// triagebot one.
	UserAgent string
	// Transport replaces the network transport; tests only. The private
	// network guard is part of the default transport.
	Transport http.RoundTripper
}

// Validators are the conditional-GET tokens from the last good fetch.
type Validators struct {
	ETag         string
	LastModified string
}

// Result is one fetch's outcome.
type Result struct {
	Status      int
	NotModified bool
	Body        []byte
	ContentType string
	Validators  Validators
	// CacheFor is how long the server asked us not to come back
	// (Cache-Control max-age or Expires); zero when it did not say.
	CacheFor time.Duration
}

// Errors a caller branches on.
var (
	ErrBadOptions  = errors.New("feeds: invalid fetch options")
	ErrGone        = errors.New("feeds: feed is gone (HTTP 410)")
	ErrTooLarge    = errors.New("feeds: body exceeds poll.max_body_bytes")
	ErrTooManyHops = errors.New("feeds: too many redirects")
	ErrBadScheme   = errors.New("feeds: only http and https URLs are fetched")
	ErrNotAFeed    = errors.New("feeds: not an RSS, Atom or JSON feed")
	ErrUnparseable = errors.New("feeds: feed could not be parsed")
)

// HTTPError is a non-success status. RetryAfter is set when the server sent
// Retry-After (429, 503).
type HTTPError struct {
	Status     int
	RetryAfter time.Duration
}

func (e *HTTPError) Error() string {
	s := fmt.Sprintf("feeds: HTTP %d %s", e.Status, http.StatusText(e.Status))
	if e.RetryAfter > 0 {
		s += fmt.Sprintf(" (retry after %s)", e.RetryAfter)
	}
	return s
}

// Fetcher is an HTTP client with safe defaults for hostile servers.
type Fetcher struct {
	client *http.Client
	opts   FetchOptions
}

// NewFetcher builds a fetcher with its own http.Client: no shared global
// client, no proxy from the environment (a proxy would hide the address the
// private-network guard must see). Invalid options are an error wrapping
// ErrBadOptions.
func NewFetcher(opts FetchOptions) (*Fetcher, error) {
	return newFetcher(opts, publicAddrPort)
}

// newFetcher lets tests decide which addresses count as public, to prove
// that the guard runs on every dial, redirects included.
func newFetcher(opts FetchOptions, allowed func(netip.AddrPort) bool) (*Fetcher, error) {
	switch {
	case opts.ConnectTimeout <= 0:
		return nil, fmt.Errorf("%w: connect timeout %s must be positive", ErrBadOptions, opts.ConnectTimeout)
	case opts.Timeout <= 0:
		return nil, fmt.Errorf("%w: timeout %s must be positive", ErrBadOptions, opts.Timeout)
	case opts.MaxBodyBytes <= 0:
		return nil, fmt.Errorf("%w: body cap %d must be positive", ErrBadOptions, opts.MaxBodyBytes)
	case opts.MaxRedirects < 0:
		return nil, fmt.Errorf("%w: max redirects %d is negative", ErrBadOptions, opts.MaxRedirects)
	}
	if opts.UserAgent == "" {
		opts.UserAgent = "triagebot (+https://github.com/triagebot/triagebot)"
	}
	rt := opts.Transport
	if rt == nil {
		dialer := &net.Dialer{Timeout: opts.ConnectTimeout, KeepAlive: 30 * time.Second}
		if !opts.AllowPrivate {
			dialer.Control = dialControl(allowed)
		}
		rt = &http.Transport{
			Proxy:                 nil,
			DialContext:           dialer.DialContext,
			TLSHandshakeTimeout:   opts.ConnectTimeout,
			ResponseHeaderTimeout: opts.Timeout,
			MaxIdleConns:          100,
			// The pool runs up to poll.per_host fetches at a time to one
			// host (at most 64, config's cap), and a connection that finds
			// the idle list full is closed: with 8 per host and 4 idle,
			// a poll of 4,000 feeds on one host dialled a new connection
			// for about half of them (8% of a second poll's CPU, plus the
			// server's accepts). Idle connections never outnumber those
			// open at once, so this keeps every one without keeping more.
			MaxIdleConnsPerHost: 64,
			IdleConnTimeout:     90 * time.Second,
			ForceAttemptHTTP2:   true,
		}
	}
	maxHops := opts.MaxRedirects
	client := &http.Client{
		Transport: rt,
		Timeout:   opts.Timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > maxHops {
				return fmt.Errorf("%w (more than %d)", ErrTooManyHops, maxHops)
			}
			if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
				return fmt.Errorf("%w: redirect to %s", ErrBadScheme, req.URL.Scheme)
			}
			return nil
		},
	}
	return &Fetcher{client: client, opts: opts}, nil
}

// Deadline bounds ctx by the fetch timeout (poll.timeout). The poller fetches
// and parses under one such context, so the timeout covers the parse too and
// a feed built to be slow to parse cannot hold a worker past it.
func (f *Fetcher) Deadline(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, f.opts.Timeout)
}

// Fetch GETs rawURL with the given validators. A 304 is a Result with
// NotModified, not an error.
func (f *Fetcher) Fetch(ctx context.Context, rawURL string, v Validators) (*Result, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("feeds: bad URL %q: %w", rawURL, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("%w: %q", ErrBadScheme, rawURL)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("feeds: request %s: %w", rawURL, err)
	}
	req.Header.Set("User-Agent", f.opts.UserAgent)
	req.Header.Set("Accept", "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5")
	if v.ETag != "" {
		req.Header.Set("If-None-Match", v.ETag)
	}
	if v.LastModified != "" {
		req.Header.Set("If-Modified-Since", v.LastModified)
	}
	// Accept-Encoding is left to the transport so it decompresses for us
	// and the body cap below counts decompressed bytes.
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("feeds: fetch %s: %w", rawURL, err)
	}
	defer resp.Body.Close()

	now := time.Now()
	res := &Result{Status: resp.StatusCode, ContentType: resp.Header.Get("Content-Type"), CacheFor: cacheFor(resp.Header, now)}
	switch {
	case resp.StatusCode == http.StatusNotModified:
		res.NotModified = true
		res.Validators = v
		if e := resp.Header.Get("ETag"); e != "" {
			res.Validators.ETag = e
		}
		return res, nil
	case resp.StatusCode == http.StatusGone:
		return nil, ErrGone
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return nil, &HTTPError{Status: resp.StatusCode, RetryAfter: retryAfter(resp.Header.Get("Retry-After"), now)}
	}
	body, err := readBody(resp.Body, resp.ContentLength, f.opts.MaxBodyBytes)
	if err != nil {
		return nil, fmt.Errorf("feeds: read %s: %w", rawURL, err)
	}
	if int64(len(body)) > f.opts.MaxBodyBytes {
		return nil, fmt.Errorf("%w (%d bytes): %s", ErrTooLarge, f.opts.MaxBodyBytes, rawURL)
	}
	res.Body = body
	res.Validators = Validators{ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified")}
	return res, nil
}

// readBody reads at most limit+1 bytes of r into one buffer sized up
// front: from Content-Length when the server sent one (at most 1 MiB of it
// believed), else 64 KB, about a typical feed. io.ReadAll starts at 512
// bytes and regrows (copying and zeroing) about seven times for a 40 KB
// feed, 2% of a first poll's CPU.
func readBody(r io.Reader, size, limit int64) ([]byte, error) {
	n := int64(64 << 10)
	if size >= 0 {
		n = min(size, 1<<20) + 1 // +1: the read that sees EOF needs room
	}
	read := limit + 1 // one past the cap, so a body over it is seen
	if limit == math.MaxInt64 {
		read = limit // no cap to see past; limit+1 would wrap negative
	}
	buf := make([]byte, 0, min(n, read))
	lr := io.LimitReader(r, read)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)] // full: let append grow it
		}
		m, err := lr.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+m]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// retryAfter parses Retry-After as seconds or an HTTP date.
func retryAfter(h string, now time.Time) time.Duration {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0
	}
	if s, err := strconv.Atoi(h); err == nil {
		if s < 0 {
			return 0
		}
		return time.Duration(min(s, 7*24*3600)) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil && t.After(now) {
		return min(t.Sub(now), 7*24*time.Hour)
	}
	return 0
}

// cacheFor reads Cache-Control max-age, else Expires.
func cacheFor(h http.Header, now time.Time) time.Duration {
	for _, d := range strings.Split(h.Get("Cache-Control"), ",") {
		d = strings.TrimSpace(strings.ToLower(d))
		if v, ok := strings.CutPrefix(d, "max-age="); ok {
			if s, err := strconv.Atoi(strings.Trim(v, `"`)); err == nil && s > 0 {
				return time.Duration(min(s, 7*24*3600)) * time.Second
			}
		}
	}
	if t, err := http.ParseTime(h.Get("Expires")); err == nil && t.After(now) {
		return min(t.Sub(now), 7*24*time.Hour)
	}
	return 0
}
