package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"runtime/debug"
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
