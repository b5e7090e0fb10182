package experiment

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"time"

	"pointwise/lib/cheb"
	"pointwise/lib/internal/numeric"
	"pointwise/lib/internal/parallel"
	"pointwise/lib/objective"
)

// SampleComplexity is fig3's sample-complexity experiment for any learning
// rule: for each grid, each m in Ms and each of Draws targets h ~ Targets,
// the Rule is fitted to the m grid points labelled by h, and its sup-norm
// error max |ĥ − h| is measured on EvalPoints equispaced points of [-1, 1]
// (+Inf where ĥ − h is NaN).
// Over the draws it reports the median error against m and m(ε), the smallest
// m in Ms whose median error is ≤ ε.
//
// Draw d uses the same target and the same rule seed on every grid and
// every m (common random numbers), so the curves differ only through the
// grids and m. A random grid is drawn afresh for every (m, d).
type SampleComplexity struct {
	// Rule is the learning rule; it must be safe for concurrent use.
	Rule Rule
	// Targets is the distribution H of targets on [-1, 1].
	Targets objective.Distribution
	// Grids are the training grids to compare.
	Grids []Grid
	// Ms are the numbers of training points, increasing.
	Ms []int
	// Draws is the number of targets drawn from H. If Draws is 0, it is 20.
	Draws int
	// EvalPoints is the size of the equispaced evaluation grid (end points
	// included). If EvalPoints is 0, it is 2001.
	EvalPoints int
	// Epsilons are the target errors of m(ε). If Epsilons is nil, they are
	// {1e-1, 1e-2, 1e-3, 1e-4}.
	Epsilons []float64
	// Seed seeds the targets, the random grids and the rule, each from
	// streams of its own: target d is drawn from rand.NewPCG(Seed,
	// TargetStream+d), and the rule gets seed Seed<<32 + d + 1 for
	// draw d; for seeds below 2^32 none of them is rand.NewPCG(Seed, Seed),
	// the stream a notebook may use for the class's own network.
	Seed uint64
	// Workers is the number of fits run at once. If Workers is 0, it is
	// runtime.GOMAXPROCS(0).
	Workers int
	// Progress, if non-nil, is called after every fit with the number done
	// and the total, from one goroutine at a time.
	Progress func(done, total int)
}

// TargetStream is the first PCG stream of SampleComplexity's targets.
const TargetStream = 0x7461726765740000 // "target\0\0"

// CurvePoint is one point of the error-against-m curve of one grid.
type CurvePoint struct {
	Grid string
	M    int
	// Median, Lower and Upper are the median and the 0.1 and 0.9 quantiles
	// over the draws of the sup-norm error max |ĥ − h| on the evaluation grid.
	Median, Lower, Upper float64
	// TrainMedian is the median over the draws of the largest error at the
	// training points, max_i |ĥ(x_i) − h(x_i)|: how well the rule fitted
	// its data.
	TrainMedian float64
	// Errors are the sup-norm errors of the draws, in draw order: draw d
	// has the same target and rule seed on every grid, so grids can be
	// compared draw by draw.
	Errors []float64
}

// SampleCount is m(ε) for one grid: the smallest m in Ms whose median
// sup-norm error is ≤ Epsilon. Reached is false, and Samples 0, when none is.
type SampleCount struct {
	Grid    string
	Epsilon float64
	Samples int
	Reached bool
}

// SampleComplexityResult holds the experiment's two tables, grids in the
// order of Grids (cheb.SampleComplexityResult for fig3's).
type SampleComplexityResult struct {
	Curve   []CurvePoint  // one row per grid and m
	Samples []SampleCount // one row per grid and ε
	// Elapsed is the wall time Run took.
	Elapsed time.Duration
}

// Point returns the curve point of grid at m, and whether there is one.
func (r SampleComplexityResult) Point(grid string, m int) (CurvePoint, bool) {
	for _, p := range r.Curve {
		if p.Grid == grid && p.M == m {
			return p, true
		}
	}
	return CurvePoint{}, false
}

