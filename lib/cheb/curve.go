package cheb

import (
	"fmt"
	"math"
	"slices"
)

// InterpolationCurve is the interpolant p_n of a target f through the n
// points of a grid, sampled at evaluation points: fig2's picture of
// pointwise convergence. P − F is the pointwise error e(x) = p_n(x) − f(x),
// zero at the nodes; its maximum over a region is the sup-norm error there,
// and p_n converges to f uniformly on a region when that maximum tends to 0
// as n grows.
type InterpolationCurve struct {
	Grid GridKind
	N    int // number of nodes; p_n has degree N-1
	// X are the evaluation points, F = f(X), P = p_n(X) and
	// AbsError = |P − F|, point by point.
	X, F, P, AbsError []float64
}

// NewInterpolationCurve interpolates f at the n points of kind on dom
// (Interpolate: kind must not be Random) and samples p_n, f and |p_n − f|
// at the points x (copied). It returns an error naming the bad argument.
func NewInterpolationCurve(kind GridKind, n int, dom Domain, f func(float64) float64, x []float64) (InterpolationCurve, error) {
	p, err := Interpolate(kind, n, dom, f)
	if err != nil {
		return InterpolationCurve{}, err
	}
	c := InterpolationCurve{Grid: kind, N: n, X: slices.Clone(x),
		F: make([]float64, len(x)), P: make([]float64, len(x)), AbsError: make([]float64, len(x))}
	for i, v := range x {
		c.F[i], c.P[i] = f(v), p.Predict(v)
		c.AbsError[i] = math.Abs(c.P[i] - c.F[i])
	}
	return c, nil
}

// SupError returns max |p_n(x) − f(x)| over the evaluation points x that
// lie in the region r (the zero Domain is [-1, 1]), as SupError does on
// them: NaN when the error is NaN at one of them. It returns an error when r
// is invalid or holds no evaluation point.
func (c InterpolationCurve) SupError(r Domain) (float64, error) {
	if err := r.Validate(); err != nil {
		return math.NaN(), err
	}
	a, b := r.Bounds()
	sup, seen := 0.0, false
	for i, x := range c.X {
		if x < a || x > b {
			continue
		}
		e := c.AbsError[i]
		if math.IsNaN(e) {
			return math.NaN(), nil
		}
		sup, seen = max(sup, e), true
	}
	if !seen {
		return math.NaN(), fmt.Errorf("cheb: region [%g, %g] holds none of the %d evaluation points", a, b, len(c.X))
	}
	return sup, nil
}
