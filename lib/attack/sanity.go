package attack

import (
	"errors"
	"fmt"
	"math"

	"pointwise/lib/mlp"
)

// GradientFloor is the size below which GradientFindings calls an input
// gradient vanishing: max_j |∂ℓ/∂x_j| ≤ 1e-12. In float32 a saturated
// softmax (p_y rounds to 1) gives an exact zero; in float64 a gradient this
// small is below what a sign step of any useful size can resolve against
// rounding of the loss.
const GradientFloor = 1e-12

// maxListed is the number of sample indices a finding lists.
const maxListed = 5

// GradientFindings looks for the first symptom of gradient masking
// (Athalye, Carlini and Wagner, ICML 2018; Carlini et al., "On evaluating
// adversarial robustness", 2019): it computes obj's input gradient on the
// n = len(labels) samples x in batches of batch rows (0 means
// DefaultEvalBatch) and returns, in words, how many samples have a gradient
// that vanishes (max_j |g_j| ≤ GradientFloor) or is not finite, and which.
// A batch on which the objective fails is reported too. No findings means no
// symptom. It errors on bad arguments only.
func GradientFindings[T mlp.Float](obj Objective[T], x []T, labels []int, batch int) ([]string, error) {
	n := len(labels)
	switch {
	case obj == nil:
		return nil, errors.New("attack: objective nil: need an Objective such as NewCrossEntropy")
	case n == 0 || len(x) == 0 || len(x)%n != 0:
		return nil, fmt.Errorf("attack: input length %d not a positive multiple of the %d labels", len(x), n)
	case batch < 0:
		return nil, fmt.Errorf("attack: batch = %d out of range: need ≥ 1 (0 means %d)", batch, DefaultEvalBatch)
	}
	if batch == 0 {
		batch = DefaultEvalBatch
	}
	in := len(x) / n
	g := make([]T, min(batch, n)*in)
	var findings, vanish, nonFinite []string
	var nv, nf int
	for s := 0; s < n; s += batch {
		e := min(s+batch, n)
		m := e - s
		if err := obj.Gradient(g[:m*in], nil, x[s*in:e*in], labels[s:e], m); err != nil {
			findings = append(findings, fmt.Sprintf("the objective fails on samples %d to %d: %v", s, e-1, err))
			continue
		}
		for i := range m {
			big, finite := 0.0, true
			for _, v := range g[i*in : (i+1)*in] {
				f := float64(v)
				if math.IsNaN(f) || math.IsInf(f, 0) {
					finite = false
					break
				}
				big = max(big, math.Abs(f))
			}
			switch {
			case !finite:
				if nf++; nf <= maxListed {
					nonFinite = append(nonFinite, fmt.Sprint(s+i))
				}
			case big <= GradientFloor:
				if nv++; nv <= maxListed {
					vanish = append(vanish, fmt.Sprint(s+i))
				}
			}
		}
	}
	if nf > 0 {
		findings = append(findings, fmt.Sprintf("the input gradient is not finite on %d of %d samples (%s): attacks cannot follow it", nf, n, listed(nonFinite, nf)))
	}
	if nv > 0 {
		findings = append(findings, fmt.Sprintf("the input gradient vanishes (max |∂ℓ/∂x_j| ≤ %g) on %d of %d samples (%s): gradient attacks cannot move them; suspect a saturated softmax or gradient masking, and try a margin loss or a gradient-free attack", GradientFloor, nv, n, listed(vanish, nv)))
	}
	return findings, nil
}

func listed(first []string, total int) string {
	s := "samples "
	for i, v := range first {
		if i > 0 {
			s += ", "
		}
		s += v
	}
	if total > len(first) {
		s += ", …"
	}
	return s
}

