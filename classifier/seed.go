package classifier

import (
	"bytes"
	_ "embed"
)

//go:embed data/seed.jsonl
var seedCorpus []byte

// SeedExamples are 181 labelled examples written for this project (none
// taken from a feed or the evaluation data), in every training set and
// every cross-validation training fold: under source-held-out validation
// they add about 0.005–0.008 news+blog macro-F1 and three points of
// confident coverage (README). Their links carry no telling paths
// (/research/, /opinion/), which real links rarely do.
func SeedExamples() ([]Example, error) {
	return ReadExamples(bytes.NewReader(seedCorpus))
}
