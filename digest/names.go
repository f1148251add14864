package digest

import (
	"math/bits"
	"strings"
	"unicode"
	"unicode/utf8"
)

// name is a word or phrase that names something: a model, product,
// company, person or place.
type name struct {
	key   string // lowercased; model names without separators ("gpt5", "claudeopus4")
	model bool   // carries a version: a model or product release ("GPT-5", "iPhone 17")
	org   bool   // a company or product family so often in the news that it never joins two items alone
	head  bool   // in the headline, not only in the summary
	// product: a capitalized word written as a product's name, with a
	// version after it ("Windsurf 2") or after a company ("Amazon
	// Bedrock"); "in Bedrock" is then where a launch ships, no place.
	product bool
	id      int32 // the name's id in the batch's vocab, once grouping has interned it
}

// names finds the names in a title or summary: names with digits
// ("GPT-5", "GLM-5.3"), a name and its version ("Opus 5", "iPhone 17";
// "Claude Opus 4" also gives "Claude 4", which is how other outlets write
// it), mixed case ("DeepSeek", "iPhone", "macOS"), acronyms ("NVIDIA") and
// capitalized words that do not start a sentence. Latin names inside
// Chinese text count too ("微軟Copilot改用GPT-5模型" names Copilot and
// GPT-5). Appends to out, without repeats.
func names(text string, out []name) []name {
	var toks [maxNameToks]nameTok
	return namesIn(text, out, &toks)
}

