package cheb

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
)

func TestL2Error(t *testing.T) {
	// ∫_{-1}^{1} T_k² = 1 - 1/(4k²-1) for k >= 1 (from T_k² = (1+T_{2k})/2),
	// 2 for k = 0; Gauss-Legendre with n nodes is exact for degree 2n-1.
	// On [a, b] the squared norm scales by (b-a)/2.
	const tol = 1e-14
	zero := func(float64) float64 { return 0 }
	for _, k := range []int{0, 1, 2, 5, 10} {
		c := make([]float64, k+1)
		c[k] = 1
		want := 2.0
		if k > 0 {
			want = 1 - 1/float64(4*k*k-1)
		}
		for _, dom := range []Domain{{}, {A: 1, B: 4}} {
			a, b := dom.Bounds()
			got, err := L2Error(Series{Coeffs: c, Domain: dom}.Predict, zero, dom, k+1)
			if err != nil {
				t.Fatal(err)
			}
			if w := math.Sqrt(want * (b - a) / 2); !scalar.EqualWithinRel(got, w, tol) {
				t.Errorf("‖T_%d‖ on %v = %v, want %v", k, dom, got, w)
			}
		}
	}
	if _, err := L2Error(zero, zero, Domain{}, 0); err == nil {
		t.Error("L2Error with n = 0: no error")
	}
}

func TestSupAndPointwiseError(t *testing.T) {
	// |T_7 - 0| has maximum 1, attained at the Lobatto points of T_7.
	s := Series{Coeffs: []float64{0, 0, 0, 0, 0, 0, 0, 1}}
	zero := func(float64) float64 { return 0 }
	x, _ := EquispacedPoints(nil, 101, Domain{})
	e := PointwiseError(nil, x, s.Predict, zero)
	for i := range x {
		if e[i] != s.Predict(x[i]) {
			t.Fatalf("PointwiseError[%d] = %v, want T_7(x) = %v", i, e[i], s.Predict(x[i]))
		}
	}
	sup, at, err := SupError(x, s.Predict, zero)
	if err != nil || sup != 1 || math.Abs(at) != 1 {
		t.Errorf("SupError = %v at %g (%v), want 1 at ±1", sup, at, err)
	}
	// MaxError finds the interior maxima too, to rounding: shift so that
	// the maximum is at the interior extremum cos(3π/7), not at ±1.
	f := func(x float64) float64 { return s.Predict(x) * (1 - x*x) }
	got, _, err := MaxError(f, zero, Domain{}, 101)
	if err != nil {
		t.Fatal(err)
	}
	var dense float64
	for i := 0; i <= 1e6; i++ {
		dense = max(dense, math.Abs(f(-1+2*float64(i)/1e6)))
	}
	// The dense scan is below the maximum by at most f'' h²/8 ≈ 1e-10.
	if got < dense || got > dense+1e-9 {
		t.Errorf("MaxError = %v, 1e6-point scan %v", got, dense)
	}
	if _, _, err := SupError(nil, zero, zero); err == nil {
		t.Error("SupError with no points: no error")
	}
	if _, _, err := MaxError(zero, zero, Domain{}, 1); err == nil {
		t.Error("MaxError with n = 1: no error")
	}
	if sup, _, _ := SupError([]float64{0}, func(float64) float64 { return math.NaN() }, zero); !math.IsNaN(sup) {
		t.Errorf("SupError of a NaN error = %v, want NaN", sup)
	}
}
