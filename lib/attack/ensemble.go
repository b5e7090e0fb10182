package attack

import (
	"errors"
	"fmt"
	"strings"

	"pointwise/lib/internal/numeric"
	"pointwise/lib/mlp"
)

// DefaultEvalBatch is the batch size of Evaluate and TransferAccuracy when
// their batch argument is 0.
const DefaultEvalBatch = 128

// Values of EnsembleResult.BrokenBy and Ensemble.BrokenBy for the samples no
// attack broke.
const (
	// Robust marks a sample classified correctly clean and under every
	// attack.
	Robust = -1
	// CleanError marks a sample misclassified before any attack: not robust,
	// and not attacked.
	CleanError = -2
)

// EnsembleResult is the outcome of Evaluate: a model's accuracy on N
// samples under the per-sample worst case of a list of attacks.
type EnsembleResult struct {
	// Attacks are the attacks' Name()s, in the order they ran.
	Attacks []string
	// N is the number of samples; CleanCorrect counts those classified
	// correctly without attack, Correct those classified correctly clean and
	// under every attack.
	N, CleanCorrect, Correct int
	// CleanAccuracy is CleanCorrect/N and Accuracy is Correct/N, robust
	// accuracy over all N samples (a clean error counts as not robust).
	CleanAccuracy, Accuracy float64
	// AccuracyAfter[k] is the robust accuracy after attacks 0…k, as
	// AutoAttack prints after each attack; it is non-increasing.
	AccuracyAfter []float64
	// Success[i] is true when sample i is not robust (clean error or broken
	// by some attack), as Foolbox's success array; so
	// Accuracy = 1 − mean(Success).
	Success []bool
	// BrokenBy[i] is the index in Attacks of the first attack that broke
	// sample i, Robust, or CleanError.
	BrokenBy []int
}

// Ensemble is the per-sample worst case over a list of attacks, as
// AutoAttack's run_standard_evaluation: the attacks run in order, each only
// on the samples that the model still classifies correctly (clean errors
// are never attacked), and a sample counts as broken as soon as one attack
// finds an input the model misclassifies (argmax of the logits, ties to the
// lowest class, as mlp.Correct). So the ensemble breaks a sample exactly
// when one of its members does on its own (given the same random streams),
// for the cost of running the later, slower attacks on fewer samples;
// AutoAttack's standard order is APGD-CE, APGD-T, FAB-T, Square (this
// package has no FAB).
//
// As an Attack, Perturb writes each broken sample's adversarial input and
// the clean input of every other sample (as AutoAttack returns), and
// records in BrokenBy which attack broke each sample. Batches must fit the
// workspaces of the model and of every attack's objective. Not safe for
// concurrent use.
type Ensemble[T mlp.Float] struct {
	// Model classifies the attacked inputs.
	Model Model[T]
	// Attacks are run in order on the samples still robust.
	Attacks []Attack[T]
	// BrokenBy[i] is, after Perturb, the index of the attack that broke
	// sample i of the last batch, Robust, or CleanError.
	BrokenBy []int

	z    []T
	xs   []T
	adv  []T
	ys   []int
	idx  []int
	name string
}

var _ Attack[float32] = (*Ensemble[float32])(nil)

// Name implements Attack: "Ensemble(" and the members' names joined by "+",
// then ")", e.g. "Ensemble(PGD-20+APGD-CE+APGD-T+Square-5000)".
func (e *Ensemble[T]) Name() string {
	names := make([]string, len(e.Attacks))
	for k, a := range e.Attacks {
		if a != nil {
			names[k] = a.Name()
		}
	}
	return "Ensemble(" + strings.Join(names, "+") + ")"
}

func (e *Ensemble[T]) check() error {
	if e.Model == nil {
		return errors.New("attack: Ensemble.Model nil: need a Model such as NewNetworkModel")
	}
	if len(e.Attacks) == 0 {
		return errors.New("attack: Ensemble.Attacks empty: need at least one attack")
	}
	for k, a := range e.Attacks {
		if a == nil {
			return fmt.Errorf("attack: Ensemble.Attacks[%d] nil: need an Attack", k)
		}
	}
	return nil
}

// Perturb implements Attack. It errors on bad shapes, inputs outside
// [0, 1], a model whose input width differs from the inputs', and on an
// attack's error or an attack output outside [0, 1].
func (e *Ensemble[T]) Perturb(dst, x []T, labels []int, n int) error {
	in, err := checkPerturb(dst, x, labels, n)
	if err != nil {
		return err
	}
	if err := e.check(); err != nil {
		return err
	}
	if e.Model.In() != in {
		return fmt.Errorf("attack: Ensemble model input width %d does not match the input width %d", e.Model.In(), in)
	}
	c := e.Model.Out()
	if err := checkLabels(labels, c); err != nil {
		return err
	}
	x, dst = x[:n*in], dst[:n*in]
	copy(dst, x)
	e.BrokenBy = grow(e.BrokenBy, n)
	e.z = grow(e.z, n*c)
	e.xs = grow(e.xs, n*in)
	e.adv = grow(e.adv, n*in)
	e.ys = grow(e.ys, n)
	e.idx = grow(e.idx, n)
	if err := batchLogits(e.Model, e.z, x, n); err != nil {
		return err
	}
	for i, y := range labels {
		e.BrokenBy[i] = Robust
		if numeric.Argmax(e.z[i*c:(i+1)*c]) != y {
			e.BrokenBy[i] = CleanError
		}
	}
	for k, atk := range e.Attacks {
		m := 0
		for i := range n {
			if e.BrokenBy[i] == Robust {
				e.idx[m] = i
				copy(e.xs[m*in:(m+1)*in], x[i*in:(i+1)*in])
				e.ys[m] = labels[i]
				m++
			}
		}
		if m == 0 {
			break
		}
		adv := e.adv[:m*in]
		if err := atk.Perturb(adv, e.xs[:m*in], e.ys[:m], m); err != nil {
			return fmt.Errorf("attack: %s in the ensemble: %w", atk.Name(), err)
		}
		if err := checkUnit(adv); err != nil {
			return fmt.Errorf("attack: %s in the ensemble returned a bad input: %w", atk.Name(), err)
		}
		if err := batchLogits(e.Model, e.z, adv, m); err != nil {
			return err
		}
		for r, i := range e.idx[:m] {
			if numeric.Argmax(e.z[r*c:(r+1)*c]) != labels[i] {
				e.BrokenBy[i] = k
				copy(dst[i*in:(i+1)*in], adv[r*in:(r+1)*in])
			}
		}
	}
	return nil
}

