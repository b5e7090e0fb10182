package attack

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"pointwise/lib/internal/linalg"
	"pointwise/lib/internal/numeric"
	"pointwise/lib/mlp"
)

// HeadLoss is the loss RandomHeads scores each random head's output with.
// The zero value is HeadCrossEntropy.
type HeadLoss uint8

const (
	// HeadCrossEntropy is the softmax cross-entropy of the head's logits to
	// the true label, log Σ_c exp z_c − z_y: the loss of eq. 2 for a
	// classifier.
	HeadCrossEntropy HeadLoss = iota
	// HeadSquared is half the squared distance ½‖z(x') − z(x)‖² of the head's
	// logits to its logits at the clean input x, recorded by SetReference:
	// how far the perturbation moves each random hypothesis, whatever the
	// label. Its gradient vanishes at x' = x, so FGSM and PGD without random
	// start do not move; use PGD with its default random start.
	HeadSquared
	// HeadLimit is the small-scale limit of HeadCrossEntropy, linear in the
	// head's logits z ∈ R^C:
	//
	//	L(z, y) = (1/C − e_y)ᵀz = (1/C) Σ_c z_c − z_y,
	//
	// with 1/C the constant vector. For heads at scale s, z_k = s·z̃_k with
	// z̃_k = φW̃_k + b̃_k, the cross-entropy's ∂L/∂z_k = softmax(s·z̃_k) − e_y
	// = 1/C − e_y + O(s), so the cross-entropy objective's input gradient
	// is s·J_φ(x)ᵀ (1/K) Σ_k W̃_k (1/C − e_y) + O(s²): as s → 0 its
	// direction, and so the sign that L∞ attacks use, tends to that of
	// HeadLimit's gradient, whose direction depends neither on s nor on the
	// biases.
	HeadLimit
	numHeadLosses
)

// String returns "ce", "squared" or "limit".
func (l HeadLoss) String() string {
	switch l {
	case HeadCrossEntropy:
		return "ce"
	case HeadSquared:
		return "squared"
	case HeadLimit:
		return "limit"
	}
	return fmt.Sprintf("HeadLoss(%d)", uint8(l))
}

// RandomHeads is the hard objective of eq. 2 of the paper: the mean over K
// random hypotheses on the network's current feature layer φ (the last
// hidden layer),
//
//	J(x, y) = (1/K) Σ_k L(z_k(x), y),   z_k(x) = φ(x)·W_k + b_k,
//
// with W_k, b_k drawn from the law the network's head was initialised from
// (mlp.Layer.Law: for He's, (W_k)_ij ~ N(0, 2/F) and b_k = 0; for
// mlp.PyTorchLinear's, every weight and bias U(±1/√F)), exactly as K
// successive calls of net.RandomHead(rnd) would draw them, or from the law
// given to SetLaw; and L chosen by HeadLoss (the cross-entropy to the true
// label by default). The paper leaves the distribution H of eq. 2 open: the
// heads' law is that choice. The heads act on the
// pre-activation: the network head's output activation is not applied (for
// the usual Identity head this changes nothing). The gradient
//
//	∇_x J = J_φ(x)ᵀ (1/K) Σ_k W_k ∂L/∂z_k
//
// costs one forward pass through the hidden layers, one GEMM with all K
// heads side by side (φ·[W_1 … W_K], n×F times F×KC), one GEMM back
// (∂J/∂φ = [∂L/∂z_1 … ∂L/∂z_K]·[W_1 … W_K]ᵀ/K) and one input-only backward
// pass through the hidden layers. Call Redraw for fresh heads (per batch, in
// hard adversarial training). Not safe for concurrent use.
type RandomHeads[T mlp.Float] struct {
	// HeadLoss is the per-head loss L; the zero value is HeadCrossEntropy. With
	// HeadSquared, SetReference must record the clean outputs before
	// Gradient (FGSM and PGD do so at the start of every Perturb).
	HeadLoss HeadLoss

	law    mlp.Law // the heads' law, if hasLaw (SetLaw)
	hasLaw bool
	net    *mlp.Network[T]
	tape   *mlp.Tape[T]
	rnd    *rand.Rand
	k      int
	f, c   int
	w, b   []T // F×KC and KC: head k is columns [kC, (k+1)C)
	hw, hb []T // one head as net.RandomHead lays it out
	z, dz  []T // maxBatch × KC
	dphi   []T // maxBatch × F
	ref    []T // maxBatch × KC, the clean outputs for HeadSquared
	refN   int
}

