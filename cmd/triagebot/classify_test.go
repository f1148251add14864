package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triagebot/triagebot/news"
	"github.com/triagebot/triagebot/service"
	"github.com/triagebot/triagebot/store"
)

// writeFile writes a test fixture, failing the test if it cannot.
func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func runWithStdin(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestClassifyKeepsEveryFieldAndAddsVerdict(t *testing.T) {
	in := `{"id":"a1","title":"Robotics startup raises $80M Series B","summary":"The round was led by investors.","url":"https://n.example.com/x","source":"N","source_kind":"news","lang":"en","extra":{"k":[1,2]}}
{"title":"A Method for Faster Attention","source_kind":"paper","url":"https://arxiv.org/abs/2612.00009"}

{"id":"c3","title":"標題","lang":"zh"}
`
	code, out, errOut := runWithStdin(t, in, "classify", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d output lines for 3 input lines:\n%s", len(lines), out)
	}
	var first map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"id", "title", "summary", "url", "source", "source_kind", "lang", "extra", "label", "confidence", "reasons"} {
		if _, ok := first[k]; !ok {
			t.Errorf("output lacks %q: %s", k, lines[0])
		}
	}
	if first["label"] != "other" {
		t.Errorf("funding round labelled %v", first["label"])
	}
	if c := first["confidence"].(float64); c <= 0 || c > 1 {
		t.Errorf("confidence %v", c)
	}
	var second map[string]any
	if err := json.Unmarshal([]byte(lines[1]), &second); err != nil {
		t.Fatalf("second line %q: %v", lines[1], err)
	}
	if second["label"] != "research" {
		t.Errorf("arXiv paper labelled %v", second["label"])
	}
}

func TestClassifyBadLineNamesItAndWritesNothing(t *testing.T) {
	cases := []struct{ in, want string }{
		{"{\"title\":\"ok\"}\n{\"title\": broken\n", "line 2"},
		{"{\"title\":\"ok\"}\n{\"summary\":\"no title\"}\n", "line 2: bad JSONL line: \"title\" is required"},
		{"[1,2]\n", "line 1"},
	}
	for _, tc := range cases {
		code, out, errOut := runWithStdin(t, tc.in, "classify")
		if code != 1 || !strings.Contains(errOut, tc.want) || !strings.Contains(errOut, "nothing was written") {
			t.Errorf("input %q: exit %d, stderr %q", tc.in, code, errOut)
		}
		if out != "" {
			t.Errorf("input %q: wrote %q before failing", tc.in, out)
		}
	}
}

