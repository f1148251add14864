package digest

import (
	"sync"
	"unsafe"

	"github.com/triagebot/triagebot/news"
)

// Builder builds digests as Build does, keeping the scratch memory of
// grouping (the feature arenas, the docs, the stories, the term tables,
// the candidate lists) from one build to the next. A week of a hundred
// thousand items takes some 28 MB of it: allocated fresh for every build,
// a process pays the kernel for new pages on its first build and the
// garbage collector, which marks the large live input again and again,
// on every later one. A process that builds repeatedly (the daemon's
// weekly posts and /digest on demand) keeps one Builder, and with it that
// memory between builds (the arrays TestOneShotBuild lists); a process
// that builds once gains nothing from one.
//
// The zero value is ready to use. A Builder is safe for concurrent use: a
// build that finds it busy with another one does not wait, it takes fresh
// memory as Build does. A digest a Builder returns owns all it holds;
// nothing of it is the scratch the next build overwrites.
type Builder struct {
	mu sync.Mutex
	s  scratch
}

// NewBuilder returns an empty Builder; its first build allocates what the
// later ones reuse.
func NewBuilder() *Builder { return &Builder{} }

// maxKeptItems bounds what a Builder keeps: after a build of more items
// (about twice a large week) its scratch is dropped rather than held at
// that size until the process ends. Scratch runs some 400 bytes an item.
const maxKeptItems = 200_000

// Build is Build with the Builder's scratch memory.
func (b *Builder) Build(items []news.Item, history []news.Item, o Options) (*Digest, error) {
	if !b.mu.TryLock() {
		// Busy: two builds at once (the weekly post and a /digest) each
		// get memory of their own, rather than one waiting for the other.
		return Build(items, history, o)
	}
	defer b.mu.Unlock()
	defer b.s.release(len(items))
	return buildIn(&b.s, items, history, o)
}

// scratch is the memory of one build that the next may reuse: slices
// whose arrays are kept (lengths reset at each use), tables cleared before
// use, arenas handed out again from their start. What a build returns is
// never carved from it. A zero scratch allocates what each step needs, as
// Build always did.
type scratch struct {
	cues *cues    // read-only but for its feed cache, cleared per build
	bg   *bgTable // the shipped background table, decoded once

	window   []*news.Item
	sections [4][]int32 // story indexes per section (sectionKeys), cut from fill

	// grouping
	docs    []doc
	voc     vocab
	db      docBuilder
	feats   arena[feat]
	names   arena[name]
	idf     []float32
	bgdf    []termCount
	uf      unionFind
	sp      spread
	byURL   map[string]int
	papers  map[string]int32
	keys    []feat
	sorted  []int64 // candidates: postings by term
	start   []int32 // candidates: postings by term; storyDocs: items by story
	cand    []int64 // candidates: postings, then pairs; link: first and last times
	long    []int64
	bucket  []int32 // candidates: pairs by first item; link: next; storyDocs: roots
	second  []int32 // candidates: second items by first; storyDocs: idx
	fill    []int32 // candidates: fill, then seen; link: size; storyDocs: fill; buildIn: sections
	edges   []edge
	bufA    []int32
	bufB    []int32
	flat    []*news.Item
	stories []story              // laid over feats' first chunk (storiesOver)
	aside   map[int32]storyAside // by story.at, for the stories that have any
	fs      []itemFeatures
}

// release ends a build: it drops every reference into the caller's items
// (the scratch must not keep a week of items alive until the next build)
// and, after an unusually large build, the scratch itself. Each build
// writes only below the lengths it leaves (the arrays past them were
// cleared by the release before), so a small build after a large one
// clears only what it used.
func (s *scratch) release(items int) {
	if items > maxKeptItems {
		*s = scratch{cues: s.cues, bg: s.bg}
		return
	}
	clear(s.window)
	clear(s.docs)
	clear(s.flat) // the stories hold no pointer: their items are here
	s.names.clear()
	clear(s.db.nameBuf[:cap(s.db.nameBuf)]) // its length is the last item's
	clear(s.db.cites)
	clear(s.db.linkers)
	clear(s.byURL)
	clear(s.papers)
	clear(s.aside)
	if s.cues != nil {
		clear(s.cues.feeds)
	}
}

// sized returns buf at length n, its contents left as they were when its
// array has room; else a new zeroed one.
func sized[T any](buf []T, n int) []T {
	if cap(buf) < n {
		return make([]T, n)
	}
	return buf[:n]
}

// zeroed is sized with every element zero.
func zeroed[T any](buf []T, n int) []T {
	if cap(buf) < n {
		return make([]T, n)
	}
	buf = buf[:n]
	clear(buf)
	return buf
}

// emptied returns buf at length 0 with room for n.
func emptied[T any](buf []T, n int) []T {
	if cap(buf) < n {
		return make([]T, 0, n)
	}
	return buf[:0]
}

// arenaChunk is how many elements an arena allocates at a time: chunks of
// a few hundred kilobytes, not one allocation per item (a week holds a
// hundred thousand) nor one huge one.
const arenaChunk = 16 << 10

