//go:build race

package linalg

// The race detector adds allocations of its own, so allocation counts are
// not meaningful under it.
const raceEnabled = true
