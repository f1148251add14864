package digest

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

const (
	// placeSkip lowercase words may stand between the preposition and
	// the place ("from several Pittsburgh neighborhoods").
	placeSkip = 1
	// maxPlaces capitalized words after a preposition make a place
	// ("Jasper National Park"); more only make a conflict less likely.
	maxPlaces = 3
)

// places finds the words of a headline that stand where a place does:
// names (ns, the headline's) right after "in", "at" or "from",
// after "the" and at most placeSkip lowercase words ("in Harris County",
// "from several Pittsburgh neighborhoods"), less words that only say
// what kind of place it is ("County", isPlaceKind). It puts their term
// ids in out and returns how many, as readTerms read them (the forms table holds every headline word by
// now), so another item mentioning the place anywhere — a lowercase
// slug word, a capitalized first word — shares it. Company names are no
// place ("from OpenAI" is a source), nor is a product, an event or a
// funding round: words in mixed case or with digits, or followed by a
// version, a letter or a company ("in LangSmith", "in Xcode 26", "at
// Build 2025", "in Series F", "in Vertex AI"). A Title Case headline has none: it
// capitalizes every word after a preposition ("Surge In Polls From Her
// First Week").
func (b *docBuilder) places(title string, ns []name, out *[maxPlaces]int32) uint8 {
	n := uint8(0)
	prep, skipped, taken := false, 0, 0
	// start is n where the words after the last preposition began, and
	// named whether the last word read was one of them: a version right
	// after ("Xcode 26", "Build 2025", "Series F") makes them a product,
	// an event or a funding round, no place, and they are taken back.
	start, named := uint8(0), false
	lower := false // a lowercase word of four letters or more: no Title Case
	for i := 0; i < len(title); {
		c := title[i]
		word, upper := isWordByte(c), c >= 'A' && c <= 'Z'
		if c >= utf8.RuneSelf {
			if r, _ := utf8.DecodeRuneInString(title[i:]); isWordLetter(r) {
				word, upper = true, unicode.IsUpper(r) // "in Österreich", as terms reads it
			}
		}
		if !word {
			switch {
			case c == '\'' && i+1 < len(title) && title[i+1] == 's':
				i += 2 // "Canada's Jasper National Park"
				continue
			case c >= utf8.RuneSelf && len(title) > i+3 && title[i:i+3] == "’" && title[i+3] == 's':
				i += 4
				continue
			case c == ' ' || c == '\t':
			default:
				prep, named = false, false // a place does not run across punctuation
			}
			i++
			continue
		}
		if upper && prep {
			// Only a capitalized word after a preposition needs its hash
			// (the forms lookup below); the rest are only read.
			j, h := scanWord(title, i)
			w := title[i:j]
			i = j
			if isPlacePrep(w) {
				prep, skipped, taken, start, named = true, 0, 0, n, false
				continue
			}
			if taken > 0 && (len(w) == 1 && (i == len(title) || title[i] != '.') || productLike(w) || isOrgWord(w)) {
				// "in Vertex AI", "at TechCrunch Disrupt", "in Series F"
				// (not an initial: "in Flathead County E. coli
				// outbreak"): the words so far name a product, an event
				// or a round.
				n, prep, named = start, false, false
				continue
			}
			before := taken
			n, prep, taken = b.place(w, h, ns, out, n, taken)
			named = taken > before
			continue
		}
		if named && c >= '0' && c <= '9' {
			n = start // "in Xcode 26", "at Build 2025": a version, no place
		}
		named = false
		j := wordSpan(title, i)
		w := title[i:j]
		i = j
		if w[0] >= 'a' && w[0] <= 'z' && len(w) >= 4 || w[0] >= utf8.RuneSelf && !upper && utf8.RuneCountInString(w) >= 4 {
			lower = true
		}
		if isPlacePrep(w) {
			prep, skipped, taken, start = true, 0, 0, n
			continue
		}
		if !prep || isArticle(w) && taken == 0 {
			continue
		}
		skipped++ // a lowercase word or a number
		prep = taken == 0 && skipped <= placeSkip
	}
	if !lower {
		return 0
	}
	return n
}

