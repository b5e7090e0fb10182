package objective

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"

	"gonum.org/v1/gonum/mat"

	"pointwise/lib/internal/parallel"
)

// MonteCarlo estimates expectations over h ~ Dist of functions of the error
// e = ĥ_X − h, where ĥ_X = Rule.Fit(X, h(X)), by the sample mean over
// Samples independent draws, with standard error s/√n (s the sample
// standard deviation).
type MonteCarlo struct {
	Dist Distribution
	Rule Rule
	// Loss is L in J_H. If Loss is nil, it is SquaredLoss.
	Loss Loss
	// Samples is the number of draws. If Samples is 0, it is 1000.
	Samples int
	// Workers is the number of goroutines that fit the draws, which are
	// drawn from the random stream in order and averaged in order, so that
	// the estimate does not depend on it. If Workers is 0, it is
	// GOMAXPROCS; set it to 1 for a Rule, Distribution or Loss whose
	// hypotheses or Fit are not safe to use from several goroutines at once
	// (the package's are).
	Workers int
}

// Hard estimates the hard objective J_H(p) = E_{h~H} L(ĥ_X(p), h(p)) at the
// rows p of pts, with training points the rows of x. It stores the means in
// dst and the standard errors in stderr (nil allocates) and returns them.
func (mc MonteCarlo) Hard(dst, stderr []float64, x, pts mat.Matrix, rnd *rand.Rand) (mean, se []float64, err error) {
	loss := mc.Loss
	if loss == nil {
		loss = SquaredLoss{}
	}
	return mc.run(dst, stderr, x, pts, rnd, false, func(h, fit Hypothesis, p []float64) float64 {
		return loss.Loss(fit.Value(p), h.Value(p))
	})
}

// GradNorm estimates g(p) = E_{h~H}‖∇(ĥ_X − h)(p)‖ at the rows of pts.
// Hypotheses and fits must be GradHypotheses.
func (mc MonteCarlo) GradNorm(dst, stderr []float64, x, pts mat.Matrix, rnd *rand.Rand) (mean, se []float64, err error) {
	return mc.run(dst, stderr, x, pts, rnd, true, func(h, fit Hypothesis, p []float64) float64 {
		return math.Sqrt(gradErrSq(h, fit, p))
	})
}

// GradSecondMoment estimates E_{h~H}‖∇(ĥ_X − h)(p)‖² at the rows of pts.
// Hypotheses and fits must be GradHypotheses.
func (mc MonteCarlo) GradSecondMoment(dst, stderr []float64, x, pts mat.Matrix, rnd *rand.Rand) (mean, se []float64, err error) {
	return mc.run(dst, stderr, x, pts, rnd, true, func(h, fit Hypothesis, p []float64) float64 {
		return gradErrSq(h, fit, p)
	})
}

// sample fits the draw h on the training points xs with fitTo, using y for
// its labels, and stores stat at each point of ps in v.
func sample(v []float64, h Hypothesis, fitTo func(y []float64) (Hypothesis, error), xs, ps [][]float64, y []float64, needGrad bool, stat func(h, fit Hypothesis, p []float64) float64) error {
	if needGrad && !hasGradient(h) {
		return fmt.Errorf("objective: sampled hypothesis %T has no gradient", h)
	}
	for i, xi := range xs {
		y[i] = h.Value(xi)
	}
	fit, err := fitTo(y)
	if err != nil {
		return err
	}
	if needGrad && !hasGradient(fit) {
		return fmt.Errorf("objective: fitted hypothesis %T has no gradient", fit)
	}
	for i, p := range ps {
		v[i] = stat(h, fit, p)
	}
	return nil
}

// hasGradient reports whether h can give its gradient; a LinearHypothesis
// can when its map is a FeatureGradienter.
func hasGradient(h Hypothesis) bool {
	if lh, ok := h.(*LinearHypothesis); ok {
		_, ok = lh.Map.(FeatureGradienter)
		return ok
	}
	_, ok := h.(GradHypothesis)
	return ok
}

func gradErrSq(h, fit Hypothesis, p []float64) float64 {
	gh := h.(GradHypothesis).Gradient(nil, p)
	gf := fit.(GradHypothesis).Gradient(nil, p)
	var s float64
	for j := range gh {
		d := gf[j] - gh[j]
		s += d * d
	}
	return s
}

