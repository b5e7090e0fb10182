package cheb

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/integrate/quad"
)

// PointwiseError stores e(x[i]) = approx(x[i]) - target(x[i]) in dst and
// returns it; a nil dst is allocated. Method values such as s.Predict can
// be passed as approx. PointwiseError is an evaluation kernel: it panics if
// a function is nil or dst is non-nil with len(dst) != len(x).
func PointwiseError(dst, x []float64, approx, target func(float64) float64) []float64 {
	dst = reuse(dst, len(x))
	for i, v := range x {
		dst[i] = approx(v) - target(v)
	}
	return dst
}

// SupError returns max_i |approx(x[i]) - target(x[i])|, the sup-norm error
// on the evaluation grid x, and an x[i] where it is attained. A NaN error
// at any point makes the result NaN. It returns an error if x is empty or
// a function is nil.
func SupError(x []float64, approx, target func(float64) float64) (sup, at float64, err error) {
	if len(x) == 0 {
		return 0, 0, fmt.Errorf("cheb: len(x) = 0: need at least one evaluation point")
	}
	if approx == nil || target == nil {
		return 0, 0, fmt.Errorf("cheb: approx or target is nil: need two functions")
	}
	at = x[0]
	for _, v := range x {
		e := math.Abs(approx(v) - target(v))
		if math.IsNaN(e) {
			return math.NaN(), v, nil
		}
		if e > sup {
			sup, at = e, v
		}
	}
	return sup, at, nil
}

// L2Error returns ‖approx - target‖₂ = (∫_a^b (approx - target)² dx)^(1/2),
// by n-point Gauss-Legendre quadrature on dom (gonum integrate/quad), which
// is exact when the squared error is a polynomial of degree <= 2n-1. It
// returns an error if dom is invalid, n < 1 or a function is nil.
func L2Error(approx, target func(float64) float64, dom Domain, n int) (float64, error) {
	if err := dom.Validate(); err != nil {
		return 0, err
	}
	if err := checkN("quadrature nodes", "n", n, 1); err != nil {
		return 0, err
	}
	if approx == nil || target == nil {
		return 0, fmt.Errorf("cheb: approx or target is nil: need two functions")
	}
	a, b := dom.Bounds()
	sq := quad.Fixed(func(x float64) float64 {
		e := approx(x) - target(x)
		return e * e
	}, a, b, n, quad.Legendre{}, 0)
	return math.Sqrt(sq), nil
}

// MaxError returns an estimate of ‖approx - target‖_∞ on dom and a point
// where it is attained: |approx - target| is sampled at n equispaced points
// and every sampled local maximum is refined by golden-section search on
// its two neighbouring sub-intervals. The result is the true maximum when n
// is large enough to separate the local maxima of the error (for an
// interpolant of degree d, n of a few times d suffices) and is never below
// the sampled maximum. A NaN error makes the result NaN. It returns an error
// if dom is invalid, n < 2 or a function is nil.
func MaxError(approx, target func(float64) float64, dom Domain, n int) (sup, at float64, err error) {
	if err := dom.Validate(); err != nil {
		return 0, 0, err
	}
	if err := checkN("sample points", "n", n, 2); err != nil {
		return 0, 0, err
	}
	if approx == nil || target == nil {
		return 0, 0, fmt.Errorf("cheb: approx or target is nil: need two functions")
	}
	x, err := EquispacedPoints(nil, n, dom)
	if err != nil {
		return 0, 0, err
	}
	abs := func(v float64) float64 { return math.Abs(approx(v) - target(v)) }
	e := make([]float64, n)
	for i, v := range x {
		e[i] = abs(v)
		if math.IsNaN(e[i]) {
			return math.NaN(), v, nil
		}
		if e[i] > sup || i == 0 {
			sup, at = e[i], v
		}
	}
	a, b := dom.Bounds()
	for i := range x {
		if (i > 0 && e[i] < e[i-1]) || (i < n-1 && e[i] < e[i+1]) {
			continue
		}
		l, r := x[max(i-1, 0)], x[min(i+1, n-1)]
		if xm, v := goldenMax(abs, l, r, b-a); v > sup {
			sup, at = v, xm
		}
	}
	return sup, at, nil
}
