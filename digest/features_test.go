package digest

import (
	"math/rand/v2"
	"testing"
)

func TestAppendSlug(t *testing.T) {
	cases := []struct{ url, want string }{
		{"https://www.example.com/2024/07/26/world/canada-wildfires-jasper-alberta.html", "canada wildfires jasper alberta"},
		{"https://example.com/news/tua-agrees-to-212m-extension/?utm_source=x#top", "tua agrees to 212m extension"},
		{"https://example.com/articles/crowdstrike-stock-outage-fixed-61fd3170", "crowdstrike stock outage fixed"},
		{"https://example.com/story/the_big_launch_day_1930967", "the big launch day"},
		{"https://example.com/sports/article/2024/jul/26/a-b", ""}, // no segment of three words
		{"https://example.com/news/%E5%BE%AE%E8%BB%9F-%E7%99%BC%E5%B8%83-x", "x"},
		{"https://example.com/", ""},
		{"https://example.com", ""},
		{"not a link", ""},
		{"https://arxiv.org/abs/2611.07777", ""},
	}
	for _, tc := range cases {
		if got := string(appendSlug(nil, tc.url)); got != tc.want {
			t.Errorf("appendSlug(%q) = %q, want %q", tc.url, got, tc.want)
		}
	}
}

// TestCountAdjacent: countAdjacent, which asks only neighbours when the
// second positions rise, counts what every pair counts, on random lists
// in rising order (as cosine makes them), in any order, with repeats,
// and at the ends of the uint8 range.
func TestCountAdjacent(t *testing.T) {
	rng := rand.New(rand.NewPCG(41, 42))
	for range 200000 {
		at := make([][2]uint8, rng.IntN(17))
		q := uint8(rng.IntN(4))
		for k := range at {
			q += uint8(1 + rng.IntN(2))
			at[k] = [2]uint8{uint8(rng.IntN(6)) + uint8(rng.IntN(2))*250, q}
			if rng.IntN(40) == 0 {
				at[k][1] = uint8(rng.IntN(256)) // out of order, or a repeat
			}
		}
		if got, want := countAdjacent(at), countAdjacentPairs(at); got != want {
			t.Fatalf("countAdjacent(%v) = %d, want %d", at, got, want)
		}
	}
}
