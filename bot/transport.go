package bot

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// rebase sends every request discordgo addresses to https://discord.com to
// the configured API base instead: a REST proxy in production, a loopback
// test double in tests. discordgo keeps its endpoints in package
// variables; rewriting here leaves them alone.
type rebase struct {
	base *url.URL
	next http.RoundTripper
}

func newRebase(apiURL string, next http.RoundTripper) (http.RoundTripper, error) {
	u, err := url.Parse(strings.TrimRight(apiURL, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("bot: discord.api_url %q is not an http(s) URL", apiURL)
	}
	if next == nil {
		next = http.DefaultTransport
	}
	if u.Host == "discord.com" && u.Path == "" {
		return next, nil
	}
	return &rebase{base: u, next: next}, nil
}

func (r *rebase) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Host != "discord.com" {
		return r.next.RoundTrip(req)
	}
	out := req.Clone(req.Context())
	u := *req.URL
	u.Scheme, u.Host = r.base.Scheme, r.base.Host
	u.Path = r.base.Path + req.URL.Path
	if req.URL.RawPath != "" {
		u.RawPath = r.base.Path + req.URL.RawPath
	}
	out.URL = &u
	out.Host = ""
	return r.next.RoundTrip(out)
}
