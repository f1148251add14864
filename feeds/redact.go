package feeds

import (
	"net/url"
	"strings"
)

// Redact returns a feed URL fit to show: credentials in it
// (http://user:pass@host/feed) become "***". Every place that prints or
// logs a feed URL goes through it; the stored URL keeps them, since the
// fetch needs them.
func Redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		if i := strings.Index(raw, "@"); i > 0 && strings.Contains(raw[:i], "://") {
			// Unparseable but credential-shaped: hide everything up to the @.
			return raw[:strings.Index(raw, "://")+3] + "***" + raw[i:]
		}
		return raw
	}
	u.User = nil
	// url.User would print the stars escaped (%2A).
	shown := u.String()
	if i := strings.Index(shown, "//"); i >= 0 {
		return shown[:i+2] + "***@" + shown[i+2:]
	}
	return shown
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
	if u, err := url.Parse(rawURL); err == nil && u.User != nil {
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

type redactedError struct {
	msg string
	err error
}

func (e redactedError) Error() string { return e.msg }
func (e redactedError) Unwrap() error { return e.err }
