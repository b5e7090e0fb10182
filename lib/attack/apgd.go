package attack

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"pointwise/lib/internal/linalg"
	"pointwise/lib/mlp"
)

// APGD is Auto-PGD, the step-size-free PGD of Croce and Hein, "Reliable
// evaluation of adversarial robustness with an ensemble of diverse
// parameter-free attacks" (ICML 2020), as AutoAttack's APGDAttack and
// APGDAttack_targeted (autoattack/autopgd_base.py) implement it, for the L∞
// and L2 threat models. From a random start x⁰ it iterates, with the
// projection Π_B onto the ball B = {x' : ‖x' − x‖ ≤ ε} ∩ [0, 1]^d as in PGD,
//
//	z^{k+1} = Π_B(x^k + η_k·s(∇ℓ(x^k))),
//	x^{k+1} = Π_B(x^k + α(z^{k+1} − x^k) + (1 − α)(x^k − x^{k−1})),
//
// with s the sign for L∞ and g/‖g‖₂ for L2, momentum α = 0.75 (α = 1 for
// the first step), and a per-sample step η that starts at 2ε and is halved
// at checkpoint w_j (APGDCheckpoints) when progress stalls: when
//
//  1. the loss increased in at most ρ·(w_j − w_{j−1}) of the steps since
//     w_{j−1}, ρ = 0.75, or
//  2. η was not halved at w_{j−1} and the best loss has not improved since.
//
// After halving, the iterate restarts from the sample's best point x_max
// (highest loss so far) with its gradient. The loss is the Objective's: the
// cross-entropy (APGD-CE) or DLR (APGD-DLR) of a LogitObjective
// (NewCrossEntropy, NewDLR), or any other Objective. With the targeted DLR loss
// (LossDLRTargeted) the attack is AutoAttack's APGD-T: for r = 2 … Targets+1
// it targets the class with the r-th largest clean logit, on the samples not
// yet broken.
//
// # Result
//
// Each sample keeps its best iterate over all steps, restarts and targets:
// one that is misclassified (when the objective is a Classifier) beats one
// that is not, and otherwise the higher loss wins. AutoAttack returns the
// last misclassified iterate, and the clean input for samples it did not
// break; the success of each sample is the same. Restarts and targets after
// the first run only attack the samples not yet misclassified, as
// AutoAttack does.
//
// # Defaults and differences from AutoAttack
//
// The zero values mean: L∞, Steps = 100 (AutoAttack's n_iter), one run
// (AutoAttack's standard version runs apgd-ce once; its APGDAttack default
// n_restarts = 1 too), Rho = 0.75, Targets = 9 target classes for a targeted
// objective, limited to classes − 1 (AutoAttack's n_target_classes = 9),
// seed 0. The initial step 2ε, the momentum 0.75 and the random start (L∞:
// x + ε·t/‖t‖∞, t uniform in [−1, 1]^d; L2: x + ε·g/‖g‖₂, g Gaussian; both
// clipped to [0, 1]) are AutoAttack's and are not settings. Where this
// implementation differs: the checkpoints are the paper's, w_j = ⌈p_j·N⌉,
// which equal AutoAttack's integer schedule for N = 100 but not for every N
// (see APGDCheckpoints); the first window's increase count compares f(x¹)
// with f(x⁰), as the paper, where AutoAttack compares it with a zero
// placeholder; random numbers come from math/rand/v2 PCG, so perturbations
// do not match AutoAttack's bit for bit. Condition 2 never fires at the
// first checkpoint, as in AutoAttack (its reduced_last_check starts true),
// and condition 1 uses ≤ as AutoAttack (the paper writes <).
//
// An APGD value keeps workspaces and its random stream between calls: use
// it by pointer, and not from several goroutines at once. After the first
// call on the largest batch, Perturb allocates nothing.
type APGD[T mlp.Float] struct {
	// Objective is the loss the attack increases.
	Objective Objective[T]
	// Epsilon is the radius ε: in [0, 1] for L∞, finite and ≥ 0 for L2. The
	// zero value returns the inputs unchanged.
	Epsilon float64
	// Norm is the threat model; the zero value is LInf.
	Norm Norm
	// Steps is the number of iterations N ≥ 1; 0 means 100.
	Steps int
	// Restarts is the number of runs from independent random starts (per
	// target class when targeted), ≥ 0; 0 and 1 mean one run.
	Restarts int
	// Targets is the number of target classes of a targeted objective
	// (LossDLRTargeted), 1 ≤ Targets ≤ classes − 1; 0 means
	// min(9, classes − 1). It must be 0 for an untargeted objective.
	Targets int
	// Rho is the threshold ρ in (0, 1] of condition 1; 0 means 0.75.
	Rho float64
	// Seed seeds the random starts: the stream rand.New(rand.NewPCG(Seed,
	// Seed)) is made at the first Perturb and continues across calls (Reset
	// restarts it).
	Seed uint64
	// Rand, if non-nil, is used instead of the stream from Seed.
	Rand *rand.Rand

	rnd   *rand.Rand
	box   []T // L∞: the bounds max(x−ε, 0), min(x+ε, 1) of the run's samples, interleaved
	lstep apgdLInf[T]
	ckN   int
	ck    []int
	idx   []int
	xs    []T
	ys    []int
	cur   []T
	old   []T
	g     []T
	gbest []T
	xmax  []T
	rowz  []T
	rbest []T
	eta   []float64
	loss  []float64
	prev  []float64
	lmax  []float64
	llast []float64
	rloss []float64
	best  []float64
	inc   []int
	pred  []int
	redl  []bool
	rsucc []bool
	succ  []bool
}

