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
// cross-entropy of K random heads drawn afresh for the batch (Hard).
type perturber struct {
	pgd   *attack.PGD[float32]
	heads *attack.RandomHeads[float32] // nil for PGD training
	mix   float64
	in    int
}

// newPerturber builds the training attack of r on net for batches of up to
// maxBatch rows; rnd drives the random starts and the random heads.
func newPerturber(net *mlp.Network[float32], r Config, rnd *rand.Rand, maxBatch int) (*perturber, error) {
	p := &perturber{mix: r.Mix, in: net.In()}
	var obj attack.Objective[float32]
	switch r.Method {
	case PGD:
		ce, err := attack.NewCrossEntropy(net, maxBatch)
		if err != nil {
			return nil, fmt.Errorf("adversarial: %w", err)
		}
		obj = ce
	case Hard:
		h, err := attack.NewRandomHeads(net, r.Heads, maxBatch, rnd)
		if err != nil {
			return nil, fmt.Errorf("adversarial: %w", err)
		}
		p.heads, obj = h, h
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
	if p.heads != nil {
		p.heads.Redraw() // K fresh heads for every batch, on the current φ
	}
	return p.pgd.Perturb(dst[:k*p.in], x[:k*p.in], labels[:k], k)
}

var _ mlp.Perturber[float32] = (*perturber)(nil)