// place takes the capitalized word w (hash h, as scanWord reads it)
// after a preposition as part of a place if it is one of the headline's
// names (ns): its term id goes to out[n]. It returns the new count, whether
// the place may go on, and how many words it has taken.
func (b *docBuilder) place(w string, h uint64, ns []name, out *[maxPlaces]int32, n uint8, taken int) (uint8, bool, int) {
	if isArticle(w) && taken == 0 {
		return n, true, taken
	}
	k := nameIndex(ns, w)
	if k < 0 || ns[k].org || productLike(w) {
		return n, false, taken
	}
	p, key := b.forms.slot(h)
	if v := b.forms.slots[p].val; b.forms.slots[p].key() == key && v >= 0 && n < maxPlaces && !isPlaceKind(w) {
		out[n] = v >> 1
		n++
	}
	taken++
	return n, taken < maxPlaces, taken
}

// productLike reports whether w is written as a product's name: with
// digits or in mixed case ("GPT-5", "LangSmith", "TechCrunch"). Places
// are written as plain capitalized words, acronyms ("NYC") or plain
// words joined by hyphens ("Indo-Pacific", "Winston-Salem"); "now in
// LangSmith" is where a feature ships, and another outlet names another
// platform for the same launch.
func productLike(w string) bool {
	if kindOf(w, false) == nameVersioned {
		return true
	}
	inner, lower := false, false
	for i := 0; i < len(w); i++ {
		c := w[i]
		switch {
		case c == '-' || c == '.':
			if inner && lower {
				return true
			}
			inner, lower = false, false
			i++ // the part's first letter may be a capital
		case 'A' <= c && c <= 'Z':
			inner = inner || i > 0
		case 'a' <= c && c <= 'z':
			lower = true
		}
	}
	return inner && lower
}

// isOrgWord reports whether the capitalized word w is a company or
// product family (isOrg), as names keys it.
func isOrgWord(w string) bool {
	return lowerIs(w, isOrg)
}

// isCompanyWord reports whether the capitalized word w is a company
// (isCompany), as names keys it: "Amazon", not "CEO" or "US".
func isCompanyWord(w string) bool {
	return lowerIs(w, isCompany)
}

// lowerIs reports whether is holds for w lowercased, without a trailing
// "-" or ".".
func lowerIs(w string, is func(string) bool) bool {
	var buf [16]byte
	w = trimDashDot(w)
	if len(w) > len(buf) {
		return false
	}
	for i := 0; i < len(w); i++ {
		buf[i] = w[i]
		if 'A' <= w[i] && w[i] <= 'Z' {
			buf[i] += 'a' - 'A'
		}
	}
	return is(string(buf[:len(w)]))
}

func isPlacePrep(w string) bool {
	if len(w) < 2 || len(w) > 4 {
		return false
	}
	// Not "near": it is no stopword but a word that counts, and
	// readTerms notes only stopwords (formPrep).
	var buf [4]byte
	for i := 0; i < len(w); i++ {
		buf[i] = w[i] | 0x20
	}
	switch string(buf[:len(w)]) {
	case "in", "at", "from":
		return true
	}
	return false
}

// isPlaceKind: words that say what kind of place a name is, or where in
// a region: "Lubbock County" and "Wake County" share "County" and are
// two places; a place is known by its other words.
func isPlaceKind(w string) bool {
	var buf [13]byte
	if len(w) > len(buf) {
		return false
	}
	for i := 0; i < len(w); i++ {
		buf[i] = w[i] | 0x20
	}
	switch string(buf[:len(w)]) {
	case "county", "co", "city", "town", "village", "borough", "township", "parish", "state", "province", "region",
		"district", "metro", "area", "national", "park", "island", "islands", "lake", "river", "valley", "bay",
		"beach", "coast", "mountain", "mountains", "mount", "mt", "fort", "port", "saint", "st", "north", "south",
		"east", "west", "northern", "southern", "eastern", "western", "central", "upper", "lower", "greater",
		"new", "airport", "university", "school", "hospital", "stadium", "arena", "center", "centre", "square",
		"street", "road", "avenue", "station", "hall", "garden", "gardens", "international":
		return true
	}
	return false
}

