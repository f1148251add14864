package feeds

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"
)

func TestRedact(t *testing.T) {
	cases := []struct{ in, want string }{
		{"http://user:secret@feeds.example.com/rss", "http://***@feeds.example.com/rss"},
		{"https://token@feeds.example.com/rss?x=1", "https://***@feeds.example.com/rss?x=1"},
		{"https://feeds.example.com/rss", "https://feeds.example.com/rss"},
		{"not a url", "not a url"},
		{"http://us er:p%zz@host/feed", "http://***@host/feed"},
		// Keys in the query: the value goes, the name and the other
		// parameters stay, in the order written.
		{"https://feeds.example.com/rss?x=1&api_key=secret1&y=2", "https://feeds.example.com/rss?x=1&api_key=***&y=2"},
		{"https://feeds.example.com/rss?AccessToken=abcd&Signature=zz9", "https://feeds.example.com/rss?AccessToken=***&Signature=***"},
		{"https://feeds.example.com/rss?session%5Fid=tokenvalue", "https://feeds.example.com/rss?session%5Fid=***"},
		{"https://u:secret@feeds.example.com/rss?auth=t0k3n&q=ai", "https://***@feeds.example.com/rss?auth=***&q=ai"},
		{"https://feeds.example.com/rss?q=ai&page=2", "https://feeds.example.com/rss?q=ai&page=2"},
		{"https://feeds.example.com/rss?key=", "https://feeds.example.com/rss?key="},
		{"http://bad host/rss?apikey=secret9", "http://bad host/rss?apikey=***"},
		// Without a literal @ or ? there is no user info and no query
		// (an escaped one is part of the path), so nothing to hide.
		{"http://127.0.0.1:8080/1.xml", "http://127.0.0.1:8080/1.xml"},
		{"https://e.com/a%40b/rss%3Fkey=x", "https://e.com/a%40b/rss%3Fkey=x"},
		// Path parameters and a fragment written as a query: secret
		// values go, the rest stays as written.
		{"https://e.com/feed#key=x", "https://e.com/feed#key=***"},
		{"https://e.com/feed#access_key=secret7&state=ok", "https://e.com/feed#access_key=***&state=ok"},
		{"https://e.com/feed#section-2", "https://e.com/feed#section-2"},
		{"https://e.com/rss;jsessionid=secret8", "https://e.com/rss;jsessionid=***"},
		{"https://e.com/a;v=2/rss;Token=secret9;x=1?q=ai#frag", "https://e.com/a;v=2/rss;Token=***;x=1?q=ai#frag"},
		{"https://u:secret@e.com/rss;sid=1?api_key=secret2#auth=secret3", "https://***@e.com/rss;sid=1?api_key=***#auth=***"},
		{"https://e.com/rss;page=2", "https://e.com/rss;page=2"},
		{"https://user@e.com", "https://***@e.com"},
		{"https://e.com?key=abc", "https://e.com?key=***"},
		// ";" as a separator, as some servers read it; a secret's value
		// with a ";" in it goes whole.
		{"https://e.com/rss?q=1;api_key=secret12&x=2", "https://e.com/rss?q=1;api_key=***&x=2"},
		{"https://e.com/rss?key=secret;x&q=1", "https://e.com/rss?key=***&q=1"},
		{"https://e.com/rss?q=a;b", "https://e.com/rss?q=a;b"},
	}
	for _, tc := range cases {
		got := Redact(tc.in)
		if strings.Contains(got, "secret") || strings.Contains(got, "token") || strings.Contains(got, "t0k3n") || strings.Contains(got, "us er") {
			t.Errorf("Redact(%q) = %q still shows the credentials", tc.in, got)
		}
		if got != tc.want {
			t.Errorf("Redact(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestRedactErrKeepsTheChain(t *testing.T) {
	raw := "http://user:hunter22@feeds.example.com/rss"
	base := fmt.Errorf("feeds: fetch %s: %w", raw, context.DeadlineExceeded)
	err := RedactErr(base, raw)
	if strings.Contains(err.Error(), "hunter22") || strings.Contains(err.Error(), "user:") {
		t.Errorf("error text still shows the credentials: %v", err)
	}
	if !strings.Contains(err.Error(), "feeds.example.com/rss") {
		t.Errorf("error text lost the host: %v", err)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Error("errors.Is lost the cause")
	}
	// The password alone, as some wrapped errors quote it.
	if got := RedactText("auth failed for hunter22", raw); strings.Contains(got, "hunter22") {
		t.Errorf("RedactText = %q", got)
	}
	// A key in the query, quoted with its URL or alone.
	keyed := "https://feeds.example.com/rss?api_key=k3y-s3cret&q=ai"
	kerr := RedactErr(fmt.Errorf("feeds: fetch %s: bad key k3y-s3cret: %w", keyed, context.Canceled), keyed)
	if strings.Contains(kerr.Error(), "k3y-s3cret") || !strings.Contains(kerr.Error(), "api_key=***&q=ai") || !errors.Is(kerr, context.Canceled) {
		t.Errorf("query key: %v", kerr)
	}
	// A session id in a path parameter and a key in the fragment, quoted
	// with the URL and alone.
	for _, c := range []struct{ raw, secret, kept string }{
		{"https://feeds.example.com/rss;jsessionid=S3SS10N42?q=ai", "S3SS10N42", "rss;jsessionid=***?q=ai"},
		{"https://feeds.example.com/rss#access_key=fr4gk3y", "fr4gk3y", "rss#access_key=***"},
	} {
		err := RedactErr(fmt.Errorf("feeds: fetch %s: refused %s: %w", c.raw, c.secret, context.Canceled), c.raw)
		if strings.Contains(err.Error(), c.secret) || !strings.Contains(err.Error(), c.kept) || !errors.Is(err, context.Canceled) {
			t.Errorf("%s: %v", c.raw, err)
		}
	}
	// No credentials: the same error comes back.
	plain := errors.New("feeds: fetch https://e.com/rss: timeout")
	if RedactErr(plain, "https://e.com/rss") != plain {
		t.Error("an error without credentials was rewrapped")
	}
	if RedactErr(nil, raw) != nil {
		t.Error("nil error became non-nil")
	}
}

func TestItemLinksNeverCarryFeedCredentials(t *testing.T) {
	it := Normalize(&gofeed.Item{Title: "t", Link: "/posts/1"}, FeedInfo{Name: "f", Link: "https://user:pw@e.com/feed"}, "", testNow)
	if it.URL != "https://e.com/posts/1" {
		t.Errorf("url %q", it.URL)
	}
}

// TestRedactTextQuotedCopies: a fetch error quotes the feed URL in a
// form other than the configured one: as net/http re-encoded it (a space
// as %20, the password as ***), the URL a redirect led to (http to https
// keeps the query), a relative Location as resolved, or with %q's escapes
// (a quote in the query). A secret too short to hide on its own (under 4
// characters) must not show in any of them. The errors come from a real
// http.Client whose transport redirects once (when location is set) and
// then fails.
func TestRedactTextQuotedCopies(t *testing.T) {
	cases := []struct{ raw, location, secret string }{
		{"https://feeds.example.com/a b/rss?key=k9z&q=ai", "", "=k9z"},
		{"https://feeds.example.com/ünï/rss?token=ab", "", "=ab"},
		{"https://us:pw@feeds.example.com/a b/rss?sig=x1", "", "=x1"},
		{"https://us:pw@feeds.example.com/a b/rss", "", "us:"},
		{"https://feeds.example.com/a b/rss#auth=z7", "", "=z7"},
		{"http://feeds.example.com/rss?key=k9z", "https://feeds.example.com/rss?key=k9z", "k9z"},
		{"http://feeds.example.com/rss?q=ai&token=ab", "/rss2?q=ai&token=ab", "=ab"},
		{"http://feeds.example.com/rss;jsessionid=s1?q=ai", "https://feeds.example.com/rss;jsessionid=s1?q=ai", "s1"},
		{`http://feeds.example.com/rss?q="ai"&key=k9z`, "", "k9z"},
		// The server re-encodes the query when it redirects: neither the
		// pair as configured nor the 3-character value alone is in the
		// error's copy.
		{"http://feeds.example.com/rss?key=k%2Fz", "https://feeds.example.com/rss?key=k/z", "k/z"},
		{"http://feeds.example.com/rss?q=ai&token=a+b", "https://feeds.example.com/rss?token=a%20b&q=ai", "a%20b"},
		{"http://feeds.example.com/rss?api%5Fkey=k9z", "https://feeds.example.com/rss?api_key=k%39z", "k%39z"},
		// The name in another case or escaped otherwise than configured.
		{"http://feeds.example.com/rss?Token=abc", "https://feeds.example.com/rss?token=abc", "abc"},
		{"http://feeds.example.com/rss?api_key=abc", "https://feeds.example.com/rss?api%5Fkey=abc", "abc"},
		{"http://feeds.example.com/rss?api+key=abc", "https://feeds.example.com/rss?api%20key=abc", "abc"},
		{"http://feeds.example.com/rss;jsessionid=abc", "https://feeds.example.com/rss;JSESSIONID=abc", "abc"},
		// A login page that sends the feed URL back escaped in its own
		// query, the value's escapes escaped once more.
		{"http://feeds.example.com/rss?key=abc", "https://feeds.example.com/login?next=%2Frss%3Fkey%3Dabc", "abc"},
		{"http://feeds.example.com/rss?token=Zm9v%2Bbar%2Fbaz%3D", "/login?next=%2Frss%3Ftoken%3DZm9v%252Bbar%252Fbaz%253D", "bar"},
		// The value decoded holds what ends a value where a text quotes
		// it (";", a quote, a backslash, a space, ")"), or a rune %q
		// escapes: the part after it goes too.
		{"http://feeds.example.com/rss?key=ab%3Bcdefg", "https://feeds.example.com/rss?key=ab;cdefg", "cdefg"},
		{"http://feeds.example.com/rss?key=ab%22cdefg", "https://feeds.example.com/rss?key=ab\"cdefg", "cdefg"},
		{"http://feeds.example.com/rss?key=ab%5Ccdefg", "https://feeds.example.com/rss?key=ab\\cdefg", "cdefg"},
		{"http://feeds.example.com/rss?key=ab%20cdefg", "https://feeds.example.com/rss?key=ab cdefg", "cdefg"},
		{"http://feeds.example.com/rss?key=ab%29cdefg", "https://feeds.example.com/rss?key=ab)cdefg", "cdefg"},
		{"http://feeds.example.com/rss?key=ab%E2%80%8Bcdefg", "https://feeds.example.com/rss?key=ab\u200bcdefg", "cdefg"},
		{"http://feeds.example.com/rss;jsessionid=ab%2Fcdefg", "https://feeds.example.com/rss;jsessionid=ab/cdefg", "cdefg"},
		// A value that is also a word of the host leaves the host whole.
		{"http://feeds.example.com/rss?token=example", "https://feeds.example.com/rss?token=example", "=example"},
		{"http://feeds.example.com/rss?q=1;key=k9z", "https://feeds.example.com/rss?q=1;key=k9z", "k9z"},
	}
	for _, c := range cases {
		redirected := false
		client := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			if c.location != "" && !redirected {
				redirected = true
				h := http.Header{"Location": {c.location}}
				return &http.Response{StatusCode: http.StatusFound, Header: h, Body: http.NoBody, Request: r}, nil
			}
			return nil, context.DeadlineExceeded
		})}
		req, err := http.NewRequest(http.MethodGet, c.raw, nil)
		if err != nil {
			t.Fatalf("request for %q: %v", c.raw, err)
		}
		_, err = client.Do(req)
		if err == nil || strings.Contains(err.Error(), c.raw) || !strings.Contains(err.Error(), c.secret) {
			t.Fatalf("%q: the test needs an error that quotes another copy of the URL, with the secret; got %v", c.raw, err)
		}
		got := RedactErr(err, c.raw)
		if strings.Contains(got.Error(), c.secret) {
			t.Errorf("%q: %q still shows the secret", c.raw, got)
		}
		if !strings.Contains(got.Error(), "feeds.example.com/") || !errors.Is(got, context.DeadlineExceeded) {
			t.Errorf("%q: the host or the cause went too: %v", c.raw, got)
		}
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// FuzzRedactTextReencoded: whatever a server made of a secret
// parameter's value when it redirected (here, any bytes after the
// parameter's name), the copy in the error shows none of it, and no
// input panics. Run with -fuzz FuzzRedactTextReencoded.
func FuzzRedactTextReencoded(f *testing.F) {
	f.Add("k%2Fz", "k/z", "q=ai")
	f.Add("ab", "a%62", "")
	f.Add("s3cr3t", "s3cr3t&x", "p=1")
	f.Fuzz(func(t *testing.T, configured, sent, rest string) {
		if configured == "" {
			return // "?token=" holds no secret
		}
		raw := "http://feeds.example.com/rss?token=" + url.QueryEscape(configured)
		if rest != "" {
			raw += "&" + url.QueryEscape(rest)
		}
		if _, err := url.Parse(raw); err != nil {
			return
		}
		text := `Get "https://feeds.example.com/rss?token=` + sent + `": context deadline exceeded`
		got := RedactText(text, raw)
		v := sent
		if i := strings.IndexAny(v, queryStops); i >= 0 {
			v = v[:i]
		}
		// A value that starts the mask ("*", "**") is in "token=***".
		if v != "" && !strings.HasPrefix("***", v) && strings.Contains(got, "token="+v) {
			t.Errorf("RedactText(%q, %q) = %q: the value after token= shows", text, raw, got)
		}
	})
}

// FuzzRedactTextAnyForm: a secret parameter's value, configured escaped,
// comes back in an error in one of the forms a server or net/http writes
// it in (as configured, decoded, escaped again, escaped twice inside a
// login page's parameter, the name in upper case, a "+" for a space), all
// quoted with %q as url.Error does: decoded, the redacted text holds the
// name followed by no part of the value, and the host still shows. Run
// with -fuzz FuzzRedactTextAnyForm.
func FuzzRedactTextAnyForm(f *testing.F) {
	f.Add("k/z", uint8(0), false)
	f.Add("a;b\"c", uint8(1), true)
	f.Add("x y+z", uint8(4), false)
	f.Add("ü\u200b\\", uint8(3), true)
	f.Fuzz(func(t *testing.T, value string, form uint8, upper bool) {
		if value == "" || !utf8.ValidString(value) || value[0] == '*' {
			return // a value that starts with "*" reads as the mask
		}
		raw := "http://feeds.example.com/rss?q=ai&token=" + url.QueryEscape(value)
		name := "token"
		if upper {
			name = "TOKEN"
		}
		var sent string
		switch form % 5 {
		case 0:
			sent = "/rss?" + name + "=" + url.QueryEscape(value)
		case 1:
			sent = "/rss?" + name + "=" + url.PathEscape(value)
		case 2:
			sent = "/rss?" + name + "=" + strings.ToLower(url.QueryEscape(value))
		case 3:
			sent = "/login?next=" + url.QueryEscape("/rss?"+name+"="+url.QueryEscape(value))
		case 4:
			sent = "/rss?" + name + "=" + strings.ReplaceAll(url.PathEscape(value), "%20", "+")
		}
		text := "Get " + strconv.Quote("https://feeds.example.com"+sent) + ": context deadline exceeded"
		got := RedactText(text, raw)
		if !strings.Contains(got, "feeds.example.com") {
			t.Fatalf("RedactText(%q, %q) = %q: the host went", text, raw, got)
		}
		plain := got
		for range 4 {
			plain = decodeLeniently(plain)
		}
		if strings.Contains(strings.ToLower(plain), "token="+strings.ToLower(value)) {
			t.Errorf("RedactText(%q, %q) = %q: decoded, %q shows after the name", text, raw, got, value)
		}
	})
}

// decodeLeniently undoes one layer of %XX and of Go's backslash escapes,
// leaving whatever is not one as it is.
func decodeLeniently(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] == '%' && i+2 < len(s) {
			if n, err := strconv.ParseUint(s[i+1:i+3], 16, 8); err == nil {
				b.WriteByte(byte(n))
				i += 3
				continue
			}
		}
		if s[i] == '\\' {
			if r, multi, tail, err := strconv.UnquoteChar(s[i:], '"'); err == nil {
				if multi {
					b.WriteRune(r)
				} else {
					b.WriteByte(byte(r))
				}
				i = len(s) - len(tail)
				continue
			}
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}
