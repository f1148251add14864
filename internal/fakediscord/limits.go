package fakediscord

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"
)

// Limits are Discord's REST rate limits as the fake enforces them. Zero
// values turn a limit off (the default, so unrelated tests stay fast).
type Limits struct {
	// Global is the requests per GlobalWindow one bot may make across all
	// routes (Discord: 50 per second); interaction responses are exempt.
	Global       int
	GlobalWindow time.Duration
	// PerChannel is the messages per ChannelWindow one channel (or
	// thread) takes (Discord reports 5 per 5 s in its headers).
	PerChannel    int
	ChannelWindow time.Duration
}

// DiscordLimits are the limits a bot meets on discord.com.
func DiscordLimits() Limits {
	return Limits{Global: 50, GlobalWindow: time.Second, PerChannel: 5, ChannelWindow: 5 * time.Second}
}

// RateLimited counts the 429s the fake answered.
type RateLimited struct {
	Global, Channel int
}

// window is a fixed-window bucket: it opens on the first request and
// resets a window later, as Discord's buckets do.
type window struct {
	used  int
	reset time.Time
}

// take spends one request; ok false means the bucket is empty until reset.
func (w *window) take(now time.Time, limit int, d time.Duration) (remaining int, resetAfter time.Duration, ok bool) {
	if !now.Before(w.reset) {
		w.used, w.reset = 0, now.Add(d)
	}
	if w.used >= limit {
		return 0, w.reset.Sub(now), false
	}
	w.used++
	return limit - w.used, w.reset.Sub(now), true
}

// SetLimits turns on rate limiting.
func (f *Server) SetLimits(l Limits) {
	f.mu.Lock()
	f.limits = l
	f.mu.Unlock()
}

// TooMany reports the 429s answered so far.
func (f *Server) TooMany() RateLimited {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.tooMany
}

// Requests is the number of REST requests counted against the global limit.
func (f *Server) Requests() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests
}

// SetShards makes GET /gateway/bot recommend n shards, identified
// maxConcurrency at a time.
func (f *Server) SetShards(n, maxConcurrency int) {
	f.mu.Lock()
	f.shards, f.maxConc = n, maxConcurrency
	f.mu.Unlock()
}

// Shards lists the [shard_id, num_shards] of every IDENTIFY, in order.
func (f *Server) Shards() [][2]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([][2]int(nil), f.shardIDs...)
}

// SetGuild puts a channel in a guild: its interactions carry that
// guild_id and go to the guild's shard.
func (f *Server) SetGuild(channelID, guildID string) {
	f.mu.Lock()
	f.guildOf[channelID] = guildID
	f.mu.Unlock()
}

// ShardOf is the shard a guild's events go to: (guild_id >> 22) % n, as
// Discord computes it.
func ShardOf(guildID string, n int) int {
	id, err := strconv.ParseUint(guildID, 10, 64)
	if err != nil || n <= 1 {
		return 0
	}
	return int((id >> 22) % uint64(n))
}

// limited applies the global bucket to every request that counts and the
// channel's message bucket to message posts, writes the X-RateLimit-*
// headers Discord writes, and answers 429 when a bucket is empty.
func (f *Server) limited(w http.ResponseWriter, r *http.Request, p []string) bool {
	if len(p) > 0 && (p[0] == "interactions" || p[0] == "webhooks") {
		return false // interaction responses are outside the global limit
	}
	now := time.Now()
	f.mu.Lock()
	l := f.limits
	f.requests++
	if l.Global > 0 {
		if _, after, ok := f.global.take(now, l.Global, l.GlobalWindow); !ok {
			f.tooMany.Global++
			f.mu.Unlock()
			w.Header().Set("X-RateLimit-Global", "true")
			w.Header().Set("X-RateLimit-Scope", "global")
			tooMany(w, after, true)
			return true
		}
	}
	if l.PerChannel > 0 && r.Method == "POST" && len(p) == 3 && p[0] == "channels" && p[2] == "messages" {
		b := f.buckets[p[1]]
		if b == nil {
			b = &window{}
			f.buckets[p[1]] = b
		}
		remaining, after, ok := b.take(now, l.PerChannel, l.ChannelWindow)
		if !ok {
			f.tooMany.Channel++
		}
		f.mu.Unlock()
		h := w.Header()
		h.Set("X-RateLimit-Bucket", "messages-"+p[1])
		h.Set("X-RateLimit-Limit", strconv.Itoa(l.PerChannel))
		h.Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
		h.Set("X-RateLimit-Reset-After", seconds(after))
		h.Set("X-RateLimit-Reset", seconds(time.Duration(now.Add(after).UnixNano())))
		if !ok {
			h.Set("X-RateLimit-Scope", "user")
			tooMany(w, after, false)
			return true
		}
		return false
	}
	f.mu.Unlock()
	return false
}

func seconds(d time.Duration) string {
	return strconv.FormatFloat(math.Ceil(d.Seconds()*1000)/1000, 'f', 3, 64)
}

func tooMany(w http.ResponseWriter, after time.Duration, global bool) {
	w.Header().Set("Retry-After", fmt.Sprint(int(math.Ceil(after.Seconds()))))
	writeJSON(w, 429, map[string]any{"message": "You are being rate limited.", "retry_after": math.Ceil(after.Seconds()*1000) / 1000, "global": global})
}
