package service

import (
	"slices"
	"strings"
	"sync"
	"unicode"

	"github.com/longbridgeapp/opencc"
	"github.com/triagebot/triagebot/internal/text"
	"github.com/triagebot/triagebot/news"
	"github.com/triagebot/triagebot/store"
)

// folder maps Traditional Chinese to Simplified, so 發布 and 发布 match.
// The dictionaries load on first use (tens of milliseconds), not at start.
// Folded titles are cached: autocomplete folds the same few thousand
// titles on every keystroke.
type folder struct {
	once  sync.Once
	cc    *opencc.OpenCC
	mu    sync.Mutex
	cache map[string]string
}

// maxFolded bounds the cache (a few MB); when full it starts over.
const maxFolded = 20000

func (f *folder) fold(s string) string {
	s = strings.ToLower(s)
	if !text.HasHan(s) {
		return s
	}
	f.once.Do(func() { f.cc, _ = opencc.New("t2s") })
	if f.cc == nil {
		return s
	}
	f.mu.Lock()
	out, ok := f.cache[s]
	f.mu.Unlock()
	if ok {
		return out
	}
	out, err := f.cc.Convert(s)
	if err != nil {
		return s
	}
	f.mu.Lock()
	if f.cache == nil || len(f.cache) >= maxFolded {
		f.cache = make(map[string]string)
	}
	f.cache[s] = out
	f.mu.Unlock()
	return out
}

// searchWeeks is how far back autocomplete looks.
const searchWeeks = 4

// Search finds recent items the way people type into autocomplete,
// newest first: every query word must match the title, the source or the
// id. Chinese matches as a substring (no spaces needed), Simplified and
// Traditional alike; a Latin word matches a title word that starts with
// it or is one or two edits away (antropic finds Anthropic).
func (s *Service) Search(query string, limit int) ([]news.Item, error) {
	q := s.fold.fold(query)
	words := strings.Fields(q)
	var out []news.Item
	err := s.st.WalkItems(store.Query{Since: s.now().AddDate(0, 0, -7*searchWeeks)}, func(it news.Item) bool {
		if len(words) == 0 || it.ID == strings.TrimSpace(query) || s.matches(words, it) {
			out = append(out, it)
		}
		return len(out) < limit
	})
	return out, err
}

func (s *Service) matches(words []string, it news.Item) bool {
	hay := s.fold.fold(it.Title + " " + it.Source)
	squeezed := strings.Join(strings.Fields(hay), "")
	var titleWords []string
	for _, w := range words {
		if strings.Contains(hay, w) || (text.HasHan(w) && strings.Contains(squeezed, w)) {
			continue
		}
		if text.HasHan(w) || len([]rune(w)) < 4 {
			return false
		}
		if titleWords == nil {
			titleWords = strings.FieldsFunc(hay, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
		}
		if !slices.ContainsFunc(titleWords, func(tw string) bool { return near(w, tw) }) {
			return false
		}
	}
	return true
}

// near: w is within one edit of tw (two for words of eight letters or
// more), or of tw's prefix of the same length (a word still being typed).
func near(w, tw string) bool {
	a, b := []rune(w), []rune(tw)
	max := 1
	if len(a) >= 8 {
		max = 2
	}
	if len(b) > len(a)+max {
		if editDistance(a, b[:len(a)]) <= max {
			return true
		}
	}
	return editDistance(a, b) <= max
}

// editDistance is Levenshtein's distance.
func editDistance(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
