package cheb

import (
	"fmt"

	"gonum.org/v1/gonum/mat"
)

// Basis is the feature map x ↦ f(x) = [T_0(t), ..., T_Degree(t)] with
// t = Domain.ToUnit(x): a hypothesis Σ θ_k T_k is the linear model θᵀf(x).
type Basis struct {
	// Degree is the highest degree D of the basis; it must be >= 0.
	Degree int

	// Domain is the interval of the basis; the zero value means [-1, 1].
	Domain Domain
}

// Validate returns an error if Degree < 0 or Domain is invalid.
func (b Basis) Validate() error {
	if b.Degree < 0 || b.Degree >= MaxN {
		return fmt.Errorf("cheb: basis degree D = %d out of range: need D >= 0 and D+1 <= %d (MaxN)", b.Degree, MaxN)
	}
	return b.Domain.Validate()
}

// Dims returns the input dimension 1 and the number of features Degree+1.
func (b Basis) Dims() (in, features int) { return 1, b.Degree + 1 }

// Features stores T_k(t(x[0])), k = 0..Degree, in dst and returns it, by the
// three-term recurrence of T. A nil dst is allocated. Features is an
// evaluation kernel: it panics if Degree < 0, len(x) != 1 or dst is non-nil
// with len(dst) != Degree+1.
func (b Basis) Features(dst, x []float64) []float64 {
	b.checkKernel(dst, x)
	dst = reuse(dst, b.Degree+1)
	fillT(dst, b.Domain.ToUnit(x[0]))
	return dst
}

// FeatureGradient stores d/dx T_k(t(x[0])) = (2/(b-a)) T_k'(t), k = 0..Degree,
// in dst and returns it, using the differentiated recurrence
// T'_{k+1} = 2T_k + 2t T'_k - T'_{k-1}. A nil dst is allocated. It panics
// on the same shapes as Features.
func (b Basis) FeatureGradient(dst, x []float64) []float64 {
	b.checkKernel(dst, x)
	dst = reuse(dst, b.Degree+1)
	t := b.Domain.ToUnit(x[0])
	scale := b.Domain.Scale()
	dst[0] = 0
	if b.Degree == 0 {
		return dst
	}
	dst[1] = scale
	t0, t1 := 1.0, t // T_{k-1}, T_k
	d0, d1 := 0.0, 1.0
	for k := 1; k < b.Degree; k++ {
		d0, d1 = d1, 2*t1+2*t*d1-d0
		t0, t1 = t1, 2*t*t1-t0
		dst[k+1] = scale * d1
	}
	return dst
}

// Matrix returns the m×(Degree+1) basis (Chebyshev-Vandermonde) matrix
// V[i][k] = T_k(t(x[i])), rows for points and columns for T_0..T_Degree. A nil
// or empty dst is allocated or resized; a non-empty dst must be m×(Degree+1).
// Points outside Domain are allowed (the polynomials extrapolate), but
// NaN and ±Inf are not.
func (b Basis) Matrix(dst *mat.Dense, x []float64) (*mat.Dense, error) {
	if err := b.Validate(); err != nil {
		return nil, err
	}
	if len(x) == 0 {
		return nil, fmt.Errorf("cheb: len(x) = 0: need at least one point")
	}
	if err := checkFinite("x", x); err != nil {
		return nil, err
	}
	m, n := len(x), b.Degree+1
	if m > MaxN/n {
		return nil, fmt.Errorf("cheb: basis matrix m×(D+1) = %d×%d out of range: need m·(D+1) <= %d (MaxN)", m, n, MaxN)
	}
	switch {
	case dst == nil:
		dst = mat.NewDense(m, n, nil)
	case dst.IsEmpty():
		dst.ReuseAs(m, n)
	default:
		if r, c := dst.Dims(); r != m || c != n {
			return nil, fmt.Errorf("cheb: dst is %d×%d: need %d×%d (or nil)", r, c, m, n)
		}
	}
	for i, v := range x {
		fillT(dst.RawRowView(i), b.Domain.ToUnit(v))
	}
	return dst, nil
}

// fillT stores T_0(t), ..., T_{len(dst)-1}(t) in dst.
func fillT(dst []float64, t float64) {
	if len(dst) == 0 {
		return
	}
	dst[0] = 1
	if len(dst) == 1 {
		return
	}
	dst[1] = t
	for k := 2; k < len(dst); k++ {
		dst[k] = 2*t*dst[k-1] - dst[k-2]
	}
}

func (b Basis) checkKernel(dst, x []float64) {
	if b.Degree < 0 {
		panic(fmt.Sprintf("cheb: basis degree D = %d out of range: need D >= 0", b.Degree))
	}
	if len(x) != 1 {
		panic(fmt.Sprintf("cheb: len(x) = %d: the Chebyshev basis has one input", len(x)))
	}
	if dst != nil && len(dst) != b.Degree+1 {
		panic(fmt.Sprintf("cheb: len(dst) = %d: need Degree+1 = %d", len(dst), b.Degree+1))
	}
}
