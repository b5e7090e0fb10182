package attack

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"unsafe"

	"pointwise/lib/internal/linalg"
	"pointwise/lib/mlp"
)

// PGD is projected gradient descent on the negative loss (Madry, Makelov,
// Schmidt, Tsipras and Vladu, "Towards deep learning models resistant to
// adversarial attacks", ICLR 2018; Kurakin et al. 2017's basic iterative
// method with a random start). From a start x⁰ in the ball B = {x' : ‖x' − x‖
// ≤ ε} ∩ [0, 1]^d it iterates, for t = 0 … Steps−1,
//
//	L∞:  x^{t+1} = Π_B(x^t + α·sign(∇_x ℓ(x^t, y)))
//	L2:  x^{t+1} = Π_B(x^t + α·∇_x ℓ(x^t, y)/‖∇_x ℓ(x^t, y)‖₂)
//
// (−α when Targeted, descending the loss to the target label; a zero
// gradient does not move). Π_B is, for L∞, the clip of each coordinate to
// [max(x_j − ε, 0), min(x_j + ε, 1)]; for L2 the radial projection
// δ ← δ·min(1, ε/‖δ‖₂) of δ = x' − x followed by the clip to [0, 1], which
// only shortens δ (x ∈ [0, 1]^d), so the result lies in both sets.
//
// # Start
//
// Unless NoRandomStart, x⁰ is drawn per sample: for L∞ uniformly in the
// cube, x⁰_j = x_j + ε·(2U_j − 1) (Madry et al.; torchattacks; Foolbox);
// for L2 uniformly in the ball by volume, δ = ε·U^{1/d}·g/‖g‖₂ with
// g ~ N(0, I_d) and U ~ U(0, 1) (Foolbox's uniform_l2_n_balls draws the same
// law; torchattacks' PGDL2 draws the radius ε·U, uniform in radius, which
// puts more mass near the centre); both then clipped to [0, 1].
//
// # Result
//
// Every iterate x⁰ … x^Steps of every run is scored, and each sample keeps
// its best one, as AutoAttack's APGD does (Croce and Hein, ICML 2020),
// rather than the last as Madry et al. and torchattacks return: an iterate
// that succeeds beats one that does not (success is known when the
// objective is a Classifier: the prediction differs from the label, or
// equals the target when Targeted), and otherwise the higher loss wins (the
// lower when Targeted). So a sample already misclassified stays so, and more
// Steps or Restarts never weaken the result of a given run. Set LastIterate
// for the classical behaviour.
//
// # Defaults and other libraries
//
// The zero values mean: L∞, Steps = 10 (fig6's PGD-10 for training; its
// evaluation uses PGD-20, so set Steps: 20), StepSize α = 2.5·ε/Steps
// (Madry et al.'s rule), random start, one run, untargeted, best
// iterate, seed 0. Other libraries differ, so equal names do not mean equal
// numbers: torchattacks PGD uses ε = 8/255, α = 2/255, 10 steps, random
// start, last iterate; Foolbox LinfPGD uses 40 steps, α = 0.01/0.3·ε ≈
// 0.033ε, random start, and L2PGD 50 steps, α = 0.025ε; ART's
// ProjectedGradientDescent uses ε = 0.3, α = 0.1, 100 steps and no random
// start (num_random_init = 0); AutoAttack's APGD adapts α from 2ε.
//
// A PGD value keeps workspaces and its random stream between calls: use it
// by pointer, and not from several goroutines at once. After the first call
// on the largest batch, Perturb allocates nothing.
type PGD[T mlp.Float] struct {
	// Objective is the loss the attack increases (decreases when Targeted).
	Objective Objective[T]
	// Epsilon is the radius ε of the ball: in [0, 1] for L∞, finite and
	// ≥ 0 for L2. The zero value returns the inputs unchanged.
	Epsilon float64
	// Norm is the threat model; the zero value is LInf.
	Norm Norm
	// Steps is the number of gradient steps, ≥ 1; 0 means 10.
	Steps int
	// StepSize is the step α, ≥ 0; 0 means 2.5·Epsilon/Steps.
	StepSize float64
	// NoRandomStart starts at the clean input x⁰ = x instead of a random
	// point of the ball. The zero value starts at random, as fig6 and
	// Madry et al. do.
	NoRandomStart bool
	// Restarts is the number of runs from independent random starts, ≥ 0;
	// 0 and 1 mean one run (as AutoAttack's n_restarts; ART's
	// num_random_init counts the same way). Each sample keeps its best
	// iterate over all runs. With NoRandomStart every run would be the same,
	// so only one is made.
	Restarts int
	// Targeted makes the labels given to Perturb target classes, and the
	// attack descend the loss to them.
	Targeted bool
	// LastIterate returns each sample's last iterate (of its best run when
	// Restarts > 1) instead of its best iterate.
	LastIterate bool
	// StopOnSuccess stops attacking a sample at its first successful
	// iterate, in this run and in later restarts, as AutoAttack attacks only
	// the samples not yet broken: an evaluation that counts successes gets
	// the same count for less work, since a successful iterate stays the
	// sample's best. The sample's returned input is a successful iterate,
	// not necessarily the one of highest loss. It needs an
	// Objective that is a Classifier (success is known) and not a Referencer
	// (whose per-sample references would not follow the samples); it is
	// ignored otherwise, and cannot be combined with LastIterate.
	StopOnSuccess bool
	// Seed seeds the random starts: the stream rand.New(rand.NewPCG(Seed,
	// Seed)) is made at the first Perturb and continues across calls (so
	// successive batches get different starts; Reset restarts it). The same
	// Seed and the same calls give identical perturbations.
	Seed uint64
	// Rand, if non-nil, is used instead of the stream from Seed.
	Rand *rand.Rand

	rnd    *rand.Rand
	cur    []T
	g      []T
	lo, hi []T // L∞: the box [max(x−ε, 0), min(x+ε, 1)] that step projects onto
	linf   linfStep
	loss   []float64
	best   []float64
	succ   []bool
	pred   []int
	rows   []int // rows[k] is the sample the k-th row of cur, g, lo, hi, xs and ys hold
	xs     []T   // the clean inputs of the rows still attacked (L2 and StopOnSuccess)
	ys     []int
}