var _ Attack[float32] = (*APGD[float32])(nil)

// APGD defaults.
const (
	// DefaultAPGDSteps is the number of APGD iterations when Steps is 0.
	DefaultAPGDSteps = 100
	// DefaultAPGDRho is ρ when Rho is 0.
	DefaultAPGDRho = 0.75
	// DefaultAPGDTargets is the number of target classes of APGD-T when
	// Targets is 0 (limited to classes − 1).
	DefaultAPGDTargets = 9
	// apgdMomentum is α, apgdStep the initial step η₀ = 2ε.
	apgdMomentum = 0.75
	apgdStep     = 2.0
)

// APGDCheckpoints returns the checkpoints w_1 < w_2 < … ≤ steps of APGD
// with steps iterations: w_j = ⌈p_j·steps⌉ with p_0 = 0, p_1 = 0.22 and
// p_{j+1} = p_j + max(p_j − p_{j−1} − 0.03, 0.06) (Croce and Hein 2020,
// §3.2), computed exactly in hundredths. For 100 steps: 22, 41, 57, 70, 80,
// 87, 93, 99, which are also AutoAttack's. AutoAttack computes its windows
// in integers instead (first max(⌊0.22N⌋, 1), each next one shorter by
// max(⌊0.03N⌋, 1) down to max(⌊0.06N⌋, 1), repeated to the end), which
// differs for other N: for N = 20 the paper gives 5, 9, 12, 14, 16, 18, 19,
// 20 and AutoAttack 4, 7, 9, 10, 11, …, 20. For small N two p_j can round
// to the same iteration, which counts once (N = 10: 3, 5, 6, 7, 8, 9, 10).
// It returns nil for steps < 1.
func APGDCheckpoints(steps int) []int {
	var w []int
	for q, dq := 22, 22; steps >= 1; {
		c := (q*steps + 99) / 100
		if c > steps {
			break
		}
		if len(w) == 0 || c > w[len(w)-1] {
			w = append(w, c)
		}
		dq = max(dq-3, 6)
		q += dq
	}
	return w
}

// Reset restarts the random stream from Seed at the next Perturb.
func (a *APGD[T]) Reset() { a.rnd = nil }

func (a *APGD[T]) steps() int {
	if a.Steps == 0 {
		return DefaultAPGDSteps
	}
	return a.Steps
}

func (a *APGD[T]) rho() float64 {
	if a.Rho == 0 {
		return DefaultAPGDRho
	}
	return a.Rho
}

// targeter returns the objective as a targeted Targeter, if it is one.
func (a *APGD[T]) targeter() (Targeter[T], int, bool) {
	if lo, ok := a.Objective.(*LogitObjective[T]); ok && lo.loss == LossDLRTargeted {
		return lo, lo.model.Out(), true
	}
	return nil, 0, false
}

