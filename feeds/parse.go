package feeds

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/mmcdole/gofeed"
)

// Parse turns a fetched body into a gofeed.Feed. Before gofeed sees it, the
// body is decoded to UTF-8 leniently (see toUTF8: BOMs, the declared
// charset, detection when undeclared, U+FFFD for what cannot be decoded),
// entities declared in the DOCTYPE are expanded within bounds, and an XML
// document goes through the streaming guard (see guardXML) that refuses or
// trims structures no real feed has. ctx bounds the whole parse: the poller
// passes the fetch's own context, so poll.timeout covers parsing too.
func Parse(ctx context.Context, body []byte, contentType string) (*gofeed.Feed, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, fmt.Errorf("%w: empty body", ErrNotAFeed)
	}
	data := toUTF8(body, contentType)
	if looksLikeJSON(data) {
		if err := guardJSON(ctx, data); err != nil {
			return nil, err
		}
	} else {
		data = expandEntities(data)
		var err error
		if data, err = guardXML(ctx, data); err != nil {
			return nil, err
		}
	}
	feed, err := NewParser().Parse(ctxReader{ctx: ctx, r: bytes.NewReader(data)})
	if cerr := ctx.Err(); cerr != nil {
		return nil, fmt.Errorf("feeds: parse stopped: %w", cerr)
	}
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
	// A backstop behind the guards: however a feed got this far, no poll
	// carries more than MaxEntries of its entries.
	if len(feed.Items) > MaxEntries {
		feed.Items = feed.Items[:MaxEntries]
	}
	return feed, nil
}

// ctxReader stops gofeed, which reads its input a few KB at a time, once
// the context is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

func looksLikeJSON(b []byte) bool {
	b = bytes.TrimLeft(b, " \t\r\n")
	return len(b) > 0 && (b[0] == '{' || b[0] == '[')
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
	p.RSSTranslator = newRSSTranslator()
	return p
}