// arena hands out short slices carved from a list of chunks that a later
// build hands out again from the first.
type arena[T any] struct {
	chunks [][]T
	k      int // chunks[k] is being filled
}

// reset hands the chunks out again from the first.
func (a *arena[T]) reset() {
	a.k = 0
	if len(a.chunks) > 0 {
		a.chunks[0] = a.chunks[0][:0]
	}
}

// reserve makes the first chunk (after reset) hold at least n elements.
func (a *arena[T]) reserve(n int) {
	switch {
	case len(a.chunks) == 0:
		a.chunks = append(a.chunks, make([]T, 0, max(arenaChunk, n)))
	case cap(a.chunks[0]) < n:
		a.chunks[0] = make([]T, 0, n)
	}
}

// room returns the free part of the chunk being filled (length 0), with
// room for at least n, moving on to the next chunk or a new one if need
// be. commit then takes what was written.
func (a *arena[T]) room(n int) []T {
	for a.k < len(a.chunks) {
		if c := a.chunks[a.k]; len(c)+n <= cap(c) {
			return c[len(c):]
		}
		a.k++
		if a.k < len(a.chunks) {
			a.chunks[a.k] = a.chunks[a.k][:0]
		}
	}
	a.chunks = append(a.chunks, make([]T, 0, max(arenaChunk, n)))
	return a.chunks[a.k]
}

// commit takes n elements after room: they are the caller's until reset.
func (a *arena[T]) commit(n int) []T {
	c := a.chunks[a.k]
	a.chunks[a.k] = c[:len(c)+n]
	return c[len(c) : len(c)+n : len(c)+n]
}

// carve copies xs into the arena and returns the copy.
func (a *arena[T]) carve(xs []T) []T {
	copy(a.room(len(xs))[:len(xs)], xs)
	return a.commit(len(xs))
}

// clear zeroes what was handed out, so no pointer in it keeps anything
// alive.
func (a *arena[T]) clear() {
	for _, c := range a.chunks {
		clear(c)
	}
}

// storyFeats is how many feats the feats arena's first chunk holds per
// item, so that a build's stories (at most one per item) and their
// bounds in the list of their items (storyDocs) fit over it
// (storiesOver, boundsOver).
const storyFeats = (int(unsafe.Sizeof(story{})) + 4 + int(unsafe.Sizeof(feat{})) - 1) / int(unsafe.Sizeof(feat{}))

// storiesOver returns n zeroed stories laid over the first chunk of the
// feats arena, which newGrouperIn sized for them (storyFeats): the
// vectors are dead once link has run (nothing reads a doc's vec after
// it), and a week's stories, 4 MB, then lie on pages the vectors
// touched, not on fresh ones, each a page fault in a process that
// builds once. A story holds no pointer (TestStoryHasNoPointers), so the
// collector, which never scans the chunk, misses nothing. Else, or if
// the chunk is too small, fresh memory.
func storiesOver(feats *arena[feat], n int) []story {
	if n == 0 || len(feats.chunks) == 0 {
		return make([]story, n)
	}
	c := feats.chunks[0]
	p := unsafe.Pointer(unsafe.SliceData(c[:cap(c)]))
	if uintptr(cap(c))*unsafe.Sizeof(feat{}) < uintptr(n)*unsafe.Sizeof(story{}) || uintptr(p)%unsafe.Alignof(story{}) != 0 {
		return make([]story, n)
	}
	s := unsafe.Slice((*story)(p), n)
	clear(s)
	return s
}

// boundsOver returns n int32s (n-1 stories' bounds, storyDocs) laid over
// the feats arena's first chunk past the room storiesOver takes for the
// stories of items items, as dead by then; fresh ones if the chunk has
// no room for them.
func boundsOver(feats *arena[feat], items, n int) []int32 {
	if n == 0 || len(feats.chunks) == 0 {
		return make([]int32, n)
	}
	c := feats.chunks[0]
	mem := unsafe.Slice((*int32)(unsafe.Pointer(unsafe.SliceData(c[:cap(c)]))), cap(c)*int(unsafe.Sizeof(feat{}))/4)
	if skip := items * int(unsafe.Sizeof(story{})) / 4; skip <= len(mem) {
		b, _ := over[int32](mem[skip:], n)
		return b
	}
	return make([]int32, n)
}

// over lays n elements of T over the start of mem, memory of int32s a
// build is done with (table.int32s), and returns them, their contents as
// mem left them, with what is left of mem; when mem has no room for
// them, fresh ones (zero) and mem unchanged. T holds no pointer, as mem
// does not, and is at most 4-byte aligned (mem's elements are).
func over[T int32 | float32 | uint8](mem []int32, n int) ([]T, []int32) {
	var t T
	words := (n*int(unsafe.Sizeof(t)) + 3) / 4
	if n == 0 || words > len(mem) {
		return make([]T, n), mem
	}
	return unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(mem))), n), mem[words:]
}
