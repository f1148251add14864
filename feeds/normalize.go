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
	"github.com/triagebot/triagebot/internal/text"
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
	out.URL = resolveLink(strings.TrimSpace(firstNonEmpty(it.Link, first(it.Links))), fi.Link)
	out.GUID = sanitize(strings.TrimSpace(it.GUID))

	title, titleDesc := stripGlued(cleanFull(it.Title), out.URL)
	out.Title = truncate(title, maxTitleRunes)
	summary := StripHTML(decodeBase64Text(it.Description))
	if strings.TrimSpace(summary) == "" {
		summary = StripHTML(decodeBase64Text(it.Content))
	}
	if strings.TrimSpace(summary) == "" {
		summary = mediaDescription(it)
	}
	if m := matchArxivPrefix(summary); m != nil {
		out.AnnounceType = strings.ToLower(m[1])
		summary = summary[len(m[0]):]
	}
	summary, sumDesc := stripGlued(collapse(unescapeLiteral(summary)), out.URL)
	switch {
	case sumDesc != "" && summary == title:
		summary = sumDesc // the generator glued the description to a copy of the title
	case sumDesc != "":
		summary += " " + sumDesc
	case titleDesc != "" && summary == title:
		summary = titleDesc
	}
	out.Summary = truncate(summary, maxSummaryRunes)

	out.ArxivID = arxivID(out.URL, out.GUID)
	if out.ArxivID != "" {
		if ext := it.Extensions["arxiv"]["announce_type"]; len(ext) > 0 && ext[0].Value != "" {
			out.AnnounceType = strings.ToLower(strings.TrimSpace(ext[0].Value))
		}
		out.Categories = cleanList(it.Categories)
		out.Authors = authors(it)
	}

	out.Published, out.Undated = pickTime(now, it)
	out.Lang = itemLang(fi.Lang, feedLang, out.Title, out.Summary)
	keyed := out
	if out.ArxivID == "" && out.GUID == "" && out.URL == "" {
		// The hash key is over the text as the first release cleaned it,
		// so a later cleanup never re-keys (and duplicates) a stored item.
		keyed.Title, keyed.Summary = legacyText(it)
	}
	out.Key = CanonicalKey(keyed, fi.Name, firstNonEmpty(it.Published, it.Updated))
	out.LegacyKey = legacyKey(out, out.Key)
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

// matchArxivPrefix is arxivPrefix.FindStringSubmatch(s), with the
// regexp run only on text that starts (after \s*, RE2's [\t\n\f\r ])
// with "arXiv:" in any case: every summary is checked, few are arXiv's.
func matchArxivPrefix(s string) []string {
	t := strings.TrimLeft(s, "\t\n\f\r ")
	if len(t) < 6 || !strings.EqualFold(t[:6], "arxiv:") {
		return nil
	}
	return arxivPrefix.FindStringSubmatch(s)
}

// cleanFull is CleanText without the length cap: glued prefixes are cut
// before truncation so the cap keeps the real title.
func cleanFull(s string) string { return collapse(unescapeLiteral(StripHTML(s))) }

// legacyText is the title and summary as the first release normalized
// them, for the hash key of an entry without GUID or link.
func legacyText(it *gofeed.Item) (title, summary string) {
	title = truncate(legacyCollapse(StripHTML(it.Title)), maxTitleRunes)
	summary = StripHTML(it.Description)
	if strings.TrimSpace(summary) == "" {
		summary = StripHTML(it.Content)
	}
	if m := matchArxivPrefix(summary); m != nil {
		summary = summary[len(m[0]):]
	}
	return title, truncate(legacyCollapse(summary), maxSummaryRunes)
}

// mediaDescription is Media RSS's description (media:group/media:description
// in YouTube's channel feeds, or a bare media:description), the only text
// many video entries carry.
func mediaDescription(it *gofeed.Item) string {
	media := it.Extensions["media"]
	if media == nil {
		return ""
	}
	for _, d := range media["description"] {
		if v := strings.TrimSpace(d.Value); v != "" {
			return StripHTML(v)
		}
	}
	for _, g := range media["group"] {
		for _, d := range g.Children["description"] {
			if v := strings.TrimSpace(d.Value); v != "" {
				return StripHTML(v)
			}
		}
	}
	return ""
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
		// unique within its feed. A GUID is an identifier, so its fragment
		// stays: single-page changelogs tell releases apart only there
		// (https://windsurf.com/changelog#2.3.15#2.3.15).
		if u, err := url.Parse(it.GUID); err == nil && isWeb(u) {
			if it.GUID != strings.TrimSpace(it.GUID) {
				u = nil // keyURL parses the trimmed text
			}
			return "url:" + keyURL(it.GUID, u, true)
		}
		return "guid:" + feedName + ":" + it.GUID
	case it.URL != "":
		return "url:" + keyURL(it.URL, nil, false)
	default:
		sum := sha256.Sum256([]byte(feedName + "\x00" + it.Title + "\x00" + it.Summary + "\x00" + strings.TrimSpace(rawDate)))
		return "hash:" + idEncoding.EncodeToString(sum[:12])
	}
}

// KeyOf is the canonical key of an entry known only by its link, as
// Normalize would key it: what a host pastes to name an item (tracking
// parameters and arXiv versions fall away). "" when link is not a web link.
func KeyOf(link string) string {
	u := resolveLink(strings.TrimSpace(link), "")
	if u == "" {
		return ""
	}
	return CanonicalKey(news.Item{URL: u, ArxivID: arxivID(u, "")}, "", "")
}

