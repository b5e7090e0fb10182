package attack

import (
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"pointwise/lib/mlp"
)

// biasNet returns the network in→c whose logits are the bias b whatever the
// input (W = 0): a way to feed chosen logits to a LogitObjective.
func biasNet(t testing.TB, in int, b []float64) *mlp.Network[float64] {
	t.Helper()
	net, err := mlp.New[float64]([]int{in, len(b)}, mlp.ReLU, mlp.Identity)
	if err != nil {
		t.Fatal(err)
	}
	copy(net.Layer(0).B, b)
	return net
}

// TestDLRValues checks the losses against values worked by hand from their
// definitions (Croce and Hein 2020, eq. 6; AutoAttack's dlr_loss and
// dlr_loss_targeted), with the 1e−12 of the denominators.
func TestDLRValues(t *testing.T) {
	z := []float64{3, 1, 2, 0} // π = (0, 2, 1, 3)
	for _, c := range []struct {
		name   string
		loss   LogitLoss
		y, tgt int
		want   float64
	}{
		// −(z_y − max_{i≠y} z_i)/(z_π1 − z_π3): −(3 − 2)/(3 − 1).
		{"dlr y=0", LossDLR, 0, 0, -1 / (2 + 1e-12)},
		// −(1 − 3)/(3 − 1).
		{"dlr y=1", LossDLR, 1, 0, 2 / (2 + 1e-12)},
		// −(0 − 3)/(3 − 1).
		{"dlr y=3", LossDLR, 3, 0, 3 / (2 + 1e-12)},
		// −(z_y − z_t)/(z_π1 − (z_π3 + z_π4)/2): −(3 − 0)/(3 − 0.5).
		{"dlr-t y=0 t=3", LossDLRTargeted, 0, 3, -3 / (2.5 + 1e-12)},
		// −(1 − 2)/2.5.
		{"dlr-t y=1 t=2", LossDLRTargeted, 1, 2, 1 / (2.5 + 1e-12)},
		// log(e³ + e + e² + 1) − 3.
		{"ce y=0", LossCE, 0, 0, math.Log(math.Exp(3)+math.Exp(1)+math.Exp(2)+1) - 3},
	} {
		m, err := NewNetworkModel(biasNet(t, 2, z), 1)
		if err != nil {
			t.Fatal(err)
		}
		o, err := NewLogitObjective[float64](m, c.loss, 1)
		if err != nil {
			t.Fatal(err)
		}
		if c.loss == LossDLRTargeted {
			if err := o.SetTargets([]int{c.tgt}); err != nil {
				t.Fatal(err)
			}
		}
		got := make([]float64, 1)
		if err := o.Loss(got, []float64{0.5, 0.5}, []int{c.y}, 1); err != nil {
			t.Fatal(err)
		}
		if !scalar.EqualWithinAbsOrRel(got[0], c.want, exactTol, exactTol) {
			t.Errorf("%s: loss %.17g, want %.17g", c.name, got[0], c.want)
		}
	}
}

// TestTargetRank checks that rank r picks the class of the r-th largest
// logit: for z = (3, 1, 2, 0) ranks 2, 3, 4 are classes 2, 1, 3.
func TestTargetRank(t *testing.T) {
	m, err := NewNetworkModel(biasNet(t, 1, []float64{3, 1, 2, 0}), 1)
	if err != nil {
		t.Fatal(err)
	}
	o, err := NewLogitObjective[float64](m, LossDLRTargeted, 1)
	if err != nil {
		t.Fatal(err)
	}
	for r, want := range map[int]int{2: 2, 3: 1, 4: 3} {
		if err := o.TargetRank([]float64{0.5}, 1, r); err != nil {
			t.Fatal(err)
		}
		if o.targets[0] != want {
			t.Errorf("rank %d: target %d, want %d", r, o.targets[0], want)
		}
	}
}

