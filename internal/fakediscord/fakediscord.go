// Package fakediscord is a loopback Discord for tests: the REST paths
// discordgo calls (v9 and v10 alike), a websocket gateway that says HELLO,
// takes IDENTIFY or RESUME, sends READY and dispatches, answers heartbeats;
// it checks message bodies against Discord's limits and answers 400 with
// code 50035 as Discord does, can answer 429 with retry_after, dedupes
// enforce_nonce sends, and plays deleted or forbidden channels. With
// SetLimits it also enforces Discord's rate limits (a global bucket per
// bot and a message bucket per channel) with the X-RateLimit-* headers and
// the 429s Discord sends; with SetShards, GET /gateway/bot recommends
// shards and dispatches go only to the session of the guild's shard.
package fakediscord

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/gorilla/websocket"
)

// Message is a message the fake stored.
type Message struct {
	ID, ChannelID, Nonce string
	Body                 map[string]any
}

// snapshot is m with a Body of its own: a test may change what it got
// (a click replays a message with its new buttons) while an edit from
// the bot, on a server goroutine, replaces the stored one's keys.
// Shared, the two wrote one map at once (a data race the race detector
// caught in CI). Nested values are never changed in place, so a
// shallow copy is enough.
func (m Message) snapshot() Message {
	m.Body = maps.Clone(m.Body)
	return m
}

func snapshots(ms []Message) []Message {
	out := make([]Message, len(ms))
	for i, m := range ms {
		out[i] = m.snapshot()
	}
	return out
}

// Content is the message's text.
func (m Message) Content() string { s, _ := m.Body["content"].(string); return s }

// Server is the fake.
type Server struct {
	HTTP  *httptest.Server
	Token string // the bot token it accepts (without "Bot ")
	AppID string

	mu         sync.Mutex
	next       int64
	messages   []Message
	byNonce    map[string]string
	commands   []json.RawMessage // every bulk overwrite body
	callbacks  map[string][]map[string]any
	followups  []map[string]any
	threads    map[string]string // thread id → parent channel
	threadName map[string]string // thread id → name
	deleted    map[string]bool
	forbidden  map[string]bool
	noThreads  map[string]bool
	threadDown map[string]int // channel → thread creations that answer 500
	rateLimit  int            // answer the next N message posts with 429
	dropAfter  int            // after creating the Nth message from now, drop the connection without answering
	rejected   []string
	identifies int
	resumes    int
	conns      []*websocket.Conn
	senders    []session
	shards     int // recommended by GET /gateway/bot
	maxConc    int // session_start_limit.max_concurrency
	shardIDs   [][2]int
	guildOf    map[string]string // channel id → guild id (default guild otherwise)
	limits     Limits
	global     window
	buckets    map[string]*window // message bucket per channel
	tooMany    RateLimited
	requests   int // REST requests under the global limit
	failing    map[string]bool
	held       map[string]chan struct{}
	waiting    map[string]int // message posts held right now, per channel
	seq        int64
	wake       chan struct{}
	appPerms   map[string]int64
	files      map[string][]byte // attachment id → content
	edits      []Message         // message edits (PATCH), in order
}

