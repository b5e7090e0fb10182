package cheb

import (
	"bytes"
	"encoding/csv"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// goldenTol is relative: rounding differences between CPUs (FMA, BLAS
// blocking) are amplified by the Lebesgue constants of the equispaced and
// random grids, up to about 1e15 at m = 64.
const goldenTol = 1e-6

func TestSampleComplexityFig3(t *testing.T) {
	res, err := SampleComplexity{}.Run()
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Curve) != 4*64 || len(res.Samples) != 4*4 {
		t.Fatalf("%d curve rows and %d sample rows, want 256 and 16", len(res.Curve), len(res.Samples))
	}
	curve := map[GridKind][]CurvePoint{}
	for _, p := range res.Curve {
		curve[p.Grid] = append(curve[p.Grid], p)
		if !(p.Lower <= p.Median && p.Median <= p.Upper) {
			t.Errorf("%v m=%d: quantiles %v, %v, %v not ordered", p.Grid, p.M, p.Lower, p.Median, p.Upper)
		}
	}
	// Grids that coincide give identical errors on the same draws: for m = 1
	// every fixed grid is {0}; for m = 2, 3 Lobatto and equispaced are
	// {±1} and {-1, 0, 1}.
	for m := 1; m <= 3; m++ {
		if a, b := curve[Equispaced][m-1].Median, curve[Lobatto][m-1].Median; a != b {
			t.Errorf("m=%d: equispaced median %v != lobatto %v on the same grid", m, a, b)
		}
	}
	if a, b := curve[Equispaced][0].Median, curve[Chebyshev][0].Median; a != b {
		t.Errorf("m=1: equispaced median %v != chebyshev %v on the same grid", a, b)
	}
	// fig3's check: both Chebyshev grids reach 1e-3 by m ≈ 40; equispaced
	// and random never do, and their error grows with m.
	for _, s := range res.Samples {
		if s.Epsilon != 1e-3 {
			continue
		}
		switch s.Grid {
		case Chebyshev, Lobatto:
			if !s.Reached || s.Samples > 45 {
				t.Errorf("%v: m(1e-3) = %d (reached %v), want: by m ≈ 40", s.Grid, s.Samples, s.Reached)
			}
		default:
			if s.Reached {
				t.Errorf("%v: reached 1e-3 at m = %d, want: never", s.Grid, s.Samples)
			}
		}
	}
	for _, g := range []GridKind{Equispaced, Random} {
		c := curve[g]
		best := slices.MinFunc(c, func(a, b CurvePoint) int { return cmpFloat(a.Median, b.Median) })
		if last := c[len(c)-1]; last.Median < 100*best.Median || best.M > 16 {
			t.Errorf("%v: median error %v at m=64, minimum %v at m=%d: want it to grow with m", g, last.Median, best.Median, best.M)
		}
	}
	checkGolden(t, "fig3_median_sup_error.csv", curveCSV(res.Curve), []int{2, 3, 4})
	checkGolden(t, "fig3_samples.csv", samplesCSV(res.Samples), []int{1})
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// curveCSV is the fig3 curve table with the quantile band added.
func curveCSV(rows []CurvePoint) [][]string {
	out := [][]string{append(CurvePoint{}.Header(), "lower_sup_error", "upper_sup_error")}
	for _, r := range rows {
		out = append(out, append(r.Record(), formatFloat(r.Lower), formatFloat(r.Upper)))
	}
	return out
}

func samplesCSV(rows []SampleCount) [][]string {
	out := [][]string{SampleCount{}.Header()}
	for _, r := range rows {
		out = append(out, r.Record())
	}
	return out
}

// checkGolden compares records with testdata/name, numerically (goldenTol)
// in the columns numeric and exactly elsewhere; with -update it rewrites
// the file instead.
func checkGolden(t *testing.T, name string, records [][]string, numeric []int) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		if err := w.WriteAll(records); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("%v (run go test -run %s -update to create it)", err, t.Name())
	}
	defer f.Close()
	want, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(want) != len(records) {
		t.Fatalf("%s: %d rows, golden %d", name, len(records), len(want))
	}
	for i := range want {
		for j := range want[i] {
			got, exp := records[i][j], want[i][j]
			if i > 0 && slices.Contains(numeric, j) {
				g, err1 := strconv.ParseFloat(got, 64)
				e, err2 := strconv.ParseFloat(exp, 64)
				if err1 == nil && err2 == nil && scalar.EqualWithinRel(g, e, goldenTol) {
					continue
				}
			}
			if got != exp {
				t.Errorf("%s row %d (%s) column %s: %q, golden %q", name, i, strings.Join(records[i][:2], ","), want[0][j], got, exp)
			}
		}
	}
}

func TestSampleComplexitySmall(t *testing.T) {
	// A small run is deterministic for a seed, and ε = 1e3 (above every
	// error) is reached at m = 1 on the Chebyshev grid, while ε = 1e-30
	// (below rounding) is never reached and has an empty CSV cell.
	c := SampleComplexity{Grids: []GridKind{Chebyshev, Random}, MaxPoints: 12, Draws: 7, EvalPoints: 101,
		Seed: 3, Epsilons: []float64{1e3, 1e-30}}
	a, err := c.Run()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := c.Run()
	if !slices.Equal(a.Curve, b.Curve) || !slices.Equal(a.Samples, b.Samples) {
		t.Error("two runs with the same seed differ")
	}
	if s := a.Samples[0]; !s.Reached || s.Samples != 1 {
		t.Errorf("chebyshev m(1e3) = %+v, want reached at m = 1", s)
	}
	if s := a.Samples[1]; s.Reached || s.Record()[2] != "" {
		t.Errorf("chebyshev m(1e-30) = %+v, record %q: want not reached and empty", s, s.Record())
	}
	if got := a.Curve[0].Record(); got[0] != "chebyshev" || got[1] != "1" {
		t.Errorf("first record %q, want chebyshev,1,...", got)
	}
}

func TestSampleComplexityErrors(t *testing.T) {
	for _, tc := range []struct {
		c    SampleComplexity
		want string
	}{
		{SampleComplexity{MaxPoints: -1}, "MaxPoints = -1"},
		{SampleComplexity{Draws: -2}, "Draws = -2"},
		{SampleComplexity{EvalPoints: 1}, "EvalPoints = 1"},
		{SampleComplexity{Grids: []GridKind{}}, "Grids is empty"},
		{SampleComplexity{Grids: []GridKind{7}}, "Grids[0]"},
		{SampleComplexity{Epsilons: []float64{0.1, -1}}, "Epsilons[1] = -1"},
		{SampleComplexity{UpperQuantile: 1.5}, "UpperQuantile = 1.5"},
		{SampleComplexity{Class: RandomSeries{StdDev: []float64{1, -1}}}, "StdDev[1] = -1"},
	} {
		_, err := tc.c.Run()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("error %v, want one mentioning %q", err, tc.want)
		}
	}
}
