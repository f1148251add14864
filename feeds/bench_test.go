package feeds

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkParseOverhead compares gofeed alone ("gofeed") with Parse
// ("guarded": lenient decoding, entity expansion and the streaming guard in
// front of the same gofeed parse) over whole corpora: the committed
// fixtures, and the team's real captures when /work/shared is present
// (skipped otherwise; a user's clone has no such folder).
//
//	go test ./feeds/ -run '^$' -bench ParseOverhead -benchtime 2s -count 6
func BenchmarkParseOverhead(b *testing.B) {
	corpora := []struct{ name, glob string }{
		{"fixtures", filepath.Join("testdata", "*")},
		{"real", "/work/shared/feeds/real/*"},
		{"arxiv", "/work/shared/feeds/arxiv/*.xml"},
	}
	for _, c := range corpora {
		paths, _ := filepath.Glob(c.glob)
		var bodies [][]byte
		size := 0
		for _, p := range paths {
			body, err := os.ReadFile(p)
			if err != nil {
				b.Fatal(err)
			}
			bodies = append(bodies, body)
			size += len(body)
		}
		b.Run(c.name+"/gofeed", func(b *testing.B) {
			if len(bodies) == 0 {
				b.Skipf("no files at %s", c.glob)
			}
			b.SetBytes(int64(size))
			for b.Loop() {
				for _, body := range bodies {
					_, _ = NewParser().Parse(bytes.NewReader(body))
				}
			}
		})
		b.Run(c.name+"/guarded", func(b *testing.B) {
			if len(bodies) == 0 {
				b.Skipf("no files at %s", c.glob)
			}
			b.SetBytes(int64(size))
			for b.Loop() {
				for _, body := range bodies {
					_, _ = Parse(b.Context(), body, "")
				}
			}
		})
	}
}

// BenchmarkGuardOverhead times, feed by feed and interleaved so that a
// shared, busy machine slows both alike, what Parse adds in front of gofeed
// (decoding, entity expansion, the streaming guard) against gofeed's own
// parse of the same bytes, and reports the ratio as overhead_%.
//
//	go test ./feeds/ -run '^$' -bench GuardOverhead -benchtime 3s -count 5
func BenchmarkGuardOverhead(b *testing.B) {
	for _, glob := range []string{"/work/shared/feeds/real/*", "/work/shared/feeds/arxiv/*.xml", filepath.Join("testdata", "*")} {
		paths, _ := filepath.Glob(glob)
		name := filepath.Base(filepath.Dir(glob))
		b.Run(name, func(b *testing.B) {
			if len(paths) == 0 {
				b.Skipf("no files at %s", glob)
			}
			var bodies [][]byte
			for _, p := range paths {
				body, err := os.ReadFile(p)
				if err != nil {
					b.Fatal(err)
				}
				bodies = append(bodies, body)
			}
			var pre, parse time.Duration
			for b.Loop() {
				for _, body := range bodies {
					t0 := time.Now()
					data := toUTF8(body, "")
					if !looksLikeJSON(data) {
						if _, err := guardXML(b.Context(), expandEntities(data)); err != nil {
							b.Fatal(err)
						}
					}
					t1 := time.Now()
					_, _ = NewParser().Parse(bytes.NewReader(body))
					pre += t1.Sub(t0)
					parse += time.Since(t1)
				}
			}
			b.ReportMetric(100*float64(pre)/float64(parse), "overhead_%")
		})
	}
}
