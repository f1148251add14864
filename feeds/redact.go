package feeds

import (
	"net/url"
	"strings"
)

// Redact returns a feed URL fit to show: credentials in it
// (http://user:pass@host/feed) and the values of parameters named like
// secrets become "***", in the query (?api_key=…, ?token=…), in path
// parameters (/feed;jsessionid=…) and in a fragment written as a query
// (#access_token=…, as OAuth's implicit flow hands tokens out). Every
// place that prints or logs a feed URL goes through it; the stored URL
// keeps them, since the fetch needs them.
func Redact(raw string) string {
	if !strings.ContainsAny(raw, "@?#;") {
		// No user info, query, fragment or path parameter: nothing to
		// hide, and no need to parse (a poll redacts every feed's URL;
		// parsing 4,000 of them was 5% of a poll where every feed
		// answered 304).
		return raw
	}
	return redactExtras(redactURL(raw))
}

// redactURL hides the user info and the query's secrets.
func redactURL(raw string) string {
	if !strings.ContainsAny(raw, "@?") {
		return raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		if i := strings.IndexByte(raw, '?'); i >= 0 {
			q, _ := redactQuery(raw[i+1:])
			raw = raw[:i+1] + q
		}
		if i := strings.Index(raw, "@"); i > 0 && strings.Contains(raw[:i], "://") {
			// Unparseable but credential-shaped: hide everything up to the @.
			return raw[:strings.Index(raw, "://")+3] + "***" + raw[i:]
		}
		return raw
	}
	q, changed := redactQuery(u.RawQuery)
	if u.User == nil && !changed {
		return raw
	}
	u.RawQuery = q
	if u.User == nil {
		return u.String()
	}
	u.User = nil
	// url.User would print the stars escaped (%2A).
	shown := u.String()
	if i := strings.Index(shown, "//"); i >= 0 {
		return shown[:i+2] + "***@" + shown[i+2:]
	}
	return shown
}

// redactExtras hides the secret values of path parameters and of a
// fragment, as written: neither is sent as a query, but a pasted URL can
// carry a session id in one (/rss;jsessionid=…) or a token in the other.
// It works on the text, so the rest of the URL shows exactly as before.
func redactExtras(s string) string {
	if i := strings.IndexByte(s, '#'); i >= 0 {
		if f, ok := redactQuery(s[i+1:]); ok {
			s = s[:i+1] + f
		}
	}
	end := len(s)
	if i := strings.IndexAny(s, "?#"); i >= 0 {
		end = i
	}
	if strings.IndexByte(s[:end], ';') < 0 {
		return s
	}
	segs := strings.Split(s[:end], "/")
	for k, seg := range segs {
		params := strings.Split(seg, ";")
		for j := 1; j < len(params); j++ {
			name, v, ok := strings.Cut(params[j], "=")
			if !ok || v == "" {
				continue
			}
			if n, err := url.PathUnescape(name); err == nil && secretParam(n) {
				params[j] = name + "=***"
			}
		}
		segs[k] = strings.Join(params, ";")
	}
	return strings.Join(segs, "/") + s[end:]
}

// redactQuery replaces the values of secret-looking parameters in a raw
// query with "***", keeping the others and their order as written (a
// re-encoded query would reorder them and show a different URL).
func redactQuery(raw string) (string, bool) {
	if raw == "" {
		return raw, false
	}
	parts := strings.Split(raw, "&")
	changed := false
	for i, p := range parts {
		k, v, ok := strings.Cut(p, "=")
		if !ok || v == "" {
			continue
		}
		if name, err := url.QueryUnescape(k); err == nil && secretParam(name) {
			parts[i] = k + "=***"
			changed = true
		}
	}
	return strings.Join(parts, "&"), changed
}

// secretParam reports whether a query parameter's name says it carries a
// credential. Broad on purpose: a harmless parameter shown as *** costs
// little, a key shown in a channel costs a revoked key.
func secretParam(name string) bool {
	name = strings.ToLower(name)
	for _, w := range [...]string{"key", "token", "secret", "pass", "auth", "sig", "session"} {
		if strings.Contains(name, w) {
			return true
		}
	}
	return false
}

