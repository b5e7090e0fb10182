package mlp

import (
	"fmt"
	"math"
	"unsafe"

	"pointwise/lib/internal/linalg"
)

// Optimizer updates parameters in place from their gradient.
type Optimizer[T Float] interface {
	// Step applies one update to params given grad = ∂L/∂params (same length).
	Step(params, grad []T) error
}

// SGD is stochastic gradient descent with momentum, PyTorch's rule
// (torch.optim.SGD with dampening 0, not Nesterov): with velocity v (zero at
// first),
//
//	v ← μ·v + g + λ·p,   p ← p − η·v,
//
// for learning rate η, momentum μ and weight decay λ. The zero value is not
// usable: LearningRate has no default, as in PyTorch. Its state is sized on
// the first Step; later steps do not allocate.
type SGD[T Float] struct {
	// LearningRate η must be > 0.
	LearningRate float64
	// Momentum μ is in [0, 1). If Momentum is 0, the update is plain SGD.
	Momentum float64
	// WeightDecay λ ≥ 0 adds λ·p to the gradient. If it is 0, there is none.
	WeightDecay float64

	v []T
}

// Step implements Optimizer.
func (o *SGD[T]) Step(params, grad []T) error {
	if err := checkLR(o.LearningRate); err != nil {
		return err
	}
	if !(o.Momentum >= 0 && o.Momentum < 1) {
		return fmt.Errorf("mlp: momentum %v out of range: need 0 ≤ μ < 1", o.Momentum)
	}
	if err := checkWeightDecay(o.WeightDecay); err != nil {
		return err
	}
	if err := checkState(len(params), len(grad), len(o.v)); err != nil {
		return err
	}
	if o.v == nil {
		o.v = make([]T, len(params))
	}
	lr, mu, wd := T(o.LearningRate), T(o.Momentum), T(o.WeightDecay)
	v := o.v[:len(params)]
	g := grad[:len(params)]
	for i, p := range params {
		vi := mu*v[i] + g[i] + wd*p
		v[i] = vi
		params[i] = p - lr*vi
	}
	return nil
}

// Adam is Kingma and Ba's (2015) optimiser in PyTorch's form (torch.optim.Adam,
// not AMSGrad): at step t = 1, 2, … with gradient g (plus λ·p if WeightDecay
// λ is set),
//
//	m ← β₁m + (1−β₁)g,   v ← β₂v + (1−β₂)g²,
//	p ← p − η·(m/(1−β₁ᵗ)) / (√(v/(1−β₂ᵗ)) + ε).
//
// The zero value is usable with PyTorch's defaults. Its state is sized on the
// first Step; later steps do not allocate.
type Adam[T Float] struct {
	// LearningRate η. If LearningRate is 0, it is 1e-3; it must not be < 0.
	LearningRate float64
	// Beta1 β₁ in [0, 1). If Beta1 is 0, it is 0.9.
	Beta1 float64
	// Beta2 β₂ in [0, 1). If Beta2 is 0, it is 0.999.
	Beta2 float64
	// Epsilon ε > 0. If Epsilon is 0, it is 1e-8.
	Epsilon float64
	// WeightDecay λ ≥ 0 adds λ·p to the gradient (L2, not AdamW). If it is 0,
	// there is none.
	WeightDecay float64

	m, v []T
	t    int
	r    adamRange[T]
}

// adamRange is one Adam update over a range of parameters, the body that
// linalg.For spreads over the cores: the update of each parameter reads and
// writes only its own moments, so the split does not change a bit.
type adamRange[T Float] struct {
	params, grad, m, v         []T
	step, rc2, b1, b2, eps, wd T
}

func (a *adamRange[T]) Range(lo, hi int) {
	params, g, m, v := a.params[lo:hi], a.grad[lo:hi], a.m[lo:hi], a.v[lo:hi]
	if unsafe.Sizeof(T(0)) == 4 {
		// Four at a time where the CPU has the instructions (adam_amd64.s);
		// the scalar loop does the rest, with the same bits.
		k := adamConsts{float32(a.step), float32(a.rc2), float32(a.b1), float32(a.b2),
			float32(1 - a.b1), float32(1 - a.b2), float32(a.eps), float32(a.wd)}
		n := adamVector(as32(params), as32(g), as32(m), as32(v), &k)
		params, g, m, v = params[n:], g[n:], m[n:], v[n:]
	}
	adamScalar(params, g, m, v, a.step, a.rc2, a.b1, a.b2, a.eps, a.wd)
}

