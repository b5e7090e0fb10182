package mlp

import (
	"errors"
	"fmt"

	"pointwise/lib/internal/linalg"
)

// Tape is the workspace of a Network's forward and backward passes: it holds
// every layer's output and gradient buffers for batches of up to a fixed size,
// so that after NewTape no pass allocates. A forward pass records the layer
// outputs; a backward pass reads them. A Tape is not safe for concurrent use;
// give each goroutine its own.
type Tape[T Float] struct {
	net      *Network[T]
	maxBatch int
	batch    int
	top      int   // layers recorded by the last forward pass
	x        []T   // input of the last forward pass (not copied)
	out      [][]T // out[l]: output of layer l, maxBatch×sizes[l+1]
	delta    [][]T // delta[l]: gradient with respect to out[l], then to its pre-activation
}

// NewTape returns a workspace for net and batches of at most maxBatch rows.
// The tape keeps a reference to net and sees later changes to its parameters.
func (net *Network[T]) NewTape(maxBatch int) (*Tape[T], error) {
	if maxBatch < 1 {
		return nil, fmt.Errorf("mlp: maximum batch %d out of range: need ≥ 1", maxBatch)
	}
	width := 0
	for _, s := range net.sizes[1:] {
		width += s
	}
	if maxBatch > MaxParams/width {
		return nil, fmt.Errorf("mlp: maximum batch %d too large for layer widths %v: need ≤ %d", maxBatch, net.sizes, MaxParams/width)
	}
	tp := &Tape[T]{net: net, maxBatch: maxBatch}
	tp.out = make([][]T, len(net.acts))
	tp.delta = make([][]T, len(net.acts))
	for l := range net.acts {
		tp.out[l] = make([]T, maxBatch*net.sizes[l+1])
		tp.delta[l] = make([]T, maxBatch*net.sizes[l+1])
	}
	return tp, nil
}

// MaxBatch returns the largest batch the tape holds.
func (tp *Tape[T]) MaxBatch() int { return tp.maxBatch }

// Batch returns the number of rows of the last forward pass.
func (tp *Tape[T]) Batch() int { return tp.batch }

// Network returns the network the tape belongs to.
func (tp *Tape[T]) Network() *Network[T] { return tp.net }

// Forward computes the network's output for the batch x (batch×In, row-major)
// and records every layer's output for a backward pass. It returns the output,
// batch×Out, which belongs to the tape and is overwritten by the next pass.
// The tape keeps a reference to x for Backward, so x must not change until
// then.
func (tp *Tape[T]) Forward(x []T) ([]T, error) {
	return tp.forward(x, len(tp.net.acts))
}

// Features computes the feature layer φ (the output of the last hidden layer)
// for the batch x and records the hidden layers' outputs, so that
// FeatureInputGradient can follow. It returns φ, batch×FeatureWidth(), which
// belongs to the tape.
func (tp *Tape[T]) Features(x []T) ([]T, error) {
	if len(tp.net.acts) < 2 {
		return nil, errors.New("mlp: network has no hidden layer: need at least 3 sizes for a feature layer")
	}
	return tp.forward(x, len(tp.net.acts)-1)
}

func (tp *Tape[T]) forward(x []T, top int) ([]T, error) {
	in := tp.net.sizes[0]
	if len(x) == 0 || len(x)%in != 0 {
		return nil, fmt.Errorf("mlp: input length %d not a positive multiple of the input width %d", len(x), in)
	}
	batch := len(x) / in
	if batch > tp.maxBatch {
		return nil, fmt.Errorf("mlp: batch %d larger than the tape's maximum %d: make the tape with a larger maxBatch", batch, tp.maxBatch)
	}
	if err := checkFinite("x", x); err != nil {
		return nil, err
	}
	tp.x, tp.batch, tp.top = x, batch, 0
	a := x
	for l := range top {
		lay := tp.net.Layer(l)
		y := tp.out[l][:batch*lay.Out]
		linalg.Gemm(false, false, batch, lay.Out, lay.In, 1, a, lay.In, lay.W, lay.Out, 0, y, lay.Out)
		biasAct(lay.Act, y, lay.B)
		a = y
	}
	tp.top = top
	return a, nil
}

