package main

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/triagebot/triagebot/classifier"
	"github.com/triagebot/triagebot/news"
)

func TestTrainingFilesRefusesToBuildWithoutData(t *testing.T) {
	dir := t.TempDir()
	_, err := trainingFiles(nil, dir)
	if !errors.Is(err, errNoData) || !strings.Contains(err.Error(), "dev.jsonl") || !strings.Contains(err.Error(), "-data") {
		t.Fatalf("missing data: err = %v", err)
	}
	for _, f := range []string{"dev.jsonl", "train.jsonl"} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte("{}\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := trainingFiles(nil, dir)
	if err != nil || len(got) != 2 {
		t.Fatalf("with data: %v, %v", got, err)
	}
	own := []string{"mine.jsonl"}
	if got, err := trainingFiles(own, "/nonexistent"); err != nil || !slices.Equal(got, own) {
		t.Fatalf("own files: %v, %v", got, err)
	}
}

// The pool reader takes RSS and Atom files alike; a file named for a news
// outlet gives news items, the rest blog items.
func TestReadPool(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"feed_lab.xml": `<?xml version="1.0"?><rss version="2.0"><channel><title>Lab</title><link>https://lab.example/</link>
<item><title>Introducing Zeta 2</title><link>https://lab.example/zeta-2</link><description>Available today.</description></item>
<item><title>A study of attention</title><link>https://lab.example/attention</link></item>
</channel></rss>`,
		"theverge_ai.xml": `<feed xmlns="http://www.w3.org/2005/Atom"><title>The Verge</title>
<entry><title>Zeta raises $40M</title><link href="https://www.theverge.com/zeta"/><id>v1</id><updated>2026-08-01T00:00:00Z</updated></entry>
</feed>`,
		"notes.txt": "not a feed",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	pool, err := readPool(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]news.Kind{"Introducing Zeta 2": news.KindBlog, "A study of attention": news.KindBlog, "Zeta raises $40M": news.KindNews}
	if len(pool) != len(want) {
		t.Fatalf("read %d items, want %d: %+v", len(pool), len(want), pool)
	}
	for _, it := range pool {
		if k, ok := want[it.Title]; !ok || it.SourceKind != k {
			t.Errorf("%q: kind %q, want %q (known: %v)", it.Title, it.SourceKind, k, ok)
		}
	}
}

// Pseudo-labels come only from items the skip rule lets through (the
// held-out outlets' items never are) and only at the confidence asked.
func TestPseudoLabelSkipsAndThresholds(t *testing.T) {
	m, err := classifier.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	pool := []news.Item{
		{Title: "Zeta raises $40M in Series B funding led by Sequoia", URL: "https://kept.example/a", SourceKind: news.KindNews},
		{Title: "Omega raises $90M in Series C funding", URL: "https://held.example/b", SourceKind: news.KindNews},
	}
	skipHeld := func(it news.Item) bool { return classifier.Outlet(it) == "held.example" }
	for _, tc := range []struct {
		name string
		conf float64
		want []string
	}{
		{"any confidence", 0, []string{"Zeta raises $40M in Series B funding led by Sequoia"}},
		{"above every confidence", 1.01, nil},
	} {
		var got []string
		for _, e := range pseudoLabel(m, pool, skipHeld, tc.conf) {
			got = append(got, e.Item.Title)
			if e.Label != news.Other {
				t.Errorf("%s: %q pseudo-labelled %s", tc.name, e.Item.Title, e.Label)
			}
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: pseudo-labelled %q, want %q", tc.name, got, tc.want)
		}
	}
}

// Every outlet lies wholly in one half, papers in neither, and the halves
// are about the same size.
func TestOutletHalves(t *testing.T) {
	var data []classifier.Example
	for i := range 40 {
		kind := news.KindNews
		host := "https://site" + string(rune('a'+i%10)) + ".example/x"
		if i%8 == 0 {
			kind, host = news.KindPaper, "https://arxiv.org/abs/1"
		}
		data = append(data, classifier.Example{Item: news.Item{Title: "t", URL: host, SourceKind: kind}, Label: news.Other})
	}
	for _, seed := range []uint64{1, 2, 3} {
		h := outletHalves(data, seed)
		of := map[string]int{}
		var size [2]int
		for i, e := range data {
			if e.Item.SourceKind == news.KindPaper {
				if h[i] != -1 {
					t.Fatalf("seed %d: paper %d in half %d", seed, i, h[i])
				}
				continue
			}
			o := classifier.Outlet(e.Item)
			if prev, ok := of[o]; ok && prev != h[i] {
				t.Fatalf("seed %d: outlet %s in both halves", seed, o)
			}
			of[o] = h[i]
			size[h[i]]++
		}
		if d := size[0] - size[1]; d < -4 || d > 4 {
			t.Fatalf("seed %d: halves of %d and %d items", seed, size[0], size[1])
		}
	}
}

// -loo asks for as many source folds as outlets, so each fold holds out
// exactly one outlet (all its feeds: two feeds of one site are one
// outlet), and papers are spread over the folds, never counted.
func TestLeaveOneOutletOut(t *testing.T) {
	var data []classifier.Example
	for i := range 60 {
		kind := news.KindNews
		host := "https://" + []string{"a.example", "b.example", "news.b.example", "c.example.co.uk", "d.example.com.tw"}[i%5] + "/x"
		if i%7 == 0 {
			kind, host = news.KindPaper, "https://arxiv.org/abs/1"
		}
		data = append(data, classifier.Example{Item: news.Item{Title: "t", URL: host, SourceKind: kind}, Label: news.Other})
	}
	k := outletCount(data)
	if k != 4 {
		t.Fatalf("outletCount = %d, want 4 (b.example and news.b.example are one outlet)", k)
	}
	for _, seed := range []uint64{1, 2} {
		folds := classifier.SourceFolds(data, k, seed)
		heldBy := map[string]int{}
		for f, fold := range folds {
			var outlets []string
			for _, i := range fold.Test {
				if data[i].Item.SourceKind == news.KindPaper {
					continue
				}
				o := classifier.Outlet(data[i].Item)
				if len(outlets) == 0 || outlets[len(outlets)-1] != o {
					outlets = append(outlets, o)
				}
				if prev, ok := heldBy[o]; ok && prev != f {
					t.Fatalf("seed %d: outlet %s held out by folds %d and %d", seed, o, prev, f)
				}
				heldBy[o] = f
			}
			if len(outlets) != 1 {
				t.Fatalf("seed %d: fold %d holds out outlets %v, want exactly one", seed, f, outlets)
			}
		}
	}
}

// The -cv language slices read Chinese as the classifier does: a
// "zh-TW" tag or an untagged Chinese title is Chinese, an untagged
// English title English; papers and other languages are in neither.
func TestLangSlices(t *testing.T) {
	ex := func(lang, title string, kind news.Kind) classifier.Example {
		return classifier.Example{Item: news.Item{Lang: lang, Title: title, SourceKind: kind}, Label: news.Other}
	}
	data := []classifier.Example{
		ex("en", "OpenAI raises money", news.KindNews),        // 0 en
		ex("", "Startup raises money", news.KindNews),         // 1 en
		ex("zh", "小米发布新手机", news.KindNews),                    // 2 zh, Simplified
		ex("zh-TW", "小米發布新手機", news.KindNews),                 // 3 zh, Traditional
		ex("", "小米發布新手機", news.KindBlog),                      // 4 zh, Traditional
		ex("de", "Neue Modelle", news.KindNews),               // 5 neither
		ex("en", "Attention is all you need", news.KindPaper), // 6 a paper: neither
	}
	want := map[string][]int{"en": {0, 1}, "zh": {2, 3, 4}, "zh-Hant": {3, 4}, "zh-Hans": {2}}
	for _, s := range langSlices(data) {
		if !slices.Equal(s.idx, want[s.name]) {
			t.Errorf("slice %s: %v, want %v", s.name, s.idx, want[s.name])
		}
	}
}
