package mlp

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// TestCheckFinite puts one bad value at every position of slices of several
// lengths, so that each lane of checkFinite's unrolled sum and its tail are
// exercised, and checks the error names the first bad index.
func TestCheckFinite(t *testing.T) {
	for _, n := range []int{1, 3, 4, 5, 8, 11} {
		for i := range n {
			for _, bad := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
				x := make([]float32, n)
				for j := range x {
					x[j] = float32(j) - 2.5
				}
				x[i] = float32(bad)
				err := checkFinite("x", x)
				if err == nil || !strings.Contains(err.Error(), "x["+strconv.Itoa(i)+"]") {
					t.Errorf("n = %d, x[%d] = %v: error %v, want one naming x[%d]", n, i, bad, err, i)
				}
			}
		}
		x := make([]float64, n)
		for j := range x {
			x[j] = math.MaxFloat64 * float64(j%2*2-1)
		}
		if err := checkFinite("x", x); err != nil {
			t.Errorf("n = %d, finite extremes: %v, want nil", n, err)
		}
	}
}

// TestReLUKernels compares the branch-free ReLU passes with the textbook
// definitions, including zero, −0 and NaN pre-activations.
func TestReLUKernels(t *testing.T) {
	const n = 7
	rnd := rand.New(rand.NewPCG(1, 1))
	y := make([]float64, 5*n)
	for i := range y {
		y[i] = rnd.NormFloat64()
	}
	y[3], y[4], y[5] = 0, math.Copysign(0, -1), math.NaN()
	b := make([]float64, n)
	for j := range b {
		b[j] = 0.1 * rnd.NormFloat64()
	}
	b[3], b[4] = 0, 0
	out := append([]float64(nil), y...)
	biasAct(ReLU, out, b)
	for i, v := range y {
		z := v + b[i%n]
		switch {
		case math.IsNaN(z):
			if !math.IsNaN(out[i]) {
				t.Errorf("ReLU(NaN) = %v, want NaN", out[i])
			}
		case z > 0 && out[i] != z, z <= 0 && out[i] != 0:
			t.Errorf("ReLU(%v) = %v", z, out[i])
		}
	}
	g := make([]float64, len(y))
	for i := range g {
		g[i] = rnd.NormFloat64()
	}
	dz := make([]float64, len(y))
	gb := make([]float64, n)
	backAct(ReLU, dz, g, out, gb, n)
	wantB := make([]float64, n)
	for i, v := range out {
		want := 0.0
		if v > 0 {
			want = g[i]
		}
		if dz[i] != want {
			t.Errorf("dz[%d] = %v at y = %v, want %v", i, dz[i], v, want)
		}
		wantB[i%n] += want
	}
	for j := range gb {
		if math.Abs(gb[j]-wantB[j]) > 1e-15 {
			t.Errorf("gb[%d] = %v, want %v", j, gb[j], wantB[j])
		}
	}
	dz2 := make([]float64, len(y))
	backAct(ReLU, dz2, g, out, nil, n)
	for i := range dz2 {
		if dz2[i] != dz[i] {
			t.Errorf("without gb, dz[%d] = %v, want %v", i, dz2[i], dz[i])
		}
	}
}
