package digest

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/triagebot/triagebot/internal/text"
	"github.com/triagebot/triagebot/news"
)

// Factor is one part of a story's score, as the JSON explains it.
type Factor struct {
	Name   string  `json:"name"`
	Points float64 `json:"points"`
}

// Ranking weights. wCovered makes the first rule hold whatever the rest
// adds up to: a story three or more outlets covered gets more than the
// most a single-source story can collect from every other factor together
// (launch 2.5 + history 2.5 + interests 2.25 + feed weight ≤ 3.5 +
// confidence 0.5 + recency 0.3 < 12), unless the hosts picked it (as
// much again) or tagged it (a tag lifts a story that has other boosts
// past the line; a tag alone, often a correction, does not).
const (
	wCovered    = 12.0 // three or more distinct outlets
	wTwoSources = 4.0  // two outlets
	wPicked     = 12.0 // picked by a host for the episode
	wTagged     = 3.0  // labelled by a host: they paid attention, but a tag also corrects junk
	wPrimary    = 2.5  // the lab's or company's own release announcement
	wLaunch     = 1.0  // a report of a release
	wHistory    = 2.5  // most, for a story like one the hosts picked before
	wInterest   = 0.75 // per interest keyword, at most three
	wConfidence = 0.5
	wRecency    = 0.3
	wLonePaper  = -1.2 // a paper nobody covered
	wNoise      = -3.0 // tutorials, customer stories, events, jobs, newsletters, podcasts
)

// factor ids, in the order the JSON lists them.
const (
	fCoverage = iota
	fHosts
	fPrimary
	fLaunch
	fHistory
	fInterests
	fFeedWeight
	fConfidence
	fRecency
	fLonePaper
	fNoise
	nFactors
)

var factorNames = [nFactors]string{"coverage", "hosts", "primary_launch", "launch", "history", "interests",
	"feed_weight", "confidence", "recency", "lone_paper", "noise"}

// scorer holds what ranking needs besides the story.
type scorer struct {
	flat      []*news.Item // the stories' items (story.its)
	hist      *histIndex   // nil without history
	interests []string
	span      float64
	o         Options
	cues      *cues
}

// rank scores every story. The parts, in order of weight: coverage by
// distinct outlets, the hosts' picks and tags, a primary source announcing
// a release, similarity to what the hosts picked or tagged before,
// interest keywords, feed weight, classifier confidence and recency; minus
// a lone arXiv paper (so hundreds of uncovered papers cannot drown a
// research section) and noise (tutorials, customer stories, event
// promotions, job posts, newsletter issues, podcast episodes). The factors
// are kept only for the stories shown (explain), since a week can hold a
// hundred thousand.
func rank(stories []story, flat []*news.Item, history []news.Item, o Options, c *cues) *scorer {
	sc := &scorer{flat: flat, o: o, span: o.Until.Sub(o.Since).Seconds(), cues: c}
	sc.hist = newHistIndex(history)
	for _, k := range o.Interests {
		if k = strings.ToLower(strings.TrimSpace(k)); k != "" {
			sc.interests = append(sc.interests, k)
		}
	}
	for i := range stories {
		s := &stories[i]
		p := sc.parts(s)
		score := 0.0
		for _, x := range p {
			score += x
		}
		s.score = math.Round(score*1000) / 1000
	}
	return sc
}

// explain fills the factors of st, the shown story of s; they add up to
// its score.
func (sc *scorer) explain(st *Story, s *story) {
	p := sc.parts(s)
	st.Factors = make([]Factor, 0, 6)
	for k, x := range p {
		if x == 0 {
			continue
		}
		name := factorNames[k]
		if k == fNoise {
			name = s.noise.String()
		}
		st.Factors = append(st.Factors, Factor{Name: name, Points: x})
	}
}

