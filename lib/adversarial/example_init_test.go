package adversarial_test

import (
	"fmt"

	"pointwise/lib/adversarial"
)

// The network's initialisation and the heads' distribution H, crossed: a
// setting that repeats the output layer's own law resolves away, so the
// first and last lines are the configurations (and cache keys) of the
// defaults and of a plain PyTorch network.
func ExampleHeadSettings() {
	for _, c := range []adversarial.Config{
		{Method: adversarial.Hard, Epsilon: 0.1, Init: "he", Heads: adversarial.HeadSettings{Family: "normal", Bias: adversarial.BiasZero}},
		{Method: adversarial.Hard, Epsilon: 0.1, Init: "he", Heads: adversarial.HeadSettings{Family: "uniform", Bias: adversarial.BiasWeight}},
		{Method: adversarial.Hard, Epsilon: 0.1, Init: "pytorch", Heads: adversarial.HeadSettings{Family: "normal", Bias: adversarial.BiasZero}},
		{Method: adversarial.Hard, Epsilon: 0.1, Init: "pytorch", Heads: adversarial.HeadSettings{Family: "uniform", Bias: adversarial.BiasWeight}},
	} {
		r, err := c.Resolve()
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(r)
	}
	// Output:
	// hard ε=0.1 steps=10 α=0.025 K=8 hidden=[256 256] lr=0.001 batch=128 epochs=5 seed=0
	// hard ε=0.1 steps=10 α=0.025 K=8 head-family=uniform head-bias=weight hidden=[256 256] lr=0.001 batch=128 epochs=5 seed=0
	// hard ε=0.1 steps=10 α=0.025 K=8 head-family=normal head-bias=zero init=pytorch hidden=[256 256] lr=0.001 batch=128 epochs=5 seed=0
	// hard ε=0.1 steps=10 α=0.025 K=8 init=pytorch hidden=[256 256] lr=0.001 batch=128 epochs=5 seed=0
}
