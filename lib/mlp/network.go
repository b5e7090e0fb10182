package mlp

import (
	"fmt"
	"math"
)

// Limits on shapes, so that a mistyped size or a corrupt file cannot make the
// package allocate without bound.
const (
	// MaxLayers is the largest number of dense layers in a Network.
	MaxLayers = 1 << 10
	// MaxWidth is the largest width of any layer.
	MaxWidth = 1 << 24
	// MaxParams is the largest number of parameters (weights and biases).
	MaxParams = 1 << 30
)

// Layer is a view of one dense layer y = σ(x·W + b) of a Network.
type Layer[T Float] struct {
	// In and Out are the layer's input and output widths.
	In, Out int
	// Act is the activation σ.
	Act Activation
	// W is the In×Out weight matrix, row-major; B is the bias of length Out.
	// Both share memory with the Network.
	W, B []T
	// Law is the law the layer was last initialised from (its Family,
	// WeightStd and BiasStd); random heads are drawn from the head's.
	Law
}

// Network is a multilayer perceptron: dense layers applied in order, each
// y = σ(x·W + b). All parameters live in one flat slice, layer by layer, W
// (row-major) then b, so that optimisers update them in one loop and a
// gradient has the same layout.
type Network[T Float] struct {
	sizes  []int
	acts   []Activation
	params []T
	off    []int // off[l] is the offset of layer l's W in params
	laws   []Law // each layer's law, recorded by Init
	init   string
}

// New returns a network with layer widths sizes[0] (the input) → sizes[1] →
// … → sizes[L], activation hidden on every layer but the last and output on
// the last. All parameters are zero; call Init to draw them.
func New[T Float](sizes []int, hidden, output Activation) (*Network[T], error) {
	if len(sizes) < 2 || len(sizes) > MaxLayers+1 {
		return nil, fmt.Errorf("mlp: %d sizes out of range: need 2 to %d (input, hidden…, output)", len(sizes), MaxLayers+1)
	}
	for _, a := range []Activation{hidden, output} {
		if !a.valid() {
			return nil, fmt.Errorf("mlp: activation %v unknown: need Identity, ReLU, Tanh or Sigmoid", a)
		}
	}
	acts := make([]Activation, len(sizes)-1)
	for l := range acts {
		acts[l] = hidden
	}
	acts[len(acts)-1] = output
	return newNetwork[T](sizes, acts)
}

func newNetwork[T Float](sizes []int, acts []Activation) (*Network[T], error) {
	total := 0
	off := make([]int, len(acts))
	for l, s := range sizes {
		if s < 1 || s > MaxWidth {
			return nil, fmt.Errorf("mlp: size %d of layer %d out of range: need 1 to %d", s, l, MaxWidth)
		}
		if l > 0 {
			off[l-1] = total
			total += (sizes[l-1] + 1) * s
			if total > MaxParams {
				return nil, fmt.Errorf("mlp: sizes %v give more than %d parameters", sizes, MaxParams)
			}
		}
	}
	return &Network[T]{
		sizes:  append([]int(nil), sizes...),
		acts:   acts,
		params: make([]T, total),
		off:    off,
		laws:   make([]Law, len(acts)),
	}, nil
}

// InitName returns the name of the Initializer the network was last
// initialised with (see Init), or "" if it never was. Layer(l).Law is each
// layer's law; SetHead can change the head's.
func (net *Network[T]) InitName() string { return net.init }

// Sizes returns the layer widths: input, hidden layers, output.
func (net *Network[T]) Sizes() []int { return append([]int(nil), net.sizes...) }

// NumLayers returns the number of dense layers L, one less than len(Sizes()).
func (net *Network[T]) NumLayers() int { return len(net.acts) }

// In returns the input width.
func (net *Network[T]) In() int { return net.sizes[0] }

// Out returns the output width.
func (net *Network[T]) Out() int { return net.sizes[len(net.sizes)-1] }

// FeatureWidth returns the width of the feature layer φ (the last hidden
// layer), or 0 for a network without hidden layers.
func (net *Network[T]) FeatureWidth() int {
	if len(net.sizes) < 3 {
		return 0
	}
	return net.sizes[len(net.sizes)-2]
}

// NumParams returns the number of parameters, the length of Params.
func (net *Network[T]) NumParams() int { return len(net.params) }

// Params returns the flat parameter vector (layer by layer, W row-major then
// b). It shares memory with the network.
func (net *Network[T]) Params() []T { return net.params }

// Layer returns a view of layer l, 0 ≤ l < NumLayers(). It panics if l is out
// of range, as indexing a slice does.
func (net *Network[T]) Layer(l int) Layer[T] {
	in, out := net.sizes[l], net.sizes[l+1]
	o := net.off[l]
	return Layer[T]{
		In: in, Out: out, Act: net.acts[l],
		W:   net.params[o : o+in*out : o+in*out],
		B:   net.params[o+in*out : o+(in+1)*out : o+(in+1)*out],
		Law: net.laws[l],
	}
}

// Clone returns a deep copy of the network.
func (net *Network[T]) Clone() *Network[T] {
	c, _ := newNetwork[T](net.sizes, append([]Activation(nil), net.acts...))
	copy(c.params, net.params)
	copy(c.laws, net.laws)
	c.init = net.init
	return c
}

// Convert returns a copy of net with element type U, each parameter rounded
// to the nearest U.
func Convert[U, T Float](net *Network[T]) *Network[U] {
	c, _ := newNetwork[U](net.sizes, append([]Activation(nil), net.acts...))
	for i, v := range net.params {
		c.params[i] = U(v)
	}
	copy(c.laws, net.laws)
	c.init = net.init
	return c
}

// gradLayer returns the views of layer l's weight and bias gradients in a
// flat gradient g laid out like Params.
func (net *Network[T]) gradLayer(g []T, l int) (gw, gb []T) {
	in, out := net.sizes[l], net.sizes[l+1]
	o := net.off[l]
	return g[o : o+in*out], g[o+in*out : o+(in+1)*out]
}

func checkFinite[T Float](name string, x []T) error {
	// v − v is 0 for a finite v and NaN for ±Inf and NaN, and a NaN stays
	// in a sum: one branch-free pass (four sums in flight) finds whether any
	// element is bad, and only then the loop below finds which.
	var s0, s1, s2, s3 T
	i := 0
	for ; i+4 <= len(x); i += 4 {
		v := x[i : i+4 : i+4]
		s0 += v[0] - v[0]
		s1 += v[1] - v[1]
		s2 += v[2] - v[2]
		s3 += v[3] - v[3]
	}
	for _, v := range x[i:] {
		s0 += v - v
	}
	if s0+s1+s2+s3 == 0 {
		return nil
	}
	for i, v := range x {
		if f := float64(v); math.IsNaN(f) || math.IsInf(f, 0) {
			return fmt.Errorf("mlp: %s[%d] = %v: need finite values", name, i, f)
		}
	}
	return nil
}
