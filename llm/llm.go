// Package llm is triagebot's optional model assist: verdicts for the items
// the offline classifier is unsure of, and short briefs for the top stories,
// from any OpenAI-compatible Chat Completions endpoint (Ollama, vLLM,
// LM Studio, OpenAI, a company gateway). It is off unless configured, sends
// only what needs a model, caches every answer, counts every call against a
// daily budget, and falls back to the offline result on any failure, so a
// poll or a weekly post never waits on it beyond one timeout.
//
// It imports news and the OpenAI client only; the store reaches it through
// the Cache interface declared here.
package llm

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/triagebot/triagebot/internal/text"
)

// PromptVersion is part of every cache key: a change to the prompts or the
// schemas must not be answered from answers to the old ones.
const PromptVersion = "p1"

// Errors callers branch on.
var (
	// ErrBudget means today's max_calls_per_day is spent.
	ErrBudget = errors.New("llm: daily call budget spent")
	// ErrDown means recent calls failed to reach the endpoint, so calls
	// are skipped for a while instead of each waiting out its timeout.
	ErrDown = errors.New("llm: endpoint unreachable; skipping calls for a while")
	// ErrInvalid means the endpoint answered something that is not what the
	// schema asks for; the caller keeps its offline result.
	ErrInvalid = errors.New("llm: answer does not match the schema")
)

// Cache keeps answers and the day's call count across restarts. The store
// implements it; MemCache serves commands that run without a store.
type Cache interface {
	// LLMGet returns the cached answer, or nil when there is none.
	LLMGet(key string) ([]byte, error)
	LLMPut(key string, val []byte) error
	// LLMTakeCall reserves one call in day's budget; false when limit calls
	// were already made that day.
	LLMTakeCall(day string, limit int) (bool, error)
}

// Options are the llm config keys, resolved: the key is the value of the
// environment variable api_key_env names, never the name itself.
type Options struct {
	BaseURL        string
	Model          string
	APIKey         string
	Below          float64
	MaxCallsPerDay int
	Timeout        time.Duration
	SummarizeTop   int
	// Concurrency bounds calls in flight, so a big poll cannot open
	// hundreds of requests to a local model at once.
	Concurrency int
	// Retries is how many times a 429 or 5xx is retried (each try counts
	// against the budget).
	Retries int
	// HTTPClient defaults to a plain client; tests inject one.
	HTTPClient *http.Client
	// Now defaults to time.Now; the budget's day is cut in Location.
	Now      func() time.Time
	Location *time.Location
	// Backoff is the first retry's wait, doubled per retry.
	Backoff time.Duration
}

// Stats are what /status and /metrics show.
type Stats struct {
	Sent             int64 `json:"sent"` // items and stories asked about
	Calls            int64 `json:"calls"`
	Failures         int64 `json:"failures"`
	CacheHits        int64 `json:"cache_hits"`
	Skipped          int64 `json:"skipped"` // budget spent
	PromptTokens     int64 `json:"prompt_tokens"`
	CompletionTokens int64 `json:"completion_tokens"`
	LatencyMillis    int64 `json:"latency_ms"` // summed over calls
}

// Assist asks the model. Safe for concurrent use.
type Assist struct {
	opts  Options
	chat  openai.ChatCompletionService
	cache Cache
	log   *slog.Logger
	sem   chan struct{}

	// downUntil (unix nanoseconds) is when calls resume after the endpoint
	// stopped answering: a poll of 500 unsure items against a dead local
	// model must cost one timeout, not 500.
	downUntil atomic.Int64

	sent, calls, failures, hits, skipped atomic.Int64
	promptTok, complTok, latency         atomic.Int64
}

