// Package classifier sorts items into research, product or other, offline
// and deterministically, with a calibrated confidence and the few signals
// that decided. One multinomial logistic regression over hashed features
// (words, word pairs, character n-grams of title words, Chinese character
// n-grams, curated cue-phrase groups, the feed's kind, hints in the link
// and a few features of the item's form), its weights averaged over models
// trained with different outlets held out, shipped as weights in model.bin
// and refined online by the hosts' tags (a memory of tagged items and
// per-feed priors). Callers persist what Learn returns.
//
// Imports: news only, and no I/O, clock or globals.
package classifier
