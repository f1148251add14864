package feeds

import (
	"crypto/sha256"
	"encoding/base32"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"
	"github.com/triagebot/triagebot/news"
	"golang.org/x/net/html"
)

const (
	maxTitleRunes   = 300
	maxSummaryRunes = 1000
	// futureSlack is how far ahead of "now" a date may be before we treat it
	// as broken (time zones and clock skew make a few hours normal).
	futureSlack = 48 * time.Hour
)

var (
	// arXiv ids in links (abs/pdf/html), OAI GUIDs and bare "arXiv:" prefixes.
	arxivNew    = regexp.MustCompile(`(?i)(?:arxiv\.org/(?:abs|pdf|html)/|oai:arxiv\.org:|arxiv:)(\d{4}\.\d{4,5})(v\d+)?`)
	arxivOld    = regexp.MustCompile(`(?i)(?:arxiv\.org/(?:abs|pdf)/|oai:arxiv\.org:|arxiv:)([a-z-]+(?:\.[A-Z]{2})?/\d{7})(v\d+)?`)
	arxivPrefix = regexp.MustCompile(`(?is)^\s*arXiv:\S+\s+Announce Type:\s*([a-z-]+)\s*(?:Abstract:\s*)?`)
	// idAlphabet avoids letters people confuse (i, l, o, u).
	idEncoding = base32.NewEncoding("0123456789abcdefghjkmnpqrstvwxyz").WithPadding(base32.NoPadding)
)

// FeedInfo is what Normalize needs to know about the feed an item came from.
type FeedInfo struct {
	Name  string
	Kind  news.Kind
	Lang  string // configured hint; wins over the feed's own
	Title string // the feed's own title, used when Name is empty
	Link  string // feed URL, to resolve relative item links
}

// Normalize turns a parsed entry into a news.Item. now is the first-seen
// time and the fallback for missing or absurd dates.
func Normalize(it *gofeed.Item, fi FeedInfo, feedLang string, now time.Time) news.Item {
	out := news.Item{
		Feed:       fi.Name,
		Source:     fi.Name,
		SourceKind: fi.Kind,
		FirstSeen:  now.UTC(),
	}
	if out.Source == "" {
		out.Source = CleanText(fi.Title, 100)
	}
	out.Title = CleanText(it.Title, maxTitleRunes)
	summary := StripHTML(it.Description)
	if strings.TrimSpace(summary) == "" {
		summary = StripHTML(it.Content)
	}
	if m := arxivPrefix.FindStringSubmatch(summary); m != nil {
		out.AnnounceType = strings.ToLower(m[1])
		summary = summary[len(m[0]):]
	}
	out.Summary = truncate(collapse(summary), maxSummaryRunes)
	out.URL = resolveLink(strings.TrimSpace(firstNonEmpty(it.Link, first(it.Links))), fi.Link)
	out.GUID = sanitize(strings.TrimSpace(it.GUID))

	out.ArxivID = arxivID(out.URL, out.GUID)
	if out.ArxivID != "" {
		if ext := it.Extensions["arxiv"]["announce_type"]; len(ext) > 0 && ext[0].Value != "" {
			out.AnnounceType = strings.ToLower(strings.TrimSpace(ext[0].Value))
		}
		out.Categories = cleanList(it.Categories)
		out.Authors = authors(it)
	}

	out.Published = pickTime(now, it.PublishedParsed, it.UpdatedParsed)
	out.Lang = lang(fi.Lang, feedLang, out.Title+" "+truncate(out.Summary, 200))
	out.Key = CanonicalKey(out, fi.Name, firstNonEmpty(it.Published, it.Updated))
	out.ID = ItemID(out.Key)
	if out.Title == "" {
		// A title-less entry still gets something a person can recognize.
		out.Title = truncate(out.Summary, 80)
		if out.Title == "" {
			out.Title = "(untitled)"
		}
	}
	return out
}

