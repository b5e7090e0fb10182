package cheb

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/dsp/fourier"
	"gonum.org/v1/gonum/interp"
)

var (
	_ interp.Predictor           = (*Barycentric)(nil)
	_ interp.DerivativePredictor = (*Barycentric)(nil)
)

// Barycentric is the polynomial interpolant p of degree n-1 through n
// distinct points (x_j, y_j), in barycentric form (Berrut and Trefethen
// 2004). It is the same polynomial as the interpolant in the Chebyshev
// basis, whose coefficients Series returns. At a node, Predict returns the
// node's value exactly.
//
// On Chebyshev and Lobatto grids it is evaluated by the second ("true")
// barycentric formula (their eq. 4.2)
//
//	p(x) = Σ_j w_j y_j/(x - x_j) / Σ_j w_j/(x - x_j),
//
// with the closed-form weights of Weights; it is forward stable there because
// the Lebesgue constant is small (Higham 2004). On equispaced and arbitrary
// points the Lebesgue constant can be 1e15 or more, and the second formula's
// denominator loses that factor to cancellation; there the first (modified
// Lagrange) formula (their eq. 3.3)
//
//	p(x) = ℓ(x) Σ_j w_j y_j/(x - x_j),  ℓ(x) = Π_k (x - x_k),
//
// is used, which is backward stable for any points (Higham 2004): for
// Runge's function at 65 equispaced points it gives the exact maximum error
// 1.08e9, where the second formula reports 9.2e11. Its
// weights are the exact w_j = 1/Π_{k≠j}(x_j - x_k), in closed form for
// equispaced grids and by BarycentricWeights otherwise, carried with a
// separate binary exponent (and a scale 4/(b-a)) so that no product
// overflows.
//
// Create one with NewBarycentric (any distinct points), NewGridInterpolant
// (values on a grid) or Interpolate (a function on a grid).
//
// N. J. Higham, The numerical stability of barycentric Lagrange
// interpolation, IMA J. Numer. Anal. 24, 547-556, 2004.
type Barycentric struct {
	dom    Domain
	y      []float64
	eval   baryEval
	kind   GridKind
	onGrid bool // nodes are the kind's grid on dom
}

// baryEval evaluates barycentric formulas for fixed nodes. With second set
// it uses the second formula and w up to a common factor; otherwise the
// first, with the exact weights 1/Π_{k≠j} c(x_j - x_k) = w[j]·wfrac·2^wexp.
type baryEval struct {
	x, w   []float64
	second bool
	c      float64
	wfrac  float64
	wexp   int
}

// newFirstForm returns an evaluator of the first formula for distinct,
// finite nodes x, with scale c.
func newFirstForm(x []float64, c float64) baryEval {
	w, e := normalize(scaledWeights(x, c))
	return baryEval{x: x, w: w, c: c, wfrac: 1, wexp: e}
}

// newGridEval returns the evaluator for the n-point grid of kind on dom
// (not Random), with closed-form weights.
func newGridEval(kind GridKind, n int, dom Domain) (baryEval, error) {
	x, err := Grid(kind, n, dom, nil)
	if err != nil {
		return baryEval{}, err
	}
	w, err := Weights(nil, kind, n)
	if err != nil {
		return baryEval{}, err
	}
	e := baryEval{x: x, w: w, second: kind != Equispaced, c: 2 * dom.Scale(), wfrac: 1}
	if kind == Equispaced {
		e.wfrac, e.wexp = equispacedScale(n)
	}
	return e, nil
}

// node returns j with x_j == x, or -1.
func (e *baryEval) node(x float64) int {
	for j, xj := range e.x {
		if x == xj {
			return j
		}
	}
	return -1
}

// nodePoly returns ℓ_c(x) = Π_k c (x - x_k) as frac·2^exp, renormalising
// only when the running product leaves [2^-500, 2^500].
func (e *baryEval) nodePoly(x float64) (frac float64, exp int) {
	p := 1.0
	for _, xk := range e.x {
		p, exp = mulScaled(p, exp, e.c*(x-xk))
	}
	return p, exp
}

// mulScaled returns p·f as frac·2^exp, for a running product p·2^exp: f is
// split by math.Frexp only outside [2^-400, 2^400] and the product only
// outside [2^-500, 2^500], so that neither overflows nor underflows and
// the common case multiplies alone.
func mulScaled(p float64, exp int, f float64) (frac float64, e int) {
	if a := math.Abs(f); a < 0x1p-400 || a > 0x1p400 {
		var fe int
		f, fe = math.Frexp(f)
		exp += fe
	}
	p *= f
	if a := math.Abs(p); a < 0x1p-500 || a > 0x1p500 {
		var pe int
		p, pe = math.Frexp(p)
		exp += pe
	}
	return p, exp
}

