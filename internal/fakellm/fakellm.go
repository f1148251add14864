// Package fakellm is a loopback OpenAI-compatible Chat Completions endpoint
// for tests: it checks what a real one would (path, method, a json_schema
// response format), records every request, and answers through a scripted
// function.
package fakellm

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
)

// Answer scripts the endpoint: n counts requests from 1, user is the user
// message. A status other than 200 answers with an OpenAI-style error.
type Answer func(n int64, user string) (status int, content string)

// Server is the fake endpoint; URL + "/v1" is its base URL.
type Server struct {
	*httptest.Server
	Calls  atomic.Int64
	mu     sync.Mutex
	bodies []map[string]any
	auth   []string
	answer Answer
}

// New starts a fake endpoint closed at the end of the test.
func New(t testing.TB, answer Answer) *Server {
	f := &Server{answer: answer}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

// Bodies returns the decoded request bodies so far.
func (f *Server) Bodies() []map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]map[string]any(nil), f.bodies...)
}

// Auth returns the Authorization headers so far.
func (f *Server) Auth() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.auth...)
}

// Verdict is a schema-valid verdict answer.
func Verdict(label string, confidence float64) string {
	b, _ := json.Marshal(map[string]any{"label": label, "confidence": confidence, "reason": "because the item says so"})
	return string(b)
}

func (f *Server) serve(w http.ResponseWriter, r *http.Request) {
	n := f.Calls.Add(1)
	if r.URL.Path != "/v1/chat/completions" || r.Method != http.MethodPost {
		http.Error(w, "not found: "+r.URL.Path, http.StatusNotFound)
		return
	}
	var body map[string]any
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		http.Error(w, "bad json", http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	f.bodies = append(f.bodies, body)
	f.auth = append(f.auth, r.Header.Get("Authorization"))
	f.mu.Unlock()
	rf, _ := body["response_format"].(map[string]any)
	if rf["type"] != "json_schema" {
		http.Error(w, "want response_format json_schema", http.StatusBadRequest)
		return
	}
	msgs, _ := body["messages"].([]any)
	user := ""
	if len(msgs) == 2 {
		m, _ := msgs[1].(map[string]any)
		user, _ = m["content"].(string)
	}
	status, content := f.answer(n, user)
	w.Header().Set("Content-Type", "application/json")
	if status != http.StatusOK {
		w.WriteHeader(status)
		w.Write([]byte(`{"error":{"message":"scripted failure","type":"server_error"}}`))
		return
	}
	json.NewEncoder(w).Encode(map[string]any{
		"id": "c1", "object": "chat.completion", "created": 1, "model": body["model"],
		"choices": []any{map[string]any{"index": 0, "finish_reason": "stop",
			"message": map[string]any{"role": "assistant", "content": content}}},
		"usage": map[string]any{"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
	})
}
