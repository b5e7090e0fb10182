package attack

import (
	"errors"
	"fmt"
	"math"

	"pointwise/lib/mlp"
)

// DefaultEvalBatch is the batch size of RobustAccuracy when its batch
// argument is 0.
const DefaultEvalBatch = 128

// Robustness is one point of a robustness curve: a network's accuracy on N
// samples under one attack at radius Epsilon.
type Robustness struct {
	// Epsilon is the attack radius ε.
	Epsilon float64
	// Attack is the attack's Name().
	Attack string
	// Correct counts the samples classified correctly both clean and after
	// the attack; N is the number of samples.
	Correct, N int
	// Accuracy is Correct/N: robust accuracy over all N samples, a clean
	// error counting as not robust (RobustBench's and AutoAttack's
	// convention, and fig6's).
	Accuracy float64
	// Success[i] is true when sample i is not robust: its clean input is
	// misclassified or the attack found an adversarial input (as Foolbox's
	// success array; so Accuracy = 1 − mean(Success)).
	Success []bool
}

// EvalProgress reports RobustAccuracy's position to a callback.
type EvalProgress struct {
	// Epsilon is the current radius, the Index-th (from 0) of Epsilons.
	Epsilon         float64
	Index, Epsilons int
	// Done counts the samples attacked so far at this radius, of Total (the
	// clean-correct samples: the others are not attacked).
	Done, Total int
}

// RobustAccuracy evaluates net on the n samples x (n×In, row-major, in
// [0, 1]) with labels under attackFor(ε) for each ε of epsilons, and
// returns one Robustness per ε, in order. Only the samples net classifies
// correctly when clean are attacked (the others count as not robust), in
// batches of batch rows (0 means DefaultEvalBatch; it must not exceed the
// attack objective's maxBatch); attackFor is called once per ε and its
// attack is reused across batches. A sample counts as robust when net
// classifies its perturbed input correctly (argmax of the logits, ties to
// the lowest index, as mlp.Correct). progress, if non-nil, is called after
// every batch. It errors on bad arguments, on an attack error, and when an
// attack returns an input outside [0, 1].
func RobustAccuracy[T mlp.Float](net *mlp.Network[T], attackFor func(eps float64) Attack[T], x []T, labels []int, epsilons []float64, batch int, progress func(EvalProgress)) ([]Robustness, error) {
	switch {
	case net == nil:
		return nil, errors.New("attack: network nil: need a *mlp.Network")
	case attackFor == nil:
		return nil, errors.New("attack: attackFor nil: need a function returning the attack for each ε")
	case batch < 0:
		return nil, fmt.Errorf("attack: batch = %d out of range: need ≥ 1 (0 means %d)", batch, DefaultEvalBatch)
	case len(epsilons) == 0:
		return nil, errors.New("attack: no epsilons: need at least one radius")
	}
	for k, e := range epsilons {
		if math.IsNaN(e) || math.IsInf(e, 0) || e < 0 {
			return nil, fmt.Errorf("attack: epsilons[%d] = %v out of range: need finite and ≥ 0", k, e)
		}
	}
	in, classes, n := net.In(), net.Out(), len(labels)
	if n == 0 || len(x) != n*in {
		return nil, fmt.Errorf("attack: input length %d does not match %d labels × input width %d (need ≥ 1 sample)", len(x), n, in)
	}
	for i, y := range labels {
		if y < 0 || y >= classes {
			return nil, fmt.Errorf("attack: label %d of sample %d out of range: need 0 to %d", y, i, classes-1)
		}
	}
	if err := checkUnit(x); err != nil {
		return nil, err
	}
	if batch == 0 {
		batch = DefaultEvalBatch
	}
	batch = min(batch, n)
	tp, err := net.NewTape(batch)
	if err != nil {
		return nil, fmt.Errorf("attack: %w", err)
	}
	// Clean pass: attack only the samples classified correctly.
	var idx []int
	for s := 0; s < n; s += batch {
		e := min(s+batch, n)
		z, err := tp.Forward(x[s*in : e*in])
		if err != nil {
			return nil, fmt.Errorf("attack: clean pass: %w", err)
		}
		for i := s; i < e; i++ {
			if argmax(z[(i-s)*classes:(i-s+1)*classes]) == labels[i] {
				idx = append(idx, i)
			}
		}
	}
	xb := make([]T, batch*in)
	adv := make([]T, batch*in)
	yb := make([]int, batch)
	out := make([]Robustness, len(epsilons))
	for k, eps := range epsilons {
		atk := attackFor(eps)
		if atk == nil {
			return nil, fmt.Errorf("attack: attackFor(%v) returned nil: need an Attack", eps)
		}
		r := Robustness{Epsilon: eps, Attack: atk.Name(), N: n, Success: make([]bool, n)}
		for i := range r.Success {
			r.Success[i] = true
		}
		for s := 0; s < len(idx); s += batch {
			part := idx[s:min(s+batch, len(idx))]
			m := len(part)
			for row, i := range part {
				copy(xb[row*in:(row+1)*in], x[i*in:(i+1)*in])
				yb[row] = labels[i]
			}
			if err := atk.Perturb(adv[:m*in], xb[:m*in], yb[:m], m); err != nil {
				return nil, fmt.Errorf("attack: %s at ε = %v on samples %d…: %w", r.Attack, eps, part[0], err)
			}
			if err := checkUnit(adv[:m*in]); err != nil {
				return nil, fmt.Errorf("attack: %s at ε = %v returned a bad input: %w", r.Attack, eps, err)
			}
			z, err := tp.Forward(adv[:m*in])
			if err != nil {
				return nil, fmt.Errorf("attack: %s at ε = %v: %w", r.Attack, eps, err)
			}
			for j, i := range part {
				if argmax(z[j*classes:(j+1)*classes]) == labels[i] {
					r.Success[i] = false
					r.Correct++
				}
			}
			if progress != nil {
				progress(EvalProgress{Epsilon: eps, Index: k, Epsilons: len(epsilons), Done: s + m, Total: len(idx)})
			}
		}
		r.Accuracy = float64(r.Correct) / float64(n)
		out[k] = r
	}
	return out, nil
}
