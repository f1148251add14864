// Package classifier sorts items into research, product or other, offline
// and deterministically, with a calibrated confidence and the few signals
// that decided. One multinomial logistic regression over hashed features
// (words, word pairs, Chinese character pairs, curated cue-phrase groups,
// the feed's kind and hints in the link), shipped as weights in model.bin
// and refined online by the hosts' tags. It imports only news and does no
// I/O: callers persist what Learned returns.
package classifier

import (
	_ "embed"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/triagebot/triagebot/news"
)

// Classifier is anything that labels items; other backends can slot in.
type Classifier interface {
	Classify(news.Item) news.Verdict
}

//go:generate go run ./internal/train -out model.bin

//go:embed model.bin
var builtinModel []byte

// labelOrder fixes which weight column is which label.
func labelOrder() [nLabels]news.Label {
	return [nLabels]news.Label{news.Research, news.Product, news.Other}
}

func labelIndex(l news.Label) int {
	for i, x := range labelOrder() {
		if x == l {
			return i
		}
	}
	return -1
}

// Model is a trained classifier plus what it learned from tags. Safe for
// concurrent use: Classify reads an immutable snapshot of the learned part.
type Model struct {
	ext  *extractor
	w    []float32 // hashSize × nLabels, shipped weights
	temp float32   // softmax temperature from calibration

	learnMu sync.Mutex             // serializes Learn / Forget
	learned atomic.Pointer[deltas] // tag-learned weights, nil when none
	pool    sync.Pool
}

// deltas are the weights learned from tags, added to the shipped ones.
type deltas struct {
	w []float32 // hashSize × nLabels
	n int       // tags learned
}

// Builtin loads the shipped model.
func Builtin() (*Model, error) {
	m, err := Decode(builtinModel)
	if err != nil {
		return nil, fmt.Errorf("classifier: builtin model: %w (rebuild it with go generate ./classifier)", err)
	}
	return m, nil
}

func newModel(w []float32, temp float32) *Model {
	m := &Model{ext: newExtractor(newLexicon()), w: w, temp: temp}
	m.pool.New = func() any { b := make([]feat, 0, maxFeats+64); return &b }
	return m
}

// Classify labels an item. A host's tag always wins.
func (m *Model) Classify(it news.Item) news.Verdict {
	if it.Tag != "" {
		return news.Verdict{Label: it.Tag, Confidence: 1, Reasons: []string{"tagged by a host"}}
	}
	bp := m.pool.Get().(*[]feat)
	feats := m.ext.extract(&it, (*bp)[:0])
	d := m.learned.Load()
	var s [nLabels]float32
	m.score(feats, d, &s)
	p := softmax(s, m.temp)
	best := 0
	for c := 1; c < nLabels; c++ {
		if p[c] > p[best] {
			best = c
		}
	}
	v := news.Verdict{Label: labelOrder()[best], Confidence: round3(p[best])}
	v.Reasons = m.reasons(&it, feats, d, best)
	*bp = feats
	m.pool.Put(bp)
	return v
}

func (m *Model) score(feats []feat, d *deltas, s *[nLabels]float32) {
	for _, f := range feats {
		o := int(f.idx()) * nLabels
		w := m.w[o : o+nLabels : o+nLabels]
		s[0] += f.v * w[0]
		s[1] += f.v * w[1]
		s[2] += f.v * w[2]
	}
	if d != nil {
		for _, f := range feats {
			o := int(f.idx()) * nLabels
			s[0] += f.v * d.w[o]
			s[1] += f.v * d.w[o+1]
			s[2] += f.v * d.w[o+2]
		}
	}
}