// value returns p(x) for values y (len(y) == len(e.x)).
func (e *baryEval) value(y []float64, x float64) float64 {
	xs, w := e.x, e.w[:len(e.x)]
	y = y[:len(xs)]
	if e.second {
		var num, den float64
		for j, xj := range xs {
			d := x - xj
			if d == 0 {
				return y[j]
			}
			t := w[j] / d
			num += t * y[j]
			den += t
		}
		p := num / den
		if math.IsNaN(p) && !math.IsNaN(x) && !math.IsInf(x, 0) {
			// x is so close to a node that w_j/(x - x_j) overflowed.
			return y[nearest(xs, x)]
		}
		return p
	}
	// One pass for Σ w_j y_j/(c(x - x_j)) and ℓ_c(x) = Π c(x - x_k), the
	// product renormalised only when it leaves [2^-500, 2^500].
	var s float64
	lf, le := 1.0, 0
	for j, xj := range xs {
		f := e.c * (x - xj)
		if f == 0 {
			return y[j]
		}
		s += w[j] * y[j] / f
		lf, le = mulScaled(lf, le, f)
	}
	if math.IsInf(s, 0) || math.IsNaN(s) {
		if !math.IsNaN(x) && !math.IsInf(x, 0) {
			return y[nearest(xs, x)]
		}
		return math.NaN()
	}
	return math.Ldexp(s*lf*e.wfrac, le+e.wexp)
}

// row stores the Lagrange basis values ℓ_j(x) in dst (a unit row at a node),
// so that p(x) = Σ_j dst[j] y_j.
func (e *baryEval) row(dst []float64, x float64) {
	if j := e.node(x); j >= 0 {
		clear(dst)
		dst[j] = 1
		return
	}
	if e.second {
		var den float64
		for j, xj := range e.x {
			dst[j] = e.w[j] / (x - xj)
			den += dst[j]
		}
		if math.IsInf(den, 0) || math.IsNaN(den) {
			clear(dst)
			dst[nearest(e.x, x)] = 1
			return
		}
		for j := range dst {
			dst[j] /= den
		}
		return
	}
	lf, le := e.nodePoly(x)
	for j, xj := range e.x {
		dst[j] = math.Ldexp(lf*e.wfrac*e.w[j]/(e.c*(x-xj)), le+e.wexp)
	}
}

// derivative returns p'(x) for values y. At a node x_i it is the
// differentiation-matrix row Σ_{j≠i} (w_j/w_i)(y_j - y_i)/(x_i - x_j);
// elsewhere Σ_j w_j (p(x) - y_j)/(x - x_j)² divided by Σ_j w_j/(x - x_j)
// (second form) or multiplied by ℓ(x) (first form), the same quantity.
func (e *baryEval) derivative(y []float64, x float64) float64 {
	if i := e.node(x); i >= 0 {
		xi, wi, yi := e.x[i], e.w[i], y[i]
		var s float64
		for j, xj := range e.x {
			if j != i {
				s += e.w[j] / wi * (y[j] - yi) / (xi - xj)
			}
		}
		return s
	}
	p := e.value(y, x)
	var num, den float64
	for j, xj := range e.x {
		d := x - xj
		t := e.w[j] / d
		num += t * (p - y[j]) / d
		den += t
	}
	if e.second {
		return num / den
	}
	lf, le := e.nodePoly(x)
	return math.Ldexp(num/e.c*lf*e.wfrac, le+e.wexp)
}

// NewBarycentric returns the interpolant through (x[i], y[i]) on dom, with
// the exact weights of BarycentricWeights (O(n²) work) and the first
// barycentric formula. It returns an error if x is empty, len(x) != len(y),
// a value is NaN or ±Inf, a point lies outside dom, or dom is invalid, and
// a *RepeatedPointError if two points are equal. The inputs are copied.
func NewBarycentric(x, y []float64, dom Domain) (*Barycentric, error) {
	if err := dom.Validate(); err != nil {
		return nil, err
	}
	if len(x) == 0 {
		return nil, fmt.Errorf("cheb: len(x) = 0: need at least one point")
	}
	if len(x) != len(y) {
		return nil, fmt.Errorf("cheb: len(x) = %d and len(y) = %d differ: need one value per point", len(x), len(y))
	}
	if err := checkPoints("x", x, dom); err != nil {
		return nil, err
	}
	if err := checkFinite("y", y); err != nil {
		return nil, err
	}
	if err := checkDistinct(x); err != nil {
		return nil, err
	}
	return &Barycentric{dom: dom, y: slices.Clone(y), eval: newFirstForm(slices.Clone(x), 2*dom.Scale())}, nil
}

// NewGridInterpolant returns the interpolant of the values y at the
// len(y)-point grid of the given kind on dom (Equispaced, Chebyshev or
// Lobatto), with the closed-form weights of Weights. y[j] is the value at
// the j-th grid point in increasing order. For a Random grid draw the points
// with RandomPoints and use NewBarycentric.
func NewGridInterpolant(kind GridKind, y []float64, dom Domain) (*Barycentric, error) {
	if !kind.valid() || kind == Random {
		return nil, fmt.Errorf("cheb: grid kind %v has no closed-form weights: need Equispaced, Chebyshev or Lobatto (NewBarycentric for other points)", kind)
	}
	if len(y) == 0 {
		return nil, fmt.Errorf("cheb: len(y) = 0: need at least one value")
	}
	if err := checkFinite("y", y); err != nil {
		return nil, err
	}
	e, err := newGridEval(kind, len(y), dom)
	if err != nil {
		return nil, err
	}
	return &Barycentric{dom: dom, y: slices.Clone(y), eval: e, kind: kind, onGrid: true}, nil
}

