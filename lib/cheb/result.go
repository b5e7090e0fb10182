package cheb

import (
	"math"
	"slices"
	"strconv"
)

// Medians returns grid g's curve: the numbers of points m and the median
// sup-norm errors over the draws, in increasing m, as float64s ready to
// plot. Both are empty when r has no curve for g.
func (r SampleComplexityResult) Medians(g GridKind) (m, median []float64) {
	for _, p := range r.Curve {
		if p.Grid == g {
			m, median = append(m, float64(p.M)), append(median, p.Median)
		}
	}
	return m, median
}

// Count returns m(ε) of grid g, and whether r has a row for it.
func (r SampleComplexityResult) Count(g GridKind, eps float64) (SampleCount, bool) {
	i := slices.IndexFunc(r.Samples, func(s SampleCount) bool { return s.Grid == g && s.Epsilon == eps })
	if i < 0 {
		return SampleCount{}, false
	}
	return r.Samples[i], true
}

// Reached returns the target errors ε that grid g reaches within MaxPoints
// and m(ε) for each, in the order of Epsilons, as float64s ready to plot.
func (r SampleComplexityResult) Reached(g GridKind) (eps, m []float64) {
	for _, s := range r.Samples {
		if s.Grid == g && s.Reached {
			eps, m = append(eps, s.Epsilon), append(m, float64(s.Samples))
		}
	}
	return eps, m
}

// Growth returns grid g's median error at the largest m divided by its
// smallest median over m: 1 when more points never made the error worse
// than its best, and above 1 by the factor it rose after its best, the
// mark of a grid on which the rule does not converge uniformly. It is NaN
// when r has no curve for g.
func (r SampleComplexityResult) Growth(g GridKind) float64 {
	_, med := r.Medians(g)
	if len(med) == 0 {
		return math.NaN()
	}
	return med[len(med)-1] / slices.Min(med)
}

// String returns m(ε) as a number, or "never" when ε is not reached.
func (s SampleCount) String() string {
	if !s.Reached {
		return "never"
	}
	return strconv.Itoa(s.Samples)
}
