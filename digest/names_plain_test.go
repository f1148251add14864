package digest

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// TestNamesPlainWords: names, which reads runs of lowercase words in one
// call (plainWords) and a token's run of ASCII letters and digits in one
// (wordRun), finds the names, in order and with their marks, that it
// found word by word (namesByWord, names as it was), on headlines and
// summaries in English, Chinese, accented Latin and Cyrillic, at the
// 64-token cut, and on random text.
func TestNamesPlainWords(t *testing.T) {
	texts := []string{
		"Anthropic released Claude Opus 4 today. And GPT-5.",
		"Microsoft 365 Personal is now free for US college students for a year",
		"microsoft is giving away microsoft 365 personal subscriptions to all us college students. this subscription gives students free access",
		"微軟Copilot改用GPT-5模型 發布新功能 and then some words follow here in lowercase Mistral",
		"Pokémon ŠKODA Škoda état Éire Jean-Étienne à OpenAI는 AI반도체 e\u0301tat",
		"Ελληνικά и кириллица Москва Яндекс запускает новую модель GigaChat 2",
		"the co-founder of amazon bedrock said in Bedrock that state-of-the-art models e.g. gpt-4o and o1 and v2.5.1 ship",
		"a b c d e f g h i j k l m n o p q r s t u v w x y z 0 1 2 3 4 5 6 7 8 9 Falcon 9",
		strings.Repeat("word ", 61) + "Then Falcon 9 Mars 2",
		strings.Repeat("word ", 60) + "Then Falcon 9 Mars 2",
		strings.Repeat("word ", 59) + "Then Falcon 9 Mars 2",
		strings.Repeat("wordy  ", 70) + "Zeta 5",
		strings.Repeat("a, ", 62) + "Zeta 5 Eta 6",
		strings.Repeat("ab! ", 63) + "Zeta 5 Eta 6",
		strings.Repeat("ab ", 30) + "Then " + strings.Repeat("ab ", 31) + "Zeta 5",
		"end of text in lowercase",
		"see https://example.com/a-b-c and http://x.y/z for the Llama 4 notes",
		"lowercase only text with no names at all but it is long enough to span blocks",
	}
	rng := rand.New(rand.NewPCG(13, 14))
	pieces := []string{" ", " ", " ", "  ", ". ", ", ", "A", "Zeta", "GPT-5", "0", "42", "-", ".", "é", "Ö", "中文", "ж", "’", "'", "\n", ":", "(", "v2.1", "\xff", "!", "? ", "|", "\"", "\t", "word word word word word word word word ",
		"OpenAI", "DeepSeekV3", "NVIDIA ", "iPhone17", "ABCDEFGHIJKLMNOP12", "Q3", "x86", "Anthropic's "}
	for range 5000 {
		var b strings.Builder
		for range 1 + rng.IntN(120) {
			if rng.IntN(5) == 0 {
				b.WriteString(pieces[rng.IntN(len(pieces))])
			} else {
				b.WriteByte("abcdefghijklmnopqrstuvwxyz"[rng.IntN(26)])
			}
		}
		texts = append(texts, b.String())
	}
	for _, s := range texts {
		got := fmt.Sprintf("%+v", names(s, nil))
		if want := fmt.Sprintf("%+v", namesByWord(s, nil)); got != want {
			t.Fatalf("names(%q)\n got %s\nwant %s", s, got, want)
		}
	}
}

// namesByWord is names as it was before plainWords: a call to asciiRun
// per lowercase word.
func namesByWord(text string, out []name) []name {
	// Only the first maxNameToks tokens count. Of those, toks keeps the
	// ones that may be names or versions: a token of lowercase ASCII
	// letters, '-' and '.' (most words of a summary) is neither a name
	// nor a number, so it is only counted (ntok), which keeps tokens on
	// either side of it apart.
	var toksBuf [maxNameToks]nameTok
	toks, ntok := toksBuf[:0], 0
	start := -1
	sentence := true // the next token starts a sentence
	plain := true    // the token so far is lowercase ASCII: most words of a summary, never a name
	for i := 0; i < len(text); {
		if c := text[i]; start < 0 && c >= 'a' && c <= 'z' {
			// A lowercase word, the most common token: read it in a tight
			// loop. If it goes on with anything else, the loop below
			// finishes it.
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

// kindOfByRune is kindOf as it was before it counted ASCII tokens by
// byte: rune by rune, through unicode.
func kindOfByRune(t string, sentenceStart bool) nameKind {
	plain := true
	for i := 0; i < len(t) && plain; i++ {
		plain = t[i] >= 'a' && t[i] <= 'z' || t[i] == '-' || t[i] == '.'
	}
	if plain {
		return nameNone
	}
	letters, digits, upper, innerUpper := 0, 0, 0, false
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

// TestKindOfASCII: kindOf, which counts an ASCII token by byte, gives the
// kind the rune-by-rune count gives, for every two-byte token and for
// tokens in ASCII, accented Latin, Cyrillic, Greek, Chinese, with digits,
// hyphens and dots, at a sentence's start or not.
func TestKindOfASCII(t *testing.T) {
	var toks []string
	for a := 0; a < 128; a++ {
		for b := 0; b < 128; b++ {
			toks = append(toks, string([]byte{byte(a), byte(b)}))
		}
	}
	toks = append(toks, "GPT-5", "GLM-5.3", "o1", "iPhone", "macOS", "NVIDIA", "DeepSeek", "Falcon", "Q3", "X", "Ab", "ABC",
		"Škoda", "ŠKODA", "état", "Éire", "Москва", "GigaChat", "Σοφος", "微軟", "AI반도체", "١٢٣", "v2.5.1", "e.g", "Jean-Étienne")
	rng := rand.New(rand.NewPCG(31, 32))
	for range 20000 {
		b := make([]byte, 3+rng.IntN(10))
		for k := range b {
			b[k] = "abcxyzABCXYZ0189-.@["[rng.IntN(20)]
		}
		toks = append(toks, string(b))
	}
	for _, tok := range toks {
		for _, start := range []bool{false, true} {
			if got, want := kindOf(tok, start), kindOfByRune(tok, start); got != want {
				t.Fatalf("kindOf(%q, %v) = %d, want %d", tok, start, got, want)
			}
		}
	}
}

// TestWordRun: wordRun ends a run where a loop of isWordByte ends it,
// from every start, on random text of letters of both cases, digits and
// the bytes around those ranges ('@', '[', '`', '{', '/', ':') and past
// ASCII whose low seven bits are letters.
func TestWordRun(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	alphabet := "aAzZmM09@[`{/: -.\xc1\xe1\xb0"
	for range 3000 {
		b := make([]byte, rng.IntN(40))
		for k := range b {
			if rng.IntN(4) == 0 {
				b[k] = alphabet[rng.IntN(len(alphabet))]
			} else {
				b[k] = "abcXYZ019"[rng.IntN(9)]
			}
		}
		s := string(b)
		for j := 0; j <= len(s); j++ {
			want := j
			for want < len(s) && isWordByte(s[want]) {
				want++
			}
			if got := wordRun(s, j); got != want {
				t.Fatalf("wordRun(%q, %d) = %d, want %d", s, j, got, want)
			}
		}
	}
}
