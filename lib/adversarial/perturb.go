package adversarial

import (
	"fmt"
	"math"
	"math/rand/v2"

	"pointwise/lib/attack"
	"pointwise/lib/mlp"
)

// perturber crafts the training inputs of PGD and Hard training: the first
// round(Mix·m) rows of each batch of m are replaced by the output of an L∞
// PGD attack from a random start, returning the last iterate (Madry et al.'s
// form), against the network's cross-entropy (PGD) or against the mean
// cross-entropy of K random heads drawn afresh for the batch (Hard; the
// ablation settings scale the heads, change their loss, or draw them once).
type perturber struct {
	pgd   *attack.PGD[float32]
	heads *attack.RandomHeads[float32] // nil for PGD training
	net   *mlp.Network[float32]
	fixed bool // HeadSettings.Fixed
	mix   float64
	in    int
}

// newPerturber builds the training attack of r on net for batches of up to
// maxBatch rows; rnd drives the random starts and the random heads.
func newPerturber(net *mlp.Network[float32], r Config, rnd *rand.Rand, maxBatch int) (*perturber, error) {
	p := &perturber{net: net, fixed: r.Heads.Fixed, mix: r.Mix, in: net.In()}
	var obj attack.Objective[float32]
	switch r.Method {
	case PGD:
		ce, err := attack.NewCrossEntropy(net, maxBatch)
		if err != nil {
			return nil, fmt.Errorf("adversarial: %w", err)
		}
		obj = ce
	case Hard:
		h, err := attack.NewRandomHeads(net, r.Heads.K, maxBatch, rnd)
		if err != nil {
			return nil, fmt.Errorf("adversarial: %w", err)
		}
		h.HeadLoss = r.Heads.Loss
		p.heads, obj = h, h
		if own := net.Head().Law; r.Heads.law(own) != own {
			// NewRandomHeads drew the first heads from the output layer's
			// law: SetLaw draws them again from the asked one (the fixed
			// heads are these).
			if err := h.SetLaw(r.Heads.law(own)); err != nil {
				return nil, fmt.Errorf("adversarial: %w", err)
			}
		}
	default:
		return nil, fmt.Errorf("adversarial: method %v has no training attack", r.Method)
	}
	p.pgd = &attack.PGD[float32]{Objective: obj, Epsilon: r.Epsilon, Norm: attack.LInf,
		Steps: r.Steps, StepSize: r.StepSize, LastIterate: true, Rand: rnd}
	return p, nil
}

// Perturb implements mlp.Perturber.
func (p *perturber) Perturb(dst, x []float32, labels []int) error {
	m := len(labels)
	k := int(math.Round(p.mix * float64(m)))
	copy(dst, x)
	if k == 0 {
		return nil
	}
	if p.heads != nil && !p.fixed {
		if err := p.redraw(); err != nil { // K fresh heads for every batch, on the current φ
			return err
		}
	}
	return p.pgd.Perturb(dst[:k*p.in], x[:k*p.in], labels[:k], k)
}

var _ mlp.Perturber[float32] = (*perturber)(nil)

// redraw draws the K heads afresh from HeadSettings' law (HeadSettings.law):
// at Scale s, W ~ N(0, (s·σ_w)²) is s times W ~ N(0, σ_w²) drawn from the
// same stream, exactly so for a power of two.
func (p *perturber) redraw() error {
	p.heads.Redraw()
	return nil
}
