package bot_test

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/triagebot/triagebot/internal/fakediscord"
	"github.com/triagebot/triagebot/news"
	"github.com/triagebot/triagebot/store"
)

// Discord's documented limits, as numbers: the test must not borrow the
// digest package's constants, or a wrong constant would pass its own test.
const (
	discordContent   = 2000
	discordTitle     = 256
	discordDesc      = 4096
	discordFooter    = 2048
	discordEmbedText = 6000
)

// wide repeats a mix of three-byte (CJK) and four-byte (emoji) runes to n
// runes: a cut by bytes instead of runes lands inside one of them.
func wide(n int) string {
	r := []rune(strings.Repeat("模型🚀資料📡", n/6+1))
	return string(r[:n])
}

// fits checks one message body, as the fake received it from the real
// discordgo client, against Discord's limits, and that every text is
// whole: Go's JSON encoder turns a rune cut in half into U+FFFD.
func fits(t *testing.T, where string, body map[string]any) {
	t.Helper()
	whole := func(what, s string, limit int) int {
		t.Helper()
		n := utf8.RuneCountInString(s)
		if n > limit {
			t.Errorf("%s: %s has %d characters > %d", where, what, n, limit)
		}
		if i := strings.IndexRune(s, utf8.RuneError); i >= 0 || !utf8.ValidString(s) {
			t.Errorf("%s: %s has a rune cut in half: %q", where, what, s[max(0, i-12):max(0, i+3)])
		}
		return n
	}
	whole("content", str(body["content"]), discordContent)
	embeds, _ := body["embeds"].([]any)
	total := 0
	for i, e := range embeds {
		em, _ := e.(map[string]any)
		total += whole(fmt.Sprintf("embeds[%d].title", i), str(em["title"]), discordTitle)
		total += whole(fmt.Sprintf("embeds[%d].description", i), str(em["description"]), discordDesc)
		if ft, ok := em["footer"].(map[string]any); ok {
			total += whole(fmt.Sprintf("embeds[%d].footer", i), str(ft["text"]), discordFooter)
		}
	}
	if total > discordEmbedText {
		t.Errorf("%s: embed text %d > %d", where, total, discordEmbedText)
	}
}

// Feed text far beyond every limit, in multi-byte runes, goes through the
// real discordgo client to the loopback Discord: /status fills the
// 2,000-character content and a story title the 256-character embed title,
// the notice and every message stay within every limit, and no rune is
// cut in half. (A story's description stops at its 600-character summary
// plus sources, short of 4,096, by design.)
func TestLongMultibyteTextReachesDiscordLimitsWhole(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	long := news.Item{ID: "wide0001", Key: "url:https://e.example.com/wide", URL: "https://e.example.com/wide", Feed: "寬",
		Source: "寬", SourceKind: news.KindNews, Title: wide(1000), Summary: wide(5000), Lang: "zh",
		Published: w48.AddDate(0, 0, 2).Add(10 * time.Hour), FirstSeen: w48}
	if _, err := h.st.UpsertItems([]news.Item{long}); err != nil {
		t.Fatal(err)
	}
	var fs []news.Feed
	for i := range 40 {
		fs = append(fs, news.Feed{Name: fmt.Sprintf("%02d %s", i, wide(30)), URL: fmt.Sprintf("https://f%d.example.com/feed", i), Kind: news.KindNews})
	}
	if err := h.st.SyncFeeds(fs); err != nil {
		t.Fatal(err)
	}
	for i, f := range fs {
		if err := h.st.UpdateFeed(f.Name, func(r *store.FeedRecord) error {
			r.State.Failures, r.State.LastError = 3, wide(400)
			if i == 0 {
				r.State.Disabled, r.State.DisabledWhy, r.State.DisabledAt = true, wide(3000), h.clock.now()
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	h.subscribe(admin)

	// The notice: a 3,000-character reason, shortened whole.
	var notice fakediscord.Message
	if !h.fake.WaitFor(10*time.Second, func() bool {
		for _, m := range h.fake.Messages(channel) {
			if strings.Contains(m.Content(), "/feeds enable") {
				notice = m
				return true
			}
		}
		return false
	}) {
		t.Fatalf("the disabled feed was not announced; rejected %v", h.fake.Rejected())
	}
	fits(t, "notice", notice.Body)
	if !strings.Contains(notice.Content(), "…") {
		t.Errorf("the notice does not show that the reason was shortened: %q", notice.Content())
	}

	// /status: as many failing feeds as fit, in both languages.
	for _, who := range []fakediscord.Member{admin, zhAdmin} {
		_, _, body := h.answer(h.fake.Command(channel, who, "status"))
		fits(t, "/status "+who.Locale, body)
		// A line is at most about 190 characters here: one more would
		// not have fitted.
		if n := utf8.RuneCountInString(str(body["content"])); n < discordContent-300 {
			t.Errorf("/status (%s) of %d characters: the failing feeds should fill it", who.Locale, n)
		}
	}

	// The weekly post: the long story's title fills the embed title.
	h.due()
	h.waitPost("2026-W48")
	found := false
	for i, m := range h.digestMessages() {
		fits(t, fmt.Sprintf("digest message %d", i), m.Body)
		embeds, _ := m.Body["embeds"].([]any)
		for _, e := range embeds {
			em, _ := e.(map[string]any)
			if title := str(em["title"]); strings.HasPrefix(title, "模型🚀") {
				found = true
				if n := utf8.RuneCountInString(title); n < discordTitle-10 || !strings.HasSuffix(title, "…") {
					t.Errorf("a 1,000-character title became %d characters %q…; want close to Discord's %d, with an ellipsis", n, title[:30], discordTitle)
				}
			}
		}
	}
	if !found {
		t.Error("the long story is not in the weekly post")
	}
	h.noRejects()
}
