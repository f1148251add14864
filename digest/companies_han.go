package digest

import (
	"slices"
	"strings"
	"unicode"
)

// hanCompanies are the companies Chinese headlines name in Chinese, each
// in both scripts, with the products that stand for them (通義 is
// Alibaba's as Qwen is): what headCompanies reads in Latin letters,
// read in Chinese. Keys are the ones companyOf gives, so "谷歌" and
// "Google" are one company. Longer names come first, so that "美超微"
// (Supermicro) is not read as "超微" (AMD in Taiwan) and "阿里巴巴" is one
// name. Left out: names that are also everyday words ("聯想" is Lenovo
// and "to associate", "理想" is Li Auto and "ideal"), which would split
// one story over a word. A longer word that only holds a name ("三星堆"
// is a dig, "提高通用" is to make more general, "最快手機" the fastest
// phone) has no key: read first, it keeps the name inside it from being
// read.
var hanCompanies = [...]struct{ name, key string }{
	{"科大訊飛", "iflytek"}, {"科大讯飞", "iflytek"},
	{"京東方", "boe"}, {"京东方", "boe"}, {"提高通", ""}, {"三星堆", ""}, {"阿里山", ""}, {"超微型", ""},
	// "最快手機" is the fastest phone (快 + 手機), not Kuaishou (快手);
	// but "快手機器人" and "快手机器学习" are Kuaishou's robots and
	// machine learning (快手 + 機器), read first.
	{"快手機器", "kuaishou"}, {"快手机器", "kuaishou"}, {"快手機", ""}, {"快手机", ""},
	{"字節跳動", "bytedance"}, {"字节跳动", "bytedance"},
	{"阿里巴巴", "alibaba"}, {"月之暗面", "moonshot"}, {"深度求索", "deepseek"},
	{"火山引擎", "bytedance"}, {"理想汽車", "liauto"}, {"理想汽车", "liauto"},
	{"英偉達", "nvidia"}, {"英伟达", "nvidia"}, {"英特爾", "intel"}, {"英特尔", "intel"},
	{"亞馬遜", "amazon"}, {"亚马逊", "amazon"}, {"特斯拉", "tesla"},
	{"台積電", "tsmc"}, {"台积电", "tsmc"}, {"聯發科", "mediatek"}, {"联发科", "mediatek"},
	{"富士康", "foxconn"}, {"拼多多", "pdd"}, {"比亞迪", "byd"}, {"比亚迪", "byd"},
	{"美超微", "supermicro"}, {"海力士", "skhynix"},
	{"阿里雲", "alibaba"}, {"阿里云", "alibaba"}, {"阿里", "alibaba"},
	{"通義", "alibaba"}, {"通义", "alibaba"}, {"千問", "alibaba"}, {"千问", "alibaba"},
	{"淘寶", "alibaba"}, {"淘宝", "alibaba"},
	{"百度", "baidu"}, {"文心", "baidu"},
	{"騰訊", "tencent"}, {"腾讯", "tencent"}, {"微信", "tencent"}, {"混元", "tencent"},
	{"字節", "bytedance"}, {"字节", "bytedance"}, {"抖音", "bytedance"}, {"豆包", "bytedance"},
	{"華為", "huawei"}, {"华为", "huawei"}, {"鴻蒙", "huawei"}, {"鸿蒙", "huawei"}, {"昇騰", "huawei"}, {"昇腾", "huawei"},
	{"小米", "xiaomi"}, {"輝達", "nvidia"}, {"辉达", "nvidia"}, {"超微", "amd"},
	{"微軟", "microsoft"}, {"微软", "microsoft"}, {"谷歌", "google"}, {"安卓", "google"},
	{"蘋果", "apple"}, {"苹果", "apple"}, {"臉書", "meta"}, {"脸书", "meta"},
	{"三星", "samsung"}, {"高通", "qualcomm"}, {"鴻海", "foxconn"}, {"鸿海", "foxconn"},
	{"京東", "jd"}, {"京东", "jd"}, {"美團", "meituan"}, {"美团", "meituan"},
	{"網易", "netease"}, {"网易", "netease"}, {"快手", "kuaishou"}, {"智譜", "zhipu"}, {"智谱", "zhipu"},
	{"商湯", "sensetime"}, {"商汤", "sensetime"}, {"美光", "micron"}, {"宇樹", "unitree"}, {"宇树", "unitree"},
	{"蔚來", "nio"}, {"蔚来", "nio"}, {"小鵬", "xpeng"}, {"小鹏", "xpeng"},
	// Stock markets are read as companies are: "A股三大指数集体收涨" and
	// "美股三大指数集体收跌" are one template over two markets' closes,
	// two stories (found by grouping the labelled Chinese items on one
	// date).
	{"A股", "market-cn"}, {"陸股", "market-cn"}, {"陆股", "market-cn"}, {"港股", "market-hk"},
	{"美股", "market-us"}, {"台股", "market-tw"}, {"日股", "market-jp"}, {"韓股", "market-kr"},
	{"韩股", "market-kr"}, {"歐股", "market-eu"}, {"欧股", "market-eu"},
}

// hanHeadCompanies adds to out[:n] the companies title names in Chinese
// (hanCompanies), as headCompanies does for Latin names; ok is false
// when there are more than out holds. A name inside a longer one already
// read is not read again.
func hanHeadCompanies(title string, out *[4]string, n int) (int, bool) {
	if !strings.ContainsFunc(title, isHan) {
		return n, true
	}
	// A Chinese headline may write these companies in Latin letters
	// ("TSMC", "Qualcomm"), which isCompany does not know; read as one
	// with their Chinese names, or "台積電…" and "TSMC…, 蘋果…" would be two
	// companies' news.
	for w := range strings.FieldsFuncSeq(title, notNameRune) {
		if !capitalized(w) {
			continue
		}
		key := hanLatinCompany(strings.ToLower(w))
		if key == "" || slices.Contains(out[:n], key) {
			continue
		}
		if n == len(out) {
			return n, false
		}
		out[n] = key
		n++
	}
	var taken [8][2]int // byte ranges of the names read
	nt := 0
	for _, c := range hanCompanies {
		for off := 0; ; {
			i := strings.Index(title[off:], c.name)
			if i < 0 {
				break
			}
			i += off
			end := i + len(c.name)
			off = end
			inside := false
			for _, r := range taken[:nt] {
				inside = inside || i >= r[0] && end <= r[1]
			}
			if inside {
				continue
			}
			if nt < len(taken) {
				taken[nt] = [2]int{i, end}
				nt++
			}
			if c.key == "" || slices.Contains(out[:n], c.key) {
				continue
			}
			if n == len(out) {
				return n, false
			}
			out[n] = c.key
			n++
		}
	}
	return n, true
}

// isHan reports whether r is a Chinese character.
func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

// hanLatinCompany is the key (hanCompanies) of a company in the table
// that isCompany does not know, written in Latin letters and lowercased,
// or "".
func hanLatinCompany(w string) string {
	switch w {
	case "iflytek", "tsmc", "mediatek", "foxconn", "pdd", "byd", "supermicro", "qualcomm",
		"jd", "meituan", "netease", "kuaishou", "sensetime", "micron", "unitree", "nio", "xpeng", "boe":
		return w
	case "hynix":
		return "skhynix"
	case "pinduoduo":
		return "pdd"
	}
	return ""
}
