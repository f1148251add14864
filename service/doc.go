// Package service is what the CLI and the Discord bot share: building a
// week's digest with fresh verdicts, tagging and picking (teaching the
// classifier), finding items, managing feeds and subscriptions, and the
// post ledger. It joins store, classifier and digest so the bot never
// touches bbolt.
//
// Imports: store, classifier, digest, feeds, config and news; never bot or
// cmd.
package service
