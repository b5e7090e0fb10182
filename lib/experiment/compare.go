package experiment

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Medians returns grid's curve: the numbers of points m and the median
// sup-norm errors over the draws, in the order of Ms, as float64s ready to
// plot. Both are empty when r has no curve for grid.
func (r SampleComplexityResult) Medians(grid string) (m, median []float64) {
	return r.column(grid, func(p CurvePoint) float64 { return p.Median })
}

// TrainMedians returns the numbers of points m and the median errors at the
// training points (CurvePoint.TrainMedian) of grid, as Medians does.
func (r SampleComplexityResult) TrainMedians(grid string) (m, train []float64) {
	return r.column(grid, func(p CurvePoint) float64 { return p.TrainMedian })
}

func (r SampleComplexityResult) column(grid string, value func(CurvePoint) float64) (m, v []float64) {
	for _, p := range r.Curve {
		if p.Grid == grid {
			m, v = append(m, float64(p.M)), append(v, value(p))
		}
	}
	return m, v
}

// Ranked returns the curve points of every grid at m, lowest median sup-norm
// error first; grids with equal medians keep their order.
func (r SampleComplexityResult) Ranked(m int) []CurvePoint {
	var pts []CurvePoint
	for _, p := range r.Curve {
		if p.M == m {
			pts = append(pts, p)
		}
	}
	slices.SortStableFunc(pts, func(a, b CurvePoint) int {
		switch {
		case a.Median < b.Median:
			return -1
		case a.Median > b.Median:
			return 1
		}
		return 0
	})
	return pts
}

// Comparison is grid A's median sup-norm error at one m against those of
// other grids, with the paired counts behind it (Wins).
type Comparison struct {
	A      CurvePoint
	Others []CurvePoint
	// Wins[i] is the number of draws in which A's error is below
	// Others[i]'s, of Draws.
	Wins  []int
	Draws int
}

// Compare compares grid a at m with each grid of others. It returns an
// error when a grid has no curve point at m.
func (r SampleComplexityResult) Compare(a string, others []string, m int) (Comparison, error) {
	pa, ok := r.Point(a, m)
	if !ok {
		return Comparison{}, fmt.Errorf("experiment: no curve point for grid %q at m = %d", a, m)
	}
	c := Comparison{A: pa}
	for _, b := range others {
		w, n, err := r.Wins(a, b, m)
		if err != nil {
			return Comparison{}, err
		}
		pb, _ := r.Point(b, m)
		c.Others, c.Wins, c.Draws = append(c.Others, pb), append(c.Wins, w), n
	}
	return c, nil
}

// Beats reports whether A's median error is below every other grid's.
func (c Comparison) Beats() bool {
	return !slices.ContainsFunc(c.Others, func(b CurvePoint) bool { return !(c.A.Median < b.Median) })
}

// RunnerUp returns the other grid with the lowest median error, the first
// of equal ones: the next best grid when A beats them all. It returns the
// zero CurvePoint when there is no other grid.
func (c Comparison) RunnerUp() CurvePoint {
	var best CurvePoint
	for i, b := range c.Others {
		if i == 0 || b.Median < best.Median {
			best = b
		}
	}
	return best
}

// String gives the comparison in words: "yes" or "no" (Beats), then each
// median error, its ratio to A's and the paired count.
func (c Comparison) String() string {
	word := "no"
	if c.Beats() {
		word = "yes"
	}
	parts := make([]string, len(c.Others))
	for i, b := range c.Others {
		parts[i] = fmt.Sprintf("%s %.2g (ratio %s/%s = %.3g; %s lower in %d of %d draws)",
			b.Grid, b.Median, b.Grid, c.A.Grid, b.Median/c.A.Median, c.A.Grid, c.Wins[i], c.Draws)
	}
	return fmt.Sprintf("%s: median sup error at m = %d: %s %.2g; %s", word, c.A.M, c.A.Grid, c.A.Median, strings.Join(parts, "; "))
}

// Summary says in two lines how the grids rank at m, with each median error
// and its factor over the best, and m(ε) of every grid for each ε.
func (r SampleComplexityResult) Summary(m int) string {
	ranked := r.Ranked(m)
	if len(ranked) == 0 {
		return fmt.Sprintf("no grid has a curve point at m = %d", m)
	}
	parts := make([]string, len(ranked))
	for i, p := range ranked {
		parts[i] = fmt.Sprintf("%s %.2g (x%.3g)", p.Grid, p.Median, p.Median/ranked[0].Median)
	}
	var eps []string
	for _, e := range unique(r.Samples, func(s SampleCount) float64 { return s.Epsilon }) {
		var ms []string
		for _, g := range unique(r.Samples, func(s SampleCount) string { return s.Grid }) {
			s, _ := r.Count(g, e)
			ms = append(ms, g+" "+s.String())
		}
		eps = append(eps, fmt.Sprintf("m(%g): %s", e, strings.Join(ms, ", ")))
	}
	return fmt.Sprintf("at m = %d the best grid is %s; median sup errors %s.\n    %s",
		m, ranked[0].Grid, strings.Join(parts, ", "), strings.Join(eps, "; "))
}

// unique returns the distinct keys of rows in the order they first appear.
func unique[K comparable](rows []SampleCount, key func(SampleCount) K) []K {
	var out []K
	for _, s := range rows {
		if k := key(s); !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}

// Floor is a rule's error at the largest m of a result, over the grids. When
// the median sup-norm error is close to the median error at the training
// points, the fit, not the grid, limits the error.
type Floor struct {
	M int
	// SupLo and SupHi are the smallest and largest median sup-norm error.
	SupLo, SupHi float64
	// TrainLo and TrainHi are the smallest and largest median error at the
	// training points.
	TrainLo, TrainHi float64
}

// Floor returns the rule's error at the largest m of r, over the grids.
func (r SampleComplexityResult) Floor() Floor {
	if len(r.Curve) == 0 {
		return Floor{SupLo: math.NaN(), SupHi: math.NaN(), TrainLo: math.NaN(), TrainHi: math.NaN()}
	}
	f := Floor{M: r.Curve[len(r.Curve)-1].M, SupLo: math.Inf(1), TrainLo: math.Inf(1)}
	for _, p := range r.Curve {
		if p.M == f.M {
			f.SupLo, f.SupHi = min(f.SupLo, p.Median), max(f.SupHi, p.Median)
			f.TrainLo, f.TrainHi = min(f.TrainLo, p.TrainMedian), max(f.TrainHi, p.TrainMedian)
		}
	}
	return f
}

// SmallestReached returns the smallest ε that some grid reaches, and false
// when no grid reaches any.
func (r SampleComplexityResult) SmallestReached() (eps float64, ok bool) {
	for _, s := range r.Samples {
		if s.Reached && (!ok || s.Epsilon < eps) {
			eps, ok = s.Epsilon, true
		}
	}
	return eps, ok
}

// String returns m(ε) as a number, or "never" when ε is not reached.
func (s SampleCount) String() string {
	if !s.Reached {
		return "never"
	}
	return strconv.Itoa(s.Samples)
}
