package objective

import (
	"math"
	"slices"
)

// SetDistance returns the largest distance between the i-th smallest points
// of two sets of training points of one size, max_i |a_(i) − b_(i)|: how far
// one set is from another, such as the hard points from the
// Chebyshev–Lobatto grid. For sets of one size it is the ∞-Wasserstein
// distance between them as uniform distributions (the sorted matching is
// optimal in one dimension), so it is a metric on multisets: symmetric, zero
// only for the same points, and it obeys the triangle inequality. It is
// +Inf when the sizes differ and NaN when a point is NaN. The inputs are not
// modified.
func SetDistance(a, b []float64) float64 {
	if len(a) != len(b) {
		return math.Inf(1)
	}
	a, b = slices.Sorted(slices.Values(a)), slices.Sorted(slices.Values(b))
	var d float64
	for i := range a {
		d = math.Max(d, math.Abs(a[i]-b[i]))
	}
	return d
}

// MinGap returns the smallest distance between neighbouring points of x once
// sorted, 0 when a point is repeated: a set whose points coalesce, as eq. 1's
// literal minimiser does (Literal), has a gap near 0. It is +Inf for fewer
// than two points. x is not modified.
func MinGap(x []float64) float64 {
	x, gap := slices.Sorted(slices.Values(x)), math.Inf(1)
	for i := 1; i < len(x); i++ {
		gap = math.Min(gap, x[i]-x[i-1])
	}
	return gap
}
