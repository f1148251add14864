package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestClusterAddsStoryAndLeadAndKeepsEveryField(t *testing.T) {
	in := `{"id":"a","title":"Acme launches Zephyr-2, its fastest assistant yet","summary":"Acme's Zephyr-2 rolls out to paid users today with a voice mode.","source":"The Verge","published":"2026-11-24T09:00:00Z","extra":{"k":[1,2]}}
{"id":"b","title":"Zephyr-2 arrives with voice mode and a $20 plan","summary":"Acme said Zephyr-2 reaches all paid users today; the voice mode costs extra.","source":"TechCrunch","published":"Tue, 24 Nov 2026 11:00:00 +0000"}

{"id":"c","title":"Bolt raises $40M to build robot kitchens","published":"2026-11-25","story":"stale","lead":false}
{"title":"A line without an id","source_kind":"blog"}
{"id":42,"title":"A numeric id is an id"}
`
	code, out, errOut := runWithStdin(t, in, "cluster", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 5 {
		t.Fatalf("%d output lines for 5 items:\n%s", len(lines), out)
	}
	var rows []map[string]any
	for _, l := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("bad output line %q: %v", l, err)
		}
		rows = append(rows, m)
	}
	if rows[0]["story"] != rows[1]["story"] {
		t.Errorf("one launch in two outlets split: %v / %v", rows[0]["story"], rows[1]["story"])
	}
	if rows[2]["story"] == rows[0]["story"] || rows[3]["story"] == rows[2]["story"] {
		t.Errorf("unrelated items joined: %v", rows)
	}
	if rows[2]["story"] == "stale" || rows[2]["lead"] != true {
		t.Errorf("input story/lead not replaced: %v", rows[2])
	}
	if rows[3]["story"] == "" || rows[3]["story"] == nil || rows[3]["lead"] != true {
		t.Errorf("an item without id needs a story too: %v", rows[3])
	}
	if rows[4]["story"] != "42" {
		t.Errorf("numeric id: story %v", rows[4]["story"])
	}
	if leads := btoi(rows[0]["lead"] == true) + btoi(rows[1]["lead"] == true); leads != 1 {
		t.Errorf("a story of two has %d leads", leads)
	}
	if _, ok := rows[0]["extra"]; !ok || rows[0]["source"] != "The Verge" {
		t.Errorf("fields lost: %v", rows[0])
	}
	if !strings.HasPrefix(lines[0], `{"id":"a","title":"Acme launches`) {
		t.Errorf("the input line should be kept as it came: %s", lines[0])
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestClusterBadInputNamesTheLine(t *testing.T) {
	cases := []struct {
		name, in, want string
	}{
		{"not JSON", "{\"title\":\"ok\"}\n{oops\n", "line 2"},
		{"no title", "{\"id\":\"x\",\"summary\":\"s\"}\n", "line 1: bad JSONL line: \"title\" is required"},
		{"an array", "[1,2]\n", "line 1: bad JSONL line: want one JSON object per line"},
		{"duplicate id", "{\"id\":\"x\",\"title\":\"a\"}\n{\"id\":\"x\",\"title\":\"b\"}\n", "line 2: bad JSONL line: id \"x\" is already used on line 1"},
		{"bad kind", "{\"title\":\"a\",\"source_kind\":\"tweet\"}\n", "source_kind"},
		{"id an object", "{\"id\":{},\"title\":\"a\"}\n", "line 1: bad JSONL line"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runWithStdin(t, tc.in, "cluster", "-")
			if code == 0 || !strings.Contains(errOut, tc.want) || out != "" {
				t.Errorf("exit %d, stdout %q, stderr %q; want an error with %q and no output", code, out, errOut, tc.want)
			}
		})
	}
}

func TestClusterUnreadableDateIsAWarningNotAnError(t *testing.T) {
	code, out, errOut := runWithStdin(t, "{\"id\":\"x\",\"title\":\"a\",\"published\":\"last Tuesday\"}\n", "cluster")
	if code != 0 || !strings.Contains(out, `"story":"x"`) || !strings.Contains(errOut, "line=1") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

// TestClusterStreamsALargeBatch pins that a big batch goes through in
// one piece; the time limit is generous (a shared CI machine), the
// README gives the measured figure.
func TestClusterStreamsALargeBatch(t *testing.T) {
	if testing.Short() {
		t.Skip("large batch")
	}
	const n = 20_000
	var b strings.Builder
	start := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	for i := range n {
		fmt.Fprintf(&b, `{"id":"i%d","title":"Item %d about topic %d and thing %d","summary":"Words %d and %d.","published":%q}`+"\n",
			i, i, i%500, i%97, i%31, i%13, start.Add(time.Duration(i)*time.Minute).Format(time.RFC3339))
	}
	path := filepath.Join(t.TempDir(), "in.jsonl")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	code, out, errOut := runWithStdin(t, "", "cluster", path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if got := strings.Count(out, "\n"); got != n {
		t.Errorf("%d lines out for %d in", got, n)
	}
	if d := time.Since(t0); d > 60*time.Second {
		t.Errorf("took %v", d)
	}
}