// Name implements Attack: "APGD-CE", "APGD-DLR", "APGD-T" (targeted DLR) or
// "APGD" (another objective), then "-<steps>" when Steps is not 100, "-L2",
// "-R<runs>" for several restarts and "-T<targets>" for a targeted run with
// other than 9 targets, e.g. "APGD-CE", "APGD-DLR-20-L2".
func (a *APGD[T]) Name() string {
	s := "APGD"
	switch o := a.Objective.(type) {
	case *LogitObjective[T]:
		switch o.loss {
		case LossCE:
			s += "-CE"
		case LossDLR:
			s += "-DLR"
		case LossDLRTargeted:
			s += "-T"
		}
	}
	if a.steps() != DefaultAPGDSteps {
		s += fmt.Sprintf("-%d", a.steps())
	}
	if a.Norm == L2 {
		s += "-L2"
	}
	if a.Restarts > 1 {
		s += fmt.Sprintf("-R%d", a.Restarts)
	}
	if _, c, ok := a.targeter(); ok && a.Targets != 0 && a.Targets != min(DefaultAPGDTargets, c-1) {
		s += fmt.Sprintf("-T%d", a.Targets)
	}
	return s
}

// check validates the settings and returns the number of target classes
// (0 when untargeted).
func (a *APGD[T]) check() (int, error) {
	switch {
	case a.Objective == nil:
		return 0, errors.New("attack: APGD.Objective nil: need an Objective such as NewCrossEntropy or NewDLR")
	case a.Steps < 0:
		return 0, fmt.Errorf("attack: APGD.Steps = %d out of range: need ≥ 1 (0 means %d)", a.Steps, DefaultAPGDSteps)
	case a.Restarts < 0:
		return 0, fmt.Errorf("attack: APGD.Restarts = %d out of range: need ≥ 0 (0 means one run)", a.Restarts)
	case math.IsNaN(a.Rho) || a.Rho < 0 || a.Rho > 1:
		return 0, fmt.Errorf("attack: APGD.Rho = %v out of range: need 0 < ρ ≤ 1 (0 means %v)", a.Rho, DefaultAPGDRho)
	}
	if err := checkEpsilon(a.Epsilon, a.Norm); err != nil {
		return 0, err
	}
	_, c, targeted := a.targeter()
	switch {
	case !targeted && a.Targets != 0:
		return 0, fmt.Errorf("attack: APGD.Targets = %d with an untargeted objective: need 0, or a targeted DLR objective (NewDLRTargeted)", a.Targets)
	case targeted && (a.Targets < 0 || a.Targets > c-1):
		return 0, fmt.Errorf("attack: APGD.Targets = %d out of range: need 1 to %d (classes − 1; 0 means min(%d, classes − 1))", a.Targets, c-1, DefaultAPGDTargets)
	case !targeted:
		return 0, nil
	case a.Targets == 0:
		return min(DefaultAPGDTargets, c-1), nil
	}
	return a.Targets, nil
}

// Perturb implements Attack. It errors on bad settings, bad shapes, inputs
// outside [0, 1] and objective errors.
func (a *APGD[T]) Perturb(dst, x []T, labels []int, n int) error {
	in, err := checkPerturb(dst, x, labels, n)
	if err != nil {
		return err
	}
	targets, err := a.check()
	if err != nil {
		return err
	}
	x, dst = x[:n*in], dst[:n*in]
	copy(dst, x)
	if a.Epsilon == 0 {
		return nil
	}
	if a.ckN != a.steps() {
		a.ck, a.ckN = APGDCheckpoints(a.steps()), a.steps()
	}
	a.alloc(n, in)
	for i := range n {
		a.best[i], a.succ[i] = math.Inf(-1), false
	}
	rnd := stream(&a.rnd, a.Rand, a.Seed)
	_, isCls := a.Objective.(Classifier)
	runs := max(1, a.Restarts)
	lo, hi := 0, 0 // rank 0: untargeted
	if targets > 0 {
		lo, hi = 2, targets+1
	}
	for rank := lo; rank <= hi; rank++ {
		for range runs {
			// Gather the samples still to break.
			m := 0
			for i := range n {
				if isCls && a.succ[i] {
					continue
				}
				a.idx[m] = i
				copy(a.xs[m*in:(m+1)*in], x[i*in:(i+1)*in])
				a.ys[m] = labels[i]
				m++
			}
			if m == 0 {
				return nil
			}
			if err := a.run(m, in, rank, rnd); err != nil {
				return err
			}
			for k, i := range a.idx[:m] {
				s, l := a.rsucc[k], a.rloss[k]
				if s && !a.succ[i] || s == a.succ[i] && l > a.best[i] {
					a.best[i], a.succ[i] = l, s
					copy(dst[i*in:(i+1)*in], a.rbest[k*in:(k+1)*in])
				}
			}
		}
	}
	return nil
}

