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
		if pair, ok := queryPair(p); ok {
			k, _, _ := strings.Cut(pair, "=")
			parts[i] = strings.TrimSuffix(p, pair) + k + "=***"
			changed = true
		}
	}
	return strings.Join(parts, "&"), changed
}

// queryPair returns the secret pair of one "&"-part of a query: the
// part itself when its name is a secret's, else the first pair after a
// ";" that is, up to the part's end. Some servers take ";" as a
// separator too ("?q=1;key=…" is two parameters there); a secret's value
// written with a ";" in it ("key=a;b") still goes whole.
func queryPair(p string) (string, bool) {
	for {
		k, v, ok := strings.Cut(p, "=")
		if name, err := url.QueryUnescape(k); ok && v != "" && err == nil && secretParam(name) {
			return p, true
		}
		i := strings.IndexByte(p, ';')
		if i < 0 {
			return "", false
		}
		p = p[i+1:]
	}
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
// the whole URL, its user:pass@ part, a secret parameter's value after
// its name in any form a server or net/http re-encoded it to (see
// maskSecrets), or (when long enough not to garble the text) a secret
// value or the password alone.
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
	var params []string
	for _, p := range strings.Split(u.RawQuery, "&") {
		if pair, ok := queryPair(p); ok {
			params = append(params, pair)
		}
	}
	params = append(params, strings.Split(u.EscapedFragment(), "&")...)
	inQuery := len(params)
	for _, seg := range strings.Split(u.EscapedPath(), "/") {
		if _, ps, ok := strings.Cut(seg, ";"); ok {
			params = append(params, strings.Split(ps, ";")...)
		}
	}
	var secrets []secretValue
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
		// A path parameter's value ends where the path or the query goes
		// on; a query value may hold "/" and "?".
		stops := queryStops
		if i >= inQuery {
			stops = pathStops
		}
		dv, err := url.QueryUnescape(v)
		if err != nil {
			dv = v
		}
		secrets = append(secrets, secretValue{name: strings.ToLower(name), value: dv, stops: stops})
		if dv != v {
			secrets = append(secrets, secretValue{name: strings.ToLower(name), value: v, stops: stops})
		}
	}
	if u.User != nil {
		text = strings.ReplaceAll(text, u.User.String()+"@", "***@")
		// net/http masks only the password ("user:***@"); a user name can
		// be a token too.
		text = strings.ReplaceAll(text, url.User(u.User.Username()).String()+":***@", "***@")
		if p, ok := u.User.Password(); ok {
			secrets = append(secrets, secretValue{value: p})
		}
	}
	return maskSecrets(text, secrets, u.Hostname())
}

// What ends a parameter's value where a text quotes it: a separator of
// the URL, or what ends a URL quoted in a sentence.
const (
	queryStops = "&#; \t\n\"'<>)\\"
	pathStops  = queryStops + "?/"
)

// secretValue is a credential of the feed URL as the server reads it
// (decoded), with the parameter's name (lower case, decoded; none for a
// password) and what ends its value where a text quotes the pair.
type secretValue struct {
	name, value, stops string
}

type redactedError struct {
	msg string
	err error
}

func (e redactedError) Error() string { return e.msg }
func (e redactedError) Unwrap() error { return e.err }
