package adversarial_test

import (
	"fmt"

	"pointwise/lib/adversarial"
)

// Resolve fills in the defaults, our choices for the paper's Fig. 6: PGD-10
// with step 2.5·ε/10, K = 8 heads, the 784→256→256→10 network, Adam at 1e-3,
// batches of 128, 5 epochs. Epsilon has no default.
func ExampleConfig_Resolve() {
	r, err := adversarial.Config{Method: adversarial.Hard, Epsilon: 0.1}.Resolve()
	if err != nil {
		panic(err)
	}
	fmt.Println(r)
	_, err = adversarial.Config{Method: adversarial.PGD}.Resolve()
	fmt.Println(err)
	// Output:
	// hard ε=0.1 steps=10 α=0.025 K=8 hidden=[256 256] lr=0.001 batch=128 epochs=5 seed=0
	// adversarial: epsilon 0 for pgd training: need 0 < ε ≤ 1 (it has no default; fig6 uses 0.1 on MNIST, 0.05 on Fashion-MNIST)
}

// The figure's grid of attack radii.
func ExampleDefaultEpsilons() {
	fmt.Println(adversarial.DefaultEpsilons) // exact decimals: each is the double nearest i/40
	// Output:
	// [0 0.025 0.05 0.075 0.1 0.125 0.15 0.175 0.2 0.225 0.25 0.275 0.3]
}