var _ Attack[float32] = (*PGD[float32])(nil)

// DefaultSteps is the number of PGD steps when PGD.Steps is 0.
const DefaultSteps = 10

// DefaultStepFactor is the factor c of the default step α = c·ε/Steps.
const DefaultStepFactor = 2.5

// Reset restarts the random stream from Seed at the next Perturb.
func (a *PGD[T]) Reset() { a.rnd = nil }

// Name implements Attack: "PGD-<steps>", then "-L2" for the L2 norm,
// "-R<runs>" for several restarts and "-targeted", e.g. "PGD-20",
// "PGD-10-L2-R5".
func (a *PGD[T]) Name() string {
	s := fmt.Sprintf("PGD-%d", a.steps())
	if a.Norm == L2 {
		s += "-L2"
	}
	if r := a.runs(); r > 1 {
		s += fmt.Sprintf("-R%d", r)
	}
	if a.Targeted {
		s += "-targeted"
	}
	return s
}

func (a *PGD[T]) steps() int {
	if a.Steps == 0 {
		return DefaultSteps
	}
	return a.Steps
}

func (a *PGD[T]) runs() int {
	if a.NoRandomStart {
		return 1
	}
	return max(1, a.Restarts)
}

// stepSize returns α.
func (a *PGD[T]) stepSize() float64 {
	if a.StepSize == 0 {
		return DefaultStepFactor * a.Epsilon / float64(a.steps())
	}
	return a.StepSize
}

