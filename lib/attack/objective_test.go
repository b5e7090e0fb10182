package attack

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"pointwise/lib/mlp"
)

// TestObjectiveGradientsFiniteDifferences compares every objective's
// per-row input gradient with central differences of its per-sample loss,
// ∂ℓ_i/∂x_ij ≈ (ℓ_i(x + h e_ij) − ℓ_i(x − h e_ij))/(2h), on a smooth (tanh)
// float64 network.
func TestObjectiveGradientsFiniteDifferences(t *testing.T) {
	const n, d, classes = 4, 5, 3
	net := randomNet[float64](t, []int{d, 7, 6, classes}, mlp.Tanh, 1)
	// A non-zero head bias scale, so the heads' biases are exercised too.
	net.SetHead(func() mlp.Layer[float64] { h := net.Head(); h.BiasStd = 0.5; return h }())
	rnd := newRand(2)
	x := unitInputs[float64](rnd, n, d, 0.1, 0.9)
	labels := randomLabels(rnd, n, classes)

	ce, err := NewCrossEntropy(net, n)
	if err != nil {
		t.Fatal(err)
	}
	heads, err := NewRandomHeads(net, 3, n, newRand(3))
	if err != nil {
		t.Fatal(err)
	}
	squared, err := NewRandomHeads(net, 4, n, newRand(4))
	if err != nil {
		t.Fatal(err)
	}
	squared.HeadLoss = HeadSquared
	limit, err := NewRandomHeads(net, 3, n, newRand(5))
	if err != nil {
		t.Fatal(err)
	}
	limit.HeadLoss = HeadLimit
	// The squared loss's reference is another point, or its gradient at x
	// would vanish.
	ref := unitInputs[float64](rnd, n, d, 0.1, 0.9)
	if err := squared.SetReference(ref, n); err != nil {
		t.Fatal(err)
	}

	type objective interface {
		Objective[float64]
		LossEvaluator[float64]
	}
	for _, tc := range []struct {
		name string
		obj  objective
	}{
		{"CrossEntropy", ce},
		{"RandomHeads K=3 ce", heads},
		{"RandomHeads K=4 squared", squared},
		{"RandomHeads K=3 limit", limit},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dx := make([]float64, n*d)
			loss := make([]float64, n)
			if err := tc.obj.Gradient(dx, loss, x, labels, n); err != nil {
				t.Fatal(err)
			}
			lossAt := func(xs []float64) []float64 {
				l := make([]float64, n)
				if err := tc.obj.Loss(l, xs, labels, n); err != nil {
					t.Fatal(err)
				}
				return l
			}
			l0 := lossAt(x)
			xs := append([]float64(nil), x...)
			for i := range n {
				if !scalar.EqualWithinAbsOrRel(loss[i], l0[i], 0, lossTol) {
					t.Errorf("Gradient's loss[%d] = %v, Loss gives %v", i, loss[i], l0[i])
				}
				for j := range d {
					k := i*d + j
					v := xs[k]
					xs[k] = v + fdStep
					lp := lossAt(xs)
					xs[k] = v - fdStep
					lm := lossAt(xs)
					xs[k] = v
					want := (lp[i] - lm[i]) / (2 * fdStep)
					if !scalar.EqualWithinAbsOrRel(dx[k], want, gradAbsTol, gradRelTol) {
						t.Errorf("∂ℓ_%d/∂x_%d = %.10g, central differences give %.10g", i, j, dx[k], want)
					}
					// Rows are independent: moving sample i leaves the others.
					for o := range n {
						if o != i && lp[o] != l0[o] {
							t.Fatalf("moving sample %d changed the loss of sample %d", i, o)
						}
					}
				}
			}
		})
	}
}

// TestCrossEntropyValues checks the per-sample loss against the formula
// ℓ = log Σ_c exp z_c − z_y on the network's own logits, and the predictions
// against the argmax.
func TestCrossEntropyValues(t *testing.T) {
	const n, d, classes = 6, 4, 3
	net := randomNet[float64](t, []int{d, 5, classes}, mlp.ReLU, 11)
	rnd := newRand(12)
	x := unitInputs[float64](rnd, n, d, 0, 1)
	labels := randomLabels(rnd, n, classes)
	obj, err := NewCrossEntropy(net, n)
	if err != nil {
		t.Fatal(err)
	}
	loss := make([]float64, n)
	if err := obj.Loss(loss, x, labels, n); err != nil {
		t.Fatal(err)
	}
	pred := make([]int, n)
	if err := obj.Predictions(pred, n); err != nil {
		t.Fatal(err)
	}
	z, _ := net.Forward(nil, x)
	for i := range n {
		row := z[i*classes : (i+1)*classes]
		var s float64
		best := 0
		for c, v := range row {
			s += math.Exp(v)
			if v > row[best] {
				best = c
			}
		}
		want := math.Log(s) - row[labels[i]]
		if !scalar.EqualWithinAbsOrRel(loss[i], want, 0, lossTol) {
			t.Errorf("loss[%d] = %v, want log Σ exp z − z_y = %v", i, loss[i], want)
		}
		if pred[i] != best {
			t.Errorf("prediction %d = %d, want argmax %d", i, pred[i], best)
		}
	}
	if err := obj.Predictions(pred, n-1); err == nil {
		t.Error("Predictions with another n: no error")
	}
}

