package mlp_test

import (
	"fmt"
	"math/rand/v2"

	"pointwise/lib/mlp"
)

// Each initialisation's law for the head of a 784→256→10 network: He's
// N(0, 2/256), Keras's U(±√(6/266)) and PyTorch's U(±1/√256) weights and
// biases, printed as standard deviations.
func ExampleInitByName() {
	for _, name := range mlp.InitNames() {
		init, err := mlp.InitByName(name)
		if err != nil {
			fmt.Println(err)
			return
		}
		net, _ := mlp.New[float32]([]int{784, 256, 10}, mlp.ReLU, mlp.Identity)
		if err := net.Init(rand.New(rand.NewPCG(1, 1)), init); err != nil {
			fmt.Println(err)
			return
		}
		h := net.Head()
		fmt.Printf("%-14s %-7v σ_w = %.5f  σ_b = %.5f\n", net.InitName(), h.Family, h.WeightStd, h.BiasStd)
	}
	_, err := mlp.InitByName("kaiming")
	fmt.Println(err)
	// Output:
	// he             normal  σ_w = 0.08839  σ_b = 0.00000
	// glorot-normal  normal  σ_w = 0.08671  σ_b = 0.00000
	// glorot-uniform uniform σ_w = 0.08671  σ_b = 0.00000
	// pytorch        uniform σ_w = 0.03608  σ_b = 0.03608
	// mlp: initialisation "kaiming" unknown: need one of he, glorot-normal, glorot-uniform, pytorch
}

// A PyTorch-initialised network's random heads are PyTorch-like: uniform
// weights and biases within ±1/√F (here F = 64, bound 0.125).
func ExamplePyTorchLinear() {
	rnd := rand.New(rand.NewPCG(1, 2))
	net, _ := mlp.New[float64]([]int{20, 64, 3}, mlp.ReLU, mlp.Identity)
	if err := net.Init(rnd, mlp.PyTorchLinear{}); err != nil {
		fmt.Println(err)
		return
	}
	h, _ := net.RandomHead(rnd)
	inside := true
	for _, v := range append(h.W, h.B...) {
		inside = inside && -0.125 <= v && v <= 0.125
	}
	fmt.Println(h.Family, inside, h.B[0] != 0)
	// Output:
	// uniform true true
}
