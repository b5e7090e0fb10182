package numeric

import (
	"math"
	"testing"
)

// TestQuantile checks Hyndman and Fan's type 7 by hand: h = (n−1)p and
// Q = x_⌊h⌋ + (h − ⌊h⌋)(x_⌊h⌋+1 − x_⌊h⌋); the median of an even sample is
// the midpoint of the middle two.
func TestQuantile(t *testing.T) {
	inf := math.Inf(1)
	for _, tc := range []struct {
		x    []float64
		p    float64
		want float64
	}{
		{[]float64{1, 2, 3, 4}, 0.5, 2.5},
		{[]float64{1, 2, 3, 4, 5}, 0.5, 3},
		{[]float64{0, 10}, 0.1, 1},
		{[]float64{0, 10}, 1, 10},
		{[]float64{7}, 0.9, 7},
		{[]float64{1, 1, 3, 4, 5}, 0, 1},
		{[]float64{1, 1, 3, 4, 5}, 0.1, 1},
		{[]float64{1, 1, 3, 4, 5}, 0.9, 4.6},
		{[]float64{1, 1, 3, 4, 5}, 1, 5},
		// A whole position takes its order statistic, even beside +Inf (a
		// diverged fit's error).
		{[]float64{1, 2, inf}, 0.5, 2},
		{[]float64{1, 2, inf}, 0.75, inf},
	} {
		if got := Quantile(tc.p, tc.x); math.Abs(got-tc.want) > 1e-15 && got != tc.want {
			t.Errorf("Quantile(%g, %v) = %v, want %v", tc.p, tc.x, got, tc.want)
		}
	}
}

func TestSupNorm(t *testing.T) {
	inf, nan := math.Inf(1), math.NaN()
	for _, tc := range []struct {
		x    []float64
		want float64
	}{
		{nil, 0},
		{[]float64{-3, 2}, 3},
		{[]float64{1, -inf}, inf},
		{[]float64{1, nan, 2}, inf},
	} {
		if got := SupNorm(tc.x); got != tc.want {
			t.Errorf("SupNorm(%v) = %v, want %v", tc.x, got, tc.want)
		}
	}
}