// New builds an Assist. The client is built without reading OPENAI_*
// variables from the environment: what is sent where is the config's
// decision alone, and a stray OPENAI_API_KEY must never reach a local
// endpoint.
func New(opts Options, cache Cache, log *slog.Logger) (*Assist, error) {
	if opts.BaseURL == "" {
		return nil, errors.New("llm: no base_url: the model assist is off")
	}
	if opts.Model == "" {
		return nil, errors.New("llm: llm.model is empty: name the model the endpoint serves (e.g. qwen3:8b)")
	}
	if cache == nil {
		return nil, errors.New("llm: no cache")
	}
	if opts.Timeout <= 0 {
		return nil, errors.New("llm: llm.timeout must be positive")
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = 1
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if opts.Backoff <= 0 {
		opts.Backoff = time.Second
	}
	hc := opts.HTTPClient
	if hc == nil {
		hc = &http.Client{}
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	base := strings.TrimRight(opts.BaseURL, "/") + "/"
	chat := openai.NewChatCompletionService(
		option.WithBaseURL(base),
		option.WithAPIKey(opts.APIKey),
		option.WithHTTPClient(hc),
		option.WithMaxRetries(0), // our own loop counts every try against the budget
	)
	return &Assist{opts: opts, chat: chat, cache: cache, log: log, sem: make(chan struct{}, opts.Concurrency)}, nil
}

// Model is the configured model name.
func (a *Assist) Model() string { return a.opts.Model }

// Below is the offline confidence under which items are sent.
func (a *Assist) Below() float64 { return a.opts.Below }

// SummarizeTop is how many stories per section get a brief.
func (a *Assist) SummarizeTop() int { return a.opts.SummarizeTop }

// Stats returns the counters since the process started.
func (a *Assist) Stats() Stats {
	return Stats{
		Sent: a.sent.Load(), Calls: a.calls.Load(), Failures: a.failures.Load(), CacheHits: a.hits.Load(), Skipped: a.skipped.Load(),
		PromptTokens: a.promptTok.Load(), CompletionTokens: a.complTok.Load(), LatencyMillis: a.latency.Load(),
	}
}

// cacheKey names an answer by what produced it: the kind of question, the
// prompt version, the model and the content asked about.
func (a *Assist) cacheKey(kind string, parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return kind + "/" + PromptVersion + "/" + a.opts.Model + "/" + hex.EncodeToString(h.Sum(nil)[:16])
}

// ask sends one chat completion with a JSON-schema response format and
// returns the message content. Every try takes one call from the budget;
// 429 and 5xx are retried with backoff while the budget and ctx allow.
func (a *Assist) ask(ctx context.Context, system, user, schemaName string, schema map[string]any) (string, error) {
	select {
	case a.sem <- struct{}{}:
		defer func() { <-a.sem }()
	case <-ctx.Done():
		return "", fmt.Errorf("llm: %w", ctx.Err())
	}
	params := openai.ChatCompletionNewParams{
		Model: a.opts.Model,
		Messages: []openai.ChatCompletionMessageParamUnion{
			openai.SystemMessage(system),
			openai.UserMessage(user),
		},
		Temperature: openai.Float(0),
		ResponseFormat: openai.ChatCompletionNewParamsResponseFormatUnion{
			OfJSONSchema: &openai.ResponseFormatJSONSchemaParam{
				JSONSchema: openai.ResponseFormatJSONSchemaJSONSchemaParam{
					Name:   schemaName,
					Strict: openai.Bool(true),
					Schema: schema,
				},
			},
		},
	}
	a.sent.Add(1)
	if time.Now().UnixNano() < a.downUntil.Load() {
		a.skipped.Add(1)
		return "", ErrDown
	}
	wait := a.opts.Backoff
	var lastErr error
	for try := 0; try <= a.opts.Retries; try++ {
		if try > 0 {
			select {
			case <-time.After(wait):
			case <-ctx.Done():
				return "", fmt.Errorf("llm: %w (after %v)", ctx.Err(), lastErr)
			}
			wait *= 2
		}
		day := a.opts.Now().In(a.opts.Location).Format(time.DateOnly)
		ok, err := a.cache.LLMTakeCall(day, a.opts.MaxCallsPerDay)
		if err != nil {
			return "", fmt.Errorf("llm: budget: %w", err)
		}
		if !ok {
			a.skipped.Add(1)
			if lastErr != nil {
				return "", fmt.Errorf("%w (after %v)", ErrBudget, lastErr)
			}
			return "", ErrBudget
		}
		a.calls.Add(1)
		cctx, cancel := context.WithTimeout(ctx, a.opts.Timeout)
		start := time.Now()
		res, err := a.chat.New(cctx, params)
		cancel()
		a.latency.Add(time.Since(start).Milliseconds())
		if err == nil {
			a.promptTok.Add(res.Usage.PromptTokens)
			a.complTok.Add(res.Usage.CompletionTokens)
			if len(res.Choices) == 0 {
				a.failures.Add(1)
				return "", fmt.Errorf("%w: no choices", ErrInvalid)
			}
			return res.Choices[0].Message.Content, nil
		}
		a.failures.Add(1)
		lastErr = err
		var apiErr *openai.Error
		if errors.As(err, &apiErr) {
			if apiErr.StatusCode == http.StatusTooManyRequests || apiErr.StatusCode >= 500 {
				continue
			}
			return "", fmt.Errorf("llm: %s: %w", a.opts.Model, scrub(err))
		}
		// No HTTP answer at all (refused, timed out): the endpoint is down.
		a.markDown()
		return "", fmt.Errorf("llm: %s: %w", a.opts.Model, scrub(err))
	}
	a.markDown()
	return "", fmt.Errorf("llm: %s: gave up after %d tries: %w", a.opts.Model, a.opts.Retries+1, scrub(lastErr))
}

// markDown skips calls for a while: twice the timeout, at least a minute.
func (a *Assist) markDown() {
	a.downUntil.Store(time.Now().Add(max(2*a.opts.Timeout, time.Minute)).UnixNano())
}

// Timeout is the per-call timeout.
func (a *Assist) Timeout() time.Duration { return a.opts.Timeout }

// scrub keeps error text short: the client's errors can quote the whole
// response body, which a log line does not need.
func scrub(err error) error {
	if err == nil {
		return nil
	}
	// Cut by runes: a byte cut could split one and log invalid UTF-8.
	if s := err.Error(); text.Clip(s, 300) != s {
		return errors.New(text.Clip(s, 300))
	}
	return err
}