// adamScalar is the Adam update of each parameter, one at a time.
func adamScalar[T Float](params, g, m, v []T, step, rc2, b1, b2, eps, wd T) {
	g, m, v = g[:len(params)], m[:len(params)], v[:len(params)]
	for i, p := range params {
		gi := g[i] + wd*p
		mi := b1*m[i] + (1-b1)*gi
		vi := b2*v[i] + (1-b2)*gi*gi
		m[i], v[i] = mi, vi
		params[i] = p - step*mi/(T(math.Sqrt(float64(vi)))*rc2+eps)
	}
}

// adamMinSplit is the number of parameters from which an Adam step is worth
// handing half to another core: the update is memory-bound, about a
// nanosecond a parameter, and the hand-off costs some microseconds.
const adamMinSplit = 1 << 14

// Step implements Optimizer.
func (o *Adam[T]) Step(params, grad []T) error {
	lr, b1, b2, eps := o.LearningRate, o.Beta1, o.Beta2, o.Epsilon
	if lr == 0 {
		lr = 1e-3
	}
	if b1 == 0 {
		b1 = 0.9
	}
	if b2 == 0 {
		b2 = 0.999
	}
	if eps == 0 {
		eps = 1e-8
	}
	if err := checkLR(lr); err != nil {
		return err
	}
	if !(b1 > 0 && b1 < 1) || !(b2 > 0 && b2 < 1) {
		return fmt.Errorf("mlp: Adam betas (%v, %v) out of range: need 0 < β < 1 (0 means the default)", o.Beta1, o.Beta2)
	}
	if !(eps > 0) || math.IsInf(eps, 0) {
		return fmt.Errorf("mlp: Adam epsilon %v out of range: need finite and > 0", o.Epsilon)
	}
	if err := checkWeightDecay(o.WeightDecay); err != nil {
		return err
	}
	if err := checkState(len(params), len(grad), len(o.m)); err != nil {
		return err
	}
	if o.m == nil {
		o.m = make([]T, len(params))
		o.v = make([]T, len(params))
	}
	o.t++
	c1 := 1 - math.Pow(b1, float64(o.t))
	c2 := 1 - math.Pow(b2, float64(o.t))
	// PyTorch's arrangement: p −= (η/c1)·m / (√v/√c2 + ε).
	o.r = adamRange[T]{
		params: params, grad: grad[:len(params)], m: o.m[:len(params)], v: o.v[:len(params)],
		step: T(lr / c1), rc2: T(1 / math.Sqrt(c2)), b1: T(b1), b2: T(b2), eps: T(eps), wd: T(o.WeightDecay),
	}
	linalg.For(len(params), adamMinSplit, &o.r)
	o.r = adamRange[T]{} // drop the references to the caller's slices
	return nil
}

// Reset forgets the optimiser's state (moments and step count).
func (o *Adam[T]) Reset() { o.m, o.v, o.t = nil, nil, 0 }

// Reset forgets the optimiser's velocity.
func (o *SGD[T]) Reset() { o.v = nil }

var (
	_ Optimizer[float32] = (*SGD[float32])(nil)
	_ Optimizer[float64] = (*Adam[float64])(nil)
)

func checkLR(lr float64) error {
	if !(lr > 0) || math.IsInf(lr, 0) {
		return fmt.Errorf("mlp: learning rate %v out of range: need finite and > 0", lr)
	}
	return nil
}

// checkWeightDecay reports a weight decay that is negative, NaN or infinite.
func checkWeightDecay(wd float64) error {
	if !(wd >= 0) || math.IsInf(wd, 0) {
		return fmt.Errorf("mlp: weight decay %v out of range: need finite and ≥ 0", wd)
	}
	return nil
}

func checkState(params, grad, state int) error {
	if grad != params {
		return fmt.Errorf("mlp: gradient length %d does not match the %d parameters", grad, params)
	}
	if state != 0 && state != params {
		return fmt.Errorf("mlp: optimiser state for %d parameters used with %d: call Reset or use a new optimiser", state, params)
	}
	return nil
}
