package feeds

import (
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"
)

// Redact leaves a URL without a literal @ or ? unparsed (only its path
// parameters and fragment are read, as text). That is what the parsing
// path returned for it, only if url.Parse can find no user info and no
// query in such a URL, in any form: escaped separators, backslashes,
// fragments, IPv6 hosts, opaque and scheme-less URLs. The parse path
// shows such a URL as it is, so they agree exactly.
func TestRedactShortcutSkipsNoUserInfoOrQuery(t *testing.T) {
	pieces := []string{
		"http://", "https://", "//", "a:", "mailto:", "/", "\\", "e.com", "[::1]", ":8080", ":", "%40", "%3F", "%3f",
		"%2F", "%", "#", "#key=x", ";", ";token=x", "=", "&", "user", "pass", "token", "key=v", " ", "\t", "\x00",
		"é", "＠", "？", "..", "*", "+", "~", "!", "$", "'", "(", ")",
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 20000 {
		var b strings.Builder
		for range 1 + r.IntN(8) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		raw := b.String()
		if i < 3 {
			raw = []string{"https://user:pass%40e.com/rss", "http://e.com/feed#token=abc", "https://e.com/a;sessionid=1"}[i]
		}
		if strings.ContainsAny(raw, "@?") {
			t.Fatalf("generated %q", raw)
		}
		if u, err := url.Parse(raw); err == nil && (u.User != nil || u.RawQuery != "" || u.ForceQuery) {
			t.Errorf("url.Parse(%q) found user info %v or query %q: Redact would show it", raw, u.User, u.RawQuery)
		}
		want := redactExtras(raw)
		if got := Redact(raw); got != want {
			t.Errorf("Redact(%q) = %q, want %q", raw, got, want)
		}
	}
}