var (
	_ Objective[float32]     = (*RandomHeads[float32])(nil)
	_ LossEvaluator[float32] = (*RandomHeads[float32])(nil)
	_ Referencer[float32]    = (*RandomHeads[float32])(nil)
)

// NewRandomHeads returns the hard objective of net with K ≥ 1 random heads,
// drawn now from rnd (kept for Redraw), for batches of at most maxBatch ≥ 1
// samples. The network needs a hidden layer and a head initialised with a
// positive weight scale (mlp.Network.Init records it).
func NewRandomHeads[T mlp.Float](net *mlp.Network[T], k, maxBatch int, rnd *rand.Rand) (*RandomHeads[T], error) {
	switch {
	case net == nil:
		return nil, errors.New("attack: network nil: need a *mlp.Network")
	case net.FeatureWidth() == 0:
		return nil, fmt.Errorf("attack: network with sizes %v has no hidden layer: need at least 3 sizes for a feature layer", net.Sizes())
	case k < 1:
		return nil, fmt.Errorf("attack: number of heads K = %d out of range: need ≥ 1", k)
	case maxBatch < 1:
		return nil, fmt.Errorf("attack: maxBatch = %d out of range: need ≥ 1", maxBatch)
	case rnd == nil:
		return nil, errors.New("attack: random source nil: need a seeded *rand.Rand, e.g. rand.New(rand.NewPCG(1, 1))")
	}
	h := net.Head()
	if !(h.WeightStd > 0) {
		return nil, fmt.Errorf("attack: head weight scale σ_w = %v out of range: need > 0 (initialise the network with Init)", h.WeightStd)
	}
	f, c := net.FeatureWidth(), net.Out()
	if k > mlp.MaxParams/((f+1)*c) || maxBatch > mlp.MaxParams/(k*c+f) {
		return nil, fmt.Errorf("attack: K = %d heads of %d×%d with maxBatch = %d too large: need K·C·(F+1) and maxBatch·(K·C+F) ≤ %d", k, f, c, maxBatch, mlp.MaxParams)
	}
	tp, err := net.NewTape(maxBatch)
	if err != nil {
		return nil, fmt.Errorf("attack: %w", err)
	}
	kc := k * c
	o := &RandomHeads[T]{
		net: net, tape: tp, rnd: rnd, k: k, f: f, c: c,
		w: make([]T, f*kc), b: make([]T, kc),
		hw: make([]T, f*c), hb: make([]T, c),
		z: make([]T, maxBatch*kc), dz: make([]T, maxBatch*kc),
		dphi: make([]T, maxBatch*f), ref: make([]T, maxBatch*kc),
	}
	o.Redraw()
	return o, nil
}

// K returns the number of heads.
func (o *RandomHeads[T]) K() int { return o.k }

// MaxBatch returns the largest batch the objective accepts.
func (o *RandomHeads[T]) MaxBatch() int { return o.tape.MaxBatch() }

// Law returns the law the heads are drawn from: the one given to SetLaw, or
// else the network head's.
func (o *RandomHeads[T]) Law() mlp.Law {
	if o.hasLaw {
		return o.law
	}
	return o.net.Head().Law
}

// SetLaw sets the law the heads are drawn from, in place of the network
// head's, and draws K fresh heads from it (see Redraw). Its weight standard
// deviation must be positive.
func (o *RandomHeads[T]) SetLaw(law mlp.Law) error {
	if err := law.Validate(); err != nil {
		return fmt.Errorf("attack: heads' law: %w", err)
	}
	if !(law.WeightStd > 0) {
		return fmt.Errorf("attack: heads' weight standard deviation σ_w = %v out of range: need > 0", law.WeightStd)
	}
	o.law, o.hasLaw = law, true
	o.Redraw()
	return nil
}