// legacyKey is the key the first release gave an item with a URL key: it
// dropped every #fragment, so Windsurf's releases
// (https://windsurf.com/changelog#2.3.15#2.3.15, …) all became one item.
// Returned only when it differs from key.
func legacyKey(it news.Item, key string) string {
	if !strings.Contains(key, "#") {
		return "" // the rules differ only in fragments
	}
	var old string
	switch {
	case it.ArxivID != "":
		return ""
	case it.GUID != "":
		if !isWebURL(it.GUID) {
			return ""
		}
		old = "url:" + CleanURL(it.GUID)
	case it.URL != "":
		old = "url:" + CleanURL(it.URL)
	default:
		return ""
	}
	if old == key {
		return ""
	}
	return old
}

// keyURL is CleanURL plus the fragment when it identifies something: always
// for a GUID, and for a link unless the fragment is page furniture
// (#comments, #more-123, a text fragment, tracking in the fragment), which
// would otherwise split one article into several items.
//
// parsed, when not nil, is url.Parse(strings.TrimSpace(raw)), which
// keyURL then changes; nil: keyURL parses raw itself.
func keyURL(raw string, parsed *url.URL, guid bool) string {
	clean := cleanURL(raw, parsed)
	_, frag, ok := strings.Cut(strings.TrimSpace(raw), "#")
	if !ok || frag == "" || (!guid && noiseFragment(frag)) || !isWebURL(raw) {
		return clean
	}
	return clean + "#" + frag
}

var noiseFrag = regexp.MustCompile(`(?i)^(?:comments?(?:-\d+)?|respond|reply|more(?:-\d+)?|post-\d+|disqus_thread|main(?:-content)?|content|article|top|page|read-?more|:~:.*|[a-z_]+=.*)$`)

func noiseFragment(f string) bool { return noiseFrag.MatchString(f) }

func isWebURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && isWeb(u)
}

func isWeb(u *url.URL) bool { return (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" }

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
func CleanURL(raw string) string { return cleanURL(raw, nil) }

// cleanURL is CleanURL of raw; parsed, when not nil, is
// url.Parse(strings.TrimSpace(raw)) done by the caller, and is changed.
func cleanURL(raw string, parsed *url.URL) string {
	u := parsed
	if u == nil {
		var err error
		if u, err = url.Parse(strings.TrimSpace(raw)); err != nil {
			return strings.TrimSpace(raw)
		}
	}
	if u.Host == "" {
		return strings.TrimSpace(raw)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme == "http" {
		u.Scheme = "https" // the same page is usually served on both
	}
	u.Host = strings.TrimPrefix(strings.ToLower(u.Host), "www.")
	u.Fragment = ""
	if plainQuery(u.RawQuery) {
		// Already what the rebuild below would write.
		if u.Path == "/" {
			u.Path = ""
		}
		return u.String()
	}
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

// plainQuery reports whether CleanURL's rebuild of the query (parse,
// drop tracking parameters, sort, escape) would give q back unchanged: no
// query, or "k=v" pairs joined by '&' in strictly increasing key order, no
// tracking key, and only characters that neither unescaping nor
// url.QueryEscape changes. Most feed links are like that ("?p=123"), and
// the rebuild allocates a map, slices and strings for each.
func plainQuery(q string) bool {
	prev := ""
	for q != "" {
		pair, rest, more := strings.Cut(q, "&")
		k, v, ok := strings.Cut(pair, "=")
		if !ok || k == "" || k <= prev || !queryPlain(k) || !queryPlain(v) || isTrackingParam(k) {
			return false
		}
		if more && rest == "" {
			return false // a trailing '&'
		}
		prev, q = k, rest
	}
	return true
}

// queryPlain: only the bytes url.QueryEscape leaves as they are.
func queryPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isASCIIAlnum(c) && c != '-' && c != '_' && c != '.' && c != '~' {
			return false
		}
	}
	return true
}

// arxivID is the paper's id from its link, else its GUID (arXiv's RSS
// GUIDs are "oai:arXiv.org:2411.01234v1").
func arxivID(link, guid string) string {
	if id := text.ArxivID(link); id != "" {
		return id
	}
	return text.ArxivID(guid)
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

// itemLang is lang over the title and the start of the summary. Text
// without a byte of 0xE2 or more has no Han character, and lang decides
// without it: the joined, clipped text is built only when it is needed.
func itemLang(hint, feedLang, title, summary string) string {
	if !mayHaveCJK(title) && !mayHaveCJK(summary) {
		return lang(hint, feedLang, "")
	}
	return lang(hint, feedLang, title+" "+truncate(summary, 200))
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
	// Credentials of the feed URL (or in a link) never go into an item's
	// link, which the digest shows to everyone.
	u.User = nil
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
	if out, ok := stripSimpleHTML(s); ok {
		return out
	}
	return stripHTMLTokens(s)
}

// stripHTMLTokens is StripHTML through the x/net/html tokenizer, for any
// markup the fast path declines.
func stripHTMLTokens(s string) string {
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	b.Grow(len(s)) // the text is about as long as its markup, rarely longer
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

// CleanText strips HTML, undoes escapes written as text (a literal
// backslash-n), maps C1 codes, drops bidi and zero-width controls,
// collapses whitespace and caps the length.
func CleanText(s string, maxRunes int) string {
	return truncate(cleanFull(s), maxRunes)
}

// truncate is text.ClipWords where maxRunes < 1 means no cap.
func truncate(s string, maxRunes int) string {
	if maxRunes < 1 {
		return s
	}
	return text.ClipWords(s, maxRunes)
}

func sanitize(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return s
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
