package feeds

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/mmcdole/gofeed"
	"github.com/triagebot/triagebot/news"
)

// TestReclean: an item stored before the cleanup rules gets what
// Normalize would give it now; a clean item, an item Reclean already
// cleaned and an arXiv paper come back unchanged.
func TestReclean(t *testing.T) {
	cases := []struct {
		name                   string
		in                     news.Item
		wantTitle, wantSummary string
		changed                bool
	}{
		{
			name: "glued date and category",
			in: news.Item{
				Title:   "Jul 24, 2026Frontier Red TeamProject Pilot: drones that negotiate",
				Summary: "We tested agents on a drone task.",
				URL:     "https://lab.example.com/news/project-pilot-drones-that-negotiate",
			},
			wantTitle:   "Project Pilot: drones that negotiate",
			wantSummary: "We tested agents on a drone task.",
			changed:     true,
		},
		{
			name:        "literal escapes in a lede",
			in:          news.Item{Title: `A \"new\" model`, Summary: `First line.\n\nSecond line.`, URL: "https://e.com/a"},
			wantTitle:   `A "new" model`,
			wantSummary: "First line. Second line.",
			changed:     true,
		},
		{
			name: "literal escapes beside a Windows path",
			in: news.Item{Title: `Fix for C:\Users\n1`, Summary: `Steps:\n1. Install to D:\data\n2024\r1.\n\n2. Run \\srv\n1\tools`,
				URL: "https://e.com/fix"},
			wantTitle:   `Fix for C:\Users\n1`,
			wantSummary: `Steps: 1. Install to D:\data\n2024\r1. 2. Run \\srv\n1\tools`,
			changed:     true,
		},
		{
			name:        "clean item",
			in:          news.Item{Title: "ServiceNow buys an AI startup", Summary: "The deal, announced Monday, …", URL: "https://e.com/servicenow"},
			wantTitle:   "ServiceNow buys an AI startup",
			wantSummary: "The deal, announced Monday, …",
		},
		{
			name:        "arXiv paper with TeX",
			in:          news.Item{Title: `On \nabla and G\"odel`, Summary: `We show \theta\n holds.`, ArxivID: "2601.00001"},
			wantTitle:   `On \nabla and G\"odel`,
			wantSummary: `We show \theta\n holds.`,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			it := c.in
			it.ID, it.Key = "abcdefgh", "k"
			if got := Reclean(&it); got != c.changed {
				t.Errorf("changed = %v, want %v", got, c.changed)
			}
			if it.Title != c.wantTitle || it.Summary != c.wantSummary {
				t.Errorf("got %q / %q, want %q / %q", it.Title, it.Summary, c.wantTitle, c.wantSummary)
			}
			if it.ID != "abcdefgh" || it.Key != "k" {
				t.Errorf("the item's id or key changed: %q %q", it.ID, it.Key)
			}
			if Reclean(&it) {
				t.Errorf("a second pass changed %q / %q again", it.Title, it.Summary)
			}
		})
	}
}

// TestRecleanLeavesNormalizedItemsAlone: every entry of every test feed,
// as Normalize stores it now, comes back from Reclean unchanged, so the
// one pass over an upgraded store rewrites only what older rules left.
func TestRecleanLeavesNormalizedItemsAlone(t *testing.T) {
	files, err := filepath.Glob("testdata/*.*")
	if err != nil || len(files) < 10 {
		t.Fatalf("test feeds: %v (%d)", err, len(files))
	}
	n := 0
	for _, f := range files {
		body, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		feed, err := Parse(context.Background(), body, "")
		if err != nil {
			continue // the hostile fixtures are refused
		}
		for _, e := range feed.Items {
			it := Normalize(e, FeedInfo{Name: "f", Link: "https://e.com/feed"}, feed.Language, testNow)
			before := it
			if Reclean(&it) {
				t.Errorf("%s: %q / %q recleaned to %q / %q", f, before.Title, before.Summary, it.Title, it.Summary)
			}
			n++
		}
	}
	if n < 20 {
		t.Errorf("only %d entries read", n)
	}
}

