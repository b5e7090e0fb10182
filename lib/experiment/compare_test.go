package experiment

import (
	"math"
	"slices"
	"testing"
)

// threeGrids is a result with three grids at m = 4 and 8 and three draws:
// at m = 8, "hard" is best (errors 1, 2, 3 against equispaced's 2, 4, 1 and
// chebyshev's 8, 8, 8), so its paired wins are 2 of 3 and 3 of 3.
func threeGrids() SampleComplexityResult {
	pt := func(g string, m int, med, train float64, errs ...float64) CurvePoint {
		return CurvePoint{Grid: g, M: m, Median: med, TrainMedian: train, Errors: errs}
	}
	return SampleComplexityResult{
		Curve: []CurvePoint{
			pt("equispaced", 4, 4, 0.1, 4, 4, 4), pt("equispaced", 8, 2, 0.5, 2, 4, 1),
			pt("chebyshev", 4, 9, 0.2, 9, 9, 9), pt("chebyshev", 8, 8, 0.25, 8, 8, 8),
			pt("hard", 4, 1, 0.3, 1, 1, 1), pt("hard", 8, 0.5, 0.125, 1, 2, 3),
		},
		Samples: []SampleCount{
			{Grid: "equispaced", Epsilon: 3, Samples: 8, Reached: true}, {Grid: "equispaced", Epsilon: 0.1},
			{Grid: "chebyshev", Epsilon: 3}, {Grid: "chebyshev", Epsilon: 0.1},
			{Grid: "hard", Epsilon: 3, Samples: 4, Reached: true}, {Grid: "hard", Epsilon: 0.1},
		},
	}
}

func TestRankedAndCompare(t *testing.T) {
	r := threeGrids()
	var order []string
	for _, p := range r.Ranked(8) {
		order = append(order, p.Grid)
	}
	if want := []string{"hard", "equispaced", "chebyshev"}; !slices.Equal(order, want) {
		t.Errorf("Ranked(8) = %v, want %v", order, want)
	}
	c := must(r.Compare("hard", []string{"equispaced", "chebyshev"}, 8))
	if !c.Beats() || !slices.Equal(c.Wins, []int{2, 3}) || c.Draws != 3 {
		t.Errorf("Compare(hard) = %+v: want it to beat both, winning 2 and 3 of 3 draws", c)
	}
	if r := c.RunnerUp(); r.Grid != "equispaced" {
		t.Errorf("RunnerUp = %q, want equispaced", r.Grid)
	}
	want := "yes: median sup error at m = 8: hard 0.5; equispaced 2 (ratio equispaced/hard = 4; hard lower in 2 of 3 draws); " +
		"chebyshev 8 (ratio chebyshev/hard = 16; hard lower in 3 of 3 draws)"
	if got := c.String(); got != want {
		t.Errorf("String =\n%s\nwant\n%s", got, want)
	}
	if c := must(r.Compare("equispaced", []string{"hard"}, 8)); c.Beats() || c.String()[:3] != "no:" {
		t.Errorf("equispaced against hard: Beats %v, %q; want no", c.Beats(), c)
	}
	if _, err := r.Compare("hard", []string{"random"}, 8); err == nil {
		t.Error("Compare with a grid that has no curve: no error")
	}
	if _, err := r.Compare("hard", nil, 6); err == nil {
		t.Error("Compare at an m without points: no error")
	}
}

func TestSummaryAndFloor(t *testing.T) {
	r := threeGrids()
	want := "at m = 4 the best grid is hard; median sup errors hard 1 (x1), equispaced 4 (x4), chebyshev 9 (x9).\n" +
		"    m(3): equispaced 8, chebyshev never, hard 4; m(0.1): equispaced never, chebyshev never, hard never"
	if got := r.Summary(4); got != want {
		t.Errorf("Summary(4) =\n%s\nwant\n%s", got, want)
	}
	// At the largest m, 8: medians 2, 8, 0.5 and training medians 0.5, 0.25, 0.125.
	if got := r.Floor(); got != (Floor{M: 8, SupLo: 0.5, SupHi: 8, TrainLo: 0.125, TrainHi: 0.5}) {
		t.Errorf("Floor = %+v", got)
	}
	if eps, ok := r.SmallestReached(); !ok || eps != 3 {
		t.Errorf("SmallestReached = %v, %v; want 3, true", eps, ok)
	}
	if _, ok := (SampleComplexityResult{}).SmallestReached(); ok {
		t.Error("an empty result reaches an ε")
	}
	if f := (SampleComplexityResult{}).Floor(); !math.IsNaN(f.SupLo) {
		t.Errorf("Floor of an empty result = %+v, want NaNs", f)
	}
	m, med := r.Medians("hard")
	_, train := r.TrainMedians("hard")
	if !slices.Equal(m, []float64{4, 8}) || !slices.Equal(med, []float64{1, 0.5}) || !slices.Equal(train, []float64{0.3, 0.125}) {
		t.Errorf("hard: Medians %v %v, TrainMedians %v", m, med, train)
	}
}
