package digest

import (
	"math"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/triagebot/triagebot/internal/text"
	"github.com/triagebot/triagebot/news"
)

const (
	// DefaultThreshold is the similarity (TF-IDF cosine under the rules
	// of sim) a pair must reach to start or join a story. Chosen for
	// precision on a labelled set of real headlines, checked on held-out
	// halves of it (README, "Story grouping"). 0.26 since IDF adds the
	// background table (background.go), which weighs shared words up;
	// 0.25 since two items naming different places never join
	// (placesConflict), which bought more precision than 0.01 of threshold
	// costs.
	DefaultThreshold = 0.25
	// storyShare: two stories join when a pair between them reaches the
	// threshold and the mean over all their pairs reaches this share of
	// it (average linkage). At 1 a story of six headlines rarely grows
	// past three; at 0 one look-alike pair chains two stories.
	storyShare = 0.8
	// minShared words (not names, not boilerplate) two items must share.
	minShared = 2
	// onePhraseShare scales the similarity of two items whose shared
	// words are one phrase.
	onePhraseShare = 0.6
	// unnamedShare scales the similarity of two items that share no
	// distinctive name.
	unnamedShare = 0.6
	// windowSeconds: items more than three days apart are not one story
	// ("Hello GPT-4o" in 2024 and a GPT-4o rollback in 2025).
	windowSeconds = 3 * 24 * 3600
	// maxKeys rarest terms and maxNameKeys rarest names of each item look
	// for candidates. A term in up to maxPosting items pairs them all; a
	// more common one only if it is a name, each item with its longReach
	// next ones, up to maxLong items. Together they keep the work
	// near-linear: never all pairs.
	maxKeys     = 6
	maxPosting  = 48
	longReach   = 8
	maxNameKeys = 3
	maxLong     = 400 // no story has more reports in a window; a term in more items is a common word
	// maxCompare members of each side are compared when two stories meet,
	// so a huge story costs a constant.
	maxCompare = 24
	// paperSalt keeps paper-name postings apart from term postings.
	paperSalt = 0x70617065_00000000
	// nameCommon: a name in more items than this is not distinctive.
	nameCommon = 12
	// rareWordItems: a headline word in at most this many items, the
	// batch's and the background table's together, is as distinctive as
	// a name (rareWord).
	rareWordItems = 6
)

// clusterCued groups the items into stories, lead first; given the
// digest's cues, it also puts each story's chosen lead first (chooseLead)
// and keeps its cue features for ranking (story.feat). The features are read while grouping has each
// headline at hand: read again later, a week's headlines are out of
// cache, and that cost about 2.5 times the reading itself. The stories
// and their item lists lie in the scratch memory m; since is the
// window's start (story.age). m.flat may be items' own array (buildIn
// hands the window over): items is not read once the docs are made.
func clusterCued(m *scratch, items []*news.Item, c *cues, since time.Time) []story {
	return newGrouperIn(m, items, GroupOptions{}, c).storiesCued(c, since)
}

// storiesCued is clusterCued once the docs are made: the grouping and
// the stories.
func (g *grouper) storiesCued(c *cues, since time.Time) []story {
	m := g.m
	g.joinHard()
	g.link(g.candidates())
	idx, bounds := g.storyDocs()
	flat := sized(m.flat, len(idx))
	m.flat = flat
	for k, i := range idx {
		flat[k] = g.docs[i].it
	}
	stories := storiesOver(&m.feats, len(bounds)-1)
	m.stories = stories
	fs := m.fs[:0]
	defer func() { m.fs = fs }()
	for k := range stories {
		a, b := bounds[k], bounds[k+1]
		s := &stories[k]
		aside := s.init(flat[a:b:b], a, since)
		switch {
		case c == nil:
		case b-a == 1:
			s.feat, s.hasFeat = g.docs[idx[a]].feat, true
		default:
			fs = fs[:0]
			for _, i := range idx[a:b] {
				fs = append(fs, g.docs[i].feat.unpack())
			}
			s.leadFirst(flat, c, fs)
		}
		// The lead's choice reordered the items: keep aside what show
		// would read differently now.
		if b-a == 1 || aside.earliest == earliestOf(s.its(flat)) {
			aside.earliest = nil
		}
		if aside.pickedBy != nil || aside.earliest != nil {
			if m.aside == nil {
				m.aside = map[int32]storyAside{}
			}
			m.aside[s.at] = aside
		}
	}
	return stories
}

