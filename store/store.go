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

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// SchemaVersion is the layout this code reads and writes.
const SchemaVersion = 1

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
)

func buckets() [][]byte {
	return [][]byte{bMeta, bFeeds, bItems, bPub, bIDs, bURLs, bSeen, bState, bSubs, bPosts}
}

// Errors callers branch on.
var (
	ErrLocked       = errors.New("store: the database is already in use by another triagebot (stop that process, or point data_dir elsewhere)")
	ErrNotFound     = errors.New("store: not found")
	ErrFeedExists   = errors.New("store: a feed with that name already exists")
	ErrNewerVersion = errors.New("store: the database was written by a newer triagebot; upgrade this binary")
)

// Options tune Open.
type Options struct {
	// LockTimeout is how long Open waits for another process's lock.
	LockTimeout time.Duration
}

// Store is the bbolt-backed store. Safe for concurrent use.
type Store struct {
	db   *bolt.DB
	path string

	writes     chan writeReq
	writerDone chan struct{}
	closeMu    sync.RWMutex
	closed     bool
}

// migrations[v] upgrades a store at schema version v to v+1. The hook is
// here so a future layout change is one function, run inside Open's
// transaction.
func migrations() map[int]func(*bolt.Tx) error { return map[int]func(*bolt.Tx) error{} }

// Open opens (creating if needed) dir/triagebot.db.
func Open(dir string, opts Options) (*Store, error) {
	if opts.LockTimeout <= 0 {
		opts.LockTimeout = time.Second
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("store: create data_dir %s: %w", dir, err)
	}
	path := filepath.Join(dir, FileName)
	// The freelist is rebuilt at open instead of written at every commit:
	// commits are the poller's hot path, opens are rare. A large initial
	// mmap (address space, not memory) spares the re-map that otherwise
	// copies every live node each time the file grows.
	db, err := bolt.Open(path, 0o600, &bolt.Options{
		Timeout:         opts.LockTimeout,
		NoFreelistSync:  true,
		FreelistType:    bolt.FreelistMapType,
		InitialMmapSize: 1 << 30,
	})
	if err != nil {
		if errors.Is(err, berrors.ErrTimeout) {
			return nil, fmt.Errorf("%w: %s", ErrLocked, path)
		}
		return nil, fmt.Errorf("store: open %s: %w (if the file is damaged, restore it from a backup)", path, err)
	}
	s := &Store{db: db, path: path, writes: make(chan writeReq, maxGroup), writerDone: make(chan struct{})}
	if err := db.Update(s.init); err != nil {
		db.Close()
		return nil, err
	}
	go s.writer()
	return s, nil
}

func (s *Store) init(tx *bolt.Tx) error {
	for _, b := range buckets() {
		if _, err := tx.CreateBucketIfNotExists(b); err != nil {
			return fmt.Errorf("store: create bucket %s: %w", b, err)
		}
	}
	meta := tx.Bucket(bMeta)
	v := 0
	if raw := meta.Get([]byte("schema_version")); raw != nil {
		n, err := strconv.Atoi(string(raw))
		if err != nil {
			return fmt.Errorf("store: bad schema_version %q: %w", raw, err)
		}
		v = n
	} else {
		v = SchemaVersion // a new store starts at the current layout
	}
	if v > SchemaVersion {
		return fmt.Errorf("%w (file schema %d, this binary %d)", ErrNewerVersion, v, SchemaVersion)
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
	return meta.Put([]byte("schema_version"), []byte(strconv.Itoa(SchemaVersion)))
}

// Path is the bbolt file's path.
func (s *Store) Path() string { return s.path }

// Close finishes queued writes and closes the file.
func (s *Store) Close() error {
	s.closeMu.Lock()
	if s.closed {
		s.closeMu.Unlock()
		return ErrClosed
	}
	s.closed = true
	close(s.writes)
	s.closeMu.Unlock()
	<-s.writerDone
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("store: close: %w", err)
	}
	return nil
}

// Backup writes a consistent copy of the whole database while it stays in
// use (bbolt's Tx.WriteTo inside a read transaction).
func (s *Store) Backup(w io.Writer) (int64, error) {
	var n int64
	err := s.db.View(func(tx *bolt.Tx) error {
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
	err := s.db.View(func(tx *bolt.Tx) error {
		if v := tx.Bucket(bState).Get([]byte(name)); v != nil {
			out = bytes.Clone(v)
		}
		return nil
	})
	return out, err
}

// PutState writes a named blob; nil deletes it.
func (s *Store) PutState(name string, v []byte) error {
	return s.db.Update(func(tx *bolt.Tx) error {
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
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("store: encode: %w", err)
	}
	return b, nil
}

func decode(b []byte, v any) error {
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("store: decode: %w", err)
	}
	return nil
}
