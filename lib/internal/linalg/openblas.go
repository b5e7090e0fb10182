//go:build openblas

package linalg

// #cgo LDFLAGS: -lopenblas
// void openblas_set_num_threads(int);
import "C"

import (
	"os"

	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/netlib/blas/netlib"
)

// Built with -tags openblas (and CGO_LDFLAGS=-lopenblas), every product of
// the library goes through OpenBLAS. The Makefile selects this build when
// the library is installed; the pure-Go build stays the default.
//
// OpenBLAS runs single-threaded and Gemm splits each large product over the
// pool, one piece per core (see split). OpenBLAS's own threads spin-wait
// after every call and thread the small products of a 784→256→256→10
// network at batch 128 too: with its 2 threads the 128×256·256×10 forward
// product ran at a third of its single-threaded speed. Setting
// OPENBLAS_NUM_THREADS in the environment restores OpenBLAS's own threading
// (and Gemm then does not split).
func init() {
	blas32.Use(netlib.Implementation{})
	blas64.Use(netlib.Implementation{})
	if _, set := os.LookupEnv("OPENBLAS_NUM_THREADS"); !set {
		C.openblas_set_num_threads(1)
		split = true
	}
}

// Backend names the BLAS in use.
const Backend = "openblas"