// New starts a fake Discord on 127.0.0.1.
func New(token string) *Server {
	f := &Server{Token: token, AppID: "100000000000000001", next: 200000000000000000,
		byNonce: map[string]string{}, callbacks: map[string][]map[string]any{}, threads: map[string]string{},
		deleted: map[string]bool{}, forbidden: map[string]bool{}, noThreads: map[string]bool{}, threadDown: map[string]int{}, wake: make(chan struct{}, 1),
		appPerms: map[string]int64{}, files: map[string][]byte{}, threadName: map[string]string{},
		shards: 1, maxConc: 1, guildOf: map[string]string{}, buckets: map[string]*window{},
		failing: map[string]bool{}, held: map[string]chan struct{}{}, waiting: map[string]int{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/gateway-ws", f.gateway)
	mux.HandleFunc("/gateway-ws/", f.gateway) // discordgo adds the slash
	mux.HandleFunc("/api/", f.rest)
	mux.HandleFunc("/attachments/", f.attachment)
	f.HTTP = httptest.NewServer(mux)
	return f
}

// Close stops the server and every gateway connection.
func (f *Server) Close() {
	f.Drop()
	f.HTTP.Close()
}

// URL is the value for discord.api_url.
func (f *Server) URL() string { return f.HTTP.URL }

func (f *Server) id() string {
	f.next++
	return fmt.Sprint(f.next)
}

func (f *Server) changed() {
	select {
	case f.wake <- struct{}{}:
	default:
	}
}

// Messages returns the messages of a channel (a thread is a channel).
func (f *Server) Messages(channelID string) []Message {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []Message
	for _, m := range f.messages {
		if m.ChannelID == channelID {
			out = append(out, m.snapshot())
		}
	}
	return out
}

// AllMessages returns every stored message in order.
func (f *Server) AllMessages() []Message {
	f.mu.Lock()
	defer f.mu.Unlock()
	return snapshots(f.messages)
}

// ThreadsOf lists the threads opened under a channel.
func (f *Server) ThreadsOf(channelID string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for t, p := range f.threads {
		if p == channelID {
			out = append(out, t)
		}
	}
	return out
}

// ThreadName is the name a thread was created with.
func (f *Server) ThreadName(id string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.threadName[id]
}

// Commands returns the last command registration body.
func (f *Server) Commands() []map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.commands) == 0 {
		return nil
	}
	var out []map[string]any
	_ = json.Unmarshal(f.commands[len(f.commands)-1], &out)
	return out
}

// Rejected lists every body the fake refused with 400, and why.
func (f *Server) Rejected() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.rejected...)
}

// FollowupsOf returns the follow-ups (and edits of the deferred answer)
// of one interaction.
func (f *Server) FollowupsOf(interactionID string) []map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []map[string]any
	for _, fu := range f.followups {
		if fu["_interaction"] == interactionID {
			out = append(out, fu)
		}
	}
	return out
}

// Followups returns the interaction follow-up messages.
func (f *Server) Followups() []map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]map[string]any(nil), f.followups...)
}

// Identifies and Resumes count gateway sessions.
func (f *Server) Identifies() (int, int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.identifies, f.resumes
}

// DeleteChannel makes the channel answer 404 Unknown Channel.
func (f *Server) DeleteChannel(id string) { f.mu.Lock(); f.deleted[id] = true; f.mu.Unlock() }

// Forbid makes the channel answer 403 Missing Permissions.
func (f *Server) Forbid(id string) { f.mu.Lock(); f.forbidden[id] = true; f.mu.Unlock() }

// NoThreads makes thread creation in the channel fail as in a channel type
// without threads.
func (f *Server) NoThreads(id string) { f.mu.Lock(); f.noThreads[id] = true; f.mu.Unlock() }

// ThreadOutage makes the next n thread creations in the channel fail with
// a 500, as during an outage.
func (f *Server) ThreadOutage(id string, n int) { f.mu.Lock(); f.threadDown[id] = n; f.mu.Unlock() }

// Fail makes message posts to the channel answer 500 (on) or work again.
func (f *Server) Fail(id string, on bool) { f.mu.Lock(); f.failing[id] = on; f.mu.Unlock() }

// Hold keeps message posts to the channel waiting, unanswered, until
// release is called: a channel that is slow or hung.
func (f *Server) Hold(id string) (release func()) {
	gate := make(chan struct{})
	f.mu.Lock()
	f.held[id] = gate
	f.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			f.mu.Lock()
			delete(f.held, id)
			f.mu.Unlock()
			close(gate)
		})
	}
}

// Waiting is how many message posts to the channel Hold keeps waiting.
func (f *Server) Waiting(id string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.waiting[id]
}

// RateLimitNext answers the next n message posts with 429.
func (f *Server) RateLimitNext(n int) { f.mu.Lock(); f.rateLimit = n; f.mu.Unlock() }

