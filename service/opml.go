package service

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/triagebot/triagebot/config"
	"github.com/triagebot/triagebot/news"
)

// ErrOPML marks a file that is not OPML at all (as opposed to single
// outlines that are refused).
var ErrOPML = errors.New("service: not an OPML file")

// maxOPML bounds an uploaded or read OPML file.
const maxOPML = 4 << 20

// OPMLRefusal is one outline that was not imported, and why.
type OPMLRefusal struct {
	Line     int
	Name     string
	URL      string
	Why      string
	Followed bool // already followed under this URL: skipped, not an error
}

// OPMLImport is what an import did, or would do.
type OPMLImport struct {
	Added   []news.Feed
	Refused []OPMLRefusal
}

type outline struct {
	Text     string    `xml:"text,attr"`
	Title    string    `xml:"title,attr"`
	Type     string    `xml:"type,attr"`
	XMLURL   string    `xml:"xmlUrl,attr"`
	Category string    `xml:"category,attr"`
	Children []outline `xml:"outline"`
	line     int
}

// kindOfFolder maps a folder (or category) name to a kind, when it says
// one: "Papers", "news", "Blogs", 論文, 新聞, 部落格.
func kindOfFolder(name string) news.Kind {
	n := strings.ToLower(strings.TrimSpace(name))
	n = strings.TrimPrefix(n, "/")
	switch n {
	case "paper", "papers", "research", "arxiv", "論文", "论文":
		return news.KindPaper
	case "news", "新聞", "新闻":
		return news.KindNews
	case "blog", "blogs", "部落格", "博客":
		return news.KindBlog
	}
	return ""
}

// ParseOPML reads an OPML 1.0/2.0 file into feeds. A feed's kind comes
// from its folder or its category when they name one (paper, news,
// blog), else defaultKind; outlines that cannot become a feed are
// refused with their line.
func ParseOPML(r io.Reader, defaultKind news.Kind) ([]news.Feed, []int, []OPMLRefusal, error) {
	raw, err := io.ReadAll(io.LimitReader(r, maxOPML+1))
	if err != nil {
		return nil, nil, nil, fmt.Errorf("service: read OPML: %w", err)
	}
	if len(raw) > maxOPML {
		return nil, nil, nil, fmt.Errorf("%w: larger than %d MiB", ErrOPML, maxOPML>>20)
	}
	dec := xml.NewDecoder(bytes.NewReader(raw))
	dec.Strict = false
	var body []outline
	var stack []*[]outline
	sawOPML := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, nil, fmt.Errorf("%w: %v", ErrOPML, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch strings.ToLower(t.Name.Local) {
			case "opml":
				sawOPML = true
			case "outline":
				o := outline{line: 1 + bytes.Count(raw[:dec.InputOffset()], []byte("\n"))}
				for _, a := range t.Attr {
					switch a.Name.Local {
					case "text":
						o.Text = a.Value
					case "title":
						o.Title = a.Value
					case "type":
						o.Type = a.Value
					case "xmlUrl", "xmlurl", "url":
						o.XMLURL = a.Value
					case "category":
						o.Category = a.Value
					}
				}
				parent := &body
				if len(stack) > 0 {
					parent = stack[len(stack)-1]
				}
				*parent = append(*parent, o)
				stack = append(stack, &(*parent)[len(*parent)-1].Children)
			}
		case xml.EndElement:
			if strings.ToLower(t.Name.Local) == "outline" && len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		}
	}
	if !sawOPML {
		return nil, nil, nil, fmt.Errorf("%w: no <opml> element", ErrOPML)
	}
	var out []news.Feed
	var lines []int
	var refused []OPMLRefusal
	var walk func(os []outline, folderKind news.Kind)
	walk = func(os []outline, folderKind news.Kind) {
		for _, o := range os {
			name := strings.TrimSpace(o.Title)
			if name == "" {
				name = strings.TrimSpace(o.Text)
			}
			if strings.TrimSpace(o.XMLURL) == "" {
				if len(o.Children) > 0 {
					k := kindOfFolder(name)
					if k == "" {
						k = folderKind
					}
					walk(o.Children, k)
				}
				continue
			}
			kind := kindOfFolder(o.Category)
			if kind == "" {
				kind = folderKind
			}
			if kind == "" {
				kind = defaultKind
			}
			f := news.Feed{Name: name, URL: strings.TrimSpace(o.XMLURL), Kind: kind, Weight: 1}
			if f.Name == "" {
				f.Name = f.URL
			}
			if kind == "" {
				refused = append(refused, OPMLRefusal{Line: o.line, Name: f.Name, URL: f.URL, Why: "no kind: put it in a folder named paper, news or blog, or give a default kind"})
				continue
			}
			if err := config.CheckFeed(f); err != nil {
				refused = append(refused, OPMLRefusal{Line: o.line, Name: f.Name, URL: f.URL, Why: err.Error()})
				continue
			}
			out = append(out, f)
			lines = append(lines, o.line)
		}
	}
	walk(body, "")
	return out, lines, refused, nil
}

