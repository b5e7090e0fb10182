package objective

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestSetDistance(t *testing.T) {
	// Reference values: a permutation is the same set; a shift by c moves
	// every sorted point by c; the 2-point Lobatto grid {±1} is 1 − 1/√2 from
	// the 2-point Chebyshev grid {±1/√2}.
	const tol = 1e-15
	for _, c := range []struct {
		name string
		a, b []float64
		want float64
	}{
		{"permutation", []float64{0.5, -1, 0.25}, []float64{-1, 0.25, 0.5}, 0},
		{"shift", []float64{-1, 0, 0.5}, []float64{0.5, -0.75, 0.25}, 0.25},
		{"lobatto and chebyshev", []float64{-1, 1}, []float64{-1 / math.Sqrt2, 1 / math.Sqrt2}, 1 - 1/math.Sqrt2},
		{"sizes differ", []float64{0}, []float64{0, 1}, math.Inf(1)},
		{"empty", nil, nil, 0},
	} {
		if got, back := SetDistance(c.a, c.b), SetDistance(c.b, c.a); math.Abs(got-c.want) > tol || got != back {
			t.Errorf("%s: SetDistance = %v (reversed %v), want %v both ways", c.name, got, back, c.want)
		}
	}
	if !math.IsNaN(SetDistance([]float64{math.NaN()}, []float64{0})) {
		t.Error("SetDistance with a NaN point is not NaN")
	}
	a := []float64{0.5, -1}
	SetDistance(a, []float64{0, 0})
	if a[0] != 0.5 {
		t.Errorf("SetDistance sorted its input: %v", a)
	}
	// The triangle inequality of a metric, on random sets.
	rng := rand.New(rand.NewPCG(1, 1))
	draw := func() []float64 {
		x := make([]float64, 7)
		for i := range x {
			x[i] = 2*rng.Float64() - 1
		}
		return x
	}
	for range 100 {
		x, y, z := draw(), draw(), draw()
		if d := SetDistance(x, z); d > SetDistance(x, y)+SetDistance(y, z)+tol {
			t.Fatalf("triangle inequality fails: d(x, z) = %v > d(x, y) + d(y, z) for %v, %v, %v", d, x, y, z)
		}
	}
}

func TestMinGap(t *testing.T) {
	// The n-point Lobatto grid cos(jπ/(n−1)) is closest at its ends, where
	// the gap is 1 − cos(π/(n−1)); equispaced points are 2/(n−1) apart.
	const tol = 1e-15
	lobatto := func(n int) []float64 {
		x := make([]float64, n)
		for j := range x {
			x[j] = math.Cos(math.Pi * float64(j) / float64(n-1))
		}
		return x
	}
	for _, c := range []struct {
		name string
		x    []float64
		want float64
	}{
		{"lobatto 10", lobatto(10), 1 - math.Cos(math.Pi/9)},
		{"lobatto 3", lobatto(3), 1},
		{"equispaced 5", linspace(-1, 1, 5), 0.5},
		{"repeated", []float64{0.3, -1, 0.3}, 0},
		{"one point", []float64{0.3}, math.Inf(1)},
	} {
		if got := MinGap(c.x); math.Abs(got-c.want) > tol && got != c.want {
			t.Errorf("%s: MinGap = %v, want %v", c.name, got, c.want)
		}
	}
}
