package attack_test

import (
	"fmt"
	"math/rand/v2"
	"slices"

	"pointwise/lib/attack"
	"pointwise/lib/mlp"
)

// As the heads' scale s tends to 0, the cross-entropy of K random heads
// has the gradient direction of HeadLimit, whose direction does not depend
// on s: FGSM, which uses only the gradient's sign, moves every pixel the
// same way against both.
func ExampleHeadLoss_limit() {
	const n, d, k = 4, 8, 8
	net, _ := mlp.New[float64]([]int{d, 16, 16, 10}, mlp.ReLU, mlp.Identity)
	if err := net.Init(rand.New(rand.NewPCG(1, 1)), mlp.He{}); err != nil {
		fmt.Println(err)
		return
	}
	x := make([]float64, n*d)
	rnd := rand.New(rand.NewPCG(2, 2))
	for i := range x {
		x[i] = 0.2 + 0.6*rnd.Float64()
	}
	labels := []int{0, 3, 5, 9}
	fgsm := func(loss attack.HeadLoss, s float64) []float64 {
		heads, err := attack.NewRandomHeads(net, k, n, rand.New(rand.NewPCG(3, 3)))
		if err != nil {
			panic(err)
		}
		heads.HeadLoss = loss
		law := net.Head().Law // He's: N(0, 2/16) weights, zero biases
		law.WeightStd *= s
		if err := heads.SetLaw(law); err != nil {
			panic(err)
		}
		dst := make([]float64, n*d)
		f := &attack.FGSM[float64]{Objective: heads, Epsilon: 0.1}
		if err := f.Perturb(dst, x, labels, n); err != nil {
			panic(err)
		}
		return dst
	}
	limit := fgsm(attack.HeadLimit, 1)
	fmt.Println("same points at s = 1e-4:", slices.Equal(fgsm(attack.HeadCrossEntropy, 1e-4), limit))
	fmt.Println("HeadLimit's points at s = 1e-4 unchanged:", slices.Equal(fgsm(attack.HeadLimit, 1e-4), limit))
	// Output:
	// same points at s = 1e-4: true
	// HeadLimit's points at s = 1e-4 unchanged: true
}
