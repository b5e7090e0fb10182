package attack

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"pointwise/lib/mlp"
)

// attacksFor returns every attack configuration of the package at radius
// eps (L∞ ones) with their norm, on a network with classes outputs.
func attacksFor[T mlp.Float](t *testing.T, net *mlp.Network[T], eps float64, n int) []struct {
	atk  Attack[T]
	norm Norm
	eps  float64
} {
	t.Helper()
	ce, err := NewCrossEntropy(net, n)
	if err != nil {
		t.Fatal(err)
	}
	heads, err := NewRandomHeads(net, 3, n, newRand(1))
	if err != nil {
		t.Fatal(err)
	}
	squared, err := NewRandomHeads(net, 3, n, newRand(2))
	if err != nil {
		t.Fatal(err)
	}
	squared.HeadLoss = HeadSquared
	l2 := 4 * eps // an L2 radius larger than the L∞ one, as in practice
	type entry = struct {
		atk  Attack[T]
		norm Norm
		eps  float64
	}
	return []entry{
		{Identity[T]{}, LInf, 0},
		{&RandomNoise[T]{Epsilon: eps, Seed: 1}, LInf, eps},
		{&FGSM[T]{Objective: ce, Epsilon: eps}, LInf, eps},
		{&FGSM[T]{Objective: ce, Epsilon: eps, Targeted: true}, LInf, eps},
		{&PGD[T]{Objective: ce, Epsilon: eps}, LInf, eps},
		{&PGD[T]{Objective: ce, Epsilon: eps, NoRandomStart: true, Steps: 3}, LInf, eps},
		{&PGD[T]{Objective: ce, Epsilon: eps, Restarts: 3, Steps: 5, StepSize: 0.7}, LInf, eps},
		{&PGD[T]{Objective: ce, Epsilon: eps, Targeted: true, LastIterate: true}, LInf, eps},
		{&PGD[T]{Objective: heads, Epsilon: eps}, LInf, eps},
		{&PGD[T]{Objective: squared, Epsilon: eps, Restarts: 2}, LInf, eps},
		{&PGD[T]{Objective: ce, Epsilon: l2, Norm: L2}, L2, l2},
		{&PGD[T]{Objective: ce, Epsilon: l2, Norm: L2, Restarts: 2, StepSize: 3}, L2, l2},
		{&PGD[T]{Objective: heads, Epsilon: l2, Norm: L2, NoRandomStart: true}, L2, l2},
	}
}

// TestAttacksStayInBall checks every coordinate of every output: inside
// [0, 1] and inside the ε-ball of its clean row, for ε from 0 to 1, on
// inputs that include the box's faces 0 and 1; and that x is not modified.
func TestAttacksStayInBall(t *testing.T) {
	const n, d, classes = 12, 10, 3
	t.Run("float64", func(t *testing.T) { testBall[float64](t, n, d, classes, ballTol64) })
	t.Run("float32", func(t *testing.T) { testBall[float32](t, n, d, classes, ballTol32) })
}

func testBall[T mlp.Float](t *testing.T, n, d, classes int, tol float64) {
	net := randomNet[T](t, []int{d, 16, 16, classes}, mlp.ReLU, 3)
	rnd := newRand(4)
	x := unitInputs[T](rnd, n, d, 0, 1)
	for j := 0; j < len(x); j += 7 {
		x[j] = T(j % 2) // faces of the box
	}
	x0 := append([]T(nil), x...)
	labels := randomLabels(rnd, n, classes)
	dst := make([]T, len(x))
	for _, eps := range []float64{0, 0.01, 0.1, 0.3, 1} {
		for _, c := range attacksFor(t, net, eps, n) {
			name := fmt.Sprintf("%s ε=%v", c.atk.Name(), c.eps)
			if err := c.atk.Perturb(dst, x, labels, n); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			checkBall(t, name, dst, x, x0, d, c.eps, c.norm, tol)
		}
	}
}