// GroupOptions tune Group; the zero value is what the digest uses.
type GroupOptions struct {
	// Threshold overrides DefaultThreshold (0 = the default); for
	// measuring, not for everyday use.
	Threshold float64
	// bg replaces the shipped background table (tests and measurement);
	// bgScale weighs its counts (0: backgroundScale).
	bg      *bgTable
	bgScale float64
}

// Group splits items into stories, each lead first (see leadBefore).
// It is the digest's own grouping, exported so `triagebot cluster` can
// measure exactly what the digest does.
//
// How: every item becomes a TF-IDF vector of its headline, the start of
// its summary, its link's slug and its names (IDF from the batch plus a
// background table of real feed items, background.go).
// Candidates come only from items sharing one of their rarest headline
// terms or names (blocking), so the work stays near-linear. Candidate pairs are taken best first, and two
// stories join only when the mean similarity over all their items'
// pairs reaches storyShare × the threshold (average linkage): a story is
// not a chain of look-alike headlines. The same arXiv id, or one item
// linking the other, joins outright. A story spans at most three days;
// two papers join only by arXiv id; a paper joins coverage that names it
// in the headline only when its name is distinctive ("ChartLens:", not
// "Atlas:"); an English and a Chinese item join only when they share two
// distinctive names, company names never counting.
func Group(items []*news.Item, o GroupOptions) [][]*news.Item {
	g := newGrouper(items, o, nil)
	g.joinHard()
	g.link(g.candidates())
	return g.groups()
}

type grouper struct {
	m         *scratch // the memory grouping reuses
	docs      []doc
	cites     []cite   // arXiv ids in the links and summaries of items that are no papers
	linkers   []linker // items whose summaries link pages
	threshold float64
	// rareIDF: a word with at least this IDF is in at most rareWordItems
	// items, the batch's and the background table's together (rareWord).
	rareIDF float32
	voc     *vocab // every term, name and (salted) name key, with its item count
	sp      *spread
	uf      *unionFind
}

type edge struct {
	a, b int32
	sim  float32
}

// newGrouper reads the items; with cues non-nil it keeps each item's cue
// features too (doc.feat).
func newGrouper(items []*news.Item, o GroupOptions, c *cues) *grouper {
	return newGrouperIn(&scratch{}, items, o, c)
}

// newGrouperIn is newGrouper in the scratch memory m.
func newGrouperIn(m *scratch, items []*news.Item, o GroupOptions, c *cues) *grouper {
	m.docs = sized(m.docs, len(items)) // makeDoc sets every field
	g := &grouper{m: m, docs: m.docs, threshold: o.Threshold}
	if g.threshold <= 0 {
		g.threshold = DefaultThreshold
	}
	// Sized for the batch: a week of a hundred thousand items has some
	// sixty thousand terms (names, mostly), and growing a table step by
	// step copies it each time.
	hint := max(1<<12, len(items)/2)
	m.voc.reset(hint)
	b := &m.db
	b.reset(&m.voc, hint, c, &m.feats, &m.names)
	m.feats.reserve(storyFeats*len(items) + 1) // the stories' later (storiesOver, boundsOver)
	texts := 0
	for i, it := range items {
		b.doc = int32(i)
		b.makeDoc(&g.docs[i], it)
		if !g.docs[i].paper {
			texts++
		}
	}
	g.voc, g.cites, g.linkers = b.voc, b.cites, b.linkers
	g.dropProductPlaces(b)
	bgdf, bgN := g.backgroundDF(o)
	// The items are read: the builder's marks by term (at) are done with
	// until the next batch's reset clears them, and the IDF, a float32 a
	// term, takes their array rather than fresh pages.
	idf, _ := over[float32](b.at, len(g.voc.df))
	m.idf = weigh(g.docs, g.voc.df, texts, bgdf, bgN, idf)
	// As weigh takes IDF; a quarter of an item of slack for rounding.
	g.rareIDF = float32(math.Log((float64(texts+priorDocs) + bgN) / (rareWordItems + 0.75)))
	m.uf.reset(len(items))
	g.uf = &m.uf
	return g
}

