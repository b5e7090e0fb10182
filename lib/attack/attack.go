package attack

import (
	"fmt"

	"pointwise/lib/mlp"
)

// Objective is a differentiable loss of a batch of inputs that an attack
// increases. The network objective is the cross-entropy of the network's own
// logits (eq. 3 of the paper: adversarial points of one hypothesis); the hard
// objective is the mean cross-entropy of K random heads on the network's
// feature layer (eq. 2: hard points of a distribution of hypotheses).
type Objective[T mlp.Float] interface {
	// Gradient stores in dx (n×in, row-major) the gradient with respect to
	// x of the objective, sample by sample (each row is the gradient of that
	// sample's own loss), and, when loss is non-nil, each sample's loss in
	// loss[:n]. labels holds the n true labels. It returns an error on bad
	// shapes or a non-finite loss.
	Gradient(dx []T, loss []float64, x []T, labels []int, n int) error
}

// Attack perturbs a batch of inputs.
type Attack[T mlp.Float] interface {
	// Perturb writes adversarial versions of the n inputs x (row-major,
	// n×in) into dst: every row stays inside the attack's epsilon ball
	// around its clean row and inside [0, 1]. x is not modified; dst may
	// not alias x.
	Perturb(dst, x []T, labels []int, n int) error
	// Name identifies the attack and its settings, e.g. "PGD-20".
	Name() string
}

// LossEvaluator is implemented by objectives that can compute the loss
// without its gradient (a forward pass only). PGD uses it to score its last
// iterate; for other objectives it calls Gradient and discards the gradient.
type LossEvaluator[T mlp.Float] interface {
	// Loss stores each of the n samples' loss in loss[:n], with the same
	// conventions and errors as Objective.Gradient.
	Loss(loss []float64, x []T, labels []int, n int) error
}

// Classifier is implemented by objectives built on one classifier's logits
// (LogitObjective, such as NewCrossEntropy). PGD uses it to prefer iterates that succeed (misclassified,
// or classified as the target when targeted) over those that do not.
type Classifier interface {
	// Predictions stores in dst[:n] the predicted class (the index of the
	// largest logit, ties to the lowest) of each of the n samples at the
	// inputs of the last Gradient or Loss call, which must have had n
	// samples.
	Predictions(dst []int, n int) error
}

// Referencer is implemented by objectives that measure a change from the
// clean inputs (RandomHeads with HeadSquared): they capture the reference
// outputs at x. FGSM and PGD call SetReference(x, n) at the start of every
// Perturb, before any Gradient call.
type Referencer[T mlp.Float] interface {
	// SetReference records the objective's reference outputs at the n
	// clean inputs x (n×in, row-major).
	SetReference(x []T, n int) error
}

// Norm is the norm of an attack's threat model: the perturbation δ = x' − x
// must satisfy ‖δ‖ ≤ ε. The zero value is LInf.
type Norm uint8

const (
	// LInf is the max-norm ‖δ‖∞ = max_j |δ_j|, the threat model of FGSM and of
	// Madry et al.'s (2018) MNIST experiments.
	LInf Norm = iota
	// L2 is the Euclidean norm ‖δ‖₂ = (Σ_j δ_j²)^{1/2}.
	L2
)

// String returns "Linf" or "L2". (Like the package's other enums, its names
// are a switch: a table per type, not logic to share.)
func (p Norm) String() string {
	switch p {
	case LInf:
		return "Linf"
	case L2:
		return "L2"
	}
	return fmt.Sprintf("Norm(%d)", uint8(p))
}
