package figure

import (
	"fmt"
	"math"
)

// Eval returns f(x) for each x of xs: the y values of f drawn through xs by
// Line.
func Eval(f func(float64) float64, xs []float64) []float64 {
	ys := make([]float64, len(xs))
	for i, x := range xs {
		ys[i] = f(x)
	}
	return ys
}

// AtLeast returns a copy of v with every value below lo raised to lo, for a
// logarithmic axis (LogY), which takes positive values only: an error that
// is exactly zero at a training point is drawn at lo instead of dropped.
func AtLeast(v []float64, lo float64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = max(x, lo)
	}
	return out
}

// Log10 returns log₁₀ max(v_i, lo) for each value of v: errors drawn on a
// linear axis of decimal exponents, floored at lo (for instance 1e-16, the
// rounding level of float64), where an exact zero would give −Inf.
func Log10(v []float64, lo float64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = math.Log10(math.Max(x, lo))
	}
	return out
}

// Options returns fmt.Sprint of each value, in order: the Options of a menu
// Control whose index picks values[i] in Explorer.Draw.
func Options[T any](values []T) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = fmt.Sprint(v)
	}
	return out
}