func (sc *scorer) parts(s *story) (p [nFactors]float64) {
	outlets := int(s.outlets)
	switch {
	case outlets >= 3:
		p[fCoverage] = wCovered + 1.5*math.Log2(float64(outlets)/3)
	case outlets == 2:
		p[fCoverage] = wTwoSources
	}
	switch {
	case s.picked:
		p[fHosts] = wPicked
	case s.tagged:
		p[fHosts] = wTagged
	}
	its := s.its(sc.flat)
	weight, papers := 1.0, int(s.papers) // a feed not in FeedWeights weighs 1
	launch, primary := false, false
	var lead itemFeatures
	// With no feed weights and the cues read while grouping, the items
	// need not be read again: they are out of cache by now.
	if len(sc.o.FeedWeights) > 0 || !s.hasFeat {
		weight = 0
		for k, it := range its {
			w, ok := sc.o.FeedWeights[it.Feed]
			if !ok || w <= 0 {
				w = 1
			}
			weight = max(weight, w)
			if it.SourceKind == news.KindPaper || s.hasFeat {
				continue // a paper has no cues; chooseLead read the others'
			}
			f := sc.cues.features(it)
			if k == 0 {
				lead = f
			}
			launch, primary = launch || f.launch, primary || f.primary
		}
	}
	if s.hasFeat {
		lead = s.feat.unpack()
		launch, primary = lead.launch, lead.primary
	}
	switch {
	case lead.noise != notNoise:
		// "Meet the winners of our hackathon" is no launch.
	case primary:
		p[fPrimary] = wPrimary
	case launch:
		p[fLaunch] = wLaunch
	}
	if sc.hist != nil {
		p[fHistory] = min(3*sc.hist.best(its[0].Title, its[0].Summary), wHistory)
	}
	if len(sc.interests) > 0 {
		hits := 0
		text := strings.ToLower(its[0].Title + " " + its[0].Summary)
		for _, k := range sc.interests {
			if strings.Contains(text, k) {
				hits++
			}
		}
		p[fInterests] = wInterest * float64(min(hits, 3))
	}
	p[fFeedWeight] = 1 // math.Log2(1 + 1), exactly: most feeds weigh 1
	if weight != 1 {
		p[fFeedWeight] = math.Log2(1 + weight)
	}
	p[fConfidence] = wConfidence * s.confidence
	if sc.span > 0 {
		p[fRecency] = wRecency * math.Max(0, math.Min(1, s.age/sc.span))
	}
	if papers == len(its) && outlets == 1 {
		p[fLonePaper] = wLonePaper
	}
	if lead.noise != notNoise && !(primary && lead.noise == noiseCustomer) {
		s.noise = lead.noise
		p[fNoise] = wNoise
	}
	for k := range p {
		if p[k] != 0 { // most factors are 0, which rounds to itself
			p[k] = math.Round(p[k]*1000) / 1000
		}
	}
	return p
}

// histIndex finds, for a story's lead, the largest Jaccard similarity of
// its words to any item the hosts tagged or picked before. Every story of
// the window is scored, and the daemon passes up to 5,000 such items:
// comparing word sets pairwise cost 3.5 s for 10,000 stories and 500
// history items. An inverted index visits only the history items that
// share a word; the others' similarity is 0, which never raises the
// maximum, so the result is the pairwise one exactly. A word most history
// items have ("the", "AI") would still visit most of them for every
// story, so such a word keeps the list of items that lack it instead:
// it adds one to every item's count at once (base) and one is taken back
// from each item on its list.
type histIndex struct {
	size  []int32                // distinct words of each history item
	post  map[uint64]histPosting // word → the history items that have it (or lack it)
	seen  map[uint64]struct{}    // the lead's distinct words (reused)
	inter []int32                // shared words per history item, less base (reused, kept zero)
	small []int32                // the history items by size, smallest first
	lists [][]int32              // the lists the lead's words moved (reused)
}

// histPosting lists the history items that have a word or, if dense, lack it.
type histPosting struct {
	ids   []int32
	dense bool
}

// newHistIndex indexes the tagged or picked items of history, or returns
// nil if there are none with words.
func newHistIndex(history []news.Item) *histIndex {
	x := &histIndex{post: map[uint64]histPosting{}, seen: map[uint64]struct{}{}}
	for _, it := range history {
		if it.Tag == "" && !it.Picked {
			continue
		}
		clear(x.seen)
		words(it.Title+" "+it.Summary, func(h uint64) { x.seen[h] = struct{}{} })
		if len(x.seen) == 0 {
			continue // similar to nothing
		}
		id := int32(len(x.size))
		x.size = append(x.size, int32(len(x.seen)))
		for h := range x.seen {
			p := x.post[h]
			p.ids = append(p.ids, id)
			x.post[h] = p
		}
	}
	if len(x.size) == 0 {
		return nil
	}
	n := len(x.size)
	x.inter = make([]int32, n)
	x.small = make([]int32, n)
	for i := range x.small {
		x.small[i] = int32(i)
	}
	slices.SortStableFunc(x.small, func(a, b int32) int { return cmp.Compare(x.size[a], x.size[b]) })
	for h, p := range x.post {
		if 2*len(p.ids) <= n {
			continue
		}
		// Dense: the items that lack the word, in order (ids are
		// ascending, as they were appended).
		lack := make([]int32, 0, n-len(p.ids))
		k := 0
		for i := range int32(n) {
			if k < len(p.ids) && p.ids[k] == i {
				k++
				continue
			}
			lack = append(lack, i)
		}
		x.post[h] = histPosting{ids: lack, dense: true}
	}
	return x
}