// CanonicalKey picks the identity that survives re-polls, versions and
// cross-listing: arXiv id, else GUID, else cleaned link, else a hash of the
// title, summary and the feed's own date text (never the first-seen time,
// which changes every poll).
func CanonicalKey(it news.Item, feedName, rawDate string) string {
	switch {
	case it.ArxivID != "":
		return "arxiv:" + it.ArxivID
	case it.GUID != "":
		// A GUID that is a URL is global; an opaque one ("1234") is only
		// unique within its feed.
		if u, err := url.Parse(it.GUID); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
			return "url:" + CleanURL(it.GUID)
		}
		return "guid:" + feedName + ":" + it.GUID
	case it.URL != "":
		return "url:" + CleanURL(it.URL)
	default:
		sum := sha256.Sum256([]byte(feedName + "\x00" + it.Title + "\x00" + it.Summary + "\x00" + strings.TrimSpace(rawDate)))
		return "hash:" + idEncoding.EncodeToString(sum[:12])
	}
}

// ItemID derives the short id from the canonical key: 10 characters, of
// which the store shows the first 8 unless two items share them.
func ItemID(key string) string {
	sum := sha256.Sum256([]byte(key))
	return idEncoding.EncodeToString(sum[:7])[:10]
}

// trackingParams are query parameters that never change what a link shows.
func isTrackingParam(k string) bool {
	k = strings.ToLower(k)
	if strings.HasPrefix(k, "utm_") || strings.HasPrefix(k, "mc_") {
		return true
	}
	switch k {
	case "fbclid", "gclid", "dclid", "gclsrc", "msclkid", "yclid", "igshid", "twclid", "ttclid",
		"_hsenc", "_hsmi", "mkt_tok", "ref_src", "ref_url", "oly_enc_id", "oly_anon_id",
		"vero_id", "wickedid", "__s", "s_cid", "cmpid", "ncid", "sr_share", "spm", "guccounter", "f":
		return true
	}
	return false
}

// CleanURL removes tracking parameters and fragments, lowercases scheme and
// host, and sorts the remaining query, so the same article links equal.
func CleanURL(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return strings.TrimSpace(raw)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme == "http" {
		u.Scheme = "https" // the same page is usually served on both
	}
	u.Host = strings.TrimPrefix(strings.ToLower(u.Host), "www.")
	u.Fragment = ""
	q := u.Query()
	for k := range q {
		if isTrackingParam(k) {
			q.Del(k)
		}
	}
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		for j, v := range q[k] {
			if i+j > 0 {
				b.WriteByte('&')
			}
			b.WriteString(url.QueryEscape(k) + "=" + url.QueryEscape(v))
		}
	}
	u.RawQuery = b.String()
	if u.Path == "/" {
		u.Path = ""
	}
	return u.String()
}

func arxivID(link, guid string) string {
	for _, s := range []string{link, guid} {
		// The regexps backtrack over the whole string; most links are not
		// arXiv's, so a cheap test first keeps them off the hot path.
		if !containsFold(s, "arxiv") {
			continue
		}
		if m := arxivNew.FindStringSubmatch(s); m != nil {
			return m[1]
		}
		if m := arxivOld.FindStringSubmatch(s); m != nil {
			return m[1]
		}
	}
	return ""
}

func authors(it *gofeed.Item) []string {
	var names []string
	for _, p := range it.Authors {
		if p == nil {
			continue
		}
		// arXiv RSS packs all authors into one dc:creator.
		for _, n := range strings.Split(strings.ReplaceAll(p.Name, " and ", ", "), ",") {
			if n = CleanText(n, 100); n != "" {
				names = append(names, n)
			}
		}
	}
	if len(names) > 50 {
		names = names[:50]
	}
	return names
}

func pickTime(now time.Time, candidates ...*time.Time) time.Time {
	for _, t := range candidates {
		if t == nil || t.IsZero() || t.Year() < 1990 {
			continue
		}
		if t.After(now.Add(futureSlack)) {
			// A date in 2099 would pin the item to the top of every digest.
			return now.UTC()
		}
		return t.UTC()
	}
	return now.UTC()
}