// TestRandomHeadsMatchesRandomHead checks that the K heads are those K
// successive net.RandomHead(rnd) calls draw, before and after Redraw, and
// that the loss is the mean over them of the cross-entropy of φ(x)W_k + b_k.
func TestRandomHeadsMatchesRandomHead(t *testing.T) {
	const n, d, classes, K = 5, 6, 4, 3
	net := randomNet[float64](t, []int{d, 8, 7, classes}, mlp.ReLU, 21)
	h := net.Head()
	h.BiasStd = 0.3
	net.SetHead(h)
	rnd := newRand(22)
	x := unitInputs[float64](rnd, n, d, 0, 1)
	labels := randomLabels(rnd, n, classes)
	obj, err := NewRandomHeads(net, K, n, newRand(23))
	if err != nil {
		t.Fatal(err)
	}
	ref := newRand(23)
	tp, _ := net.NewTape(n)
	phi, _ := tp.Features(x)
	for round := range 2 {
		want := make([]float64, n)
		for k := range K {
			head, err := net.RandomHead(ref)
			if err != nil {
				t.Fatal(err)
			}
			got, err := obj.Head(k)
			if err != nil {
				t.Fatal(err)
			}
			for j := range head.W {
				if got.W[j] != head.W[j] {
					t.Fatalf("round %d head %d: W[%d] = %v, net.RandomHead drew %v", round, k, j, got.W[j], head.W[j])
				}
			}
			for j := range head.B {
				if got.B[j] != head.B[j] {
					t.Fatalf("round %d head %d: b[%d] = %v, net.RandomHead drew %v", round, k, j, got.B[j], head.B[j])
				}
			}
			z, _ := head.Forward(nil, phi)
			for i := range n {
				row := z[i*classes : (i+1)*classes]
				var s float64
				for _, v := range row {
					s += math.Exp(v)
				}
				want[i] += (math.Log(s) - row[labels[i]]) / K
			}
		}
		loss := make([]float64, n)
		if err := obj.Loss(loss, x, labels, n); err != nil {
			t.Fatal(err)
		}
		for i := range n {
			if !scalar.EqualWithinAbsOrRel(loss[i], want[i], 0, lossTol) {
				t.Errorf("round %d: loss[%d] = %v, mean head cross-entropy %v", round, i, loss[i], want[i])
			}
		}
		obj.Redraw()
	}
}

// TestRandomHeadsSquaredReference checks the squared loss: zero at the
// reference, ½‖z_k(x) − z_k(x_ref)‖² averaged over heads elsewhere, and an
// error without a reference for the batch.
func TestRandomHeadsSquaredReference(t *testing.T) {
	const n, d, classes, K = 3, 4, 2, 2
	net := randomNet[float64](t, []int{d, 5, classes}, mlp.Tanh, 31)
	obj, err := NewRandomHeads(net, K, n, newRand(32))
	if err != nil {
		t.Fatal(err)
	}
	obj.HeadLoss = HeadSquared
	rnd := newRand(33)
	x := unitInputs[float64](rnd, n, d, 0, 1)
	labels := randomLabels(rnd, n, classes)
	loss := make([]float64, n)
	if err := obj.Loss(loss, x, labels, n); err == nil {
		t.Error("squared loss without a reference: no error")
	}
	if err := obj.SetReference(x, n); err != nil {
		t.Fatal(err)
	}
	dx := make([]float64, n*d)
	if err := obj.Gradient(dx, loss, x, labels, n); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if loss[i] != 0 {
			t.Errorf("loss at the reference[%d] = %v, want 0", i, loss[i])
		}
	}
	for j, v := range dx {
		if v != 0 {
			t.Fatalf("gradient at the reference[%d] = %v, want 0", j, v)
		}
	}
	y := unitInputs[float64](rnd, n, d, 0, 1)
	if err := obj.Loss(loss, y, labels, n); err != nil {
		t.Fatal(err)
	}
	tp, _ := net.NewTape(n)
	phiX, _ := tp.Features(x)
	phiX = append([]float64(nil), phiX...)
	phiY, _ := tp.Features(y)
	for i := range n {
		var want float64
		for k := range K {
			h, _ := obj.Head(k)
			zx, _ := h.Forward(nil, phiX[i*5:(i+1)*5])
			zy, _ := h.Forward(nil, phiY[i*5:(i+1)*5])
			for c := range classes {
				want += 0.5 * (zy[c] - zx[c]) * (zy[c] - zx[c]) / K
			}
		}
		if !scalar.EqualWithinAbsOrRel(loss[i], want, 1e-15, lossTol) {
			t.Errorf("squared loss[%d] = %v, want %v", i, loss[i], want)
		}
	}
	obj.Redraw()
	if err := obj.Loss(loss, y, labels, n); err == nil {
		t.Error("squared loss after Redraw without a new reference: no error")
	}
}