// ImportOPML adds the feeds of an OPML file: all or nothing. Feeds already
// followed at the same URL are skipped and listed; an outline that is
// invalid, repeats another, or takes a followed feed's name is refused
// with its line, and then nothing is added. With dryRun nothing is added
// and Added lists what would be.
func (s *Service) ImportOPML(r io.Reader, defaultKind news.Kind, dryRun bool) (OPMLImport, error) {
	fs, lines, refused, err := ParseOPML(r, defaultKind)
	if err != nil {
		return OPMLImport{}, err
	}
	recs, err := s.st.Feeds(false)
	if err != nil {
		return OPMLImport{}, err
	}
	var res OPMLImport
	res.Refused = refused
	names := map[string]int{}
	urls := map[string]int{}
	for _, r := range recs {
		names[strings.ToLower(r.Name)] = 0
	}
	var add []news.Feed
outer:
	for i, f := range fs {
		for _, r := range recs {
			if sameFeedURL(r.URL, f.URL) {
				res.Refused = append(res.Refused, OPMLRefusal{Line: lines[i], Name: f.Name, URL: f.URL, Why: fmt.Sprintf("already followed as %q", r.Name), Followed: true})
				continue outer
			}
		}
		for u, line := range urls {
			if sameFeedURL(u, f.URL) {
				res.Refused = append(res.Refused, OPMLRefusal{Line: lines[i], Name: f.Name, URL: f.URL, Why: fmt.Sprintf("repeats the feed on line %d", line)})
				continue outer
			}
		}
		if line, ok := names[strings.ToLower(f.Name)]; ok {
			why := "a followed feed already has this name"
			if line > 0 {
				why = fmt.Sprintf("the feed on line %d has the same name", line)
			}
			res.Refused = append(res.Refused, OPMLRefusal{Line: lines[i], Name: f.Name, URL: f.URL, Why: why})
			continue
		}
		names[strings.ToLower(f.Name)], urls[f.URL] = lines[i], lines[i]
		add = append(add, f)
	}
	sort.SliceStable(res.Refused, func(a, b int) bool { return res.Refused[a].Line < res.Refused[b].Line })
	if dryRun {
		res.Added = add // what would be added
		return res, nil
	}
	if res.Blocking() {
		return res, nil
	}
	for i, f := range add {
		if err := s.AddFeed(f); err != nil {
			for _, done := range add[:i] { // nothing half-imported
				_, _ = s.st.RemoveFeed(done.Name)
			}
			return OPMLImport{Refused: res.Refused}, fmt.Errorf("service: import %q: %w (nothing was imported)", f.Name, err)
		}
	}
	res.Added = add
	return res, nil
}

// Blocking reports whether a refusal stops the import (skipping a feed
// that is already followed does not).
func (r OPMLImport) Blocking() bool {
	for _, x := range r.Refused {
		if !x.Followed {
			return true
		}
	}
	return false
}

// ExportOPML writes the followed feeds as OPML 2.0, one folder per kind,
// so an import reads the kinds back.
func (s *Service) ExportOPML(w io.Writer) error {
	recs, err := s.st.Feeds(false)
	if err != nil {
		return err
	}
	type xo struct {
		XMLName  xml.Name `xml:"outline"`
		Text     string   `xml:"text,attr"`
		Title    string   `xml:"title,attr,omitempty"`
		Type     string   `xml:"type,attr,omitempty"`
		XMLURL   string   `xml:"xmlUrl,attr,omitempty"`
		Children []xo
	}
	doc := struct {
		XMLName xml.Name `xml:"opml"`
		Version string   `xml:"version,attr"`
		Title   string   `xml:"head>title"`
		Body    []xo     `xml:"body>outline"`
	}{Version: "2.0", Title: "triagebot feeds"}
	for _, k := range []news.Kind{news.KindPaper, news.KindNews, news.KindBlog} {
		folder := xo{Text: string(k), Title: string(k)}
		for _, r := range recs {
			if r.Kind == k {
				folder.Children = append(folder.Children, xo{Text: r.Name, Title: r.Name, Type: "rss", XMLURL: r.URL})
			}
		}
		if len(folder.Children) > 0 {
			doc.Body = append(doc.Body, folder)
		}
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("service: write OPML: %w", err)
	}
	_, err = io.WriteString(w, "\n")
	return err
}
