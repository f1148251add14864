package feeds

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// A feed's cost grows with its entries, not its bytes: past MaxEntries an
// XML feed keeps its first entries and a JSON feed is refused.
func TestEntryCap(t *testing.T) {
	rss := func(n int) string {
		var b strings.Builder
		b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>`)
		for i := range n {
			fmt.Fprintf(&b, "<item><title>i%d</title><guid>g%d</guid></item>", i, i)
		}
		b.WriteString("</channel></rss>")
		return b.String()
	}
	atom := func(n int) string {
		var b strings.Builder
		b.WriteString(`<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>`)
		for i := range n {
			fmt.Fprintf(&b, "<entry><title>e%d</title><id>g%d</id></entry>", i, i)
		}
		b.WriteString("</feed>")
		return b.String()
	}
	jsonFeed := func(n int) string {
		var b strings.Builder
		b.WriteString(`{"version":"https://jsonfeed.org/version/1.1","title":"t","items":[`)
		for i := range n {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"id":"%d","title":"j%d"}`, i, i)
		}
		b.WriteString("]}")
		return b.String()
	}
	tests := []struct {
		name    string
		body    string
		want    int
		wantErr error
	}{
		{"rss at the cap", rss(MaxEntries), MaxEntries, nil},
		{"rss over the cap keeps the first", rss(MaxEntries + 50), MaxEntries, nil},
		{"atom over the cap keeps the first", atom(MaxEntries + 1), MaxEntries, nil},
		{"json at the cap", jsonFeed(MaxEntries), MaxEntries, nil},
		{"json over the cap is refused", jsonFeed(MaxEntries + 1), 0, ErrTooManyEntries},
		// encoding/json matches keys in any case and lets the last
		// duplicate win: neither may slip past the count.
		{"json with the key in capitals", strings.Replace(jsonFeed(MaxEntries+1), `"items"`, `"ITEMS"`, 1), 0, ErrTooManyEntries},
		{"json with an empty first items", strings.Replace(jsonFeed(MaxEntries+1), `"items":[`, `"items":[],"Items":[`, 1), 0, ErrTooManyEntries},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Parse(t.Context(), []byte(tc.body), "")
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("err %v, want %v", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(f.Items) != tc.want {
				t.Fatalf("%d items, want %d", len(f.Items), tc.want)
			}
			if first := f.Items[0].Title; !strings.HasSuffix(first, "0") {
				t.Fatalf("first item %q: the cap must keep the feed's first entries", first)
			}
		})
	}
}

// An <item> inside an entry's content is markup, not an entry: it never
// counts toward the cap.
func TestEntryCapCountsOnlyFeedEntries(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>one</title><description><div><div><ul><item>x</item><item>y</item></ul></div></div></description></item></channel></rss>`)
	f, err := Parse(t.Context(), []byte(b.String()), "")
	if err != nil || len(f.Items) != 1 {
		t.Fatalf("%v, %d items", err, len(f.Items))
	}
}