func softmax(s [nLabels]float32, temp float32) [nLabels]float64 {
	if temp <= 0 {
		temp = 1
	}
	mx := math.Inf(-1)
	for _, x := range s {
		mx = max(mx, float64(x))
	}
	var p [nLabels]float64
	sum := 0.0
	for c, x := range s {
		p[c] = math.Exp((float64(x) - mx) / float64(temp))
		sum += p[c]
	}
	for c := range p {
		p[c] /= sum
	}
	return p
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

// reasons names the few features that pushed hardest toward the chosen
// label over the runner-up, in words a host can check.
func (m *Model) reasons(it *news.Item, feats []feat, d *deltas, best int) []string {
	type contrib struct {
		i       int
		v       float32
		learned bool
	}
	var top [4]contrib
	n := 0
	for i, f := range feats {
		if f.kind() == fBias {
			continue
		}
		o := int(f.idx()) * nLabels
		if d == nil && m.w[o] == 0 && m.w[o+1] == 0 && m.w[o+2] == 0 {
			continue // never seen in training: says nothing
		}
		margin := func(w []float32) float32 {
			a, b := w[o+(best+1)%nLabels], w[o+(best+2)%nLabels]
			return f.v * (w[o+best] - max(a, b))
		}
		c := contrib{i: i, v: margin(m.w)}
		if d != nil {
			if dv := margin(d.w); dv > c.v {
				c = contrib{i: i, v: dv + c.v, learned: true}
			} else {
				c.v += dv
			}
		}
		if c.v <= 0.05 {
			continue
		}
		// Keep the four strongest, strongest first.
		j := min(n, len(top)-1)
		if n == len(top) && top[j].v >= c.v {
			continue
		}
		for ; j > 0 && top[j-1].v < c.v; j-- {
			top[j] = top[j-1]
		}
		top[j] = c
		if n < len(top) {
			n++
		}
	}
	label := string(labelOrder()[best])
	out := make([]string, 0, 3)
	var seen [4]string
	for k, c := range top[:n] {
		r := m.describe(it, feats[c.i])
		if r == "" || r == seen[0] || r == seen[1] || r == seen[2] {
			continue
		}
		seen[k] = r
		if c.learned {
			r = "learned from tags: " + r
		}
		out = append(out, r+" → "+label)
		if len(out) == 3 {
			break
		}
	}
	if len(out) == 0 {
		out = append(out, "no strong signal; closest to "+label)
	}
	return out
}

func (m *Model) describe(it *news.Item, f feat) string {
	text := it.Title
	if f.field() == 1 {
		text = it.Summary
	}
	quote := func() string {
		if f.start < 0 || int(f.end) > len(text) || f.start >= f.end {
			return ""
		}
		return strconv.Quote(strings.ToLower(text[f.start:f.end]))
	}
	switch f.kind() {
	case fWord, fBigram, fCJK:
		return quote()
	case fTitleWord:
		if q := quote(); q != "" {
			return q + " in the title"
		}
	case fCue, fTitleCue:
		where := ""
		if f.kind() == fTitleCue {
			where = " in the title"
		}
		if q := quote(); q != "" {
			return m.ext.lex.groups[f.group()] + " cue " + q + where
		}
		return m.ext.lex.groups[f.group()] + " cue" + where
	case fKind:
		return "feed kind " + string(it.SourceKind)
	case fURL:
		if hints := urlHints(it.URL); int(f.start) < len(hints) {
			return "link " + hints[f.start]
		}
	case fLang:
		return "Chinese-language item"
	case fQuestion:
		return "the headline asks or argues"
	}
	return ""
}

// Learn folds one tagged item into the learned weights: a few gradient
// steps so the item itself comes out with its tag and similar items lean
// the same way. Returns the new learned state to persist.
func (m *Model) Learn(it news.Item, label news.Label) ([]byte, error) {
	y := labelIndex(label)
	if y < 0 {
		return nil, fmt.Errorf("classifier: unknown label %q: use one of research, product, other", label)
	}
	m.learnMu.Lock()
	defer m.learnMu.Unlock()
	d := m.copyDeltas()
	it.Tag = ""
	m.step(d, m.ext.extract(&it, nil), y)
	d.n++
	m.learned.Store(d)
	return encodeDeltas(d), nil
}

// step is the online update for one example on the learned weights.
func (m *Model) step(d *deltas, feats []feat, y int) {
	// Small, few steps that stop once the tag is merely the likeliest
	// label: measured on dev.jsonl (train -learn), bigger or longer steps
	// memorize the tagged item and make similar ones worse, not better.
	const (
		rate   = 0.2
		steps  = 3
		target = 0.6
	)
	for range steps {
		var s [nLabels]float32
		m.score(feats, d, &s)
		p := softmax(s, 1)
		if p[y] >= target {
			return
		}
		for _, f := range feats {
			o := int(f.idx()) * nLabels
			for c := range nLabels {
				g := float32(p[c])
				if c == y {
					g -= 1
				}
				d.w[o+c] -= rate * g * f.v
			}
		}
	}
}

func (m *Model) copyDeltas() *deltas {
	d := &deltas{w: make([]float32, hashSize*nLabels)}
	if old := m.learned.Load(); old != nil {
		copy(d.w, old.w)
		d.n = old.n
	}
	return d
}

// Relearn replaces the learned part with what the given tags teach (two
// passes in a fixed order), as `retrain` does.
func (m *Model) Relearn(tagged []Example) ([]byte, error) {
	m.learnMu.Lock()
	defer m.learnMu.Unlock()
	d := &deltas{w: make([]float32, hashSize*nLabels)}
	feats := make([][]feat, len(tagged))
	for i, ex := range tagged {
		if labelIndex(ex.Label) < 0 {
			return nil, fmt.Errorf("classifier: unknown label %q", ex.Label)
		}
		it := ex.Item
		it.Tag = ""
		feats[i] = m.ext.extract(&it, nil)
	}
	for range 2 {
		for i, ex := range tagged {
			m.step(d, feats[i], labelIndex(ex.Label))
		}
	}
	d.n = len(tagged)
	if d.n == 0 {
		m.learned.Store(nil)
		return nil, nil
	}
	m.learned.Store(d)
	return encodeDeltas(d), nil
}

// Forget drops everything learned from tags.
func (m *Model) Forget() {
	m.learnMu.Lock()
	m.learned.Store(nil)
	m.learnMu.Unlock()
}

// LearnedCount is how many tags the learned part holds.
func (m *Model) LearnedCount() int {
	if d := m.learned.Load(); d != nil {
		return d.n
	}
	return 0
}

// LoadLearned restores persisted learned weights (nil or empty: none).
func (m *Model) LoadLearned(b []byte) error {
	if len(b) == 0 {
		m.learned.Store(nil)
		return nil
	}
	d, err := decodeDeltas(b)
	if err != nil {
		return err
	}
	m.learned.Store(d)
	return nil
}

// Example is a labelled item for training.
type Example struct {
	Item  news.Item
	Label news.Label
}
