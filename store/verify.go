package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	bolt "go.etcd.io/bbolt"
)

// ErrDamaged marks a store file that cannot be read safely: truncated,
// overwritten, or not a bbolt file at all. Every error that says so wraps
// it, with the file's path and what to do.
var ErrDamaged = errors.New("store: the database file is damaged")

// DamagedError is the one message a damaged file gets, wherever it is
// found: the file, what is wrong, what to do. It wraps ErrDamaged.
type DamagedError struct {
	Path, Detail string
}

func (e *DamagedError) Error() string {
	return fmt.Sprintf("%v: %s: %s. Stop triagebot and restore the file from a backup (made by `triagebot backup`), or move it aside to start an empty store; `triagebot check` reports what is wrong", ErrDamaged, e.Path, e.Detail)
}

func (e *DamagedError) Unwrap() error { return ErrDamaged }

func damaged(path, detail string) error { return &DamagedError{Path: path, Detail: detail} }

// detail is what a report lists for err: a damaged file's detail alone.
func detail(err error) string {
	if de, ok := errors.AsType[*DamagedError](err); ok {
		return de.Detail
	}
	return err.Error()
}

// bbolt's on-disk layout (go.etcd.io/bbolt/internal/common), read here so a
// file is validated before bbolt maps it: bbolt trusts the meta page's
// high-water mark, so a truncated file faults (SIGBUS) on the first read
// beyond its end, which no recover can catch.
const (
	boltMagic      = 0xED0CDAED
	boltVersion    = 2
	pageHeaderSize = 16 // id u64, flags u16, count u16, overflow u32
	metaSize       = 64 // magic, version, pageSize, flags u32; root, sequence, freelist, pgid, txid, checksum u64
	noFreelist     = ^uint64(0)

	branchPageFlag   = 0x01
	leafPageFlag     = 0x02
	metaPageFlag     = 0x04
	freelistPageFlag = 0x10
	bucketLeafFlag   = 0x01
)

// boltMeta is a decoded meta page.
type boltMeta struct {
	pageSize       uint32
	root, freelist uint64
	pgid, txid     uint64
}

// parseMeta decodes and validates one meta page (header included).
func parseMeta(b []byte) (boltMeta, error) {
	if len(b) < pageHeaderSize+metaSize {
		return boltMeta{}, errors.New("short meta page")
	}
	ne := binary.NativeEndian // bbolt writes its pages in the machine's byte order
	m := b[pageHeaderSize : pageHeaderSize+metaSize]
	if ne.Uint32(m[0:]) != boltMagic {
		return boltMeta{}, errors.New("not a bbolt meta page (bad magic)")
	}
	if v := ne.Uint32(m[4:]); v != boltVersion {
		return boltMeta{}, fmt.Errorf("bbolt format version %d, want %d", v, boltVersion)
	}
	h := fnv.New64a()
	h.Write(m[:56])
	if h.Sum64() != ne.Uint64(m[56:]) {
		return boltMeta{}, errors.New("meta page checksum mismatch")
	}
	return boltMeta{
		pageSize: ne.Uint32(m[8:]),
		root:     ne.Uint64(m[16:]),
		freelist: ne.Uint64(m[32:]),
		pgid:     ne.Uint64(m[40:]),
		txid:     ne.Uint64(m[48:]),
	}, nil
}

