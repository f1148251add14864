package digest

import (
	"slices"
	"testing"

	"github.com/triagebot/triagebot/news"
)

// Two reports of one story written in Chinese, one naming a company in
// Chinese and the other in Latin letters, or one with a word that only
// holds a company's name ("京東方" is BOE, not JD; "提高通用" is to make
// more general, no Qualcomm), are one story: the two-companies rule must
// not read them as two companies' news.
func TestHanCompaniesOneStory(t *testing.T) {
	N := news.KindNews
	cases := []struct{ a, b string }{
		{"台積電2奈米量產，良率優於預期", "TSMC 2奈米量產良率優於預期，蘋果首發"},
		{"高通發布驍龍新晶片，AI算力翻倍", "Qualcomm發布驍龍新晶片，三星首發，AI算力翻倍"},
		{"京東方OLED面板打入供應鏈，年出貨將破億片", "BOE面板打入蘋果供應鏈，年出貨將破億片"},
		{"新模型大幅提高通用推理能力 開源免費商用", "智譜新模型大幅提升通用推理能力 開源免費商用"},
		{"AI修復三星堆青銅神樹，細節首度曝光", "騰訊AI修復青銅神樹，細節首度曝光"},
		{"阿里山小火車導入AI巡檢系統", "華為AI巡檢系統導入小火車"},
	}
	var gc []groupCase
	for _, c := range cases {
		gc = append(gc, groupCase{c.a + " / " + c.b, []news.Item{
			it("a", "Outlet A", N, c.a, "", "https://a.example.com/1", news.Product, 0.8, 1),
			it("b", "Outlet B", N, c.b, "", "https://b.example.com/2", news.Product, 0.8, 1.2),
		}, nil, [][]string{{"a", "b"}}})
	}
	checkGroupCases(t, gc)
}

func TestHanHeadCompaniesWords(t *testing.T) {
	cases := []struct {
		title string
		want  []string
	}{
		{"京東方OLED面板打入供應鏈", []string{"boe"}},
		{"京东方与京东合作", []string{"boe", "jd"}},
		{"大幅提高通用推理能力", nil},
		{"提高通話品質，高通新晶片上市", []string{"qualcomm"}},
		{"AI修復三星堆青銅神樹", nil},
		{"阿里山小火車導入AI巡檢", nil},
		{"超微型AI晶片問世", nil},
		{"全球最快手機晶片問世", nil},
		{"最快手机芯片发布，小米首发", []string{"xiaomi"}},
		{"快手發布可靈新版", []string{"kuaishou"}},
		// 快手 followed by 機器 (machine) is Kuaishou's robots or machine
		// learning, not a fast phone.
		{"快手機器人團隊發布新模型", []string{"kuaishou"}},
		{"快手机器学习平台开源", []string{"kuaishou"}},
		{"台積電TSMC 2奈米量產", []string{"tsmc"}},
		{"TSMC 2奈米量產，蘋果首發", []string{"tsmc", "apple"}},
		{"SK Hynix與海力士", []string{"skhynix"}},
		{"iFlytek發布星火", []string{"iflytek"}},
		// Latin spellings count in Chinese headlines only: an English
		// one past ASCII reads as an ASCII one does.
		{"TSMC’s profit beats Nvidia’s", []string{"nvidia"}},
	}
	for _, c := range cases {
		var out [4]string
		n, _ := headCompanies(c.title, &out)
		if !slices.Equal(out[:n], c.want) && !(n == 0 && c.want == nil) {
			t.Errorf("headCompanies(%q) = %q, want %q", c.title, out[:n], c.want)
		}
	}
}
