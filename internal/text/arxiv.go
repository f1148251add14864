package text

import "strings"

// ArxivID returns the first arXiv id in s, without its version: "" when
// there is none. See ArxivIDs for what counts.
func ArxivID(s string) string {
	id, _ := nextArxivID(s, 0)
	return id
}

// ArxivIDs returns every arXiv id in s in order, without versions, so a
// paper's v1 and v2 meet. An id counts only after a marker (an
// arxiv.org/abs/, /pdf/ or /html/ link, "oai:arXiv.org:" or "arXiv:"),
// never bare: "2411.01234" alone is as likely a version or a price. Both
// styles are read: new ("2411.01234", "0704.0001") and old
// ("hep-th/9901001", "math.AG/0601001").
func ArxivIDs(s string) []string {
	var out []string
	for off := 0; ; {
		id, next := nextArxivID(s, off)
		if id == "" {
			return out
		}
		out = append(out, id)
		off = next
	}
}

// nextArxivID finds the first id at or after s[off:] and the offset to
// resume from; "" when there is none. A scan, not a regexp: it runs on
// every link and summary, and most hold no "arxiv" at all.
func nextArxivID(s string, off int) (string, int) {
	for off < len(s) {
		i := indexArxiv(s[off:])
		if i < 0 {
			return "", len(s)
		}
		p := off + i + len("arxiv")
		off = p
		// What may follow "arxiv" before an id: a link to the abstract, the
		// PDF or the HTML version, an OAI identifier
		// ("oai:arXiv.org:2411.01234") or the "arXiv:" prefix of citations.
		for _, m := range [...]string{".org/abs/", ".org/pdf/", ".org/html/", ".org:", ":"} {
			if len(s)-p >= len(m) && strings.EqualFold(s[p:p+len(m)], m) {
				if id, end := arxivIDAt(s, p+len(m)); id != "" {
					return id, end
				}
				break
			}
		}
	}
	return "", len(s)
}

// arxivIDAt reads an id starting at s[i:], and returns where it ends
// (after any version).
func arxivIDAt(s string, i int) (string, int) {
	// New style: four digits (year, month), a dot, four or five digits.
	if j := digits(s, i); j-i == 4 && j < len(s) && s[j] == '.' {
		if k := digits(s, j+1); k-(j+1) == 4 || k-(j+1) == 5 {
			return s[i:k], skipVersion(s, k)
		}
		return "", i
	}
	// Old style: the archive ("hep-th", "cs"), maybe a subject class
	// (".AG"), a slash and seven digits (year, month, number).
	j := i
	for j < len(s) && (isLetter(s[j]) || s[j] == '-') {
		j++
	}
	if j == i {
		return "", i
	}
	if j+3 <= len(s) && s[j] == '.' && isLetter(s[j+1]) && isLetter(s[j+2]) {
		j += 3
	}
	if j >= len(s) || s[j] != '/' {
		return "", i
	}
	if k := digits(s, j+1); k-(j+1) == 7 {
		return s[i:k], skipVersion(s, k)
	}
	return "", i
}

// digits returns the end of the run of ASCII digits at s[i:].
func digits(s string, i int) int {
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}

func skipVersion(s string, i int) int {
	if i < len(s) && (s[i] == 'v' || s[i] == 'V') {
		if j := digits(s, i+1); j > i+1 {
			return j
		}
	}
	return i
}

func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// indexArxiv is the index of the first "arxiv" in s, in any ASCII case;
// -1 when there is none. It hops between the x's, rare in prose, with
// strings.IndexByte instead of testing every byte: grouping runs it on
// every summary, and almost none names arXiv.
func indexArxiv(s string) int {
	lo, up := strings.IndexByte(s, 'x'), strings.IndexByte(s, 'X')
	for lo >= 0 || up >= 0 {
		p := lo
		if p < 0 || (up >= 0 && up < p) {
			p = up
		}
		if p >= 2 && p+3 <= len(s) && strings.EqualFold(s[p-2:p+3], "arxiv") {
			return p - 2
		}
		if p == lo {
			lo = nextByte(s, p+1, 'x')
		} else {
			up = nextByte(s, p+1, 'X')
		}
	}
	return -1
}

// nextByte is strings.IndexByte from s[from:], as an index into s.
func nextByte(s string, from int, c byte) int {
	if i := strings.IndexByte(s[from:], c); i >= 0 {
		return from + i
	}
	return -1
}
