package attack

import (
	"math/rand/v2"

	"pointwise/lib/mlp"
)

// Identity is the attack that does nothing, x' = x: the ε = 0 row of a
// robustness curve, clean accuracy.
type Identity[T mlp.Float] struct{}

var _ Attack[float32] = Identity[float32]{}

// Perturb implements Attack by copying x into dst. It errors on bad shapes
// and inputs outside [0, 1], like every attack.
func (Identity[T]) Perturb(dst, x []T, labels []int, n int) error {
	in, err := checkPerturb(dst, x, labels, n)
	if err != nil {
		return err
	}
	copy(dst[:n*in], x)
	return nil
}

// Name implements Attack: "Identity".
func (Identity[T]) Name() string { return "Identity" }

// RandomNoise is the L∞ random-sign perturbation of size ε,
//
//	x'_j = clip_[0,1](x_j + ε·s_j),  s_j = ±1 with probability ½ each,
//
// independently per coordinate: a corner of the ε-cube, the strongest
// perturbation that uses no gradient at all. A gradient attack that is no
// stronger than it suggests gradient masking (Athalye, Carlini and Wagner,
// "Obfuscated gradients give a false sense of security", ICML 2018;
// Carlini et al., "On evaluating adversarial robustness", 2019, §5). The
// labels are not used.
type RandomNoise[T mlp.Float] struct {
	// Epsilon is the L∞ radius ε, in [0, 1].
	Epsilon float64
	// Seed seeds the signs: the stream rand.New(rand.NewPCG(Seed, Seed)) is
	// made at the first Perturb and continues across calls (Reset restarts
	// it). The zero value is seed 0.
	Seed uint64
	// Rand, if non-nil, is used instead of the stream from Seed.
	Rand *rand.Rand

	rnd *rand.Rand
}

var _ Attack[float32] = (*RandomNoise[float32])(nil)

// Perturb implements Attack.
func (a *RandomNoise[T]) Perturb(dst, x []T, labels []int, n int) error {
	in, err := checkPerturb(dst, x, labels, n)
	if err != nil {
		return err
	}
	if err := checkEpsilon(a.Epsilon, LInf); err != nil {
		return err
	}
	dst, x, done := unmoved(dst, x, n*in, a.Epsilon)
	if done {
		return nil
	}
	rnd := stream(&a.rnd, a.Rand, a.Seed)
	e := T(a.Epsilon)
	var bits uint64
	for j, v := range x {
		if j%64 == 0 {
			bits = rnd.Uint64()
		}
		s := e
		if bits&1 == 1 {
			s = -e
		}
		bits >>= 1
		dst[j] = clamp(v+s, 0, 1)
	}
	return nil
}

// Reset restarts the random stream from Seed at the next Perturb.
func (a *RandomNoise[T]) Reset() { a.rnd = nil }

// Name implements Attack: "RandomNoise".
func (a *RandomNoise[T]) Name() string { return "RandomNoise" }

// stream returns user if non-nil, else *own, made from seed if nil.
func stream(own **rand.Rand, user *rand.Rand, seed uint64) *rand.Rand {
	if user != nil {
		return user
	}
	if *own == nil {
		*own = rand.New(rand.NewPCG(seed, seed))
	}
	return *own
}