func lang(hint, feedLang, text string) string {
	for _, l := range []string{hint, feedLang} {
		l = strings.ToLower(strings.TrimSpace(l))
		if l == "" {
			continue
		}
		if i := strings.IndexAny(l, "-_"); i > 0 {
			l = l[:i]
		}
		return l
	}
	if !mayHaveCJK(text) {
		return "en"
	}
	han, letters := 0, 0
	for _, r := range text {
		switch {
		case r < 0x2E80: // below every CJK block
			if unicode.IsLetter(r) {
				letters++
			}
		case unicode.Is(unicode.Han, r):
			han++
		case unicode.IsLetter(r):
			letters++
		}
	}
	if han > 0 && han*3 >= letters/3 {
		return "zh"
	}
	return "en"
}

func resolveLink(link, base string) string {
	link = sanitize(link)
	if link == "" {
		return ""
	}
	u, err := url.Parse(link)
	if err != nil {
		return ""
	}
	if !u.IsAbs() && base != "" {
		if b, err := url.Parse(base); err == nil {
			u = b.ResolveReference(u)
		}
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "" // javascript:, data: and friends are never links we show
	}
	return u.String()
}

// StripHTML returns the text of an HTML fragment with entities decoded.
// Script and style contents are dropped; block elements become spaces.
func StripHTML(s string) string {
	s = sanitize(s)
	if !strings.ContainsAny(s, "<&") {
		return s
	}
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	skip := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			return b.String()
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "script", "style":
				skip++
			case "br", "p", "div", "li", "h1", "h2", "h3", "h4", "tr", "td", "img", "blockquote":
				b.WriteByte(' ')
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "script", "style":
				if skip > 0 {
					skip--
				}
			case "p", "div", "li", "h1", "h2", "h3", "h4", "tr", "td", "blockquote":
				b.WriteByte(' ')
			}
		}
	}
}

// CleanText strips HTML, collapses whitespace and caps the length.
func CleanText(s string, maxRunes int) string {
	return truncate(collapse(StripHTML(s)), maxRunes)
}

func sanitize(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return s
}

// collapse turns every run of whitespace, control and zero-width
// characters into one space and trims the ends. ASCII, most of any feed,
// takes a byte-at-a-time path.
func collapse(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			if c <= ' ' || c == 0x7f {
				space = b.Len() > 0
				continue
			}
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteByte(c)
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) || unicode.IsControl(r) || r == '\u200b' || r == '\ufeff' {
			space = b.Len() > 0
			i += size
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteString(s[i : i+size])
		i += size
	}
	return b.String()
}

// truncate cuts at a word boundary when there is one nearby and marks the
// cut with an ellipsis.
func truncate(s string, maxRunes int) string {
	if maxRunes <= 0 || utf8.RuneCountInString(s) <= maxRunes {
		return s
	}
	r := []rune(s)[:maxRunes-1]
	cut := len(r)
	for i := len(r) - 1; i > len(r)*4/5; i-- {
		if r[i] == ' ' {
			cut = i
			break
		}
	}
	return strings.TrimRight(string(r[:cut]), " ,;:") + "…"
}

func cleanList(in []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range in {
		s = CleanText(s, 60)
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func first(s []string) string {
	if len(s) > 0 {
		return s[0]
	}
	return ""
}

// containsFold reports whether s contains the ASCII lowercase word sub in
// any case, without allocating.
func containsFold(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		j := 0
		for ; j < len(sub); j++ {
			c := s[i+j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != sub[j] {
				break
			}
		}
		if j == len(sub) {
			return true
		}
	}
	return false
}

// mayHaveCJK is a cheap pre-check: every CJK character is at or above
// U+2E80, whose UTF-8 encoding starts with a byte of 0xE2 or more.
func mayHaveCJK(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0xE2 {
			return true
		}
	}
	return false
}
