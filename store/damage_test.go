package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/triagebot/triagebot/news"
	bolt "go.etcd.io/bbolt"
)

// filledStore writes n items in one commit, so nearly every page of the
// file is live, and returns the data dir.
func filledStore(t *testing.T, n int) string {
	t.Helper()
	return filledStoreWith(t, n, Options{LockTimeout: 200 * time.Millisecond})
}

// filledStoreWith is filledStore for a store opened with opts.
func filledStoreWith(t *testing.T, n int, opts Options) string {
	t.Helper()
	dir := t.TempDir()
	s, err := Open(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	batch := make([]news.Item, n)
	for i := range batch {
		batch[i] = item(i, "a", t0.Add(time.Duration(i)*time.Minute))
		batch[i].Summary = strings.Repeat("padding so the items fill many pages ", 4)
	}
	if _, err := s.UpsertItems(batch); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

// readAll opens the store and reads everything a command might.
func readAll(dir string, ro bool) error {
	s, err := Open(dir, Options{ReadOnly: ro, LockTimeout: 200 * time.Millisecond})
	if err != nil {
		return err
	}
	defer s.Close()
	if _, err := s.Items(Query{}); err != nil {
		return err
	}
	if _, err := s.Feeds(true); err != nil {
		return err
	}
	if _, err := s.Items(Query{Marked: true}); err != nil {
		return err
	}
	_, err = s.Backup(&bytes.Buffer{})
	return err
}

// readAllAndCheck is readAll and then what `triagebot check` runs: the
// reads walk the items and the time index only, so damage to a page of
// another index (seen, urls, ids) is found by the check.
func readAllAndCheck(dir string, ro bool) error {
	if err := readAll(dir, ro); err != nil {
		return err
	}
	s, err := Open(dir, Options{ReadOnly: ro, LockTimeout: 200 * time.Millisecond})
	if err != nil {
		return err
	}
	defer s.Close()
	_, err = s.Check()
	return err
}

func TestDamagedFileIsAnErrorNotACrash(t *testing.T) {
	cases := []struct {
		name   string
		damage func(t *testing.T, path string)
		want   string // in the error
	}{
		{"truncated to 8 KiB", func(t *testing.T, path string) {
			if err := os.Truncate(path, 8<<10); err != nil {
				t.Fatal(err)
			}
		}, "truncated"},
		{"both meta pages zeroed", func(t *testing.T, path string) { overwrite(t, path, 0, make([]byte, 8<<10)) }, "no valid meta page"},
		{"0-byte file", func(t *testing.T, path string) {
			if err := os.Truncate(path, 0); err != nil {
				t.Fatal(err)
			}
		}, "empty (0 bytes)"},
		{"not a bbolt file", func(t *testing.T, path string) {
			if err := os.WriteFile(path, bytes.Repeat([]byte("hello, this is text\n"), 1000), 0o600); err != nil {
				t.Fatal(err)
			}
		}, "no valid meta page"},
		{"4 KiB of garbage at a third", func(t *testing.T, path string) { garbageAt(t, path, 1, 3) }, ""},
		{"4 KiB of garbage in the middle", func(t *testing.T, path string) { garbageAt(t, path, 1, 2) }, ""},
		{"4 KiB of garbage at two thirds", func(t *testing.T, path string) { garbageAt(t, path, 2, 3) }, ""},
		{"garbage behind an intact page header", func(t *testing.T, path string) {
			b := make([]byte, 4096-pageHeaderSize)
			r := rand.New(rand.NewPCG(7, 7))
			for i := range b {
				b[i] = byte(r.Uint32())
			}
			overwrite(t, path, livePage(t, path, 1, 2)+pageHeaderSize, b)
		}, ""},
		{"4 KiB of zeros in the middle", func(t *testing.T, path string) {
			overwrite(t, path, livePage(t, path, 1, 2), make([]byte, 4096))
		}, ""},
	}
	for _, tc := range cases {
		for _, ro := range []bool{false, true} {
			name := tc.name
			if ro {
				name += " read-only"
			}
			t.Run(name, func(t *testing.T) {
				dir := filledStore(t, 3000)
				path := filepath.Join(dir, FileName)
				tc.damage(t, path)
				err := readAllAndCheck(dir, ro)
				if !errors.Is(err, ErrDamaged) {
					t.Fatalf("err = %v, want ErrDamaged", err)
				}
				for _, want := range []string{path, "damaged", "backup", "triagebot check", tc.want} {
					if !strings.Contains(err.Error(), want) {
						t.Errorf("error %q does not say %q", err, want)
					}
				}
				rep, err := CheckFile(dir, 200*time.Millisecond)
				if !errors.Is(err, ErrDamaged) || len(rep.Problems) == 0 {
					t.Errorf("check: %v, problems %q; want ErrDamaged with problems", err, rep.Problems)
				}
			})
		}
	}
}

func overwrite(t *testing.T, path string, off int64, b []byte) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt(b, off); err != nil {
		t.Fatal(err)
	}
}

// livePage is the offset of the first branch or leaf page at or after
// num/den of the used part of the file (bbolt grows the file ahead of its
// high-water mark). Only a page in use: the pages a store's first commits
// wrote are free once the big commit rewrote them, where they fall depends
// on the encoded items' lengths (their first-seen times), and damage to a
// free page is rightly no damage to the store.
func livePage(t *testing.T, path string, num, den uint64) int64 {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	m, err := readMeta(f, fi.Size())
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, PreLoadFreelist: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var off int64
	err = db.View(func(tx *bolt.Tx) error {
		for id := int(m.pgid * num / den); id < int(m.pgid); {
			p, err := tx.Page(id)
			if err != nil {
				return err
			}
			switch p.Type {
			case "branch", "leaf":
				off = int64(id) * int64(m.pageSize)
				return nil
			case "free":
				id++
			default:
				id += 1 + p.OverflowCount
			}
		}
		return fmt.Errorf("no branch or leaf page after %d/%d of %d pages", num, den, m.pgid)
	})
	if err != nil {
		t.Fatal(err)
	}
	return off
}

// garbageAt overwrites the page at num/den of the used file with random
// bytes.
func garbageAt(t *testing.T, path string, num, den uint64) {
	t.Helper()
	b := make([]byte, 4096)
	r := rand.New(rand.NewPCG(num, den))
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	overwrite(t, path, livePage(t, path, num, den), b)
}

func TestOneZeroedMetaPageFallsBackToTheOther(t *testing.T) {
	dir := filledStore(t, 100)
	overwrite(t, filepath.Join(dir, FileName), 0, make([]byte, 4096))
	if err := readAll(dir, true); err != nil {
		t.Fatalf("bbolt keeps two meta pages; with one zeroed the store still opens: %v", err)
	}
}

func TestCheckFileOnSoundStore(t *testing.T) {
	dir := filledStore(t, 500)
	rep, err := CheckFile(dir, time.Second)
	if err != nil || len(rep.Problems) != 0 {
		t.Fatalf("sound store: %v %q", err, rep.Problems)
	}
	if rep.Items != 500 || rep.Pages < 10 || rep.Buckets < len(buckets()) {
		t.Errorf("report = %+v", rep)
	}
	s := open(t, dir)
	defer s.Close()
	if rep, err := s.Check(); err != nil || rep.Items != 500 {
		t.Errorf("open store check: %+v %v", rep, err)
	}
	if _, err := CheckFile(t.TempDir(), time.Second); !errors.Is(err, ErrNoStore) {
		t.Errorf("missing file: %v, want ErrNoStore", err)
	}
}

func TestReadOnlyOpenWritesNothing(t *testing.T) {
	dir := filledStore(t, 200)
	path := filepath.Join(dir, FileName)
	if err := os.Chmod(path, 0o444); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	s, err := Open(dir, Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("read-only open of a 0444 file: %v", err)
	}
	if n, err := s.Count(); err != nil || n != 200 {
		t.Errorf("count = %d, %v", n, err)
	}
	if _, err := s.UpsertItems([]news.Item{item(9999, "b", t0)}); !errors.Is(err, ErrReadOnly) {
		t.Errorf("write on a read-only store: %v, want ErrReadOnly", err)
	}
	if err := s.SyncFeeds([]news.Feed{{Name: "x", URL: "https://x.example.com/", Kind: news.KindNews}}); !errors.Is(err, ErrReadOnly) {
		t.Errorf("SyncFeeds on a read-only store: %v, want ErrReadOnly", err)
	}
	// Another reader may open it at the same time (a shared lock).
	s2, err := Open(dir, Options{ReadOnly: true, LockTimeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatalf("second reader: %v", err)
	}
	s2.Close()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Error("a read-only open changed the file's bytes")
	}
	if _, err := Open(t.TempDir(), Options{ReadOnly: true}); !errors.Is(err, ErrNoStore) {
		t.Errorf("read-only open of a missing store: %v, want ErrNoStore", err)
	}
}

func TestDefaultLockTimeoutIsOneSecond(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir)
	defer s.Close()
	done := make(chan error, 1)
	start := time.Now()
	go func() {
		s2, err := Open(dir, Options{}) // no timeout given: the default applies
		if err == nil {
			s2.Close()
		}
		done <- err
	}()
	select {
	case err := <-done:
		el := time.Since(start)
		if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "in use by another triagebot") {
			t.Fatalf("second open: %v, want ErrLocked", err)
		}
		if el < 800*time.Millisecond || el > 5*time.Second {
			t.Errorf("second open gave up after %s, want about 1 s", el)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("second open of a held store waited more than 10 s: the default lock timeout is gone")
	}
}