// best is the largest Jaccard similarity of the words of title and
// summary to a history item's. They are read one after the other, not
// joined: words split at the space joining would add, and a copy of every
// lead's text cost a fifth of this.
func (x *histIndex) best(title, summary string) float64 {
	clear(x.seen)
	x.lists = x.lists[:0]
	base, moved := int32(0), 0
	add := func(h uint64) {
		if _, ok := x.seen[h]; ok {
			return
		}
		x.seen[h] = struct{}{}
		p, ok := x.post[h]
		if !ok {
			return
		}
		d := int32(1)
		if p.dense {
			base, d = base+1, -1
		}
		// No branch per item here: whether an item was already
		// counted is as likely as not, and mispredicting it cost more
		// than the counting.
		for _, i := range p.ids {
			x.inter[i] += d
		}
		x.lists = append(x.lists, p.ids)
		moved += len(p.ids)
	}
	words(title, add)
	words(summary, add)
	// The largest inter / (n + size - inter), kept as a fraction bn / bd
	// and compared by cross-multiplying, which is exact: a division per
	// item cost more than all the rest. Division rounds monotonically,
	// so the float of the largest fraction is the largest of the floats.
	n := int64(len(x.seen))
	bn, bd := int64(0), int64(1)
	try := func(i int32) {
		inter := int64(base + x.inter[i])
		if den := n + int64(x.size[i]) - inter; inter*bd > bn*den {
			bn, bd = inter, den
		}
	}
	if moved >= len(x.inter) {
		// The lists touched more entries than there are items: read
		// every item once instead.
		for i := range x.inter {
			try(int32(i))
		}
		clear(x.inter)
		return float64(bn) / float64(bd)
	}
	for _, ids := range x.lists {
		for _, i := range ids {
			try(i)
		}
	}
	if base > 0 {
		// Every item the lists left alone shares exactly base words,
		// and of those the smallest is the most similar: the first such
		// item by size.
		for _, i := range x.small {
			if x.inter[i] == 0 {
				try(i)
				break
			}
		}
	}
	for _, ids := range x.lists {
		for _, i := range ids {
			x.inter[i] = 0
		}
	}
	return float64(bn) / float64(bd)
}

const maxLede = 280

// lede is one or two sentences of the lead item's own text, ending with
// an ellipsis when it was shortened. A summary that is only a label, a
// byline or the headline again is no text, and then there is no lede: the
// lede is unattributed, so another outlet's words under the lead's
// headline ("… now available in Windsurf" under "Introducing Claude
// Sonnet 4.6") would read as the lead's; they appear as talking points,
// with their source, instead.
func lede(its []*news.Item) string {
	if len(its) == 0 {
		return ""
	}
	body := text.OneLine(its[0].Summary)
	if isLabelOrByline(body) || strings.EqualFold(strings.TrimRight(body, ".!?。"), text.OneLine(its[0].Title)) {
		return ""
	}
	if body == "" {
		return ""
	}
	end, sentences := 0, 0
	for i, r := range body {
		if i >= maxLede {
			break
		}
		if r == '.' || r == '!' || r == '?' || r == '。' || r == '！' || r == '？' {
			next := i + utf8.RuneLen(r)
			if next >= len(body) || body[next] == ' ' || r >= 0x3000 {
				end, sentences = next, sentences+1
				if sentences == 2 {
					break
				}
			}
		}
	}
	// Whole sentences read better than a cut; a cut gets an ellipsis.
	if end > 0 && (sentences == 2 || end == len(body) || end > maxLede/3) {
		return strings.TrimSpace(body[:end])
	}
	return text.ClipWords(body, maxLede)
}

