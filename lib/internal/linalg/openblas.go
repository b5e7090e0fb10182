//go:build openblas

package linalg

import (
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/netlib/blas/netlib"
)

// Built with -tags openblas (and CGO_LDFLAGS=-lopenblas), every product of
// the library goes through OpenBLAS. The Makefile selects this build when
// the library is installed; the pure-Go build stays the default.
func init() {
	blas32.Use(netlib.Implementation{})
	blas64.Use(netlib.Implementation{})
}

// Backend names the BLAS in use.
const Backend = "openblas"
