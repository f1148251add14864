package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// Invalid UTF-8 in any field (decoded or copied through) comes out as
// U+FFFD, so every output line is valid JSON in valid UTF-8.
func TestClassifyReplacesInvalidUTF8(t *testing.T) {
	cases := []struct {
		name, in, field, want string
	}{
		{"in the title", "{\"title\":\"caf\xe9 launches\"}\n", "title", "caf\uFFFD launches"},
		{"in a copied-through field", "{\"title\":\"ok\",\"extra\":\"a\xff\xfeb\"}\n", "extra", "a\uFFFD\uFFFDb"},
		{"truncated multibyte", "{\"title\":\"ok\",\"source\":\"\xe6\xa8\"}\n", "source", "\uFFFD\uFFFD"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runWithStdin(t, tc.in, "classify")
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if !utf8.ValidString(out) {
				t.Fatalf("output is not valid UTF-8: %q", out)
			}
			var got map[string]any
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatalf("output is not JSON: %v: %q", err, out)
			}
			if got[tc.field] != tc.want {
				t.Errorf("%s = %q, want %q", tc.field, got[tc.field], tc.want)
			}
		})
	}
}

func TestClassifyTooLongLineNamesIt(t *testing.T) {
	in := "{\"title\":\"ok\"}\n\n{\"title\":\"" + strings.Repeat("x", 17<<20) + "\"}\n"
	code, out, errOut := runWithStdin(t, in, "classify")
	if code != 1 || !strings.Contains(errOut, "line 3") || !strings.Contains(errOut, "16 MiB") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	if out != "" {
		t.Errorf("wrote %d bytes before failing", len(out))
	}
}

// The output of the good lines is far larger than the 64 KiB write buffer,
// so without the spool file some of it would reach the output before the
// bad last line is read. Nothing may be written, to stdout or to -out.
func TestClassifyBadLineAfterMuchOutputWritesNothing(t *testing.T) {
	var in strings.Builder
	good := 0
	for in.Len() < 512<<10 {
		fmt.Fprintf(&in, "{\"id\":\"%d\",\"title\":\"Lab ships model %d\",\"summary\":\"%s\"}\n", good, good, strings.Repeat("words ", 40))
		good++
	}
	in.WriteString("{\"title\": broken\n")
	bad := good + 1
	outFile := filepath.Join(t.TempDir(), "out.jsonl")
	for _, args := range [][]string{{"classify"}, {"classify", "-out", outFile}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			code, out, errOut := runWithStdin(t, in.String(), args...)
			if code != 1 || !strings.Contains(errOut, fmt.Sprintf("line %d", bad)) || !strings.Contains(errOut, "nothing was written") {
				t.Errorf("exit %d, stderr %q", code, errOut)
			}
			if out != "" {
				t.Errorf("wrote %d bytes to stdout before failing", len(out))
			}
			if _, err := os.Stat(outFile); !os.IsNotExist(err) {
				t.Errorf("-out file exists after a failure: %v", err)
			}
		})
	}
	// The same input without the bad line is classified in full.
	goodIn := strings.TrimSuffix(in.String(), "{\"title\": broken\n")
	code, out, _ := runWithStdin(t, goodIn, "classify")
	if code != 0 || strings.Count(out, "\n") != good || len(out) <= 64<<10 {
		t.Errorf("good input: exit %d, %d lines (want %d), %d bytes", code, strings.Count(out, "\n"), good, len(out))
	}
}
