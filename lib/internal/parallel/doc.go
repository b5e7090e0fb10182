// Package parallel runs independent tasks on a few goroutines: the worker
// pool of the experiments whose tasks (fits, Monte Carlo draws) are too
// uneven or too coarse for linalg.For's one contiguous piece per core.
package parallel
