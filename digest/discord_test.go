package digest

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/triagebot/triagebot/news"
)

func TestButtonIDRoundTrip(t *testing.T) {
	for _, b := range []ButtonID{
		{Action: ActTag, Label: news.Research, Ref: "a1b2c3d4"},
		{Action: ActTag, Label: news.Other, Ref: "x"},
		{Action: ActPick, Ref: "a1b2c3d4"},
		{Action: ActDetails, Ref: "a1b2c3d4"},
		{Action: ActFullWeek, Ref: "2026-W48"},
	} {
		got, err := ParseButtonID(b.Format())
		if err != nil || got != b {
			t.Errorf("%+v → %q → %+v, %v", b, b.Format(), got, err)
		}
	}
	// Buttons on messages posted before picks were per host.
	if got, err := ParseButtonID("unpick:a1"); err != nil || got != (ButtonID{Action: ActPick, Ref: "a1"}) {
		t.Errorf("unpick: %+v %v", got, err)
	}
	for _, bad := range []string{"", "tag", "tag:research", "tag:science:a1", "tag:research:", "pick", "pick:", "pick:a:b", "vote:a1",
		"tag:research:a1:extra", strings.Repeat("x", 101)} {
		if _, err := ParseButtonID(bad); !errors.Is(err, ErrButtonID) {
			t.Errorf("%q: %v, want ErrButtonID", bad, err)
		}
	}
}

