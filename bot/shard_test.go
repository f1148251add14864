package bot_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/triagebot/triagebot/bot"
	"github.com/triagebot/triagebot/config"
	"github.com/triagebot/triagebot/internal/fakediscord"
)

// TestShardsFromGatewayBot: with discord.shards auto the bot opens the
// count GET /gateway/bot recommends, or the subset it is given, and
// answers commands from guilds on every shard it runs (the fake sends a
// guild's events only to that guild's shard, as Discord does).
func TestShardsFromGatewayBot(t *testing.T) {
	t.Parallel()
	// Guild ids by shard of two: (id >> 22) % 2.
	guilds := map[int]string{0: "8388608", 1: "4194304"}
	for s, g := range guilds {
		if fakediscord.ShardOf(g, 2) != s {
			t.Fatalf("guild %s is on shard %d, want %d", g, fakediscord.ShardOf(g, 2), s)
		}
	}
	for _, tc := range []struct {
		name   string
		shards int
		ids    []int
		want   [][2]int
	}{
		{"auto opens the recommended count", bot.ShardsAuto, nil, [][2]int{{0, 2}, {1, 2}}},
		{"a process runs its subset", 2, []int{1}, [][2]int{{1, 2}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, setup{opts: func(o *bot.Options) {
				o.Shards, o.ShardIDs, o.IdentifyInterval = tc.shards, tc.ids, 10*time.Millisecond
			}})
			// The harness started before SetShards; restart with the
			// recommendation in place.
			h.fake.SetShards(2, 1)
			h.shutdown()
			h.start()
			if !h.fake.WaitFor(5*time.Second, func() bool { return len(h.bot.Shards()) == len(tc.want) }) {
				t.Fatalf("shards open: %v", h.bot.Shards())
			}
			if got := h.bot.Shards(); !slices.Equal(got, tc.want) {
				t.Errorf("bot shards %v, want %v", got, tc.want)
			}
			ids := h.fake.Shards()
			if got := ids[len(ids)-len(tc.want):]; !slices.Equal(got, tc.want) {
				t.Errorf("identified as %v, want %v", got, tc.want)
			}
			for _, s := range tc.want {
				ch := "42000000000000000" + string(rune('0'+s[0]))
				h.fake.SetGuild(ch, guilds[s[0]])
				c, _, _ := h.answer(h.fake.Command(ch, admin, "status"))
				if strings.TrimSpace(c) == "" {
					t.Errorf("shard %d: empty /status answer", s[0])
				}
			}
		})
	}
}

// TestShardIDsOutOfRangeRefused: a shard id the count does not have is
// a clear error before anything connects.
func TestShardIDsOutOfRangeRefused(t *testing.T) {
	t.Parallel()
	fake := fakediscord.New(token)
	defer fake.Close()
	for _, tc := range []struct {
		name   string
		shards int
		ids    []int
	}{
		{"beyond the count", 2, []int{2}},
		{"twice", 3, []int{1, 1}},
		{"negative", 2, []int{-1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := config.Defaults()
			o := options(&cfg, fake.URL())
			o.Shards, o.ShardIDs = tc.shards, tc.ids
			b, err := bot.New(o, nil)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			err = b.Run(ctx)
			if err == nil || !strings.Contains(err.Error(), "discord.shard_ids") {
				t.Errorf("Run: %v, want an error naming discord.shard_ids", err)
			}
		})
	}
	if n, _ := fake.Identifies(); n != 0 {
		t.Errorf("%d sessions identified with bad shard ids", n)
	}
}
