// Package linalg implements the dense matrix kernels shared by pointwise's
// network code, and the pool of goroutines they run on: a general matrix
// product C = α·op(A)·op(B) + β·C over row-major float32 or float64 slices,
// dispatched on the element type to gonum's global BLAS implementations
// (blas32 and blas64).
//
// Because every product goes through blas32.Implementation() or
// blas64.Implementation(), installing another BLAS with blas32.Use or
// blas64.Use (for example OpenBLAS behind a build tag) changes every caller
// at once.
//
// When the installed implementation is gonum's own pure-Go one, Gemm splits C
// into tiles small enough for gonum to compute serially and runs them on a
// small pool of persistent goroutines. gonum's own parallel path starts new
// goroutines and channels on every call; the pool keeps a training step free
// of allocations while still using every core. A product Aᵀ·B runs on an
// explicit transpose of A, for which gonum's kernel is faster.
//
// For spreads the other loops of a training step that are worth two cores
// (Adam's update, PGD's step) over the same pool, in one piece per core.
//
// Built with the openblas tag, OpenBLAS runs single-threaded and Gemm cuts
// each large product into one piece per core on the same pool (small
// products run on the caller): OpenBLAS's own threading also threads the
// small products of a batch-128 network, which then ran slower than on one
// thread, and its threads spin after every call.
package linalg