// TestLinearClosedForm checks FGSM and PGD against the optimal attack on a
// linear two-class classifier, where it is known in closed form. With
// margin m(x) = z_y − z_{1−y} = x·w_y + c, the cross-entropy
// log(1 + e^{−m}) decreases in m, so the L∞ ball's worst point is
// x − ε·sign(w_y) (m drops by ε‖w_y‖₁) and the L2 ball's is x − ε·w_y/‖w_y‖₂
// (m drops by ε‖w_y‖₂). Inputs in [0.3, 0.7] and ε ≤ 0.25 keep the box's
// faces out of reach.
func TestLinearClosedForm(t *testing.T) {
	const n, d = 8, 6
	net := linearNet(t, d, 1)
	rnd := newRand(2)
	x := unitInputs[float64](rnd, n, d, 0.3, 0.7)
	labels := randomLabels(rnd, n, 2)
	obj, err := NewCrossEntropy(net, n)
	if err != nil {
		t.Fatal(err)
	}
	dst := make([]float64, n*d)
	for _, eps := range []float64{0.01, 0.1, 0.25} {
		for _, tc := range []struct {
			atk  Attack[float64]
			norm Norm
		}{
			{&FGSM[float64]{Objective: obj, Epsilon: eps}, LInf},
			{&PGD[float64]{Objective: obj, Epsilon: eps}, LInf},
			{&PGD[float64]{Objective: obj, Epsilon: eps, Steps: 20, Restarts: 3, Seed: 5}, LInf},
			{&PGD[float64]{Objective: obj, Epsilon: eps, NoRandomStart: true, LastIterate: true}, LInf},
			// Without random start the L2 iterates stay on the ray x − s·w/‖w‖
			// and the projection stops them at s = ε exactly.
			{&PGD[float64]{Objective: obj, Epsilon: eps, Norm: L2, NoRandomStart: true}, L2},
			{&PGD[float64]{Objective: obj, Epsilon: eps, Norm: L2, NoRandomStart: true, Steps: 1, StepSize: eps}, L2},
		} {
			if err := tc.atk.Perturb(dst, x, labels, n); err != nil {
				t.Fatal(err)
			}
			tol := exactTol
			if tc.norm == L2 {
				tol = 1e-13 // normalisation and projection round a few times
			}
			for i, y := range labels {
				w := marginWeights(net, y)
				var norm2 float64
				for _, v := range w {
					norm2 += v * v
				}
				norm2 = math.Sqrt(norm2)
				for j, wj := range w {
					var want float64
					switch tc.norm {
					case LInf:
						want = x[i*d+j] - eps*math.Copysign(1, wj)
					case L2:
						want = x[i*d+j] - eps*wj/norm2
					}
					if got := dst[i*d+j]; !scalar.EqualWithinAbs(got, want, tol) {
						t.Errorf("%s ε=%v sample %d coordinate %d: %.17g, optimum %.17g", tc.atk.Name(), eps, i, j, got, want)
					}
				}
			}
		}
	}
}

// TestTargetedLinear checks that a targeted attack toward the other class
// of a two-class linear classifier is the untargeted attack: descending the
// loss to class 1−y is ascending the loss to y.
func TestTargetedLinear(t *testing.T) {
	const n, d, eps = 5, 4, 0.2
	net := linearNet(t, d, 3)
	rnd := newRand(4)
	x := unitInputs[float64](rnd, n, d, 0.3, 0.7)
	labels := randomLabels(rnd, n, 2)
	targets := make([]int, n)
	for i, y := range labels {
		targets[i] = 1 - y
	}
	obj, _ := NewCrossEntropy(net, n)
	a, b := make([]float64, n*d), make([]float64, n*d)
	for _, pair := range [][2]Attack[float64]{
		{&FGSM[float64]{Objective: obj, Epsilon: eps}, &FGSM[float64]{Objective: obj, Epsilon: eps, Targeted: true}},
		// The last iterates: the best ones may differ where the two losses
		// tie in floating point (log(1 + e^m) ≈ m loses the small changes).
		{&PGD[float64]{Objective: obj, Epsilon: eps, NoRandomStart: true, LastIterate: true},
			&PGD[float64]{Objective: obj, Epsilon: eps, NoRandomStart: true, LastIterate: true, Targeted: true}},
	} {
		if err := pair[0].Perturb(a, x, labels, n); err != nil {
			t.Fatal(err)
		}
		if err := pair[1].Perturb(b, x, targets, n); err != nil {
			t.Fatal(err)
		}
		for j := range a {
			if a[j] != b[j] {
				t.Fatalf("%s and %s differ at %d: %v, %v", pair[0].Name(), pair[1].Name(), j, a[j], b[j])
			}
		}
	}
}

