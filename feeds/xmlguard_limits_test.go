package feeds

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestGuardLimitsAsDocumented pins the XML guard to the README's table
// (depth 64, attributes 64, elements 200,000) with the README's numbers,
// not the package's constants, so a changed limit fails here.
func TestGuardLimitsAsDocumented(t *testing.T) {
	deep := func(n int) string { return strings.Repeat("<d>", n) + "x" + strings.Repeat("</d>", n) }
	attrs := func(n int) string {
		var b strings.Builder
		b.WriteString("<r><j")
		for i := range n {
			fmt.Fprintf(&b, ` a%d="v"`, i)
		}
		b.WriteString(">junk</j></r>")
		return b.String()
	}
	wide := func(n int) string { return "<r>" + strings.Repeat("<n/>", n-1) + "</r>" }
	cases := []struct {
		name    string
		in      string
		changed bool
		refused bool
	}{
		{"depth 64 kept", deep(64), false, false},
		{"depth 65 cut", deep(65), true, false},
		{"64 attributes kept", attrs(64), false, false},
		{"65 attributes cut", attrs(65), true, false},
		{"200,000 elements kept", wide(200_000), false, false},
		{"200,001 elements refused", wide(200_001), false, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := guardXML(t.Context(), []byte(tc.in))
			if tc.refused {
				if !errors.Is(err, ErrTooComplex) {
					t.Fatalf("err = %v, want ErrTooComplex", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if changed := string(got) != tc.in; changed != tc.changed {
				t.Errorf("changed = %v, want %v", changed, tc.changed)
			}
		})
	}
}