func isArticle(w string) bool {
	return len(w) == 3 && w[0]|0x20 == 't' && w[1]|0x20 == 'h' && w[2]|0x20 == 'e'
}

// nameIndex finds the headline word w among the names, as names keys a
// single capitalized word: lowercased, without a trailing "-" or ".".
func nameIndex(ns []name, w string) int {
	w = trimDashDot(w)
	for i := 0; i < len(w); i++ {
		if w[i] >= utf8.RuneSelf {
			// A name past ASCII: its key is lowercased a rune at a
			// time (addName), which may change its length.
			w = strings.Map(foldRune, w)
			return slices.IndexFunc(ns, func(n name) bool { return n.key == w })
		}
	}
	for k := range ns {
		key := ns[k].key
		if len(key) != len(w) {
			continue
		}
		same := true
		for i := 0; i < len(w) && same; i++ {
			c := w[i]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			same = c == key[i]
		}
		if same {
			return k
		}
	}
	return -1
}

// placesConflict reports whether a and b each name a place in their
// headline that the other never mentions (places: the batch's list).
func placesConflict(a, b *doc, places []int32) bool {
	if a.nplace == 0 || b.nplace == 0 {
		return false
	}
	return !mentions(b, a.places(places)) && !mentions(a, b.places(places)) && !sameProduct(a, b) &&
		!spelledOut(a, b) && !spelledOut(b, a)
}

// spelledOut reports whether an acronym of a's headline ("IMO", "NYC")
// is spelled out in b's headline or summary ("International
// Mathematical Olympiad", "New York City"): one place or event, named
// two ways.
func spelledOut(a, b *doc) bool {
	return anyWord(a.it.Title, func(w string) bool {
		return isAcronym(w) && (initialsIn(b.it.Title, w) || initialsIn(b.it.Summary, w))
	})
}