// Redraw draws K fresh heads from the objective's random source and its
// Law, head by head (weights row-major, then biases), as K calls of
// net.RandomHead would when the law is the network head's. It forgets the
// reference of HeadSquared.
func (o *RandomHeads[T]) Redraw() {
	h := o.net.Head()
	h.W, h.B, h.Law = o.hw, o.hb, o.Law()
	kc := o.k * o.c
	for k := range o.k {
		_ = h.Draw(o.rnd) // rnd is non-nil: checked by NewRandomHeads
		for j := range o.f {
			copy(o.w[j*kc+k*o.c:j*kc+(k+1)*o.c], o.hw[j*o.c:(j+1)*o.c])
		}
		copy(o.b[k*o.c:(k+1)*o.c], o.hb)
	}
	o.refN = 0
}

// Head returns a copy of head k, 0 ≤ k < K, as an Identity layer F→C.
func (o *RandomHeads[T]) Head(k int) (mlp.Layer[T], error) {
	if k < 0 || k >= o.k {
		return mlp.Layer[T]{}, fmt.Errorf("attack: head k = %d out of range: need 0 ≤ k < K = %d", k, o.k)
	}
	l := mlp.Layer[T]{In: o.f, Out: o.c, Act: mlp.Identity, W: make([]T, o.f*o.c), B: make([]T, o.c), Law: o.Law()}
	kc := o.k * o.c
	for j := range o.f {
		copy(l.W[j*o.c:(j+1)*o.c], o.w[j*kc+k*o.c:j*kc+(k+1)*o.c])
	}
	copy(l.B, o.b[k*o.c:(k+1)*o.c])
	return l, nil
}

// SetReference implements Referencer: with HeadSquared it records the K
// heads' logits at the n clean inputs x; with the other losses it does
// nothing.
func (o *RandomHeads[T]) SetReference(x []T, n int) error {
	if o.HeadLoss != HeadSquared {
		return nil
	}
	o.refN = 0
	if err := o.heads(x, n); err != nil {
		return err
	}
	kc := o.k * o.c
	copy(o.ref[:n*kc], o.z[:n*kc])
	o.refN = n
	return nil
}

// Gradient implements Objective: dx[:n*in] receives ∇_x J(x_i, y_i) row by
// row and loss[:n] (if loss is non-nil) the values J(x_i, y_i).
func (o *RandomHeads[T]) Gradient(dx []T, loss []float64, x []T, labels []int, n int) error {
	in := o.net.In()
	if err := checkGradient(dx, n, in); err != nil {
		return err
	}
	if err := o.eval(loss, x, labels, n); err != nil {
		return err
	}
	kc := o.k * o.c
	linalg.Gemm(false, true, n, o.f, kc, 1, o.dz[:n*kc], kc, o.w, kc, 0, o.dphi[:n*o.f], o.f)
	if _, err := o.tape.FeatureInputGradient(dx[:n*in], o.dphi[:n*o.f]); err != nil {
		return fmt.Errorf("attack: %w", err)
	}
	return nil
}

// Loss implements LossEvaluator (the hidden layers and the heads forward,
// no backward pass).
func (o *RandomHeads[T]) Loss(loss []float64, x []T, labels []int, n int) error {
	return o.eval(loss, x, labels, n)
}

// heads computes every head's logits z = φ(x)·W + b into o.z.
func (o *RandomHeads[T]) heads(x []T, n int) error {
	if err := checkShape(x, n, o.net.In(), o.tape.MaxBatch()); err != nil {
		return err
	}
	phi, err := o.tape.Features(x)
	if err != nil {
		return fmt.Errorf("attack: %w", err)
	}
	kc := o.k * o.c
	z := o.z[:n*kc]
	linalg.Gemm(false, false, n, kc, o.f, 1, phi, o.f, o.w, kc, 0, z, kc)
	for r := 0; r < len(z); r += kc {
		row := z[r : r+kc]
		for j, v := range o.b {
			row[j] += v
		}
	}
	return nil
}

