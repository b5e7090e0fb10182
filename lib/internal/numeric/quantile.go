package numeric

import "math"

// Quantile returns the p-quantile, 0 ≤ p ≤ 1, of the values x sorted in
// increasing order, interpolating linearly between order statistics at the
// zero-based position h = (n−1)p,
//
//	Q(p) = x_⌊h⌋ + (h − ⌊h⌋)(x_⌊h⌋+1 − x_⌊h⌋),
//
// Hyndman and Fan's (1996) type 7, the default of R and NumPy; Q(p) = x_h
// exactly when h is whole, even if the next value is infinite. (gonum's
// stat.Quantile with stat.LinInterp is type 4, at position np, which gives
// another median: x_{n/2} rather than the mean of the middle two.) It panics
// if x is empty.
//
// R. J. Hyndman and Y. Fan, Sample quantiles in statistical packages, The
// American Statistician 50(4), 361-365, 1996.
func Quantile(p float64, x []float64) float64 {
	if len(x) == 0 {
		panic("numeric: Quantile of no values")
	}
	h := float64(len(x)-1) * p
	lo := int(math.Floor(h))
	if lo >= len(x)-1 {
		return x[len(x)-1]
	}
	f := h - float64(lo)
	if f == 0 {
		return x[lo]
	}
	return x[lo] + f*(x[lo+1]-x[lo])
}

// SupNorm returns the sup norm max_i |x_i| of x, 0 for an empty x, and +Inf
// if any x_i is NaN: a fit whose error is NaN at a point has failed there,
// and counts as infinitely far off (sorted last, not first, among errors).
func SupNorm(x []float64) float64 {
	var s float64
	for _, v := range x {
		a := math.Abs(v)
		if math.IsNaN(a) {
			return math.Inf(1)
		}
		s = max(s, a)
	}
	return s
}
