package digest

import (
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/triagebot/triagebot/news"
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

// TestMakeDocStampsWrap: an item read when its marks' stamps would pass
// the largest int32 (docBuilder.at) gets the vector it gets from clear
// marks, and so does the item after it; so do items read just below.
func TestMakeDocStampsWrap(t *testing.T) {
	its := []news.Item{
		{Title: "Zephyr rocket launch delayed again by Zephyr Labs", Summary: "The zephyr rocket launch was delayed again, by weather, the rocket's makers said.",
			URL: "https://e.example.com/a/zephyr-rocket-launch-delayed", SourceKind: news.KindNews},
		{Title: "Weather delays rocket launch", Summary: "rocket rocket weather rocket", SourceKind: news.KindBlog},
		{Title: "Zephyr Labs weather rocket", Summary: "delayed delayed launch", SourceKind: news.KindNews},
	}
	read := func(stamp int32) [][]feat {
		var feats arena[feat]
		var names arena[name]
		var b docBuilder
		b.reset(newVocab(16), 16, nil, &feats, &names)
		b.stamp = stamp
		var out [][]feat
		for i := range its {
			var d doc
			b.makeDoc(&d, &its[i])
			out = append(out, slices.Clone(d.vec()))
		}
		return out
	}
	want := read(0)
	if len(want[0]) < 5 || len(want[1]) >= 8 {
		t.Fatalf("the items should hold several terms and repeats: %v", want)
	}
	// From the first item wrapping to none of them: some of these let
	// the first item's stamps fit and the second's wrap, with the
	// first's marks still in place.
	for k := int32(0); k < 200; k++ {
		if got := read(math.MaxInt32 - k); !reflect.DeepEqual(got, want) {
			t.Errorf("stamp %d: %v, want %v", math.MaxInt32-k, got, want)
		}
	}
}
