package feeds

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"
	"github.com/triagebot/triagebot/news"
)

// BenchmarkNormalize normalizes every entry of the test fixtures:
//
//	go test ./feeds -run '^$' -bench Normalize -benchtime 2000x
func BenchmarkNormalize(b *testing.B) {
	var items []*gofeed.Item
	files, _ := filepath.Glob(filepath.Join("testdata", "*.xml"))
	for _, f := range files {
		body, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		feed, err := Parse(b.Context(), body, "")
		if err != nil {
			continue
		}
		items = append(items, feed.Items...)
	}
	fi := FeedInfo{Name: "bench", Kind: news.KindNews, Link: "https://e.com/feed"}
	b.ResetTimer()
	for b.Loop() {
		for _, it := range items {
			Normalize(it, fi, "", testNow)
		}
	}
	b.ReportMetric(float64(len(items)), "items/op")
}

// unescapeBenchTexts are texts that take unescapeLiteral's slow path (a
// backslash in them): an escaped lede, the same in Chinese, a TeX
// abstract and a post that quotes Windows paths.
var unescapeBenchTexts = []string{
	strings.Repeat(`We release a new model today.\n\nIt reads charts, \"thinks\" before it answers and runs on one GPU.\n`, 6),
	strings.Repeat(`今天我们发布了一个新模型。\n\n它能读图表，并在回答前\"思考\"。\n`, 6),
	strings.Repeat(`We bound $\|\nabla f(x)\|$ by $\theta\rho$ and show G\"odel's result holds for \emph{every} $n\ge 1$. `, 5),
	strings.Repeat(`Copy C:\Users\n1\config.json to D:\data\n2024\r1 and \\server\tools\n2, then restart.\n`, 5),
}

// BenchmarkUnescapeLiteral times unescapeLiteral on text with escapes:
//
//	go test ./feeds -run '^$' -bench UnescapeLiteral -count 6
func BenchmarkUnescapeLiteral(b *testing.B) {
	n := 0
	for _, s := range unescapeBenchTexts {
		n += len(s)
	}
	b.SetBytes(int64(n))
	for b.Loop() {
		for _, s := range unescapeBenchTexts {
			unescapeLiteral(s)
		}
	}
}
