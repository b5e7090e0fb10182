package numeric

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
)

// oneHot returns, in closed form, the cross-entropy and its gradient for
// the logits z = (a, 0, …, 0) of c classes and the label y: with
// s = (c − 1)e^{−a}, p_0 = 1/(1 + s) and p_j = e^{−a}/(1 + s) for j > 0,
//
//	ℓ = log1p(s) (y = 0),   ℓ = a + log1p(s) (y > 0),
//	∂ℓ/∂z_y = −Σ_{j≠y} p_j,  ∂ℓ/∂z_j = p_j (j ≠ y).
//
// Each is a product, quotient or log1p of exact inputs, so it holds to a
// few float64 roundings whatever a.
func oneHot(a float64, c, y int) (loss float64, grad []float64) {
	e := math.Exp(-a)
	s := float64(c-1) * e
	grad = make([]float64, c)
	grad[0] = 1 / (1 + s)
	for j := 1; j < c; j++ {
		grad[j] = e / (1 + s)
	}
	loss = math.Log1p(s)
	if y == 0 {
		grad[0] = -s / (1 + s)
	} else {
		loss += a
		grad[y] = -(1 + float64(c-2)*e) / (1 + s)
	}
	return loss, grad
}

// TestCrossEntropy checks the loss and the gradient on logits
// z = (a, 0, …, 0) against the closed forms of oneHot, from a uniform
// softmax (a = 0) to a saturated one (a = 80, where 1 − p_0 ≈ 2e-34 and
// p_0 − 1 would be 0 in both float types), for a correct label (y = 0) and
// a wrong one, scaled as the callers scale it (1/n for a batch mean, 1/K
// for K heads). Every component must hold to its own relative precision:
// one float32 or float64 rounding of an accurate value.
func TestCrossEntropy(t *testing.T) {
	for _, tc := range []struct {
		a     float64
		c, y  int
		scale float64
	}{
		{0, 4, 2, 1},
		{5, 3, 0, 1},
		{5, 3, 1, 0.25},
		{20, 10, 0, 1},
		{30, 10, 0, 1.0 / 128},
		{30, 10, 3, 1},
		{80, 10, 0, 1},
		{80, 2, 1, 0.5},
	} {
		wantLoss, wantGrad := oneHot(tc.a, tc.c, tc.y)
		for j := range wantGrad {
			wantGrad[j] *= tc.scale
		}
		z64 := make([]float64, tc.c)
		z64[0] = tc.a
		z32 := make([]float32, tc.c)
		z32[0] = float32(tc.a)
		d64 := make([]float64, tc.c)
		d32 := make([]float32, tc.c)
		l64 := CrossEntropy(d64, z64, tc.y, tc.scale)
		l32 := CrossEntropy(d32, z32, tc.y, tc.scale)
		// The loss is float64 for both element types; the logits are
		// exact in float32.
		for _, l := range []float64{l64, l32} {
			if !scalar.EqualWithinRel(l, wantLoss, 1e-14) {
				t.Errorf("a = %g, C = %d, y = %d: loss %.17g, want %.17g", tc.a, tc.c, tc.y, l, wantLoss)
			}
		}
		for j, want := range wantGrad {
			if !scalar.EqualWithinRel(d64[j], want, 1e-14) {
				t.Errorf("a = %g, C = %d, y = %d: float64 ∂ℓ/∂z_%d = %.17g, want %.17g", tc.a, tc.c, tc.y, j, d64[j], want)
			}
			if !scalar.EqualWithinRel(float64(d32[j]), want, 0x1p-23) {
				t.Errorf("a = %g, C = %d, y = %d: float32 ∂ℓ/∂z_%d = %.9g, want %.9g", tc.a, tc.c, tc.y, j, d32[j], want)
			}
		}
	}
}

// TestCrossEntropyOverflow checks that logits far beyond exp's range give
// the exact loss: log(e^{1000} + 1) − 1 rounds to 999, and
// log(e^{−1000} + 1) to 0.
func TestCrossEntropyOverflow(t *testing.T) {
	d := make([]float64, 2)
	for _, tc := range []struct {
		z    []float64
		y    int
		want float64
	}{
		{[]float64{1000, 1}, 1, 999},
		{[]float64{1000, 0}, 0, 0},
		{[]float64{-1000, -1000}, 0, math.Ln2},
	} {
		if got := CrossEntropy(d, tc.z, tc.y, 1); got != tc.want {
			t.Errorf("z = %v, y = %d: loss %v, want %v", tc.z, tc.y, got, tc.want)
		}
	}
}

func TestArgmax(t *testing.T) {
	for _, tc := range []struct {
		x    []float64
		want int
	}{
		{nil, 0},
		{[]float64{3}, 0},
		{[]float64{1, 3, 2}, 1},
		{[]float64{2, 5, 5}, 1}, // ties go to the lowest index
		{[]float64{-1, math.Inf(-1), -0.5}, 2},
	} {
		if got := Argmax(tc.x); got != tc.want {
			t.Errorf("Argmax(%v) = %d, want %d", tc.x, got, tc.want)
		}
	}
}
