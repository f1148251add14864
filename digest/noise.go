package digest

import (
	"encoding/binary"
	"math/bits"
	"strings"
	"unicode/utf8"

	"github.com/triagebot/triagebot/news"
)

// noiseKind is what an item is when it is not news the hosts would
// discuss: they are kept (a host may want one) but ranked down and never
// chosen to lead a story.
type noiseKind uint8

// In order of precedence: an item that is both a podcast and a tutorial
// is a podcast episode.
const (
	notNoise noiseKind = iota
	noisePodcast
	noiseNewsletter
	noiseEvent
	noiseJob
	noiseTutorial
	noiseCustomer
	noisePatch
	nNoise
)

// factor names, as the JSON shows them.
func (k noiseKind) String() string {
	return [...]string{"", "podcast", "newsletter", "event", "job_post", "tutorial", "customer_story", "patch_notes"}[k]
}

// Cue phrases, matched as whole lowercased words of a title. They are
// phrases, not single words, where a word alone would catch real news: a
// paper about "event cameras" or a launch "for hiring managers" is not
// noise. "How to watch" is an event and wins over "how to" (tutorial) by
// precedence.
var noiseCues = [nNoise][]string{
	noisePodcast:    {"podcast", "podcasts"},
	noiseNewsletter: {"the download", "the batch", "newsletter", "weekly roundup", "week in review", "this week in", "news roundup", "weekly digest", "import ai", "last week in ai"},
	noiseEvent: {"how to watch", "watch live", "livestream", "live stream", "webinar", "join us", "register now", "register today",
		"save the date", "meetup", "hackathon", "office hours", "fireside chat", "virtual event", "in-person event", "upcoming event", "ama with"},
	noiseJob: {"we're hiring", "we are hiring", "is hiring", "now hiring", "join our team", "job opening", "open roles", "open positions",
		"careers at", "apply now", "applications open", "applications are open", "call for applications", "call for proposals",
		"accepting applications", "apply by", "grant program", "fellowship program", "residency program"},
	noiseTutorial: {"how to", "how-to", "tutorial", "step-by-step", "step by step", "a guide to", "guide to", "beginner's guide", "getting started",
		"get started with", "best practices", "tips for", "tips and tricks", "cookbook", "walkthrough", "a practical guide", "quickstart", "hands-on",
		"when to use", "playbook"},
	noiseCustomer: {"case study", "customer story", "customer stories", "customer spotlight", "success story", "how we helped",
		"uses claude", "uses gpt", "uses gemini", "uses openai", "uses codex", "used claude", "used codex", "used gpt", "used gemini",
		"powered by claude", "powered by gpt", "with claude",
		"with gemini", "with chatgpt"},
}

// Chinese has no spaces between words: these are matched as substrings of
// a title that has Chinese in it.
var noiseCuesHan = [nNoise][]string{
	noisePodcast:  {"播客"},
	noiseJob:      {"招聘", "招募"},
	noiseTutorial: {"教程", "教學", "入門", "手把手"},
}

// launchStarts begin a title that announces a release in the maker's own
// voice ("Introducing Claude Opus 4.6", "Meet Llama 4").
var launchStarts = []string{"introducing", "announcing", "meet", "launching", "say hello to", "hello", "now available",
	"available now", "today we're releasing", "releasing", "unveiling", "presenting"}

// launchVerbs inside a title report a release ("Mistral releases
// Magistral", "Claude Opus 4.6 is now available", "Cursor is now a part of
// SpaceX").
var launchVerbs = []string{"launches", "launched", "releases", "released", "unveils", "unveiled", "debuts", "announces",
	"rolls out", "rolling out", "ships", "open-sources", "open sources", "now available", "is here", "are here",
	"generally available", "general availability", "is now a part of", "is now part of", "acquires", "to acquire",
	"acquired", "joins forces"}

var launchHan = []string{"发布", "發布", "推出", "上线", "上線", "开源", "開源", "亮相"}

// cue kinds beyond the noise kinds.
const (
	cueLaunchStart = nNoise + iota
	cueLaunchVerb
	cuePartnership
)

var partnershipCues = []string{"teams up", "team up", "partners with", "partnership", "partner with", "collaboration with"}

type cue struct {
	words []string
	kind  noiseKind // a noise kind, cueLaunchStart or cueLaunchVerb
}

