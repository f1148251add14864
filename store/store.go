package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/triagebot/triagebot/news"
	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// SchemaVersion is the layout this code reads and writes. 2 re-read every
// feed once (URL GUIDs keep their #fragment); 3 added the marked index
// (tagged or picked items).
const SchemaVersion = 3

// FileName is the bbolt file inside data_dir.
const FileName = "triagebot.db"

var (
	bMeta  = []byte("meta")
	bFeeds = []byte("feeds")
	// Items are stored in insertion order, so a poll appends to the end of
	// the bucket instead of rewriting pages all over it; the pub index
	// orders them by published time for range scans.
	bItems = []byte("items") // seqKey (insertion order) → item JSON
	bPub   = []byte("pub")   // timeKey(published, id) → seqKey
	bIDs   = []byte("ids")   // short id → seqKey
	bURLs  = []byte("urls")  // item URL → short id
	bSeen  = []byte("seen")  // canonical key → short id; never pruned, so it doubles as the key index
	bState = []byte("state") // small named blobs owned by other parts (learned model, …)
	// The marked index holds only the items a host tagged or picked, keyed
	// like pub, so learning from tags and the digest's history read those
	// few instead of decoding every stored item.
	bMarked = []byte("marked") // timeKey(published, id) → seqKey
)

func buckets() [][]byte {
	return [][]byte{bMeta, bFeeds, bItems, bPub, bIDs, bURLs, bSeen, bState, bSubs, bPosts, bMarked}
}

// Errors callers branch on.
var (
	ErrLocked       = errors.New("store: the database is already in use by another triagebot (stop that process, or point data_dir elsewhere)")
	ErrNotFound     = errors.New("store: not found")
	ErrFeedExists   = errors.New("store: a feed with that name already exists")
	ErrNewerVersion = errors.New("store: the database was written by a newer triagebot; upgrade this binary")
	ErrReadOnly     = errors.New("store: opened read-only")
	ErrNoStore      = errors.New("store: no store yet (`triagebot poll` or `triagebot run` creates it)")
)

// Options tune Open.
type Options struct {
	// LockTimeout is how long Open waits for another process's lock
	// (default 1 s).
	LockTimeout time.Duration
	// ReadOnly opens the file without writing to it: a shared lock (other
	// readers may open it too, a writer may not), no schema or index
	// upgrade, and every write fails with ErrReadOnly. Reads then work on
	// a full disk or a read-only file. A missing file is ErrNoStore.
	ReadOnly bool

	// noFreelistSync is bbolt's other setting, kept for BenchmarkOpen.
	noFreelistSync bool
}

// Store is the bbolt-backed store. Safe for concurrent use.
type Store struct {
	*core
	// borrowed handles share another's file and do not close it.
	borrowed bool
}

type core struct {
	db       *bolt.DB
	path     string
	readOnly bool

	writes     chan writeReq
	writerDone chan struct{}
	// mappedBudget is the writer's bound on mapped file pages and
	// readBudget a long read walk's (see dropMapped); tests lower them.
	mappedBudget, readBudget int64
	closeMu                  sync.RWMutex
	closed                   bool
}

// Borrow returns a handle on the same open file whose Close does nothing:
// for code that closes what it opened, run against a store someone else
// owns (the daemon serving a CLI command).
func (s *Store) Borrow() *Store { return &Store{core: s.core, borrowed: true} }

