package attack_test

import (
	"fmt"

	"pointwise/lib/attack"
	"pointwise/lib/mlp"
)

// The checkpoints at which APGD may halve its step, for AutoAttack's 100
// iterations and for 20.
func ExampleAPGDCheckpoints() {
	fmt.Println(attack.APGDCheckpoints(100))
	fmt.Println(attack.APGDCheckpoints(20))
	// Output:
	// [22 41 57 70 80 87 93 99]
	// [5 9 12 14 16 18 19 20]
}

// The DLR loss of logits z = (3, 1, 2, 0), fed through a network whose
// logits are its bias: for label 0, −(3 − 2)/(3 − 1) = −0.5; for label 1,
// −(1 − 3)/(3 − 1) = 1.
func ExampleNewDLR() {
	net, err := mlp.New[float64]([]int{1, 4}, mlp.ReLU, mlp.Identity)
	if err != nil {
		panic(err)
	}
	copy(net.Layer(0).B, []float64{3, 1, 2, 0})
	dlr, err := attack.NewDLR(net, 2)
	if err != nil {
		panic(err)
	}
	loss := make([]float64, 2)
	if err := dlr.Loss(loss, []float64{0.5, 0.5}, []int{0, 1}, 2); err != nil {
		panic(err)
	}
	fmt.Printf("%.4f\n", loss)
	// Output:
	// [-0.5000 1.0000]
}

// An ensemble of FGSM and APGD-DLR against the linear classifier of the
// other examples (three classes here, as DLR needs): the samples FGSM
// leaves robust are given to APGD, and BrokenBy says which attack broke
// each sample: FGSM breaks sample 0 (margin 0.4 < ε‖w‖₁ = 0.6), samples 1
// and 2 survive both, and sample 3 is a clean error (CleanError = −2),
// never attacked and counted as not robust.
func ExampleEvaluate() {
	net, err := mlp.New[float64]([]int{2, 3}, mlp.ReLU, mlp.Identity)
	if err != nil {
		panic(err)
	}
	copy(net.Layer(0).W, []float64{1, -1, 0, -2, 2, 0})
	copy(net.Layer(0).B, []float64{0, 0, -1})
	model, err := attack.NewNetworkModel(net, 4)
	if err != nil {
		panic(err)
	}
	ce, err := attack.NewCrossEntropy(net, 4)
	if err != nil {
		panic(err)
	}
	dlr, err := attack.NewLogitObjective[float64](model, attack.LossDLR, 4)
	if err != nil {
		panic(err)
	}
	x := []float64{
		0.6, 0.2,
		0.9, 0.1,
		0.2, 0.5,
		0.5, 0.3,
	}
	labels := []int{0, 0, 1, 0}
	const eps = 0.1
	res, err := attack.Evaluate(model, []attack.Attack[float64]{
		&attack.FGSM[float64]{Objective: ce, Epsilon: eps},
		&attack.APGD[float64]{Objective: dlr, Epsilon: eps},
	}, x, labels, 4)
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Attacks, "accuracy", res.Accuracy, "broken by", res.BrokenBy)
	// Output:
	// [FGSM APGD-DLR] accuracy 0.5 broken by [0 -1 -1 -2]
}
