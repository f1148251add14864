package feeds

import (
	"encoding/base64"
	"net/url"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// collapse turns every run of whitespace and control characters into one
// space and trims the ends; C1 control codes become the Windows-1252
// characters they stand for, and bidi and zero-width format characters are
// dropped (they let "‮gnp.exe" show as "exe.png"). ASCII, most of any feed,
// takes a byte-at-a-time path.
func collapse(s string) string { return collapseText(s, false) }

// legacyCollapse is collapse as the first release had it: C1 codes, U+200B
// and U+FEFF became spaces, other format characters stayed. The hash key of
// an item without GUID or link is computed over text cleaned this way, so
// later cleanups never give a stored item a new key (and a duplicate).
func legacyCollapse(s string) string { return collapseText(s, true) }

func collapseText(s string, legacy bool) string {
	if collapsed(s) {
		return s // nothing to change: spare the copy
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	emit := func(r rune, raw string) {
		if space {
			b.WriteByte(' ')
			space = false
		}
		if raw != "" {
			b.WriteString(raw)
		} else {
			b.WriteRune(r)
		}
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			if c <= ' ' || c == 0x7f {
				space = b.Len() > 0
				continue
			}
			if space {
				b.WriteByte(' ')
				space = false
			}
			// The rest of a run of printable ASCII goes in one write.
			j := i
			for j < len(s) && s[j] > ' ' && s[j] < 0x7f {
				j++
			}
			b.WriteString(s[i-1 : j])
			i = j
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		raw := s[i : i+size]
		i += size
		if !legacy {
			if r >= 0x80 && r <= 0x9f {
				if m := mapC1(r); m != 0 {
					emit(m, "")
					continue
				}
			} else if invisibleFormat(r) {
				continue
			}
		}
		if spaceLike(r) {
			space = b.Len() > 0
			continue
		}
		emit(r, raw)
	}
	return b.String()
}

// collapsed reports whether collapseText would return s unchanged, in
// either mode: printable ASCII words joined by single spaces.
func collapsed(s string) bool {
	if s == "" || s[0] == ' ' || s[len(s)-1] == ' ' {
		return s == ""
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < ' ' || c >= 0x7f || (c == ' ' && s[i+1] == ' ') {
			return false
		}
	}
	return true
}

// mapC1 gives the character Windows-1252 puts at the byte a C1 control code
// (U+0080–U+009F) stands for, as browsers decode it: text labelled Latin-1
// but written in Windows-1252 arrives with ’ as U+0092. It returns 0 for
// the five bytes Windows-1252 leaves unassigned.
func mapC1(r rune) rune {
	if r < 0x80 || r > 0x9f {
		return 0
	}
	table := [32]rune{
		'€', 0, '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', 0, 'Ž', 0,
		0, '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', 0, 'ž', 'Ÿ',
	}
	return table[r-0x80]
}

// invisibleFormat reports the bidi controls (embeddings, overrides,
// isolates, marks) and zero-width characters that change how text shows
// without showing themselves. U+200B, a zero-width space, is a word break
// and becomes a space instead.
func invisibleFormat(r rune) bool {
	switch {
	case r == 0x061c, r == 0x200c, r == 0x200d, r == 0x200e, r == 0x200f, r == 0xfeff:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2060 && r <= 0x2064, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

// unescapeLiteral undoes escape sequences that a feed generator wrote as
// text: a literal backslash-n ("\n\n" in a lede) becomes a space and \"
// a quote. It is careful with TeX, common in arXiv abstracts: \nabla,
// \theta and \rho (an escape letter followed by a lowercase letter) and
// G\"odel or Ren\'e (an accent between a letter and a vowel) stay. So do
// the separators of a Windows path (C:\Users\n1, \\server\n1; see
// windowsPath): text that holds such a path writes its backslashes as
// they are, not as escapes.
//
// Reclean runs it again over the stored result, so every decision is
// made on the output so far, which is what the second pass reads: an
// undone \" is a quote there, and a word ends where collapse will put a
// space.
func unescapeLiteral(s string) string {
	if strings.IndexByte(s, '\\') < 0 {
		return s
	}
	// collapse drops these characters after us, so the second pass reads
	// the text without them: an escape they split ("\\\u200en") is one
	// there, and the dot they hid ends a path's mention.
	s = dropInvisible(s)
	var b strings.Builder
	b.Grow(len(s))
	// word is where the output's current word starts: after a character
	// collapse turns into a space, or an escape undone into one. It is
	// looked for only where an escape may be a path's separator, back to
	// seen, where it was last looked for, so each byte is read once.
	// pathWord is the start of the word last found to be a Windows path.
	word, seen, pathWord := 0, 0, -1
	for i := 0; i < len(s); i++ {
		// Everything up to the next backslash goes in one write.
		j := strings.IndexByte(s[i:], '\\')
		if j < 0 {
			b.WriteString(s[i:])
			break
		}
		b.WriteString(s[i : i+j])
		i += j
		c := s[i]
		if i+1 >= len(s) {
			b.WriteByte(c)
			continue
		}
		next := s[i+1]
		var after byte
		if i+2 < len(s) {
			after = s[i+2]
		}
		switch next {
		case '\\':
			// An escaped backslash ("\\\"" in a code snippet) stays as
			// written, whole: undoing the escape after it would leave a
			// "\"" that a second pass (Reclean) would undo again.
			b.WriteString(`\\`)
			i++
		case 'n', 'r', 't':
			if 'a' <= after && after <= 'z' {
				b.WriteByte(c) // a TeX command
				continue
			}
			// A word with no backslash in it is no path. Unless the last
			// escape was kept as a separator, the word starts at or after
			// seen: most text is decided without looking for it.
			if o := b.String(); word < seen || strings.IndexByte(o[seen:], '\\') >= 0 {
				if k := wordStart(o[seen:]); k >= 0 {
					word = seen + k
				}
				seen = len(o)
				if pathWord == word || windowsPath(o[word:]) {
					pathWord = word
					if !endsMention(o[len(o)-1]) {
						b.WriteByte(c) // a separator: C:\Users\n1
						continue
					}
				}
			}
			b.WriteByte(' ')
			word, seen = b.Len(), b.Len()
			i++
		case '"', '\'':
			// The letter before an accent is looked for in the output: after
			// an undone "\n" the input's letter n is a space.
			if o := b.String(); o != "" && isASCIILetter(o[len(o)-1]) && (strings.IndexByte("aeiouyAEIOUY{", after) >= 0 && after != 0) {
				b.WriteByte(c) // a TeX accent
				continue
			}
			b.WriteByte(next)
			i++
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// dropInvisible removes the characters invisibleFormat reports, as
// collapse does, and leaves every other byte as it is (an invalid one
// too). Their UTF-8 leads are 0xD8, 0xE2 and 0xEF: only those are
// decoded, from the first one on.
func dropInvisible(s string) string {
	from := len(s)
	for _, lead := range [...]byte{0xd8, 0xe2, 0xef} {
		if k := strings.IndexByte(s[:from], lead); k >= 0 {
			from = k
		}
	}
	var b strings.Builder
	last := 0
	for i := from; i < len(s); {
		if c := s[i]; c != 0xd8 && c != 0xe2 && c != 0xef {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if invisibleFormat(r) {
			if last == 0 {
				b.Grow(len(s))
			}
			b.WriteString(s[last:i])
			last = i + size
		}
		i += size
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// windowsPath reports whether w, the word before a backslash, begins a
// Windows path, after any opening quotes or brackets: a drive and a
// folder ("C:\Users") or a UNC server ("\\server"). "Q:" alone is a label
// ("Q:\nA: yes"), not a path. Once a word is a path, every longer word
// with the same start is one too, so a later backslash in it and a second
// pass over the text decide alike.
func windowsPath(w string) bool {
	w = strings.TrimLeft(w, "\"'([{<`“‘«„")
	switch {
	case len(w) >= 4 && isASCIILetter(w[0]) && w[1] == ':' && w[2] == '\\':
		return pathByte(w[3])
	case len(w) >= 3 && w[0] == '\\' && w[1] == '\\':
		return pathByte(w[2])
	}
	return false
}

// endsMention: punctuation that ends a path mentioned in a sentence
// ("Saved to C:\Temp\x.\n\nNext"), where no folder name ends: Windows
// forbids a trailing dot and : ? " anywhere, and the closing brackets and
// commas of prose do not end folder names either.
func endsMention(c byte) bool { return strings.IndexByte(`.,;:!?"')]}>`, c) >= 0 }

// pathByte: a byte that starts a folder or server name.
func pathByte(c byte) bool {
	return isASCIIAlnum(c) || c == '_' || c == '-' || c == '.' || c == '$' || c == '%' || c == '~'
}

// wordStart is where the last word of o starts: just after the last
// character collapse turns into a space, or -1 when o has none. Those
// characters are ASCII or led by 0xC2 or 0xE1–0xE3 (U+0080–U+00BF,
// U+1000–U+3FFF); only those leads are decoded.
func wordStart(o string) int {
	for k := len(o) - 1; k >= 0; k-- {
		c := o[k]
		switch {
		case c < utf8.RuneSelf:
			if c <= ' ' || c == 0x7f {
				return k + 1
			}
		case c == 0xc2 || 0xe1 <= c && c <= 0xe3:
			if r, size := utf8.DecodeRuneInString(o[k:]); collapsesToSpace(r) {
				return k + size
			}
		}
	}
	return -1
}

// collapsesToSpace reports the characters collapse turns into a space
// (not those it maps or drops): where a word ends for unescapeLiteral.
func collapsesToSpace(r rune) bool {
	switch {
	case r < utf8.RuneSelf:
		return r <= ' ' || r == 0x7f
	case r <= 0x9f:
		return mapC1(r) == 0
	case invisibleFormat(r):
		return false
	}
	return spaceLike(r)
}

// spaceLike: a non-ASCII character collapse turns into a space once C1
// codes are mapped and invisible ones dropped (U+FEFF is one of those,
// but a legacy collapse, which keeps them, spaces it).
func spaceLike(r rune) bool {
	return unicode.IsSpace(r) || unicode.IsControl(r) || r == '\u200b' || r == '\ufeff'
}

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

var (
	// A site's date glued to the next word ("Jul 24, 2026Frontier Red
	// Team…"), optionally after a category glued to the date
	// ("InterpretabilityJul 6, 2026A global…"). Only a glued date counts: a
	// title that starts with a date and a space is left alone.
	gluedDate = regexp.MustCompile(`^((?:[A-Z][a-z]+ ){0,3}[A-Z][a-z]+)?((?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]{0,6}\.? \d{1,2}, (?:19|20)\d{2})(\S)`)
	// A category of one to four capitalized words ("Frontier Red Team").
	categoryWords = regexp.MustCompile(`^[A-Z][a-z]+(?: (?:&|and|[A-Z][a-z]+)){0,3}$`)
	slugSplit     = regexp.MustCompile(`[^a-z0-9]+`)
)

// camelNames are names whose capital in the middle is not a seam between a
// category and a title. The link's own words veto a split too.
func camelName(w string) bool {
	switch strings.ToLower(w) {
	case "github", "gitlab", "youtube", "deepmind", "deepseek", "linkedin", "paypal", "wordpress",
		"tiktok", "huggingface", "langchain", "langgraph", "llamaindex", "pytorch", "tensorflow",
		"javascript", "typescript", "notebooklm", "midjourney", "alphafold", "alphago", "alphazero",
		"servicenow", "jetbrains", "coderabbit", "hellaswag", "whatsapp", "powerpoint", "onedrive",
		"sharepoint", "bigquery", "motherduck", "devops", "dataops", "layernorm", "autogen",
		"soundcloud", "techcrunch", "venturebeat", "openrouter", "codex", "playstation", "xbox",
		"openclaw", "firefox", "macbook", "airpods", "appstore", "chatbot", "copilot", "deepwiki":
		return true
	}
	return false
}

// stripGlued removes a feed generator's glued date and category from the
// start of a title or summary ("Jul 24, 2026Frontier Red TeamProject Pilot:
// …" → "Project Pilot: …"). When the generator also glued the description
// to the title ("…language modelsNew interpretability research…") and the
// link's slug confirms where the title ends, desc is the description.
// Anything it is not sure of stays: a real title is never eaten.
func stripGlued(s, link string) (title, desc string) {
	rest, cut := s, false
	var slug map[string]bool
	// A date glued twice goes whole: what one cut leaves must not start
	// with another, which Reclean would cut from the stored text.
	for {
		// The pattern fits in the first 120 bytes and needs a year after a
		// comma; most titles and summaries fail that test without a regexp.
		head := rest[:min(len(rest), 120)]
		if !strings.Contains(head, ", 20") && !strings.Contains(head, ", 19") {
			break
		}
		m := gluedDate.FindStringSubmatchIndex(head)
		if m == nil {
			break
		}
		rest = rest[m[6]:]
		if !cut {
			slug, cut = slugWords(link), true
		}
		if m[2] < 0 {
			// Date first: a category may follow, glued to the title.
			if i := categorySeam(rest, slug); i > 0 {
				rest = rest[i:]
			}
		}
	}
	if !cut {
		return s, ""
	}
	if i := titleSeam(rest, slug); i > 0 {
		return strings.TrimSpace(rest[:i]), strings.TrimSpace(rest[i:])
	}
	return strings.TrimSpace(rest), ""
}

// categorySeam is where a glued category ends: the first lowercase letter
// followed by a capital that starts a word ("TeamProject", "ScienceHow",
// "AlignmentAn off"), when all before it is one to four capitalized words.
// The link must agree: its slug names the title, so a slug that shares a
// word with the would-be category ("introducing-groqcloud" against
// "Introducing Groq|Cloud") means the seam is inside the title.
func categorySeam(s string, slug map[string]bool) int {
	if len(slug) == 0 {
		return 0
	}
	for i := 1; i < len(s) && i <= 40; i++ {
		if !isLower(s[i-1]) || !isUpper(s[i]) {
			continue
		}
		if !categoryWords.MatchString(s[:i]) || !startsWord(s[i:]) || vetoSeam(s, i, slug) {
			return 0
		}
		for _, w := range strings.Fields(strings.ToLower(s[:i])) {
			if slug[w] {
				return 0
			}
		}
		return i
	}
	return 0
}

// vetoSeam says the seam at i is inside a name: the two halves make a known
// camel-case name (GitHub) or a word of the link ("…/servicenow-…").
func vetoSeam(s string, i int, slug map[string]bool) bool {
	j := strings.LastIndexByte(s[:i], ' ') + 1
	k := i
	for k < len(s) && k < i+40 && isASCIILetter(s[k]) {
		k++
	}
	joined := s[j:k]
	return camelName(joined) || slug[strings.ToLower(joined)]
}

// titleSeam finds where a title glued to its description ends, only when
// every word of the link's slug (at least two) is in the title part, the
// title part ends in a lowercase word ("…language models|New research…",
// not "…with Groq|Cloud") and the description has at least four words.
func titleSeam(s string, slug map[string]bool) int {
	if len(slug) < 2 {
		return 0
	}
	// A title is short; looking further would only cost time on hostile input.
	for i := 1; i < len(s) && i < 300; i++ {
		if !isLower(s[i-1]) || !isUpper(s[i]) || !startsWord(s[i:]) || vetoSeam(s, i, slug) {
			continue
		}
		last := s[strings.LastIndexByte(s[:i], ' ')+1 : i]
		if strings.ToLower(last) != last || len(strings.Fields(s[i:min(len(s), i+200)])) < 4 {
			continue
		}
		words := map[string]bool{}
		for _, w := range slugSplit.Split(strings.ToLower(s[:i]), -1) {
			words[w] = true
		}
		for w := range slug {
			if !words[w] {
				return 0
			}
		}
		return i
	}
	return 0
}

// slugWords are the words of a link's last path segment
// (".../research/teaching-claude-why" → teaching, claude, why).
func slugWords(link string) map[string]bool {
	u, err := url.Parse(link)
	if err != nil {
		return nil
	}
	p := strings.TrimRight(u.Path, "/")
	p = p[strings.LastIndexByte(p, '/')+1:]
	p = strings.TrimSuffix(strings.TrimSuffix(p, ".html"), ".htm")
	out := map[string]bool{}
	for _, w := range slugSplit.Split(strings.ToLower(p), -1) {
		if w != "" {
			out[w] = true
		}
	}
	return out
}

// startsWord: a capital followed by a lowercase letter, an apostrophe or a
// space ("Project", "Claude’s", "A global").
func startsWord(s string) bool {
	if len(s) < 2 || !isUpper(s[0]) {
		return false
	}
	return isLower(s[1]) || s[1] == ' ' || s[1] == '\'' || strings.HasPrefix(s[1:], "’")
}

func isLower(c byte) bool { return 'a' <= c && c <= 'z' }
func isUpper(c byte) bool { return 'A' <= c && c <= 'Z' }

// decodeBase64Text decodes content that gofeed left as base64: Atom 0.3's
// mode="base64" with a text/* type is passed through undecoded. Plain text
// is never valid base64 (it has spaces), so only a body made of the base64
// alphabet that decodes to readable UTF-8 is replaced.
func decodeBase64Text(s string) string {
	t := strings.TrimSpace(s)
	if len(t) < 16 {
		return s
	}
	// Most text has a space or a tag within its first few bytes: decide
	// before copying anything.
	for i := 0; i < len(t); i++ {
		if c := t[i]; !(isASCIILetter(c) || '0' <= c && c <= '9' || c == '+' || c == '/' || c == '=' || c == '\n' || c == '\r') {
			return s
		}
	}
	compact := strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, t)
	dec, err := base64.StdEncoding.DecodeString(compact)
	if err != nil || !utf8.Valid(dec) {
		return s
	}
	text := string(dec)
	if !strings.ContainsAny(text, " <") {
		return s
	}
	for _, r := range text {
		if r < ' ' && r != '\n' && r != '\r' && r != '\t' {
			return s
		}
	}
	return text
}
