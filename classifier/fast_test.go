package classifier

import (
	"math/rand/v2"
	"testing"
)

// cueReference is cue as it was: one step per bit up to the highest set.
func cueReference(groups uint32, start, end int, cues *[maxGroups]float32, cueAt *[maxGroups][2]int32) {
	for g := 0; groups != 0; g++ {
		if groups&1 != 0 {
			if cues[g] == 0 {
				cueAt[g] = [2]int32{int32(start), int32(end)}
			}
			cues[g]++
		}
		groups >>= 1
	}
}

// TestCueMatchesReference: counting by set bits only gives the counts
// and first places the bit-by-bit loop gave, over runs of matches.
func TestCueMatchesReference(t *testing.T) {
	x := &extractor{}
	rng := rand.New(rand.NewPCG(1, 2))
	for run := range 200 {
		var c1, c2 [maxGroups]float32
		var a1, a2 [maxGroups][2]int32
		for m := range 20 {
			g := rng.Uint32()
			switch m % 4 {
			case 0:
				g = 0
			case 1:
				g = 1 << 31
			case 2:
				g &= rng.Uint32() & rng.Uint32() // sparse, as real matches are
			}
			x.cue(g, m, m+run, &c1, &a1)
			cueReference(g, m, m+run, &c2, &a2)
		}
		if c1 != c2 || a1 != a2 {
			t.Fatalf("run %d: cue gave %v %v, the reference %v %v", run, c1, a1, c2, a2)
		}
	}
}