// alloc sizes the workspaces for n rows of width in.
func (a *APGD[T]) alloc(n, in int) {
	for _, p := range []*[]T{&a.xs, &a.cur, &a.old, &a.g, &a.gbest, &a.xmax, &a.rbest} {
		*p = grow(*p, n*in)
	}
	a.rowz = grow(a.rowz, in)
	for _, p := range []*[]float64{&a.eta, &a.loss, &a.prev, &a.lmax, &a.llast, &a.rloss, &a.best} {
		*p = grow(*p, n)
	}
	for _, p := range []*[]int{&a.idx, &a.ys, &a.inc, &a.pred} {
		*p = grow(*p, n)
	}
	for _, p := range []*[]bool{&a.redl, &a.rsucc, &a.succ} {
		*p = grow(*p, n)
	}
}

// run is one APGD run on the m gathered samples a.xs, a.ys, targeted at the
// rank-th clean logit when rank ≥ 2. It leaves each sample's best iterate of
// the run in a.rbest, its loss in a.rloss and its success in a.rsucc.
func (a *APGD[T]) run(m, in, rank int, rnd *rand.Rand) error {
	obj := a.Objective
	xs, ys := a.xs[:m*in], a.ys[:m]
	if err := setReference(obj, xs, m); err != nil {
		return err
	}
	if rank >= 2 {
		tg, _, _ := a.targeter()
		if err := tg.TargetRank(xs, m, rank); err != nil {
			return err
		}
	}
	a.start(m, in, rnd)
	if a.Norm == LInf {
		a.setBox(m, in)
	}
	cur, g := a.cur[:m*in], a.g[:m*in]
	if err := obj.Gradient(g, a.loss[:m], cur, ys, m); err != nil {
		return err
	}
	for k := range m {
		a.rsucc[k], a.rloss[k] = false, math.Inf(-1)
	}
	if err := a.keep(m, in); err != nil {
		return err
	}
	copy(a.xmax[:m*in], cur)
	copy(a.gbest[:m*in], g)
	copy(a.old[:m*in], cur)
	for k := range m {
		l := a.loss[k]
		a.eta[k] = apgdStep * a.Epsilon
		a.prev[k], a.lmax[k], a.llast[k] = l, l, l
		a.inc[k], a.redl[k] = 0, true
	}
	steps, rho := a.steps(), a.rho()
	next, last := 0, 0
	le, hasLoss := obj.(LossEvaluator[T])
	for t := range steps {
		alpha := apgdMomentum
		if t == 0 {
			alpha = 1
		}
		a.step(m, in, alpha)
		var err error
		if t == steps-1 && hasLoss {
			err = le.Loss(a.loss[:m], cur, ys, m)
		} else {
			err = obj.Gradient(g, a.loss[:m], cur, ys, m)
		}
		if err != nil {
			return err
		}
		if err := a.keep(m, in); err != nil {
			return err
		}
		for k := range m {
			l := a.loss[k]
			if l > a.prev[k] {
				a.inc[k]++
			}
			a.prev[k] = l
			if l > a.lmax[k] {
				a.lmax[k] = l
				copy(a.xmax[k*in:(k+1)*in], cur[k*in:(k+1)*in])
				copy(a.gbest[k*in:(k+1)*in], g[k*in:(k+1)*in])
			}
		}
		if next < len(a.ck) && t+1 == a.ck[next] {
			w := float64(a.ck[next] - last)
			for k := range m {
				osc := float64(a.inc[k]) <= rho*w
				stall := !a.redl[k] && a.llast[k] >= a.lmax[k]
				red := osc || stall
				a.redl[k], a.llast[k], a.inc[k] = red, a.lmax[k], 0
				if red {
					a.eta[k] /= 2
					copy(cur[k*in:(k+1)*in], a.xmax[k*in:(k+1)*in])
					copy(g[k*in:(k+1)*in], a.gbest[k*in:(k+1)*in])
				}
			}
			last = a.ck[next]
			next++
		}
	}
	return nil
}

// keep records, per sample, the current iterate if it beats the run's best
// (misclassified first, then the higher loss).
func (a *APGD[T]) keep(m, in int) error {
	cls, isCls := a.Objective.(Classifier)
	if isCls {
		if err := cls.Predictions(a.pred[:m], m); err != nil {
			return err
		}
	}
	for k := range m {
		s := isCls && a.pred[k] != a.ys[k]
		l := a.loss[k]
		if s && !a.rsucc[k] || s == a.rsucc[k] && l > a.rloss[k] {
			a.rsucc[k], a.rloss[k] = s, l
			copy(a.rbest[k*in:(k+1)*in], a.cur[k*in:(k+1)*in])
		}
	}
	return nil
}

