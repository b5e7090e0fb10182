package cheb

import (
	"fmt"
	"math"
	"slices"
)

// RepeatedPointError reports two equal points where distinct points are
// needed: X[I] == X[J] == Value with I < J.
type RepeatedPointError struct {
	I, J  int
	Value float64
}

// Error names the two indices and the repeated value.
func (e *RepeatedPointError) Error() string {
	return fmt.Sprintf("cheb: points x[%d] and x[%d] are both %g: interpolation needs distinct points (use Fit for repeated points)", e.I, e.J, e.Value)
}

// checkDistinct returns a *RepeatedPointError if two entries of x are equal.
func checkDistinct(x []float64) error {
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(i, j int) int {
		if x[i] != x[j] {
			if x[i] < x[j] {
				return -1
			}
			return 1
		}
		return i - j
	})
	for k := 1; k < len(idx); k++ {
		if i, j := idx[k-1], idx[k]; x[i] == x[j] {
			return &RepeatedPointError{I: min(i, j), J: max(i, j), Value: x[i]}
		}
	}
	return nil
}

// Weights stores in dst the barycentric weights of the n-point grid of the
// given kind (points in increasing order, as the grid functions return
// them) and returns dst. The closed forms, up to a common factor that
// cancels in the barycentric formula (Berrut and Trefethen 2004, §5), are
//
//	Chebyshev:  w_j = (-1)^j sin((2j+1)π/(2n)),
//	Lobatto:    w_j = (-1)^j δ_j, δ_0 = δ_{n-1} = 1/2, otherwise δ_j = 1,
//	Equispaced: w_j = (-1)^j C(n-1, j) / C(n-1, ⌊(n-1)/2⌋),
//
// all independent of the domain. They are computed for j <= (n-1)/2 and
// mirrored, so |w_j| = |w_{n-1-j}| exactly. Random grids have no closed
// form: use BarycentricWeights. For Equispaced and n > about 1030 the
// smallest weights underflow to 0.
func Weights(dst []float64, kind GridKind, n int) ([]float64, error) {
	if err := checkN("number of points", "n", n, 1); err != nil {
		return nil, err
	}
	if dst != nil && len(dst) != n {
		return nil, fmt.Errorf("cheb: len(dst) = %d: need n = %d (or nil)", len(dst), n)
	}
	if !kind.valid() || kind == Random {
		return nil, fmt.Errorf("cheb: grid kind %v has no closed-form weights: need Equispaced, Chebyshev or Lobatto (BarycentricWeights for other points)", kind)
	}
	dst = reuse(dst, n)
	half := (n - 1) / 2
	switch kind {
	case Chebyshev:
		for j := 0; j <= half; j++ {
			dst[j] = math.Sin(math.Pi * float64(2*j+1) / float64(2*n))
		}
	case Lobatto:
		for j := 0; j <= half; j++ {
			dst[j] = 1
		}
		if n > 1 {
			dst[0] = 0.5
		}
	case Equispaced:
		// C(N, j)/C(N, half) built downwards from the middle, where it is 1,
		// by C(N, j-1) = C(N, j) j/(N-j+1): no overflow for any N.
		nn := n - 1
		dst[half] = 1
		for j := half; j >= 1; j-- {
			dst[j-1] = dst[j] * float64(j) / float64(nn-j+1)
		}
	}
	for j := 0; j <= half; j++ {
		dst[n-1-j] = dst[j]
	}
	for j := 1; j < n; j += 2 {
		dst[j] = -dst[j]
	}
	return dst, nil
}

// scaledWeights returns, for distinct points x and a scale c > 0, the
// weights
//
//	w_j = 1 / Π_{k≠j} c (x_j - x_k)
//
// as w_j = frac[j] · 2^exp[j] with 0.5 <= |frac[j]| < 1. With c = 4/(b-a)
// the interval [a, b] has logarithmic capacity 1, which keeps the products
// near 1 for well-spread points, and the separate exponent removes overflow
// and underflow for any n. The same c enters the node polynomial
// ℓ(x) = Π c (x - x_k) of the first barycentric formula.
func scaledWeights(x []float64, c float64) (frac []float64, exp []int) {
	n := len(x)
	frac = make([]float64, n)
	exp = make([]int, n)
	for j, xj := range x {
		p, e := 1.0, 0
		for k, xk := range x {
			if k == j {
				continue
			}
			var pe int
			p, pe = math.Frexp(p * c * (xj - xk))
			e += pe
		}
		f, fe := math.Frexp(1 / p)
		frac[j], exp[j] = f, fe-e
	}
	return frac, exp
}

// hullScale returns 4/(max x - min x), or 1 for a single point.
func hullScale(x []float64) float64 {
	lo, hi := slices.Min(x), slices.Max(x)
	if hi > lo {
		return 4 / (hi - lo)
	}
	return 1
}

// normalize returns w_j = frac[j] 2^(exp[j]-E) and E = max exp, so that the
// largest |w_j| lies in [1/2, 1) and the true weights are w_j 2^E.
func normalize(frac []float64, exp []int) (w []float64, e int) {
	e = slices.Max(exp)
	w = make([]float64, len(frac))
	for j := range w {
		w[j] = math.Ldexp(frac[j], exp[j]-e)
	}
	return w, e
}

// equispacedScale returns G = frac·2^exp such that the weights
// 1/Π_{k≠j} c (x_j - x_k) of n equispaced points on [a, b], with
// c = 4/(b-a), are G times the normalised closed-form Weights. With
// N = n-1, h = (b-a)/N and ch = 4/N,
//
//	1/Π_{k≠j} c(x_j - x_k) = (-1)^(N-j) C(N, j) (N/4)^N / N!,
//
// and Weights holds (-1)^j C(N, j)/C(N, ⌊N/2⌋), so
// G = (-1)^N (N/4)^N / (⌊N/2⌋! ⌈N/2⌉!).
func equispacedScale(n int) (frac float64, exp int) {
	nn := n - 1
	q := float64(nn) / 4
	g, e := 1.0, 0
	for _, m := range [2]int{nn / 2, nn - nn/2} {
		for i := 1; i <= m; i++ {
			var ge int
			g, ge = math.Frexp(g * q / float64(i))
			e += ge
		}
	}
	if nn%2 == 1 {
		g = -g
	}
	return g, e
}

// BarycentricWeights stores in dst the barycentric weights of distinct
// points x (any order) and returns dst:
//
//	w_j = 1 / Π_{k≠j} (x_j - x_k),
//
// scaled by a common power of 2 so that the largest |w_j| lies in [1/2, 1)
// (Berrut and Trefethen 2004, eq. 3.2). The O(n²) products are accumulated with separate binary
// exponents, so they neither overflow nor underflow; weights smaller than
// 2^-1074 times the largest become 0. It returns an error if x is empty,
// holds NaN or ±Inf, or has two equal points.
func BarycentricWeights(dst, x []float64) ([]float64, error) {
	// The checks read like LebesgueFunction's, each in its own words and
	// order of arguments; they already share checkFinite and checkDistinct.
	if len(x) == 0 {
		return nil, fmt.Errorf("cheb: len(x) = 0: need at least one point")
	}
	if dst != nil && len(dst) != len(x) {
		return nil, fmt.Errorf("cheb: len(dst) = %d: need len(x) = %d (or nil)", len(dst), len(x))
	}
	if err := checkFinite("x", x); err != nil {
		return nil, err
	}
	if err := checkDistinct(x); err != nil {
		return nil, err
	}
	w, _ := normalize(scaledWeights(x, hullScale(x)))
	dst = reuse(dst, len(x))
	copy(dst, w)
	return dst, nil
}