// RedactErr returns err with the feed URL's credentials redacted from its
// text, keeping the chain for errors.Is and errors.As. Fetch errors name
// the URL they fetched, and their text reaches poll output, logs and the
// feed's stored last error.
func RedactErr(err error, rawURL string) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	clean := RedactText(msg, rawURL)
	if clean == msg {
		return err
	}
	return redactedError{msg: clean, err: err}
}

// RedactText hides the credentials of rawURL wherever text quotes them:
// the whole URL, its user:pass@ part, or (when long enough not to garble
// the text) the password alone.
func RedactText(text, rawURL string) string {
	shown := Redact(rawURL)
	if shown == rawURL || text == "" {
		return text
	}
	text = strings.ReplaceAll(text, rawURL, shown)
	u, err := url.Parse(rawURL)
	if err != nil {
		return text
	}
	// An error can quote the URL in another form than rawURL: as
	// net/http re-encoded it (a space in the path as %20), the one a
	// redirect led to (http to https keeps the query), a Location as
	// sent, or with %q's escapes. A secret parameter's pair as written
	// goes wherever it is, whatever the value's length; the value
	// quoted alone (an error naming the parameter) goes too, when long
	// enough not to garble the text.
	params := strings.Split(u.RawQuery, "&")
	params = append(params, strings.Split(u.EscapedFragment(), "&")...)
	inQuery := len(params)
	for _, seg := range strings.Split(u.EscapedPath(), "/") {
		if _, ps, ok := strings.Cut(seg, ";"); ok {
			params = append(params, strings.Split(ps, ";")...)
		}
	}
	for i, p := range params {
		k, v, ok := strings.Cut(p, "=")
		if !ok || v == "" {
			continue
		}
		name, err := url.QueryUnescape(k)
		if err != nil || !secretParam(name) {
			continue
		}
		text = strings.ReplaceAll(text, p, k+"=***")
		if len(v) >= 4 {
			text = strings.ReplaceAll(text, v, "***")
		}
		// A copy the server re-encoded when it redirected ("key=a%2Fb"
		// sent back as "key=a/b") holds the pair in another form: hide
		// whatever value follows the parameter's name there, written
		// either way. A path parameter's value ends where the path or
		// the query goes on; a query value may hold "/" and "?".
		stops := queryStops
		if i >= inQuery {
			stops = pathStops
		}
		text = maskAfter(text, k+"=", stops)
		if name != k {
			text = maskAfter(text, name+"=", stops)
		}
	}
	if u.User != nil {
		text = strings.ReplaceAll(text, u.User.String()+"@", "***@")
		// net/http masks only the password ("user:***@"); a user name can
		// be a token too.
		text = strings.ReplaceAll(text, url.User(u.User.Username()).String()+":***@", "***@")
		if p, ok := u.User.Password(); ok && len(p) >= 4 {
			text = strings.ReplaceAll(text, p, "***")
		}
	}
	return text
}

// What ends a parameter's value where a text quotes it: a separator of
// the URL, or what ends a URL quoted in a sentence.
const (
	queryStops = "&#; \t\n\"'<>)\\"
	pathStops  = queryStops + "?/"
)

// maskAfter replaces, wherever text holds key at the start of a
// parameter (after ?, &, ;, # or the start of a word), the value that
// follows it, up to the first of stops, with ***.
func maskAfter(text, key, stops string) string {
	var b strings.Builder
	rest := text
	for {
		i := strings.Index(rest, key)
		if i < 0 {
			break
		}
		end := i + len(key)
		if i > 0 && !strings.ContainsRune("?&;# \t\n\"'(", rune(rest[i-1])) {
			b.WriteString(rest[:end])
			rest = rest[end:]
			continue
		}
		v := strings.IndexAny(rest[end:], stops)
		if v < 0 {
			v = len(rest) - end
		}
		b.WriteString(rest[:end])
		if v > 0 && rest[end:end+v] != "***" {
			b.WriteString("***")
		} else {
			b.WriteString(rest[end : end+v])
		}
		rest = rest[end+v:]
	}
	if b.Len() == 0 {
		return text
	}
	b.WriteString(rest)
	return b.String()
}

type redactedError struct {
	msg string
	err error
}

func (e redactedError) Error() string { return e.msg }
func (e redactedError) Unwrap() error { return e.err }
