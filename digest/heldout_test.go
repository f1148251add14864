package digest

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/triagebot/triagebot/news"
)

// The held-out protocol that chose DefaultThreshold (README, "Story
// grouping"). It reads the labelled story file outside the repository, so
// it runs only when asked and skips when the file is absent:
//
//	go test ./digest -run HeldOut -heldout -v
var (
	heldout      = flag.Bool("heldout", false, "run the held-out threshold protocol on ../shared/eval/stories_dev.jsonl")
	heldoutFile  = flag.String("heldout.file", filepath.Join("..", "..", "shared", "eval", "stories_dev.jsonl"), "labelled stories (JSONL with \"group\")")
	heldoutSeeds = flag.Int("heldout.seeds", 20, "random splits")
	heldoutMinP  = flag.Float64("heldout.minp", 0.85, "pair precision the tuned threshold must reach on the tuning half")
	heldoutOut   = flag.String("heldout.out", "", "also write every split's scores here (JSON lines), for paired comparisons")
	heldoutBG    = flag.String("heldout.bg", "", "background table: \"\" the shipped one, \"none\", or comma-separated JSONL files to count it from")
	heldoutScale = flag.Float64("heldout.bgscale", 0, "weight of the background counts (0: the default)")
	heldoutMix   = flag.String("heldout.mix", "", "comma-separated JSONL files of other items (feed items) added to every half's batch, unscored, as the sealed set mixes them in")
)

// TestHeldOutThreshold splits the gold stories in half at random, tunes
// the threshold on one half (best pair F1 with pair precision >= minp),
// scores it on the other, both ways, over several seeds; and scores every
// fixed threshold on all halves. Each half is grouped as its own batch, as
// `triagebot cluster` would group it.
func TestHeldOutThreshold(t *testing.T) {
	if !*heldout {
		t.Skip("held-out protocol: run with -heldout")
	}
	items, gold := readGold(t, *heldoutFile)
	groupsOf := map[string][]int{}
	var names []string
	for i, g := range gold {
		if groupsOf[g] == nil {
			names = append(names, g)
		}
		groupsOf[g] = append(groupsOf[g], i)
	}
	// Mixed-in items are in every batch and never scored: they change what
	// the batch counts as common (IDF, distinctive names), as the labelled
	// feed items mixed into the sealed set do.
	var mix []news.Item
	if *heldoutMix != "" {
		for _, f := range strings.Split(*heldoutMix, ",") {
			its, _ := readGold(t, f)
			mix = append(mix, its...)
		}
	}
	opts := GroupOptions{bgScale: *heldoutScale}
	switch *heldoutBG {
	case "":
	case "none":
		opts.bg = &bgTable{}
	default:
		var its []*news.Item
		for _, f := range strings.Split(*heldoutBG, ",") {
			xs, _ := readGold(t, f)
			for k := range xs {
				its = append(its, &xs[k])
			}
		}
		bg := backgroundOf(its)
		opts.bg = &bg
	}
	var grid []float64
	for th := 8; th <= 32; th++ {
		grid = append(grid, float64(th)/100)
	}
	score := func(idx []int, th float64) prf {
		its := make([]*news.Item, len(idx), len(idx)+len(mix))
		for k, i := range idx {
			its[k] = &items[i]
		}
		for k := range mix {
			its = append(its, &mix[k])
		}
		pred := map[*news.Item]int{}
		o := opts
		o.Threshold = th
		for s, g := range Group(its, o) {
			for _, it := range g {
				pred[it] = s
			}
		}
		var tp, pp, gp float64
		for x := range idx {
			for y := x + 1; y < len(idx); y++ {
				same := gold[idx[x]] == gold[idx[y]]
				joined := pred[its[x]] == pred[its[y]]
				if same {
					gp++
				}
				if joined {
					pp++
					if same {
						tp++
					}
				}
			}
		}
		r := prf{p: 1, r: 1}
		if pp > 0 {
			r.p = tp / pp
		}
		if gp > 0 {
			r.r = tp / gp
		}
		if r.p+r.r > 0 {
			r.f = 2 * r.p * r.r / (r.p + r.r)
		}
		return r
	}
	var tuned []prf
	var ths []float64
	fixed := make([][]prf, len(grid))
	for seed := range *heldoutSeeds {
		order := slices.Clone(names)
		rand.New(rand.NewPCG(uint64(seed), 9)).Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		var halves [2][]int
		for k, g := range order {
			halves[k%2] = append(halves[k%2], groupsOf[g]...)
		}
		var res [2][]prf
		for h := range halves {
			for k, th := range grid {
				s := score(halves[h], th)
				res[h] = append(res[h], s)
				fixed[k] = append(fixed[k], s)
			}
		}
		for _, tune := range []int{0, 1} {
			best := -1 // the best F1 among thresholds precise enough on the tuning half
			for k := range grid {
				if res[tune][k].p >= *heldoutMinP && (best < 0 || res[tune][k].f > res[tune][best].f) {
					best = k
				}
			}
			if best < 0 {
				best = len(grid) - 1
			}
			ths = append(ths, grid[best])
			tuned = append(tuned, res[1-tune][best])
		}
	}
	field := func(xs []prf, f func(prf) float64) string {
		v := make([]float64, len(xs))
		for i, x := range xs {
			v[i] = f(x)
		}
		return meanSD(v)
	}
	p, r, f := func(x prf) float64 { return x.p }, func(x prf) float64 { return x.r }, func(x prf) float64 { return x.f }
	// How often a split's precision falls below what the sealed target asks.
	low := func(xs []prf) string {
		n := 0
		for _, x := range xs {
			if x.p < 0.80 {
				n++
			}
		}
		return fmt.Sprintf("P < 0.80 in %d/%d", n, len(xs))
	}
	if *heldoutOut != "" {
		writeSplits(t, *heldoutOut, grid, fixed, ths, tuned)
	}
	t.Logf("%d items, %d stories, %d seeds, %d mixed-in items", len(items), len(names), *heldoutSeeds, len(mix))
	t.Logf("tuned on one half (P >= %.2f), scored on the other: threshold %s  P %s  R %s  F1 %s  (%s)",
		*heldoutMinP, meanSD(ths), field(tuned, p), field(tuned, r), field(tuned, f), low(tuned))
	for k, th := range grid {
		t.Logf("fixed %.2f on every half: P %s  R %s  F1 %s  (%s)", th, field(fixed[k], p), field(fixed[k], r), field(fixed[k], f), low(fixed[k]))
	}
}

