package attack

import (
	"strings"
	"testing"

	"pointwise/lib/mlp"
)

// recorder wraps an attack and records the labels of every sample it is
// given, so that a test can see which samples an ensemble attacked.
type recorder struct {
	Attack[float32]
	seen int
}

func (r *recorder) Perturb(dst, x []float32, labels []int, n int) error {
	r.seen += n
	return r.Attack.Perturb(dst, x, labels, n)
}

// TestEnsembleWorstCase checks, on a trained 10-class MLP with
// deterministic attacks (FGSM, PGD without random start, APGD from a fixed
// seed per call), that the ensemble breaks exactly the samples one of its
// members breaks alone (the OR of their successes), that BrokenBy names the
// first member that does, that clean errors count as not robust and are
// never attacked, and that each member only sees the samples still robust.
func TestEnsembleWorstCase(t *testing.T) {
	net, x, y := tenClass[float32](t)
	x, y = x[:200*64], y[:200]
	y[0] = (y[0] + 1) % 10 // a clean error
	m, _ := NewNetworkModel(net, 64)
	ce, _ := NewCrossEntropy(net, 64)
	const eps = 0.08
	members := func() []Attack[float32] {
		return []Attack[float32]{
			&FGSM[float32]{Objective: ce, Epsilon: eps},
			&PGD[float32]{Objective: ce, Epsilon: eps, Steps: 10, NoRandomStart: true},
			&PGD[float32]{Objective: ce, Epsilon: eps, Steps: 30, NoRandomStart: true, StepSize: eps / 10},
		}
	}
	alone := make([]*EnsembleResult, 3)
	for k, a := range members() {
		r, err := Evaluate[float32](m, []Attack[float32]{a}, x, y, 64)
		if err != nil {
			t.Fatal(err)
		}
		alone[k] = r
	}
	recs := make([]*recorder, 3)
	atks := make([]Attack[float32], 3)
	for k, a := range members() {
		recs[k] = &recorder{Attack: a}
		atks[k] = recs[k]
	}
	ens, err := Evaluate[float32](m, atks, x, y, 64)
	if err != nil {
		t.Fatal(err)
	}
	if ens.BrokenBy[0] != CleanError || !ens.Success[0] {
		t.Errorf("sample 0 (clean error): BrokenBy %d, Success %v; want CleanError, true", ens.BrokenBy[0], ens.Success[0])
	}
	stillRobust := ens.CleanCorrect
	for k := range 3 {
		if recs[k].seen != stillRobust {
			t.Errorf("attack %d saw %d samples, want the %d still robust", k, recs[k].seen, stillRobust)
		}
		stillRobust = int(ens.AccuracyAfter[k]*float64(ens.N) + 0.5)
	}
	correct := 0
	for i := range y {
		or := alone[0].Success[i] || alone[1].Success[i] || alone[2].Success[i]
		if ens.Success[i] != or {
			t.Errorf("sample %d: ensemble success %v, OR of members %v", i, ens.Success[i], or)
		}
		if !or {
			correct++
			continue
		}
		first := CleanError
		for k := range 3 {
			if alone[k].Success[i] && ens.BrokenBy[i] != CleanError {
				first = k
				break
			}
		}
		if ens.BrokenBy[i] != first {
			t.Errorf("sample %d: BrokenBy %d, want %d", i, ens.BrokenBy[i], first)
		}
	}
	if ens.Correct != correct || ens.Accuracy != float64(correct)/float64(len(y)) {
		t.Errorf("ensemble correct %d accuracy %v, want %d of %d", ens.Correct, ens.Accuracy, correct, len(y))
	}
	t.Logf("clean %.3f, members %.3f %.3f %.3f, ensemble %.3f (after each %v)", ens.CleanAccuracy, alone[0].Accuracy, alone[1].Accuracy, alone[2].Accuracy, ens.Accuracy, ens.AccuracyAfter)
	// Transfer from the model itself is the white-box attack.
	tr, err := TransferAccuracy[float32](&FGSM[float32]{Objective: ce, Epsilon: eps}, m, x, y, 64)
	if err != nil {
		t.Fatal(err)
	}
	if tr.Accuracy != alone[0].Accuracy || tr.Attacks[0] != "Transfer(FGSM)" {
		t.Errorf("transfer from the model itself: %s accuracy %v, want FGSM's %v", tr.Attacks[0], tr.Accuracy, alone[0].Accuracy)
	}
}

// TestEnsembleErrors checks that bad arguments return errors naming them.
func TestEnsembleErrors(t *testing.T) {
	net := randomNet[float32](t, []int{4, 3}, mlp.ReLU, 1)
	m, _ := NewNetworkModel(net, 2)
	x, y := []float32{0.1, 0.2, 0.3, 0.4}, []int{1}
	for _, c := range []struct {
		name string
		err  func() error
		want string
	}{
		{"nil model", func() error {
			_, err := Evaluate[float32](nil, []Attack[float32]{Identity[float32]{}}, x, y, 0)
			return err
		}, "Ensemble.Model nil"},
		{"no attacks", func() error { _, err := Evaluate[float32](m, nil, x, y, 0); return err }, "Ensemble.Attacks empty"},
		{"nil attack", func() error { _, err := Evaluate[float32](m, []Attack[float32]{nil}, x, y, 0); return err }, "Ensemble.Attacks[0] nil"},
		{"batch", func() error {
			_, err := Evaluate[float32](m, []Attack[float32]{Identity[float32]{}}, x, y, -1)
			return err
		}, "batch = -1"},
		{"length", func() error {
			_, err := Evaluate[float32](m, []Attack[float32]{Identity[float32]{}}, x[:3], y, 0)
			return err
		}, "input length 3"},
		{"label", func() error {
			_, err := Evaluate[float32](m, []Attack[float32]{Identity[float32]{}}, x, []int{5}, 0)
			return err
		}, "label 5 of sample 0"},
		{"range", func() error {
			_, err := Evaluate[float32](m, []Attack[float32]{Identity[float32]{}}, []float32{0.1, 2, 0.3, 0.4}, y, 0)
			return err
		}, "x[1] = 2 out of range"},
		{"transfer nil", func() error { _, err := TransferAccuracy[float32](nil, m, x, y, 0); return err }, "source attack nil"},
	} {
		err := c.err()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
}
