package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/triagebot/triagebot/internal/fakellm"
	"github.com/triagebot/triagebot/news"
)

// llmAnswers answers verdict questions with research and brief questions
// with a brief, like a cooperative model.
func llmAnswers(_ int64, user string) (int, string) {
	if strings.HasPrefix(user, "Reports:") {
		return 200, `{"brief":"Acme's assistant can now talk.","points":["Who gets it first"],"title":""}`
	}
	return 200, fakellm.Verdict("research", 0.95)
}

// withLLM adds an llm section pointing at a fake endpoint to the CLI's
// config.
func withLLM(t *testing.T, c *cli, base string, extra string) {
	t.Helper()
	f, err := os.OpenFile(c.cfg, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fmt.Fprintf(f, "llm:\n  base_url: %s\n  model: fake-model\n  below: 1\n  timeout: 2s\n%s", base, extra)
}

func TestPollWithLLMAsksOnceAndDigestShowsBriefs(t *testing.T) {
	fake := fakellm.New(t, llmAnswers)
	c := newCLI(t)
	withLLM(t, c, fake.URL+"/v1", "")
	if code, out, errOut := c.run("poll"); code != 0 || !strings.Contains(out, "2 new") {
		t.Fatalf("poll: %d\n%s\n%s", code, out, errOut)
	}
	asked := fake.Calls.Load()
	if asked != 2 {
		t.Fatalf("the poll asked about %d items, want 2 (both are below 1)", asked)
	}
	code, out, _ := c.run("items", "-json")
	if code != 0 {
		t.Fatalf("items: %d", code)
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var it news.Item
		if err := json.Unmarshal([]byte(line), &it); err != nil {
			t.Fatal(err)
		}
		if it.Verdict == nil || it.Verdict.Label != news.Research || !strings.HasPrefix(it.Verdict.Reasons[0], "llm fake-model: ") {
			t.Fatalf("stored verdict %+v, want the model's", it.Verdict)
		}
	}
	// A reclassify and a restart answer from the cache.
	if code, _, errOut := c.run("reclassify"); code != 0 {
		t.Fatalf("reclassify: %d %s", code, errOut)
	}
	if fake.Calls.Load() != asked {
		t.Fatalf("reclassify asked again: %d calls", fake.Calls.Load())
	}
	code, out, errOut := c.run("digest", "-week", "2026-W48", "-format", "json")
	if code != 0 {
		t.Fatalf("digest: %d %s", code, errOut)
	}
	if !strings.Contains(out, `"brief": "Acme's assistant can now talk."`) || !strings.Contains(out, `"model": "fake-model"`) {
		t.Fatalf("digest JSON has no brief:\n%s", out)
	}
	calls := fake.Calls.Load()
	code, out, _ = c.run("digest", "-week", "2026-W48")
	if code != 0 || !strings.Contains(out, "Machine-written brief (fake-model)") {
		t.Fatalf("markdown digest must mark the brief as machine-written:\n%s", out)
	}
	if fake.Calls.Load() != calls {
		t.Fatalf("a second digest asked again for briefs (%d → %d calls)", calls, fake.Calls.Load())
	}
}

func TestPollWithDeadEndpointKeepsOfflineVerdicts(t *testing.T) {
	fake := fakellm.New(t, llmAnswers)
	base := fake.URL + "/v1"
	fake.Close() // nothing listens there now
	c := newCLI(t)
	withLLM(t, c, base, "")
	if code, out, errOut := c.run("poll"); code != 0 || !strings.Contains(out, "2 new") {
		t.Fatalf("poll with a dead endpoint: %d\n%s\n%s", code, out, errOut)
	}
	_, out, _ := c.run("items", "-json")
	if !strings.Contains(out, `"label"`) || strings.Contains(out, "llm fake-model") {
		t.Fatalf("items must keep offline verdicts:\n%s", out)
	}
	if code, out, _ := c.run("digest", "-week", "2026-W48"); code != 0 || strings.Contains(out, "Machine-written") {
		t.Fatalf("digest with a dead endpoint: %d\n%s", code, out)
	}
}

func TestLLMOffTouchesNothing(t *testing.T) {
	c := newCLI(t)
	code, _, errOut := c.run("classify", "-llm", "-")
	if code != 2 || !strings.Contains(errOut, "llm.base_url") {
		t.Fatalf("classify -llm without an endpoint: %d %s", code, errOut)
	}
	code, _, errOut = c.run("eval", "-llm", "x.jsonl")
	if code == 0 {
		t.Fatalf("eval -llm without an endpoint must fail: %s", errOut)
	}
}

func TestEvalAndClassifyWithLLMReportTheCost(t *testing.T) {
	fake := fakellm.New(t, llmAnswers)
	c := newCLI(t)
	withLLM(t, c, fake.URL+"/v1", "")
	data := c.dir + "/labelled.jsonl"
	os.WriteFile(data, []byte(`{"title":"A new method for chart reading","label":"research"}
{"title":"Acme launches a voice mode","label":"product"}
`), 0o644)
	code, out, errOut := c.run("eval", "-llm", data)
	if code != 0 {
		t.Fatalf("eval -llm: %d %s", code, errOut)
	}
	for _, want := range []string{"== offline model alone", "== offline model + fake-model", "sent 2 of 2 items", "tokens 200 in + 40 out"} {
		if !strings.Contains(out, want) {
			t.Fatalf("eval -llm output lacks %q:\n%s", want, out)
		}
	}
	var o, e strings.Builder
	o.Reset()
	code = Main(t.Context(), []string{"-config", c.cfg, "classify", "-llm", "-"}, strings.NewReader(`{"title":"Acme launches a voice mode"}`+"\n"), &o, &e)
	if code != 0 || !strings.Contains(o.String(), "llm fake-model: ") || !strings.Contains(e.String(), "llm fake-model: sent 1") {
		t.Fatalf("classify -llm: %d\n%s\n%s", code, o.String(), e.String())
	}
}

func TestRunCountsModelCallsInMetricsAndNeverShowsTheKey(t *testing.T) {
	const key = "sk-run-SECRET-987"
	t.Setenv("TB_TEST_LLM_KEY", key)
	t.Setenv("DISCORD_TOKEN", "")
	fake := fakellm.New(t, llmAnswers)
	c := newCLI(t)
	os.WriteFile(c.cfg, []byte(fmt.Sprintf("data_dir: %s\ntimezone: UTC\nfeeds:\n  - {name: Lab, url: %q, kind: blog}\npoll: {allow_private_networks: true, retention_weeks: 0}\n"+
		"llm:\n  base_url: %s/v1\n  model: fake-model\n  api_key_env: TB_TEST_LLM_KEY\n  below: 1\n  timeout: 2s\n",
		filepath.Join(c.dir, "data"), dueWeekFeed(t), fake.URL)), 0o644)
	addr := freeAddr(t)
	stop, out, errOut := startRun(t, c, "-http", addr)
	var metrics string
	waitFor(t, 10*time.Second, func() bool {
		resp, err := http.Get("http://" + addr + "/metrics")
		if err != nil {
			return false
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		metrics = string(b)
		return strings.Contains(metrics, "triagebot_llm_calls_total 2") || strings.Contains(metrics, "triagebot_llm_calls_total 3") || strings.Contains(metrics, "triagebot_llm_calls_total 4")
	}, out, errOut)
	if !strings.Contains(metrics, `triagebot_llm_tokens_total{kind="prompt"}`) {
		t.Fatalf("metrics lack model tokens:\n%s", metrics)
	}
	if code := stop(); code != 0 {
		t.Errorf("exit %d", code)
	}
	for name, text := range map[string]string{"stdout": out.String(), "stderr": errOut.String(), "metrics": metrics} {
		if strings.Contains(text, key) {
			t.Fatalf("the model key leaked into %s", name)
		}
	}
	for _, a := range fake.Auth() {
		if a != "Bearer "+key {
			t.Fatalf("Authorization %q, want the configured key", a)
		}
	}
}