// The writer goroutine meets damage too (a poll's seen-set lookups): an
// error for the caller, and the process lives on.
func TestWriterOnDamagedFileReturnsAnError(t *testing.T) {
	dir := filledStore(t, 3000)
	path := filepath.Join(dir, FileName)
	// Garble the root page of the seen set, which every poll reads.
	root := bucketRoot(t, path, bSeen)
	junk := make([]byte, 4096)
	r := rand.New(rand.NewPCG(3, 3))
	for i := range junk {
		junk[i] = byte(r.Uint32())
	}
	overwrite(t, path, int64(root)*4096, junk)
	s, err := Open(dir, Options{})
	if err != nil {
		if !errors.Is(err, ErrDamaged) {
			t.Fatalf("open: %v", err)
		}
		t.Fatalf("open failed before the writer ran; damage pages the open does not read: %v", err)
	}
	defer s.Close()
	batch := make([]news.Item, 3000)
	for i := range batch {
		batch[i] = item(i, "a", t0.Add(time.Duration(i)*time.Minute))
	}
	if _, err := s.RecordPoll("a", batch, nil); !errors.Is(err, ErrDamaged) {
		t.Fatalf("poll into a damaged store: %v, want ErrDamaged", err)
	}
	// Reads that avoid the damage still work (the transaction rolled back).
	if _, err := s.Feeds(true); err != nil {
		t.Errorf("feeds after the failed write: %v", err)
	}
}

