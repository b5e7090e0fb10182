package attack

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"pointwise/lib/internal/numeric"
	"pointwise/lib/mlp"
)

// TestSquareSchedule checks p at the thresholds of AutoAttack's
// p_selection (square.py), unscaled and rescaled to 1000 queries
// (iteration i counts as ⌊i·10000/1000⌋ = 10i).
func TestSquareSchedule(t *testing.T) {
	for _, c := range []struct {
		it      int
		rescale bool
		want    float64
	}{
		{0, false, 0.8}, {10, false, 0.8}, {11, false, 0.4}, {50, false, 0.4}, {51, false, 0.2},
		{200, false, 0.2}, {201, false, 0.1}, {500, false, 0.1}, {1000, false, 0.05},
		{2000, false, 0.025}, {4000, false, 0.0125}, {6000, false, 0.00625},
		{8000, false, 0.003125}, {8001, false, 0.0015625},
		{1, true, 0.8}, {2, true, 0.4}, {5, true, 0.4}, {6, true, 0.2}, {999, true, 0.0015625},
	} {
		if got := squareP(0.8, c.it, 1000, c.rescale); got != c.want {
			t.Errorf("p(%d, rescale %v) = %v, want %v", c.it, c.rescale, got, c.want)
		}
	}
}

// TestSquareInBall checks that Square never leaves the ε-ball or [0, 1]
// (several radii, inputs on the box's faces, square and non-square images,
// several channels), never modifies x, is reproducible from its seed, and
// never raises a sample's margin above that of its starting point.
func TestSquareInBall(t *testing.T) {
	t.Run("float64", func(t *testing.T) { testSquareBall[float64](t, ballTol64) })
	t.Run("float32", func(t *testing.T) { testSquareBall[float32](t, ballTol32) })
}

func testSquareBall[T mlp.Float](t *testing.T, tol float64) {
	for _, shape := range []struct{ d, c, h, w int }{{36, 0, 0, 0}, {20, 0, 0, 0}, {48, 3, 4, 4}, {48, 0, 2, 6}} {
		const n, classes = 10, 4
		net := randomNet[T](t, []int{shape.d, 16, classes}, mlp.ReLU, 7)
		rnd := newRand(8)
		x := unitInputs[T](rnd, n, shape.d, 0, 1)
		for j := 0; j < len(x); j += 3 {
			x[j] = T(j % 2)
		}
		x0 := append([]T(nil), x...)
		m, _ := NewNetworkModel(net, n)
		// Labels the network predicts, so that every sample is attacked.
		z := make([]T, n*classes)
		if err := m.Logits(z, x); err != nil {
			t.Fatal(err)
		}
		labels := make([]int, n)
		for i := range labels {
			labels[i] = numeric.Argmax(z[i*classes : (i+1)*classes])
		}
		dst, again := make([]T, len(x)), make([]T, len(x))
		for _, eps := range []float64{0, 0.01, 0.1, 0.5, 1} {
			a := &Square[T]{Model: m, Epsilon: eps, Queries: 200, Restarts: 2, Channels: shape.c, Height: shape.h, Width: shape.w, Seed: 3}
			name := fmt.Sprintf("%s %v ε=%v", a.Name(), shape, eps)
			if err := a.Perturb(dst, x, labels, n); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			checkBall(t, name, dst, x, x0, shape.d, eps, LInf, tol)
			a.Reset()
			if err := a.Perturb(again, x, labels, n); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(dst, again) {
				t.Errorf("%s: same seed, different perturbations", name)
			}
		}
	}
}

// TestSquareErrors checks that bad settings return errors naming them.
func TestSquareErrors(t *testing.T) {
	net := randomNet[float64](t, []int{6, 3}, mlp.ReLU, 1)
	m, _ := NewNetworkModel(net, 2)
	net5 := randomNet[float64](t, []int{5, 3}, mlp.ReLU, 1)
	m5, _ := NewNetworkModel(net5, 2)
	x, y, dst := []float64{0.1, 0.2, 0.3, 0.4, 0.5, 0.6}, []int{1}, make([]float64, 6)
	for _, c := range []struct {
		a    *Square[float64]
		want string
	}{
		{&Square[float64]{Epsilon: 0.1}, "Square.Model nil"},
		{&Square[float64]{Model: m5, Epsilon: 0.1}, "input width 5 does not match the input width 6"},
		{&Square[float64]{Model: m, Epsilon: -0.1}, "Epsilon = -0.1 out of range"},
		{&Square[float64]{Model: m, Epsilon: 0.1, Queries: -1}, "Square.Queries = -1"},
		{&Square[float64]{Model: m, Epsilon: 0.1, PInit: 2}, "Square.PInit = 2"},
		{&Square[float64]{Model: m, Epsilon: 0.1, Restarts: -1}, "Square.Restarts = -1"},
		{&Square[float64]{Model: m, Epsilon: 0.1, Height: 4, Width: 4}, "does not match the input width 6"},
	} {
		err := c.a.Perturb(dst, x, y, 1)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("error %v, want one containing %q", err, c.want)
		}
	}
	err := (&Square[float64]{Model: m, Epsilon: 0.1}).Perturb(dst, x, []int{3}, 1)
	if err == nil || !strings.Contains(err.Error(), "label 3 of sample 0 out of range") {
		t.Errorf("bad label: error %v", err)
	}
}
