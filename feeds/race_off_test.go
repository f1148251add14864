//go:build !race

package feeds

// raceSlowdown: see race_on_test.go.
const raceSlowdown = 1
