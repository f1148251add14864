package feeds

import (
	"strings"

	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/rss"
)

// rssTranslator is gofeed's RSS translator plus one rule it lacks: an
// item with no <link> whose <guid> is a permalink (isPermaLink="true", or
// no attribute, which RSS 2.0 says means true) and an http(s) URL takes
// the guid as its link. gofeed drops the attribute, so only the
// translator, which still sees the RSS item, can apply the rule.
type rssTranslator struct {
	gofeed.DefaultRSSTranslator
}

// newRSSTranslator is the translator NewParser installs; gofeed's image
// scan stays off as before.
func newRSSTranslator() *rssTranslator {
	return &rssTranslator{gofeed.DefaultRSSTranslator{DisableContentImageScan: true}}
}

// Translate runs gofeed's translation and then fills links from permalink
// GUIDs. gofeed translates the RSS items one to one, in order.
func (t *rssTranslator) Translate(feed interface{}) (*gofeed.Feed, error) {
	out, err := t.DefaultRSSTranslator.Translate(feed)
	if err != nil {
		return out, err
	}
	rf, ok := feed.(*rss.Feed)
	if !ok || len(rf.Items) != len(out.Items) {
		return out, nil
	}
	for i, ri := range rf.Items {
		it := out.Items[i]
		if ri == nil || it == nil || ri.GUID == nil || it.Link != "" || len(it.Links) > 0 {
			continue
		}
		if strings.EqualFold(strings.TrimSpace(ri.GUID.IsPermalink), "false") {
			continue
		}
		if g := strings.TrimSpace(ri.GUID.Value); isWebURL(g) {
			it.Link = g
		}
	}
	return out, nil
}
