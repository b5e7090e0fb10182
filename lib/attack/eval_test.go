package attack

import (
	"errors"
	"math"
	"testing"

	"pointwise/lib/dataset"
	"pointwise/lib/internal/numeric"
	"pointwise/lib/mlp"
)

// curve returns Evaluate's result for the attack attackFor(ε) alone at
// each ε of epsilons, on net's model: a robustness curve.
func curve[T mlp.Float](t *testing.T, net *mlp.Network[T], attackFor func(eps float64) Attack[T], x []T, labels []int, epsilons []float64, batch int) []*EnsembleResult {
	t.Helper()
	model, err := NewNetworkModel(net, batch)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]*EnsembleResult, len(epsilons))
	for k, eps := range epsilons {
		if out[k], err = Evaluate(model, []Attack[T]{attackFor(eps)}, x, labels, batch); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// TestEvaluateLinear checks Evaluate against the closed form for a linear
// two-class classifier: with margin m_i = x_i·w_{y_i}, sample i is robust
// at L∞ radius ε exactly when m_i − ε‖w_{y_i}‖₁ > 0 (at L2 radius ε when
// m_i − ε‖w_{y_i}‖₂ > 0), clean errors (m_i < 0) included, since FGSM and
// PGD reach the optimum (TestLinearClosedForm). Inputs in [0.3, 0.7] and
// ε ≤ 0.25 keep the box's faces out of reach.
func TestEvaluateLinear(t *testing.T) {
	const n, d, batch = 203, 6, 50 // n not a multiple of the batch
	net := linearNet(t, d, 11)
	rnd := newRand(12)
	x := unitInputs[float64](rnd, n, d, 0.3, 0.7)
	// Centre the classifier on the data so that both classes occur.
	l := net.Layer(0)
	for c := range 2 {
		var m float64
		for j := range d {
			m += 0.5 * l.W[j*2+c]
		}
		l.B[c] = -m
	}
	labels := randomLabels(rnd, n, 2)
	obj, err := NewCrossEntropy(net, batch)
	if err != nil {
		t.Fatal(err)
	}
	epsilons := []float64{0, 0.01, 0.05, 0.1, 0.25}
	for _, tc := range []struct {
		name   string
		norm   Norm
		attack func(eps float64) Attack[float64]
	}{
		{"FGSM", LInf, func(eps float64) Attack[float64] { return &FGSM[float64]{Objective: obj, Epsilon: eps} }},
		{"PGD", LInf, func(eps float64) Attack[float64] { return &PGD[float64]{Objective: obj, Epsilon: eps} }},
		{"PGD-L2", L2, func(eps float64) Attack[float64] {
			return &PGD[float64]{Objective: obj, Epsilon: eps, Norm: L2, NoRandomStart: true}
		}},
	} {
		res := curve(t, net, tc.attack, x, labels, epsilons, batch)
		for k, r := range res {
			eps := epsilons[k]
			if r.N != n || len(r.Success) != n {
				t.Fatalf("%s: result %d has N = %d, %d flags", tc.name, k, r.N, len(r.Success))
			}
			robust, skipped := 0, 0
			for i, y := range labels {
				w := marginWeights(net, y)
				m := dot(x[i*d:(i+1)*d], w) + l.B[y] - l.B[1-y]
				var norm float64
				for _, v := range w {
					if tc.norm == LInf {
						norm += math.Abs(v)
					} else {
						norm += v * v
					}
				}
				if tc.norm == L2 {
					norm = math.Sqrt(norm)
				}
				after := m - eps*norm
				want := !(m > 0 && after > 0)
				if math.Abs(after) < 1e-9 || math.Abs(m) < 1e-9 {
					skipped++ // a tie: rounding decides
				} else if r.Success[i] != want {
					t.Errorf("%s ε=%v sample %d: success %v, closed form %v (margin %v → %v)", tc.name, eps, i, r.Success[i], want, m, after)
				}
				if !r.Success[i] {
					robust++
				}
			}
			if robust != r.Correct || r.Accuracy != float64(robust)/n {
				t.Errorf("%s ε=%v: Correct = %d, Accuracy = %v, but %d samples robust", tc.name, eps, r.Correct, r.Accuracy, robust)
			}
			if skipped > 0 {
				t.Logf("%s ε=%v: %d ties skipped", tc.name, eps, skipped)
			}
		}
		if res[0].Accuracy <= res[len(res)-1].Accuracy || res[len(res)-1].Correct == 0 && res[0].Correct == n {
			t.Errorf("%s: accuracy %v at ε = 0 and %v at ε = 0.25: the test does not exercise the attack", tc.name, res[0].Accuracy, res[len(res)-1].Accuracy)
		}
	}
}

// TestPGDStrongerThanFGSM trains a small network on the blobs problem and
// checks that PGD-20 (random start, α = 2.5ε/20) leaves no more samples
// robust than FGSM at every ε, and fewer at some, with clean accuracy high
// enough for the comparison to mean something, and that PGD's accuracy does
// not rise with ε (a larger ball contains the smaller one).
func TestPGDStrongerThanFGSM(t *testing.T) {
	net, x, y := trainedBlobs[float64](t)
	n := len(y)
	obj, err := NewCrossEntropy(net, 128)
	if err != nil {
		t.Fatal(err)
	}
	epsilons := []float64{0, 0.05, 0.1, 0.15, 0.2}
	fgsm := curve(t, net, func(eps float64) Attack[float64] {
		return &FGSM[float64]{Objective: obj, Epsilon: eps}
	}, x, y, epsilons, 128)
	pgd := curve(t, net, func(eps float64) Attack[float64] {
		return &PGD[float64]{Objective: obj, Epsilon: eps, Steps: 20}
	}, x, y, epsilons, 128)
	if fgsm[0].Accuracy < 0.9 {
		t.Fatalf("clean accuracy %v on %d samples: the model is not trained", fgsm[0].Accuracy, n)
	}
	stronger := false
	for k, eps := range epsilons {
		t.Logf("ε = %v: FGSM %.3f, PGD-20 %.3f", eps, fgsm[k].Accuracy, pgd[k].Accuracy)
		if pgd[k].Accuracy > fgsm[k].Accuracy {
			t.Errorf("ε = %v: PGD-20 accuracy %v above FGSM's %v", eps, pgd[k].Accuracy, fgsm[k].Accuracy)
		}
		stronger = stronger || pgd[k].Accuracy < fgsm[k].Accuracy
		if k > 0 && pgd[k].Accuracy > pgd[k-1].Accuracy {
			t.Errorf("PGD-20 accuracy rises from %v at ε = %v to %v at ε = %v", pgd[k-1].Accuracy, epsilons[k-1], pgd[k].Accuracy, eps)
		}
	}
	if !stronger {
		t.Error("PGD-20 never stronger than FGSM: the attack is not iterating")
	}
}

// TestMNISTSanityBand trains a 784→128→10 network on 5000 MNIST images for
// two epochs and checks fig6's sanity band from the literature: a
// standard MLP keeps well under 20% accuracy under PGD at ε = 0.1, and FGSM
// is no stronger than PGD.
func TestMNISTSanityBand(t *testing.T) {
	if testing.Short() {
		t.Skip("trains on MNIST: skipped in short mode")
	}
	set, err := dataset.MNIST()
	if errors.Is(err, dataset.ErrNotFound) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	train, err := set.Train.Subset(5000)
	if err != nil {
		t.Fatal(err)
	}
	test, err := set.Test.Subset(500)
	if err != nil {
		t.Fatal(err)
	}
	net := randomNet[float32](t, []int{784, 128, 10}, mlp.ReLU, 1)
	tr := mlp.Trainer[float32]{Epochs: 2, Seed: 2}
	if _, err := tr.Train(net, train.X, train.Y); err != nil {
		t.Fatal(err)
	}
	obj, err := NewCrossEntropy(net, 128)
	if err != nil {
		t.Fatal(err)
	}
	epsilons := []float64{0, 0.1}
	pgd := curve(t, net, func(eps float64) Attack[float32] {
		return &PGD[float32]{Objective: obj, Epsilon: eps, Steps: 20}
	}, test.X, test.Y, epsilons, 128)
	fgsm := curve(t, net, func(eps float64) Attack[float32] {
		return &FGSM[float32]{Objective: obj, Epsilon: eps}
	}, test.X, test.Y, epsilons, 128)
	t.Logf("clean %.3f; ε = 0.1: FGSM %.3f, PGD-20 %.3f", pgd[0].Accuracy, fgsm[1].Accuracy, pgd[1].Accuracy)
	if pgd[0].Accuracy < 0.85 {
		t.Fatalf("clean accuracy %v: the model is not trained", pgd[0].Accuracy)
	}
	if pgd[1].Accuracy >= 0.2 {
		t.Errorf("PGD-20 at ε = 0.1 leaves %v accuracy: above the sanity band of 20%%, suspect the attack", pgd[1].Accuracy)
	}
	if pgd[1].Accuracy > fgsm[1].Accuracy {
		t.Errorf("PGD-20 accuracy %v above FGSM's %v", pgd[1].Accuracy, fgsm[1].Accuracy)
	}
}

// TestIdentityIsClean checks that the identity attack's robust accuracy is
// the clean accuracy of mlp.Evaluate at every ε, and that its success flags
// are the clean errors.
func TestIdentityIsClean(t *testing.T) {
	net, x, y := trainedBlobs[float32](t)
	_, acc, err := mlp.Evaluate(net, x, y, 0)
	if err != nil {
		t.Fatal(err)
	}
	res := curve(t, net, func(float64) Attack[float32] { return Identity[float32]{} }, x, y, []float64{0, 0.5}, DefaultEvalBatch)
	z, _ := net.Forward(nil, x)
	for k, r := range res {
		if r.Accuracy != acc {
			t.Errorf("run %d: identity accuracy %v, clean accuracy %v", k, r.Accuracy, acc)
		}
		for i, s := range r.Success {
			if want := numeric.Argmax(z[i*3:(i+1)*3]) != y[i]; s != want {
				t.Errorf("sample %d: success %v, clean error %v", i, s, want)
			}
		}
	}
}
