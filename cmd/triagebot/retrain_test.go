package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/triagebot/triagebot/classifier"
	"github.com/triagebot/triagebot/news"
	"github.com/triagebot/triagebot/service"
	"github.com/triagebot/triagebot/store"
)

// classifyFile runs `classify FILE` and returns the verdicts in order.
func (c *cli) classifyFile(path string) []news.Verdict {
	c.t.Helper()
	code, out, errOut := c.run("classify", path)
	if code != 0 {
		c.t.Fatalf("classify: %d %s", code, errOut)
	}
	var vs []news.Verdict
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var r struct {
			Label      news.Label `json:"label"`
			Confidence float64    `json:"confidence"`
			Reasons    []string   `json:"reasons"`
		}
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			c.t.Fatalf("classify output %q: %v", sc.Text(), err)
		}
		vs = append(vs, news.Verdict{Label: r.Label, Confidence: r.Confidence, Reasons: r.Reasons})
	}
	return vs
}

// retrain -from FILE trains a model on the hosts' labelled items that
// classify, poll and a restart use from then on; retrain -reset goes back
// to the shipped model. Checked against a model trained on the same file
// in the test, not by the command's wording.
func TestRetrainFromFileReplacesTheModelUntilReset(t *testing.T) {
	c := newCLI(t)
	labels, want, shipped := retrainModels(t)
	probes := []news.Item{
		{Title: "Acme launches a voice mode", Summary: "Available today.", SourceKind: news.KindBlog},
		{Title: "A new method for chart reading", SourceKind: news.KindBlog},
		{Title: "Startup raises $20M for robots", Summary: "Investors value it at $200M.", SourceKind: news.KindNews},
	}
	probeFile := filepath.Join(c.dir, "probes.jsonl")
	var lines []string
	for _, p := range probes {
		b, _ := json.Marshal(map[string]string{"title": p.Title, "summary": p.Summary, "source_kind": string(p.SourceKind)})
		lines = append(lines, string(b))
	}
	os.WriteFile(probeFile, []byte(strings.Join(lines, "\n")+"\n"), 0o644)
	sameAs := func(m *classifier.Model, got []news.Verdict) bool {
		for i, p := range probes {
			w := m.Classify(p)
			if i >= len(got) || got[i].Label != w.Label || got[i].Confidence != w.Confidence {
				return false
			}
		}
		return len(got) == len(probes)
	}
	if !sameAs(shipped, c.classifyFile(probeFile)) {
		t.Fatal("before retraining, classify should use the shipped model")
	}
	if sameAs(want, c.classifyFile(probeFile)) {
		t.Fatal("the probes cannot tell the trained model from the shipped one; change them")
	}

	if code, out, errOut := c.run("poll"); code != 0 {
		t.Fatalf("poll: %d %s %s", code, out, errOut)
	}
	code, out, errOut := c.run("retrain", "-from", labels)
	if code != 0 || !strings.Contains(out, "reclassified 2 items") {
		t.Fatalf("retrain -from: %d\n%s\n%s", code, out, errOut)
	}
	modelFile := filepath.Join(c.dir, "data", service.BaseModelFile)
	if _, err := os.Stat(modelFile); err != nil {
		t.Fatalf("no model file in data_dir: %v", err)
	}
	if got := c.classifyFile(probeFile); !sameAs(want, got) {
		t.Errorf("after retrain -from, classify gave %+v, not the trained model's verdicts", got)
	}
	// A new process (a restart) loads it with the store, and the stored
	// verdicts were rewritten with it.
	st, err := store.Open(filepath.Join(c.dir, "data"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	m, err := service.LoadModel(st, func(err error) { t.Errorf("warned: %v", err) })
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range probes {
		if g, w := m.Classify(p), want.Classify(p); g.Label != w.Label || g.Confidence != w.Confidence {
			t.Errorf("after a restart %q: %+v, want %+v", p.Title, g, w)
		}
	}
	n := 0
	st.WalkItems(store.Query{Oldest: true}, func(it news.Item) bool {
		n++
		if v := want.Classify(it); it.Verdict == nil || it.Verdict.Label != v.Label || it.Verdict.Confidence != v.Confidence {
			t.Errorf("stored verdict of %q: %+v, want the trained model's %+v", it.Title, it.Verdict, v)
		}
		return true
	})
	st.Close()
	if n != 2 {
		t.Errorf("%d stored items, want 2", n)
	}

	if code, out, errOut := c.run("retrain", "-reset"); code != 0 {
		t.Fatalf("retrain -reset: %d %s %s", code, out, errOut)
	}
	if _, err := os.Stat(modelFile); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("retrain -reset left the model file: %v", err)
	}
	if !sameAs(shipped, c.classifyFile(probeFile)) {
		t.Error("after retrain -reset, classify should use the shipped model again")
	}

	// -alone trains on the file alone, as retrain -from did before it
	// adapted the shipped model. Told apart on items whose words the
	// file lacks: the adapted model keeps what the shipped one learned
	// of them ("Chrome" is a product's name, "why" an opinion's mark),
	// a model trained alone knows nothing of them.
	unknown := []news.Item{
		{Title: "Gemini in Chrome", SourceKind: news.KindNews},
		{Title: "Why everyone is talking about agents", SourceKind: news.KindNews},
		{Title: "The humanoid robot year", SourceKind: news.KindNews},
	}
	unknownFile := filepath.Join(c.dir, "unknown.jsonl")
	lines = lines[:0]
	for _, p := range unknown {
		b, _ := json.Marshal(map[string]string{"title": p.Title, "source_kind": string(p.SourceKind)})
		lines = append(lines, string(b))
	}
	os.WriteFile(unknownFile, []byte(strings.Join(lines, "\n")+"\n"), 0o644)
	// A verdict's label and confidence, comparable.
	type lc struct {
		l news.Label
		c float64
	}
	verdicts := func(m *classifier.Model) []lc {
		var out []lc
		for _, p := range unknown {
			v := m.Classify(p)
			out = append(out, lc{v.Label, v.Confidence})
		}
		return out
	}
	got := func() []lc {
		var out []lc
		for _, v := range c.classifyFile(unknownFile) {
			out = append(out, lc{v.Label, v.Confidence})
		}
		return out
	}
	alone := aloneModel(t, labels)
	if slices.Equal(verdicts(alone), verdicts(want)) {
		t.Fatalf("the probes cannot tell the model trained alone (%v) from the adapted one; change them", verdicts(alone))
	}
	code, out, errOut = c.run("retrain", "-from", labels)
	if code != 0 || !strings.Contains(out, "adapted the shipped model to 36 items") {
		t.Fatalf("retrain -from: %d\n%s\n%s", code, out, errOut)
	}
	if g := got(); !slices.Equal(g, verdicts(want)) {
		t.Errorf("adapted: the probes read %v, want %v", g, verdicts(want))
	}
	code, out, errOut = c.run("retrain", "-from", labels, "-alone")
	if code != 0 || !strings.Contains(out, "trained a new model on 36 items") {
		t.Fatalf("retrain -from -alone: %d\n%s\n%s", code, out, errOut)
	}
	if g := got(); !slices.Equal(g, verdicts(alone)) {
		t.Errorf("alone: the probes read %v, want %v", g, verdicts(alone))
	}
	// With that model in place, -from adapts the shipped model again, not
	// the one it finds: the same file gives the same model.
	code, out, errOut = c.run("retrain", "-from", labels)
	if code != 0 {
		t.Fatalf("retrain -from after -alone: %d\n%s\n%s", code, out, errOut)
	}
	if g := got(); !slices.Equal(g, verdicts(want)) {
		t.Errorf("adapted after -alone: the probes read %v, want %v (the shipped model adapted)", g, verdicts(want))
	}
}

// A bad line or too small a file is refused with what to do, and changes
// nothing: no model file, the shipped model still classifies.
func TestRetrainFromFileRefusesBadInput(t *testing.T) {
	c := newCLI(t)
	good, err := os.ReadFile(filepath.Join("testdata", "retrain_labels.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(good)), "\n")
	write := func(name string, ls []string) string {
		p := filepath.Join(c.dir, name)
		os.WriteFile(p, []byte(strings.Join(ls, "\n")+"\n"), 0o644)
		return p
	}
	badLabel := append([]string{lines[0], lines[1]}, `{"title": "Acme ships a thing", "label": "products"}`)
	noLabel := append([]string{lines[0]}, `{"title": "Acme ships a thing"}`)
	notJSON := append([]string{lines[0], lines[1], lines[2]}, `{"title": "half a line`)
	cases := []struct {
		name, file string
		code       int
		want       []string
	}{
		{"unknown label", write("bad-label.jsonl", append(badLabel, lines[3:]...)), 1, []string{"line 3", `"products"`, "research, product, other", "nothing was changed"}},
		{"missing label", write("no-label.jsonl", append(noLabel, lines[2:]...)), 1, []string{"line 2", "label"}},
		{"not JSON", write("not-json.jsonl", append(notJSON, lines[4:]...)), 1, []string{"line 4", "fix the line"}},
		{"too few", write("small.jsonl", lines[:10]), 1, []string{"10 items", "at least 30", "label more items"}},
		{"one label short", write("skewed.jsonl", append(lines[:14], lines[24:26]...)), 1, []string{"other 2", "at least 5 of each label"}},
		{"missing file", filepath.Join(c.dir, "nope.jsonl"), 1, []string{"nope.jsonl"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := c.run("retrain", "-from", tc.file)
			if code != tc.code {
				t.Errorf("exit %d, want %d\n%s\n%s", code, tc.code, out, errOut)
			}
			for _, w := range tc.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("error %q does not say %q", errOut, w)
				}
			}
			if _, err := os.Stat(filepath.Join(c.dir, "data", service.BaseModelFile)); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("a model file was written: %v", err)
			}
		})
	}
	for _, args := range [][]string{{"retrain", "-from", "x.jsonl", "-reset"}, {"retrain", "-seed"}, {"retrain", "-alone"},
		{"retrain", "-from", "x.jsonl", "-seed"}} {
		if code, _, _ := c.run(args...); code != 2 {
			t.Errorf("%v: exit %d, want 2 (usage)", args, code)
		}
	}
}

