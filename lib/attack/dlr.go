package attack

import (
	"errors"
	"fmt"
	"math"

	"pointwise/lib/internal/numeric"
	"pointwise/lib/mlp"
)

// LogitLoss is the per-sample loss of a LogitObjective, a function of the
// logits z and the true label y. The zero value is LossCE.
type LogitLoss uint8

const (
	// LossCE is the softmax cross-entropy log Σ_c exp z_c − z_y
	// (AutoAttack's apgd-ce; NewCrossEntropy on a network).
	LossCE LogitLoss = iota
	// LossDLR is the difference of logits ratio of Croce and Hein (ICML
	// 2020, eq. 6; AutoAttack's apgd-dlr),
	//
	//	DLR(z, y) = −(z_y − max_{i≠y} z_i) / (z_π1 − z_π3 + 1e−12),
	//
	// with π the classes sorted by decreasing logit. It is invariant to a
	// shift and a positive rescaling of the logits, so a saturated softmax
	// cannot hide its gradient. It needs at least 3 classes.
	LossDLR
	// LossDLRTargeted is the targeted DLR loss of AutoAttack's apgd-t,
	//
	//	DLR_t(z, y) = −(z_y − z_t) / (z_π1 − (z_π3 + z_π4)/2 + 1e−12),
	//
	// for a target class t set by SetTargets or TargetRank. It needs at least
	// 4 classes.
	LossDLRTargeted
)

// dlrDelta is the 1e−12 of the DLR denominators, as in AutoAttack.
const dlrDelta = 1e-12

// String returns "ce", "dlr" or "dlr-targeted".
func (l LogitLoss) String() string {
	switch l {
	case LossCE:
		return "ce"
	case LossDLR:
		return "dlr"
	case LossDLRTargeted:
		return "dlr-targeted"
	}
	return fmt.Sprintf("LogitLoss(%d)", uint8(l))
}

// minClasses returns the number of classes the loss needs.
func (l LogitLoss) minClasses() int {
	switch l {
	case LossDLR:
		return 3
	case LossDLRTargeted:
		return 4
	}
	return 2
}

// Targeter is implemented by targeted objectives (LogitObjective with
// LossDLRTargeted). APGD with Targets > 0 calls TargetRank before each
// targeted run.
type Targeter[T mlp.Float] interface {
	// TargetRank sets the target of each of the n samples x (n×in) to the
	// class with the r-th largest logit at x, 2 ≤ r ≤ classes (ties to the
	// lower class index): r = 2 is the runner-up of a correctly classified
	// sample, AutoAttack's first target.
	TargetRank(x []T, n, r int) error
}

// LogitObjective is an Objective on the logits z(x) of a GradientModel: a
// loss ℓ(z, y) chosen by LogitLoss (cross-entropy, DLR, targeted DLR), with
// the input gradient
//
//	∇_x ℓ = J_z(x)ᵀ ∂ℓ/∂z,
//
// one forward and one input-only backward pass of the model. For the DLR
// losses, with u the numerator and d the denominator (ℓ = −u/d),
//
//	∂ℓ/∂z_k = −(δ_ky − δ_km)/d + (u/d²)·∂d/∂z_k,
//
// m = argmax_{i≠y} z_i (or the target t), ∂d/∂z = e_π1 − e_π3 (DLR) or
// e_π1 − (e_π3 + e_π4)/2 (targeted DLR); ties in the sort are broken toward
// the lower class index, one choice of subgradient. Losses and ∂ℓ/∂z are
// computed in float64. It implements Objective, LossEvaluator, Classifier and
// Targeter, so that PGD, FGSM and APGD accept it. Not safe for concurrent
// use.
type LogitObjective[T mlp.Float] struct {
	model    GradientModel[T]
	loss     LogitLoss
	maxBatch int
	z, dz    []T
	pred     []int
	targets  []int
	targetN  int
	order    []int
	lastN    int
}

var (
	_ Objective[float32]     = (*LogitObjective[float32])(nil)
	_ LossEvaluator[float32] = (*LogitObjective[float32])(nil)
	_ Classifier             = (*LogitObjective[float32])(nil)
	_ Targeter[float32]      = (*LogitObjective[float32])(nil)
)