// evalObjective returns each sample's loss and success (misclassified, or
// classified as the label when targeted) at the inputs x.
func evalObjective(t *testing.T, obj *LogitObjective[float64], x []float64, labels []int, targeted bool) ([]float64, []bool) {
	t.Helper()
	n := len(labels)
	loss := make([]float64, n)
	pred := make([]int, n)
	if err := obj.Loss(loss, x, labels, n); err != nil {
		t.Fatal(err)
	}
	if err := obj.Predictions(pred, n); err != nil {
		t.Fatal(err)
	}
	succ := make([]bool, n)
	for i, y := range labels {
		succ[i] = (pred[i] == y) == targeted
	}
	return loss, succ
}

// notWeaker reports whether (s1, l1) is at least as good as (s0, l0) in
// PGD's order: success first, then the loss (higher, or lower when
// targeted), to lossTol.
func notWeaker(s1 bool, l1 float64, s0 bool, l0 float64, targeted bool) bool {
	if s1 != s0 {
		return s1
	}
	slack := lossTol * max(1, math.Abs(l0))
	if targeted {
		return l1 <= l0+slack
	}
	return l1 >= l0-slack
}

// TestPGDBestIterate checks, on a trained model, that PGD's result is never
// weaker than its own first iterate x⁰ = x (no random start): each sample
// ends misclassified or with a loss at least the clean one (at most, to the
// target, when targeted); and that restarts never weaken the result: the
// first run of a PGD with 5 restarts is the single run of the same seed, and
// each sample keeps its best over runs.
func TestPGDBestIterate(t *testing.T) {
	net, x, y := trainedBlobs[float64](t)
	n := len(y)
	obj, err := NewCrossEntropy(net, n)
	if err != nil {
		t.Fatal(err)
	}
	targets := make([]int, n)
	for i, v := range y {
		targets[i] = (v + 1) % 3
	}
	dst := make([]float64, len(x))
	for _, targeted := range []bool{false, true} {
		labels := y
		if targeted {
			labels = targets
		}
		l0, s0 := evalObjective(t, obj, x, labels, targeted)
		for _, eps := range []float64{0.05, 0.2} {
			for _, norm := range []Norm{LInf, L2} {
				e := eps
				if norm == L2 {
					e = 4 * eps
				}
				pgd := &PGD[float64]{Objective: obj, Epsilon: e, Norm: norm, NoRandomStart: true, Targeted: targeted}
				if err := pgd.Perturb(dst, x, labels, n); err != nil {
					t.Fatal(err)
				}
				l1, s1 := evalObjective(t, obj, dst, labels, targeted)
				for i := range n {
					if !notWeaker(s1[i], l1[i], s0[i], l0[i], targeted) {
						t.Errorf("%s ε=%v sample %d: (success %v, loss %v) weaker than clean (%v, %v)", pgd.Name(), e, i, s1[i], l1[i], s0[i], l0[i])
					}
				}
				one := &PGD[float64]{Objective: obj, Epsilon: e, Norm: norm, Steps: 5, Seed: 3, Targeted: targeted}
				five := &PGD[float64]{Objective: obj, Epsilon: e, Norm: norm, Steps: 5, Seed: 3, Targeted: targeted, Restarts: 5}
				if err := one.Perturb(dst, x, labels, n); err != nil {
					t.Fatal(err)
				}
				lOne, sOne := evalObjective(t, obj, dst, labels, targeted)
				if err := five.Perturb(dst, x, labels, n); err != nil {
					t.Fatal(err)
				}
				lFive, sFive := evalObjective(t, obj, dst, labels, targeted)
				better := 0
				for i := range n {
					if !notWeaker(sFive[i], lFive[i], sOne[i], lOne[i], targeted) {
						t.Errorf("%s ε=%v sample %d: (success %v, loss %v) weaker than one run's (%v, %v)", five.Name(), e, i, sFive[i], lFive[i], sOne[i], lOne[i])
					}
					if sFive[i] != sOne[i] || lFive[i] != lOne[i] {
						better++
					}
				}
				if better == 0 {
					t.Errorf("%s ε=%v: restarts changed no sample: the runs are not independent", five.Name(), e)
				}
			}
		}
	}
}

