package store

import (
	"math"
	"testing"
)

// TestGroupItemsKeepsTheCapForBigStores checks that only a store smaller
// than smallStoreItems lets a group take more than maxGroupItems: the cap
// bounds a commit's memory in a big store, and a store of unknown size
// (before the writer's first commit) counts as big.
func TestGroupItemsKeepsTheCapForBigStores(t *testing.T) {
	for _, tc := range []struct {
		stored uint64
		want   int
	}{
		{0, 2 * maxGroupItems},
		{smallStoreItems - 1, 2 * maxGroupItems},
		{smallStoreItems, maxGroupItems},
		{1_000_000, maxGroupItems},
		{math.MaxUint64, maxGroupItems},
	} {
		if got := groupItems(tc.stored); got != tc.want {
			t.Errorf("groupItems(%d) = %d, want %d", tc.stored, got, tc.want)
		}
	}
}