// Beside a running daemon, retrain -from (a path relative to the client)
// trains in the daemon, which classifies with the new model at once;
// -reset takes it back, again in the daemon.
func TestRetrainFromFileThroughTheDaemon(t *testing.T) {
	c := newCLI(t)
	if code, out, errOut := c.run("poll"); code != 0 {
		t.Fatalf("poll: %d %s %s", code, out, errOut)
	}
	labels, trained, shipped := retrainModels(t)
	stop := startDaemon(t, c)
	stored := func(want *classifier.Model) {
		t.Helper()
		code, out, errOut := c.run("items", "-json")
		if code != 0 {
			t.Fatalf("items: %d %s", code, errOut)
		}
		sc := bufio.NewScanner(strings.NewReader(out))
		n := 0
		for ; sc.Scan(); n++ {
			var it news.Item
			if err := json.Unmarshal(sc.Bytes(), &it); err != nil {
				t.Fatal(err)
			}
			if v := want.Classify(it); it.Verdict == nil || it.Verdict.Label != v.Label || it.Verdict.Confidence != v.Confidence {
				t.Errorf("stored verdict of %q: %+v, want %+v", it.Title, it.Verdict, v)
			}
		}
		if n != 2 {
			t.Errorf("%d items, want 2", n)
		}
	}
	if code, out, errOut := c.run("retrain", "-from", labels); code != 0 || !strings.Contains(out, "reclassified 2 items") {
		t.Fatalf("retrain -from through the daemon: %d\n%s\n%s", code, out, errOut)
	}
	stored(trained)
	// -alone (and -from=FILE) survive the trip through the socket.
	if code, out, errOut := c.run("retrain", "-from="+labels, "-alone"); code != 0 || !strings.Contains(out, "trained a new model on 36 items") {
		t.Fatalf("retrain -from=FILE -alone through the daemon: %d\n%s\n%s", code, out, errOut)
	}
	stored(aloneModel(t, labels))
	if code, _, errOut := c.run("retrain", "-from", labels, "-seed"); code != 2 || !strings.Contains(errOut, "-alone") {
		t.Errorf("retrain -from FILE -seed through the daemon: exit %d, want 2 (usage)\n%s", code, errOut)
	}
	if code, out, errOut := c.run("retrain", "-reset"); code != 0 {
		t.Fatalf("retrain -reset: %d %s %s", code, out, errOut)
	}
	stored(shipped)
	if code := stop(); code != 0 {
		t.Errorf("run exit %d", code)
	}
}

// retrainModels returns the fixture of labelled items, the shipped model
// adapted to it here (what retrain -from should build) and the shipped
// model.
func retrainModels(t *testing.T) (labels string, trained, shipped *classifier.Model) {
	t.Helper()
	labels = filepath.Join("testdata", "retrain_labels.jsonl")
	f, err := os.Open(labels)
	if err != nil {
		t.Fatal(err)
	}
	ex, err := classifier.ReadExamples(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if shipped, err = classifier.Builtin(); err != nil {
		t.Fatal(err)
	}
	if trained, err = classifier.Train(ex, classifier.TrainOptions{Prior: shipped}); err != nil {
		t.Fatal(err)
	}
	return labels, trained, shipped
}

// aloneModel is what retrain -from FILE -alone should build: a model
// trained on the file alone.
func aloneModel(t *testing.T, labels string) *classifier.Model {
	t.Helper()
	f, err := os.Open(labels)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ex, err := classifier.ReadExamples(f)
	if err != nil {
		t.Fatal(err)
	}
	m, err := classifier.Train(ex, classifier.TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return m
}