// TestDiscordStoryMessages pins the rendering to Discord's own numbers
// (not this package's constants): content ≤ 2000, ≤ 10 embeds, title ≤
// 256, description ≤ 4096, footer ≤ 2048, all embeds ≤ 6000, ≤ 5 rows of
// ≤ 5 buttons, custom_id ≤ 100, label ≤ 80; and to the promise that every
// story has its own message with its own buttons.
func TestDiscordStoryMessages(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	long := func(n int) string {
		var b strings.Builder
		for b.Len() < n {
			b.WriteString([]string{"word ", "漢字", "*", "[x](https://e.example.com/(a))", "@everyone ", "\n", "🚀"}[rng.IntN(7)])
		}
		return b.String()
	}
	for round := range 200 {
		var items []news.Item
		for i := range 1 + rng.IntN(60) {
			x := it(fmt.Sprintf("i%03d", i), long(rng.IntN(300)), news.KindNews, long(rng.IntN(400)), long(rng.IntN(3000)),
				"https://e.example.com/"+strings.Repeat("p", rng.IntN(2500)), news.Labels()[rng.IntN(3)], rng.Float64(), rng.Float64()*7)
			if rng.IntN(5) == 0 {
				x.Picked, x.PickedBy = true, long(60)
			}
			items = append(items, x)
		}
		d := build(t, items, nil, Options{Since: since, Until: until, Week: "2026-W48", PerSection: 1 + rng.IntN(10), Language: []string{"en", "zh-TW"}[round%2], Now: until})
		// Half the stories carry a model's brief of any length: its
		// parts are clipped, so the limits hold whatever the model wrote.
		briefs := 0
		for si := range d.Sections {
			for i := range d.Sections[si].Stories {
				st := &d.Sections[si].Stories[i]
				if st.Detail == nil {
					st.Detail = &Detail{}
				}
				// Talking points and coverage of any length and number.
				for range rng.IntN(5) {
					st.Points = append(st.Points, Point{Kind: []string{pointResult, pointCaveat, pointAvailability}[rng.IntN(3)],
						Quote: long(rng.IntN(1500)), Source: long(rng.IntN(300)), URL: "https://e.example.com/" + strings.Repeat("q", rng.IntN(2500))})
				}
				for range rng.IntN(14) {
					st.Coverage = append(st.Coverage, Report{Title: long(rng.IntN(600)), Source: long(rng.IntN(200)),
						URL: "https://e.example.com/" + strings.Repeat("c", rng.IntN(2500))})
				}
				if rng.IntN(2) == 0 {
					briefs++
					d.Sections[si].Stories[i].Brief = &news.Brief{Text: long(1 + rng.IntN(5000)), Title: long(rng.IntN(1000)),
						Points: []string{long(2000), long(rng.IntN(2000)), long(2000), long(2000)}, Model: long(1 + rng.IntN(300))}
				}
			}
		}
		msgs := Discord(d)
		if briefs > 0 {
			marked := 0
			for _, m := range msgs {
				for _, e := range m.Embeds {
					if strings.Contains(e.Description, "Machine-written brief") || strings.Contains(e.Description, "AI 摘要") {
						marked++
					}
				}
			}
			if marked != briefs {
				t.Fatalf("round %d: %d of %d briefs shown as machine-written", round, marked, briefs)
			}
		}
		shown := 0
		for _, sec := range d.Sections {
			shown += len(sec.Stories)
		}
		stories := 0
		for mi, m := range msgs {
			where := fmt.Sprintf("round %d message %d", round, mi)
			if n := utf8.RuneCountInString(m.Content); n > 2000 {
				t.Fatalf("%s: content %d", where, n)
			}
			if len(m.Embeds) > 1 {
				t.Fatalf("%s: %d stories in one message", where, len(m.Embeds))
			}
			total := 0
			for _, e := range m.Embeds {
				stories++
				if utf8.RuneCountInString(e.Title) > 256 || utf8.RuneCountInString(e.Description) > 4096 || e.Footer == nil || utf8.RuneCountInString(e.Footer.Text) > 2048 {
					t.Fatalf("%s: embed over a limit", where)
				}
				if len(e.Fields) > 25 {
					t.Fatalf("%s: %d fields", where, len(e.Fields))
				}
				body := utf8.RuneCountInString(e.Title) + utf8.RuneCountInString(e.Description)
				for _, f := range e.Fields {
					if n, v := utf8.RuneCountInString(f.Name), utf8.RuneCountInString(f.Value); n == 0 || n > 256 || v == 0 || v > 1024 {
						t.Fatalf("%s: field name %d, value %d", where, n, v)
					}
					body += utf8.RuneCountInString(f.Name) + utf8.RuneCountInString(f.Value)
				}
				// The bot rewrites the footer on a tag or pick, up to 2048:
				// the rest must leave room for any footer.
				if body+2048 > 6000 {
					t.Fatalf("%s: %d runes besides the footer leave no room for a 2048-rune one", where, body)
				}
				total += body + utf8.RuneCountInString(e.Footer.Text)
				if len(m.Components) != 1 {
					t.Fatalf("%s: a story with %d rows", where, len(m.Components))
				}
			}
			if total > 6000 || len(m.Components) > 5 {
				t.Fatalf("%s: embeds %d, rows %d", where, total, len(m.Components))
			}
			for _, r := range m.Components {
				if len(r.Components) < 1 || len(r.Components) > 5 {
					t.Fatalf("%s: row of %d", where, len(r.Components))
				}
				for _, b := range r.Components {
					if len(b.CustomID) > 100 || utf8.RuneCountInString(b.Label) > 80 {
						t.Fatalf("%s: button %+v", where, b)
					}
					if _, err := ParseButtonID(b.CustomID); err != nil {
						t.Fatalf("%s: %v", where, err)
					}
				}
			}
		}
		if stories != shown {
			t.Fatalf("round %d: %d story messages for %d stories", round, stories, shown)
		}
	}
}

