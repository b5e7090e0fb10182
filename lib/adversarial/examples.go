package adversarial

import (
	"fmt"
	"math/rand/v2"

	"pointwise/lib/attack"
)

// Examples are a few test images under attack, for showing what an
// adversarial example of a trained network looks like (the explore cell of
// the Figure 6 notebooks).
type Examples struct {
	// X holds the clean images and Adv their adversarials, N rows each.
	X, Adv []float32
	// Labels are the true classes; Clean and Predicted the network's
	// classes of the clean and the adversarial images.
	Labels, Clean, Predicted []int
}

// Fooled returns how many adversarials the network misclassifies.
func (e *Examples) Fooled() int {
	n := 0
	for i, p := range e.Predicted {
		if p != e.Labels[i] {
			n++
		}
	}
	return n
}

// Craft returns the PGD adversarials (L∞, random start, best iterate) of
// the first n images of test against m at radius eps, with steps steps, on
// m's own cross-entropy (heads = 0) or on the hard objective of eq. 2 with
// heads random heads on m's feature layer; the heads and the random starts
// are seeded with m's training seed. The same arguments give the same
// adversarials.
func Craft(m *Model, test Data, n int, eps float64, heads, steps int) (*Examples, error) {
	if err := needModel(m, "model", test); err != nil {
		return nil, err
	}
	seed := m.Config.Seed
	switch {
	case n < 1 || n > test.Split.N || n > MaxBatch:
		return nil, fmt.Errorf("adversarial: %d examples out of range: need 1 to %d (the test images, at most %d)", n, min(test.Split.N, MaxBatch), MaxBatch)
	case !(eps >= 0 && eps <= 1):
		return nil, fmt.Errorf("adversarial: epsilon %v out of range: need 0 ≤ ε ≤ 1", eps)
	case heads < 0 || heads > MaxHeads:
		return nil, fmt.Errorf("adversarial: %d heads out of range: need 0 (the network's own loss) to %d", heads, MaxHeads)
	case steps < 1 || steps > MaxSteps:
		return nil, fmt.Errorf("adversarial: %d steps out of range: need 1 to %d", steps, MaxSteps)
	}
	d := test.Split.Dim()
	e := &Examples{X: test.Split.X[:n*d], Adv: make([]float32, n*d), Labels: test.Split.Y[:n]}
	ce, err := attack.NewCrossEntropy(m.Net, n)
	if err != nil {
		return nil, fmt.Errorf("adversarial: %w", err)
	}
	var obj attack.Objective[float32] = ce
	if heads > 0 {
		if obj, err = attack.NewRandomHeads(m.Net, heads, n, rand.New(rand.NewPCG(seed, uint64(heads)))); err != nil {
			return nil, fmt.Errorf("adversarial: %w", err)
		}
	}
	pgd := &attack.PGD[float32]{Objective: obj, Epsilon: eps, Steps: steps, Seed: seed}
	if err := pgd.Perturb(e.Adv, e.X, e.Labels, n); err != nil {
		return nil, fmt.Errorf("adversarial: %w", err)
	}
	if e.Clean, err = classes(ce, e.X, e.Labels, n); err != nil {
		return nil, err
	}
	if e.Predicted, err = classes(ce, e.Adv, e.Labels, n); err != nil {
		return nil, err
	}
	return e, nil
}

// classes returns the network's class of each of the n rows of x (as the
// cross-entropy objective predicts them: the largest logit).
func classes(ce *attack.LogitObjective[float32], x []float32, labels []int, n int) ([]int, error) {
	if err := ce.Loss(nil, x, labels, n); err != nil {
		return nil, fmt.Errorf("adversarial: %w", err)
	}
	out := make([]int, n)
	if err := ce.Predictions(out, n); err != nil {
		return nil, fmt.Errorf("adversarial: %w", err)
	}
	return out, nil
}