// DropAfter creates the n-th message posted from now and then drops the
// connection without an answer: the message exists, the client does not
// know it.
func (f *Server) DropAfter(n int) { f.mu.Lock(); f.dropAfter = n; f.mu.Unlock() }

// WaitFor polls cond until it holds or the timeout passes.
func (f *Server) WaitFor(timeout time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if cond() {
			return true
		}
		select {
		case <-f.wake:
		case <-time.After(20 * time.Millisecond):
		}
	}
	return cond()
}

// Callbacks returns the interaction responses sent for an interaction id.
func (f *Server) Callbacks(interactionID string) []map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]map[string]any(nil), f.callbacks[interactionID]...)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func discordError(w http.ResponseWriter, status, code int, msg string) {
	writeJSON(w, status, map[string]any{"code": code, "message": msg})
}

var versioned = regexp.MustCompile(`^/api/v(9|10)/`)

func (f *Server) rest(w http.ResponseWriter, r *http.Request) {
	if !versioned.MatchString(r.URL.Path) {
		discordError(w, 404, 0, "404: Not Found")
		return
	}
	if r.Header.Get("Authorization") != "Bot "+f.Token {
		discordError(w, 401, 0, "401: Unauthorized")
		return
	}
	path := versioned.ReplaceAllString(r.URL.Path, "")
	p := strings.Split(strings.Trim(path, "/"), "/")
	if f.limited(w, r, p) {
		return
	}
	switch {
	case r.Method == "GET" && path == "gateway":
		writeJSON(w, 200, map[string]any{"url": "ws" + strings.TrimPrefix(f.HTTP.URL, "http") + "/gateway-ws"})
	case r.Method == "GET" && path == "gateway/bot":
		f.mu.Lock()
		shards, conc := f.shards, f.maxConc
		f.mu.Unlock()
		writeJSON(w, 200, map[string]any{"url": "ws" + strings.TrimPrefix(f.HTTP.URL, "http") + "/gateway-ws", "shards": shards,
			"session_start_limit": map[string]any{"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": conc}})
	case r.Method == "PUT" && len(p) >= 3 && p[0] == "applications" && p[len(p)-1] == "commands":
		f.putCommands(w, r)
	case r.Method == "POST" && len(p) == 3 && p[0] == "channels" && p[2] == "messages":
		f.postMessage(w, r, p[1])
	case r.Method == "PATCH" && len(p) == 4 && p[0] == "channels" && p[2] == "messages":
		f.editMessage(w, r, p[1], p[3])
	case r.Method == "POST" && len(p) == 5 && p[0] == "channels" && p[2] == "messages" && p[4] == "threads":
		f.startThread(w, r, p[1], p[3])
	case r.Method == "POST" && len(p) == 4 && p[0] == "interactions" && p[3] == "callback":
		f.callback(w, r, p[1])
	case r.Method == "PATCH" && len(p) == 5 && p[0] == "webhooks" && p[3] == "messages":
		f.followup(w, r, true, p[2])
	case r.Method == "POST" && len(p) == 3 && p[0] == "webhooks":
		f.followup(w, r, false, p[2])
	default:
		discordError(w, 404, 0, "404: Not Found")
	}
}

// body reads JSON, or the payload_json part of a multipart upload; the
// uploaded files are under "_files" (file name → content).
func body(r *http.Request) (map[string]any, error) {
	mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var raw []byte
	files := map[string]any{}
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(r.Body, params["boundary"])
		for {
			part, err := mr.NextPart()
			if err != nil {
				break
			}
			if part.FormName() == "payload_json" {
				raw, _ = io.ReadAll(part)
			} else if part.FileName() != "" {
				content, _ := io.ReadAll(part)
				files[part.FileName()] = string(content)
			}
		}
	} else {
		raw, _ = io.ReadAll(io.LimitReader(r.Body, 10<<20))
	}
	m := map[string]any{}
	if len(raw) == 0 {
		return m, nil
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	if len(files) > 0 {
		m["_files"] = files
	}
	return m, nil
}

