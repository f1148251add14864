package bot

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/triagebot/triagebot/config"
)

// testOptions are the config's defaults as cmd maps them, against the
// given API base and transport.
func testOptions(token, apiURL string, rt http.RoundTripper) Options {
	cfg := config.Defaults()
	d := cfg.Discord
	return Options{Token: token, TokenEnv: d.TokenEnv, APIURL: apiURL, Transport: rt, Location: cfg.Location,
		Weekday: cfg.Digest.Day, DueTime: cfg.Digest.Clock, RetryBase: d.PostRetry, Tick: d.ScheduleTick,
		Concurrency: d.PostConcurrency, RequestsPerSecond: d.RequestsPerSecond, IdentifyInterval: d.IdentifyInterval}
}

// New used to put its own defaults in place of zero values, a second
// home for them beside config; now a missing value is refused by name.
func TestNewRefusesMissingOptions(t *testing.T) {
	if _, err := New(testOptions("t", "http://discord.test", nil), nil); err != nil {
		t.Fatalf("the config's defaults are refused: %v", err)
	}
	for _, tc := range []struct {
		field string
		zero  func(*Options)
	}{
		{"Token", func(o *Options) { o.Token = " " }},
		{"TokenEnv", func(o *Options) { o.TokenEnv = "" }},
		{"Location", func(o *Options) { o.Location = nil }},
		{"DueTime", func(o *Options) { o.DueTime = 24 * time.Hour }},
		{"RetryBase", func(o *Options) { o.RetryBase = 0 }},
		{"Tick", func(o *Options) { o.Tick = -time.Second }},
		{"IdentifyInterval", func(o *Options) { o.IdentifyInterval = 0 }},
		{"Concurrency", func(o *Options) { o.Concurrency = 0 }},
		{"RequestsPerSecond", func(o *Options) { o.RequestsPerSecond = 0 }},
		{"Shards", func(o *Options) { o.Shards = -2 }},
		{"api_url", func(o *Options) { o.APIURL = "" }},
	} {
		t.Run(tc.field, func(t *testing.T) {
			o := testOptions("t", "http://discord.test", nil)
			tc.zero(&o)
			b, err := New(o, nil)
			if err == nil {
				t.Fatalf("New accepted a bad %s (running with %+v)", tc.field, b.o)
			}
			if !strings.Contains(err.Error(), tc.field) {
				t.Errorf("the error does not name %s: %v", tc.field, err)
			}
			if tc.field != "api_url" && !errors.Is(err, ErrOptions) {
				t.Errorf("the error is not ErrOptions: %v", err)
			}
		})
	}
}
