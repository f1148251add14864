package feeds

import "github.com/triagebot/triagebot/news"

// TextRules is the version of the text cleanup Normalize applies to
// titles and summaries. Raise it when a rule is added that items stored
// before it would need; a store whose items were cleaned under a lower
// version is passed through Reclean once (cmd/triagebot, at a write open).
//
// 1: literal escape sequences undone and a glued date and category cut
// (items stored before these rules kept "Jul 24, 2026Frontier Red
// TeamProject Pilot: …" and a literal "\n\n" in a lede).
//
// Not raised for the Windows-path separators unescapeLiteral now keeps
// (C:\Users\n1): that rule only keeps what rule 1 undid, so a second
// pass over items stored under 1 finds nothing (their backslash is gone),
// and items stored before 1 still get their one pass, under it.
const TextRules = 1

// Reclean applies the cleanup rules that can run again on an item's
// stored text (the raw entry is gone) and reports whether it changed
// anything. Only what the rules remove goes: an item stored by this
// version comes back unchanged, and its key and id never change, so a
// later poll still recognizes it. arXiv papers are left alone: their
// abstracts are TeX, where a second pass over escapes is not safe, and
// their feed never carried this junk.
func Reclean(it *news.Item) bool {
	if it.ArxivID != "" {
		return false
	}
	title, titleDesc := stripGlued(collapse(unescapeLiteral(it.Title)), it.URL)
	summary, sumDesc := stripGlued(collapse(unescapeLiteral(it.Summary)), it.URL)
	switch {
	case sumDesc != "" && summary == title:
		summary = sumDesc
	case sumDesc != "":
		summary += " " + sumDesc
	case titleDesc != "" && summary == title:
		summary = titleDesc
	}
	title, summary = truncate(title, maxTitleRunes), truncate(summary, maxSummaryRunes)
	if title == "" {
		title = it.Title // never leave an item without the title it had
	}
	if title == it.Title && summary == it.Summary {
		return false
	}
	it.Title, it.Summary = title, summary
	return true
}
