package cheb

import (
	"fmt"
	"math"
	"slices"

	"pointwise/lib/internal/numeric"
)

// lebesgue evaluates the Lebesgue function of distinct nodes x, using the
// first (modified Lagrange) form, in which every term is positive:
//
//	λ(t) = Σ_j |ℓ_j(t)| = |ℓ(t)| Σ_j |w_j| / (c |t - x_j|),  ℓ(t) = Π_k c (t - x_k),
//
// so λ is accurate to O(n ε) relative even when it is 1e12; the second
// barycentric form would lose a factor λ to cancellation.
type lebesgue struct {
	x    []float64
	frac []float64 // |w_j| = frac[j] 2^exp[j]
	exp  []int
	c    float64
}

func newLebesgue(x []float64, c float64) *lebesgue {
	frac, exp := scaledWeights(x, c)
	for j := range frac {
		frac[j] = math.Abs(frac[j])
	}
	return &lebesgue{x: x, frac: frac, exp: exp, c: c}
}

func (l *lebesgue) at(t float64) float64 {
	p, e := 1.0, 0
	for _, xk := range l.x {
		d := t - xk
		if d == 0 {
			return 1
		}
		var pe int
		p, pe = math.Frexp(p * l.c * d)
		e += pe
	}
	p = math.Abs(p)
	var sum float64
	for j, xj := range l.x {
		sum += math.Ldexp(p*l.frac[j]/(l.c*math.Abs(t-xj)), e+l.exp[j])
	}
	return sum
}

// LebesgueFunction stores in dst[i] the Lebesgue function of the nodes at
// x[i],
//
//	λ(x) = Σ_j |ℓ_j(x)|,  ℓ_j the Lagrange basis polynomials of the nodes,
//
// and returns dst; a nil dst is allocated. λ = 1 at the nodes, and
// ‖p - f‖_∞ <= (1 + max λ) ‖p* - f‖_∞ for the interpolant p and the best
// approximation p* (ATAP ch. 15). It returns an error if nodes is empty,
// holds NaN or ±Inf or two equal points, if x holds NaN, or if dst is
// non-nil with len(dst) != len(x).
func LebesgueFunction(dst, x, nodes []float64) ([]float64, error) {
	if len(nodes) == 0 {
		return nil, fmt.Errorf("cheb: len(nodes) = 0: need at least one node")
	}
	if dst != nil && len(dst) != len(x) {
		return nil, fmt.Errorf("cheb: len(dst) = %d: need len(x) = %d (or nil)", len(dst), len(x))
	}
	if err := checkFinite("nodes", nodes); err != nil {
		return nil, err
	}
	if err := checkDistinct(nodes); err != nil {
		return nil, err
	}
	for i, v := range x {
		if math.IsNaN(v) {
			return nil, fmt.Errorf("cheb: x[%d] is NaN: need numbers", i)
		}
	}
	l := newLebesgue(nodes, hullScale(nodes))
	dst = reuse(dst, len(x))
	for i, v := range x {
		dst[i] = l.at(v)
	}
	return dst, nil
}

// LebesgueConstant returns the Lebesgue constant Λ = max_{x∈dom} λ(x) of the
// nodes and a point where it is attained. The maximum is searched in each
// gap between consecutive nodes (and between the end nodes and a, b): λ is
// sampled at 32 points of the gap and the best sample is refined by
// golden-section search on its two neighbouring sub-intervals, until the
// bracket is 1e-12 of the gap. This finds the maximum whenever λ
// has one local maximum per gap, as it does for the Chebyshev, Lobatto and
// equispaced grids; for irregular node sets it is a dense-grid estimate.
// Reference values: the tests' table, computed in 30-50 digit arithmetic;
// Rivlin's closed form for Chebyshev points of the first kind, attained at
// ±1.
//
// It returns an error if dom is invalid, nodes is empty, holds NaN, ±Inf,
// two equal points or a point outside dom.
func LebesgueConstant(nodes []float64, dom Domain) (lambda, argmax float64, err error) {
	if err := dom.Validate(); err != nil {
		return 0, 0, err
	}
	if len(nodes) == 0 {
		return 0, 0, fmt.Errorf("cheb: len(nodes) = 0: need at least one node")
	}
	if err := checkPoints("nodes", nodes, dom); err != nil {
		return 0, 0, err
	}
	if err := checkDistinct(nodes); err != nil {
		return 0, 0, err
	}
	a, b := dom.Bounds()
	x := slices.Clone(nodes)
	slices.Sort(x)
	l := newLebesgue(x, dom.Scale()*2)
	if len(x) == 1 {
		return 1, a, nil
	}
	edges := make([]float64, 0, len(x)+2)
	if a < x[0] {
		edges = append(edges, a)
	}
	edges = append(edges, x...)
	if x[len(x)-1] < b {
		edges = append(edges, b)
	}
	lambda, argmax = 1, x[0]
	for i := 1; i < len(edges); i++ {
		if v, at := maxOnGap(l.at, edges[i-1], edges[i]); v > lambda {
			lambda, argmax = v, at
		}
	}
	return lambda, argmax, nil
}

// maxOnGap returns the maximum of f on [lo, hi] and its location: 32-point
// sampling, then golden-section refinement around the best sample.
func maxOnGap(f func(float64) float64, lo, hi float64) (fmax, xmax float64) {
	const samples = 32
	h := (hi - lo) / samples
	best := 0
	fmax, xmax = math.Inf(-1), lo
	for i := 0; i <= samples; i++ {
		t := lo + float64(i)*h
		if i == samples {
			t = hi
		}
		if v := f(t); v > fmax {
			fmax, xmax, best = v, t, i
		}
	}
	l := lo + float64(max(best-1, 0))*h
	r := min(lo+float64(min(best+1, samples))*h, hi)
	if x, v := goldenMax(f, l, r, hi-lo); v > fmax {
		fmax, xmax = v, x
	}
	return fmax, xmax
}

// goldenMax maximises f on [l, r] by golden-section search until the
// bracket is 1e-12 of scale, and returns the better of the two final
// probes. A quadratic maximum is then located to 1e-12 and its value is
// exact to rounding; the cap of 200 steps guards against a bracket that can
// no longer shrink in floating point.
func goldenMax(f func(float64) float64, l, r, scale float64) (xmax, fmax float64) {
	return numeric.GoldenMax(f, l, r, 1e-12*scale, 200)
}
