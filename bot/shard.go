package bot

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// shardPlan is the shard count and the shards this process runs, and how
// many may identify at once.
func (b *Bot) shardPlan() (count int, ids []int, concurrency int, err error) {
	count, concurrency = max(b.o.Shards, 1), 1
	if b.o.Shards == ShardsAuto {
		gb, err := b.s.GatewayBot()
		if err != nil {
			return 0, nil, 0, fmt.Errorf("bot: ask Discord for the shard count (GET /gateway/bot): %w (set discord.shards to a number to skip it)", redact(err, b.o.Token))
		}
		count, concurrency = max(gb.Shards, 1), max(gb.SessionStartLimit.MaxConcurrency, 1)
	}
	ids = b.o.ShardIDs
	if len(ids) == 0 {
		ids = make([]int, count)
		for i := range ids {
			ids[i] = i
		}
	}
	seen := map[int]bool{}
	for _, id := range ids {
		if id < 0 || id >= count || seen[id] {
			return 0, nil, 0, fmt.Errorf("bot: shard id %d: want distinct ids from 0 to %d (the shard count is %d); fix discord.shard_ids", id, count-1, count)
		}
		seen[id] = true
	}
	return count, slices.Sorted(slices.Values(ids)), concurrency, nil
}

// openShards connects every shard this process runs. Discord lets
// max_concurrency sessions identify per five seconds, so larger sets open
// in batches. All sessions share the first one's REST client and rate
// limiter: one bot, one global limit.
func (b *Bot) openShards(ctx context.Context) error {
	count, ids, conc, err := b.shardPlan()
	if err != nil {
		return err
	}
	for i, id := range ids {
		s := b.s
		if i > 0 {
			if s, err = b.session(b.s.Client, b.s.Ratelimiter); err != nil {
				return err
			}
		}
		s.ShardID, s.ShardCount = id, count
		if i > 0 && i%conc == 0 {
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(b.o.IdentifyInterval):
			}
		}
		if err := s.Open(); err != nil {
			return fmt.Errorf("bot: connect shard %d of %d to Discord: %w (check the token in $%s and discord.api_url)", id, count, redact(err, b.o.Token), b.o.TokenEnv)
		}
		b.mu.Lock()
		b.sessions = append(b.sessions, s)
		b.mu.Unlock()
	}
	if count > 1 {
		b.log.Info("discord shards open", "shard_count", count, "shard_ids", ids)
	}
	return nil
}

func (b *Bot) closeShards() {
	b.mu.Lock()
	sessions := b.sessions
	b.sessions = nil
	b.mu.Unlock()
	for _, s := range sessions {
		_ = s.Close()
	}
}

// Shards reports the [shard id, shard count] of every open session.
func (b *Bot) Shards() [][2]int {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([][2]int, len(b.sessions))
	for i, s := range b.sessions {
		out[i] = [2]int{s.ShardID, s.ShardCount}
	}
	return out
}
