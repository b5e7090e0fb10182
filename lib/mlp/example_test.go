package mlp_test

import (
	"fmt"
	"math"
	"math/rand/v2"

	"pointwise/lib/mlp"
)

// A 2→3→1 network with hand-set weights: the first layer computes
// ReLU(x₁ − x₂, x₂ − x₁, x₁ + x₂), the head sums them, so y = |x₁ − x₂| + max(x₁ + x₂, 0).
func Example() {
	net, err := mlp.New[float64]([]int{2, 3, 1}, mlp.ReLU, mlp.Identity)
	if err != nil {
		panic(err)
	}
	copy(net.Layer(0).W, []float64{1, -1, 1, -1, 1, 1})
	copy(net.Layer(1).W, []float64{1, 1, 1})
	x := []float64{ // a batch of three points, row-major
		1, 2,
		3, -1,
		-2, -2,
	}
	y, err := net.Forward(nil, x)
	if err != nil {
		panic(err)
	}
	fmt.Println(y)
	// Output:
	// [4 6 0]
}

// Fit the head of a random fig5-style network by ridge least squares on
// [φ, 1], with labels made by another head on the same features: the fit
// reproduces that head's outputs.
func ExampleNetwork_FitHead() {
	rnd := rand.New(rand.NewPCG(1, 1))
	net, _ := mlp.New[float64]([]int{1, 16, 16, 1}, mlp.Tanh, mlp.Identity)
	net.Init(rnd, mlp.Gaussian{WeightStd: []float64{5}, BiasStd: []float64{1, 1, 1}})
	x := make([]float64, 40)
	for i := range x {
		x[i] = math.Cos(math.Pi * (float64(i) + 0.5) / 40) // Chebyshev points
	}
	target, _ := net.Forward(nil, x)
	net.Head().SetTheta(0, make([]float64, 17)) // forget the head
	if err := net.FitHead(x, target, 1e-12); err != nil {
		panic(err)
	}
	fit, _ := net.Forward(nil, x)
	var worst float64
	for i := range fit {
		worst = math.Max(worst, math.Abs(fit[i]-target[i]))
	}
	fmt.Println("max |fit − target| < 1e-6:", worst < 1e-6)
	// Output:
	// max |fit − target| < 1e-6: true
}