func TestDiscordShowsNoInternals(t *testing.T) {
	d := goldenDigest(t, "en")
	for _, m := range Discord(d) {
		for _, e := range m.Embeds {
			text := e.Title + e.Description + e.Footer.Text
			for _, bad := range []string{"0.99", "0.90", "0.85", "`p1`", "id `"} {
				if strings.Contains(text, bad) {
					t.Errorf("listeners see %q in %q", bad, text)
				}
			}
			if e.Timestamp == "" || !strings.Contains(e.Description, "](https://") {
				t.Errorf("a story without time or source links: %+v", e)
			}
		}
	}
	// At most eight sources, then how many more.
	st := Story{ID: "s", Title: "t", Label: news.Product}
	for i := range 12 {
		st.Sources = append(st.Sources, Source{Name: fmt.Sprintf("Outlet %d", i), URL: fmt.Sprintf("https://o%d.example.com/a", i)})
	}
	e := storyEmbed(st, SectionProduct, "en")
	if strings.Count(e.Description, "](https://") != 8 || !strings.HasSuffix(e.Description, " · +4") {
		t.Errorf("twelve sources: %q", e.Description)
	}
	// A cut section offers the full week.
	d.Sections[1].Omitted = 3
	msgs := Discord(d)
	last := msgs[len(msgs)-1]
	if !strings.Contains(last.Content, "3 more stories") || len(last.Components) != 1 || last.Components[0].Components[0].CustomID != "full:2026-W48" {
		t.Errorf("the last message: %+v", last)
	}
}

func TestStoryFooterAndRow(t *testing.T) {
	for _, tc := range []struct {
		lang string
		s    StoryState
		want string
	}{
		{"en", StoryState{ID: "a", Label: news.Product}, "Product · suggested"},
		{"en", StoryState{ID: "a", Label: news.Research, Tagged: true, TaggedBy: "ana", PickedBy: []string{"ana", "bo"}}, "Research · tagged by ana · picked by ana, bo"},
		{"zh-TW", StoryState{ID: "a", Label: news.Other, Tagged: true, TaggedBy: "ana", PickedBy: []string{"ana", "bo"}}, "其他 · 由 ana 標記 · 選題：ana、bo"},
	} {
		if got := StoryFooter(tc.lang, tc.s); got != tc.want {
			t.Errorf("footer %q, want %q", got, tc.want)
		}
		row := StoryRow(tc.lang, tc.s)
		if len(row.Components) != 5 {
			t.Fatalf("row of %d", len(row.Components))
		}
		for i, l := range news.Labels() {
			if (row.Components[i].Style == StylePrimary) != (l == tc.s.Label) {
				t.Errorf("%s highlighted wrongly: %+v", l, row.Components[i])
			}
		}
		if picked := row.Components[3].Style == StyleSuccess; picked != (len(tc.s.PickedBy) > 0) {
			t.Errorf("pick button: %+v", row.Components[3])
		}
	}
	if got := ThreadName("zh-TW", "2026-W48"); got != "AI 新聞週報 · 2026-W48" {
		t.Errorf("thread name %q", got)
	}
}

func TestShowNotes(t *testing.T) {
	d := goldenDigest(t, "en")
	d.Sections = append(d.Sections, Section{Key: SectionOther, Title: "Empty", Stories: []Story{}})
	md := ShowNotes(d)
	if !strings.HasPrefix(md, "# Show notes · 2026-W48\n") || strings.Contains(md, "## Empty") || strings.Contains(md, "0.9") ||
		strings.Contains(md, "`l1`") || !strings.Contains(md, "[TechCrunch](https://tc.example/zephyr)") {
		t.Errorf("show notes:\n%s", md)
	}
	zh := ShowNotes(goldenDigest(t, "zh-TW"))
	if !strings.HasPrefix(zh, "# 節目筆記 · 2026-W48") {
		t.Errorf("zh-TW notes: %s", zh[:60])
	}
}