func meanSD(v []float64) string {
	var m, s float64
	for _, x := range v {
		m += x
	}
	m /= float64(len(v))
	for _, x := range v {
		s += (x - m) * (x - m)
	}
	if len(v) > 1 {
		s = math.Sqrt(s / float64(len(v)-1))
	}
	return fmt.Sprintf("%.3f ± %.3f", m, s)
}

// readGold reads labelled items the way `triagebot cluster` reads them.
func readGold(t *testing.T, path string) ([]news.Item, []string) {
	f, err := os.Open(path)
	if err != nil {
		t.Skipf("no labelled stories: %v", err)
	}
	defer f.Close()
	var items []news.Item
	var gold []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var r struct {
			ID, Title, Summary, URL, Source, Lang, Published, Group string
			SourceKind                                              string `json:"source_kind"`
		}
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		pub, _ := time.Parse(time.RFC3339, r.Published)
		items = append(items, news.Item{ID: r.ID, Title: r.Title, Summary: r.Summary, URL: r.URL, Source: r.Source,
			SourceKind: news.Kind(strings.ToLower(r.SourceKind)), Lang: r.Lang, Published: pub})
		gold = append(gold, r.Group)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return items, gold
}

// writeSplits writes each split's scores, one JSON line per threshold
// ("tuned" for the tuned protocol), so two versions of the rules can be
// compared split by split (the splits are the same for the same seeds).
func writeSplits(t *testing.T, path string, grid []float64, fixed [][]prf, ths []float64, tuned []prf) {
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	enc := json.NewEncoder(f)
	for k, th := range grid {
		if err := enc.Encode(map[string]any{"threshold": th, "splits": splitScores(fixed[k])}); err != nil {
			t.Fatal(err)
		}
	}
	if err := enc.Encode(map[string]any{"threshold": "tuned", "chosen": ths, "splits": splitScores(tuned)}); err != nil {
		t.Fatal(err)
	}
}

func splitScores(xs []prf) [][3]float64 {
	out := make([][3]float64, len(xs))
	for i, x := range xs {
		out[i] = [3]float64{x.p, x.r, x.f}
	}
	return out
}

// prf is one split's pair precision, recall and F1.
type prf struct{ p, r, f float64 }
