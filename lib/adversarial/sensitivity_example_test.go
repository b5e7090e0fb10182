package adversarial_test

import (
	"fmt"

	"pointwise/lib/adversarial"
)

// The networks of one seed of a Sensitivity study: for each
// initialisation, standard training, then hard training at each heads
// level, the scales and then the small-scale limit.
func ExampleSensitivity_Variants() {
	s := adversarial.Sensitivity{
		Base:   adversarial.Config{Epsilon: 0.1, Epochs: 1},
		Inits:  []string{"he", "pytorch"},
		Scales: []float64{1.0 / 16, 1},
		Limit:  true,
	}
	vs, err := s.Variants(1)
	if err != nil {
		panic(err)
	}
	for _, v := range vs {
		fmt.Printf("%-7s %-6s %v\n", v.Init, v.Heads, v.Config)
	}
	// Output:
	// he      none   standard hidden=[256 256] lr=0.001 batch=128 epochs=1 seed=1
	// he      0.0625 hard ε=0.1 steps=10 α=0.025 K=8 scale=0.0625 hidden=[256 256] lr=0.001 batch=128 epochs=1 seed=1
	// he      1      hard ε=0.1 steps=10 α=0.025 K=8 hidden=[256 256] lr=0.001 batch=128 epochs=1 seed=1
	// he      limit  hard ε=0.1 steps=10 α=0.025 K=8 loss=limit hidden=[256 256] lr=0.001 batch=128 epochs=1 seed=1
	// pytorch none   standard init=pytorch hidden=[256 256] lr=0.001 batch=128 epochs=1 seed=1
	// pytorch 0.0625 hard ε=0.1 steps=10 α=0.025 K=8 scale=0.0625 init=pytorch hidden=[256 256] lr=0.001 batch=128 epochs=1 seed=1
	// pytorch 1      hard ε=0.1 steps=10 α=0.025 K=8 init=pytorch hidden=[256 256] lr=0.001 batch=128 epochs=1 seed=1
	// pytorch limit  hard ε=0.1 steps=10 α=0.025 K=8 loss=limit init=pytorch hidden=[256 256] lr=0.001 batch=128 epochs=1 seed=1
}
