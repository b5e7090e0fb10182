//go:build !openblas

package linalg

// Backend names the BLAS in use.
const Backend = "gonum"
