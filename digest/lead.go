package digest

import (
	"github.com/triagebot/triagebot/news"
)

// chooseLead puts first the item that should head the story, by substance
// rather than by who was first: the primary source's own announcement,
// else the most informative report. A "how to watch" piece, a tutorial or
// a newsletter leads only a story made of nothing else; an arXiv paper
// leads only when nobody wrote about it, since readers want the
// article's headline and the paper is listed as a source.
func chooseLead(s *Story, c *cues) {
	leadFirst(s.items, c, nil)
	lead := s.items[0]
	s.ID, s.Title, s.URL = lead.ID, lead.Title, lead.URL
}

// leadFirst is chooseLead on a story's items, with their features
// already read (fs[k] is its[k]'s), or read here when fs is nil. It
// returns the story's features: the lead's, with launch and primary
// from any item.
func leadFirst(its []*news.Item, c *cues, fs []itemFeatures) itemFeatures {
	// Few items per story: an insertion sort on a small stack array, no
	// allocation for the common case.
	type scored struct {
		it    *news.Item
		score float64
		f     itemFeatures
	}
	var small [8]scored
	xs := small[:0]
	if len(its) > len(small) {
		xs = make([]scored, 0, len(its))
	}
	better := func(a, b *scored) bool {
		switch {
		case a.score != b.score:
			return a.score > b.score
		case !a.it.Published.Equal(b.it.Published):
			return a.it.Published.Before(b.it.Published)
		}
		return a.it.ID < b.it.ID
	}
	var sum itemFeatures
	for k, it := range its {
		var f itemFeatures
		if fs != nil {
			f = fs[k]
		} else {
			f = c.features(it)
		}
		sum.launch, sum.primary = sum.launch || f.launch, sum.primary || f.primary
		x := scored{it, leadScore(it, f), f}
		xs = append(xs, x)
		for j := len(xs) - 1; j > 0 && better(&xs[j], &xs[j-1]); j-- {
			xs[j], xs[j-1] = xs[j-1], xs[j]
		}
	}
	for i := range xs {
		its[i] = xs[i].it
	}
	f := xs[0].f
	f.launch, f.primary = sum.launch, sum.primary
	return f
}

// leadScore: the weights are ordered so that being a paper or noise
// outweighs everything, a primary-source announcement outweighs text
// length, and text length only breaks ties between ordinary reports.
func leadScore(it *news.Item, f itemFeatures) float64 {
	score := 0.0
	if it.SourceKind == news.KindPaper {
		score -= 20
	}
	if f.noise != notNoise {
		score -= 10
	}
	if f.versionTitle {
		score -= 2 // "Windsurf Next 1.9544.1018" says less than the blog post's headline
	}
	switch {
	case f.own:
		score += 5
	case f.primary:
		score += 3
	case f.launch:
		score += 1
	}
	// Informative: a report with more to say, and with figures in it.
	// One pass over the start of the summary: enough to tell a line from
	// a paragraph.
	words, digits := countWords(it.Summary, 120)
	score += float64(words) / 120
	if digits {
		score += 0.3
	}
	return score
}

// OrderLeads puts each group's lead first by the digest's own choice (the
// chooseLead that Build runs after grouping), so `triagebot cluster` marks
// as "lead" the item the digest would show.
func OrderLeads(groups [][]*news.Item) {
	c := newCues()
	for _, g := range groups {
		if len(g) > 1 {
			s := Story{items: g}
			chooseLead(&s, c)
		}
	}
}

// countWords counts the words of s (runs of bytes other than space,
// newline and tab), stopping at the start of word max, and reports
// whether a digit occurs before it. Eight bytes at a time: it reads the
// summary of every item of a multi-report story.
func countWords(s string, max int) (words int, digits bool) {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	// zero has the high bit set in each zero byte of x, exactly.
	zero := func(x uint64) uint64 { return ^((x&^highs + ^uint64(highs)) | x | ^uint64(highs)) }
	var dig uint64
	prevSpace := uint64(1) // the start counts as after a space
	i := 0
	for ; i+8 <= len(s); i += 8 {
		x := load8(s[i : i+8])
		low := x &^ highs
		// A byte below 0x21 (high bit clear: low+0x5f does not reach
		// 0x80) is a space when no byte of the block is below 0x20, as
		// in most blocks of a summary: then it can only be ' ' itself.
		// Otherwise each of the three is tested: tab and newline are the
		// two bytes from 0x09 to 0x0a, one range test (as in asciiRun).
		var space uint64
		if ctl := ^(low + (0x80-0x20)*ones | x) & highs; ctl == 0 {
			space = ^(low + (0x80-0x21)*ones | x) & highs
		} else {
			space = zero(x^' '*ones) | (low+(0x80-'\t')*ones)&^(low+(0x80-'\n'-1)*ones)&^x&highs
		}
		starts := ^space & highs & (space<<8 | prevSpace<<7)
		// How many bytes start a word: their high bits moved to the
		// bytes' low bits and summed into the top byte by a multiply (at
		// most 8, no carry). bits.OnesCount64 is a call on CPUs without
		// POPCNT, whose check alone made the compiler spill the loop's
		// registers to the stack.
		n := int((starts >> 7) * ones >> 56)
		if words+n >= max {
			break // the word cap falls in these bytes: the loop below finds where
		}
		// A digit: a byte from '0' to '9' (high bit clear).
		dig |= (low + (0x80-'0')*ones) &^ (low + (0x80-'9'-1)*ones) &^ x & highs
		words += n
		prevSpace = space >> 63
	}
	for ; i < len(s) && words < max; i++ {
		c := s[i]
		space := c == ' ' || c == '\n' || c == '\t'
		if !space && prevSpace != 0 {
			words++
		}
		prevSpace = 0
		if space {
			prevSpace = 1
		}
		dig |= uint64(b2u(c >= '0' && c <= '9'))
	}
	return words, dig != 0
}

func b2u(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}
