package feeds

import (
	"bytes"
	"errors"
	"fmt"
	"mime"
	"regexp"
	"strings"

	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html/charset"
)

// xmlEncodingDecl finds encoding="..." in the XML prolog.
var xmlEncodingDecl = regexp.MustCompile(`^\s*(?:\xEF\xBB\xBF)?<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']`)

// Parse turns a fetched body into a gofeed.Feed. The XML prolog's encoding
// is left to gofeed (it decodes Big5, GBK and friends through x/net's
// charset); when the prolog is silent, the Content-Type charset applies.
func Parse(body []byte, contentType string) (*gofeed.Feed, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, fmt.Errorf("%w: empty body", ErrNotAFeed)
	}
	data := body
	if !xmlEncodingDecl.Match(body[:min(len(body), 512)]) {
		if _, params, err := mime.ParseMediaType(contentType); err == nil {
			if cs := strings.ToLower(strings.TrimSpace(params["charset"])); cs != "" && cs != "utf-8" && cs != "utf8" {
				cr, err := charset.NewReaderLabel(cs, bytes.NewReader(body))
				if err != nil {
					return nil, fmt.Errorf("%w: unknown charset %q in Content-Type", ErrUnparseable, cs)
				}
				var buf bytes.Buffer
				if _, err := buf.ReadFrom(cr); err != nil {
					return nil, fmt.Errorf("%w: decode %s: %v", ErrUnparseable, cs, err)
				}
				data = buf.Bytes()
			}
		}
	}
	feed, err := NewParser().Parse(bytes.NewReader(data))
	if err != nil {
		if errors.Is(err, gofeed.ErrFeedTypeNotDetected) {
			what := "unknown content"
			if looksLikeHTML(data) {
				what = "an HTML page; the URL may be a web page, not its feed"
			}
			return nil, fmt.Errorf("%w: got %s", ErrNotAFeed, what)
		}
		return nil, fmt.Errorf("%w: %v", ErrUnparseable, err)
	}
	return feed, nil
}

func looksLikeHTML(b []byte) bool {
	head := bytes.ToLower(b[:min(len(b), 1024)])
	return bytes.Contains(head, []byte("<html")) || bytes.Contains(head, []byte("<!doctype html"))
}

// NewParser is gofeed's parser as the poller uses it. gofeed's RSS
// translator by default runs a full HTML parse of every item to find a
// first <img>; triagebot shows no images, so that scan (a quarter of the
// parse time on a typical feed) is switched off with gofeed's own option.
func NewParser() *gofeed.Parser {
	p := gofeed.NewParser()
	p.RSSTranslator = &gofeed.DefaultRSSTranslator{DisableContentImageScan: true}
	return p
}
