package attack

import (
	"math"
	"testing"

	"pointwise/lib/internal/validatetest"
	"pointwise/lib/mlp"
)

// TestValidate walks the package's exported entry points through bad values
// (epsilons negative, above 1 or NaN, step counts, restarts, batch sizes, K,
// shapes, labels, inputs outside [0, 1] or NaN): each must return an error
// (never panic) whose message names the parameter, the bad value and the
// allowed range.
func TestValidate(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	net := randomNet[float64](t, []int{4, 5, 3}, mlp.ReLU, 1)
	shallow := randomNet[float64](t, []int{4, 3}, mlp.ReLU, 2)
	ce, err := NewCrossEntropy(net, 8)
	if err != nil {
		t.Fatal(err)
	}
	model, err := NewNetworkModel(net, 8)
	if err != nil {
		t.Fatal(err)
	}
	x := unitInputs[float64](newRand(3), 2, 4, 0, 1)
	labels := []int{0, 2}
	dst := make([]float64, len(x))
	perturb := func(a Attack[float64]) func() error {
		return func() error { return a.Perturb(dst, x, labels, 2) }
	}
	xNaN := append([]float64(nil), x...)
	xNaN[5] = nan
	xBig := append([]float64(nil), x...)
	xBig[3] = 1.5
	eps := func(e float64) Attack[float64] { return &FGSM[float64]{Objective: ce, Epsilon: e} }
	cases := []validatetest.Case{
		{"FGSM ε<0", perturb(eps(-0.1)), []string{"Epsilon = -0.1", "≥ 0"}},
		{"FGSM ε>1", perturb(eps(1.5)), []string{"Epsilon = 1.5", "0 ≤ ε ≤ 1"}},
		{"FGSM ε NaN", perturb(eps(nan)), []string{"Epsilon = NaN", "finite"}},
		{"FGSM ε Inf", perturb(eps(inf)), []string{"Epsilon = +Inf", "finite"}},
		{"FGSM objective nil", perturb(&FGSM[float64]{Epsilon: 0.1}), []string{"FGSM.Objective nil"}},
		{"PGD ε>1", perturb(&PGD[float64]{Objective: ce, Epsilon: 2}), []string{"Epsilon = 2", "0 ≤ ε ≤ 1"}},
		{"PGD L2 ε<0", perturb(&PGD[float64]{Objective: ce, Epsilon: -1, Norm: L2}), []string{"Epsilon = -1", "≥ 0"}},
		{"PGD norm", perturb(&PGD[float64]{Objective: ce, Epsilon: 0.1, Norm: Norm(5)}), []string{"Norm", "5", "LInf or L2"}},
		{"PGD steps<0", perturb(&PGD[float64]{Objective: ce, Epsilon: 0.1, Steps: -1}), []string{"PGD.Steps = -1", "≥ 1"}},
		{"PGD step size NaN", perturb(&PGD[float64]{Objective: ce, Epsilon: 0.1, StepSize: nan}), []string{"PGD.StepSize = NaN", "finite and ≥ 0"}},
		{"PGD step size<0", perturb(&PGD[float64]{Objective: ce, Epsilon: 0.1, StepSize: -0.01}), []string{"PGD.StepSize = -0.01", "finite and ≥ 0"}},
		{"PGD restarts<0", perturb(&PGD[float64]{Objective: ce, Epsilon: 0.1, Restarts: -2}), []string{"PGD.Restarts = -2", "≥ 0"}},
		{"APGD steps<0", perturb(&APGD[float64]{Objective: ce, Epsilon: 0.1, Steps: -5}), []string{"APGD.Steps = -5", "≥ 1"}},
		{"APGD ρ>1", perturb(&APGD[float64]{Objective: ce, Epsilon: 0.1, Rho: 1.5}), []string{"APGD.Rho = 1.5", "0 < ρ ≤ 1"}},
		{"APGD ρ NaN", perturb(&APGD[float64]{Objective: ce, Epsilon: 0.1, Rho: nan}), []string{"APGD.Rho = NaN", "0 < ρ ≤ 1"}},
		{"APGD ε NaN", perturb(&APGD[float64]{Objective: ce, Epsilon: nan}), []string{"Epsilon = NaN", "finite"}},
		{"Square queries<0", perturb(&Square[float64]{Model: model, Epsilon: 0.1, Queries: -1}), []string{"Square.Queries = -1", "≥ 1"}},
		{"Square p>1", perturb(&Square[float64]{Model: model, Epsilon: 0.1, PInit: 2}), []string{"Square.PInit = 2", "0 < p ≤ 1"}},
		{"Square shape", perturb(&Square[float64]{Model: model, Epsilon: 0.1, Height: 3, Width: 3, Channels: 1}), []string{"1×3×3", "input width 4"}},
		{"Square ε>1", perturb(&Square[float64]{Model: model, Epsilon: 1.01}), []string{"Epsilon = 1.01", "0 ≤ ε ≤ 1"}},
		{"RandomNoise ε<0", perturb(&RandomNoise[float64]{Epsilon: -0.5}), []string{"Epsilon = -0.5", "≥ 0"}},
		{"Perturb n=0", func() error { return eps(0.1).Perturb(dst, x, labels, 0) }, []string{"batch size n = 0", "≥ 1"}},
		{"Perturb labels", func() error { return eps(0.1).Perturb(dst, x, labels[:1], 2) }, []string{"1 labels for n = 2", "exactly n"}},
		{"Perturb input length", func() error { return eps(0.1).Perturb(dst, x[:7], labels, 2) }, []string{"input length 7", "n = 2"}},
		{"Perturb dst short", func() error { return eps(0.1).Perturb(dst[:3], x, labels, 2) }, []string{"dst length 3", "input length 8"}},
		{"Perturb dst overlaps", func() error { return eps(0.1).Perturb(x, x, labels, 2) }, []string{"dst overlaps x"}},
		{"Perturb input NaN", func() error { return eps(0.1).Perturb(dst, xNaN, labels, 2) }, []string{"x[5] = NaN", "[0, 1]"}},
		{"Perturb input > 1", func() error { return eps(0.1).Perturb(dst, xBig, labels, 2) }, []string{"x[3] = 1.5", "[0, 1]"}},
		{"Perturb label", func() error { return eps(0.1).Perturb(dst, x, []int{0, 3}, 2) }, []string{"label 3 of sample 1", "0 to 2"}},
		{"Perturb batch > maxBatch", func() error {
			big := unitInputs[float64](newRand(4), 9, 4, 0, 1)
			return eps(0.1).Perturb(make([]float64, len(big)), big, make([]int, 9), 9)
		}, []string{"n = 9", "1 ≤ n ≤ 8"}},
		{"NewCrossEntropy nil", func() error { _, err := NewCrossEntropy[float64](nil, 8); return err }, []string{"network nil"}},
		{"NewCrossEntropy maxBatch", func() error { _, err := NewCrossEntropy(net, 0); return err }, []string{"maxBatch = 0", "≥ 1"}},
		{"NewNetworkModel maxBatch huge", func() error { _, err := NewNetworkModel(net, 1<<40); return err }, []string{"1099511627776", "≤"}},
		{"NewLogitObjective loss", func() error { _, err := NewLogitObjective[float64](model, LogitLoss(9), 8); return err }, []string{"loss", "9", "LossCE, LossDLR or LossDLRTargeted"}},
		{"NewDLR classes", func() error { _, err := NewDLR(randomNet[float64](t, []int{4, 2}, mlp.ReLU, 5), 8); return err }, []string{"on 2 classes", "at least 3 classes"}},
		{"NewRandomHeads K=0", func() error { _, err := NewRandomHeads(net, 0, 8, newRand(1)); return err }, []string{"K = 0", "≥ 1"}},
		{"NewRandomHeads K<0", func() error { _, err := NewRandomHeads(net, -3, 8, newRand(1)); return err }, []string{"K = -3", "≥ 1"}},
		{"NewRandomHeads K huge", func() error { _, err := NewRandomHeads(net, 1<<40, 8, newRand(1)); return err }, []string{"K = 1099511627776", "≤ 1073741824"}},
		{"NewRandomHeads no hidden layer", func() error { _, err := NewRandomHeads(shallow, 4, 8, newRand(1)); return err }, []string{"sizes [4 3]", "no hidden layer"}},
		{"NewRandomHeads rnd nil", func() error { _, err := NewRandomHeads(net, 4, 8, nil); return err }, []string{"random source nil"}},
		{"RandomHeads.Head k", func() error {
			h, err := NewRandomHeads(net, 4, 8, newRand(1))
			if err != nil {
				return nil
			}
			_, err = h.Head(4)
			return err
		}, []string{"head k = 4", "0 ≤ k < K = 4"}},
		{"Evaluate batch<0", func() error { _, err := Evaluate(model, []Attack[float64]{eps(0.1)}, x, labels, -4); return err }, []string{"batch = -4", "≥ 1"}},
		{"Evaluate labels", func() error {
			_, err := Evaluate(model, []Attack[float64]{eps(0.1)}, x, append(labels, 0), 0)
			return err
		}, []string{"input length", "labels × input width"}},
		{"Evaluate no attacks", func() error { _, err := Evaluate(model, nil, x, labels, 0); return err }, []string{"Attacks empty", "at least one"}},
		{"Audit ε=0", func() error { _, err := Audit(model, x, labels, 0, AuditSettings[float64]{}); return err }, []string{"ε = 0", "0 < ε ≤ 1"}},
		{"Audit ε>1", func() error { _, err := Audit(model, x, labels, 3, AuditSettings[float64]{}); return err }, []string{"Epsilon = 3", "0 ≤ ε ≤ 1"}},
		{"Audit Restarts=1", func() error { _, err := Audit(model, x, labels, 0.1, AuditSettings[float64]{Restarts: 1}); return err }, []string{"Restarts = 1", "≥ 2"}},
		{"Audit Tolerance NaN", func() error {
			_, err := Audit(model, x, labels, 0.1, AuditSettings[float64]{Tolerance: nan})
			return err
		}, []string{"Tolerance = NaN", "finite and > 0"}},
		{"Audit LargeEpsilon>1", func() error {
			_, err := Audit(model, x, labels, 0.1, AuditSettings[float64]{LargeEpsilon: 1.5})
			return err
		}, []string{"LargeEpsilon = 1.5", "0 < ε ≤ 1"}},
	}
	validatetest.Run(t, cases)
}
