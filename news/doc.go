// Package news is the shared vocabulary of triagebot: items, labels, verdicts
// and feed kinds. It holds types only and imports nothing of ours, so every
// other package can depend on it without pulling in I/O.
//
// Imports: the standard library only.
package news