// Count returns m(ε) of grid, and whether there is a row for it.
func (r SampleComplexityResult) Count(grid string, eps float64) (SampleCount, bool) {
	for _, s := range r.Samples {
		if s.Grid == grid && s.Epsilon == eps {
			return s, true
		}
	}
	return SampleCount{}, false
}

// Wins returns in how many draws grid a's sup-norm error at m is below grid
// b's, and the number of draws: a paired comparison, since draw d has the
// same target and rule seed on both grids. It returns an error when
// either grid has no point at m.
func (r SampleComplexityResult) Wins(a, b string, m int) (wins, draws int, err error) {
	pa, okA := r.Point(a, m)
	pb, okB := r.Point(b, m)
	if !okA || !okB {
		return 0, 0, fmt.Errorf("experiment: no curve points for grids %q and %q at m = %d", a, b, m)
	}
	for d := range pa.Errors {
		if pa.Errors[d] < pb.Errors[d] {
			wins++
		}
	}
	return wins, len(pa.Errors), nil
}

func (c SampleComplexity) withDefaults() (SampleComplexity, error) {
	if c.Rule == nil {
		return c, fmt.Errorf("experiment: SampleComplexity.Rule is nil")
	}
	if c.Targets == nil {
		return c, fmt.Errorf("experiment: SampleComplexity.Targets is nil")
	}
	if in := c.Targets.InputDim(); in != 1 {
		return c, fmt.Errorf("experiment: SampleComplexity.Targets has input dimension %d; want 1", in)
	}
	if len(c.Grids) == 0 {
		return c, fmt.Errorf("experiment: SampleComplexity.Grids is empty; want at least one grid")
	}
	for i, g := range c.Grids {
		if g.Points == nil {
			return c, fmt.Errorf("experiment: SampleComplexity.Grids[%d] (%q) has no Points", i, g.Name)
		}
	}
	if len(c.Ms) == 0 {
		return c, fmt.Errorf("experiment: SampleComplexity.Ms is empty; want at least one m")
	}
	for i, m := range c.Ms {
		if m < 1 || (i > 0 && m <= c.Ms[i-1]) {
			return c, fmt.Errorf("experiment: SampleComplexity.Ms[%d] = %d; want increasing values ≥ 1", i, m)
		}
	}
	if c.Draws == 0 {
		c.Draws = 20
	}
	if c.Draws < 1 || c.Draws > 1_000_000 {
		return c, fmt.Errorf("experiment: SampleComplexity.Draws = %d; want 1 to 1e6 (0 means 20)", c.Draws)
	}
	if c.EvalPoints == 0 {
		c.EvalPoints = 2001
	}
	if c.EvalPoints < 2 || c.EvalPoints > 10_000_000 {
		return c, fmt.Errorf("experiment: SampleComplexity.EvalPoints = %d; want 2 to 1e7 (0 means 2001)", c.EvalPoints)
	}
	if c.Epsilons == nil {
		c.Epsilons = []float64{1e-1, 1e-2, 1e-3, 1e-4}
	}
	for i, e := range c.Epsilons {
		if !(e > 0) || math.IsInf(e, 0) {
			return c, fmt.Errorf("experiment: SampleComplexity.Epsilons[%d] = %v; want a finite value > 0", i, e)
		}
	}
	if c.Workers == 0 {
		c.Workers = runtime.GOMAXPROCS(0)
	}
	if c.Workers < 1 {
		return c, fmt.Errorf("experiment: SampleComplexity.Workers = %d; want ≥ 1 (0 means GOMAXPROCS)", c.Workers)
	}
	return c, nil
}

// fit is one job: grid g, the i-th m, draw d.
type fit struct{ g, i, d int }