// cues finds every cue phrase in a title in one pass over its words: a
// map from a phrase's first word to the phrases starting with it. Built
// once per digest (no package state), it keeps the per-item cost to one
// lowercasing and a map lookup per word, which matters at a hundred
// thousand items.
type cues struct {
	byFirst map[string][]cue
	// firsts has a bit set for each first word of a cue (cueBit): most
	// words of a title are no cue's first word and skip the map lookup.
	firsts [cueBits / 64]uint64
	feeds  map[string]noiseKind // a podcast or newsletter feed, by feed name
}

func newCues() *cues {
	c := &cues{byFirst: map[string][]cue{}, feeds: map[string]noiseKind{}}
	add := func(phrase string, k noiseKind) {
		w := strings.Fields(phrase)
		c.byFirst[w[0]] = append(c.byFirst[w[0]], cue{words: w, kind: k})
		b := cueBit(w[0])
		c.firsts[b/64] |= 1 << (b % 64)
	}
	for k, list := range noiseCues {
		for _, p := range list {
			add(p, noiseKind(k))
		}
	}
	for _, p := range launchStarts {
		add(p, cueLaunchStart)
	}
	for _, p := range launchVerbs {
		add(p, cueLaunchVerb)
	}
	for _, p := range partnershipCues {
		add(p, cuePartnership)
	}
	return c
}

// cueBits is the size of cues.firsts: 4,096 bits for about a hundred
// first words.
const cueBits = 1 << 12

// cueBit is a word's bit in cues.firsts, from its length and its first
// and last bytes.
func cueBit[T ~string | ~[]byte](w T) uint32 {
	h := uint32(len(w))<<16 | uint32(w[0])<<8 | uint32(w[len(w)-1])
	return h * 0x9e3779b1 >> (32 - 12)
}

// itemFeatures is what the cues say about one item.
type itemFeatures struct {
	noise noiseKind
	// versionTitle: the title is a product name and a patch version
	// ("Windsurf Next 1.13.114"), a changelog entry that names nothing.
	versionTitle bool
	// launch: the title announces or reports a release; primary: a blog
	// (labs' and companies' feeds are blogs) announcing it; own: in the
	// maker's own voice ("Introducing X"), which outranks a partner's "X
	// is now available in our app" as a story's lead.
	launch, primary, own bool
}

// packedFeatures is itemFeatures in one byte, as docs and stories keep
// it: a week holds a hundred thousand of each, and the five bytes of an
// itemFeatures made each of them 8 bytes larger. The noise kind is the
// low four bits, then versionTitle, launch, primary and own.
type packedFeatures uint8

const (
	packedNoise packedFeatures = 1<<4 - 1
	// a compile-time check that every noise kind fits in packedNoise
	_ uint8 = uint8(packedNoise) + 1 - uint8(nNoise)
)

func (f itemFeatures) pack() packedFeatures {
	p := packedFeatures(f.noise)
	for k, b := range [...]bool{f.versionTitle, f.launch, f.primary, f.own} {
		if b {
			p |= 1 << (4 + k)
		}
	}
	return p
}

func (p packedFeatures) unpack() itemFeatures {
	return itemFeatures{noise: noiseKind(p & packedNoise), versionTitle: p&(1<<4) != 0,
		launch: p&(1<<5) != 0, primary: p&(1<<6) != 0, own: p&(1<<7) != 0}
}

// features classifies one item. Papers are neither noise nor launches: an
// arXiv paper about "webinars" is still research.
func (c *cues) features(it *news.Item) itemFeatures {
	return c.featuresHan(it, hasHan(it.Title))
}