// joinHard joins what needs no similarity: one arXiv id (a paper, its
// versions and cross-lists, and items citing it) and an item whose
// summary links another item's page.
func (g *grouper) joinHard() {
	papers := 0
	for i := range g.docs {
		if g.docs[i].arxivAt != arxivNone {
			papers++
		}
	}
	if papers > 0 {
		// The ids go in the forms table's array, dead once newGrouperIn
		// has returned (dropProductPlaces, its last reader, runs there;
		// the next build resets it) and of about the size needed
		// (tableSize: a slot per two items, the ids at most one per
		// item): a map of a week's tens of thousands of ids was 1.7 MB
		// more of fresh pages per build. A slot holds the first item with
		// the id; same hash, other id goes on probing, so ids are compared
		// as strings, as a map would.
		t := &g.m.db.forms
		t.reset(papers)
		for i := range g.docs {
			if id := g.docs[i].arxiv(); id != "" {
				if p, key, j := g.arxivSlot(t, id); j >= 0 {
					g.uf.union(i, int(j))
				} else {
					t.slots[p] = newSlot(key, int32(i))
				}
			}
		}
		for _, c := range g.cites {
			if _, _, j := g.arxivSlot(t, c.id); j >= 0 {
				g.uf.union(int(c.doc), int(j))
			}
		}
	}
	linkers := g.linkers
	if len(linkers) == 0 {
		return
	}
	byURL := g.m.byURL
	if byURL == nil {
		byURL = map[string]int{}
		g.m.byURL = byURL
	}
	clear(byURL)
	for i := range g.docs {
		if u := normURL(g.docs[i].it.URL); u != "" {
			byURL[u] = i
		}
	}
	for _, l := range linkers {
		for _, u := range l.links {
			if j, ok := byURL[u]; ok && j != int(l.doc) {
				g.uf.union(int(l.doc), j)
			}
		}
	}
}

// arxivSlot finds arXiv id's slot in t (joinHard), as table.slot finds
// a key's: the item that holds the id (j), or the empty slot p where the
// id belongs, under its hash key (j = -1). t has room: at most half full.
func (g *grouper) arxivSlot(t *table, id string) (p, key uint64, j int32) {
	key = text.FNV1a(id)
	if key == 0 {
		key = 1 // 0 marks an empty slot
	}
	mask := uint64(len(t.slots) - 1)
	for p = (key * 0x9e3779b97f4a7c15) >> 20 & mask; ; p = (p + 1) & mask {
		s := &t.slots[p]
		k := s.key()
		if k == 0 {
			return p, key, -1
		}
		if k == key && g.docs[s.val].arxiv() == id {
			return p, key, s.val
		}
	}
}

// sim is how alike item x, whose vector sp holds, is to item y, 0–1,
// under the rules that keep different stories apart.
//
// floor > 0 lets a caller that only wants pairs at or above it skip the
// rules' work for pairs whose cosine is already below.
func (g *grouper) sim(sp *spread, x, y int, floor float64) float64 {
	a, b := &g.docs[x], &g.docs[y]
	if s, done := gate(a, b); done {
		return s
	}
	var at [16][2]uint8
	cos, shared, n := sp.cosine(b.vec(), &at)
	if a.han == b.han && cos < floor {
		// Below the floor already, and every rule only lowers it: no
		// need to count the adjacent words.
		return 0
	}
	return g.rules(a, b, cos, shared, countAdjacent(at[:n]))
}

// gate decides the pairs that need no text similarity: too far apart in
// time, or a paper (done reports whether it decided).
func gate(a, b *doc) (s float64, done bool) {
	if a.unix != 0 && b.unix != 0 && (a.unix-b.unix > windowSeconds || b.unix-a.unix > windowSeconds) {
		return 0, true
	}
	if a.paper || b.paper {
		if a.paper && b.paper {
			return 0, true // two results, whatever they share (one arXiv id joined already)
		}
		p, n := a, b
		if b.paper {
			p, n = b, a
		}
		if name := p.paperName(); name != "" && containsWord(n.it.Title, name) {
			return 1, true
		}
		return 0, true
	}
	return 0, false
}