// Evaluate runs the Ensemble of attacks against model on the N = len(labels)
// samples x (N×In, row-major, in [0, 1]) in batches of batch rows (0 means
// DefaultEvalBatch; it must fit the workspaces of the model and of every
// attack's objective) and returns the robust accuracy over all N samples,
// a clean error counting as not robust, with per-sample success and the
// attack that broke each sample. It errors on bad arguments and on an
// attack's error.
func Evaluate[T mlp.Float](model Model[T], attacks []Attack[T], x []T, labels []int, batch int) (*EnsembleResult, error) {
	e := &Ensemble[T]{Model: model, Attacks: attacks}
	if err := e.check(); err != nil {
		return nil, err
	}
	if batch < 0 {
		return nil, fmt.Errorf("attack: batch = %d out of range: need ≥ 1 (0 means %d)", batch, DefaultEvalBatch)
	}
	if batch == 0 {
		batch = DefaultEvalBatch
	}
	in, n := model.In(), len(labels)
	if n == 0 || len(x) != n*in {
		return nil, fmt.Errorf("attack: input length %d does not match %d labels × input width %d (need ≥ 1 sample)", len(x), n, in)
	}
	batch = min(batch, n)
	res := &EnsembleResult{
		N: n, Success: make([]bool, n), BrokenBy: make([]int, n),
		Attacks: make([]string, len(attacks)), AccuracyAfter: make([]float64, len(attacks)),
	}
	for k, a := range attacks {
		res.Attacks[k] = a.Name()
	}
	dst := make([]T, batch*in)
	for s := 0; s < n; s += batch {
		end := min(s+batch, n)
		if err := e.Perturb(dst[:(end-s)*in], x[s*in:end*in], labels[s:end], end-s); err != nil {
			return nil, fmt.Errorf("attack: samples %d to %d: %w", s, end-1, err)
		}
		copy(res.BrokenBy[s:end], e.BrokenBy)
	}
	broken := make([]int, len(attacks))
	for i, b := range res.BrokenBy {
		switch {
		case b == Robust:
			res.Correct++
			res.CleanCorrect++
		case b >= 0:
			broken[b]++
			res.CleanCorrect++
		}
		res.Success[i] = b != Robust
	}
	left := res.CleanCorrect
	for k, b := range broken {
		left -= b
		res.AccuracyAfter[k] = float64(left) / float64(n)
	}
	res.CleanAccuracy = float64(res.CleanCorrect) / float64(n)
	res.Accuracy = float64(res.Correct) / float64(n)
	return res, nil
}

// Transfer is a transfer attack: Source is an attack bound to a source
// model (its objective is built on that model), and Transfer's Perturb
// returns the source's adversarial inputs unchanged, whatever model they
// are then evaluated on (Papernot et al. 2016; Carlini et al. 2019 §5: a
// defence that resists white-box attacks but not inputs crafted on another
// model is masking its gradients). Evaluate it on the target model with
// Evaluate or TransferAccuracy.
type Transfer[T mlp.Float] struct {
	// Source crafts the inputs on the source model.
	Source Attack[T]
}

var _ Attack[float32] = (*Transfer[float32])(nil)

// Name implements Attack: "Transfer(" + Source.Name() + ")".
func (a *Transfer[T]) Name() string {
	if a.Source == nil {
		return "Transfer(nil)"
	}
	return "Transfer(" + a.Source.Name() + ")"
}

// Perturb implements Attack by calling Source.Perturb.
func (a *Transfer[T]) Perturb(dst, x []T, labels []int, n int) error {
	if a.Source == nil {
		return errors.New("attack: Transfer.Source nil: need an Attack bound to the source model")
	}
	return a.Source.Perturb(dst, x, labels, n)
}

// TransferAccuracy returns the robust accuracy of the target model on the N
// samples x under inputs crafted by source on its own model: Evaluate with
// the single attack Transfer{source}. Only the samples the target
// classifies correctly are crafted on; clean errors of the target count as
// not robust.
func TransferAccuracy[T mlp.Float](source Attack[T], target Model[T], x []T, labels []int, batch int) (*EnsembleResult, error) {
	if source == nil {
		return nil, errors.New("attack: source attack nil: need an Attack bound to the source model")
	}
	return Evaluate(target, []Attack[T]{&Transfer[T]{Source: source}}, x, labels, batch)
}
