// Package triagebot holds what the binary embeds from the repository root:
// the default config.yaml. It lives here because go:embed cannot reach
// files above the embedding package's directory, and config.yaml belongs at
// the root where users look for it.
//
// It imports nothing of ours: config.Load receives the bytes from the
// command.
package triagebot
