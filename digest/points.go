package digest

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/triagebot/triagebot/internal/text"
	"github.com/triagebot/triagebot/news"
)

// Point is one talking point: a sentence quoted from a story's own text
// that gives the hosts something concrete to discuss, with its source.
type Point struct {
	Kind   string `json:"kind"`  // result, caveat, application; availability, audience, business
	Quote  string `json:"quote"` // verbatim (shortened with an ellipsis when long)
	Source string `json:"source"`
	URL    string `json:"url,omitempty"`
}

// Talking point kinds: what the hosts ask about research and products.
const (
	pointResult       = "result"
	pointCaveat       = "caveat"
	pointApplication  = "application"
	pointAvailability = "availability"
	pointAudience     = "audience"
	pointBusiness     = "business"
)

// pointRule says when a sentence supports a kind of point. Cues are
// matched on the lowercased sentence with a space on each side, so " only "
// is a word; needDigit asks for a figure as well (a result is a number).
type pointRule struct {
	kind       string
	cues       []string
	needFigure bool     // a number with a unit of comparison
	not        []string // phrases that cancel a cue ("not only" is no caveat)
}

var researchRules = []pointRule{
	// A result is a figure: a number with a unit of comparison (14%,
	// 1.86x, 3 points), not a version number or a year.
	{kind: pointResult, needFigure: true, cues: []string{""}},
	{kind: pointResult, cues: []string{" outperforms ", " outperform ", " new state-of-the-art", " surpasses ", " beats ", " new record"}},
	{kind: pointCaveat, not: []string{"not only", "not just"}, cues: []string{
		" only ", " but ", "however", " limited", "limitation", " fails ", " fail ", " failed ", " still ",
		" cannot ", " can't ", " does not ", " doesn't ", " do not ", " not yet ", " struggle", " although ",
		" caveat", " requires ", " at the cost", "trade-off", "tradeoff", " unclear", " remains ",
		"但", "僅", "仅", "只有", "仍", "無法", "无法", "限制", "不足",
	}},
	{kind: pointApplication, cues: []string{
		" could be used", " can be used", " used to ", " used for ", " useful for", " enables ", " enabling ",
		" lets ", " applications", " applied to ", " for use in ", " in practice", " real-world ",
		" could help ", " could make ", "應用", "应用", "可用於", "可用于",
	}},
}

// Plan names ("Pro", "Plus", "Max") are no audience cues: matched
// lowercased they are ordinary words ("plus Plan Mode", "Qwen 3.8 Max
// scores"); "subscribers" and "users" find the plans' audiences.
var productRules = []pointRule{
	{kind: pointAvailability, cues: []string{
		"$", "€", "£", "¥", " price", " pricing", " priced", " costs ", " free", " available", " availability",
		" rolling out", " rolls out", " roll out", " starting ", " beta", " preview", " waitlist",
		" per month", "/month", " a month", " per year", " launches today", " out today", " today",
		"免費", "免费", "價格", "价格", "定價", "定价", "上線", "上线", "開放", "开放", "元",
	}},
	{kind: pointAudience, cues: []string{
		" users", " subscribers", " customers", " developers", " enterprise", " teams", " businesses",
		" everyone", " paid ", " free tier", " students", " researchers",
		" for all ", " in the us", " countries", " regions", " worldwide", "用戶", "用户", "開發者", "开发者",
		"企業", "企业", "訂閱", "订阅",
	}},
	{kind: pointBusiness, cues: []string{
		" revenue", " compet", " rival", " market", " partnership", " partner", " deal", " invest",
		" valuation", " monetiz", " profit", " business", " growth", " billion", " million",
		" acquisition", " acquire", " ads ", " advertis", " funding", " raised ", " margin",
		"營收", "营收", "競爭", "竞争", "市場", "市场", "合作", "投資", "投资", "商業", "商业",
	}},
}

const maxQuote = 220

// talkingPoints finds up to three hooks in the story's own text: for
// research the result, the caveat and the application; for a product its
// availability and price, who gets it and the business angle. A hook is a
// sentence quoted as written; a kind the text does not support is left
// out rather than made up. shown is what the hosts already read above the
// hooks (the headline and the lede): a sentence that only says that again
// is no hook, since it gives them nothing more to talk about.
func talkingPoints(its []*news.Item, label news.Label, shown ...string) []Point {
	rules := researchRules
	if label == news.Product {
		rules = productRules
	}
	type sentence struct {
		text string
		it   *news.Item
	}
	var cands []sentence
	titles := make(map[string]bool, len(its))
	for _, it := range its {
		titles[strings.ToLower(text.OneLine(it.Title))] = true
	}
	for _, it := range its {
		for _, s := range sentences(text.OneLine(it.Summary)) {
			if !titles[strings.ToLower(strings.TrimRight(s, ".!?。"))] && !titles[strings.ToLower(s)] {
				cands = append(cands, sentence{s, it}) // a summary that repeats a headline says nothing new
			}
		}
	}
	// Headlines are no candidates: the lead's heads the story and the
	// others are listed under it as coverage ("More:").
	said := tokenSet(strings.Join(shown, " "))
	var out []Point
	used := make([]bool, len(cands))
	seen := map[string]bool{}
	for _, r := range rules {
		if seen[r.kind] {
			continue // a second rule for a kind already found
		}
		for i, c := range cands {
			if used[i] || !substantial(c.text) || !r.matches(c.text) || saysNothingNew(c.text, said) {
				continue
			}
			used[i], seen[r.kind] = true, true
			eachToken(c.text, func(w string) { said[w] = true }) // the next hook must add to this one too
			out = append(out, Point{Kind: r.kind, Quote: text.ClipWords(c.text, maxQuote), Source: sourceName(c.it), URL: c.it.URL})
			break
		}
	}
	return out
}

