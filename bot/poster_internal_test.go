package bot

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// roundTrip is an in-memory Discord: no sockets, so synctest's fake clock
// drives every wait.
type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func httpReply(status int, body string) *http.Response {
	return &http.Response{StatusCode: status, Status: http.StatusText(status), Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(body))}
}

// TestSendBacksOffOnServerErrors proves the retry schedule of a failed
// post with a fake clock: two 500s cost RetryBase and then twice that,
// exactly, and a 4xx is not retried at all.
func TestSendBacksOffOnServerErrors(t *testing.T) {
	for _, tc := range []struct {
		name     string
		statuses []int
		wantErr  bool
		wait     time.Duration
		calls    int32
	}{
		{"two 500s then ok", []int{500, 500, 200}, false, 2*time.Second + 4*time.Second, 3},
		{"a 400 is final", []int{400}, true, 0, 1},
		{"five 503s give up, no wait after the last", []int{503, 503, 503, 503, 503}, true, (1 + 2 + 4 + 8) * 2 * time.Second, 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var calls atomic.Int32
				rt := roundTrip(func(r *http.Request) (*http.Response, error) {
					n := calls.Add(1)
					s := tc.statuses[min(int(n), len(tc.statuses))-1]
					if s == 200 {
						return httpReply(200, `{"id":"900","channel_id":"1"}`), nil
					}
					return httpReply(s, `{"code":0,"message":"nope"}`), nil
				})
				o := testOptions("t", "http://discord.test", rt)
				o.RetryBase = 2 * time.Second
				b, err := New(o, nil)
				if err != nil {
					t.Fatal(err)
				}
				start := time.Now()
				id, err := b.send(context.Background(), "1", []byte(`{"content":"x"}`))
				if (err != nil) != tc.wantErr || (!tc.wantErr && id != "900") {
					t.Fatalf("send: %q %v", id, err)
				}
				if got := time.Since(start); got != tc.wait {
					t.Errorf("waited %s, want %s", got, tc.wait)
				}
				if calls.Load() != tc.calls {
					t.Errorf("%d requests, want %d", calls.Load(), tc.calls)
				}
			})
		})
	}
}
