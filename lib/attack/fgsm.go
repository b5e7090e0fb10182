package attack

import (
	"errors"

	"pointwise/lib/mlp"
)

// FGSM is the fast gradient sign method of Goodfellow, Shlens and Szegedy,
// "Explaining and harnessing adversarial examples" (ICLR 2015): one step of
// size ε along the sign of the objective's input gradient, an L∞ attack,
//
//	x' = clip_[0,1](x + ε·sign(∇_x ℓ(x, y)))
//
// (x − ε·sign(∇) when Targeted, descending the loss to the target label).
// sign(0) = 0, as torch.sign: a coordinate with a zero gradient is not moved.
// Clipping to [0, 1] keeps x' in the ball, as x ∈ [0, 1]. There are no other
// settings, and so no defaults to compare: torchattacks' FGSM (default
// ε = 8/255), Foolbox's LinfFastGradientAttack and ART's FastGradientMethod
// with norm=inf compute the same x' for the same ε and loss. The L2 fast
// gradient method is PGD{Norm: L2, Steps: 1, StepSize: ε, NoRandomStart: true}.
//
// An FGSM value keeps a gradient workspace between calls: use it by pointer,
// and not from several goroutines at once.
type FGSM[T mlp.Float] struct {
	// Objective is the loss whose gradient sign is followed.
	Objective Objective[T]
	// Epsilon is the L∞ radius ε, in [0, 1]. The zero value returns the
	// inputs unchanged.
	Epsilon float64
	// Targeted makes the labels given to Perturb target classes, and the
	// step descend the loss to them.
	Targeted bool

	g []T
}

var _ Attack[float32] = (*FGSM[float32])(nil)

// Perturb implements Attack: one objective gradient for the batch, then the
// signed step. It errors on bad shapes, inputs outside [0, 1], ε outside
// [0, 1] and objective errors.
func (a *FGSM[T]) Perturb(dst, x []T, labels []int, n int) error {
	in, err := checkPerturb(dst, x, labels, n)
	if err != nil {
		return err
	}
	if a.Objective == nil {
		return errors.New("attack: FGSM.Objective nil: need an Objective such as NewCrossEntropy")
	}
	if err := checkEpsilon(a.Epsilon, LInf); err != nil {
		return err
	}
	dst, x, done := unmoved(dst, x, n*in, a.Epsilon)
	if done {
		return nil
	}
	if err := a.gradient(x, labels, n); err != nil {
		return err
	}
	a.step(dst, x, a.Epsilon)
	return nil
}

// Sweep is Perturb at every radius of eps with one gradient: x' depends on
// ε only through the step, so FGSM along a grid of radii needs the
// objective's gradient once. For each k it writes the adversarial inputs at
// eps[k] into dst (n×In) and calls each(k, dst); Epsilon is not used. The
// inputs equal Perturb's at each radius.
func (a *FGSM[T]) Sweep(dst []T, eps []float64, x []T, labels []int, n int, each func(k int, adv []T) error) error {
	in, err := checkPerturb(dst, x, labels, n)
	if err != nil {
		return err
	}
	if a.Objective == nil {
		return errors.New("attack: FGSM.Objective nil: need an Objective such as NewCrossEntropy")
	}
	for _, e := range eps {
		if err := checkEpsilon(e, LInf); err != nil {
			return err
		}
	}
	dst, x = dst[:n*in], x[:n*in]
	if err := a.gradient(x, labels, n); err != nil {
		return err
	}
	for k, e := range eps {
		a.step(dst, x, e)
		if err := each(k, dst); err != nil {
			return err
		}
	}
	return nil
}

// gradient leaves the objective's input gradient at x in a.g.
func (a *FGSM[T]) gradient(x []T, labels []int, n int) error {
	if err := setReference(a.Objective, x, n); err != nil {
		return err
	}
	a.g = grow(a.g, len(x))
	return a.Objective.Gradient(a.g, nil, x, labels, n)
}

// step writes x' = clip(x ± ε·sign(g)) into dst.
func (a *FGSM[T]) step(dst, x []T, eps float64) {
	e := T(eps)
	if a.Targeted {
		e = -e
	}
	for j, v := range x {
		dst[j] = clamp(v+e*sign(a.g[j]), 0, 1)
	}
}

// Name implements Attack: "FGSM", or "FGSM-targeted".
func (a *FGSM[T]) Name() string {
	if a.Targeted {
		return "FGSM-targeted"
	}
	return "FGSM"
}

// sign returns −1, 0 or 1.
func sign[T mlp.Float](v T) T {
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

// grow returns s resliced to length n, reallocated if its capacity is short.
func grow[S ~[]E, E any](s S, n int) S {
	if cap(s) < n {
		return make(S, n)
	}
	return s[:n]
}

// setReference calls obj.SetReference(x, n) if obj is a Referencer.
func setReference[T mlp.Float](obj Objective[T], x []T, n int) error {
	if r, ok := obj.(Referencer[T]); ok {
		return r.SetReference(x, n)
	}
	return nil
}
