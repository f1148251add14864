// Package config owns triagebot's configuration: one typed struct decoded
// from YAML, filled with defaults, then validated. Secrets never come from
// the
// file; the file only names the environment variable that holds them.
//
// Imports: news (the feed type) and the YAML decoder; nothing that does I/O
// beyond reading the file it is given.
package config