// MonotoneFindings returns, in words, every place where robust accuracy
// rises with ε in results (taken in order of increasing Epsilon, as
// RobustAccuracy returns them for increasing epsilons): a larger ball
// contains the smaller one, so an attack that finds less in it is failing
// (Carlini et al. 2019, §5). Results whose ε does not increase are skipped.
func MonotoneFindings(results []Robustness) []string {
	var findings []string
	for k := 1; k < len(results); k++ {
		a, b := results[k-1], results[k]
		if b.Epsilon > a.Epsilon && b.Accuracy > a.Accuracy {
			findings = append(findings, fmt.Sprintf("%s: accuracy rises from %.4f at ε = %g to %.4f at ε = %g: a larger ball cannot be safer, so the attack is not finding adversarial examples it should (gradient masking, too few steps or a step too small)", b.Attack, a.Accuracy, a.Epsilon, b.Accuracy, b.Epsilon))
		}
	}
	return findings
}

// NoiseFindings compares an attack's results with random noise's at the
// same radii (attack[k] and noise[k] must share Epsilon) and returns, in
// words, every ε > 0 at which the attack leaves at least as many samples
// robust as random noise does while noise leaves some: a gradient attack
// no stronger than a random corner of the ε-cube (RandomNoise) is not
// using its gradient (gradient masking), unless ε is too small to flip any
// sample. It errors when the two lists do not match.
func NoiseFindings(attack, noise []Robustness) ([]string, error) {
	if len(attack) != len(noise) {
		return nil, fmt.Errorf("attack: %d attack results and %d noise results: need one of each per ε", len(attack), len(noise))
	}
	var findings []string
	for k, a := range attack {
		r := noise[k]
		if a.Epsilon != r.Epsilon {
			return nil, fmt.Errorf("attack: result %d has ε = %v for the attack and %v for the noise: need the same radii", k, a.Epsilon, r.Epsilon)
		}
		if a.Epsilon > 0 && r.Correct > 0 && a.Accuracy >= r.Accuracy {
			findings = append(findings, fmt.Sprintf("%s at ε = %g: accuracy %.4f is no lower than under random noise of the same size (%.4f): suspect gradient masking (or ε too small to flip any sample)", a.Attack, a.Epsilon, a.Accuracy, r.Accuracy))
		}
	}
	return findings, nil
}

// CheckGradientMasking runs the three checks for gradient masking on net
// and the samples x with labels, and returns the findings in words (none
// means no symptom found): GradientFindings of the network's cross-entropy
// on the clean inputs; RobustAccuracy under attackFor at each ε with
// MonotoneFindings on it (epsilons should increase); and NoiseFindings
// against RandomNoise{Epsilon: ε, Seed: 1} at the same radii. batch is as
// in RobustAccuracy (0 means DefaultEvalBatch). It also returns the
// attack's results, so that they need not be computed twice. The noise is
// L∞, so the comparison is meant for L∞ attacks.
func CheckGradientMasking[T mlp.Float](net *mlp.Network[T], attackFor func(eps float64) Attack[T], x []T, labels []int, epsilons []float64, batch int) ([]string, []Robustness, error) {
	if net == nil {
		return nil, nil, errors.New("attack: network nil: need a *mlp.Network")
	}
	if batch < 0 {
		return nil, nil, fmt.Errorf("attack: batch = %d out of range: need ≥ 1 (0 means %d)", batch, DefaultEvalBatch)
	}
	if batch == 0 {
		batch = DefaultEvalBatch
	}
	res, err := RobustAccuracy(net, attackFor, x, labels, epsilons, batch, nil)
	if err != nil {
		return nil, nil, err
	}
	obj, err := NewCrossEntropy(net, min(batch, len(labels)))
	if err != nil {
		return nil, nil, err
	}
	findings, err := GradientFindings[T](obj, x, labels, batch)
	if err != nil {
		return nil, nil, err
	}
	findings = append(findings, MonotoneFindings(res)...)
	noise, err := RobustAccuracy(net, func(eps float64) Attack[T] {
		return &RandomNoise[T]{Epsilon: min(eps, 1), Seed: 1}
	}, x, labels, epsilons, batch, nil)
	if err != nil {
		return nil, nil, err
	}
	nf, err := NoiseFindings(res, noise)
	if err != nil {
		return nil, nil, err
	}
	return append(findings, nf...), res, nil
}
