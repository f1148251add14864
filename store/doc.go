// Package store keeps everything triagebot knows in one bbolt file: feeds
// and their poll state, items (time-ordered, with lookups by id, canonical
// key and URL), the seen set that outlives retention, tags and picks.
// Every change is one bbolt transaction, so a crash leaves a store that
// opens with either all or none of a change.
//
// Imports: news and bbolt; nothing else of ours.
package store