// Run runs the experiment.
func (c SampleComplexity) Run() (SampleComplexityResult, error) {
	start := time.Now()
	c, err := c.withDefaults()
	if err != nil {
		return SampleComplexityResult{}, err
	}
	eval, err := cheb.EquispacedPoints(nil, c.EvalPoints, cheb.Domain{})
	if err != nil {
		return SampleComplexityResult{}, err
	}
	targets := make([]objective.Hypothesis, c.Draws)
	truth := make([][]float64, c.Draws) // h at the evaluation points
	for d := range targets {
		targets[d] = c.Targets.Sample(rand.New(rand.NewPCG(c.Seed, TargetStream+uint64(d))))
		truth[d] = values(targets[d], eval)
	}
	nm := len(c.Ms)
	sup := make([]float64, len(c.Grids)*nm*c.Draws)
	train := make([]float64, len(sup))
	index := func(j fit) int { return (j.g*nm+j.i)*c.Draws + j.d }

	// Task t is the fit whose results go to index(fit) = t: grids, then m,
	// then draws.
	var (
		mu   sync.Mutex
		done int
	)
	err = parallel.Each(len(sup), c.Workers, func() func(int) error {
		pred := make([]float64, len(eval))
		return func(t int) error {
			j := fit{g: t / (nm * c.Draws), i: t / c.Draws % nm, d: t % c.Draws}
			s, tr, err := c.one(j, targets[j.d], truth[j.d], eval, pred)
			sup[t], train[t] = s, tr
			if c.Progress != nil {
				mu.Lock()
				done++
				c.Progress(done, len(sup))
				mu.Unlock()
			}
			return err
		}
	})
	if err != nil {
		return SampleComplexityResult{}, err
	}

	var res SampleComplexityResult
	for g, grid := range c.Grids {
		med := make([]float64, nm)
		for i, m := range c.Ms {
			k := index(fit{g, i, 0})
			errs := sup[k : k+c.Draws]
			s := slices.Sorted(slices.Values(errs))
			t := slices.Sorted(slices.Values(train[k : k+c.Draws]))
			med[i] = numeric.Quantile(0.5, s)
			res.Curve = append(res.Curve, CurvePoint{Grid: grid.Name, M: m,
				Median: med[i], Lower: numeric.Quantile(0.1, s), Upper: numeric.Quantile(0.9, s),
				TrainMedian: numeric.Quantile(0.5, t), Errors: slices.Clone(errs)})
		}
		for _, eps := range c.Epsilons {
			sc := SampleCount{Grid: grid.Name, Epsilon: eps}
			if i := slices.IndexFunc(med, func(v float64) bool { return v <= eps }); i >= 0 {
				sc.Samples, sc.Reached = c.Ms[i], true
			}
			res.Samples = append(res.Samples, sc)
		}
	}
	res.Elapsed = time.Since(start)
	return res, nil
}

// one runs fit j against target h (truth at eval) and returns the sup-norm
// error on eval and the largest error at the training points. pred is
// scratch of len(eval).
func (c SampleComplexity) one(j fit, h objective.Hypothesis, truth, eval, pred []float64) (sup, train float64, err error) {
	grid, m := c.Grids[j.g], c.Ms[j.i]
	rng := rand.New(rand.NewPCG(c.Seed^0x9e3779b97f4a7c15, uint64(j.g)<<48|uint64(m)<<24|uint64(j.d)))
	x, err := grid.Points(m, rng)
	if err != nil {
		return 0, 0, err
	}
	if len(x) != m {
		return 0, 0, fmt.Errorf("experiment: grid %q returned %d points for m = %d", grid.Name, len(x), m)
	}
	y := values(h, x)
	p, err := c.Rule.Fit(x, y, c.Seed<<32+uint64(j.d)+1)
	if err != nil {
		return 0, 0, fmt.Errorf("experiment: grid %q, m = %d, draw %d: %w", grid.Name, m, j.d, err)
	}
	p.PredictBatch(pred, eval)
	at := p.PredictBatch(nil, x)
	for i, v := range truth {
		pred[i] -= v
	}
	for i, v := range y {
		at[i] -= v
	}
	return numeric.SupNorm(pred), numeric.SupNorm(at), nil
}

// values returns h at the 1-D points x.
func values(h objective.Hypothesis, x []float64) []float64 {
	y := make([]float64, len(x))
	for i, t := range x {
		y[i] = h.Value([]float64{t})
	}
	return y
}