// nullFields lists the paths of JSON nulls in a body.
func nullFields(path string, v any) []string {
	var out []string
	switch x := v.(type) {
	case nil:
		return []string{path}
	case map[string]any:
		for k, e := range x {
			out = append(out, nullFields(path+"."+k, e)...)
		}
	case []any:
		for i, e := range x {
			out = append(out, nullFields(fmt.Sprintf("%s[%d]", path, i), e)...)
		}
	}
	return out
}

// attachment serves a file an interaction carried (Discord's CDN).
func (f *Server) attachment(w http.ResponseWriter, r *http.Request) {
	p := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	f.mu.Lock()
	content, ok := f.files[p[min(1, len(p)-1)]]
	f.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	_, _ = w.Write(content)
}

// Edits returns every message edit (PATCH) in order.
func (f *Server) Edits() []Message {
	f.mu.Lock()
	defer f.mu.Unlock()
	return snapshots(f.edits)
}

func (f *Server) editMessage(w http.ResponseWriter, r *http.Request, channel, id string) {
	b, err := body(r)
	if err != nil {
		f.reject(w, []string{"edit body: " + err.Error()})
		return
	}
	if f.reject(w, ValidateMessage(b)) {
		return
	}
	f.mu.Lock()
	var found *Message
	for i := range f.messages {
		if f.messages[i].ID == id && f.messages[i].ChannelID == channel {
			found = &f.messages[i]
		}
	}
	if found == nil {
		f.mu.Unlock()
		discordError(w, 404, 10008, "Unknown Message")
		return
	}
	// A new map, never a write into the old one: a test may hold it.
	merged := maps.Clone(found.Body)
	maps.Copy(merged, b)
	found.Body = merged
	f.edits = append(f.edits, Message{ID: id, ChannelID: channel, Body: b})
	m := *found
	f.mu.Unlock()
	f.changed()
	writeJSON(w, 200, messageJSON(m))
}

func (f *Server) reject(w http.ResponseWriter, problems []string) bool {
	if len(problems) == 0 {
		return false
	}
	f.mu.Lock()
	f.rejected = append(f.rejected, problems...)
	f.mu.Unlock()
	writeJSON(w, 400, map[string]any{"code": 50035, "message": "Invalid Form Body", "errors": map[string]any{"_errors": problems}})
	return true
}

func (f *Server) postMessage(w http.ResponseWriter, r *http.Request, channel string) {
	f.mu.Lock()
	gate := f.held[channel]
	if gate != nil {
		f.waiting[channel]++
	}
	f.mu.Unlock()
	if gate != nil {
		<-gate
		f.mu.Lock()
		f.waiting[channel]--
		f.mu.Unlock()
	}
	f.mu.Lock()
	if f.failing[channel] {
		f.mu.Unlock()
		discordError(w, 500, 0, "500: Internal Server Error")
		return
	}
	deleted, forbidden := f.deleted[channel], f.forbidden[channel]
	if !deleted {
		if parent, ok := f.threads[channel]; ok {
			deleted = f.deleted[parent]
		}
	}
	limited := f.rateLimit > 0
	if limited {
		f.rateLimit--
	}
	f.mu.Unlock()
	switch {
	case deleted:
		discordError(w, 404, 10003, "Unknown Channel")
		return
	case forbidden:
		discordError(w, 403, 50013, "Missing Permissions")
		return
	case limited:
		w.Header().Set("Retry-After", "1")
		w.Header().Set("X-RateLimit-Scope", "user")
		writeJSON(w, 429, map[string]any{"message": "You are being rate limited.", "retry_after": 0.05, "global": false})
		return
	}
	b, err := body(r)
	if err != nil {
		f.reject(w, []string{"body is not JSON: " + err.Error()})
		return
	}
	if f.reject(w, ValidateMessage(b)) {
		return
	}
	nonce, _ := b["nonce"].(string)
	enforce, _ := b["enforce_nonce"].(bool)
	f.mu.Lock()
	if enforce && nonce != "" {
		if id, ok := f.byNonce[channel+"\x00"+nonce]; ok {
			for _, m := range f.messages {
				if m.ID == id {
					f.mu.Unlock()
					writeJSON(w, 200, messageJSON(m))
					return
				}
			}
		}
	}
	m := Message{ID: f.id(), ChannelID: channel, Nonce: nonce, Body: b}
	f.messages = append(f.messages, m)
	if nonce != "" {
		f.byNonce[channel+"\x00"+nonce] = m.ID
	}
	drop := false
	if f.dropAfter > 0 {
		f.dropAfter--
		drop = f.dropAfter == 0
	}
	f.mu.Unlock()
	f.changed()
	if drop {
		// The message exists; the client never hears so.
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
				return
			}
		}
	}
	writeJSON(w, 200, messageJSON(m))
}

