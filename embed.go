// Package triagebot holds what the binary embeds from the repository root:
// the default config.yaml. It lives here because go:embed cannot reach
// files above the embedding package's directory, and config.yaml belongs at
// the root where users look for it.
package triagebot

import (
	_ "embed"
)

//go:embed config.yaml
var defaultConfig []byte

// DefaultConfig returns a copy of the embedded config.yaml.
func DefaultConfig() []byte {
	return append([]byte(nil), defaultConfig...)
}