// rules turn two items' cosine, shared words and shared adjacent words
// into their similarity (sim has turned down a same-language pair below
// the floor).
func (g *grouper) rules(a, b *doc, cos float64, shared, adjacent int) float64 {
	if a.han != b.han {
		// Across languages the words differ; only names can bridge, and
		// one shared name ("GPT-5") is a topic, not a story. Nor is one
		// name of two words ("Donald Trump", "SK Hynix"): names counts
		// each word, crossNames the names.
		if sharedNames(a, b, g.voc.df, nameCommon) < 2 || crossNames(a, b, g.voc.df, nameCommon) < 2 {
			return 0
		}
		return max(cos, g.threshold)
	}
	if placesConflict(a, b, g.m.db.placeIDs) {
		// Each names a place the other never mentions ("West Nile virus
		// found in Pittsburgh" / "… cases surge in Harris County"): one
		// topic, two stories. Halving the similarity instead left more
		// false pairs on held-out halves at every threshold (README,
		// "Story grouping").
		return 0
	}
	if shared < minShared {
		// One shared word is a topic ("assistant"), not a story.
		return 0
	}
	named, release := sharedNamesRelease(a, b, g.voc.df, nameCommon)
	if shared-adjacent < minShared && !release {
		// One shared name is one thing however many words it has: "Elon
		// Musk" in two headlines is a person, not yet a story. A versioned
		// name in both headlines ("Vortex X7", "Zephyr 9") is the one
		// release or event the story is about: measured on held-out
		// halves, lifting the rule for it gained recall and precision
		// (README, "Story grouping").
		cos *= onePhraseShare
	}
	if named == 0 && otherCompanies(a, b) {
		// Each names a company the other does not, and nothing else is
		// shared by name: two companies' news on one topic.
		return 0
	}
	if named == 0 && !g.rareWord(a, b) {
		// Two reports of one story name the same someone or something;
		// "a new AI assistant for doctors" and "… for lawyers" do not.
		return cos * unnamedShare
	}
	return cos
}

// containsWord reports whether name occurs in s as a whole word, with
// its own capitals: "ProFit" is not "Profit".
func containsWord(s, name string) bool {
	for off := 0; ; {
		i := strings.Index(s[off:], name)
		if i < 0 {
			return false
		}
		i += off
		before, _ := utf8.DecodeLastRuneInString(s[:i])
		after, _ := utf8.DecodeRuneInString(s[i+len(name):])
		if !isWordRune(before) && !isWordRune(after) {
			return true
		}
		off = i + 1
	}
}

// isWordRune reports whether r goes on a word around a name
// (containsWord). A Chinese character, Hangul or kana does not: names
// ends a name there ("OpenAI는").
func isWordRune(r rune) bool {
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r)) && !isCJK(r)
}

// otherCompanies reports whether both headlines name companies or their
// products (isCompany) and no company in common: "Google adds
// watermarks to Gemini images" and "Meta rolls out watermarks across
// Llama apps" share a rare word and are two stories; "ChatGPT images
// get watermarks" is OpenAI's (companyOf). names skips a headline's
// first word, so the headline is read here, first word included.
func otherCompanies(a, b *doc) bool {
	var ca, cb [4]string
	na, oka := headCompanies(a.it.Title, &ca)
	nb, okb := headCompanies(b.it.Title, &cb)
	if na == 0 || nb == 0 || !oka || !okb {
		// A headline naming more companies than it keeps may share the
		// one it did not keep ("Amazon, Google, Meta, Microsoft and
		// OpenAI sign …" and "OpenAI signs …"): no call.
		return false
	}
	for _, x := range ca[:na] {
		for _, y := range cb[:nb] {
			if x == y {
				return false
			}
		}
	}
	return !sharesCapWord(a.it.Title, b.it.Title)
}

// sharesCapWord reports whether two headlines share a capitalized word
// other than a company's, a stopword or boilerplate, first words
// included: names skips a headline's first word and does not count a
// name in many items (sharedNames), so a big story's reports can share
// its name and still have no name in common there ("Sora 2 app hits No.
// 1, beating Google's Gemini" / "OpenAI's Sora 2 app hits No. 1").
func sharesCapWord(a, b string) bool {
	for w := range strings.FieldsFuncSeq(a, notNameRune) {
		if !capWord(w) {
			continue
		}
		for v := range strings.FieldsFuncSeq(b, notNameRune) {
			if strings.EqualFold(w, v) && capWord(v) {
				return true
			}
		}
	}
	return false
}

// capWord reports whether a headline's word (notNameRune) is capitalized
// and may name something: not a company (headCompanies reads those), a
// stopword ("The", "For") or boilerplate (weakWord).
func capWord(w string) bool {
	if c := w[0]; c < 'A' || c > 'Z' || len(w) < 2 || weakWord(w) || isCompanyWord(w) {
		return false
	}
	return !isStopword(strings.ToLower(w))
}