// namesIn is names with the tokens' buffer from the caller: makeDoc
// reads two texts per item, and a buffer on the stack is cleared at
// every call (768 bytes, twice per item: about 0.5% of a build's
// instructions). Only the tokens a call appends are read, so nothing
// needs clearing.
func namesIn(text string, out []name, toksBuf *[maxNameToks]nameTok) []name {
	// Only the first maxNameToks tokens count. Of those, toks keeps the
	// ones that may be names or versions: a token of lowercase ASCII
	// letters, '-' and '.' (most words of a summary) is neither a name
	// nor a number, so it is only counted (ntok), which keeps tokens on
	// either side of it apart.
	toks, ntok := toksBuf[:0], 0
	start := -1
	sentence := true // the next token starts a sentence
	plain := true    // the token so far is lowercase ASCII: most words of a summary, never a name
	for i := 0; i < len(text); {
		if c := text[i]; start < 0 && c >= 'a' && c <= 'z' {
			// Lowercase words, the most common tokens: read in a tight
			// loop, as many as follow one another.
			if j, n := plainWords(text, i, maxNameToks-ntok); n > 0 {
				ntok += n
				sentence, i = false, j
				if ntok == maxNameToks {
					break
				}
				continue
			}
			// A lowercase word that goes on with anything else: the loop
			// below finishes it.
			j := asciiRun(text, i+1, false)
			if j < len(text) && (text[j] >= utf8.RuneSelf || isWordByte(text[j]) || text[j] == '-' || text[j] == '.') {
				start, i = i, j
				continue
			}
			ntok++
			sentence, i = false, j
			if i < len(text) && text[i] == ' ' {
				i++ // a space between words changes nothing: skip the loop below
			}
			if ntok == maxNameToks {
				break
			}
			continue
		}
		if c := text[i]; isWordByte(c) {
			// ASCII letters and digits (a capitalized word, a number, the
			// rest of a token): all of the run is in the token, and none
			// of its bytes ends a sentence or a token, so only start and
			// plain can change; read byte by byte below, each letter took
			// the loop's whole round of tests.
			k := wordRun(text, i+1)
			if start < 0 {
				start = i
			}
			for ; plain && i < k; i++ {
				plain = 'a' <= text[i] && text[i] <= 'z'
			}
			i = k
			continue
		}
		var in bool
		r, size := rune(text[i]), 1
		if r < utf8.RuneSelf {
			c := byte(r)
			in = isWordByte(c) || c == '-' || c == '.' && start >= 0 && i+1 < len(text) && isWordByte(text[i+1])
			if in && plain && (c < 'a' || c > 'z') && c != '-' && c != '.' {
				plain = false
			}
		} else {
			r, size = utf8.DecodeRuneInString(text[i:])
			// Chinese characters, Hangul and kana are no part of a name:
			// Korean and Japanese write their particles onto the name
			// before them ("OpenAI는", "GPT-5を"), as terms reads them.
			in = (unicode.IsLetter(r) || unicode.IsDigit(r)) && !(r >= 0x1100 && isCJK(r))
			plain = plain && !in
		}
		switch {
		case in && start < 0:
			start = i
		case !in && start >= 0:
			if !plain {
				toks = append(toks, nameTok{int32(start), int32(i), uint8(ntok), sentence})
			}
			ntok++
			start, sentence = -1, false
		}
		if !in {
			plain = true
			switch r {
			case '.', '!', '?', ':', '|', '"', '\n', '。', '！', '？', '：', '「', '“', '《':
				sentence = true
			case ' ', '\t', ',', '(', ')', '\'', '‘', '’', '”', '-':
			default:
				// A Chinese character before a Latin name: the name is
				// not a sentence's capitalized first word.
				sentence = sentence && r < 0x2E80
			}
		}
		i += size
		if ntok == maxNameToks {
			break
		}
	}
	if start >= 0 && ntok < maxNameToks && !plain {
		toks = append(toks, nameTok{int32(start), int32(len(text)), uint8(ntok), sentence})
	}
	// add builds a name's key from up to three parts ("Claude", "Opus",
	// "4") in a buffer on the stack: the key is the same as
	// strings.ToLower of the parts joined and trimmed, without the
	// separators of a model name, but only a new name costs a string.
	// Non-ASCII names take the slow path, which lowercases runes.
	add := func(model bool, parts ...string) {
		var buf [64]byte
		k := 0
		for _, p := range parts {
			if k+len(p) > len(buf) {
				k = -1
				break
			}
			k += copy(buf[k:], p)
		}
		if k < 0 {
			out = addName(out, strings.Join(parts, ""), model)
			return
		}
		b := buf[:k]
		for len(b) > 0 && (b[0] == '-' || b[0] == '.') {
			b = b[1:]
		}
		for len(b) > 0 && (b[len(b)-1] == '-' || b[len(b)-1] == '.') {
			b = b[:len(b)-1]
		}
		n := 0
		for _, c := range b {
			switch {
			case c >= utf8.RuneSelf:
				out = addName(out, string(buf[:k]), model)
				return
			case model && (c == '-' || c == ' ' || c == '_'):
				continue
			case 'A' <= c && c <= 'Z':
				c += 'a' - 'A'
			}
			b[n] = c
			n++
		}
		key := b[:n]
		if len(key) < 2 || isStopword(string(key)) || isWeak(string(key)) {
			return
		}
		for i := range out {
			if out[i].key == string(key) {
				out[i].model = out[i].model || model
				return
			}
		}
		s := string(key)
		out = append(out, name{key: s, model: model, org: isOrg(s)})
	}
	var kindsBuf [maxNameToks]nameKind
	kinds := kindsBuf[:len(toks)]
	for i, t := range toks {
		kinds[i] = kindOf(trimDashDot(text[t.from:t.to]), t.start)
	}
	for i, tk := range toks {
		if kinds[i] == nameNone {
			continue
		}
		t := trimDashDot(text[tk.from:tk.to])
		k := kinds[i]
		// The next and the previous token, if toks has them: a token
		// left out between is no number and no name.
		next := i+1 < len(toks) && toks[i+1].n == tk.n+1
		switch {
		case k == nameVersioned:
			if !isQuarter(t) {
				add(true, t) // gpt-5, glm-5.3, o1
			}
		case k >= nameCapital && next && isNumber(text[toks[i+1].from:toks[i+1].to]) &&
			!isDatePart(text, toks[i+1].to) && !weakWord(t):
			// A date is no model: "July 27", "Today 27", "Camp 7/26" name
			// nothing two stories of the same day would not share.
			num := text[toks[i+1].from:toks[i+1].to]
			add(true, t, num) // "Opus 5", "iPhone 17"
			add(false, t)
			if !(len(num) == 4 && isDateNumber(num)) {
				// A year is no version: "Paris 2024" is still Paris.
				markProduct(out, t)
			}
			if i > 0 && toks[i-1].n == tk.n-1 && kinds[i-1] >= nameCapital {
				prev := trimDashDot(text[toks[i-1].from:toks[i-1].to])
				if !weakWord(prev) {
					add(true, prev, num) // "Claude [Opus] 4"
					add(true, prev, t, num)
				}
			}
		case k >= nameCapital:
			add(false, t)
			if i > 0 && toks[i-1].n == tk.n-1 && isCompanyWord(text[toks[i-1].from:toks[i-1].to]) {
				markProduct(out, t) // "Amazon Bedrock", "Google Vertex"
			}
		}
	}
	return out
}

