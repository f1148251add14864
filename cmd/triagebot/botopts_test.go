package main

import (
	"testing"

	"github.com/triagebot/triagebot/bot"
	"github.com/triagebot/triagebot/config"
)

// The bot refuses zero values, so the config's defaults must reach it
// whole: a field botOptions forgets fails here, not at the first deploy.
func TestBotOptionsFromDefaultsAreAccepted(t *testing.T) {
	cfg := config.Defaults()
	if _, err := bot.New(botOptions(&cfg, "token", nil), nil); err != nil {
		t.Fatalf("bot.New(botOptions(config.Defaults())): %v", err)
	}
}
