package config

import (
	"fmt"
	"math"
	"net/url"
	"os"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// LLM is the optional model assist. An empty BaseURL (the default) keeps
// triagebot fully offline: nothing is sent anywhere.
type LLM struct {
	BaseURL        string        `yaml:"base_url"`          // any OpenAI-compatible endpoint, e.g. http://localhost:11434/v1
	Model          string        `yaml:"model"`             // the model the endpoint serves
	APIKeyEnv      string        `yaml:"api_key_env"`       // optional: env var holding the key, sent as a Bearer token
	Below          float64       `yaml:"below"`             // ask only about items whose offline confidence is below this
	MaxCallsPerDay int           `yaml:"max_calls_per_day"` // budget, counted in the store across restarts
	Timeout        time.Duration `yaml:"timeout"`           // per call
	SummarizeTop   int           `yaml:"summarize_top"`     // stories per section that get a brief (0 = none)
	Concurrency    int           `yaml:"concurrency"`       // calls in flight at once
}

// Enabled reports whether the assist is configured.
func (l LLM) Enabled() bool { return strings.TrimSpace(l.BaseURL) != "" }

// APIKey reads the key from the environment; empty when no variable is
// named (a local model needs none).
func (l LLM) APIKey() string {
	if l.APIKeyEnv == "" {
		return ""
	}
	return strings.TrimSpace(os.Getenv(l.APIKeyEnv))
}

func defaultLLM() LLM {
	return LLM{Below: 0.8, MaxCallsPerDay: 500, Timeout: 30 * time.Second, SummarizeTop: 5, Concurrency: 2}
}

// check validates the llm keys. The endpoint is trusted configuration, so
// loopback and LAN addresses are allowed (a local Ollama is the common
// case); feed fetching keeps its own guard.
func (l LLM) check(root func() *yaml.Node) []error {
	var errs []error
	bad := func(key, format string, args ...any) {
		where := "llm." + key
		line := lineOf(root(), "llm", key)
		if line == 0 { // a missing key: point at its section
			line = lineOf(root(), "llm")
		}
		if line > 0 {
			where = fmt.Sprintf("line %d: %s", line, where)
		}
		errs = append(errs, fmt.Errorf("%w: %s: %s", ErrInvalid, where, fmt.Sprintf(format, args...)))
	}
	if !l.Enabled() {
		return nil
	}
	if u, err := url.Parse(strings.TrimSpace(l.BaseURL)); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad("base_url", "%q is not an http(s) URL such as http://localhost:11434/v1", l.BaseURL)
	} else if u.User != nil {
		bad("base_url", "put no credentials in the URL; name an environment variable in llm.api_key_env instead")
	}
	if strings.TrimSpace(l.Model) == "" {
		bad("model", "name the model the endpoint serves, e.g. qwen3:8b")
	}
	if l.APIKeyEnv != "" && strings.ContainsAny(l.APIKeyEnv, " =$") {
		bad("api_key_env", "%q must be the name of an environment variable, not the key itself", l.APIKeyEnv)
	}
	if math.IsNaN(l.Below) || l.Below < 0 || l.Below > 1 {
		bad("below", "must be between 0 and 1")
	}
	if l.MaxCallsPerDay < 0 || l.MaxCallsPerDay > 1_000_000 {
		bad("max_calls_per_day", "must be between 0 and 1000000")
	}
	if l.Timeout <= 0 || l.Timeout > 10*time.Minute {
		bad("timeout", "must be a duration between 1s and 10m, such as 30s")
	}
	if l.SummarizeTop < 0 || l.SummarizeTop > 25 {
		bad("summarize_top", "must be between 0 and 25")
	}
	if l.Concurrency < 1 || l.Concurrency > 32 {
		bad("concurrency", "must be between 1 and 32")
	}
	return errs
}