// plainWords reads the lowercase words from text[i] on, as names' word
// loop reads one: a run of bytes 'a'–'z' that ends at a byte no name
// goes on with (a space, a comma; not a capital, a digit, '-', '.' or a
// byte past ASCII) is a token that is no name, and one space after it is
// nothing. It returns where it stopped (past that space, or at the byte
// that ended the last word) and how many words it read, at most room;
// before a word that goes on, it stops at the word. One call reads a
// summary's run of lowercase words with its state in registers: called
// per word, names kept its own state on the stack across each call.
func plainWords(text string, i, room int) (int, int) {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	n := 0
	for n < room {
		// The run of letters, eight bytes at a time as asciiRun reads it.
		j := i + 1
		for {
			if j+8 > len(text) {
				for j < len(text) && 'a' <= text[j] && text[j] <= 'z' {
					j++
				}
				break
			}
			x := load8(text[j : j+8])
			low := x &^ highs
			in := (low + (0x80-'a')*ones) &^ (low + (0x80-'z'-1)*ones)
			if out := (^in | x) & highs; out != 0 {
				j += bits.TrailingZeros64(out) / 8
				break
			}
			j += 8
		}
		if j == len(text) {
			return j, n + 1
		}
		// A name goes on with any byte that does not end a word for
		// terms (endsWord: one test of a mask, not five comparisons).
		c := text[j]
		if !endsWord(c) {
			return i, n
		}
		n++
		i = j
		if c != ' ' {
			break
		}
		if i++; i == len(text) || text[i] < 'a' || text[i] > 'z' {
			break
		}
	}
	return i, n
}

// wordRun returns where the run of ASCII letters (either case) and
// digits that goes on at s[j] ends, eight bytes at a time as wordBlock
// tests them.
func wordRun(s string, j int) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for ; j+8 <= len(s); j += 8 {
		x := load8(s[j : j+8])
		low := x &^ highs
		folded := low | 0x20*ones
		in := (folded+(0x80-'a')*ones)&^(folded+(0x80-'z'-1)*ones) | (low+(0x80-'0')*ones)&^(low+(0x80-'9'-1)*ones)
		if out := (^in | x) & highs; out != 0 {
			return j + bits.TrailingZeros64(out)/8
		}
	}
	for j < len(s) && isWordByte(s[j]) {
		j++
	}
	return j
}

// isCJK reports whether r is a Chinese character, Hangul or kana: the
// letters that end a Latin name they touch (names).
func isCJK(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hangul, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r)
}

// markProduct marks the name of the word t in out as a product's.
func markProduct(out []name, t string) {
	if k := nameIndex(out, t); k >= 0 {
		out[k].product = true
	}
}

// addName appends the name n to out unless it is there already, as
// names did before it built keys on the stack: for names that are long or
// not ASCII.
func addName(out []name, n string, model bool) []name {
	n = strings.Map(foldRune, trimDashDot(n)) // lowercased as terms lowercases words
	if model && strings.ContainsAny(n, "- _") {
		n = strings.Map(func(r rune) rune {
			if r == '-' || r == ' ' || r == '_' {
				return -1
			}
			return r
		}, n)
	}
	if len(n) < 2 || isStopword(n) || isWeak(n) {
		return out
	}
	for i := range out {
		if out[i].key == n {
			out[i].model = out[i].model || model
			return out
		}
	}
	return append(out, name{key: n, model: model, org: isOrg(n)})
}

// maxNameToks: names reads the first 64 tokens of a text.
const maxNameToks = 64

// nameTok is a token that names keeps: where it is in the text, its place
// among all tokens, and whether it starts a sentence.
type nameTok struct {
	from, to int32
	n        uint8
	start    bool
}

type nameKind uint8

const (
	nameNone      nameKind = iota
	nameSentence           // capitalized, but only because it starts a sentence
	nameCapital            // capitalized inside a sentence: "the Falcon rocket"
	nameMixed              // DeepSeek, iPhone, NVIDIA
	nameVersioned          // letters and digits: GPT-5
)