// readMeta returns the meta page bbolt would use (the valid one with the
// higher transaction id) after checking it against the file's size. A nil
// error means bbolt can map the file and every page the meta points below
// its high-water mark lies inside the file.
func readMeta(f io.ReaderAt, size int64) (boltMeta, error) {
	if size == 0 {
		return boltMeta{}, errors.New("the file is empty (0 bytes), so it holds no store; a crash while it was being created or a failed copy leaves this")
	}
	buf := make([]byte, pageHeaderSize+metaSize)
	var metas []boltMeta
	var why []string
	m0, err := readMetaAt(f, buf, 0)
	if err == nil {
		metas = append(metas, m0)
	} else {
		why = append(why, "meta page 0: "+err.Error())
	}
	// The second meta page sits one page in; when the first is unreadable
	// its page size is unknown, so try the sizes bbolt uses.
	offsets := []int64{4096, 8192, 16384, 65536}
	if err == nil {
		offsets = []int64{int64(m0.pageSize)}
	}
	var err1 error
	for _, off := range offsets {
		var m1 boltMeta
		if m1, err1 = readMetaAt(f, buf, off); err1 == nil {
			metas = append(metas, m1)
			break
		}
	}
	if err1 != nil {
		why = append(why, "meta page 1: "+err1.Error())
	}
	if len(metas) == 0 {
		return boltMeta{}, fmt.Errorf("no valid meta page (%s)", joinWhy(why))
	}
	m := metas[0]
	if len(metas) == 2 && metas[1].txid > m.txid {
		m = metas[1]
	}
	ps := uint64(m.pageSize)
	switch {
	case ps < 512 || ps > 1<<20 || ps&(ps-1) != 0:
		return m, fmt.Errorf("meta page gives an impossible page size %d", ps)
	case m.pgid < 2 || m.root < 2 || m.root >= m.pgid:
		return m, fmt.Errorf("meta page points its root at page %d of %d", m.root, m.pgid)
	case m.freelist != noFreelist && (m.freelist < 2 || m.freelist >= m.pgid):
		return m, fmt.Errorf("meta page points its freelist at page %d of %d", m.freelist, m.pgid)
	case m.pgid > uint64(size)/ps:
		return m, fmt.Errorf("the file is %d bytes but its last commit needs %d (%d pages of %d bytes): it was truncated", size, m.pgid*ps, m.pgid, ps)
	}
	return m, nil
}

func readMetaAt(f io.ReaderAt, buf []byte, off int64) (boltMeta, error) {
	if _, err := f.ReadAt(buf, off); err != nil {
		if errors.Is(err, io.EOF) {
			return boltMeta{}, errors.New("beyond the end of the file")
		}
		return boltMeta{}, err
	}
	return parseMeta(buf)
}

func joinWhy(why []string) string {
	s := ""
	for i, w := range why {
		if i > 0 {
			s += "; "
		}
		s += w
	}
	return s
}

// validateFile checks path's meta pages before bbolt maps it. A missing
// file is fine (bbolt creates it on a write open).
func validateFile(path string) (boltMeta, bool, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return boltMeta{}, false, nil
	}
	if err != nil {
		return boltMeta{}, false, fmt.Errorf("store: open %s: %w", path, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return boltMeta{}, false, fmt.Errorf("store: stat %s: %w", path, err)
	}
	m, err := readMeta(f, fi.Size())
	if err != nil {
		return m, true, damaged(path, err.Error())
	}
	return m, true, nil
}

// walker checks every page reachable from the root bucket by reading the
// file (never the mapping), so any garbage is an error, not a fault: page
// ids below the high-water mark, page types, element bounds, no page
// reached twice.
type walker struct {
	f       io.ReaderAt
	m       boltMeta
	seen    map[uint64]bool
	pages   int
	buckets int
	keys    int
	probs   []string
}

const maxProblems = 20

func (w *walker) problem(format string, args ...any) {
	if len(w.probs) < maxProblems {
		w.probs = append(w.probs, fmt.Sprintf(format, args...))
	}
}

// walkFile runs the structural walk over the file at path.
func walkFile(path string) (*walker, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("store: stat %s: %w", path, err)
	}
	m, err := readMeta(f, fi.Size())
	if err != nil {
		return nil, damaged(path, err.Error())
	}
	w := &walker{f: f, m: m, seen: map[uint64]bool{}}
	w.bucket(m.root, 0)
	if m.freelist != noFreelist {
		if p, err := w.page(m.freelist); err != nil {
			w.problem("freelist page %d: %v", m.freelist, err)
		} else if flags := binary.NativeEndian.Uint16(p[8:]); flags != freelistPageFlag {
			w.problem("freelist page %d has page type %#x", m.freelist, flags)
		}
	}
	return w, nil
}

