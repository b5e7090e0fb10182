package objective

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestAgreementZ(t *testing.T) {
	for _, c := range []struct {
		a    Agreement
		want float64
	}{
		{Agreement{Closed: 3, Mean: 1, StdErr: 0.5}, 4},
		{Agreement{Closed: 1, Mean: 1.5, StdErr: 0.25}, -2},
	} {
		if got := c.a.Z(); got != c.want {
			t.Errorf("%+v: Z = %v, want %v", c.a, got, c.want)
		}
	}
}

func TestCompareClosedFormWithMonteCarlo(t *testing.T) {
	// fig4's class and rule for d = 3: the Monte Carlo mean of (ĥ − h)² is
	// an unbiased estimate of J_H, so z = (closed − mean)/se is about
	// N(0, 1) at each point; with a fixed seed every |z| must stay below 4.
	// The closed forms must be LinearGaussian's, point by point.
	const zMax, closedTol = 4, 1e-12
	dist, fit, err := fig4(3, 101)
	if err != nil {
		t.Fatal(err)
	}
	lg, err := NewLinearGaussian(fit, dist)
	if err != nil {
		t.Fatal(err)
	}
	x, pts := column(linspace(-1, 1, 101)), column([]float64{-1, -0.62, 0, 0.37, 0.9})
	mc := MonteCarlo{Dist: dist, Rule: LeastSquares{Map: chebMap{3}}, Samples: 2000}
	rows, err := mc.Compare(lg, x, pts, rand.New(rand.NewPCG(2, 2)))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 5 {
		t.Fatalf("%d rows for 5 points", len(rows))
	}
	for i, r := range rows {
		if want := lg.Value(r.Point); r.Point[0] != pts.At(i, 0) || math.Abs(r.Closed-want) > closedTol*want {
			t.Errorf("row %d: point %v, closed form %v; want %v, %v", i, r.Point, r.Closed, pts.At(i, 0), want)
		}
		if z := r.Z(); !(math.Abs(z) < zMax) {
			t.Errorf("x = %v: closed %v, Monte Carlo %v ± %v: z = %v, want |z| < %v", r.Point, r.Closed, r.Mean, r.StdErr, z, zMax)
		}
	}
	if _, err := mc.Compare(nil, x, pts, nil); err == nil {
		t.Error("Compare with a nil closed form: no error")
	}
}

// The draws are taken from the stream and averaged in order whatever the
// number of goroutines that fit them, so every Workers gives the same bits;
// 300 draws cross the blocks of 256 in which they are taken.
func TestMonteCarloWorkersSameBits(t *testing.T) {
	dist, _, err := fig4(3, 101)
	if err != nil {
		t.Fatal(err)
	}
	x, pts := column(linspace(-1, 1, 101)), column([]float64{-1, -0.62, 0, 0.37, 0.9})
	estimate := func(workers int) [][]float64 {
		return estimates(t, MonteCarlo{Dist: dist, Rule: LeastSquares{Map: chebMap{3}}, Samples: 300, Workers: workers}, x, pts, 5)
	}
	serial := estimate(1)
	for _, w := range []int{2, 3, 0} {
		for k, got := range estimate(w) {
			for i := range got {
				if math.Float64bits(got[i]) != math.Float64bits(serial[k][i]) {
					t.Errorf("Workers = %d: estimate %d at point %d is %v; with one worker %v", w, k, i, got[i], serial[k][i])
				}
			}
		}
	}
}