// check validates the settings.
func (a *PGD[T]) check() error {
	switch {
	case a.Objective == nil:
		return errors.New("attack: PGD.Objective nil: need an Objective such as NewCrossEntropy")
	case a.Steps < 0:
		return fmt.Errorf("attack: PGD.Steps = %d out of range: need ≥ 1 (0 means %d)", a.Steps, DefaultSteps)
	case math.IsNaN(a.StepSize) || math.IsInf(a.StepSize, 0) || a.StepSize < 0:
		return fmt.Errorf("attack: PGD.StepSize = %v out of range: need finite and ≥ 0 (0 means %v·ε/Steps)", a.StepSize, DefaultStepFactor)
	case a.Restarts < 0:
		return fmt.Errorf("attack: PGD.Restarts = %d out of range: need ≥ 0 (0 means one run)", a.Restarts)
	case a.StopOnSuccess && a.LastIterate:
		return errors.New("attack: PGD.StopOnSuccess and PGD.LastIterate both set: the first returns the first successful iterate, the second the last; set one")
	}
	return checkEpsilon(a.Epsilon, a.Norm)
}

// Perturb implements Attack. It errors on bad settings, bad shapes, inputs
// outside [0, 1] and objective errors.
func (a *PGD[T]) Perturb(dst, x []T, labels []int, n int) error {
	in, err := checkPerturb(dst, x, labels, n)
	if err != nil {
		return err
	}
	if err := a.check(); err != nil {
		return err
	}
	dst, x, done := unmoved(dst, x, n*in, a.Epsilon)
	if done {
		return nil
	}
	obj := a.Objective
	if err := setReference(obj, x, n); err != nil {
		return err
	}
	a.cur = grow(a.cur, n*in)
	a.g = grow(a.g, n*in)
	if a.Norm == LInf {
		a.lo, a.hi = grow(a.lo, n*in), grow(a.hi, n*in)
		e := T(a.Epsilon)
		for j, v := range x {
			a.lo[j], a.hi[j] = max(v-e, 0), min(v+e, 1)
		}
	}
	a.loss = grow(a.loss, n)
	a.best = grow(a.best, n)
	a.succ = grow(a.succ, n)
	a.pred = grow(a.pred, n)
	worst := math.Inf(-1)
	if a.Targeted {
		worst = math.Inf(1)
	}
	for i := range n {
		a.best[i], a.succ[i] = worst, false
	}
	steps, runs := a.steps(), a.runs()
	alpha := a.stepSize()
	if a.Targeted {
		alpha = -alpha
	}
	rnd := stream(&a.rnd, a.Rand, a.Seed)
	if a.LastIterate && runs == 1 {
		// The last iterate needs no score.
		a.start(x, in, rnd)
		for range steps {
			if err := obj.Gradient(a.g, nil, a.cur, labels, n); err != nil {
				return err
			}
			a.step(x, in, alpha)
		}
		copy(dst, a.cur)
		return nil
	}
	_, isCls := obj.(Classifier)
	_, isRef := obj.(Referencer[T])
	stop := a.StopOnSuccess && isCls && !isRef
	a.rows = grow(a.rows, n)
	for range runs {
		for i := range a.rows {
			a.rows[i] = i
		}
		// Every sample draws its start, attacked or not, so that the random
		// stream, which goes on to the next batch, does not depend on
		// StopOnSuccess.
		a.start(x, in, rnd)
		xs, ys, m := x, labels, n
		if stop {
			m = a.keep(x, labels, in, n, true)
			xs, ys = a.xs[:m*in], a.ys[:m]
		}
		for t := 0; m > 0; t++ {
			score := !a.LastIterate || t == steps
			cur, g, loss := a.cur[:m*in], a.g[:m*in], a.loss[:m]
			switch {
			case t < steps:
				err = obj.Gradient(g, loss, cur, ys, m)
			case score:
				if le, ok := obj.(LossEvaluator[T]); ok {
					err = le.Loss(loss, cur, ys, m)
				} else {
					err = obj.Gradient(g, loss, cur, ys, m)
				}
			}
			if err != nil {
				return err
			}
			if score {
				if err := a.keepBest(dst, ys, in); err != nil {
					return err
				}
			}
			if t == steps {
				break
			}
			if stop {
				m = a.keep(xs, ys, in, m, false)
				xs, ys = a.xs[:m*in], a.ys[:m]
			}
			a.step(xs, in, alpha)
		}
	}
	return nil
}