// Backward computes, from dy = ∂L/∂Y for the output of the last Forward
// (batch×Out), the gradient of L with respect to every parameter into grad
// (laid out like Params; nil allocates) and, if dx is non-nil, with respect
// to the input into dx (batch×In). By the chain rule, for each layer from the
// last, with Y = σ(Z), Z = X·W + 1bᵀ:
//
//	∂L/∂Z = ∂L/∂Y ⊙ σ'(Z),  ∂L/∂W = Xᵀ·∂L/∂Z,  ∂L/∂b = 1ᵀ·∂L/∂Z,  ∂L/∂X = ∂L/∂Z·Wᵀ.
//
// grad is overwritten, not accumulated. It returns grad.
func (tp *Tape[T]) Backward(grad, dx, dy []T) ([]T, error) {
	if grad == nil {
		grad = make([]T, len(tp.net.params))
	}
	if len(grad) != len(tp.net.params) {
		return nil, fmt.Errorf("mlp: gradient length %d does not match the %d parameters", len(grad), len(tp.net.params))
	}
	return grad, tp.backward(grad, dx, dy, len(tp.net.acts))
}

// InputGradient computes ∂L/∂X into dx (batch×In; nil allocates) from
// dy = ∂L/∂Y for the output of the last Forward, skipping the weight
// gradients: the pass attack loops need. It returns dx.
func (tp *Tape[T]) InputGradient(dx, dy []T) ([]T, error) {
	if dx == nil {
		dx = make([]T, tp.batch*tp.net.sizes[0])
	}
	return dx, tp.backward(nil, dx, dy, len(tp.net.acts))
}

// FeatureInputGradient computes ∂L/∂X into dx (nil allocates) from
// dphi = ∂L/∂φ for the feature layer of the last Features or Forward call,
// back through the hidden layers only. It returns dx.
func (tp *Tape[T]) FeatureInputGradient(dx, dphi []T) ([]T, error) {
	if len(tp.net.acts) < 2 {
		return nil, errors.New("mlp: network has no hidden layer: need at least 3 sizes for a feature layer")
	}
	if dx == nil {
		dx = make([]T, tp.batch*tp.net.sizes[0])
	}
	return dx, tp.backward(nil, dx, dphi, len(tp.net.acts)-1)
}

// backward runs the chain rule down from layer top-1, whose output gradient
// is dy. grad == nil skips the parameter gradients, dx == nil the input's.
func (tp *Tape[T]) backward(grad, dx, dy []T, top int) error {
	if tp.top < top || tp.batch == 0 {
		return errors.New("mlp: backward pass without a matching forward pass: call Forward (or Features) first")
	}
	batch := tp.batch
	out := tp.net.sizes[top]
	if len(dy) != batch*out {
		return fmt.Errorf("mlp: output gradient length %d does not match batch %d × width %d", len(dy), batch, out)
	}
	if dx != nil && len(dx) != batch*tp.net.sizes[0] {
		return fmt.Errorf("mlp: input gradient length %d does not match batch %d × input width %d", len(dx), batch, tp.net.sizes[0])
	}
	g := dy
	for l := top - 1; l >= 0; l-- {
		lay := tp.net.Layer(l)
		dz := tp.delta[l][:batch*lay.Out]
		var gw, gb []T
		if grad != nil {
			gw, gb = tp.net.gradLayer(grad, l)
		}
		backAct(lay.Act, dz, g, tp.out[l][:batch*lay.Out], gb, lay.Out)
		x := tp.x
		if l > 0 {
			x = tp.out[l-1][:batch*lay.In]
		}
		if grad != nil {
			linalg.Gemm(true, false, lay.In, lay.Out, batch, 1, x, lay.In, dz, lay.Out, 0, gw, lay.Out)
		}
		var dst []T
		switch {
		case l > 0:
			dst = tp.delta[l-1][:batch*lay.In]
		case dx != nil:
			dst = dx
		default:
			continue
		}
		linalg.Gemm(false, true, batch, lay.In, lay.Out, 1, dz, lay.Out, lay.W, lay.Out, 0, dst, lay.In)
		g = dst
	}
	return nil
}

// Forward computes the network's output for the batch x (rows of In) into dst
// (rows of Out; nil allocates). It makes a Tape for the call; loops should
// make one Tape and reuse it instead.
func (net *Network[T]) Forward(dst, x []T) ([]T, error) {
	in := net.sizes[0]
	if len(x) == 0 || len(x)%in != 0 {
		return nil, fmt.Errorf("mlp: input length %d not a positive multiple of the input width %d", len(x), in)
	}
	n := len(x) / in
	if dst == nil {
		dst = make([]T, n*net.Out())
	}
	if len(dst) != n*net.Out() {
		return nil, fmt.Errorf("mlp: output length %d does not match batch %d × width %d", len(dst), n, net.Out())
	}
	tp, err := net.NewTape(n)
	if err != nil {
		return nil, err
	}
	y, err := tp.Forward(x)
	if err != nil {
		return nil, err
	}
	copy(dst, y)
	return dst, nil
}
