package cheb

import (
	"math"
	"slices"
	"testing"
)

func TestSampleComplexityResultAccessors(t *testing.T) {
	// Equispaced: the median falls to 0.1 then rises to 10, so it grows
	// 100-fold from its best and reaches ε = 0.5 at m = 2 only; Chebyshev
	// falls geometrically, so it never grows and reaches both ε.
	r := SampleComplexityResult{
		Curve: []CurvePoint{
			{Grid: Equispaced, M: 1, Median: 1}, {Grid: Equispaced, M: 2, Median: 0.1}, {Grid: Equispaced, M: 3, Median: 10},
			{Grid: Chebyshev, M: 1, Median: 1}, {Grid: Chebyshev, M: 2, Median: 0.1}, {Grid: Chebyshev, M: 3, Median: 0.01},
		},
		Samples: []SampleCount{
			{Grid: Equispaced, Epsilon: 0.5, Samples: 2, Reached: true}, {Grid: Equispaced, Epsilon: 0.05},
			{Grid: Chebyshev, Epsilon: 0.5, Samples: 2, Reached: true}, {Grid: Chebyshev, Epsilon: 0.05, Samples: 3, Reached: true},
		},
	}
	for _, c := range []struct {
		g                 GridKind
		m, median         []float64
		eps, reached      []float64
		growth            float64
		count05, count005 string
	}{
		{Equispaced, []float64{1, 2, 3}, []float64{1, 0.1, 10}, []float64{0.5}, []float64{2}, 100, "2", "never"},
		{Chebyshev, []float64{1, 2, 3}, []float64{1, 0.1, 0.01}, []float64{0.5, 0.05}, []float64{2, 3}, 1, "2", "3"},
	} {
		m, med := r.Medians(c.g)
		eps, n := r.Reached(c.g)
		if !slices.Equal(m, c.m) || !slices.Equal(med, c.median) || !slices.Equal(eps, c.eps) || !slices.Equal(n, c.reached) {
			t.Errorf("%v: Medians %v %v, Reached %v %v; want %v %v, %v %v", c.g, m, med, eps, n, c.m, c.median, c.eps, c.reached)
		}
		if g := r.Growth(c.g); math.Abs(g-c.growth) > 1e-12*c.growth {
			t.Errorf("%v: Growth = %v, want %v", c.g, g, c.growth)
		}
		s05, _ := r.Count(c.g, 0.5)
		s005, _ := r.Count(c.g, 0.05)
		if s05.String() != c.count05 || s005.String() != c.count005 {
			t.Errorf("%v: m(0.5), m(0.05) = %v, %v; want %s, %s", c.g, s05, s005, c.count05, c.count005)
		}
	}
	if m, med := r.Medians(Lobatto); len(m) != 0 || len(med) != 0 || !math.IsNaN(r.Growth(Lobatto)) {
		t.Errorf("a grid without a curve: Medians %v %v, Growth %v; want none and NaN", m, med, r.Growth(Lobatto))
	}
	if _, ok := r.Count(Chebyshev, 0.1); ok {
		t.Error("Count of an ε without a row reports one")
	}
}

func TestSampleComplexityResultInvariants(t *testing.T) {
	// On a real run: Growth ≥ 1 (the last median is at least the smallest),
	// Reached lists exactly the rows Count marks reached, and m(ε) is the
	// first m whose median is ≤ ε.
	res, err := SampleComplexity{MaxPoints: 12, Draws: 5, EvalPoints: 201, Seed: 3}.Run()
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range GridKinds() {
		if gr := res.Growth(g); !(gr >= 1) {
			t.Errorf("%v: Growth = %v, want >= 1", g, gr)
		}
		m, med := res.Medians(g)
		eps, n := res.Reached(g)
		k := 0
		for _, e := range []float64{1e-1, 1e-2, 1e-3, 1e-4} {
			s, ok := res.Count(g, e)
			first := slices.IndexFunc(med, func(v float64) bool { return v <= e })
			if !ok || s.Reached != (first >= 0) || (s.Reached && float64(s.Samples) != m[first]) {
				t.Errorf("%v, ε = %g: Count = %+v, %v; the medians first reach it at index %d", g, e, s, ok, first)
			}
			if s.Reached {
				if k >= len(eps) || eps[k] != e || n[k] != float64(s.Samples) {
					t.Errorf("%v: Reached = %v, %v; missing ε = %g, m = %d", g, eps, n, e, s.Samples)
				}
				k++
			}
		}
		if k != len(eps) {
			t.Errorf("%v: Reached lists %d ε, Count marks %d", g, len(eps), k)
		}
	}
}
