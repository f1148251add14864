// Package digest turns a window of items into the weekly digest: items
// that report the same news become one story, stories are ranked inside
// research, product and other (plus the hosts' picks), and the result is
// rendered as Markdown, text, JSON or Discord messages. It imports only
// news and is pure: the items, the hosts' history and "now" are passed in.
//
// Imports: news only; no I/O, no clock.
package digest