// keep moves the rows of the m attacked samples that have not succeeded to
// the front of the workspaces (the iterate, its gradient, the clean input,
// the label and, for L∞, the box) and returns their number. Rows only move
// forward, so the moves are in place. At the start of a run (first: x and
// labels are the whole batch) it gathers every sample not yet successful;
// later it moves rows only once an eighth of them have succeeded, as a
// successful sample still attacked stays successful (its best iterate is
// kept) and moving rows costs memory passes.
func (a *PGD[T]) keep(x []T, labels []int, in, m int, first bool) int {
	if !first {
		done := 0
		for _, i := range a.rows[:m] {
			if a.succ[i] {
				done++
			}
		}
		if done == 0 || 8*done < m {
			return m
		}
	}
	a.xs = grow(a.xs, len(a.cur))
	a.ys = grow(a.ys, len(a.rows))
	w := 0
	for k := range m {
		i := a.rows[k]
		if a.succ[i] {
			continue
		}
		a.rows[w] = i
		a.ys[w] = labels[k]
		src, dst := k*in, w*in
		switch {
		case first:
			copy(a.cur[dst:dst+in], a.cur[src:src+in])
			copy(a.xs[dst:dst+in], x[src:src+in])
		case w != k:
			copy(a.cur[dst:dst+in], a.cur[src:src+in])
			copy(a.g[dst:dst+in], a.g[src:src+in])
			copy(a.xs[dst:dst+in], a.xs[src:src+in])
			if a.Norm == LInf {
				copy(a.lo[dst:dst+in], a.lo[src:src+in])
				copy(a.hi[dst:dst+in], a.hi[src:src+in])
			}
		}
		w++
	}
	if first && a.Norm == LInf {
		e := T(a.Epsilon)
		for j, v := range a.xs[:w*in] {
			a.lo[j], a.hi[j] = max(v-e, 0), min(v+e, 1)
		}
	}
	return w
}

// keepBest copies into dst each attacked sample's current iterate when it
// beats the sample's best so far; row k of the workspaces holds sample
// a.rows[k], whose label is labels[k].
func (a *PGD[T]) keepBest(dst []T, labels []int, in int) error {
	m := len(labels)
	cls, isCls := a.Objective.(Classifier)
	if isCls {
		if err := cls.Predictions(a.pred, m); err != nil {
			return err
		}
	}
	for k, y := range labels {
		i := a.rows[k]
		s := false
		if isCls {
			s = (a.pred[k] == y) == a.Targeted
		}
		l := a.loss[k]
		higher := l > a.best[i]
		if a.Targeted {
			higher = l < a.best[i]
		}
		if s && !a.succ[i] || s == a.succ[i] && higher {
			a.best[i], a.succ[i] = l, s
			copy(dst[i*in:(i+1)*in], a.cur[k*in:(k+1)*in])
		}
	}
	return nil
}

// linfStep is the float32 L∞ step as a loop body for linalg.For, which
// spreads a batch's step over the cores: each input moves on its own, so the
// split changes no bit.
type linfStep struct {
	cur, g, lo, hi []float32
	alpha          float32
}

// linfMinSplit is the number of inputs from which the step is worth handing
// half to another core (about a nanosecond an input against some
// microseconds for the hand-off): a batch of 128 MNIST images has 100,352.
const linfMinSplit = 1 << 14

func (s *linfStep) Range(lo, hi int) {
	stepLInf32(s.cur[lo:hi], s.g[lo:hi], s.lo[lo:hi], s.hi[lo:hi], s.alpha)
}

