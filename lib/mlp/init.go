package mlp

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Initializer chooses the standard deviations of a layer's Gaussian weights
// and biases, W_ij ~ N(0, σ_w²) and b_j ~ N(0, σ_b²), from the layer index and
// its fan-in and fan-out.
type Initializer interface {
	Std(layer, fanIn, fanOut int) (weight, bias float64)
}

// He is He et al.'s (2015) initialisation for ReLU networks:
// σ_w = √(2/fan_in), biases zero. It is the default of Init.
type He struct{}

// Std implements Initializer.
func (He) Std(_, fanIn, _ int) (weight, bias float64) { return math.Sqrt(2 / float64(fanIn)), 0 }

// Glorot is Glorot and Bengio's (2010) normal initialisation:
// σ_w = √(2/(fan_in + fan_out)), biases zero.
type Glorot struct{}

// Std implements Initializer.
func (Glorot) Std(_, fanIn, fanOut int) (weight, bias float64) {
	return math.Sqrt(2 / float64(fanIn+fanOut)), 0
}

// Gaussian sets the standard deviations of the Gaussian weights and biases
// layer by layer (objective.Gaussian is the Gaussian distribution of a
// linear class's coefficients, such as a head's). The paper's fig5
// network (first weights N(0, 5²), later weights N(0, 1/fan_in), biases
// N(0, 1)) is
//
//	Gaussian{WeightStd: []float64{5}, BiasStd: []float64{1, 1, 1}}
type Gaussian struct {
	// WeightStd[l] is σ_w of layer l. If it is 0 or l ≥ len(WeightStd), σ_w is
	// 1/√fan_in (LeCun's scale).
	WeightStd []float64
	// BiasStd[l] is σ_b of layer l. If l ≥ len(BiasStd), σ_b is 0.
	BiasStd []float64
}

// Std implements Initializer.
func (g Gaussian) Std(layer, fanIn, _ int) (weight, bias float64) {
	weight = 1 / math.Sqrt(float64(fanIn))
	if layer < len(g.WeightStd) && g.WeightStd[layer] != 0 {
		weight = g.WeightStd[layer]
	}
	if layer < len(g.BiasStd) {
		bias = g.BiasStd[layer]
	}
	return weight, bias
}

var (
	_ Initializer = He{}
	_ Initializer = Glorot{}
	_ Initializer = Gaussian{}
)

// Init draws every parameter from rnd: layer l's weights from N(0, σ_w²) and
// biases from N(0, σ_b²), with (σ_w, σ_b) = init.Std(l, fan_in, fan_out),
// weights first (row-major) then biases, layer by layer. If init is nil, it
// is He{}. The standard deviations are recorded on the layers.
func (net *Network[T]) Init(rnd *rand.Rand, init Initializer) error {
	if rnd == nil {
		return fmt.Errorf("mlp: random source nil: need a seeded *rand.Rand")
	}
	if init == nil {
		init = He{}
	}
	for l := range net.acts {
		in, out := net.sizes[l], net.sizes[l+1]
		ws, bs := init.Std(l, in, out)
		if !(ws >= 0) || !(bs >= 0) || math.IsInf(ws, 0) || math.IsInf(bs, 0) {
			return fmt.Errorf("mlp: layer %d standard deviations (%v, %v) out of range: need finite and ≥ 0", l, ws, bs)
		}
		lay := net.Layer(l)
		fill(rnd, lay.W, ws)
		fill(rnd, lay.B, bs)
		net.wstd[l], net.bstd[l] = ws, bs
	}
	return nil
}

func fill[T Float](rnd *rand.Rand, x []T, std float64) {
	for i := range x {
		x[i] = T(std * rnd.NormFloat64())
	}
}