// TestDiscordEmbedCarriesPointsAndCoverage: the posted story shows what
// the Markdown shows — its talking points, each quoted with its source
// linked, and the other reports under "More" — in the digest's language,
// escaped, and with mentions off.
func TestDiscordEmbedCarriesPointsAndCoverage(t *testing.T) {
	st := Story{ID: "s", Title: "Acme launches Zephyr-2", URL: "https://v.example.com/z", Label: news.Product,
		Sources: []Source{{Name: "The Verge", URL: "https://v.example.com/z"}},
		Detail: &Detail{
			Points: []Point{
				{Kind: pointAvailability, Quote: "It costs $5 a month for @everyone.", Source: "The Verge", URL: "https://v.example.com/z"},
				{Kind: pointBusiness, Quote: "Acme hopes to win back revenue.", Source: "Wire", URL: ""},
			},
		}}
	for i := range 7 {
		st.Coverage = append(st.Coverage, Report{Title: fmt.Sprintf("Report (%d) [x]", i), Source: fmt.Sprintf("Outlet %d", i), URL: fmt.Sprintf("https://o%d.example.com/a", i)})
	}
	cases := []struct {
		lang  string
		names []string // field names, in order
		want  []string // in the field values
	}{
		{"en", []string{"Availability and price", "Business angle", "More"}, []string{
			"“It costs $5 a month for @\u200beveryone.” — [The Verge](https://v.example.com/z)",
			"“Acme hopes to win back revenue.” — Wire",
			"[Report (0) ［x］](https://o0.example.com/a) (Outlet 0)", "+2"}},
		{"zh-TW", []string{"上市與價格", "商業面", "更多報導"}, []string{
			"「It costs $5 a month for @\u200beveryone.」（[The Verge](https://v.example.com/z)）",
			"「Acme hopes to win back revenue.」（Wire）",
			"[Report (4) ［x］](https://o4.example.com/a)（Outlet 4）", "+2"}},
	}
	for _, tc := range cases {
		t.Run(tc.lang, func(t *testing.T) {
			d := &Digest{Title: "t", Language: tc.lang, StoryCount: 1, ItemCount: 1,
				Sections: []Section{{Key: SectionProduct, Title: "p", Stories: []Story{st}}}}
			msgs := Discord(d)
			var e Embed
			for _, m := range msgs {
				if len(m.AllowedMentions.Parse) != 0 || m.AllowedMentions.Roles != nil {
					t.Errorf("a message may mention: %+v", m.AllowedMentions)
				}
				if len(m.Embeds) == 1 {
					e = m.Embeds[0]
				}
			}
			var names []string
			values := ""
			for _, f := range e.Fields {
				names = append(names, f.Name)
				values += f.Value + "\n"
			}
			if strings.Join(names, "|") != strings.Join(tc.names, "|") {
				t.Errorf("fields %q, want %q", names, tc.names)
			}
			for _, w := range tc.want {
				if !strings.Contains(values, w) {
					t.Errorf("fields lack %q:\n%s", w, values)
				}
			}
			if n := strings.Count(e.Fields[len(e.Fields)-1].Value, "](https://"); n != maxCoverage {
				t.Errorf("%d coverage links, want %d then +2", n, maxCoverage)
			}
		})
	}
}

func TestLinkTextFitsAndCannotBreakTheLink(t *testing.T) {
	cases := []struct{ in, want string }{
		{"We are not your parents’ (and grandparents’) Database", "We are not your parents’ (and grandparents’) Database"},
		{"A [link](https://evil.example.com) inside", "A ［link］(https://evil.example.com) inside"},
		{"back\\slash and @everyone <@1>", "back＼slash and @\u200beveryone <\u200b@\u200b1>"},
		{"two\nlines", "two lines"},
	}
	for _, tc := range cases {
		if got := linkText(tc.in, 100); got != tc.want {
			t.Errorf("linkText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := linkText(strings.Repeat("@", 200), 80); utf8.RuneCountInString(got) > 80 {
		t.Errorf("%d runes, want at most 80", utf8.RuneCountInString(got))
	}
}

func TestPointValueFits(t *testing.T) {
	for _, lang := range []string{"en", "zh-TW"} {
		for _, url := range []string{"https://e.example.com/a", "https://e.example.com/" + strings.Repeat("u", 90), "https://e.example.com/" + strings.Repeat("u", 2000)} {
			p := Point{Kind: pointResult, Quote: strings.Repeat("[*word*] ", 200), Source: strings.Repeat("@[src] ", 40), URL: url}
			v := pointValue(p, texts(lang))
			if n := utf8.RuneCountInString(v); n > maxPoint {
				t.Errorf("%s, %d-byte URL: %d runes, want at most %d", lang, len(url), n, maxPoint)
			}
			if len(url) <= 100 && !strings.Contains(v, "]("+url+")") {
				t.Errorf("%s: a short URL should be linked: %q", lang, v)
			}
		}
	}
}
