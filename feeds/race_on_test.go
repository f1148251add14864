//go:build race

package feeds

// raceSlowdown scales the time bounds of the hostile-input tests: the
// race detector makes this code about ten times slower, and those tests
// guard against a hang, not a few percent.
const raceSlowdown = 10