// page reads page id with its overflow pages.
func (w *walker) page(id uint64) ([]byte, error) {
	ps := uint64(w.m.pageSize)
	if id < 2 || id >= w.m.pgid {
		return nil, fmt.Errorf("page id out of range [2, %d)", w.m.pgid)
	}
	hdr := make([]byte, pageHeaderSize)
	if _, err := w.f.ReadAt(hdr, int64(id*ps)); err != nil {
		return nil, err
	}
	ne := binary.NativeEndian
	if got := ne.Uint64(hdr); got != id {
		return nil, fmt.Errorf("header says page %d", got)
	}
	over := uint64(ne.Uint32(hdr[12:]))
	if id+over >= w.m.pgid {
		return nil, fmt.Errorf("%d overflow pages run past the high-water mark %d", over, w.m.pgid)
	}
	buf := make([]byte, (over+1)*ps)
	if _, err := w.f.ReadAt(buf, int64(id*ps)); err != nil {
		return nil, err
	}
	return buf, nil
}

// bucket walks the tree of a bucket whose root is page id (0: inline,
// handled by the caller).
func (w *walker) bucket(root uint64, depth int) {
	w.buckets++
	w.node(root, depth)
}

func (w *walker) node(id uint64, depth int) {
	if depth > 64 {
		w.problem("page %d: tree deeper than 64 levels (a cycle?)", id)
		return
	}
	if w.seen[id] {
		w.problem("page %d: reached twice", id)
		return
	}
	w.seen[id] = true
	p, err := w.page(id)
	if err != nil {
		w.problem("page %d: %v", id, err)
		return
	}
	w.pages++
	w.elements(id, p, depth)
}

// elements checks a branch or leaf page held in p (a whole page, or an
// inline bucket's page inside its parent's value).
func (w *walker) elements(id uint64, p []byte, depth int) {
	ne := binary.NativeEndian
	flags, count := ne.Uint16(p[8:]), int(ne.Uint16(p[10:]))
	if pageHeaderSize+count*16 > len(p) {
		w.problem("page %d: %d elements do not fit in %d bytes", id, count, len(p))
		return
	}
	for i := range count {
		e := pageHeaderSize + i*16
		switch flags {
		case branchPageFlag:
			pos, ksize, child := int(ne.Uint32(p[e:])), int(ne.Uint32(p[e+4:])), ne.Uint64(p[e+8:])
			if e+pos+ksize > len(p) || pos < 0 {
				w.problem("page %d: element %d's key runs past the page", id, i)
				return
			}
			w.node(child, depth+1)
		case leafPageFlag:
			eflags, pos, ksize, vsize := ne.Uint32(p[e:]), int(ne.Uint32(p[e+4:])), int(ne.Uint32(p[e+8:])), int(ne.Uint32(p[e+12:]))
			end := e + pos + ksize + vsize
			if pos < 0 || ksize < 0 || vsize < 0 || end > len(p) || end < e {
				w.problem("page %d: element %d runs past the page", id, i)
				return
			}
			w.keys++
			if eflags&bucketLeafFlag == 0 {
				continue
			}
			v := p[e+pos+ksize : end]
			if len(v) < 16 {
				w.problem("page %d: element %d is a bucket with a %d-byte header", id, i, len(v))
				continue
			}
			if root := ne.Uint64(v); root != 0 {
				w.bucket(root, depth+1)
			} else if len(v) < 16+pageHeaderSize {
				w.problem("page %d: element %d is an inline bucket without a page", id, i)
			} else {
				w.buckets++
				w.elements(id, v[16:], depth+1)
			}
		default:
			w.problem("page %d: page type %#x where a branch or leaf belongs", id, flags)
			return
		}
	}
}

// guarded runs fn turning what a damaged file does to bbolt (a fault on
// the mapping, an assertion or slice panic on garbage) into an error
// wrapping ErrDamaged. bbolt's View and Update roll their transaction back
// on a panic, so the store stays usable for what is not damaged.
func guarded(path string, fn func() error) (err error) {
	old := debug.SetPanicOnFault(true)
	defer func() {
		debug.SetPanicOnFault(old)
		if r := recover(); r != nil {
			err = damaged(path, fmt.Sprintf("reading it failed (%v)", r))
		}
	}()
	return fn()
}

// CheckReport is what a check found.
type CheckReport struct {
	Path     string
	Size     int64
	Pages    int      // pages reached from the root (0 when checked through an open store)
	Buckets  int      // buckets, nested ones included (likewise)
	Items    int      // stored items
	Problems []string // empty: the file is sound
}