func messageJSON(m Message) map[string]any {
	out := map[string]any{"id": m.ID, "channel_id": m.ChannelID, "type": 0, "timestamp": time.Now().UTC().Format(time.RFC3339)}
	for k, v := range m.Body {
		if k != "enforce_nonce" && k != "allowed_mentions" {
			out[k] = v
		}
	}
	return out
}

func (f *Server) startThread(w http.ResponseWriter, r *http.Request, channel, message string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.noThreads[channel] {
		discordError(w, 400, 50024, "Cannot execute action on this channel type")
		return
	}
	if f.threadDown[channel] > 0 {
		f.threadDown[channel]--
		discordError(w, 500, 0, "Internal Server Error")
		return
	}
	if _, ok := f.threads[message]; ok {
		discordError(w, 400, 160004, "A thread has already been created for this message")
		return
	}
	b, _ := body(r)
	if _, ok := b["invitable"]; ok {
		f.rejected = append(f.rejected, "invitable on a thread started from a message (public threads take no invitable)")
		writeJSON(w, 400, map[string]any{"code": 50035, "message": "Invalid Form Body"})
		return
	}
	name, _ := b["name"].(string)
	if n := utf8.RuneCountInString(name); n < 1 || n > 100 {
		f.rejected = append(f.rejected, fmt.Sprintf("thread name of %d characters", n))
		writeJSON(w, 400, map[string]any{"code": 50035, "message": "Invalid Form Body"})
		return
	}
	f.threads[message] = channel
	f.threadName[message] = name
	writeJSON(w, 201, map[string]any{"id": message, "type": 11, "parent_id": channel, "name": name})
}

func (f *Server) callback(w http.ResponseWriter, r *http.Request, interactionID string) {
	b, err := body(r)
	if err != nil {
		f.reject(w, []string{"callback body is not JSON"})
		return
	}
	// The interaction the hosts complained about answered with nulls; a
	// callback body here must leave out what it does not set.
	if nulls := nullFields("", b); len(nulls) > 0 {
		f.reject(w, []string{fmt.Sprintf("callback with null fields %v", nulls)})
		return
	}
	if data, ok := b["data"].(map[string]any); ok {
		if t, _ := b["type"].(float64); t == 4 || t == 7 {
			if f.reject(w, ValidateMessage(data)) {
				return
			}
		}
		if t, _ := b["type"].(float64); t == 8 {
			choices, ok := data["choices"].([]any)
			if !ok {
				f.reject(w, []string{"autocomplete result without a choices array"})
				return
			}
			if len(choices) > 25 {
				f.reject(w, []string{"more than 25 autocomplete choices"})
				return
			}
			for _, c := range choices {
				cm, _ := c.(map[string]any)
				if n := utf8.RuneCountInString(fmt.Sprint(cm["name"])); n < 1 || n > 100 {
					f.reject(w, []string{fmt.Sprintf("autocomplete choice name of %d characters", n)})
					return
				}
			}
		}
	} else if t, _ := b["type"].(float64); t == 8 || t == 4 || t == 7 {
		f.reject(w, []string{"callback without data"})
		return
	}
	f.mu.Lock()
	f.callbacks[interactionID] = append(f.callbacks[interactionID], b)
	f.mu.Unlock()
	f.changed()
	w.WriteHeader(204)
}