// NewLogitObjective returns the objective loss on model's logits for
// batches of at most maxBatch ≥ 1 samples (which must not exceed the
// model's own capacity). LossDLR needs at least 3 classes and
// LossDLRTargeted 4, as AutoAttack's checks.check_n_classes.
func NewLogitObjective[T mlp.Float](model GradientModel[T], loss LogitLoss, maxBatch int) (*LogitObjective[T], error) {
	switch {
	case model == nil:
		return nil, errors.New("attack: model nil: need a GradientModel such as NewNetworkModel")
	case loss > LossDLRTargeted:
		return nil, fmt.Errorf("attack: loss = %v unknown: need LossCE, LossDLR or LossDLRTargeted", loss)
	case maxBatch < 1:
		return nil, fmt.Errorf("attack: maxBatch = %d out of range: need ≥ 1", maxBatch)
	case model.Out() < loss.minClasses():
		return nil, fmt.Errorf("attack: loss %v on %d classes: need at least %d classes", loss, model.Out(), loss.minClasses())
	case maxBatch > mlp.MaxParams/max(model.Out(), model.In()):
		return nil, fmt.Errorf("attack: maxBatch = %d too large: need maxBatch·max(in, classes) ≤ %d", maxBatch, mlp.MaxParams)
	}
	c := model.Out()
	return &LogitObjective[T]{
		model: model, loss: loss, maxBatch: maxBatch,
		z: make([]T, maxBatch*c), dz: make([]T, maxBatch*c),
		pred: make([]int, maxBatch), targets: make([]int, maxBatch),
		order: make([]int, c),
	}, nil
}

// NewCrossEntropy returns the cross-entropy objective (LossCE) of net for
// batches of at most maxBatch ≥ 1 samples: the adversarial objective of one
// network, eq. 3 of the paper and the loss of Goodfellow et al. (2015) and
// Madry et al. (2018),
//
//	ℓ(x, y) = log Σ_c exp z_c(x) − z_y(x),   ∇_x ℓ = J_z(x)ᵀ (softmax(z(x)) − e_y),
//
// per sample (not averaged over the batch, unlike mlp.CrossEntropy, whose
// rows it computes alike). It is NewLogitObjective(NewNetworkModel(net,
// maxBatch), LossCE, maxBatch), the one cross-entropy objective, which
// NewLogitObjective builds on any other GradientModel.
func NewCrossEntropy[T mlp.Float](net *mlp.Network[T], maxBatch int) (*LogitObjective[T], error) {
	return newNetObjective(net, LossCE, maxBatch)
}

// NewDLR returns the DLR objective (LossDLR) of net, through
// NewNetworkModel(net, maxBatch).
func NewDLR[T mlp.Float](net *mlp.Network[T], maxBatch int) (*LogitObjective[T], error) {
	return newNetObjective(net, LossDLR, maxBatch)
}

// NewDLRTargeted returns the targeted DLR objective (LossDLRTargeted) of
// net, through NewNetworkModel(net, maxBatch).
func NewDLRTargeted[T mlp.Float](net *mlp.Network[T], maxBatch int) (*LogitObjective[T], error) {
	return newNetObjective(net, LossDLRTargeted, maxBatch)
}

func newNetObjective[T mlp.Float](net *mlp.Network[T], loss LogitLoss, maxBatch int) (*LogitObjective[T], error) {
	m, err := NewNetworkModel(net, maxBatch)
	if err != nil {
		return nil, err
	}
	return NewLogitObjective[T](m, loss, maxBatch)
}

// LossKind returns the objective's loss function.
func (o *LogitObjective[T]) LossKind() LogitLoss { return o.loss }

// MaxBatch returns the largest batch the objective accepts.
func (o *LogitObjective[T]) MaxBatch() int { return o.maxBatch }

// SetTargets sets the target classes of LossDLRTargeted for the next
// batches of n = len(targets) samples, each in [0, classes).
func (o *LogitObjective[T]) SetTargets(targets []int) error {
	n, c := len(targets), o.model.Out()
	if n < 1 || n > o.maxBatch {
		return fmt.Errorf("attack: %d targets out of range: need 1 to %d (the objective's maxBatch)", n, o.maxBatch)
	}
	for i, t := range targets {
		if t < 0 || t >= c {
			return fmt.Errorf("attack: target %d of sample %d out of range: need 0 to %d", t, i, c-1)
		}
	}
	copy(o.targets, targets)
	o.targetN = n
	return nil
}