// isLabelOrByline tells a feed's category or author line put where the
// summary goes ("Applied Research", "Link post", "Gordon et al.", "Wang
// and Murfet") from a lede: a few words that make no sentence. Four words
// or fewer without a full stop, or a short line ending in "et al."; a
// line with eight Chinese characters or more is text.
func isLabelOrByline(s string) bool {
	han := 0
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			han++
		}
	}
	if han >= 8 {
		return false
	}
	words := strings.Fields(s)
	if len(words) <= 6 && strings.HasSuffix(s, " et al.") {
		return true
	}
	if han > 0 {
		return false
	}
	return len(s) > 0 && len(words) <= 4 && !strings.ContainsAny(s[len(s)-1:], ".!?")
}

// outletCount is how many independent outlets reported a story: feeds of
// one site are one outlet ("Windsurf Blog", "Windsurf Changelog" and
// "Windsurf Next Changelog" are windsurf.com talking to itself; arXiv's
// cs.CL and cs.LG listings are one arXiv), and one feed is one outlet
// whatever sites it links to (an aggregator). Two items are one outlet
// when they share a feed name or a site, transitively.
func outletCount(s *story, its []*news.Item) int {
	if s.nSources <= 1 || s.n > maxOutletItems {
		return int(s.nSources) // a huge story is covered either way; keep it cheap
	}
	var roots [maxOutletItems]int
	return outletRoots(its, roots[:s.n])
}

// maxOutletItems bounds the pairwise outlet grouping; a bigger story
// counts its feeds instead, for its score and its listed sources alike (a
// site's three feeds are one source at 64 items, three at 65). Intended:
// such a story has the top coverage score either way, and the grouping
// is quadratic in the items.
const maxOutletItems = 64

// outletRoots sets roots[i] to the index of the first item of item i's
// outlet (see outletCount) and returns how many outlets there are.
func outletRoots(items []*news.Item, roots []int) int {
	n := len(items)
	for i := range n {
		roots[i] = i
	}
	find := func(i int) int {
		for roots[i] != i {
			roots[i] = roots[roots[i]]
			i = roots[i]
		}
		return i
	}
	var sites [maxOutletItems]string
	for i, it := range items {
		sites[i] = site(it.URL)
	}
	groups := n
	for i := range n {
		for j := range i {
			same := sourceName(items[i]) == sourceName(items[j]) || (sites[i] != "" && sites[i] == sites[j])
			if a, b := find(i), find(j); same && a != b {
				// The earlier item is the root, so an outlet is named
				// by its first report (the lead's feed for the lead's outlet).
				if a < b {
					roots[b] = a
				} else {
					roots[a] = b
				}
				groups--
			}
		}
	}
	for i := range n {
		roots[i] = find(i)
	}
	return groups
}

// site is the registrable part of a link's host: red.anthropic.com and
// www.anthropic.com are anthropic.com; news.bbc.co.uk is bbc.co.uk. ""
// when the link has no host.
func site(u string) string {
	i := strings.Index(u, "://")
	if i < 0 {
		return ""
	}
	h := u[i+3:]
	if j := strings.IndexAny(h, "/?#"); j >= 0 {
		h = h[:j]
	}
	if j := strings.LastIndexByte(h, '@'); j >= 0 {
		h = h[j+1:]
	}
	if j := strings.LastIndexByte(h, ':'); j >= 0 && !strings.Contains(h[j:], "]") {
		h = h[:j]
	}
	h = strings.TrimSuffix(strings.ToLower(h), ".")
	// The last labels, found from the end: no split (a week's stories ask
	// for tens of thousands of sites).
	d1 := strings.LastIndexByte(h, '.') // before the last label
	if d1 < 0 {
		return h
	}
	d2 := strings.LastIndexByte(h[:d1], '.')
	if d2 < 0 {
		return h // two labels
	}
	if len(h)-d1-1 == 2 {
		switch h[d2+1 : d1] {
		case "co", "com", "org", "net", "ac", "gov", "edu", "ne", "or", "go":
			// bbc.co.uk, example.com.tw: three labels
			d3 := strings.LastIndexByte(h[:d2], '.')
			if d3 < 0 {
				return h
			}
			return h[d3+1:]
		}
	}
	return h[d2+1:]
}
