package digest

import (
	"strings"
	"testing"

	"github.com/triagebot/triagebot/news"
)

// An item whose feed gave no date is marked so in every rendering, and
// Discord shows no timestamp for it: its time is only when the poll first
// saw it.
func TestUndatedStoriesAreMarked(t *testing.T) {
	dated := it("d1", "Acme launches a voice mode", news.KindNews, "Verge", "", "https://e.example.com/d1", news.Product, 0.9, 1)
	undated := it("u1", "Beta ships a calendar sidebar", news.KindNews, "Blog", "", "https://e.example.com/u1", news.Product, 0.9, 2)
	undated.Undated = true
	for _, lang := range []string{"en", "zh-TW"} {
		d := build(t, []news.Item{dated, undated}, nil, Options{Since: since, Until: until, Week: "2026-W48", PerSection: 8, Language: lang, Now: until})
		word := texts(lang).undated
		var md, txt string = Markdown(d), Text(d)
		for name, out := range map[string]string{"markdown": md, "text": txt} {
			if strings.Count(out, word) != 1 {
				t.Fatalf("%s %s: want %q once (the undated story only):\n%s", lang, name, word, out)
			}
		}
		for _, m := range Discord(d) {
			for _, e := range m.Embeds {
				if strings.Contains(e.Title, "Beta") && e.Timestamp != "" {
					t.Fatalf("%s: an undated story carries timestamp %s", lang, e.Timestamp)
				}
				if strings.Contains(e.Title, "Acme") && e.Timestamp == "" {
					t.Fatalf("%s: a dated story lost its timestamp", lang)
				}
			}
		}
		js, err := JSON(d)
		if err != nil || strings.Count(string(js), `"undated": true`) != 1 {
			t.Fatalf("%s json: %v\n%s", lang, err, js)
		}
	}
}