// TestSeedsReproduce checks that the same seed gives identical
// perturbations, another seed different ones, that successive calls continue
// the stream, and that Reset restarts it.
func TestSeedsReproduce(t *testing.T) {
	const n, d, classes = 6, 8, 3
	net := randomNet[float32](t, []int{d, 10, classes}, mlp.ReLU, 1)
	rnd := newRand(2)
	x := unitInputs[float32](rnd, n, d, 0, 1)
	labels := randomLabels(rnd, n, classes)
	obj, _ := NewCrossEntropy(net, n)
	run := func(a Attack[float32]) []float32 {
		dst := make([]float32, len(x))
		if err := a.Perturb(dst, x, labels, n); err != nil {
			t.Fatal(err)
		}
		return dst
	}
	equal := func(a, b []float32) bool {
		for j := range a {
			if a[j] != b[j] {
				return false
			}
		}
		return true
	}
	for _, norm := range []Norm{LInf, L2} {
		a := &PGD[float32]{Objective: obj, Epsilon: 0.2, Norm: norm, Seed: 7, Restarts: 2}
		b := &PGD[float32]{Objective: obj, Epsilon: 0.2, Norm: norm, Seed: 7, Restarts: 2}
		c := &PGD[float32]{Objective: obj, Epsilon: 0.2, Norm: norm, Seed: 8, Restarts: 2}
		ra, rb, rc := run(a), run(b), run(c)
		if !equal(ra, rb) {
			t.Errorf("%v: the same seed gave different perturbations", norm)
		}
		if equal(ra, rc) {
			t.Errorf("%v: seeds 7 and 8 gave identical perturbations", norm)
		}
		second := run(a)
		if equal(ra, second) {
			t.Errorf("%v: a second call repeated the first call's random start", norm)
		}
		a.Reset()
		if !equal(ra, run(a)) {
			t.Errorf("%v: Reset did not restart the stream", norm)
		}
	}
	na, nb := &RandomNoise[float32]{Epsilon: 0.1, Seed: 3}, &RandomNoise[float32]{Epsilon: 0.1, Seed: 3}
	if !equal(run(na), run(nb)) {
		t.Error("RandomNoise: the same seed gave different noise")
	}
}

// TestRandomNoiseCorners checks that every coordinate of RandomNoise moves by
// exactly ±ε unless clipped, and that both signs occur about equally often.
func TestRandomNoiseCorners(t *testing.T) {
	const n, d, eps = 50, 40, 0.125
	rnd := newRand(1)
	x := unitInputs[float64](rnd, n, d, 0.25, 0.75)
	dst := make([]float64, len(x))
	a := &RandomNoise[float64]{Epsilon: eps}
	if err := a.Perturb(dst, x, make([]int, n), n); err != nil {
		t.Fatal(err)
	}
	plus := 0
	for j := range x {
		d := dst[j] - x[j]
		switch {
		case scalar.EqualWithinAbs(d, eps, exactTol):
			plus++
		case scalar.EqualWithinAbs(d, -eps, exactTol):
		default:
			t.Fatalf("coordinate %d moved by %v, want ±%v", j, d, eps)
		}
	}
	// Binomial(2000, ½): mean 1000, standard deviation ≈ 22; 5σ ≈ 112.
	if math.Abs(float64(plus)-n*d/2) > 112 {
		t.Errorf("%d of %d coordinates moved up: not a fair sign", plus, n*d)
	}
}

