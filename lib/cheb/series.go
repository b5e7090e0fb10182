package cheb

import (
	"errors"
	"fmt"
	"slices"

	"gonum.org/v1/gonum/interp"
	"gonum.org/v1/gonum/mat"
)

var (
	_ interp.Predictor           = Series{}
	_ interp.DerivativePredictor = Series{}
)

// Series is the Chebyshev series p(x) = Σ_{k=0}^{n} Coeffs[k] T_k(t(x)) on
// Domain, with t(x) = Domain.ToUnit(x). It is evaluated by Clenshaw's
// recurrence, and outside Domain it extrapolates the same polynomial.
type Series struct {
	// Coeffs holds c_0, ..., c_n. An empty slice is the zero polynomial.
	Coeffs []float64

	// Domain is the interval of the series; the zero value means [-1, 1].
	Domain Domain
}

// Degree returns n = len(Coeffs) - 1 (-1 for the empty series).
func (s Series) Degree() int { return len(s.Coeffs) - 1 }

// Predict returns p(x) by Clenshaw's recurrence. It implements
// interp.Predictor.
func (s Series) Predict(x float64) float64 {
	return Clenshaw(s.Coeffs, s.Domain.ToUnit(x))
}

// PredictDerivative returns p'(x) = (2/(b-a)) Σ c_k T_k'(t(x)), by the
// differentiated Clenshaw recurrence. It implements
// interp.DerivativePredictor.
func (s Series) PredictDerivative(x float64) float64 {
	_, d := clenshawDerivative(s.Coeffs, s.Domain.ToUnit(x))
	return d * s.Domain.Scale()
}

// Eval stores p(x[i]) in dst[i] and returns dst; a nil dst is allocated.
// Eval panics if dst is non-nil and len(dst) != len(x).
func (s Series) Eval(dst, x []float64) []float64 {
	dst = reuse(dst, len(x))
	for i, v := range x {
		dst[i] = s.Predict(v)
	}
	return dst
}

// Derivative returns p' as a series on the same domain: the coefficients of
// DerivativeCoefficients times the chain-rule factor 2/(b-a).
func (s Series) Derivative() Series {
	d := DerivativeCoefficients(nil, s.Coeffs)
	scale := s.Domain.Scale()
	for i := range d {
		d[i] *= scale
	}
	return Series{Coeffs: d, Domain: s.Domain}
}

// Integral returns ∫_a^b p(x) dx = ((b-a)/2) Σ_{k even} c_k 2/(1-k²), from
// ∫_{-1}^{1} T_k = 2/(1-k²) for even k and 0 for odd k.
func (s Series) Integral() float64 {
	var sum float64
	for k := 0; k < len(s.Coeffs); k += 2 {
		sum += s.Coeffs[k] * 2 / float64(1-k*k)
	}
	a, b := s.Domain.Bounds()
	return 0.5 * (b - a) * sum
}

// Fit returns the least-squares fit of degree d in the Chebyshev basis to the
// data (x[i], y[i]) on dom: the coefficients c minimise ‖V c - y‖₂, where
// V[i][k] = T_k(t(x[i])) is the m×(d+1) basis matrix of Basis.Matrix. The
// problem is solved by a Householder QR factorisation of V (gonum mat.QR),
// not by the normal equations, whose condition number is cond(V)².
//
// The fit is determined only if the points include at least d+1 distinct
// values: Fit returns an error if d < 0, if len(x) != len(y), if x has fewer
// than d+1 distinct points, if x or y hold NaN or ±Inf, if a point lies
// outside dom, or if dom is invalid. If V is numerically rank deficient the
// computed series is returned together with an error wrapping mat.Condition.
// With exactly d+1 distinct points the fit is the interpolant of degree d.
func Fit(x, y []float64, d int, dom Domain) (Series, error) {
	if err := dom.Validate(); err != nil {
		return Series{}, err
	}
	if d < 0 {
		return Series{}, fmt.Errorf("cheb: degree d = %d out of range: need d >= 0", d)
	}
	if len(x) != len(y) {
		return Series{}, fmt.Errorf("cheb: len(x) = %d and len(y) = %d differ: need one value per point", len(x), len(y))
	}
	if err := checkPoints("x", x, dom); err != nil {
		return Series{}, err
	}
	if err := checkFinite("y", y); err != nil {
		return Series{}, err
	}
	if distinct := countDistinct(x); distinct < d+1 {
		return Series{}, fmt.Errorf("cheb: %d distinct points (of m = %d) for degree d = %d: need at least d+1 = %d distinct points", distinct, len(x), d, d+1)
	}
	v, err := Basis{Degree: d, Domain: dom}.Matrix(nil, x)
	if err != nil {
		return Series{}, err
	}
	var qr mat.QR
	qr.Factorize(v)
	var c mat.Dense
	err = qr.SolveTo(&c, false, mat.NewDense(len(y), 1, slices.Clone(y)))
	s := Series{Coeffs: mat.Col(nil, 0, &c), Domain: dom}
	var cond mat.Condition
	if errors.As(err, &cond) {
		return s, fmt.Errorf("cheb: least-squares fit of degree %d on %d points is ill-conditioned: %w", d, len(x), err)
	}
	return s, err
}

// countDistinct returns the number of distinct values in x.
func countDistinct(x []float64) int {
	if len(x) == 0 {
		return 0
	}
	s := slices.Clone(x)
	slices.Sort(s)
	n := 1
	for i := 1; i < len(s); i++ {
		if s[i] != s[i-1] {
			n++
		}
	}
	return n
}

// reuse returns dst if it has length n, a new slice if dst is nil, and
// panics otherwise.
func reuse(dst []float64, n int) []float64 {
	if dst == nil {
		return make([]float64, n)
	}
	if len(dst) != n {
		panic(fmt.Sprintf("cheb: len(dst) = %d, need %d", len(dst), n))
	}
	return dst
}
