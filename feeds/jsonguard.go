package feeds

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// ErrTooManyEntries refuses a JSON feed with more than MaxEntries items: its
// parse cost grows with the items, not the bytes, so the body cap alone
// does not bound it.
var ErrTooManyEntries = errors.New("feeds: feed refused: too many entries (a real feed has a few hundred; check that the URL serves the feed you meant)")

// guardJSON counts a JSON Feed's top-level "items" without building them,
// and refuses the feed when there are more than MaxEntries. Keys match as
// encoding/json matches them (any case, every duplicate), so "ITEMS" or a
// second "items" cannot slip past. Anything it cannot read is left for
// gofeed to report.
func guardJSON(ctx context.Context, data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return nil
		}
		if k, _ := key.(string); !strings.EqualFold(k, "items") {
			var skip json.RawMessage
			if dec.Decode(&skip) != nil {
				return nil
			}
			continue
		}
		if t, err := dec.Token(); err != nil || t != json.Delim('[') {
			return nil
		}
		for n := 0; dec.More(); n++ {
			if n == MaxEntries {
				return fmt.Errorf("%w: more than %d", ErrTooManyEntries, MaxEntries)
			}
			if n%guardCheckEvery == 0 && ctx.Err() != nil {
				return fmt.Errorf("feeds: parse stopped: %w", ctx.Err())
			}
			var skip json.RawMessage
			if dec.Decode(&skip) != nil {
				return nil
			}
		}
		if _, err := dec.Token(); err != nil { // the array's ]
			return nil
		}
	}
	return nil
}
