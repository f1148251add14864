package feeds

import (
	"os"
	"path/filepath"
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
