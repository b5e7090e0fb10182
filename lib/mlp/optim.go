package mlp

import (
	"fmt"
	"math"
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
	if !(o.WeightDecay >= 0) || math.IsInf(o.WeightDecay, 0) {
		return fmt.Errorf("mlp: weight decay %v out of range: need finite and ≥ 0", o.WeightDecay)
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
}

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
	if !(o.WeightDecay >= 0) || math.IsInf(o.WeightDecay, 0) {
		return fmt.Errorf("mlp: weight decay %v out of range: need finite and ≥ 0", o.WeightDecay)
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
	step, rc2 := T(lr/c1), T(1/math.Sqrt(c2))
	tb1, tb2, teps, wd := T(b1), T(b2), T(eps), T(o.WeightDecay)
	m, v, g := o.m[:len(params)], o.v[:len(params)], grad[:len(params)]
	for i, p := range params {
		gi := g[i] + wd*p
		mi := tb1*m[i] + (1-tb1)*gi
		vi := tb2*v[i] + (1-tb2)*gi*gi
		m[i], v[i] = mi, vi
		params[i] = p - step*mi/(T(math.Sqrt(float64(vi)))*rc2+teps)
	}
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

func checkState(params, grad, state int) error {
	if grad != params {
		return fmt.Errorf("mlp: gradient length %d does not match the %d parameters", grad, params)
	}
	if state != 0 && state != params {
		return fmt.Errorf("mlp: optimiser state for %d parameters used with %d: call Reset or use a new optimiser", state, params)
	}
	return nil
}
