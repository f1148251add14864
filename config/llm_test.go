package config

import (
	"strings"
	"testing"
)

func TestLLMKeys(t *testing.T) {
	base := "data_dir: d\n"
	tests := []struct {
		name, yaml, wantErr string
	}{
		{"off by default", "", ""},
		{"local ollama", "llm:\n  base_url: http://localhost:11434/v1\n  model: qwen3:8b\n", ""},
		{"no model", "llm:\n  base_url: http://localhost:11434/v1\n", "line 2: llm.model"},
		{"not http", "llm:\n  base_url: ftp://x/v1\n  model: m\n", "llm.base_url"},
		{"credentials in url", "llm:\n  base_url: http://u:p@x/v1\n  model: m\n", "no credentials"},
		{"key instead of env name", "llm:\n  base_url: http://x/v1\n  model: m\n  api_key_env: sk-abc def\n", "llm.api_key_env"},
		{"below out of range", "llm:\n  base_url: http://x/v1\n  model: m\n  below: 1.5\n", "llm.below"},
		{"below NaN", "llm:\n  base_url: http://x/v1\n  model: m\n  below: .nan\n", "llm.below"},
		{"negative budget", "llm:\n  base_url: http://x/v1\n  model: m\n  max_calls_per_day: -1\n", "llm.max_calls_per_day"},
		{"zero timeout", "llm:\n  base_url: http://x/v1\n  model: m\n  timeout: 0s\n", "llm.timeout"},
		{"too many briefs", "llm:\n  base_url: http://x/v1\n  model: m\n  summarize_top: 99\n", "llm.summarize_top"},
		{"unknown key", "llm:\n  base_url: http://x/v1\n  modle: m\n", "modle"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := Parse([]byte(base+tc.yaml), "t.yaml")
			if tc.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if tc.yaml == "" && cfg.LLM.Enabled() {
					t.Fatal("the assist must be off by default")
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("err %v, want it to mention %q", err, tc.wantErr)
			}
		})
	}
}

func TestLLMKeyComesFromTheEnvironment(t *testing.T) {
	t.Setenv("TB_TEST_KEY", " sk-123 ")
	if got := (LLM{APIKeyEnv: "TB_TEST_KEY"}).APIKey(); got != "sk-123" {
		t.Fatalf("APIKey %q", got)
	}
	if got := (LLM{}).APIKey(); got != "" {
		t.Fatalf("no variable named: key %q, want none", got)
	}
}
