package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFeedsImportExportOPML(t *testing.T) {
	c := newCLI(t)
	write := func(name, body string) string {
		p := filepath.Join(c.dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// Line 4 repeats line 3's URL, line 5 is not http(s), line 6 is
	// already followed: nothing is imported, each is reported.
	bad := write("bad.opml", `<?xml version="1.0"?>
<opml version="2.0"><body>
<outline text="Research"><outline text="Paper Feed" type="rss" xmlUrl="https://papers.example.org/rss"/></outline>
<outline text="Paper Feed 2" type="rss" xmlUrl="https://papers.example.org/rss/"/>
<outline text="Gopher" type="rss" xmlUrl="gopher://old.example.org/feed"/>
</body></opml>`)
	code, out, errOut := c.run("feeds", "import", "-kind", "news", bad)
	if code == 0 || !strings.Contains(out, "bad.opml:4: refused") || !strings.Contains(out, "repeats the feed on line 3") ||
		!strings.Contains(out, "bad.opml:5: refused") || !strings.Contains(errOut, "nothing imported") {
		t.Fatalf("bad import: exit %d\n%s\n%s", code, out, errOut)
	}
	if _, out, _ := c.run("feeds", "list"); strings.Contains(out, "Paper Feed") {
		t.Fatalf("half an import was saved:\n%s", out)
	}
	// Without -kind, a feed outside a kind folder is refused.
	loose := write("loose.opml", `<opml version="1.0"><body><outline text="Loose" xmlUrl="https://loose.example.org/feed"/></body></opml>`)
	if code, out, _ := c.run("feeds", "import", loose); code == 0 || !strings.Contains(out, "no kind") {
		t.Errorf("no kind: exit %d %s", code, out)
	}
	good := write("good.opml", `<?xml version="1.0"?>
<opml version="2.0"><body>
<outline text="Papers"><outline text="Paper Feed" type="rss" xmlUrl="https://papers.example.org/rss"/></outline>
<outline text="Reading"><outline text="Maker Blog" type="rss" xmlUrl="https://maker.example.org/feed"/></outline>
</body></opml>`)
	if code, out, errOut := c.run("feeds", "import", "-kind", "blog", good); code != 0 || !strings.Contains(out, "imported 2 feeds") {
		t.Fatalf("good import: exit %d\n%s\n%s", code, out, errOut)
	}
	// Export reads back: paper feeds in the paper folder.
	exp := filepath.Join(c.dir, "out.opml")
	if code, _, errOut := c.run("feeds", "export", exp); code != 0 {
		t.Fatalf("export: %s", errOut)
	}
	raw, _ := os.ReadFile(exp)
	s := string(raw)
	if !strings.Contains(s, `<opml version="2.0">`) || !strings.Contains(s, `xmlUrl="https://papers.example.org/rss"`) {
		t.Fatalf("export:\n%s", s)
	}
	paper := s[strings.Index(s, `text="paper"`):]
	paper = paper[:strings.Index(paper, "</outline>")]
	if !strings.Contains(paper, "Paper Feed") || strings.Contains(paper, "Maker Blog") {
		t.Errorf("the paper folder holds: %s", paper)
	}
	// Importing the export again adds nothing and refuses nothing.
	if code, out, _ := c.run("feeds", "import", exp); code != 0 || !strings.Contains(out, "skipped") || !strings.Contains(out, "imported 0 feeds") {
		t.Errorf("re-import: exit %d\n%s", code, out)
	}
}
