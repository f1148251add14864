// Package text holds the small string helpers several packages need and
// must agree on: clipping to a rune budget with an ellipsis, folding
// whitespace, the Han (CJK ideograph) test, the FNV-1a hash, and the arXiv
// id parser. One copy keeps their rules from drifting apart (a title cut
// one way in the digest and another in the bot).
//
// It imports nothing of ours, only the standard library, so it is a leaf
// every package may import, the pure classifier and digest included. It
// does no I/O and keeps no state.
package text