func kindOf(t string, sentenceStart bool) nameKind {
	// Most words of a summary are plain lowercase ASCII: no name.
	plain := true
	for i := 0; i < len(t) && plain; i++ {
		plain = t[i] >= 'a' && t[i] <= 'z' || t[i] == '-' || t[i] == '.'
	}
	if plain {
		return nameNone
	}
	letters, digits, upper, innerUpper := 0, 0, 0, false
	if isASCII(t) {
		// Most names: counted by byte, as the rune loop below counts
		// them (unicode's digits, capitals and letters of ASCII are
		// these ranges), without a call per letter.
		for k := 0; k < len(t); k++ {
			switch c := t[k]; {
			case '0' <= c && c <= '9':
				digits++
			case 'A' <= c && c <= 'Z':
				letters++
				upper++
				innerUpper = innerUpper || k > 0
			case 'a' <= c && c <= 'z':
				letters++
			}
		}
	} else {
		for k, r := range t {
			switch {
			case r >= '0' && r <= '9' || r >= utf8.RuneSelf && unicode.IsDigit(r):
				digits++
			case unicode.IsUpper(r):
				letters++
				upper++
				innerUpper = innerUpper || k > 0
			case unicode.IsLetter(r):
				letters++
			}
		}
	}
	first, _ := utf8.DecodeRuneInString(t)
	switch {
	case letters > 0 && digits > 0 && letters+digits >= 2:
		return nameVersioned
	case letters >= 2 && (innerUpper && upper < letters || upper == letters):
		return nameMixed
	case unicode.IsUpper(first) && letters >= 3 && !sentenceStart:
		return nameCapital
	case unicode.IsUpper(first):
		return nameSentence
	}
	return nameNone
}

// isASCII reports whether s has no byte past ASCII.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// isOrg: companies and product families in so many stories that sharing
// one says nothing ("OpenAI", "Claude", "微軟" is handled by the Chinese
// text itself). A version makes them specific again: "claude4" is not
// on this list.
func isOrg(n string) bool {
	switch n {
	case "ceo", "api", "ai", "us", "uk", "eu", "usa", "china", "chinese", "america", "american":
		return true
	}
	return isCompany(n)
}

// isCompany: the companies and product families of AI news.
func isCompany(n string) bool {
	switch n {
	case "openai", "anthropic", "google", "deepmind", "microsoft", "meta", "apple", "amazon", "aws", "nvidia",
		"ibm", "intel", "amd", "tesla", "spacex", "xai", "mistral", "alibaba", "baidu", "tencent", "bytedance",
		"huawei", "samsung", "xiaomi", "twitter", "facebook", "instagram", "whatsapp", "youtube", "tiktok",
		"github", "hugging", "face", "arxiv", "reuters", "bloomberg", "cnn", "bbc", "claude", "chatgpt", "gpt",
		"gemini", "llama", "copilot", "qwen", "grok", "deepseek", "zhipu", "moonshot", "kimi", "perplexity",
		"cursor", "windows", "android", "ios", "iphone", "pixel", "galaxy":
		return true
	}
	return false
}

// weakWord reports whether a capitalized word is boilerplate (isWeak):
// a month, a weekday, "Today", "Daily".
func weakWord(t string) bool {
	var buf [16]byte
	if len(t) > len(buf) {
		return false
	}
	for i := 0; i < len(t); i++ {
		c := t[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return isWeak(string(buf[:len(t)]))
}

// isDatePart reports whether the number that ends at end in text is the
// start of a date such as "7/26": no version.
func isDatePart(text string, end int32) bool {
	return int(end)+1 < len(text) && text[end] == '/' && text[end+1] >= '0' && text[end+1] <= '9'
}

// isQuarter reports whether a versioned token is a fiscal quarter ("Q3"):
// two companies' earnings of the same quarter are not one story.
func isQuarter(t string) bool {
	return len(t) == 2 && (t[0] == 'Q' || t[0] == 'q') && t[1] >= '1' && t[1] <= '4'
}

func isNumber(s string) bool {
	s = strings.Trim(s, ".")
	if s == "" {
		return false
	}
	for _, r := range s {
		if !unicode.IsDigit(r) && r != '.' {
			return false
		}
	}
	return true
}

// trimDashDot is strings.Trim(s, "-.") without building a cutset per call.
func trimDashDot(s string) string {
	for len(s) > 0 && (s[0] == '-' || s[0] == '.') {
		s = s[1:]
	}
	for len(s) > 0 && (s[len(s)-1] == '-' || s[len(s)-1] == '.') {
		s = s[:len(s)-1]
	}
	return s
}