// Interpolate returns the interpolant of f at the n-point grid of the given
// kind on dom (Equispaced, Chebyshev or Lobatto). It returns an error if f
// is nil or returns NaN or ±Inf at a grid point.
func Interpolate(kind GridKind, n int, dom Domain, f func(float64) float64) (*Barycentric, error) {
	if f == nil {
		return nil, fmt.Errorf("cheb: function f is nil: need a function to interpolate")
	}
	if kind == Random {
		return nil, fmt.Errorf("cheb: grid kind random needs points: use RandomPoints and NewBarycentric")
	}
	x, err := Grid(kind, n, dom, nil)
	if err != nil {
		return nil, err
	}
	y := make([]float64, n)
	for j, v := range x {
		y[j] = f(v)
	}
	return NewGridInterpolant(kind, y, dom)
}

// Len returns the number of nodes n; the degree is n-1.
func (b *Barycentric) Len() int { return len(b.eval.x) }

// Domain returns the interpolant's domain.
func (b *Barycentric) Domain() Domain { return b.dom }

// Nodes returns a copy of the nodes x_j.
func (b *Barycentric) Nodes() []float64 { return slices.Clone(b.eval.x) }

// Values returns a copy of the values y_j.
func (b *Barycentric) Values() []float64 { return slices.Clone(b.y) }

// Weights returns a copy of the barycentric weights w_j, up to a common
// factor.
func (b *Barycentric) Weights() []float64 { return slices.Clone(b.eval.w) }

// Predict returns p(x); at a node it returns the node's value. It
// implements interp.Predictor.
func (b *Barycentric) Predict(x float64) float64 { return b.eval.value(b.y, x) }

// PredictDerivative returns p'(x). Away from the nodes it is
// (Berrut and Trefethen 2004, §9; Schneider and Werner 1986)
//
//	p'(x) = Σ_j w_j (p(x) - y_j)/(x - x_j)² / Σ_j w_j/(x - x_j),
//
// where the first formula's evaluation replaces the division by
// multiplication with ℓ(x) = 1/Σ_j w_j/(x - x_j), avoiding its cancellation,
// and at a node x_i the differentiation-matrix row
// p'(x_i) = Σ_{j≠i} (w_j/w_i)(y_j - y_i)/(x_i - x_j). Within a relative
// distance δ of a node (but not on it) the off-node formula loses about
// ε/δ, relative, to cancellation in p(x) - y_j. It implements interp.DerivativePredictor.
func (b *Barycentric) PredictDerivative(x float64) float64 { return b.eval.derivative(b.y, x) }

// Series returns the interpolant's coefficients in the Chebyshev basis of
// its domain, as a Series of degree n-1. On Lobatto grids they come from a
// DCT-I of the values (gonum dsp/fourier.DCT), on Chebyshev grids from a
// quarter-wave cosine transform (fourier.QuarterWaveFFT.CosSequence), both
// O(n log n) and stable (ATAP ch. 3; Chebfun's vals2coeffs). For other
// points it solves the square system V c = y by QR (Fit with d = n-1); its
// condition grows exponentially on equispaced points, and an error wrapping
// mat.Condition is returned with the series when it is numerically
// singular.
func (b *Barycentric) Series() (Series, error) {
	n := len(b.eval.x)
	if b.onGrid && n > 1 {
		switch b.kind {
		case Lobatto:
			// The DCT wants values at cos(jπ/(n-1)), j = 0..n-1: decreasing.
			v := slices.Clone(b.y)
			slices.Reverse(v)
			c := fourier.NewDCT(n).Transform(nil, v)
			for k := range c {
				c[k] /= float64(n - 1)
			}
			c[0] /= 2
			c[n-1] /= 2
			return Series{Coeffs: c, Domain: b.dom}, nil
		case Chebyshev:
			// Values at cos((2j+1)π/(2n)), j = 0..n-1: decreasing.
			v := slices.Clone(b.y)
			slices.Reverse(v)
			c := fourier.NewQuarterWaveFFT(n).CosSequence(nil, v)
			c[0] /= 4 * float64(n)
			for k := 1; k < n; k++ {
				c[k] /= 2 * float64(n)
			}
			return Series{Coeffs: c, Domain: b.dom}, nil
		}
	}
	return Fit(b.eval.x, b.y, n-1, b.dom)
}

// nearest returns the index of the node closest to x.
func nearest(xs []float64, x float64) int {
	best, dist := 0, math.Inf(1)
	for j, xj := range xs {
		if d := math.Abs(x - xj); d < dist {
			best, dist = j, d
		}
	}
	return best
}
