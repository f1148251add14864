package digest

import (
	"strings"
	"testing"

	"github.com/triagebot/triagebot/news"
)

// crossNames counts the names behind the names two items in different
// languages share. Each case below is a pair that the count got wrong:
// a name it did not see in the texts (written with a no-break hyphen, a
// Greek final sigma) dropped out and kept apart a true pair; a name of
// words it did not put together (a space past ASCII, a middle initial, a
// word after a model's number) counted twice and joined a false one.
func TestCrossNamesSeesEveryName(t *testing.T) {
	N := news.KindNews
	checkGroupCases(t, []groupCase{
		{"a launch written with no-break hyphens in both languages", []news.Item{
			it("en", "Outlet A", N, "OpenAI releases GPT\u20115.1 and Codex\u2011Max for developers", "GPT\u20115.1 and Codex\u2011Max are rolling out today.", "https://a.example.com/gpt", news.Product, 0.9, 1),
			it("zh", "電子報", N, "OpenAI發布GPT\u20115.1與Codex\u2011Max", "GPT\u20115.1與Codex\u2011Max今日起開放開發者使用。", "https://zh.example.com/gpt", news.Product, 0.9, 1.1),
		}, nil, [][]string{{"en", "zh"}}},
		{"a Greek name ending in a final sigma and a supercomputer", []news.Item{
			it("en", "Outlet A", N, "Greek minister Παπαδόπουλος unveils the Kestrel X7 supercomputer", "Minister Παπαδόπουλος showed Kestrel X7 in Athens.", "https://a.example.com/x7", news.Other, 0.8, 1),
			it("zh", "電子報", N, "希臘部長Παπαδόπουλος發表Kestrel X7超級電腦", "Παπαδόπουλος在雅典展示Kestrel X7。", "https://zh.example.com/x7", news.Other, 0.8, 1.1),
		}, nil, [][]string{{"en", "zh"}}},
		{"one name of two words with a no-break and an ideographic space", []news.Item{
			it("law", "Outlet A", N, "Governor signs the Harbor Data Act into law", "Governor Marisol\u00a0Quintero signed the Harbor Data Act, which makes platforms remove deepfakes.", "https://a.example.com/harbor-act", news.Other, 0.8, 1),
			it("roundup", "電子報", N, "新聞速寫：晶片關稅｜資本支出｜機器人", "州長Marisol\u3000Quintero週末宣布關稅新措施，晶片廠商紛紛回應。", "https://zh.example.com/roundup", news.Other, 0.7, 1.2),
		}, [][2]string{{"law", "roundup"}}, nil},
		{"one name of two words with a middle initial", []news.Item{
			it("law", "Outlet A", N, "Governor signs the Harbor Data Act into law", "Governor Marisol J. Quintero signed the Harbor Data Act, and aides say Quintero will sign more.", "https://a.example.com/harbor-act", news.Other, 0.8, 1),
			it("roundup", "電子報", N, "新聞速寫：晶片關稅｜資本支出｜機器人", "州長Marisol J. Quintero週末宣布關稅新措施，Quintero表示晶片廠商紛紛回應。", "https://zh.example.com/roundup", news.Other, 0.7, 1.2),
		}, [][2]string{{"law", "roundup"}}, nil},
		{"one model name with a word after its number", []news.Item{
			it("review", "Outlet A", N, "Developers say Tern 4 Falcon is cheap to run", "Tern 4 Falcon costs less than its rivals, a survey finds.", "https://a.example.com/tern", news.Other, 0.8, 1),
			it("roundup", "電子報", N, "新聞速寫：晶片關稅｜Tern 4 Falcon｜機器人", "開發者評測Tern 4 Falcon的價格。", "https://zh.example.com/roundup", news.Other, 0.7, 1.2),
		}, [][2]string{{"review", "roundup"}}, nil},
	})
}

func TestCrossNamesHostile(t *testing.T) {
	var b strings.Builder
	for i := range 40 {
		b.WriteString("Zq")
		b.WriteByte(byte('a' + i%26))
		b.WriteByte(byte('a' + i/26))
		b.WriteString(" X")
		b.WriteByte(byte('0' + i%10))
		b.WriteString(" ")
	}
	long := b.String()
	items := []news.Item{
		it("en", "Outlet A", news.KindNews, "Report on "+long, long+long, "https://a.example.com/h", news.Other, 0.8, 1),
		it("zh", "電子報", news.KindNews, "報告"+long, strings.Repeat("-.\u3000\u2011 ", 200)+long, "https://zh.example.com/h", news.Other, 0.8, 1.1),
	}
	g := newGrouper(ptrs(items), GroupOptions{}, nil)
	if n := crossNames(&g.docs[0], &g.docs[1], g.voc.df, nameCommon); n < 1 || n > maxCrossNames {
		t.Errorf("crossNames = %d, want 1 to %d", n, maxCrossNames)
	}
}