func (r pointRule) matches(s string) bool {
	low := " " + strings.ToLower(s) + " "
	if r.needFigure && !hasFigure(low) {
		return false
	}
	if containsAny(low, r.not...) {
		return false
	}
	return containsAny(low, r.cues...)
}

// figureUnits follow a number that measures a result.
var figureUnits = []string{"%", "x", "×", " percent", " points", " pp", " times", "-fold", " fold", "倍", "個百分點", "个百分点"}

// hasFigure finds a number followed by a unit of comparison in lowercased
// text: "14%", "1.86x", "3 points", "2倍". "GPT-5" and "2026" are not
// figures.
func hasFigure(low string) bool {
	for i := 0; i < len(low); i++ {
		if low[i] < '0' || low[i] > '9' {
			continue
		}
		j := i
		for j < len(low) && (low[j] >= '0' && low[j] <= '9' || low[j] == '.' || low[j] == ',') {
			j++
		}
		rest := low[j:]
		for _, u := range figureUnits {
			if strings.HasPrefix(rest, u) {
				// "4x4" or "x86" are not speedups: a unit letter must end the word.
				if u == "x" && len(rest) > 1 && (rest[1] >= 'a' && rest[1] <= 'z' || rest[1] >= '0' && rest[1] <= '9') {
					continue
				}
				return true
			}
		}
		i = j
	}
	return false
}

// substantial: a fragment ("Read more.") says nothing worth quoting, and
// a "sentence" of more than maxWords words is feed text whose list items
// lost their breaks (a changelog's "Battle Groups: … Personal & Global
// Leaderboards: … (across all Windsurf users) Sync or Branch: …"): a hook
// quoted from it is a clipped jumble.
func substantial(s string) bool {
	words, han := 0, 0
	for _, f := range strings.Fields(s) {
		words++
		for _, r := range f {
			if unicode.Is(unicode.Han, r) {
				han++
			}
		}
	}
	if words > maxWords || han > 3*maxWords {
		return false
	}
	return words >= 5 || han >= 8
}

// maxWords is longer than any sentence worth reading aloud: a long
// sentence of a paper's abstract has about 50 words.
const maxWords = 60

// sentences splits text at sentence ends: ". ", "! ", "? " and the
// Chinese full stops. A dot inside a number or a version ("4.6", "U.S.")
// is not an end, since no space follows it.
func sentences(text string) []string {
	var out []string
	start := 0
	for i, r := range text {
		end := -1
		switch r {
		case '。', '！', '？':
			end = i + utf8.RuneLen(r)
		case '.', '!', '?':
			next := i + 1
			if next == len(text) || text[next] == ' ' {
				end = next
			}
		}
		if end < 0 {
			continue
		}
		if s := strings.TrimSpace(text[start:end]); s != "" {
			out = append(out, s)
		}
		start = end
	}
	if s := strings.TrimSpace(text[start:]); s != "" {
		out = append(out, s)
	}
	return out
}

// newShare is the share of a sentence's words that must be new to what
// the hosts already read for it to count as a hook: "Zephyr-2 reaches all
// paid users today" under a lede "Acme is rolling out Zephyr-2 to paid
// users today" adds only "reaches all".
const newShare = 0.25

// saysNothingNew reports a sentence whose words (Chinese characters
// count one by one) are, all but a quarter, already in said.
func saysNothingNew(s string, said map[string]bool) bool {
	if len(said) == 0 {
		return false
	}
	total, known := 0, 0
	eachToken(s, func(w string) {
		total++
		if said[w] {
			known++
		}
	})
	return total > 0 && float64(total-known) < newShare*float64(total)
}

func tokenSet(s string) map[string]bool {
	m := map[string]bool{}
	eachToken(s, func(w string) { m[w] = true })
	return m
}

// eachToken calls f with each lowercased word of s (letters, digits and
// the marks inside a word such as "zephyr-2" or "4.6") and each Han
// character, which Chinese text has no spaces to separate. One-letter
// words and the commonest function words carry nothing.
func eachToken(s string, f func(string)) {
	start := -1
	flush := func(end int) {
		if start >= 0 {
			if w := strings.ToLower(strings.Trim(s[start:end], "-.'’")); len(w) > 1 && !functionWords[w] {
				f(w)
			}
			start = -1
		}
	}
	for i, r := range s {
		switch {
		case unicode.Is(unicode.Han, r):
			flush(i)
			f(string(r))
		case unicode.IsLetter(r) || unicode.IsDigit(r) || (start >= 0 && (r == '-' || r == '.' || r == '\'' || r == '’' || r == '$' || r == '%')):
			if start < 0 {
				start = i
			}
		case r == '$' || r == '%':
			if start < 0 {
				start = i
			}
		default:
			flush(i)
		}
	}
	flush(len(s))
}

var functionWords = map[string]bool{"the": true, "an": true, "and": true, "or": true, "of": true, "to": true, "in": true,
	"on": true, "for": true, "with": true, "is": true, "are": true, "it": true, "its": true, "at": true, "by": true,
	"as": true, "be": true, "this": true, "that": true, "we": true, "our": true, "from": true}