func (f *Server) followup(w http.ResponseWriter, r *http.Request, edit bool, token string) {
	b, err := body(r)
	if err != nil {
		f.reject(w, []string{"follow-up body is not JSON"})
		return
	}
	if f.reject(w, ValidateMessage(b)) {
		return
	}
	b["_edit"] = edit
	b["_interaction"] = strings.TrimPrefix(token, "itoken-")
	f.mu.Lock()
	f.followups = append(f.followups, b)
	id := f.id()
	f.mu.Unlock()
	f.changed()
	writeJSON(w, 200, map[string]any{"id": id, "channel_id": "0", "type": 0})
}

var commandName = regexp.MustCompile(`^[-_\p{L}\p{N}]{1,32}$`)

// locales Discord accepts in name_localizations and description_localizations.
var locales = map[string]bool{"id": true, "da": true, "de": true, "en-GB": true, "en-US": true, "es-ES": true, "es-419": true, "fr": true,
	"hr": true, "it": true, "lt": true, "hu": true, "nl": true, "no": true, "pl": true, "pt-BR": true, "ro": true, "fi": true, "sv-SE": true,
	"vi": true, "tr": true, "cs": true, "el": true, "bg": true, "ru": true, "uk": true, "hi": true, "th": true, "zh-CN": true, "ja": true,
	"zh-TW": true, "ko": true}

func (f *Server) putCommands(w http.ResponseWriter, r *http.Request) {
	raw, _ := io.ReadAll(r.Body)
	var cmds []map[string]any
	if err := json.Unmarshal(raw, &cmds); err != nil {
		f.reject(w, []string{"commands body is not a JSON array"})
		return
	}
	var problems []string
	var check func(where string, m map[string]any)
	check = func(where string, m map[string]any) {
		name, _ := m["name"].(string)
		desc, _ := m["description"].(string)
		if !commandName.MatchString(name) || strings.ToLower(name) != name {
			problems = append(problems, where+": bad name "+name)
		}
		if n := utf8.RuneCountInString(desc); n < 1 || n > 100 {
			problems = append(problems, fmt.Sprintf("%s %s: description of %d characters", where, name, n))
		}
		if nl, ok := m["name_localizations"].(map[string]any); ok {
			for loc, v := range nl {
				s, _ := v.(string)
				if !locales[loc] || !commandName.MatchString(s) || strings.ToLower(s) != s {
					problems = append(problems, fmt.Sprintf("%s %s: bad name_localizations[%s] %q", where, name, loc, s))
				}
			}
		}
		if dl, ok := m["description_localizations"].(map[string]any); ok {
			for loc, v := range dl {
				s, _ := v.(string)
				if n := utf8.RuneCountInString(s); !locales[loc] || n < 1 || n > 100 {
					problems = append(problems, fmt.Sprintf("%s %s: bad description_localizations[%s]", where, name, loc))
				}
			}
		}
		if ctx, ok := m["contexts"].([]any); ok {
			for _, c := range ctx {
				if n, _ := c.(float64); n < 0 || n > 2 {
					problems = append(problems, where+" "+name+": bad context")
				}
			}
		}
		opts, _ := m["options"].([]any)
		if len(opts) > 25 {
			problems = append(problems, where+": more than 25 options")
		}
		for _, o := range opts {
			if om, ok := o.(map[string]any); ok {
				check(where+"."+name, om)
			}
		}
	}
	for _, c := range cmds {
		check("command", c)
	}
	if len(cmds) > 100 {
		problems = append(problems, "more than 100 commands")
	}
	if f.reject(w, problems) {
		return
	}
	f.mu.Lock()
	f.commands = append(f.commands, raw)
	for _, c := range cmds {
		c["id"] = f.id()
		c["application_id"] = f.AppID
		c["version"] = "1"
	}
	f.mu.Unlock()
	f.changed()
	writeJSON(w, 200, cmds)
}

