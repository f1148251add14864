package digest

import (
	"math"
	"strings"
	"unicode/utf8"

	"github.com/triagebot/triagebot/news"
)

// rank scores every story. The parts, roughly in order of weight:
// coverage (distinct sources), the hosts' interest (similarity to what
// they picked or tagged before, interest keywords, a tag on the story),
// feed weight, classifier confidence and recency. A lone arXiv paper
// starts lower, so hundreds of uncovered papers cannot drown a research
// section: a paper with coverage, or one the hosts would care about, wins.
func rank(stories []Story, history []news.Item, o Options) {
	hist := make([]map[uint64]bool, 0, len(history))
	for _, it := range history {
		if it.Tag != "" || it.Picked {
			hist = append(hist, wordSet(it.Title+" "+it.Summary))
		}
	}
	interests := make([]string, 0, len(o.Interests))
	for _, k := range o.Interests {
		if k = strings.ToLower(strings.TrimSpace(k)); k != "" {
			interests = append(interests, k)
		}
	}
	span := o.Until.Sub(o.Since).Seconds()
	for i := range stories {
		s := &stories[i]
		score := 1.5 * math.Log2(1+float64(s.nSources))
		weight, papers := 0.0, 0
		for _, it := range s.items {
			w, ok := o.FeedWeights[it.Feed]
			if !ok || w <= 0 {
				w = 1
			}
			weight = max(weight, w)
			if it.SourceKind == news.KindPaper {
				papers++
			}
		}
		score += 0.8 * weight
		score += 0.5 * s.Confidence
		if span > 0 {
			score += 0.3 * math.Max(0, math.Min(1, s.Published.Sub(o.Since).Seconds()/span))
		}
		if s.Tagged {
			score += 0.5
		}
		if len(hist) > 0 {
			ws := wordSet(s.Title + " " + s.items[0].Summary)
			best := 0.0
			for _, h := range hist {
				best = max(best, jaccard(ws, h))
			}
			score += 3 * best
		}
		hits := 0
		if len(interests) > 0 {
			text := strings.ToLower(s.Title + " " + s.items[0].Summary)
			for _, k := range interests {
				if strings.Contains(text, k) {
					hits++
				}
			}
		}
		score += 0.75 * float64(min(hits, 3))
		if papers == len(s.items) && s.nSources == 1 {
			score -= 1.2 // a paper nobody covered
		}
		s.Score = math.Round(score*1000) / 1000
	}
}

func wordSet(s string) map[uint64]bool {
	m := map[uint64]bool{}
	words(s, func(h uint64) { m[h] = true })
	return m
}

func jaccard(a, b map[uint64]bool) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	inter := 0
	for h := range a {
		if b[h] {
			inter++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}

const maxLede = 280

// lede is one or two sentences of the lead item's text (or the first item
// that has text), ending with an ellipsis when it was shortened.
func lede(its []*news.Item) string {
	text := ""
	for _, it := range its {
		if t := oneLine(it.Summary); t != "" {
			text = t
			break
		}
	}
	if text == "" {
		return ""
	}
	end, sentences := 0, 0
	for i, r := range text {
		if i >= maxLede {
			break
		}
		if r == '.' || r == '!' || r == '?' || r == '。' || r == '！' || r == '？' {
			next := i + utf8.RuneLen(r)
			if next >= len(text) || text[next] == ' ' || r >= 0x3000 {
				end, sentences = next, sentences+1
				if sentences == 2 {
					break
				}
			}
		}
	}
	// Whole sentences read better than a cut; a cut gets an ellipsis.
	if end > 0 && (sentences == 2 || end == len(text) || end > maxLede/3) {
		return strings.TrimSpace(text[:end])
	}
	return clip(text, maxLede)
}

// clip shortens s to at most n runes at a word boundary when one is near,
// ending with an ellipsis; s unchanged when it fits.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n-1]
	cut := len(r)
	for i := len(r) - 1; i > len(r)*3/4; i-- {
		if r[i] == ' ' {
			cut = i
			break
		}
	}
	return strings.TrimRight(string(r[:cut]), " ,;:-") + "…"
}
