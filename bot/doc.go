// Package bot is triagebot on Discord: slash commands, buttons and
// autocomplete, the weekly digest posted exactly once per channel, and
// announcements. It speaks to the rest of triagebot only through the
// Backend interfaces; discordgo does the protocol.
//
// Imports: news, digest (rendering), service (its types; the backend is
// reached through small interfaces declared here) and discordgo; never
// store or feeds.
package bot