// TestBadInputs checks that every argument a user can get wrong returns an
// error naming it.
func TestBadInputs(t *testing.T) {
	const n, d, classes = 2, 3, 2
	net := randomNet[float64](t, []int{d, 4, classes}, mlp.ReLU, 1)
	noHidden, _ := mlp.New[float64]([]int{d, classes}, mlp.ReLU, mlp.Identity)
	unInit, _ := mlp.New[float64]([]int{d, 4, classes}, mlp.ReLU, mlp.Identity)
	obj, _ := NewCrossEntropy(net, n)
	heads, _ := NewRandomHeads(net, 2, n, newRand(1))
	x := []float64{0.1, 0.2, 0.3, 0.4, 0.5, 0.6}
	y := []int{0, 1}
	dst := make([]float64, len(x))
	nan := math.NaN()
	pgd := func(p PGD[float64]) error { p.Objective = obj; return p.Perturb(dst, x, y, n) }
	for _, tc := range []struct {
		name, want string
		err        error
	}{
		{"ε < 0", "Epsilon = -0.1", pgd(PGD[float64]{Epsilon: -0.1})},
		{"ε > 1 L∞", "Epsilon = 1.5", pgd(PGD[float64]{Epsilon: 1.5})},
		{"ε NaN", "Epsilon = NaN", pgd(PGD[float64]{Epsilon: nan})},
		{"ε +Inf L2", "Epsilon = +Inf", pgd(PGD[float64]{Epsilon: math.Inf(1), Norm: L2})},
		{"FGSM ε > 1", "Epsilon = 2", (&FGSM[float64]{Objective: obj, Epsilon: 2}).Perturb(dst, x, y, n)},
		{"noise ε < 0", "Epsilon = -1", (&RandomNoise[float64]{Epsilon: -1}).Perturb(dst, x, y, n)},
		{"steps < 0", "Steps = -1", pgd(PGD[float64]{Epsilon: 0.1, Steps: -1})},
		{"step size NaN", "StepSize = NaN", pgd(PGD[float64]{Epsilon: 0.1, StepSize: nan})},
		{"step size < 0", "StepSize = -0.5", pgd(PGD[float64]{Epsilon: 0.1, StepSize: -0.5})},
		{"restarts < 0", "Restarts = -2", pgd(PGD[float64]{Epsilon: 0.1, Restarts: -2})},
		{"unknown norm", "Norm = Norm(7)", pgd(PGD[float64]{Epsilon: 0.1, Norm: 7})},
		{"nil objective", "Objective nil", (&PGD[float64]{Epsilon: 0.1}).Perturb(dst, x, y, n)},
		{"nil FGSM objective", "Objective nil", (&FGSM[float64]{Epsilon: 0.1}).Perturb(dst, x, y, n)},
		{"n = 0", "n = 0", (&PGD[float64]{Objective: obj, Epsilon: 0.1}).Perturb(dst, x, nil, 0)},
		{"x not n rows", "not a positive multiple of n = 4", (&FGSM[float64]{Objective: obj, Epsilon: 0.1}).Perturb(dst, x, []int{0, 1, 0, 1}, 4)},
		{"labels short", "1 labels for n = 2", (&FGSM[float64]{Objective: obj, Epsilon: 0.1}).Perturb(dst, x, y[:1], n)},
		{"dst short", "dst length 5", (&FGSM[float64]{Objective: obj, Epsilon: 0.1}).Perturb(dst[:5], x, y, n)},
		{"dst aliases x", "dst overlaps x", (&FGSM[float64]{Objective: obj, Epsilon: 0.1}).Perturb(x, x, y, n)},
		{"x > 1", "x[1] = 1.2", (&FGSM[float64]{Objective: obj, Epsilon: 0.1}).Perturb(dst, []float64{0, 1.2, 0, 0, 0, 0}, y, n)},
		{"x NaN", "x[0] = NaN", Identity[float64]{}.Perturb(dst, []float64{nan, 0, 0, 0, 0, 0}, y, n)},
		{"label out of range", "label 2 of sample 1", (&FGSM[float64]{Objective: obj, Epsilon: 0.1}).Perturb(dst, x, []int{0, 2}, n)},
		{"batch > maxBatch", "n = 3 out of range", obj.Gradient(make([]float64, 9), nil, make([]float64, 9), []int{0, 0, 0}, 3)},
		{"gradient short", "gradient length 5", obj.Gradient(dst[:5], nil, x, y, n)},
		{"loss short", "loss length 1", obj.Loss(make([]float64, 1), x, y, n)},
		{"heads gradient short", "gradient length 5", heads.Gradient(dst[:5], nil, x, y, n)},
		{"heads wrong width", "input length 4", heads.Loss(nil, x[:4], y, n)},
		{"K < 1", "K = 0", second(NewRandomHeads(net, 0, n, newRand(1)))},
		{"maxBatch < 1 heads", "maxBatch = 0", second(NewRandomHeads(net, 1, 0, newRand(1)))},
		{"maxBatch < 1", "maxBatch = -1", second(NewCrossEntropy(net, -1))},
		{"nil network", "network nil", second(NewCrossEntropy[float64](nil, 1))},
		{"nil rand", "random source nil", second(NewRandomHeads(net, 1, 1, nil))},
		{"no hidden layer", "no hidden layer", second(NewRandomHeads(noHidden, 1, 1, newRand(1)))},
		{"uninitialised head", "σ_w = 0", second(NewRandomHeads(unInit, 1, 1, newRand(1)))},
		{"head index", "k = 2 out of range", second(heads.Head(2))},
	} {
		if tc.err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		if !strings.Contains(tc.err.Error(), tc.want) {
			t.Errorf("%s: error %q does not mention %q", tc.name, tc.err, tc.want)
		}
	}
}