// TestLogitObjectiveGradient compares the input gradient of each loss with
// central finite differences of the loss, on a float64 ReLU network with
// 5 classes (fdStep, gradRelTol and gradAbsTol as in helpers_test.go).
func TestLogitObjectiveGradient(t *testing.T) {
	const n, d, classes = 6, 7, 5
	net := randomNet[float64](t, []int{d, 9, classes}, mlp.Tanh, 21)
	rnd := newRand(22)
	x := unitInputs[float64](rnd, n, d, 0.1, 0.9)
	labels := randomLabels(rnd, n, classes)
	targets := make([]int, n)
	for i, y := range labels {
		targets[i] = (y + 1 + rnd.IntN(classes-1)) % classes
	}
	for _, loss := range []LogitLoss{LossCE, LossDLR, LossDLRTargeted} {
		m, err := NewNetworkModel(net, n)
		if err != nil {
			t.Fatal(err)
		}
		o, err := NewLogitObjective[float64](m, loss, n)
		if err != nil {
			t.Fatal(err)
		}
		if loss == LossDLRTargeted {
			if err := o.SetTargets(targets); err != nil {
				t.Fatal(err)
			}
		}
		g := make([]float64, n*d)
		if err := o.Gradient(g, nil, x, labels, n); err != nil {
			t.Fatal(err)
		}
		lp, lm := make([]float64, n), make([]float64, n)
		xp := append([]float64(nil), x...)
		for j := range d {
			for i := range n {
				xp[i*d+j] = x[i*d+j] + fdStep
			}
			if err := o.Loss(lp, xp, labels, n); err != nil {
				t.Fatal(err)
			}
			for i := range n {
				xp[i*d+j] = x[i*d+j] - fdStep
			}
			if err := o.Loss(lm, xp, labels, n); err != nil {
				t.Fatal(err)
			}
			for i := range n {
				xp[i*d+j] = x[i*d+j]
				fd := (lp[i] - lm[i]) / (2 * fdStep)
				if !scalar.EqualWithinAbsOrRel(g[i*d+j], fd, gradAbsTol, gradRelTol) {
					t.Errorf("%v: sample %d input %d: gradient %.10g, finite difference %.10g", loss, i, j, g[i*d+j], fd)
				}
			}
		}
	}
}

// TestLogitObjectiveErrors checks that bad arguments return errors naming
// the problem.
func TestLogitObjectiveErrors(t *testing.T) {
	net2 := randomNet[float64](t, []int{3, 2}, mlp.ReLU, 1)
	net3 := randomNet[float64](t, []int{3, 3}, mlp.ReLU, 1)
	net4 := randomNet[float64](t, []int{3, 4}, mlp.ReLU, 1)
	m2, _ := NewNetworkModel(net2, 2)
	m3, _ := NewNetworkModel(net3, 2)
	m4, _ := NewNetworkModel(net4, 2)
	for _, c := range []struct {
		name string
		err  func() error
		want string
	}{
		{"nil model", func() error { _, err := NewLogitObjective[float64](nil, LossCE, 1); return err }, "model nil"},
		{"DLR 2 classes", func() error { _, err := NewLogitObjective[float64](m2, LossDLR, 1); return err }, "need at least 3 classes"},
		{"DLR-T 3 classes", func() error { _, err := NewLogitObjective[float64](m3, LossDLRTargeted, 1); return err }, "need at least 4 classes"},
		{"loss unknown", func() error { _, err := NewLogitObjective[float64](m4, LogitLoss(9), 1); return err }, "unknown"},
		{"maxBatch 0", func() error { _, err := NewLogitObjective[float64](m4, LossCE, 0); return err }, "maxBatch = 0"},
		{"no targets", func() error {
			o, _ := NewLogitObjective[float64](m4, LossDLRTargeted, 2)
			return o.Loss(nil, make([]float64, 3), []int{0}, 1)
		}, "needs targets"},
		{"target range", func() error {
			o, _ := NewLogitObjective[float64](m4, LossDLRTargeted, 2)
			return o.SetTargets([]int{4})
		}, "target 4 of sample 0 out of range"},
		{"rank range", func() error {
			o, _ := NewLogitObjective[float64](m4, LossDLRTargeted, 2)
			return o.TargetRank(make([]float64, 3), 1, 5)
		}, "rank r = 5 out of range"},
		{"label range", func() error {
			o, _ := NewLogitObjective[float64](m4, LossDLR, 2)
			return o.Loss(nil, make([]float64, 3), []int{7}, 1)
		}, "label 7"},
	} {
		err := c.err()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
}
