package digest

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/triagebot/triagebot/news"
)

// noiseKind is what an item is when it is not news the hosts would
// discuss: they are kept (a host may want one) but ranked down and never
// chosen to lead a story.
type noiseKind uint8

const (
	notNoise noiseKind = iota
	noiseTutorial
	noiseCustomer
	noiseEvent
	noiseJob
	noiseNewsletter
	noisePodcast
)

// factor names, as the JSON shows them.
func (k noiseKind) String() string {
	return [...]string{"", "tutorial", "customer_story", "event", "job_post", "newsletter", "podcast"}[k]
}

// Cues are matched against the lowercased title (and the feed and source
// names for podcasts and newsletters). They are phrases, not single words,
// so a paper about "event cameras" or a launch "for hiring managers" is
// not caught.
var (
	// "How to watch" is an event, not a tutorial: it is checked first.
	eventCues = []string{
		"how to watch", "watch live", "livestream", "live stream", "webinar", "join us", "register now",
		"register today", "save the date", "meetup", "hackathon", "office hours", "fireside chat",
		"virtual event", "in-person event", "upcoming event", "ama with", "summit 20",
	}
	tutorialCues = []string{
		"how to ", "how-to", "tutorial", "step-by-step", "step by step", "a guide to", "guide to ",
		"beginner's guide", "getting started", "get started with", "best practices", "tips for",
		"tips and tricks", "cookbook", "walkthrough", "a practical guide", "quickstart", "hands-on",
		"教程", "教學", "入門", "手把手",
	}
	customerCues = []string{
		"case study", "customer story", "customer stories", "customer spotlight", "success story",
		"how we helped", " uses claude", " uses gpt", " uses gemini", " uses openai", " use claude",
		"powered by claude", "powered by gpt", " with claude", " with gemini", " with chatgpt",
	}
	jobCues = []string{
		"we're hiring", "we are hiring", "is hiring", "now hiring", "join our team", "job opening",
		"open roles", "open positions", "careers at", "apply now", "applications open", "applications are open",
		"call for applications", "call for proposals", "accepting applications", "apply by", "grant program",
		"fellowship program", "residency program", "招聘", "招募",
	}
	newsletterCues = []string{
		"the download:", "the batch", "newsletter", "weekly roundup", "week in review", "this week in ai",
		"this week in", "news roundup", "weekly digest", "links for", "import ai", "last week in ai",
	}
	podcastCues = []string{"podcast", "episode ", " ep. ", " ep ", "ep. ", "播客"}
)

// noiseOf classifies one item. Papers are never noise: an arXiv workshop
// paper about "webinars" is still research.
func noiseOf(it *news.Item) noiseKind {
	if it.SourceKind == news.KindPaper {
		return notNoise
	}
	title := strings.ToLower(it.Title)
	feed := strings.ToLower(it.Feed + " " + it.Source)
	switch {
	case containsAny(feed, "podcast") || containsAny(title, podcastCues...) || isEpisodeNumber(title) ||
		strings.Contains(strings.ToLower(it.URL), "/podcast"):
		return noisePodcast
	case containsAny(feed, "newsletter", "the batch", "the download") || containsAny(title, newsletterCues...) || isListOfStories(it.Title):
		return noiseNewsletter
	case containsAny(title, eventCues...):
		return noiseEvent
	case containsAny(title, jobCues...):
		return noiseJob
	case containsAny(title, tutorialCues...) || strings.HasSuffix(title, " guide"):
		return noiseTutorial
	case containsAny(title, customerCues...):
		return noiseCustomer
	}
	return notNoise
}

func containsAny(s string, subs ...string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}

// isEpisodeNumber catches "#123:" and "#123 –" episode titles.
func isEpisodeNumber(title string) bool {
	if !strings.HasPrefix(title, "#") {
		return false
	}
	n := 0
	for n+1 < len(title) && title[n+1] >= '0' && title[n+1] <= '9' {
		n++
	}
	return n > 0
}

// isListOfStories catches a newsletter issue titled with its stories,
// "Gemini Flash Gets Pricey, AI Act Delays, Agents Drive Online Traffic":
// three or more comma-separated parts that each start with a capital. A
// headline's list reads "OpenAI, Google and Meta agree ..." and fails.
func isListOfStories(title string) bool {
	parts := strings.Split(title, ", ")
	if len(parts) < 3 {
		return false
	}
	for _, p := range parts {
		p = strings.TrimSpace(p)
		r, _ := utf8.DecodeRuneInString(p)
		if !unicode.IsUpper(r) || !strings.Contains(p, " ") {
			return false
		}
	}
	return true
}

// launchStarts begin a title that announces a release in the company's own
// voice ("Introducing Claude Opus 4.6", "Meet Llama 4").
var launchStarts = []string{
	"introducing ", "announcing ", "meet ", "launching ", "say hello to ", "hello ",
	"now available", "available now", "today we're releasing", "today we’re releasing", "releasing ",
	"unveiling ", "presenting ", "new: ",
}

// launchVerbs inside a title report a release ("Mistral releases Magistral",
// "Claude Opus 4.6 is now available", "Cursor is now a part of SpaceX").
var launchVerbs = []string{
	" launches ", " launched ", " releases ", " released ", " unveils ", " unveiled ", " debuts ",
	" announces ", " rolls out ", " rolling out ", " ships ", " open-sources ", " open sources ",
	" is now available", " are now available", " now available", " is here", " are here",
	" is now generally available", " general availability", " is now a part of", " is now part of",
	" acquires ", " to acquire ", " acquired ", " joins forces",
	"发布", "發布", "推出", "上线", "上線", "开源", "開源", "亮相",
}

// launchOf says whether an item announces a release, and whether it comes
// from the primary source: a blog (the feeds of labs and companies are
// configured as blogs) announcing it. own is the release told in the
// maker's own voice ("Introducing X"), which outranks a partner's "X is
// now available in our app" as a story's lead.
func launchOf(it *news.Item) (launch, primary, own bool) {
	if it.SourceKind == news.KindPaper {
		return false, false, false
	}
	title := strings.ToLower(strings.TrimSpace(it.Title))
	for _, c := range launchStarts {
		if strings.HasPrefix(title, c) {
			own = true
			break
		}
	}
	launch = own || containsAny(" "+title+" ", launchVerbs...)
	primary = launch && it.SourceKind == news.KindBlog
	return launch, primary, own && primary
}
