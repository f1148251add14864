package config

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkParseManyFeeds: every command reads the config, and a large
// deployment lists thousands of feeds (the load run's 4,000).
func BenchmarkParseManyFeeds(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("data_dir: data\ntimezone: UTC\nfeeds:\n")
	for n := range 4000 {
		fmt.Fprintf(&sb, "  - {name: \"feed %d\", url: \"http://127.0.0.1:8080/%d.xml\", kind: news}\n", n, n)
	}
	data := []byte(sb.String())
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(data, "bench.yaml"); err != nil {
			b.Fatal(err)
		}
	}
}