// TargetRank implements Targeter.
func (o *LogitObjective[T]) TargetRank(x []T, n, r int) error {
	c := o.model.Out()
	if r < 2 || r > c {
		return fmt.Errorf("attack: target rank r = %d out of range: need 2 ≤ r ≤ %d classes", r, c)
	}
	if err := checkShape(x, n, o.model.In(), o.maxBatch); err != nil {
		return err
	}
	if err := o.model.Logits(o.z[:n*c], x); err != nil {
		return err
	}
	o.lastN = 0
	for i := range n {
		rankOrder(o.order, o.z[i*c:(i+1)*c])
		o.targets[i] = o.order[r-1]
	}
	o.targetN = n
	return nil
}

// Gradient implements Objective.
func (o *LogitObjective[T]) Gradient(dx []T, loss []float64, x []T, labels []int, n int) error {
	in := o.model.In()
	if err := checkGradient(dx, n, in); err != nil {
		return err
	}
	if err := o.eval(loss, x, labels, n); err != nil {
		return err
	}
	return o.model.InputGradient(dx[:n*in], o.dz[:n*o.model.Out()])
}

// Loss implements LossEvaluator with a forward pass only.
func (o *LogitObjective[T]) Loss(loss []float64, x []T, labels []int, n int) error {
	return o.eval(loss, x, labels, n)
}

// Predictions implements Classifier.
func (o *LogitObjective[T]) Predictions(dst []int, n int) error {
	return copyPredictions(dst, o.pred, n, o.lastN)
}

// eval computes the logits, the losses, the predictions and ∂ℓ/∂z.
func (o *LogitObjective[T]) eval(loss []float64, x []T, labels []int, n int) error {
	o.lastN = 0
	c := o.model.Out()
	if err := checkObjective(loss, x, labels, n, o.model.In(), c, o.maxBatch); err != nil {
		return err
	}
	if o.loss == LossDLRTargeted && o.targetN != n {
		return fmt.Errorf("attack: targeted DLR needs targets for this batch of n = %d first (SetTargets or TargetRank; %d set)", n, o.targetN)
	}
	if err := o.model.Logits(o.z[:n*c], x); err != nil {
		return err
	}
	for i, y := range labels {
		z, d := o.z[i*c:(i+1)*c], o.dz[i*c:(i+1)*c]
		var l float64
		switch o.loss {
		case LossCE:
			l = numeric.CrossEntropy(d, z, y, 1)
		case LossDLR:
			l = dlrRow(d, z, y, -1, o.order)
		default:
			l = dlrRow(d, z, y, o.targets[i], o.order)
		}
		if math.IsNaN(l) || math.IsInf(l, 0) {
			return fmt.Errorf("attack: %v loss of sample %d = %v: need finite logits (check the model)", o.loss, i, l)
		}
		if loss != nil {
			loss[i] = l
		}
		o.pred[i] = numeric.Argmax(z)
	}
	o.lastN = n
	return nil
}

// rankOrder writes into order the classes sorted by decreasing z, ties to
// the lower index (an insertion sort: the number of classes is small).
func rankOrder[T mlp.Float](order []int, z []T) {
	for k := range order {
		order[k] = k
	}
	for k := 1; k < len(order); k++ {
		v := order[k]
		j := k
		for j > 0 && z[order[j-1]] < z[v] {
			order[j] = order[j-1]
			j--
		}
		order[j] = v
	}
}

// dlrRow returns the DLR loss of the logits z for label y (untargeted when
// t < 0, else targeted at t) and writes ∂ℓ/∂z into d. order is a
// workspace of len(z).
func dlrRow[T mlp.Float](d, z []T, y, t int, order []int) float64 {
	rankOrder(order, z)
	for k := range d {
		d[k] = 0
	}
	p1, p3 := order[0], order[2]
	var m int
	var den float64
	if t < 0 {
		m = order[0]
		if m == y {
			m = order[1]
		}
		den = float64(z[p1]) - float64(z[p3]) + dlrDelta
	} else {
		m = t
		den = float64(z[p1]) - 0.5*(float64(z[p3])+float64(z[order[3]])) + dlrDelta
	}
	u := float64(z[y]) - float64(z[m])
	inv := 1 / den
	d[y] += T(-inv)
	d[m] += T(inv)
	s := u * inv * inv
	d[p1] += T(s)
	if t < 0 {
		d[p3] += T(-s)
	} else {
		d[p3] += T(-s / 2)
		d[order[3]] += T(-s / 2)
	}
	return -u * inv
}