// eval computes the heads' logits, J per sample into loss and ∂J/∂z into
// o.dz.
func (o *RandomHeads[T]) eval(loss []float64, x []T, labels []int, n int) error {
	if err := checkObjective(loss, x, labels, n, o.net.In(), o.c, o.tape.MaxBatch()); err != nil {
		return err
	}
	if o.HeadLoss >= numHeadLosses {
		return fmt.Errorf("attack: HeadLoss = %v unknown: need HeadCrossEntropy, HeadSquared or HeadLimit", o.HeadLoss)
	}
	if o.HeadLoss == HeadSquared && o.refN != n {
		return fmt.Errorf("attack: HeadSquared needs SetReference for this batch of n = %d first (reference holds %d samples)", n, o.refN)
	}
	if err := o.heads(x, n); err != nil {
		return err
	}
	c, kc := o.c, o.k*o.c
	inv := 1 / float64(o.k)
	for i, y := range labels {
		var l float64
		for k := range o.k {
			s := i*kc + k*c
			zr, dr := o.z[s:s+c], o.dz[s:s+c]
			switch o.HeadLoss {
			case HeadCrossEntropy:
				l += numeric.CrossEntropy(dr, zr, y, inv)
				continue
			case HeadLimit:
				l += limitLoss(dr, zr, y, inv)
				continue
			}
			for j, v := range zr {
				d := float64(v) - float64(o.ref[s+j])
				l += 0.5 * d * d
				dr[j] = T(d * inv)
			}
		}
		l *= inv
		if math.IsNaN(l) || math.IsInf(l, 0) {
			return fmt.Errorf("attack: random-heads loss of sample %d = %v: need finite logits (check the network's weights)", i, l)
		}
		if loss != nil {
			loss[i] = l
		}
	}
	return nil
}

// limitLoss returns HeadLimit's loss (1/C) Σ_c z_c − z_y of the logits z
// and writes scale times its gradient, scale·(1/C − e_y), into dst.
func limitLoss[T mlp.Float](dst, z []T, y int, scale float64) float64 {
	c := float64(len(z))
	var sum float64
	for j, v := range z {
		sum += float64(v)
		dst[j] = T(scale / c)
	}
	dst[y] = T(scale * (1/c - 1))
	return sum/c - float64(z[y])
}

// checkShape validates a batch x of n rows of width in for a workspace of
// maxBatch rows.
func checkShape[T mlp.Float](x []T, n, in, maxBatch int) error {
	if n < 1 || n > maxBatch {
		return fmt.Errorf("attack: batch size n = %d out of range: need 1 ≤ n ≤ %d (the objective's maxBatch)", n, maxBatch)
	}
	if len(x) != n*in {
		return fmt.Errorf("attack: input length %d does not match n = %d × input width %d", len(x), n, in)
	}
	return nil
}

// checkObjective validates the arguments of an objective's Gradient or Loss.
func checkObjective[T mlp.Float](loss []float64, x []T, labels []int, n, in, classes, maxBatch int) error {
	if err := checkShape(x, n, in, maxBatch); err != nil {
		return err
	}
	if len(labels) != n {
		return fmt.Errorf("attack: %d labels for n = %d samples: need exactly n", len(labels), n)
	}
	if loss != nil && len(loss) < n {
		return fmt.Errorf("attack: loss length %d shorter than n = %d", len(loss), n)
	}
	return checkLabels(labels, classes)
}

// copyPredictions copies the n predicted classes of the last evaluation,
// which covered lastN samples, into dst.
func copyPredictions(dst, pred []int, n, lastN int) error {
	if n != lastN || n < 1 {
		return fmt.Errorf("attack: predictions for n = %d samples asked after an evaluation of %d: need the same n", n, lastN)
	}
	if len(dst) < n {
		return fmt.Errorf("attack: predictions length %d shorter than n = %d", len(dst), n)
	}
	copy(dst, pred[:n])
	return nil
}
