package feeds

import "strings"

// windows1252C1 maps U+0080–U+009F to the characters Windows-1252 puts at
// those bytes. Text that was Windows-1252 but got read as ISO-8859-1 on the
// way carries these control codes instead of ’ “ ” – — € …; browsers map
// them back (the WHATWG encoding standard decodes ISO-8859-1 as
// Windows-1252). The five bytes Windows-1252 leaves undefined keep their
// code point.
var windows1252C1 = [32]rune{
	'€', 0x81, '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', 0x8D, 'Ž', 0x8F,
	0x90, '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', 0x9D, 'ž', 'Ÿ',
}

// FixC1 replaces C1 control codes (U+0080–U+009F) with the Windows-1252
// characters they stand for, as browsers show them. Parse already does this
// to the raw document; normalization can use it on text that gained C1
// codes later (a numeric reference such as &#146; decoded by the XML
// parser).
func FixC1(s string) string {
	if !hasC1(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for _, r := range s {
		if r >= 0x80 && r <= 0x9F {
			r = windows1252C1[r-0x80]
		}
		b.WriteRune(r)
	}
	return b.String()
}

// hasC1 looks for the UTF-8 encoding of U+0080–U+009F: 0xC2 then 0x80–0x9F.
func hasC1(s string) bool {
	for i := 0; i+1 < len(s); i++ {
		if s[i] == 0xC2 && s[i+1] >= 0x80 && s[i+1] <= 0x9F {
			return true
		}
	}
	return false
}