// stepLInf32 is the L∞ step on float32, cur ← min(max(cur + α·sign(g), lo), hi),
// on the bits, where every choice is an integer conditional move: Go
// compiles a choice between floats to a branch, which the random signs of the
// gradient (and the clamps) mispredict, and its float min and max to long
// sequences that handle NaN and −0. Since lo ≥ 0, comparing bits as int32 is
// comparing values: non-negative floats are ordered as their bits, and any
// negative float, −0 included, has negative bits and is raised to lo. The
// result has the same bits as the generic step (gradients are finite).
func stepLInf32(cur, g, lo, hi []float32, alpha float32) {
	const sign = 1 << 31
	ab := math.Float32bits(alpha)
	mag, flip := ab&^sign, ab&sign // α's magnitude; a negative α turns the step around
	g, lo, hi = g[:len(cur)], lo[:len(cur)], hi[:len(cur)]
	for j, c := range cur {
		gb := math.Float32bits(g[j])
		d := mag | (gb^flip)&sign
		if gb<<1 == 0 { // g = ±0: no step
			d = 0
		}
		v := int32(math.Float32bits(c + math.Float32frombits(d)))
		l, h := int32(math.Float32bits(lo[j])), int32(math.Float32bits(hi[j]))
		if v < l {
			v = l
		}
		if v > h {
			v = h
		}
		cur[j] = math.Float32frombits(uint32(v))
	}
}

// start sets the first iterate a.cur from the clean inputs x.
func (a *PGD[T]) start(x []T, in int, rnd *rand.Rand) {
	if a.NoRandomStart {
		copy(a.cur, x)
		return
	}
	eps := a.Epsilon
	if a.Norm == LInf {
		e := T(eps)
		for j, v := range x {
			d := T(eps * (2*rnd.Float64() - 1))
			a.cur[j] = clamp(v+d, max(v-e, 0), min(v+e, 1))
		}
		return
	}
	for r := 0; r < len(x); r += in {
		row, cur := x[r:r+in], a.cur[r:r+in]
		var ss float64
		for j := range cur {
			g := rnd.NormFloat64()
			cur[j] = T(g)
			ss += g * g
		}
		c := 0.0
		if ss > 0 {
			c = eps * math.Pow(rnd.Float64(), 1/float64(in)) / math.Sqrt(ss)
		}
		for j, v := range row {
			cur[j] = clamp(v+T(c*float64(cur[j])), 0, 1)
		}
	}
}

// step moves a.cur by α along the gradient a.g and projects it back onto
// the ball around x and onto [0, 1].
func (a *PGD[T]) step(x []T, in int, alpha float64) {
	eps := a.Epsilon
	if a.Norm == LInf {
		cur, g, lo, hi := a.cur[:len(x)], a.g[:len(x)], a.lo[:len(x)], a.hi[:len(x)]
		if unsafe.Sizeof(T(0)) == 4 {
			a.linf = linfStep{as32(cur), as32(g), as32(lo), as32(hi), float32(alpha)}
			linalg.For(len(cur), linfMinSplit, &a.linf)
			a.linf = linfStep{}
			return
		}
		// Branch-free but for the rare zero gradient: the gradient's signs are
		// random, and a branch on them mispredicts half the time.
		s, dir := math.Abs(alpha), math.Copysign(1, alpha)
		for j := range cur {
			d := T(math.Copysign(s, dir*float64(g[j])))
			if g[j] == 0 {
				d = 0
			}
			cur[j] = min(max(cur[j]+d, lo[j]), hi[j])
		}
		return
	}
	for r := 0; r < len(x); r += in {
		row, cur, g := x[r:r+in], a.cur[r:r+in], a.g[r:r+in]
		var gg float64
		for _, v := range g {
			gg += float64(v) * float64(v)
		}
		s := 0.0
		if gg > 0 {
			s = alpha / math.Sqrt(gg)
		}
		// δ = x^t − x + s·g; scale it back to the sphere if it left the ball.
		var dd float64
		for j, v := range row {
			d := float64(cur[j]) - float64(v) + s*float64(g[j])
			dd += d * d
		}
		c := 1.0
		if dd > eps*eps {
			c = eps / math.Sqrt(dd)
		}
		for j, v := range row {
			d := float64(cur[j]) - float64(v) + s*float64(g[j])
			cur[j] = clamp(T(float64(v)+c*d), 0, 1)
		}
	}
}
