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