// featuresHan is features for an item whose title has Chinese in it or
// not, as hasHan says (makeDoc has asked already).
func (c *cues) featuresHan(it *news.Item, han bool) itemFeatures {
	var f itemFeatures
	if it.SourceKind == news.KindPaper {
		return f
	}
	var buf [160]byte
	var bounds [48][2]uint8
	low, words := lowerWords(it.Title, buf[:0], bounds[:0])
	var found [nNoise + 3]bool
	for i, b := range words {
		w := low[b[0]:b[1]]
		// Most words are no cue's first word: the filter says so without
		// the map lookup.
		if x := cueBit(w); c.firsts[x/64]&(1<<(x%64)) != 0 {
			for _, q := range c.byFirst[string(w)] {
				if q.kind == cueLaunchStart && i > 0 {
					continue
				}
				if matchWords(low, words[i:], q.words) {
					found[q.kind] = true
				}
			}
		}
		// "Episode 212", "Ep. 12": a numbered episode.
		if (string(w) == "episode" || string(w) == "ep") && i+1 < len(words) && isDigits(low[words[i+1][0]:words[i+1][1]]) {
			found[noisePodcast] = true
		}
	}
	if n := len(words); n > 1 && string(low[words[n-1][0]:words[n-1][1]]) == "guide" {
		found[noiseTutorial] = true // "The Claude Cowork product guide"
	}
	if han {
		for k, list := range noiseCuesHan {
			for _, p := range list {
				if strings.Contains(it.Title, p) {
					found[k] = true
				}
			}
		}
		for _, p := range launchHan {
			if strings.Contains(it.Title, p) {
				found[cueLaunchVerb] = true
			}
		}
	}
	found[c.feedNoise(it)] = true
	switch {
	case strings.Contains(it.URL, "/podcast") || isEpisodeNumber(it.Title):
		found[noisePodcast] = true
	case isListOfStories(it.Title):
		found[noiseNewsletter] = true
	}
	// A changelog entry titled with its version: patch notes when its
	// text starts with fixes, else it may carry a feature and only loses
	// the lead to a headline that says what it is.
	if f.versionTitle = isVersionTitle(it.Title); f.versionTitle && startsWithFixes(it.Summary) {
		found[noisePatch] = true
	}
	f.own = found[cueLaunchStart]
	f.launch = f.own || found[cueLaunchVerb]
	f.primary = f.launch && it.SourceKind == news.KindBlog
	f.own = f.own && f.primary
	for k := noisePodcast; k < nNoise; k++ {
		if found[k] {
			f.noise = k
			break
		}
	}
	// A lab's own launch post for a sector ("Introducing Claude for
	// Financial Services with ...") is a launch, and a partnership
	// ("Salesforce teams up with Anthropic ... with Claude") is news: not
	// customer stories.
	if f.noise == noiseCustomer && (f.primary || found[cuePartnership]) {
		f.noise = notNoise
	}
	return f
}

// feedNoise is what a whole feed is, from its names: a podcast or a
// newsletter. Remembered per feed, since a week has many items of few feeds.
func (c *cues) feedNoise(it *news.Item) noiseKind {
	k, ok := c.feeds[it.Feed]
	if !ok {
		switch {
		case containsFold(it.Feed, "podcast") || containsFold(it.Source, "podcast"):
			k = noisePodcast
		case containsFold(it.Feed, "newsletter") || containsFold(it.Feed, "the batch") || containsFold(it.Source, "newsletter"):
			k = noiseNewsletter
		}
		c.feeds[it.Feed] = k // a feed's source name does not change
	}
	return k
}