// CheckFile verifies the store file in dir without trusting it: the meta
// pages against the file's size, then every page reached from the root,
// read from the file (never mapped), and only when that structure is sound,
// bbolt's own Tx.Check and the store's index counts on a read-only open.
// A damaged file is a report with problems and an error wrapping
// ErrDamaged; a file in use by a running triagebot is ErrLocked.
func CheckFile(dir string, lockTimeout time.Duration) (CheckReport, error) {
	path := filepath.Join(dir, FileName)
	rep := CheckReport{Path: path}
	fi, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return rep, fmt.Errorf("%w at %s", ErrNoStore, path)
	}
	if err != nil {
		return rep, fmt.Errorf("store: %w", err)
	}
	rep.Size = fi.Size()
	w, err := walkFile(path)
	if err != nil {
		rep.Problems = append(rep.Problems, detail(err))
		return rep, err
	}
	rep.Pages, rep.Buckets = w.pages, w.buckets
	if len(w.probs) > 0 {
		rep.Problems = w.probs
		return rep, damaged(path, fmt.Sprintf("%s in its pages, the first: %s", problems(len(w.probs)), w.probs[0]))
	}
	s, err := Open(dir, Options{ReadOnly: true, LockTimeout: lockTimeout})
	if err != nil {
		if errors.Is(err, ErrDamaged) {
			rep.Problems = append(rep.Problems, detail(err))
		}
		return rep, err
	}
	defer s.Close()
	err = s.view(func(tx *bolt.Tx) error { return s.checkTx(tx, &rep) })
	return rep, s.checked(&rep, err)
}

// Check verifies an open store: bbolt's Tx.Check and the index counts, in
// a write transaction (rolled back) so no commit runs meanwhile; for the
// daemon, which holds the file.
func (s *Store) Check() (CheckReport, error) {
	rep := CheckReport{Path: s.path}
	if fi, err := os.Stat(s.path); err == nil {
		rep.Size = fi.Size()
	}
	var err error
	if s.readOnly {
		err = s.view(func(tx *bolt.Tx) error { return s.checkTx(tx, &rep) })
	} else {
		err = guarded(s.path, func() error {
			tx, err := s.db.Begin(true)
			if err != nil {
				return err
			}
			defer tx.Rollback()
			// No commit runs while this transaction is open, so the file
			// holds the committed tree: walk it safely before bbolt's
			// check reads it through the mapping in a goroutine of its own.
			w, err := walkFile(s.path)
			if err != nil {
				return err
			}
			rep.Pages, rep.Buckets = w.pages, w.buckets
			if len(w.probs) > 0 {
				rep.Problems = w.probs
				return nil
			}
			return s.checkTx(tx, &rep)
		})
	}
	return rep, s.checked(&rep, err)
}

func (s *Store) checked(rep *CheckReport, err error) error {
	if err != nil {
		rep.Problems = append(rep.Problems, detail(err))
		if errors.Is(err, ErrDamaged) {
			return err
		}
		return damaged(s.path, err.Error())
	}
	if len(rep.Problems) > 0 {
		return damaged(s.path, fmt.Sprintf("%s, the first: %s", problems(len(rep.Problems)), rep.Problems[0]))
	}
	return nil
}

func problems(n int) string {
	if n == 1 {
		return "1 problem"
	}
	if n >= maxProblems {
		return fmt.Sprintf("%d or more problems", n)
	}
	return fmt.Sprintf("%d problems", n)
}

func (s *Store) checkTx(tx *bolt.Tx, rep *CheckReport) error {
	for err := range tx.Check() {
		if len(rep.Problems) < maxProblems {
			rep.Problems = append(rep.Problems, "bbolt: "+err.Error())
		}
	}
	if len(rep.Problems) > 0 {
		return nil // the indexes of a broken tree are not worth reading
	}
	for _, b := range buckets() {
		if tx.Bucket(b) == nil && !bytes.Equal(b, bMarked) {
			rep.Problems = append(rep.Problems, fmt.Sprintf("bucket %s is missing", b))
		}
	}
	if len(rep.Problems) > 0 {
		return nil
	}
	items, pub, ids := tx.Bucket(bItems).Stats().KeyN, tx.Bucket(bPub).Stats().KeyN, tx.Bucket(bIDs).Stats().KeyN
	rep.Items = items
	if pub != items || ids != items {
		rep.Problems = append(rep.Problems, fmt.Sprintf("%d items but %d time-index and %d id-index entries", items, pub, ids))
	}
	return nil
}