func second[A any](_ A, err error) error { return err }

// TestPerturbNoAlloc checks that, once its workspaces exist, a whole
// Perturb call (and so every PGD step in it) allocates nothing.
func TestPerturbNoAlloc(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	const n, d, classes = 16, 32, 4
	net := randomNet[float32](t, []int{d, 24, 24, classes}, mlp.ReLU, 1)
	rnd := newRand(2)
	x := unitInputs[float32](rnd, n, d, 0, 1)
	labels := randomLabels(rnd, n, classes)
	dst := make([]float32, len(x))
	ce, _ := NewCrossEntropy(net, n)
	heads, _ := NewRandomHeads(net, 8, n, newRand(3))
	squared, _ := NewRandomHeads(net, 8, n, newRand(3))
	squared.HeadLoss = HeadSquared
	for _, atk := range []Attack[float32]{
		&PGD[float32]{Objective: ce, Epsilon: 0.1},
		&PGD[float32]{Objective: ce, Epsilon: 0.5, Norm: L2, Restarts: 2},
		&PGD[float32]{Objective: heads, Epsilon: 0.1},
		&PGD[float32]{Objective: squared, Epsilon: 0.1, LastIterate: true},
		&FGSM[float32]{Objective: ce, Epsilon: 0.1},
		&RandomNoise[float32]{Epsilon: 0.1},
	} {
		if err := atk.Perturb(dst, x, labels, n); err != nil {
			t.Fatal(err)
		}
		allocs := testing.AllocsPerRun(5, func() {
			if err := atk.Perturb(dst, x, labels, n); err != nil {
				t.Fatal(err)
			}
		})
		if allocs != 0 {
			t.Errorf("%s: %v allocations per Perturb in steady state, want 0", atk.Name(), allocs)
		}
	}
	allocs := testing.AllocsPerRun(5, func() { heads.Redraw() })
	if allocs != 0 {
		t.Errorf("Redraw: %v allocations, want 0", allocs)
	}
}

// TestNames checks the attack names used in the CSV's attack column.
func TestNames(t *testing.T) {
	for _, tc := range []struct {
		atk  Attack[float32]
		want string
	}{
		{&PGD[float32]{}, "PGD-10"},
		{&PGD[float32]{Steps: 20}, "PGD-20"},
		{&PGD[float32]{Norm: L2, Restarts: 5, Targeted: true}, "PGD-10-L2-R5-targeted"},
		{&PGD[float32]{Restarts: 5, NoRandomStart: true}, "PGD-10"},
		{&FGSM[float32]{}, "FGSM"},
		{&RandomNoise[float32]{}, "RandomNoise"},
		{Identity[float32]{}, "Identity"},
	} {
		if got := tc.atk.Name(); got != tc.want {
			t.Errorf("Name() = %q, want %q", got, tc.want)
		}
	}
}
