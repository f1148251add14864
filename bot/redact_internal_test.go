package bot

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/bwmarrin/discordgo"
)

// syncBuffer is a log sink the bot's goroutines may share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

var errEchoed = errors.New("proxy refused the request")

// TestTokenNeverInErrorsOrLogs drives the real discordgo client into
// failures whose text quotes the bot token, the way a misbehaving proxy
// or an API error body can, and checks that neither the returned error
// nor the log ever shows it, while the error keeps its kind.
func TestTokenNeverInErrorsOrLogs(t *testing.T) {
	const secret = "MTIzNDU2Nzg5.secret-bot-token.xyz"
	for _, tc := range []struct {
		name string
		rt   roundTrip
		kind error // what errors.Is must still find through the redaction
	}{
		{"transport error quoting the Authorization header", func(r *http.Request) (*http.Response, error) {
			return nil, errors.Join(errEchoed, errors.New("sent Authorization: "+r.Header.Get("Authorization")))
		}, errEchoed},
		{"API error body quoting the token", func(r *http.Request) (*http.Response, error) {
			return httpReply(http.StatusBadRequest, `{"code":50035,"message":"invalid token `+secret+`"}`), nil
		}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var logs syncBuffer
			o := testOptions(secret, "http://discord.test", tc.rt)
			o.Log = slog.New(slog.NewTextHandler(&logs, nil))
			b, err := New(o, nil)
			if err != nil {
				t.Fatal(err)
			}
			// The connect path: Run's error is what the daemon prints.
			runErr := b.Run(context.Background())
			if runErr == nil {
				t.Fatal("Run connected through a failing transport")
			}
			// The reply path: a failed answer is logged.
			ic := &discordgo.InteractionCreate{Interaction: &discordgo.Interaction{ID: "1", AppID: "2", Token: "interaction-token"}}
			b.answer(ic, false, &reply{content: "hello"})
			if b.Metrics.DiscordErrors.Load() != 1 {
				t.Fatalf("the failed answer was not counted: %d", b.Metrics.DiscordErrors.Load())
			}
			for what, text := range map[string]string{"Run error": runErr.Error(), "log": logs.String()} {
				if strings.Contains(text, secret) {
					t.Errorf("%s shows the token: %s", what, text)
				}
				if !strings.Contains(text, "[token]") {
					t.Errorf("%s does not say where the token was cut (did the failure quote it?): %s", what, text)
				}
			}
			if tc.kind != nil && !errors.Is(runErr, tc.kind) {
				t.Errorf("redaction lost the error's kind: %v", runErr)
			}
		})
	}
}
