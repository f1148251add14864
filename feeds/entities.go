package feeds

import (
	"bytes"
)

// Bounds on expanding the entities a document declares in its internal DTD
// subset (<!DOCTYPE rss [<!ENTITY name "text">]>). encoding/xml reads the
// DOCTYPE but expands none of them, so without this step "&name;" reaches
// GUIDs and titles as is. Nested entities make expansion exponential (the
// "billion laughs" document expands one reference to 3 GB), so the work and
// the output are bounded; what is over a bound stays unexpanded, as before.
const (
	// maxEntityDecls: declarations read; real documents declare a handful.
	maxEntityDecls = 64
	// maxEntityValue: an entity whose full expansion is longer is left
	// unexpanded, and so is every entity that uses it.
	maxEntityValue = 4 << 10
	// maxEntityGrowth: all expansions together may add this many bytes to
	// the document; references past it stay as they are.
	maxEntityGrowth = 1 << 20
	// maxEntityName bounds the scan for the ';' after an '&'.
	maxEntityName = 64
)

// expandEntities replaces references to internal general entities declared
// in the document's DOCTYPE with their text, within the bounds above. It
// never reads external entities (SYSTEM/PUBLIC) or parameter entities.
// References inside CDATA sections, comments and processing instructions
// are text, not references, and are left alone.
func expandEntities(doc []byte) []byte {
	if !bytes.Contains(doc, []byte("<!ENTITY")) {
		return doc
	}
	start, end := doctype(doc)
	if start < 0 {
		return doc
	}
	decls := entityDecls(doc[start:end])
	if len(decls) == 0 {
		return doc
	}
	values := resolveEntities(decls)
	if len(values) == 0 {
		return doc
	}

	var out []byte // nil until the first replacement
	copied, grown := end, 0
	replace := func(from, to int, inTag bool) {
		for i := from; i < to; {
			a := bytes.IndexByte(doc[i:to], '&')
			if a < 0 {
				return
			}
			a += i
			semi := bytes.IndexByte(doc[a+1:min(to, a+1+maxEntityName)], ';')
			if semi < 0 {
				i = a + 1
				continue
			}
			v, ok := values[string(doc[a+1:a+1+semi])] // no string allocated for the lookup
			if !ok || grown+len(v) > maxEntityGrowth {
				i = a + 1
				continue
			}
			if out == nil {
				out = make([]byte, 0, len(doc)+len(v))
				out = append(out, doc[:end]...)
			}
			out = append(out, doc[copied:a]...)
			if inTag {
				out = appendAttrSafe(out, v)
			} else {
				out = append(out, v...)
			}
			grown += len(v)
			i = a + semi + 2
			copied = i
		}
	}
	for i := end; i < len(doc); {
		j := bytes.IndexByte(doc[i:], '<')
		if j < 0 {
			replace(i, len(doc), false)
			break
		}
		replace(i, i+j, false)
		i += j
		kind, e, _, _ := scanMarkup(doc, i)
		if kind == tagStart || kind == tagEmpty {
			replace(i, e, true)
		}
		i = e
	}
	if out == nil {
		return doc
	}
	return append(out, doc[copied:]...)
}

// appendAttrSafe appends entity text that lands inside an attribute value,
// where a quote or '<' would end or break the tag.
func appendAttrSafe(out, v []byte) []byte {
	for _, c := range v {
		switch c {
		case '<':
			out = append(out, "&lt;"...)
		case '"':
			out = append(out, "&quot;"...)
		case '\'':
			out = append(out, "&apos;"...)
		default:
			out = append(out, c)
		}
	}
	return out
}

// doctype finds the <!DOCTYPE …> directive before the root element, as
// [start, end) offsets; start is -1 when there is none.
func doctype(doc []byte) (int, int) {
	for i := 0; ; {
		j := bytes.IndexByte(doc[i:], '<')
		if j < 0 {
			return -1, 0
		}
		i += j
		kind, e, _, _ := scanMarkup(doc, i)
		switch {
		case kind != tagOther:
			return -1, 0 // the root element came first
		case bytes.HasPrefix(doc[i:], []byte("<!DOCTYPE")):
			return i, e
		}
		i = e
	}
}

// entityDecls reads <!ENTITY name "value"> declarations from a DOCTYPE's
// internal subset; the first declaration of a name wins, as in XML.
func entityDecls(dt []byte) map[string][]byte {
	decls := map[string][]byte{}
	for n := 0; n < maxEntityDecls; n++ {
		k := bytes.Index(dt, []byte("<!ENTITY"))
		if k < 0 {
			break
		}
		dt = dt[k+len("<!ENTITY"):]
		i := skipSpace(dt, 0)
		if i == 0 || i >= len(dt) || dt[i] == '%' {
			continue // parameter entity, or not a declaration
		}
		e := nameEnd(dt, i)
		name := string(dt[i:e])
		i = skipSpace(dt, e)
		if name == "" || i >= len(dt) || (dt[i] != '"' && dt[i] != '\'') {
			continue // external (SYSTEM/PUBLIC): never fetched
		}
		q := bytes.IndexByte(dt[i+1:], dt[i])
		if q < 0 {
			break
		}
		value := dt[i+1 : i+1+q]
		dt = dt[i+1+q:]
		switch name {
		case "lt", "gt", "amp", "apos", "quot":
			continue // predefined; cannot be redeclared
		}
		if _, dup := decls[name]; !dup {
			decls[name] = value
		}
	}
	return decls
}

// resolveEntities expands references between declared entities and keeps
// those whose full text fits maxEntityValue. A reference cycle, or a
// reference to an entity that does not fit, leaves the entity out.
func resolveEntities(decls map[string][]byte) map[string][]byte {
	resolved := make(map[string][]byte, len(decls))
	failed := map[string]bool{}
	var resolve func(name string, depth int) ([]byte, bool)
	resolve = func(name string, depth int) ([]byte, bool) {
		if v, ok := resolved[name]; ok {
			return v, true
		}
		raw, declared := decls[name]
		if !declared || failed[name] || depth > len(decls) {
			return nil, false
		}
		failed[name] = true // until done: a cycle back here fails
		var out []byte
		for i := 0; i < len(raw); {
			a := bytes.IndexByte(raw[i:], '&')
			if a < 0 {
				out = append(out, raw[i:]...)
				break
			}
			out = append(out, raw[i:i+a]...)
			i += a
			semi := bytes.IndexByte(raw[i+1:min(len(raw), i+1+maxEntityName)], ';')
			ref := ""
			if semi >= 0 {
				ref = string(raw[i+1 : i+1+semi])
			}
			if _, isDecl := decls[ref]; semi < 0 || !isDecl {
				out = append(out, '&') // a character reference or a predefined one
				i++
				continue
			}
			v, ok := resolve(ref, depth+1)
			if !ok {
				return nil, false
			}
			out = append(out, v...)
			i += semi + 2
			if len(out) > maxEntityValue {
				return nil, false
			}
		}
		if len(out) > maxEntityValue {
			return nil, false
		}
		delete(failed, name)
		resolved[name] = out
		return out, true
	}
	for name := range decls {
		resolve(name, 0)
	}
	return resolved
}
