package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestClusterReadsAFileAndWritesOut pins the shared input and -out paths:
// the input named on the command line is read, the result lands in the
// -out file and not on stdout, and a failing run leaves an existing -out
// file as it was.
func TestClusterReadsAFileAndWritesOut(t *testing.T) {
	dir := t.TempDir()
	input := filepath.Join(dir, "in.jsonl")
	if err := os.WriteFile(input, []byte(`{"id":"a","title":"Acme launches Zephyr-2"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.jsonl")
	if err := os.WriteFile(bad, []byte("not json\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	outPath := filepath.Join(dir, "sub", "out.jsonl")
	for _, tc := range []struct {
		name     string
		args     []string
		code     int
		fileHas  string // what the -out file must then contain
		errorHas string
	}{
		{"file in, -out file written", []string{"cluster", "-out", outPath, input}, 0, `"story":"a"`, ""},
		{"a bad input keeps the old -out file", []string{"cluster", "-out", outPath, bad}, 2, `"story":"a"`, "bad.jsonl"},
		{"a missing input is named", []string{"cluster", "-out", outPath, filepath.Join(dir, "missing.jsonl")}, 2, `"story":"a"`, "missing.jsonl"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runWithStdin(t, "", tc.args...)
			if (code == 0) != (tc.code == 0) {
				t.Fatalf("exit %d, want %d: %s", code, tc.code, stderr)
			}
			if stdout != "" {
				t.Errorf("stdout %q, want everything in the -out file", stdout)
			}
			if !strings.Contains(stderr, tc.errorHas) {
				t.Errorf("stderr %q does not name %q", stderr, tc.errorHas)
			}
			b, err := os.ReadFile(outPath)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(b), tc.fileHas) {
				t.Errorf("-out file %q, want it to hold %s", b, tc.fileHas)
			}
		})
	}
}
