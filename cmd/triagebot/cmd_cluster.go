package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/triagebot/triagebot/digest"
	"github.com/triagebot/triagebot/news"
)

// errBadClusterLine is wrapped by errors about one cluster input line.
var errBadClusterLine = errors.New("bad JSONL line")

// clusterRecord is what `cluster` reads from a line; every other field is
// passed through untouched.
type clusterRecord struct {
	ID         flexID          `json:"id"`
	Title      string          `json:"title"`
	Summary    string          `json:"summary"`
	URL        string          `json:"url"`
	Source     string          `json:"source"`
	SourceKind string          `json:"source_kind"`
	Lang       string          `json:"lang"`
	Published  string          `json:"published"`
	Story      json.RawMessage `json:"story"`
	Lead       json.RawMessage `json:"lead"`
}

// flexID is an id written as a string or as a number (exports do both).
type flexID string

func (f *flexID) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*f = flexID(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("\"id\" must be a string or a number, not %s", b)
	}
	*f = flexID(n.String())
	return nil
}

// cmdCluster groups JSONL items into stories with the digest's own
// grouping and writes every line back with "story" and "lead" added.
// Grouping needs the whole batch, so every line is read (and checked)
// before anything is written: a bad line leaves no partial output.
func (a *app) cmdCluster(args []string) error {
	fs := a.flags("cluster")
	out := fs.String("out", "", "write here instead of stdout")
	threshold := fs.Float64("threshold", 0, "similarity a story's items must reach (0 = the digest's default; for measuring)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return usageErr("give at most one input file (or - for stdin)")
	}
	if *threshold < 0 || *threshold > 1 {
		return usageErr("-threshold must be between 0 and 1")
	}
	in, name, done, err := a.openInput(pos)
	if err != nil {
		return err
	}
	defer done()
	lines, items, err := readClusterInput(in, func(line int, published string) {
		a.log.Warn("cluster: unreadable date ignored; use RFC 3339, RFC 1123 or 2026-11-23", "line", line, "published", published)
	})
	if err != nil {
		return fmt.Errorf("%s: %w (fix that line; nothing was written)", name, err)
	}
	return a.writeTo(*out, func(dst io.Writer) error {
		w := bufio.NewWriterSize(dst, 1<<16)
		if err := writeClusters(w, lines, items, digest.GroupOptions{Threshold: *threshold}); err != nil {
			return err
		}
		return w.Flush()
	})
}

// clusterLine is one input line as read, kept for the output.
type clusterLine struct {
	raw    []byte
	rewrap bool // the line already had "story" or "lead": re-encode it
}

func readClusterInput(in io.Reader, warn func(line int, published string)) ([]clusterLine, []news.Item, error) {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64*1024), 16<<20)
	var lines []clusterLine
	var items []news.Item
	seen := map[string]int{}
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		it, rewrap, err := parseClusterLine(line, n, warn)
		if err != nil {
			return nil, nil, err
		}
		if it.ID == "" {
			// The story value is the lead's id; a line without one is
			// named by its line number, which is unique.
			it.ID = fmt.Sprintf("line-%d", n)
		}
		if first, dup := seen[it.ID]; dup {
			return nil, nil, fmt.Errorf("line %d: %w: id %q is already used on line %d; ids must be unique", n, errBadClusterLine, it.ID, first)
		}
		seen[it.ID] = n
		lines = append(lines, clusterLine{raw: bytes.Clone(line), rewrap: rewrap})
		items = append(items, it)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, nil, fmt.Errorf("a line is longer than 16 MiB: %w", err)
		}
		return nil, nil, err
	}
	return lines, items, nil
}