// ValidateMessage checks a message body against Discord's limits.
func ValidateMessage(b map[string]any) []string {
	var p []string
	n := func(v any) int { s, _ := v.(string); return utf8.RuneCountInString(s) }
	if c := n(b["content"]); c > 2000 {
		p = append(p, fmt.Sprintf("content: %d characters > 2000", c))
	}
	if nonce, ok := b["nonce"].(string); ok && len(nonce) > 25 {
		p = append(p, "nonce longer than 25")
	}
	embeds, _ := b["embeds"].([]any)
	if len(embeds) > 10 {
		p = append(p, fmt.Sprintf("%d embeds > 10", len(embeds)))
	}
	total := 0
	for i, e := range embeds {
		em, _ := e.(map[string]any)
		for k, max := range map[string]int{"title": 256, "description": 4096} {
			if c := n(em[k]); c > max {
				p = append(p, fmt.Sprintf("embeds[%d].%s: %d > %d", i, k, c, max))
			}
			total += n(em[k])
		}
		if ft, ok := em["footer"].(map[string]any); ok {
			if c := n(ft["text"]); c > 2048 {
				p = append(p, "footer too long")
			}
			total += n(ft["text"])
		}
		fields, _ := em["fields"].([]any)
		if len(fields) > 25 {
			p = append(p, "more than 25 fields")
		}
		for _, fl := range fields {
			fm, _ := fl.(map[string]any)
			if n(fm["name"]) > 256 || n(fm["value"]) > 1024 {
				p = append(p, "field too long")
			}
			total += n(fm["name"]) + n(fm["value"])
		}
		if u, ok := em["url"].(string); ok && u != "" && !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
			p = append(p, "embed url is not http(s)")
		}
		if ts, ok := em["timestamp"].(string); ok {
			if _, err := time.Parse(time.RFC3339, ts); err != nil {
				p = append(p, "embed timestamp is not ISO 8601")
			}
		}
	}
	if total > 6000 {
		p = append(p, fmt.Sprintf("embeds total %d > 6000", total))
	}
	if am, ok := b["allowed_mentions"].(map[string]any); ok {
		parse, _ := am["parse"].([]any)
		roles, _ := am["roles"].([]any)
		for _, x := range parse {
			if x == "roles" && len(roles) > 0 {
				p = append(p, "allowed_mentions: parse roles together with a roles list")
			}
		}
	}
	rows, _ := b["components"].([]any)
	if len(rows) > 5 {
		p = append(p, fmt.Sprintf("%d action rows > 5", len(rows)))
	}
	for _, r := range rows {
		rm, _ := r.(map[string]any)
		comps, _ := rm["components"].([]any)
		if t, _ := rm["type"].(float64); t != 1 || len(comps) > 5 || len(comps) == 0 {
			p = append(p, "action row must be type 1 with 1-5 components")
		}
		for _, c := range comps {
			cm, _ := c.(map[string]any)
			if id, _ := cm["custom_id"].(string); len(id) > 100 || (cm["style"] != float64(5) && id == "") {
				p = append(p, "button custom_id missing or longer than 100")
			}
			if n(cm["label"]) > 80 {
				p = append(p, "button label longer than 80")
			}
		}
	}
	return p
}

var upgrader = websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}