// headCompanies puts the companies a headline names (isCompany, by
// companyOf) in out and returns how many; ok is false when it names more
// than out holds (out then holds the first ones).
func headCompanies(title string, out *[4]string) (n int, ok bool) {
	for w := range strings.FieldsFuncSeq(title, notNameRune) {
		if !capitalized(w) {
			continue
		}
		key := strings.ToLower(w) // ASCII (notNameRune); a rare path: pairs about to join
		if !isCompany(key) || isOutlet(key) || key == "face" {
			// "Face" alone is Face ID or a face; "Hugging" names
			// Hugging Face.
			continue
		}
		key = companyOf(key)
		if slices.Contains(out[:n], key) {
			continue
		}
		if n == len(out) {
			return n, false
		}
		out[n] = key
		n++
	}
	if !isASCII(title) {
		return hanHeadCompanies(title, out, n)
	}
	return n, true
}

// capitalized reports whether a headline's word (notNameRune) is written
// as a name: a capital first ("Google"), or a lowercase letter and then
// a capital ("xAI", "iPhone", "iOS").
func capitalized(w string) bool {
	if c := w[0]; 'A' <= c && c <= 'Z' {
		return true
	}
	if c := w[0]; c < 'a' || c > 'z' {
		return false
	}
	for i := 1; i < len(w); i++ {
		if c := w[i]; 'A' <= c && c <= 'Z' {
			return true
		}
	}
	return false
}

// notNameRune splits a headline into the words headCompanies reads:
// "Google's" is "Google" and "s", "GPT-5" is GPT's, and a compound
// names each of its companies ("Microsoft-OpenAI deal").
func notNameRune(r rune) bool {
	return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
}

// isOutlet reports whether a company (isCompany) is a publisher, which a
// headline credits rather than reports on ("… - Reuters", "…, Bloomberg
// reports"): two outlets' copies of one story name no company of it.
func isOutlet(k string) bool {
	switch k {
	case "reuters", "bloomberg", "cnn", "bbc", "arxiv":
		return true
	}
	return false
}

// companyOf maps a product family to the company behind it, so that a
// report naming the product and one naming the company name one company.
func companyOf(k string) string {
	switch k {
	case "chatgpt", "gpt":
		return "openai"
	case "claude":
		return "anthropic"
	case "gemini", "deepmind", "youtube", "android", "pixel":
		return "google"
	case "llama", "facebook", "instagram", "whatsapp":
		return "meta"
	case "copilot", "windows", "github":
		return "microsoft"
	case "iphone", "ios":
		return "apple"
	case "aws":
		return "amazon"
	case "grok", "twitter":
		return "xai"
	case "qwen":
		return "alibaba"
	case "kimi":
		return "moonshot"
	case "tiktok":
		return "bytedance"
	case "galaxy":
		return "samsung"
	case "face":
		return "hugging"
	}
	return k
}

// rareWord reports whether two items of the same Latin-script language
// share a headline word that is about as rare as a name: in at most
// rareWordItems items, counting the background table's (a new virus's
// name written lowercase, a coined word). Such a word is what a name is
// to the rule it lifts: the one someone or something two reports name.
// Chinese text is character pairs, and a rare pair is often only two
// words side by side. A number is no such word ("1,800" jobs cut, a
// "$47M" round: two stories can share one), nor is a Hangul or kana
// letter, which terms reads as a term of its own: the word must begin
// with a letter. Nor is a hyphenated compound ("self-service",
// "sell-off"): common words, however rare the whole in tech news; on the
// captured feeds one joined two companies' customer stories (README,
// "Story grouping"). A word past ASCII is read whole ("résumé") and
// counts as its ASCII spelling would. All of these are vocab.isPlain.
func (g *grouper) rareWord(a, b *doc) bool {
	if a.han || b.han {
		return false
	}
	idf := g.m.idf
	for _, x := range a.vec() {
		if !x.key() || !x.word() || idf[x.id()] < g.rareIDF || !g.voc.isPlain(x.id()) {
			continue
		}
		for _, y := range b.vec() {
			if y.id() == x.id() {
				if y.key() && y.word() {
					return true
				}
				break
			}
		}
	}
	return false
}