// TestRecleanLeavesNormalizedCodeAlone: a post that quotes code or TeX
// (an escaped quote in JSON or a shell line, a Windows path, \nabla)
// comes out of Normalize as something Reclean leaves as it is: a second
// pass must not undo an escape the first one kept.
func TestRecleanLeavesNormalizedCodeAlone(t *testing.T) {
	cases := []struct{ title, desc string }{
		{`JSON: {"a": "b\\"c"}`, `Escape a quote as \\" in JSON, or \\' in a shell.`},
		{`printf("a\\nb\\n")`, `<pre>fmt.Println("x\\n")</pre> and echo "\\\\"`},
		{`Windows paths: C:\Users\n1\Notes`, `Open C:\new\test\Nora and C:\temp\Report.txt`},
		{`D:\data\n2024\r1 and \\server\n1\t2`, `Steps:\n1. Copy "C:\Users\n1" to \"D:\tmp\r2\".\n\n2. Done`},
		{`Q:\nA: C:\n1 is a label`, `Saved:\nC:\Users\José\n1, then\n\"Open\" it`},
		// collapse turns a no-break space into a space: the second pass
		// must not find a shorter word there than the first found.
		{"C:\\Program\u00a0Files\\n1", "C:\\Users\u2003N\\n1 and \u3000C:\\Users\\n1\u0081C:\\x\\n1"},
		{`The gradient $\nabla f$ and $\theta$`, `We show $\rho \to 0$, G\"odel and \"quoted\" text.`},
		// collapse drops bidi marks and zero-width joiners: the second
		// pass reads the escape they split, or the dot they hid, as one.
		{"Saved to C:\\Temp\\x.\u200f\\n\\nNext", "First.\\\u200en\\\u2060nSecond, \\\ufeff\"quoted\\\u200d\" and \\\u202et"},
	}
	for _, c := range cases {
		t.Run(c.title, func(t *testing.T) {
			e := &gofeed.Item{Title: c.title, Description: c.desc, Link: "https://blog.example.com/post"}
			it := Normalize(e, FeedInfo{Name: "f", Link: "https://e.com/feed"}, "", testNow)
			before := it
			if Reclean(&it) {
				t.Errorf("%q / %q recleaned to %q / %q", before.Title, before.Summary, it.Title, it.Summary)
			}
		})
	}
}

// FuzzRecleanAfterNormalize: whatever a feed sends, Reclean leaves the item
// Normalize made of it as it is (a second pass over stored text must not
// find more to undo), and unescapeLiteral followed by collapse is
// idempotent on its own.
//
//	go test ./feeds -run '^$' -fuzz FuzzRecleanAfterNormalize -fuzztime 60s
func FuzzRecleanAfterNormalize(f *testing.F) {
	f.Add(`C:\Users\n1`, `Steps:\n1. Install to D:\data\n2024\r1.\n\n2. Done`)
	f.Add(`\\server\n1\t2`, `Open \"C:\Users\n1\" now`)
	f.Add(`Q:\nA: yes`, "C:\\Program\u00a0Files\\n1 and C:\\Us\u200eers\\n1")
	f.Add(`Done.\n\"Open\" it`, `G\"odel, \nabla and Ren\'e`)
	f.Add("\u0093C:\\Users\\n1\u0094 and “D:\\x\\n1”", `(E:\y\t3)\nEnd`)
	f.Add("Jul 24, 2026Frontier Red TeamProject Pilot", `First.\n\nSecond.`)
	f.Add("Saved to C:\\Temp\\x.\u200f\\n\\nNext", "a \\\u200en1 and \\\u2060\"q\\\u200d\"")
	f.Fuzz(func(t *testing.T, title, desc string) {
		e := &gofeed.Item{Title: title, Description: desc, Link: "https://lab.example.com/news/project-pilot"}
		it := Normalize(e, FeedInfo{Name: "f", Link: "https://e.com/feed"}, "", testNow)
		before := it
		if Reclean(&it) {
			t.Errorf("%q / %q recleaned to %q / %q", before.Title, before.Summary, it.Title, it.Summary)
		}
		for _, s := range []string{title, desc} {
			once := collapse(unescapeLiteral(sanitize(s)))
			if twice := collapse(unescapeLiteral(once)); twice != once {
				t.Errorf("unescape and collapse of %q: %q, then %q", s, once, twice)
			}
		}
	})
}