// A store written without a synced freelist (before this layout) opens,
// and from then on carries one, so later opens do not walk the file.
func TestLegacyFreelistIsSyncedAtFirstWriteOpen(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{noFreelistSync: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpsertItems([]news.Item{item(1, "a", t0)}); err != nil {
		t.Fatal(err)
	}
	closeStore(t, s)
	meta := func() boltMeta {
		m, _, err := validateFile(filepath.Join(dir, FileName))
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	if meta().freelist != noFreelist {
		t.Fatal("the legacy store has a freelist: the test proves nothing")
	}
	s = open(t, dir)
	if n, err := s.Count(); err != nil || n != 1 {
		t.Errorf("count %d, %v", n, err)
	}
	closeStore(t, s)
	if meta().freelist == noFreelist {
		t.Error("no freelist written at the first write open")
	}
}

// bucketRoot finds a top-level bucket's root page in the file.
func bucketRoot(t *testing.T, path string, name []byte) uint64 {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, _ := f.Stat()
	m, err := readMeta(f, fi.Size())
	if err != nil {
		t.Fatal(err)
	}
	w := &walker{f: f, m: m}
	p, err := w.page(m.root)
	if err != nil {
		t.Fatal(err)
	}
	ne := binary.NativeEndian
	for i := range int(ne.Uint16(p[10:])) {
		e := pageHeaderSize + i*16
		pos, ksize := int(ne.Uint32(p[e+4:])), int(ne.Uint32(p[e+8:]))
		if bytes.Equal(p[e+pos:e+pos+ksize], name) {
			if root := ne.Uint64(p[e+pos+ksize:]); root != 0 {
				return root
			}
			t.Fatalf("bucket %s is inline", name)
		}
	}
	t.Fatalf("no bucket %s in the root page (a branch root?)", name)
	return 0
}
