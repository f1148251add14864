// Command triagebot polls AI research and tech-news feeds, sorts every item
// into research, product or other, and builds the weekly digest.
//
// It may import every package of ours: it is where the parts are wired.
package main