func (mc MonteCarlo) run(dst, stderr []float64, x, pts mat.Matrix, rnd *rand.Rand, needGrad bool, stat func(h, fit Hypothesis, p []float64) float64) ([]float64, []float64, error) {
	if mc.Dist == nil || mc.Rule == nil {
		return nil, nil, fmt.Errorf("objective: MonteCarlo needs a non-nil Dist and Rule")
	}
	n := mc.Samples
	if n == 0 {
		n = 1000
	}
	if n < 2 {
		return nil, nil, fmt.Errorf("objective: MonteCarlo.Samples = %d; want ≥ 2 (0 means 1000)", mc.Samples)
	}
	in := mc.Dist.InputDim()
	if err := checkPoints(x, in, "training points X"); err != nil {
		return nil, nil, err
	}
	if err := checkPoints(pts, in, "pts"); err != nil {
		return nil, nil, err
	}
	m, _ := x.Dims()
	np, _ := pts.Dims()
	if dst == nil {
		dst = make([]float64, np)
	}
	if stderr == nil {
		stderr = make([]float64, np)
	}
	if len(dst) != np || len(stderr) != np {
		return nil, nil, fmt.Errorf("objective: len(dst) = %d, len(stderr) = %d; want %d (one per point)", len(dst), len(stderr), np)
	}
	workers := mc.Workers
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if workers < 1 {
		return nil, nil, fmt.Errorf("objective: MonteCarlo.Workers = %d; want ≥ 1 (0 means GOMAXPROCS)", mc.Workers)
	}
	xs := rows(x)
	ps := rows(pts)
	// A Preparer factors x once for all draws, with the same bits.
	fitTo := func(y []float64) (Hypothesis, error) { return mc.Rule.Fit(x, y) }
	if pr, ok := mc.Rule.(Preparer); ok {
		var err error
		if fitTo, err = pr.Prepare(x); err != nil {
			return nil, nil, err
		}
	}
	// Welford's running mean and sum of squared deviations.
	for i := range dst {
		dst[i], stderr[i] = 0, 0
	}
	// Blocks of draws: each block's hypotheses are drawn in order, fitted and
	// evaluated on the workers, and their values v[s][i] then enter the
	// running sums in order.
	const block = 256
	hs := make([]Hypothesis, min(n, block))
	vals := make([]float64, len(hs)*np)
	for s0 := 0; s0 < n; s0 += block {
		b := min(block, n-s0)
		for k := range b {
			hs[k] = mc.Dist.Sample(rnd)
		}
		err := parallel.Each(b, workers, func() func(int) error {
			y := make([]float64, m)
			return func(k int) error {
				return sample(vals[k*np:(k+1)*np], hs[k], fitTo, xs, ps, y, needGrad, stat)
			}
		})
		if err != nil {
			return nil, nil, err
		}
		for k := range b {
			for i, v := range vals[k*np : (k+1)*np] {
				d := v - dst[i]
				dst[i] += d / float64(s0+k+1)
				stderr[i] += d * (v - dst[i])
			}
		}
	}
	for i := range stderr {
		stderr[i] = math.Sqrt(stderr[i] / float64(n-1) / float64(n))
	}
	return dst, stderr, nil
}

func rows(x mat.Matrix) [][]float64 {
	n, c := x.Dims()
	out := make([][]float64, n)
	for i := range out {
		out[i] = mat.Row(make([]float64, c), i, x)
	}
	return out
}

// AdversarialObjective is J_h(x) = L(ĥ(x), h(x)) for one target h and its
// fit ĥ. Build it with NewAdversarial.
type AdversarialObjective struct {
	Target Hypothesis
	Fit    Hypothesis
	// Loss is L. If Loss is nil, it is SquaredLoss.
	Loss Loss
}

var _ GradObjective = (*AdversarialObjective)(nil)

// NewAdversarial fits rule to the rows of x labelled by h and returns the
// adversarial objective J_h(·) = L(ĥ_X(·), h(·)); a nil loss means
// SquaredLoss.
func NewAdversarial(h Hypothesis, rule Rule, loss Loss, x mat.Matrix) (*AdversarialObjective, error) {
	if h == nil || rule == nil {
		return nil, fmt.Errorf("objective: NewAdversarial needs a non-nil hypothesis and rule")
	}
	if x == nil {
		return nil, fmt.Errorf("objective: training points X are nil")
	}
	n, c := x.Dims()
	if err := checkPoints(x, c, "training points X"); err != nil {
		return nil, err
	}
	y := make([]float64, n)
	for i, xi := range rows(x) {
		y[i] = h.Value(xi)
		if math.IsNaN(y[i]) || math.IsInf(y[i], 0) {
			return nil, fmt.Errorf("objective: h(X[%d]) = %v; want finite labels (is X in h's domain?)", i, y[i])
		}
	}
	fit, err := rule.Fit(x, y)
	if err != nil {
		return nil, err
	}
	return &AdversarialObjective{Target: h, Fit: fit, Loss: loss}, nil
}

func (a *AdversarialObjective) loss() Loss {
	if a.Loss == nil {
		return SquaredLoss{}
	}
	return a.Loss
}

// Value returns J_h(x) = L(ĥ(x), h(x)).
func (a *AdversarialObjective) Value(x []float64) float64 {
	return a.loss().Loss(a.Fit.Value(x), a.Target.Value(x))
}

// Gradient stores ∇J_h(x) = L₁∇ĥ(x) + L₂∇h(x) in dst, with L₁, L₂ the
// partial derivatives of L. It panics if h or ĥ is not a GradHypothesis.
func (a *AdversarialObjective) Gradient(dst, x []float64) []float64 {
	d1, d2 := a.loss().Deriv(a.Fit.Value(x), a.Target.Value(x))
	gf := a.Fit.(GradHypothesis).Gradient(nil, x)
	gh := a.Target.(GradHypothesis).Gradient(nil, x)
	if dst == nil {
		dst = make([]float64, len(gf))
	}
	for j := range gf {
		dst[j] = d1*gf[j] + d2*gh[j]
	}
	return dst
}