// start draws AutoAttack's random start into a.cur.
func (a *APGD[T]) start(m, in int, rnd *rand.Rand) {
	eps := a.Epsilon
	for k := range m {
		row, cur := a.xs[k*in:(k+1)*in], a.cur[k*in:(k+1)*in]
		var norm float64
		for j := range cur {
			var v float64
			if a.Norm == LInf {
				v = 2*rnd.Float64() - 1
				norm = max(norm, math.Abs(v))
			} else {
				v = rnd.NormFloat64()
				norm += v * v
			}
			cur[j] = T(v)
		}
		if a.Norm == L2 {
			norm = math.Sqrt(norm)
		}
		c := eps / (norm + 1e-12)
		for j, v := range row {
			cur[j] = v + T(c*float64(cur[j]))
		}
		if a.Norm == LInf {
			e := T(eps)
			for j, v := range row {
				cur[j] = clamp(cur[j], max(v-e, 0), min(v+e, 1))
			}
		} else {
			projectL2(cur, row, eps)
		}
	}
}

// step makes one momentum step of every sample: a.old and a.cur advance.
func (a *APGD[T]) step(m, in int, alpha float64) {
	eps := a.Epsilon
	if a.Norm == LInf {
		a.lstep = apgdLInf[T]{in: in, alpha: alpha, cur: a.cur[:m*in], old: a.old[:m*in], g: a.g[:m*in], box: a.box[:2*m*in], eta: a.eta[:m]}
		linalg.For(m*in, linfMinSplit, &a.lstep)
		a.lstep = apgdLInf[T]{}
		return
	}
	z := a.rowz
	for k := range m {
		row := a.xs[k*in : (k+1)*in]
		cur, old, g := a.cur[k*in:(k+1)*in], a.old[k*in:(k+1)*in], a.g[k*in:(k+1)*in]
		eta := a.eta[k]
		var gg float64
		for _, v := range g {
			gg += float64(v) * float64(v)
		}
		s := eta / (math.Sqrt(gg) + 1e-12)
		for j, v := range cur {
			z[j] = T(float64(v) + s*float64(g[j]))
		}
		projectL2(z, row, eps)
		for j, c := range cur {
			z[j] = T(float64(c) + alpha*float64(z[j]-c) + (1-alpha)*float64(c-old[j]))
			old[j] = c
		}
		projectL2(z, row, eps)
		copy(cur, z)
	}
}

// apgdLInf is APGD's L∞ momentum step as a loop body for linalg.For, over
// the elements of the batch (each sample's step η is its row's): every
// element moves on its own, so the split over the cores changes no bit.
type apgdLInf[T mlp.Float] struct {
	in          int
	alpha       float64
	cur, old, g []T
	box         []T
	eta         []float64
}

func (s *apgdLInf[T]) Range(lo, hi int) {
	for r := lo / s.in; r*s.in < hi; r++ {
		a, b := max(lo, r*s.in), min(hi, (r+1)*s.in)
		eta := T(s.eta[r])
		for j := a; j < b; j++ {
			l, h := s.box[2*j], s.box[2*j+1]
			c := s.cur[j]
			zj := clamp(c+eta*sign(s.g[j]), l, h)
			nx := float64(c) + s.alpha*float64(zj-c) + (1-s.alpha)*float64(c-s.old[j])
			s.old[j] = c
			s.cur[j] = clamp(T(nx), l, h)
		}
	}
}

// setBox computes the L∞ bounds of the m gathered samples.
func (a *APGD[T]) setBox(m, in int) {
	a.box = grow(a.box, 2*m*in)
	e := T(a.Epsilon)
	for j, v := range a.xs[:m*in] {
		a.box[2*j], a.box[2*j+1] = max(v-e, 0), min(v+e, 1)
	}
}

// projectL2 projects the row p onto the L2 ball of radius eps around x and
// then onto [0, 1] (AutoAttack's order; the clip only shortens δ).
func projectL2[T mlp.Float](p, x []T, eps float64) {
	var dd float64
	for j, v := range x {
		d := float64(p[j]) - float64(v)
		dd += d * d
	}
	c := 1.0
	if dd > eps*eps {
		c = eps / math.Sqrt(dd)
	}
	for j, v := range x {
		p[j] = clamp(T(float64(v)+c*(float64(p[j])-float64(v))), 0, 1)
	}
}