// TestRandomHeadsSeeded checks that the same seed draws the same heads and
// another seed different ones.
func TestRandomHeadsSeeded(t *testing.T) {
	net := randomNet[float32](t, []int{4, 6, 3}, mlp.ReLU, 41)
	a, _ := NewRandomHeads(net, 2, 1, newRand(5))
	b, _ := NewRandomHeads(net, 2, 1, newRand(5))
	c, _ := NewRandomHeads(net, 2, 1, newRand(6))
	ha, _ := a.Head(1)
	hb, _ := b.Head(1)
	hc, _ := c.Head(1)
	same, differ := true, false
	for j := range ha.W {
		same = same && ha.W[j] == hb.W[j]
		differ = differ || ha.W[j] != hc.W[j]
	}
	if !same || !differ {
		t.Errorf("same seed identical: %v (want true); other seed differs: %v (want true)", same, differ)
	}
}

// identityModel is the model whose logits are its inputs, z(x) = x, so
// that an objective's input gradient is its gradient in the logits.
type identityModel[T mlp.Float] struct{ classes int }

func (m identityModel[T]) In() int                        { return m.classes }
func (m identityModel[T]) Out() int                       { return m.classes }
func (m identityModel[T]) Logits(dst, x []T) error        { copy(dst, x); return nil }
func (m identityModel[T]) InputGradient(dx, dz []T) error { copy(dx, dz); return nil }

// confident returns the logits (a, 0, …, 0) of c classes.
func confident[T mlp.Float](a float64, c int) []T {
	z := make([]T, c)
	z[0] = T(a)
	return z
}

// TestCrossEntropySaturated checks the cross-entropy objective's gradient
// in the logits on confidently classified rows z = (a, 0, …, 0), label 0,
// where 1 − p_0 = (C − 1)e^{−a}/(1 + (C − 1)e^{−a}) falls to 2e-34 at a = 80
// and p_0 − 1 computed in float32 (from a = 17) or float64 (from a = 37)
// would be 0, and on rows with a wrong label. The reference is central
// differences of the float64 objective's loss, which near 0 is accurate to
// its own relative precision (so the difference resolves gradients of any
// size), with step h = 1e-4 (truncation h²/6 ≈ 2e-9 relative). Each float32
// component must hold to a few float32 roundings, each float64 component to
// the difference's accuracy.
func TestCrossEntropySaturated(t *testing.T) {
	const h = 1e-4
	for _, tc := range []struct {
		a    float64
		c, y int
	}{
		{5, 3, 0},
		{5, 3, 1},
		{20, 10, 0},
		{30, 10, 0},
		{40, 10, 0},
		{80, 2, 0},
	} {
		o64, err := NewLogitObjective[float64](identityModel[float64]{tc.c}, LossCE, 1)
		if err != nil {
			t.Fatal(err)
		}
		o32, err := NewLogitObjective[float32](identityModel[float32]{tc.c}, LossCE, 1)
		if err != nil {
			t.Fatal(err)
		}
		z64, z32 := confident[float64](tc.a, tc.c), confident[float32](tc.a, tc.c)
		g64, g32 := make([]float64, tc.c), make([]float32, tc.c)
		y := []int{tc.y}
		if err := o64.Gradient(g64, nil, z64, y, 1); err != nil {
			t.Fatal(err)
		}
		if err := o32.Gradient(g32, nil, z32, y, 1); err != nil {
			t.Fatal(err)
		}
		loss := make([]float64, 1)
		lossAt := func(j int, d float64) float64 {
			z := append([]float64(nil), z64...)
			z[j] += d
			if err := o64.Loss(loss, z, y, 1); err != nil {
				t.Fatal(err)
			}
			return loss[0]
		}
		for j := range tc.c {
			want := (lossAt(j, h) - lossAt(j, -h)) / (2 * h)
			if !scalar.EqualWithinRel(g64[j], want, 1e-7) {
				t.Errorf("a = %g, C = %d, y = %d: float64 ∂ℓ/∂z_%d = %.10g, central differences %.10g", tc.a, tc.c, tc.y, j, g64[j], want)
			}
			if !scalar.EqualWithinRel(float64(g32[j]), want, 1e-6) {
				t.Errorf("a = %g, C = %d, y = %d: float32 ∂ℓ/∂z_%d = %.8g, central differences %.10g", tc.a, tc.c, tc.y, j, g32[j], want)
			}
		}
	}
}
