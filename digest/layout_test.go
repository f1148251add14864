package digest

import (
	"reflect"
	"testing"
	"unsafe"
)

// TestLayoutSizes pins the sizes of what a build writes per term
// occurrence, item or story: a week of 100,000 items holds about 1.4
// million feats, and every byte of them is fresh memory that a process
// building once pays for in page faults.
func TestLayoutSizes(t *testing.T) {
	for _, c := range []struct {
		name      string
		got, want uintptr
	}{
		{"feat", unsafe.Sizeof(feat{}), 8},
		{"story", unsafe.Sizeof(story{}), 56},
		{"doc", unsafe.Sizeof(doc{}), 48},
		{"tableSlot", unsafe.Sizeof(tableSlot{}), 12},
	} {
		if c.got != c.want {
			t.Errorf("%s is %d bytes, want %d", c.name, c.got, c.want)
		}
	}
}

// TestStoryHasNoPointers: a build lays its stories over the feats
// arena's first chunk, memory the collector does not scan
// (storiesOver), so a story must hold no pointer; and they fit there.
func TestStoryHasNoPointers(t *testing.T) {
	var walk func(reflect.Type) bool
	walk = func(t reflect.Type) bool {
		switch t.Kind() {
		case reflect.Pointer, reflect.UnsafePointer, reflect.String, reflect.Slice, reflect.Map,
			reflect.Chan, reflect.Func, reflect.Interface:
			return true
		case reflect.Array:
			return walk(t.Elem())
		case reflect.Struct:
			for i := range t.NumField() {
				if walk(t.Field(i).Type) {
					return true
				}
			}
		}
		return false
	}
	if walk(reflect.TypeFor[story]()) {
		t.Fatal("story holds a pointer: storiesOver would hide it from the collector")
	}
	if walk(reflect.TypeFor[feat]()) {
		t.Fatal("feat holds a pointer")
	}
	if storyFeats*int(unsafe.Sizeof(feat{})) < int(unsafe.Sizeof(story{})) {
		t.Fatalf("%d feats per item hold no story", storyFeats)
	}
	var a arena[feat]
	a.reserve(storyFeats*5000 + 1)
	s := storiesOver(&a, 5000)
	if len(s) != 5000 || unsafe.Pointer(&s[0]) != unsafe.Pointer(unsafe.SliceData(a.chunks[0][:1])) {
		t.Fatal("stories not laid over the first chunk")
	}
	// The bounds of as many stories lie right after them, in the chunk.
	b := boundsOver(&a, 5000, 5001)
	end := uintptr(unsafe.Pointer(unsafe.SliceData(a.chunks[0][:1]))) + uintptr(cap(a.chunks[0]))*unsafe.Sizeof(feat{})
	if len(b) != 5001 || uintptr(unsafe.Pointer(&b[0])) != uintptr(unsafe.Pointer(&s[4999]))+unsafe.Sizeof(story{}) ||
		uintptr(unsafe.Pointer(&b[5000]))+4 > end {
		t.Fatal("bounds not laid right after the stories' room, within the chunk")
	}
	// More stories than the chunk holds take memory of their own.
	n := cap(a.chunks[0])*int(unsafe.Sizeof(feat{}))/int(unsafe.Sizeof(story{})) + 1
	if s := storiesOver(&a, n); len(s) != n || unsafe.Pointer(&s[0]) == unsafe.Pointer(unsafe.SliceData(a.chunks[0][:1])) {
		t.Fatalf("%d stories over a chunk of room for %d", n, n-1)
	}
}

// TestOver: over lays slices end to end over memory a build is done
// with while it has room, and makes fresh zero ones when it has not.
func TestOver(t *testing.T) {
	mem := make([]int32, 10)
	for i := range mem {
		mem[i] = -1
	}
	a, rest := over[int32](mem, 3)
	b, rest := over[uint8](rest, 5) // two int32s' room
	c, rest := over[float32](rest, 4)
	if &a[0] != &mem[0] || unsafe.Pointer(&b[0]) != unsafe.Pointer(&mem[3]) || unsafe.Pointer(&c[0]) != unsafe.Pointer(&mem[5]) || len(rest) != 1 {
		t.Fatalf("not laid end to end: %d left", len(rest))
	}
	if len(a) != 3 || cap(a) != 3 || len(b) != 5 || len(c) != 4 || b[0] != 0xff {
		t.Fatal("wrong lengths or contents")
	}
	d, rest2 := over[int32](rest, 2)
	if len(d) != 2 || d[0] != 0 || d[1] != 0 || len(rest2) != 1 || unsafe.Pointer(&d[0]) == unsafe.Pointer(&mem[9]) {
		t.Fatal("no room: want fresh zero memory and mem unchanged")
	}
}

// TestFeaturesPacking: packedFeatures gives back every noise kind and
// every combination of the marks.
func TestFeaturesPacking(t *testing.T) {
	for k := range nNoise {
		for bits := range 16 {
			f := itemFeatures{noise: k, versionTitle: bits&1 != 0, launch: bits&2 != 0, primary: bits&4 != 0, own: bits&8 != 0}
			if got := f.pack().unpack(); got != f {
				t.Errorf("%+v packed and unpacked is %+v", f, got)
			}
		}
	}
}

// TestFeatPacking: a feat gives back the id, position and marks it was
// made with, at the bounds of each, and unkey and notAWord clear only
// their own mark.
func TestFeatPacking(t *testing.T) {
	for _, c := range []struct {
		id        int32
		pos       uint8
		key, word bool
	}{
		{0, 0, false, false},
		{1, 1, true, false},
		{12345, 255, false, true},
		{maxFeatID, 255, true, true},
		{maxFeatID, 0, false, false},
	} {
		f := newFeat(c.id, 0.5, c.key, c.word, c.pos)
		if f.id() != c.id || f.pos() != c.pos || f.key() != c.key || f.word() != c.word || f.w != 0.5 {
			t.Errorf("newFeat(%d, 0.5, %v, %v, %d) reads back id %d pos %d key %v word %v w %v",
				c.id, c.key, c.word, c.pos, f.id(), f.pos(), f.key(), f.word(), f.w)
		}
		g := f
		g.unkey()
		if g.key() || g.word() != c.word || g.id() != c.id || g.pos() != c.pos {
			t.Errorf("unkey of %+v gave %+v", f, g)
		}
		g = f
		g.notAWord()
		if g.word() || g.key() != c.key || g.id() != c.id || g.pos() != c.pos {
			t.Errorf("notAWord of %+v gave %+v", f, g)
		}
	}
}

// TestTermsPastMaxFeatID: a batch whose vocab has passed maxFeatID still
// reads its items; the new terms are interned but get no feat.
func TestTermsPastMaxFeatID(t *testing.T) {
	b := docBuilder{voc: newVocab(16), forms: newTable(16)}
	fs, _ := b.readTerms("alpha beta", nil, 0, 1, true)
	if len(fs) != 2 {
		t.Fatalf("%d feats below the bound, want 2", len(fs))
	}
	b.voc.df = append(b.voc.df, make([]int32, maxFeatID)...)
	terms := len(b.voc.df)
	fs, n := b.readTerms("gamma delta", nil, 0, 1, true)
	if len(fs) != 0 || n != 2 {
		t.Fatalf("past the bound: %d feats at pos %d, want none at 2", len(fs), n)
	}
	if len(b.voc.df) != terms+2 {
		t.Fatalf("%d terms interned past the bound, want 2", len(b.voc.df)-terms)
	}
}