// gateway speaks the gateway protocol: HELLO, then IDENTIFY → READY or
// RESUME → RESUMED, heartbeat ACKs, and dispatches from Dispatch.
func (f *Server) gateway(w http.ResponseWriter, r *http.Request) {
	if v := r.URL.Query().Get("v"); v != "9" && v != "10" {
		http.Error(w, "unsupported gateway version", 400)
		return
	}
	c, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	var wmu sync.Mutex
	send := func(v any) error {
		wmu.Lock()
		defer wmu.Unlock()
		return c.WriteJSON(v)
	}
	if send(map[string]any{"op": 10, "d": map[string]any{"heartbeat_interval": 41250}}) != nil {
		c.Close()
		return
	}
	var first struct {
		Op int             `json:"op"`
		D  json.RawMessage `json:"d"`
	}
	if err := c.ReadJSON(&first); err != nil {
		c.Close()
		return
	}
	var auth struct {
		Token string  `json:"token"`
		Shard *[2]int `json:"shard"`
	}
	_ = json.Unmarshal(first.D, &auth)
	if auth.Token != "Bot "+f.Token && auth.Token != f.Token {
		_ = c.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(4004, "Authentication failed."))
		c.Close()
		return
	}
	shard := [2]int{0, 1}
	if auth.Shard != nil {
		shard = *auth.Shard
	}
	if shard[1] < 1 || shard[0] < 0 || shard[0] >= shard[1] {
		_ = c.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(4010, "Invalid shard."))
		c.Close()
		return
	}
	// The session takes dispatches from the moment it is registered, and
	// READY (or RESUMED) is written first: the write lock is held across
	// both, so a Dispatch that sees the session waits for it. (Registered
	// after READY, a bot could see READY and be sent an event the fake
	// then routed to nobody.)
	wmu.Lock()
	f.mu.Lock()
	f.conns = append(f.conns, c)
	f.senders = append(f.senders, session{send: send, shard: shard})
	f.seq++
	seq := f.seq
	switch first.Op {
	case 2:
		f.identifies++
		f.shardIDs = append(f.shardIDs, shard)
	case 6:
		f.resumes++
	}
	f.mu.Unlock()
	if first.Op == 6 {
		_ = c.WriteJSON(map[string]any{"op": 0, "t": "RESUMED", "s": seq, "d": map[string]any{}})
	} else {
		_ = c.WriteJSON(map[string]any{"op": 0, "t": "READY", "s": seq, "d": map[string]any{
			"v": 10, "session_id": "fake-session", "resume_gateway_url": "ws" + strings.TrimPrefix(f.HTTP.URL, "http") + "/gateway-ws",
			"user":        map[string]any{"id": f.AppID, "username": "triagebot", "discriminator": "0", "bot": true},
			"application": map[string]any{"id": f.AppID, "flags": 0}, "guilds": []any{}, "private_channels": []any{},
			"shard": shard,
		}})
	}
	wmu.Unlock()
	f.changed()
	go func() {
		defer c.Close()
		for {
			var in struct {
				Op int `json:"op"`
			}
			if err := c.ReadJSON(&in); err != nil {
				return
			}
			if in.Op == 1 {
				if send(map[string]any{"op": 11}) != nil {
					return
				}
			}
		}
	}()
}

// session is one connected gateway session and the shard it identified as.
type session struct {
	send  func(any) error
	shard [2]int
}

// Dispatch sends an event (op 0) to the connected gateway sessions: an
// event of a guild goes only to the session of that guild's shard, as
// Discord routes it.
func (f *Server) Dispatch(event string, d any) {
	f.mu.Lock()
	f.seq++
	seq := f.seq
	senders := append([]session(nil), f.senders...)
	f.mu.Unlock()
	guild := ""
	if m, ok := d.(map[string]any); ok {
		guild, _ = m["guild_id"].(string)
	}
	for _, s := range senders {
		if guild != "" && ShardOf(guild, s.shard[1]) != s.shard[0] {
			continue
		}
		_ = s.send(map[string]any{"op": 0, "t": event, "s": seq, "d": d})
	}
}

// Connected reports whether a gateway session is up.
func (f *Server) Connected() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.senders) > 0
}

// Drop closes every gateway connection, as a network failure would.
func (f *Server) Drop() {
	f.mu.Lock()
	conns := f.conns
	f.conns, f.senders = nil, nil
	f.mu.Unlock()
	for _, c := range conns {
		c.Close()
	}
}