func TestEvalReportsAndJSON(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "l.jsonl")
	writeFile(t, f, `{"title":"Startup raises $30M Series A","source_kind":"news","lang":"en","label":"other"}
{"title":"Chat app launches a voice mode for all users","summary":"Rolling out today on iOS.","source_kind":"news","lang":"en","label":"product"}
{"title":"We Propose a Sparse Attention Method","source_kind":"paper","url":"https://arxiv.org/abs/2612.1","lang":"en","label":"research"}
`)
	code, out, errOut := runWithStdin(t, "", "eval", f)
	if code != 0 || !strings.Contains(out, "overall: n=3") || !strings.Contains(out, "news+blog: n=2") || !strings.Contains(out, "lang en") {
		t.Fatalf("eval: %d %s %s", code, out, errOut)
	}
	code, out, _ = runWithStdin(t, "", "eval", "-json", f)
	var rep struct {
		Overall struct {
			N        int     `json:"n"`
			Accuracy float64 `json:"accuracy"`
		} `json:"overall"`
		ByKind map[string]any `json:"by_source_kind"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &rep) != nil || rep.Overall.N != 3 || rep.ByKind["paper"] == nil {
		t.Fatalf("eval -json: %d %s", code, out)
	}
	writeFile(t, f, `{"title":"x","label":"papers"}`+"\n")
	if code, _, errOut := runWithStdin(t, "", "eval", f); code != 1 || !strings.Contains(errOut, "line 1") || !strings.Contains(errOut, "research, product, other") {
		t.Errorf("bad label: %d %q", code, errOut)
	}
}

// Tags win for their item, teach the classifier, survive a restart, and
// the label filter follows them.
func TestTagUntagRetrainLifecycle(t *testing.T) {
	c := newCLI(t)
	if code, out, errOut := c.run("poll"); code != 0 {
		t.Fatalf("poll: %s %s", out, errOut)
	}
	_, out, _ := c.run("items", "-json")
	var items []news.Item
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var it news.Item
		if err := json.Unmarshal(sc.Bytes(), &it); err != nil {
			t.Fatalf("items -json line %q: %v", sc.Text(), err)
		}
		items = append(items, it)
	}
	if len(items) != 2 || items[0].Verdict == nil || items[1].Verdict == nil {
		t.Fatalf("polled items should carry verdicts: %+v", items)
	}
	voice := items[0]
	if code, _, errOut := c.run("tag", voice.ID, "papers"); code != 2 || !strings.Contains(errOut, "research, product, other") {
		t.Errorf("bad label: %d %q", code, errOut)
	}
	if code, _, errOut := c.run("tag", "nosuchid", "product"); code != 1 || !strings.Contains(errOut, "no item") {
		t.Errorf("unknown item: %d %q", code, errOut)
	}
	if code, out, errOut := c.run("tag", voice.URL, "research", "-by", "ana"); code != 0 || !strings.Contains(out, "tagged "+voice.ID+" as research") {
		t.Fatalf("tag by URL: %d %s %s", code, out, errOut)
	}
	_, out, _ = c.run("items", "-label", "research")
	if !strings.Contains(out, voice.ID) || !strings.Contains(out, "research (tag)") {
		t.Errorf("label filter should follow the tag:\n%s", out)
	}
	// The learned part is persisted: a new process loads it.
	st, err := store.Open(filepath.Join(c.dir, "data"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := st.GetState(service.LearnedState)
	if err != nil {
		t.Fatal(err)
	}
	tagged, err := st.Item(voice.ID)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	if len(raw) == 0 || tagged.TaggedBy != "ana" {
		t.Fatalf("learned state %d bytes, tagged by %q", len(raw), tagged.TaggedBy)
	}
	if code, out, _ := c.run("retrain"); code != 0 || !strings.Contains(out, "relearned from 1 tags") || !strings.Contains(out, "reclassified 2 items") {
		t.Errorf("retrain: %s", out)
	}
	if code, out, _ := c.run("untag", voice.ID); code != 0 || !strings.Contains(out, "untagged") {
		t.Errorf("untag: %s", out)
	}
	if code, _, errOut := c.run("untag", voice.ID); code != 1 || !strings.Contains(errOut, "has no tag") {
		t.Errorf("second untag: %d %q", code, errOut)
	}
	// -reset forgets what the tags taught, for good: checked in the store,
	// by what a new process loads, not by the command's wording.
	if code, out, errOut := c.run("tag", voice.ID, "research", "-by", "ana"); code != 0 {
		t.Fatalf("tag again: %s %s", out, errOut)
	}
	if code, out, errOut := c.run("retrain", "-reset"); code != 0 {
		t.Fatalf("retrain -reset: %d %s %s", code, out, errOut)
	}
	st, err = store.Open(filepath.Join(c.dir, "data"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	raw, err = st.GetState(service.LearnedState)
	if err != nil || raw != nil {
		t.Errorf("retrain -reset left %d bytes of learned state (%v)", len(raw), err)
	}
	m, err := service.LoadModel(st, nil)
	if err != nil || m.LearnedCount() != 0 {
		t.Errorf("after retrain -reset a new process learned %d tags (%v)", m.LearnedCount(), err)
	}
	if kept, err := st.Item(voice.ID); err != nil || kept.Tag != news.Research {
		t.Errorf("retrain -reset dropped the tag itself: %+v %v", kept.Tag, err)
	}
	st.Close()
	if code, out, _ := c.run("untag", voice.ID); code != 0 {
		t.Errorf("untag after the reset: %s", out)
	}
	// A link pasted with other tracking parameters still finds the item.
	if code, out, errOut := c.run("pick", voice.URL+"?utm_source=newsletter&fbclid=x", "-by", "ben"); code != 0 || !strings.Contains(out, "picked "+voice.ID) {
		t.Errorf("pick by a tracked link: %d %s %s", code, out, errOut)
	}
	if code, out, _ := c.run("reclassify"); code != 0 || !strings.Contains(out, "reclassified 2 items") {
		t.Errorf("reclassify: %s", out)
	}
}

// BenchmarkClassifyStream pushes 100,000 JSONL lines through `classify`.
//
//	go test ./cmd/triagebot -run '^$' -bench ClassifyStream -benchtime 1x
func BenchmarkClassifyStream(b *testing.B) {
	var in bytes.Buffer
	for i := range 100_000 {
		fmt.Fprintf(&in, `{"id":"x%d","title":"Company %d launches a new assistant feature for its app users","summary":"The update is rolling out today to subscribers on iOS and Android, the company said in a statement, adding that researchers trained the model with a new method that outperforms earlier versions on internal benchmarks.","source_kind":"news","lang":"en"}`+"\n", i, i)
	}
	data := in.Bytes()
	for b.Loop() {
		var out, errb bytes.Buffer
		if code := Main(context.Background(), []string{"classify", "-"}, bytes.NewReader(data), &out, &errb); code != 0 {
			b.Fatal(errb.String())
		}
	}
	b.ReportMetric(100_000*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
}

func TestDigestFromPolledStore(t *testing.T) {
	c := newCLI(t)
	c.run("poll")
	code, out, errOut := c.run("digest", "-since", "2026-11-20", "-until", "2026-11-27")
	if code != 0 || !strings.HasPrefix(out, "# AI news · 2026-11-20 – 2026-11-26") || !strings.Contains(out, "Acme launches a voice mode") {
		t.Fatalf("digest markdown: %d %s %s", code, out, errOut)
	}
	code, out, _ = c.run("digest", "-week", "2026-W48", "-format", "json")
	var d struct {
		Week      string `json:"week"`
		ItemCount int    `json:"item_count"`
		Sections  []struct {
			Key     string `json:"key"`
			Stories []struct {
				ID string `json:"id"`
			} `json:"stories"`
		} `json:"sections"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &d) != nil || d.Week != "2026-W48" || d.ItemCount != 2 {
		t.Fatalf("digest json: %d %s", code, out)
	}
	code, out, _ = c.run("digest", "-week", "2026-W48", "-format", "discord")
	var msgs []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &msgs) != nil || len(msgs) == 0 {
		t.Fatalf("digest discord: %d %s", code, out)
	}
	for _, m := range msgs {
		if am, ok := m["allowed_mentions"].(map[string]any); !ok || len(am["parse"].([]any)) != 0 {
			t.Errorf("message without allowed_mentions parse=[]: %v", m)
		}
	}
	if code, out, _ := c.run("digest", "-week", "2020-W10"); code != 0 || !strings.Contains(out, "No items were published") {
		t.Errorf("empty week: %d %s", code, out)
	}
	dst := filepath.Join(c.dir, "notes", "w48.md")
	if code, out, _ := c.run("digest", "-week", "2026-W48", "-out", dst); code != 0 || !strings.Contains(out, "wrote") {
		t.Errorf("-out: %s", out)
	}
	if b, err := os.ReadFile(dst); err != nil || !strings.Contains(string(b), "voice mode") {
		t.Errorf("written file: %v %q", err, b)
	}
	for _, bad := range [][]string{{"digest", "-week", "48"}, {"digest", "-format", "pdf"}, {"digest", "-week", "2026-W48", "-since", "2026-11-01"}} {
		if code, _, _ := c.run(bad...); code != 2 {
			t.Errorf("%v: exit %d, want 2", bad, code)
		}
	}
}