// forgetValidators (schema 1 → 2) clears every feed's ETag and
// Last-Modified once. Schema 1 dropped the #fragment of URL GUIDs, so
// items that differ only there (a changelog's releases) were kept out as
// duplicates; the next poll must read each body in full, not get a 304,
// for the items under the new keys to arrive.
func forgetValidators(tx *bolt.Tx) error {
	b := tx.Bucket(bFeeds)
	var recs []FeedRecord
	err := b.ForEach(func(_, v []byte) error {
		var rec FeedRecord
		if err := decode(v, &rec); err != nil {
			return err
		}
		if rec.State.ETag != "" || rec.State.LastModified != "" {
			rec.State.ETag, rec.State.LastModified = "", ""
			recs = append(recs, rec)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, rec := range recs {
		if err := putFeed(b, rec); err != nil {
			return err
		}
	}
	return nil
}

// migrations[v] upgrades a store at schema version v to v+1, inside
// Open's transaction.
func migrations() map[int]func(*bolt.Tx) error {
	return map[int]func(*bolt.Tx) error{1: forgetValidators, 2: buildMarked}
}

// buildMarked fills the marked index from every stored item: once, when a
// store from before the index is first opened for writing.
func buildMarked(tx *bolt.Tx) error {
	marked := tx.Bucket(bMarked)
	items := tx.Bucket(bItems)
	return tx.Bucket(bPub).ForEach(func(k, seq []byte) error {
		raw := items.Get(seq)
		if raw == nil {
			return nil // a time-index entry without its item: nothing to mark (`check` reports it)
		}
		var it news.Item
		if err := decode(raw, &it); err != nil {
			return err
		}
		if isMarked(&it) {
			return marked.Put(k, seq)
		}
		return nil
	})
}

// Open opens dir/triagebot.db, creating it unless opts.ReadOnly. The file
// is checked before bbolt maps it, and a damaged file is an error wrapping
// ErrDamaged, never a crash.
func Open(dir string, opts Options) (*Store, error) {
	if opts.LockTimeout <= 0 {
		opts.LockTimeout = time.Second
	}
	path := filepath.Join(dir, FileName)
	meta, exists, err := validateFile(path)
	if err != nil {
		return nil, err
	}
	if opts.ReadOnly && !exists {
		return nil, fmt.Errorf("%w at %s", ErrNoStore, path)
	}
	if !opts.ReadOnly {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("store: create data_dir %s: %w", dir, err)
		}
		// A store written without a synced freelist gets one at this open,
		// and bbolt rebuilds it by walking every page in a goroutine of its
		// own, where a fault cannot be recovered: walk it safely first.
		// Once per store.
		if exists && meta.freelist == noFreelist {
			w, err := walkFile(path)
			if err != nil {
				return nil, err
			}
			if len(w.probs) > 0 {
				return nil, damaged(path, w.probs[0])
			}
		}
	}
	// The freelist is written at every commit (bbolt's default): without
	// it every open walks the whole file to rebuild it, which at 100k
	// items cost more than the command (see BenchmarkOpen). A large
	// initial mmap (address space, not memory) spares the re-map that
	// otherwise copies every live node each time the file grows.
	var db *bolt.DB
	err = guarded(path, func() error {
		var err error
		db, err = bolt.Open(path, 0o600, &bolt.Options{
			Timeout:         opts.LockTimeout,
			ReadOnly:        opts.ReadOnly,
			NoFreelistSync:  opts.noFreelistSync,
			FreelistType:    bolt.FreelistMapType,
			InitialMmapSize: 1 << 30,
		})
		return err
	})
	if err != nil {
		switch {
		case errors.Is(err, berrors.ErrTimeout):
			return nil, fmt.Errorf("%w: %s", ErrLocked, path)
		case errors.Is(err, ErrDamaged):
			return nil, err
		case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrChecksum), errors.Is(err, berrors.ErrVersionMismatch):
			return nil, damaged(path, err.Error())
		}
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	s := &Store{core: &core{db: db, path: path, readOnly: opts.ReadOnly, mappedBudget: mappedBudget, readBudget: readBudget}}
	if opts.ReadOnly {
		err = s.view(checkVersion)
	} else {
		err = s.update(s.init)
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	if !opts.ReadOnly {
		s.writes, s.writerDone = make(chan writeReq, maxGroup), make(chan struct{})
		go s.writer()
	}
	return s, nil
}

// view and update are bbolt's View and Update, guarded against a damaged
// file.
func (s *Store) view(fn func(*bolt.Tx) error) error {
	return guarded(s.path, func() error { return s.db.View(fn) })
}

func (s *Store) update(fn func(*bolt.Tx) error) error {
	if s.readOnly {
		return fmt.Errorf("%w: %s", ErrReadOnly, s.path)
	}
	return guarded(s.path, func() error { return s.db.Update(fn) })
}

// schemaOf reads the stored schema version (0 when the meta bucket or key
// is missing: a new file).
func schemaOf(tx *bolt.Tx) (int, error) {
	meta := tx.Bucket(bMeta)
	if meta == nil {
		return 0, nil
	}
	raw := meta.Get([]byte("schema_version"))
	if raw == nil {
		return 0, nil
	}
	n, err := strconv.Atoi(string(raw))
	if err != nil {
		return 0, fmt.Errorf("store: bad schema_version %q: %w", raw, err)
	}
	return n, nil
}

func checkVersion(tx *bolt.Tx) error {
	v, err := schemaOf(tx)
	if err != nil {
		return err
	}
	if v > SchemaVersion {
		return fmt.Errorf("%w (file schema %d, this binary %d)", ErrNewerVersion, v, SchemaVersion)
	}
	return nil
}

func (s *Store) init(tx *bolt.Tx) error {
	fresh := tx.Bucket(bMeta) == nil
	for _, b := range buckets() {
		if _, err := tx.CreateBucketIfNotExists(b); err != nil {
			return fmt.Errorf("store: create bucket %s: %w", b, err)
		}
	}
	v, err := schemaOf(tx)
	if err != nil {
		return err
	}
	if v == 0 {
		if !fresh {
			v = 1 // buckets without a version: the first layout
		} else {
			v = SchemaVersion // a new store starts at the current layout
		}
	}
	if v > SchemaVersion {
		return fmt.Errorf("%w (file schema %d, this binary %d)", ErrNewerVersion, v, SchemaVersion)
	}
	if v == SchemaVersion && !fresh {
		return nil // nothing to write: an open must not dirty the file
	}
	mig := migrations()
	for ; v < SchemaVersion; v++ {
		m, ok := mig[v]
		if !ok {
			return fmt.Errorf("store: no migration from schema %d", v)
		}
		if err := m(tx); err != nil {
			return fmt.Errorf("store: migrate schema %d: %w", v, err)
		}
	}
	return tx.Bucket(bMeta).Put([]byte("schema_version"), []byte(strconv.Itoa(SchemaVersion)))
}

// ReadOnly reports whether the store was opened read-only.
func (s *Store) ReadOnly() bool { return s.readOnly }

// Path is the bbolt file's path.
func (s *Store) Path() string { return s.path }

// Close finishes queued writes and closes the file.
func (s *Store) Close() error {
	if s.borrowed {
		return nil
	}
	s.closeMu.Lock()
	if s.closed {
		s.closeMu.Unlock()
		return ErrClosed
	}
	s.closed = true
	if s.writes != nil {
		close(s.writes)
	}
	s.closeMu.Unlock()
	if s.writerDone != nil {
		<-s.writerDone
	}
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("store: close: %w", err)
	}
	return nil
}

// Backup writes a consistent copy of the whole database while it stays in
// use (bbolt's Tx.WriteTo inside a read transaction).
func (s *Store) Backup(w io.Writer) (int64, error) {
	var n int64
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("store: backup: %w", err)
	}
	return n, nil
}

// GetState reads a named blob from the state bucket (nil when absent).
func (s *Store) GetState(name string) ([]byte, error) {
	var out []byte
	err := s.view(func(tx *bolt.Tx) error {
		if v := tx.Bucket(bState).Get([]byte(name)); v != nil {
			out = bytes.Clone(v)
		}
		return nil
	})
	return out, err
}

// PutState writes a named blob; nil deletes it.
func (s *Store) PutState(name string, v []byte) error {
	return s.update(func(tx *bolt.Tx) error {
		if v == nil {
			return tx.Bucket(bState).Delete([]byte(name))
		}
		return tx.Bucket(bState).Put([]byte(name), v)
	})
}

// timeKey orders items by published time; the id makes it unique.
func timeKey(t time.Time, id string) []byte {
	k := make([]byte, 8, 8+len(id))
	// UnixNano wraps outside 1678–2262: clamp, so a cutoff or date beyond
	// that range sorts at the end it belongs to instead of the other one.
	ns := t.UnixNano()
	switch {
	case t.Before(time.Unix(0, math.MinInt64)):
		ns = math.MinInt64
	case t.After(time.Unix(0, math.MaxInt64)):
		ns = math.MaxInt64
	}
	binary.BigEndian.PutUint64(k, uint64(ns)^(1<<63)) // sign flip keeps pre-1970 ordered
	return append(k, id...)
}

func normName(name string) []byte { return []byte(strings.ToLower(strings.TrimSpace(name))) }

func encode(v any) ([]byte, error) {
	var (
		b   []byte
		err error
	)
	switch v := v.(type) {
	case *news.Item:
		b, err = encodeItem(v) // the same bytes, without reflection
	case news.FeedRecord:
		b, err = encodeFeedRecord(&v)
	case *news.FeedRecord:
		b, err = encodeFeedRecord(v)
	default:
		b, err = json.Marshal(v)
	}
	if err != nil {
		return nil, fmt.Errorf("store: encode: %w", err)
	}
	return b, nil
}

func decode(b []byte, v any) error {
	var err error
	if rec, ok := v.(*news.FeedRecord); ok {
		err = decodeFeedRecord(b, rec) // the same result, without reflection
	} else {
		err = json.Unmarshal(b, v)
	}
	if err != nil {
		return fmt.Errorf("store: decode: %w", err)
	}
	return nil
}
