package attack_test

import (
	"fmt"

	"pointwise/lib/attack"
	"pointwise/lib/mlp"
)

// linear returns the two-class linear classifier z = x·W with
// W = [[1, −1], [−2, 2]]: the margin of class 0 is z₀ − z₁ = x·w with
// w = (2, −4), that of class 1 is −x·w.
func linear() *mlp.Network[float64] {
	net, err := mlp.New[float64]([]int{2, 2}, mlp.ReLU, mlp.Identity)
	if err != nil {
		panic(err)
	}
	copy(net.Layer(0).W, []float64{1, -1, -2, 2})
	return net
}

// FGSM on a linear classifier moves each input by ε against the sign of the
// margin's weights, x − ε·sign(w), the optimal L∞ attack.
func ExampleFGSM() {
	net := linear()
	obj, err := attack.NewCrossEntropy(net, 1)
	if err != nil {
		panic(err)
	}
	fgsm := &attack.FGSM[float64]{Objective: obj, Epsilon: 0.1}
	x := []float64{0.5, 0.5}
	dst := make([]float64, 2)
	if err := fgsm.Perturb(dst, x, []int{0}, 1); err != nil {
		panic(err)
	}
	fmt.Printf("%s: %.2f\n", fgsm.Name(), dst)
	// Output:
	// FGSM: [0.40 0.60]
}

// L2 PGD without random start on a linear classifier walks along −w/‖w‖₂
// and stops on the sphere: x − ε·w/‖w‖₂ = (0.5 − 0.1·2/√20, 0.5 + 0.1·4/√20).
func ExamplePGD() {
	net := linear()
	obj, err := attack.NewCrossEntropy(net, 1)
	if err != nil {
		panic(err)
	}
	pgd := &attack.PGD[float64]{Objective: obj, Epsilon: 0.1, Norm: attack.L2, Steps: 20, NoRandomStart: true}
	dst := make([]float64, 2)
	if err := pgd.Perturb(dst, []float64{0.5, 0.5}, []int{0}, 1); err != nil {
		panic(err)
	}
	fmt.Printf("%s: %.4f\n", pgd.Name(), dst)
	// Output:
	// PGD-20-L2: [0.4553 0.5894]
}

// Robust accuracy of the linear classifier under FGSM, a robustness curve:
// a sample of margin m survives radius ε while m > ε‖w‖₁ = 6ε, so the four
// samples below (margins 0.4, 1.4, 1.6, 0.2) fall at ε = 0.067, 0.233,
// 0.267 and 0.033.
func ExampleEvaluate_curve() {
	net := linear()
	obj, err := attack.NewCrossEntropy(net, 4)
	if err != nil {
		panic(err)
	}
	model, err := attack.NewNetworkModel(net, 4)
	if err != nil {
		panic(err)
	}
	x := []float64{
		0.6, 0.2,
		0.9, 0.1,
		0.2, 0.5,
		0.5, 0.3,
	}
	labels := []int{0, 0, 1, 1}
	for _, eps := range []float64{0, 0.05, 0.1, 0.25} {
		fgsm := &attack.FGSM[float64]{Objective: obj, Epsilon: eps}
		r, err := attack.Evaluate[float64](model, []attack.Attack[float64]{fgsm}, x, labels, 4)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%s ε=%.2f accuracy=%.2f n=%d broken=%v\n", r.Attacks[0], eps, r.Accuracy, r.N, r.Success)
	}
	// Output:
	// FGSM ε=0.00 accuracy=1.00 n=4 broken=[false false false false]
	// FGSM ε=0.05 accuracy=0.75 n=4 broken=[false false false true]
	// FGSM ε=0.10 accuracy=0.50 n=4 broken=[true false false true]
	// FGSM ε=0.25 accuracy=0.25 n=4 broken=[true true false true]
}
