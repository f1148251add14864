package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
)

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

// CheckReport is what a check found.
type CheckReport struct {
	Path     string
	Size     int64
	Pages    int      // pages reached from the root
	Buckets  int      // buckets, nested ones included
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

// Check verifies an open store: the pages walked from the file, then
// bbolt's Tx.Check and the index counts. bbolt's check reads the mapping
// in a goroutine of its own (and, on a store without a synced freelist,
// rebuilds the freelist by walking every page there), where a damaged
// page is a crash nothing can recover: so the file is walked safely
// first, in either mode. For the daemon, which holds the file, this runs
// in a write transaction (rolled back) so no commit changes the file
// meanwhile; a read-only store has no writer.
func (s *Store) Check() (CheckReport, error) {
	rep := CheckReport{Path: s.path}
	if fi, err := os.Stat(s.path); err == nil {
		rep.Size = fi.Size()
	}
	err := guarded(s.path, func() error {
		tx, err := s.db.Begin(!s.readOnly)
		if err != nil {
			return err
		}
		defer tx.Rollback()
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