// lowerWords lowercases ASCII letters of s into buf and returns the word
// bounds: runs of letters, digits, apostrophes and inner hyphens; the
// typographic apostrophe becomes '. Other bytes (Chinese, emoji) stay in
// words unchanged. Words past the bounds' capacity are ignored: cues sit
// at the start of a title.
//
// It runs for every headline of a week, so buf is written by index, not
// appended to, and a run of lowercase letters and digits (most bytes of
// a headline) is copied eight bytes at a time: the block is stored
// whole, and only as many of its bytes as are in the run (and as buf
// has room for) are kept; the rest are written over or lie past the
// returned length. Pinned against the byte loop by TestLowerWordsByRuns.
func lowerWords(s string, buf []byte, bounds [][2]uint8) ([]byte, [][2]uint8) {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	out := buf[:cap(buf)]
	n, limit := len(buf), cap(buf)-1 // as the byte loop did, buf keeps one byte free
	start := -1
	for i := 0; i < len(s) && n < limit; i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || '0' <= c && c <= '9' {
			if start < 0 {
				start = n
			}
			for {
				if i+8 > len(s) || n+8 > len(out) {
					// Near the end of s or of buf: byte by byte.
					for ; i < len(s) && n < limit && ('a' <= s[i] && s[i] <= 'z' || '0' <= s[i] && s[i] <= '9'); i, n = i+1, n+1 {
						out[n] = s[i]
					}
					break
				}
				x := load8(s[i : i+8])
				binary.LittleEndian.PutUint64(out[n:n+8], x)
				low := x &^ highs
				in := (low+(0x80-'a')*ones)&^(low+(0x80-'z'-1)*ones) | (low+(0x80-'0')*ones)&^(low+(0x80-'9'-1)*ones)
				k := 8
				if o := (^in | x) & highs; o != 0 {
					k = bits.TrailingZeros64(o) / 8
				}
				k = min(k, limit-n)
				i, n = i+k, n+k
				if k < 8 || i < len(s) && s[i] == ' ' {
					break // the run ended (most words do within eight bytes, or right after), or buf is full
				}
			}
			i-- // the run ended before s[i], which the loop reads next
			continue
		}
		word := false // a space, most often
		if c != ' ' {
			if c == 0xE2 && strings.HasPrefix(s[i:], "’") {
				c, i = '\'', i+2
			}
			word = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '\'' || c >= utf8.RuneSelf ||
				(c == '-' && start >= 0)
		}
		if !word {
			if start >= 0 {
				if len(bounds) == cap(bounds) {
					return out[:n], bounds
				}
				bounds = append(bounds, [2]uint8{uint8(start), uint8(n)})
				start = -1
			}
			out[n] = ' '
			n++
			continue
		}
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if start < 0 {
			start = n
		}
		out[n] = c
		n++
	}
	if start >= 0 && len(bounds) < cap(bounds) {
		bounds = append(bounds, [2]uint8{uint8(start), uint8(n)})
	}
	return out[:n], bounds
}

func matchWords(low []byte, words [][2]uint8, phrase []string) bool {
	if len(words) < len(phrase) {
		return false
	}
	for k, p := range phrase {
		if string(low[words[k][0]:words[k][1]]) != p {
			return false
		}
	}
	return true
}

// containsFold is a case-insensitive strings.Contains for ASCII needles,
// without the allocation of lowering the haystack.
func containsFold(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}

func containsAny(s string, subs ...string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}

func isDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(b) > 0
}

// isEpisodeNumber catches "#123:" and "#123 –" episode titles.
func isEpisodeNumber(title string) bool {
	return len(title) > 1 && title[0] == '#' && title[1] >= '0' && title[1] <= '9'
}

// isListOfStories catches a newsletter issue titled with its stories,
// "Gemini Flash Gets Pricey, AI Act Delays, Agents Drive Online Traffic":
// three or more comma-separated parts that each start with a capital and
// have more than one word. A headline's list reads "OpenAI, Google and
// Meta agree ..." and fails.
func isListOfStories(title string) bool {
	if strings.Count(title, ", ") < 2 {
		return false
	}
	for _, p := range strings.Split(title, ", ") {
		p = strings.TrimSpace(p)
		if p == "" || p[0] < 'A' || p[0] > 'Z' || !strings.Contains(p, " ") {
			return false
		}
	}
	return true
}

// isVersionTitle: one to three words of a name, then a version with two
// dots or more ("Windsurf 1.9544.26", "Ollama 0.5.7"). "Claude Opus 4.6"
// is a model, not a patch: one dot does not count.
func isVersionTitle(title string) bool {
	// Most titles fail on their last byte; only the rest pay for Fields.
	if n := len(title); n < 5 || title[n-1] < '0' || title[n-1] > '9' || strings.Count(title, ".") < 2 {
		return false
	}
	f := strings.Fields(title)
	if len(f) < 2 || len(f) > 4 {
		return false
	}
	v := strings.TrimPrefix(strings.ToLower(f[len(f)-1]), "v")
	if strings.Count(v, ".") < 2 {
		return false
	}
	for _, c := range []byte(v) {
		if c != '.' && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// startsWithFixes: a changelog entry's text that opens with its fixes
// ("Bug Fixes and Improvements …", "Patch fixes …").
func startsWithFixes(summary string) bool {
	s := strings.ToLower(strings.TrimSpace(summary))
	for _, p := range []string{"bug fix", "bugfix", "fixes", "fix ", "fixed ", "patch fix", "improvements", "minor ", "miscellaneous", "stability"} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return s == ""
}