// anyWord reports whether fn holds for one of the words of s (runs of
// word bytes), read left to right.
func anyWord(s string, fn func(w string) bool) bool {
	for i := 0; i < len(s); {
		if !isWordByte(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isWordByte(s[j]) {
			j++
		}
		w := s[i:j]
		i = j
		if fn(w) {
			return true
		}
	}
	return false
}

// isAcronym: two to six capital ASCII letters.
func isAcronym(w string) bool {
	if len(w) < 2 || len(w) > 6 {
		return false
	}
	for i := 0; i < len(w); i++ {
		if w[i] < 'A' || w[i] > 'Z' {
			return false
		}
	}
	return true
}

// initialsIn reports whether s has capitalized words, one after another
// with at most "of", "and", "the" or "for" between them, whose initials
// spell acr.
func initialsIn(s, acr string) bool {
	k := 0 // letters of acr matched so far
	for i := 0; i < len(s); {
		c := s[i]
		if !isWordByte(c) {
			if c != ' ' {
				k = 0 // a run of words does not cross punctuation
			}
			i++
			continue
		}
		j := i
		for j < len(s) && isWordByte(s[j]) {
			j++
		}
		w := s[i:j]
		i = j
		switch {
		case 'A' <= c && c <= 'Z':
			if c != acr[k] {
				k = 0
			}
			if c == acr[k] {
				k++
			}
			if k == len(acr) {
				return true
			}
		case k > 0 && (w == "of" || w == "and" || w == "the" || w == "for"):
		default:
			k = 0
		}
	}
	return false
}

// sameProduct reports whether a and b share the name of one product:
// a name with a version ("Gemini 3", "Sonnet 4.6") or in mixed case
// ("NLWeb"), no company. Reports of one launch name different places
// where it ships or was shown ("now in Windsurf", "… in Bedrock"; "at
// Build", "in Seattle"); reports of one outbreak in two counties share
// no product. An acronym ("CDC", "NFL") is an agency or a league that
// many places' stories share: it does not count.
func sameProduct(a, b *doc) bool {
	for _, x := range a.names() {
		if x.org {
			continue
		}
		for _, y := range b.names() {
			if x.id == y.id && (x.model || camelIn(a.it.Title, x.key) || camelIn(b.it.Title, x.key)) {
				return true
			}
		}
	}
	return false
}

// camelIn reports whether the headline s has the word key (lowercased,
// as names keys it) in mixed case with lowercase letters: "NLWeb",
// "DeepSeek", not "NASA".
func camelIn(s, key string) bool {
	return anyWord(s, func(w string) bool {
		if len(w) != len(key) || kindOf(w, false) != nameMixed {
			return false
		}
		same, lower := true, false
		for k := 0; k < len(w) && same; k++ {
			c := w[k]
			lower = lower || 'a' <= c && c <= 'z'
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			same = c == key[k]
		}
		return same && lower
	})
}

// mentions reports whether one of the terms ids is in d's vector.
func mentions(d *doc, ids []int32) bool {
	for _, f := range d.vec() {
		for _, id := range ids {
			if f.id() == id {
				return true
			}
		}
	}
	return false
}

// markProduct notes the word key (a name's key: one lowercased word)
// as written by the batch as a product's name (name.product). A country
// or a continent is never one: after a company it names the company's
// arm there ("Google India", "Microsoft Japan"), and a week of news
// writes such arms often enough that the country would stop being a
// place for the whole batch.
func (b *docBuilder) markProduct(key string) {
	if id, ok := b.productWordID(key); ok {
		b.products = append(b.products, id)
	}
}

// productWordID is the term id readTerms gave the word w, if the batch
// has it and it may name a product or a publisher: not a country or a
// continent (isRegion), whatever its case.
func (b *docBuilder) productWordID(w string) (int32, bool) {
	if w == "" || strings.ContainsAny(w, " \t") {
		return 0, false
	}
	var buf [wordBytes]byte
	n := lowerWord(&buf, w)
	if isRegion(string(buf[:n])) {
		return 0, false
	}
	p, key := b.forms.slot(wordHash(buf[:n]))
	if s := &b.forms.slots[p]; s.key() == key && s.val >= 0 {
		return s.val >> 1, true
	}
	return 0, false
}

// dropProductPlaces takes back the places that name a product or a
// company: a word the batch writes as a product's name ("Windsurf 2",
// "Amazon Bedrock": name.product), or the item's own publisher (its
// site, "windsurf.com", or its source's one-word name). "Now available
// in Windsurf" on Windsurf's blog and "… in Bedrock" are where one
// launch ships, not two towns. A place written with a year ("Paris
// 2024") or named by an outlet's longer name ("Pittsburgh
// Post-Gazette") stays a place.
func (g *grouper) dropProductPlaces(b *docBuilder) {
	products := b.products
	slices.Sort(products)
	for i := range g.docs {
		d := &g.docs[i]
		if d.nplace == 0 {
			continue
		}
		own := [2]int32{-1, -1}
		if s := site(d.it.URL); s != "" {
			label, _, _ := strings.Cut(s, ".")
			if id, ok := b.productWordID(label); ok {
				own[0] = id
			}
		}
		if id, ok := b.productWordID(d.it.Source); ok {
			own[1] = id
		}
		n := uint8(0)
		pl := d.places(b.placeIDs)
		for _, id := range pl {
			if _, found := slices.BinarySearch(products, id); found || id == own[0] || id == own[1] {
				continue
			}
			pl[n] = id
			n++
		}
		d.nplace = n
	}
}

// isRegion reports whether the lowercased word w is a country or a
// continent that companies name their arms after ("Google India",
// "Microsoft Japan", "Amazon Europe"): a place, whatever the batch
// writes before it (markProduct).
func isRegion(w string) bool {
	switch w {
	case "africa", "america", "argentina", "asia", "australia", "austria", "bangladesh", "belgium", "brazil",
		"britain", "canada", "chile", "china", "colombia", "denmark", "egypt", "europe", "finland", "france",
		"germany", "greece", "india", "indonesia", "ireland", "israel", "italy", "japan", "kenya", "korea",
		"malaysia", "mexico", "netherlands", "nigeria", "norway", "pakistan", "peru", "philippines", "poland",
		"portugal", "russia", "singapore", "spain", "sweden", "switzerland", "taiwan", "thailand", "turkey",
		"ukraine", "vietnam":
		return true
	}
	return false
}
