package classifier

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/triagebot/triagebot/news"
)

// Record is one line of the classify/eval JSONL contract. Only Title is
// required.
type Record struct {
	ID         string `json:"id"`
	Title      string `json:"title"`
	Summary    string `json:"summary"`
	URL        string `json:"url"`
	Source     string `json:"source"`
	SourceKind string `json:"source_kind"`
	Lang       string `json:"lang"`
	Label      string `json:"label,omitempty"`
	// Ambiguous marks a labelled item a careful reader could label
	// otherwise; evaluation reports the clear items apart.
	Ambiguous bool `json:"ambiguous,omitempty"`
}

// Item is the record as the classifier sees it.
func (r Record) Item() news.Item {
	return news.Item{ID: r.ID, Title: r.Title, Summary: r.Summary, URL: r.URL, Source: r.Source,
		SourceKind: news.Kind(strings.ToLower(strings.TrimSpace(r.SourceKind))), Lang: r.Lang}
}

// ErrBadLine is wrapped by errors about one input line.
var ErrBadLine = errors.New("bad JSONL line")

// ParseRecord decodes one JSONL line. lineNo is for the message.
func ParseRecord(line []byte, lineNo int) (Record, error) {
	var r Record
	if err := json.Unmarshal(line, &r); err != nil {
		return r, fmt.Errorf("line %d: %w: %v", lineNo, ErrBadLine, err)
	}
	if strings.TrimSpace(r.Title) == "" {
		return r, fmt.Errorf("line %d: %w: \"title\" is required", lineNo, ErrBadLine)
	}
	return r, nil
}

// ReadExamples reads labelled JSONL (every line needs a valid label).
func ReadExamples(rd io.Reader) ([]Example, error) {
	sc := bufio.NewScanner(rd)
	sc.Buffer(make([]byte, 64*1024), 16<<20)
	var out []Example
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		r, err := ParseRecord([]byte(line), n)
		if err != nil {
			return nil, err
		}
		l, err := news.ParseLabel(r.Label)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w: %v", n, ErrBadLine, err)
		}
		out = append(out, Example{Item: r.Item(), Label: l, Ambiguous: r.Ambiguous})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("classifier: read: %w", err)
	}
	return out, nil
}