func parseClusterLine(line []byte, n int, warn func(line int, published string)) (news.Item, bool, error) {
	if line[0] != '{' {
		return news.Item{}, false, fmt.Errorf("line %d: %w: want one JSON object per line", n, errBadClusterLine)
	}
	var r clusterRecord
	if err := json.Unmarshal(line, &r); err != nil {
		return news.Item{}, false, fmt.Errorf("line %d: %w: %v", n, errBadClusterLine, err)
	}
	if strings.TrimSpace(r.Title) == "" {
		return news.Item{}, false, fmt.Errorf("line %d: %w: \"title\" is required", n, errBadClusterLine)
	}
	kind := news.Kind(strings.ToLower(strings.TrimSpace(r.SourceKind)))
	switch kind {
	case "", news.KindPaper, news.KindNews, news.KindBlog:
	default:
		return news.Item{}, false, fmt.Errorf("line %d: %w: \"source_kind\" is %q; use paper, news or blog (or leave it out)", n, errBadClusterLine, r.SourceKind)
	}
	pub, err := parsePublished(r.Published)
	if err != nil {
		// A date is optional and feeds write them every which way: an
		// unreadable one only turns off the time window for this item.
		warn(n, r.Published)
	}
	it := news.Item{ID: string(r.ID), Title: r.Title, Summary: r.Summary, URL: r.URL, Source: r.Source,
		SourceKind: kind, Lang: r.Lang, Published: pub}
	return it, r.Story != nil || r.Lead != nil, nil
}

// writeClusters groups the items and writes every line in input order
// with "story" (the lead's id) and "lead".
func writeClusters(w io.Writer, lines []clusterLine, items []news.Item, o digest.GroupOptions) error {
	ptrs := make([]*news.Item, len(items))
	index := make(map[*news.Item]int, len(items))
	for i := range items {
		ptrs[i] = &items[i]
		index[ptrs[i]] = i
	}
	story := make([]string, len(items))
	lead := make([]bool, len(items))
	// The digest's own path: its grouping, then its lead choice.
	groups := digest.Group(ptrs, o)
	digest.OrderLeads(groups)
	for _, g := range groups {
		for k, it := range g {
			i := index[it]
			story[i], lead[i] = g[0].ID, k == 0
		}
	}
	buf := make([]byte, 0, 4096)
	for i, l := range lines {
		sv, _ := json.Marshal(story[i])
		if l.rewrap {
			var fields map[string]json.RawMessage
			if err := json.Unmarshal(l.raw, &fields); err != nil {
				return err
			}
			fields["story"] = sv
			fields["lead"], _ = json.Marshal(lead[i])
			b, err := json.Marshal(fields)
			if err != nil {
				return err
			}
			buf = append(buf[:0], b...)
		} else {
			// Splice the two fields in before the closing brace: the
			// line's own fields stay byte for byte as they came.
			body := bytes.TrimSpace(l.raw[:len(l.raw)-1])
			buf = append(buf[:0], body...)
			if len(bytes.TrimSpace(body[1:])) > 0 {
				buf = append(buf, ',')
			}
			buf = append(buf, `"story":`...)
			buf = append(buf, sv...)
			buf = append(buf, `,"lead":`...)
			if lead[i] {
				buf = append(buf, "true"...)
			} else {
				buf = append(buf, "false"...)
			}
			buf = append(buf, '}')
		}
		buf = append(buf, '\n')
		if _, err := w.Write(buf); err != nil {
			return err
		}
	}
	return nil
}

// publishedLayouts are the date forms feeds and exports carry.
var publishedLayouts = []string{
	time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05Z07:00", "2006-01-02 15:04:05", time.DateOnly,
	time.RFC1123Z, time.RFC1123, "Mon, 2 Jan 2006 15:04:05 -0700", "Mon, 2 Jan 2006 15:04:05 MST",
	time.RFC822Z, time.RFC822, time.RFC850, "1/2/2006", "Jan 2, 2006",
}

// parsePublished reads a publication date; empty is "unknown".
func parsePublished(p string) (time.Time, error) {
	p = strings.TrimSpace(p)
	if p == "" {
		return time.Time{}, nil
	}
	var err error
	for _, l := range publishedLayouts {
		var t time.Time
		if t, err = time.Parse(l, p); err == nil {
			return t, nil
		}
	}
	return time.Time{}, err
}
