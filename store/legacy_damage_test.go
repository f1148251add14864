package store

import (
	"errors"
	"path/filepath"
	"testing"
	"time"
)

// legacyStore writes n items without a synced freelist, as stores were
// written before the freelist was synced: bbolt rebuilds the freelist of
// such a file at a write open by walking every page, in a goroutine where
// a fault cannot be recovered.
func legacyStore(t *testing.T, n int) string {
	t.Helper()
	dir := filledStoreWith(t, n, Options{noFreelistSync: true, LockTimeout: 200 * time.Millisecond})
	m, _, err := validateFile(filepath.Join(dir, FileName))
	if err != nil || m.freelist != noFreelist {
		t.Fatalf("the legacy store has freelist page %d (%v): the test would prove nothing", m.freelist, err)
	}
	return dir
}

// A sound store without a freelist page is sound: the walk must not take
// the "no freelist" mark for a page id.
func TestCheckFileOnSoundLegacyStore(t *testing.T) {
	dir := legacyStore(t, 500)
	rep, err := CheckFile(dir, time.Second)
	if err != nil || len(rep.Problems) != 0 || rep.Items != 500 {
		t.Fatalf("sound legacy store: %v, %d items, problems %q", err, rep.Items, rep.Problems)
	}
}

// A damaged store without a freelist page: `triagebot check` reports the
// damage, and every open (the write open that would rebuild the freelist
// included) returns ErrDamaged instead of crashing.
func TestDamagedLegacyStoreIsReportedNotACrash(t *testing.T) {
	for _, tc := range []struct {
		name   string
		damage func(t *testing.T, path string)
	}{
		{"4 KiB of garbage in the middle", func(t *testing.T, path string) { garbageAt(t, path, 1, 2) }},
		{"4 KiB of zeros at a third", func(t *testing.T, path string) {
			overwrite(t, path, livePage(t, path, 1, 3), make([]byte, 4096))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := legacyStore(t, 3000)
			tc.damage(t, filepath.Join(dir, FileName))
			rep, err := CheckFile(dir, 200*time.Millisecond)
			if !errors.Is(err, ErrDamaged) || len(rep.Problems) == 0 {
				t.Errorf("check: %v, problems %q; want ErrDamaged with problems", err, rep.Problems)
			}
			for _, ro := range []bool{true, false} {
				if err := readAllAndCheck(dir, ro); !errors.Is(err, ErrDamaged) {
					t.Errorf("open (read-only %v): %v, want ErrDamaged", ro, err)
				}
			}
		})
	}
}
