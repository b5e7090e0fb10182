package cheb

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strconv"

	"gonum.org/v1/gonum/mat"

	"pointwise/lib/internal/numeric"
	"pointwise/lib/internal/parallel"
)

// SampleComplexity is the sample-complexity experiment of fig3: for
// each grid kind and each number of points m = 1..MaxPoints, every draw h
// of Class is interpolated at the m-point grid by a polynomial of degree
// m-1 (the Chebyshev-basis interpolant, evaluated in barycentric form; a
// least-squares fit of degree (distinct points - 1) if a random grid
// repeats a point), and the sup-norm error max |p - h| is measured on
// EvalPoints equispaced points of the domain. Over the draws it reports the
// median and two quantiles of that error against m, and m(ε), the smallest
// m whose median error is <= ε.
//
// The same draws of h serve every grid and every m (common random numbers),
// so the curves differ only through the grids. A Random grid is drawn
// afresh for every (m, draw), so its quantiles are over both h and the
// points. The zero value runs fig3's settings.
type SampleComplexity struct {
	// Grids lists the grid kinds to compare; nil means GridKinds().
	Grids []GridKind

	// MaxPoints is the largest m; 0 means 64.
	MaxPoints int

	// Draws is the number of draws of h; 0 means 50.
	Draws int

	// EvalPoints is the size of the equispaced evaluation grid (end points
	// included) on which the sup norm is taken; 0 means 2001.
	EvalPoints int

	// Class is the distribution H of targets, and its Domain the domain of
	// the experiment; a nil StdDev means GeometricSeries(0.8, 80) on
	// [-1, 1] (fig3).
	Class RandomSeries

	// Seed seeds the draws of h (PCG(Seed, Seed)) and of random grids.
	Seed uint64

	// Epsilons are the target errors of m(ε); nil means
	// {1e-1, 1e-2, 1e-3, 1e-4}.
	Epsilons []float64

	// LowerQuantile and UpperQuantile are the levels of the error band;
	// 0 means 0.1 and 0.9. Quantiles interpolate linearly between order
	// statistics (Hyndman and Fan type 7, numpy's default).
	LowerQuantile, UpperQuantile float64
}

// CurvePoint is one row of the error-against-m curve: quantiles over H
// of the sup-norm error of the m-point rule on grid Grid.
type CurvePoint struct {
	Grid GridKind
	M    int // number of points; the rule has degree M-1

	// Median, Lower and Upper are the median and the LowerQuantile and
	// UpperQuantile quantiles over the draws of max |p - h|.
	Median, Lower, Upper float64
}

// Header returns the CSV header of Record: grid,m,median_sup_error.
func (CurvePoint) Header() []string { return []string{"grid", "m", "median_sup_error"} }

// Record returns the CSV fields grid, m and median_sup_error, with floats in
// the shortest form that reads back exactly.
func (p CurvePoint) Record() []string {
	return []string{p.Grid.String(), strconv.Itoa(p.M), formatFloat(p.Median)}
}

// SampleCount is m(ε) for one grid: the smallest m whose median sup-norm
// error is <= Epsilon. Reached is false, and Samples 0, when no
// m <= MaxPoints reaches it.
type SampleCount struct {
	Grid    GridKind
	Epsilon float64
	Samples int
	Reached bool
}

// Header returns the CSV header of Record: grid,epsilon,samples.
func (SampleCount) Header() []string { return []string{"grid", "epsilon", "samples"} }

// Record returns the CSV fields grid, epsilon and samples; samples is empty
// when ε is not reached.
func (s SampleCount) Record() []string {
	samples := ""
	if s.Reached {
		samples = strconv.Itoa(s.Samples)
	}
	return []string{s.Grid.String(), formatFloat(s.Epsilon), samples}
}

func formatFloat(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// SampleComplexityResult holds the experiment's two tables.
type SampleComplexityResult struct {
	// Curve has one row per grid and m = 1..MaxPoints, grids in the order
	// of SampleComplexity.Grids.
	Curve []CurvePoint

	// Samples has one row per grid and ε, in the order of Grids and
	// Epsilons.
	Samples []SampleCount
}

// withDefaults returns c with zero fields replaced by their defaults.
func (c SampleComplexity) withDefaults() (SampleComplexity, error) {
	if c.Grids == nil {
		c.Grids = GridKinds()
	}
	if c.MaxPoints == 0 {
		c.MaxPoints = 64
	}
	if c.Draws == 0 {
		c.Draws = 50
	}
	if c.EvalPoints == 0 {
		c.EvalPoints = 2001
	}
	if c.Class.StdDev == nil {
		h, err := GeometricSeries(0.8, 80, c.Class.Domain)
		if err != nil {
			return c, err
		}
		c.Class = h
	}
	if c.Epsilons == nil {
		c.Epsilons = []float64{1e-1, 1e-2, 1e-3, 1e-4}
	}
	if c.LowerQuantile == 0 {
		c.LowerQuantile = 0.1
	}
	if c.UpperQuantile == 0 {
		c.UpperQuantile = 0.9
	}
	return c, nil
}

func (c SampleComplexity) validate() error {
	for i, g := range c.Grids {
		if !g.valid() {
			return fmt.Errorf("cheb: Grids[%d] = %v unknown: need Equispaced, Random, Chebyshev or Lobatto", i, g)
		}
	}
	if len(c.Grids) == 0 {
		return fmt.Errorf("cheb: Grids is empty: need at least one grid kind (nil means all four)")
	}
	if c.MaxPoints < 1 || c.MaxPoints > MaxN {
		return fmt.Errorf("cheb: MaxPoints = %d out of range: need MaxPoints >= 1 and <= %d (0 means 64)", c.MaxPoints, MaxN)
	}
	if c.Draws < 1 || c.Draws > MaxN {
		return fmt.Errorf("cheb: Draws = %d out of range: need Draws >= 1 and <= %d (0 means 50)", c.Draws, MaxN)
	}
	if c.EvalPoints < 2 || c.EvalPoints > MaxN {
		return fmt.Errorf("cheb: EvalPoints = %d out of range: need EvalPoints >= 2 and <= %d (0 means 2001)", c.EvalPoints, MaxN)
	}
	if err := c.Class.Validate(); err != nil {
		return err
	}
	// The tables held at once: draws' values on the evaluation grid and
	// the sup errors of every (grid, m, draw).
	if c.Draws > MaxN/c.EvalPoints || c.Draws > MaxN/(len(c.Class.StdDev)) || c.Draws*len(c.Grids) > MaxN/c.MaxPoints {
		return fmt.Errorf("cheb: Draws×EvalPoints = %d×%d, Draws×(D+1) = %d×%d and Draws×len(Grids)×MaxPoints = %d×%d×%d out of range: need each <= %d (MaxN)",
			c.Draws, c.EvalPoints, c.Draws, len(c.Class.StdDev), c.Draws, len(c.Grids), c.MaxPoints, MaxN)
	}
	for i, e := range c.Epsilons {
		if !(e > 0) || math.IsInf(e, 0) {
			return fmt.Errorf("cheb: Epsilons[%d] = %g out of range: need finite ε > 0", i, e)
		}
	}
	for _, q := range []struct {
		name string
		v    float64
	}{{"LowerQuantile", c.LowerQuantile}, {"UpperQuantile", c.UpperQuantile}} {
		if !(q.v > 0 && q.v <= 1) {
			return fmt.Errorf("cheb: %s = %g out of range: need 0 < q <= 1 (0 means default)", q.name, q.v)
		}
	}
	return nil
}

// Run runs the experiment. It returns an error naming the first invalid
// setting. With the defaults it takes about a second on two cores.
func (c SampleComplexity) Run() (SampleComplexityResult, error) {
	c, err := c.withDefaults()
	if err != nil {
		return SampleComplexityResult{}, err
	}
	if err := c.validate(); err != nil {
		return SampleComplexityResult{}, err
	}
	dom := c.Class.Domain
	basis := Basis{Degree: c.Class.Degree(), Domain: dom}

	// Coefficients of the draws, (D+1)×Draws, and their values on the
	// evaluation grid, EvalPoints×Draws.
	rng := rand.New(rand.NewPCG(c.Seed, c.Seed))
	coeffs := mat.NewDense(basis.Degree+1, c.Draws, nil)
	draws := make([][]float64, c.Draws)
	for d := range draws {
		s, err := c.Class.Rand(nil, rng)
		if err != nil {
			return SampleComplexityResult{}, err
		}
		draws[d] = s.Coeffs
		coeffs.SetCol(d, s.Coeffs)
	}
	xe, err := EquispacedPoints(nil, c.EvalPoints, dom)
	if err != nil {
		return SampleComplexityResult{}, err
	}
	ve, err := basis.Matrix(nil, xe)
	if err != nil {
		return SampleComplexityResult{}, err
	}
	var he mat.Dense
	he.Mul(ve, coeffs)

	// sup[g][m-1][d] is the sup error of grid g, m points, draw d.
	sup, err := c.sups(dom, basis, xe, &he, coeffs, draws)
	if err != nil {
		return SampleComplexityResult{}, err
	}

	var res SampleComplexityResult
	for g, kind := range c.Grids {
		medians := make([]float64, c.MaxPoints)
		for m := 1; m <= c.MaxPoints; m++ {
			e := slices.Clone(sup[g][m-1])
			slices.Sort(e)
			medians[m-1] = numeric.Quantile(0.5, e)
			res.Curve = append(res.Curve, CurvePoint{
				Grid: kind, M: m,
				Median: medians[m-1],
				Lower:  numeric.Quantile(c.LowerQuantile, e),
				Upper:  numeric.Quantile(c.UpperQuantile, e),
			})
		}
		for _, eps := range c.Epsilons {
			sc := SampleCount{Grid: kind, Epsilon: eps}
			if i := slices.IndexFunc(medians, func(v float64) bool { return v <= eps }); i >= 0 {
				sc.Samples, sc.Reached = i+1, true
			}
			res.Samples = append(res.Samples, sc)
		}
	}
	return res, nil
}

// sups returns the sup errors sup[g][m-1][d] of every grid g, m points and
// draw d, computed on GOMAXPROCS goroutines (parallel.Each). The work is cut finer than one
// grid kind per goroutine, which left the random grid (a barycentric
// evaluation per draw) alone on one core: tasks are a fixed grid's m, or one
// draw of the random grid at m, largest first. The random nodes are drawn
// beforehand in the order of a serial run, so that the split changes no bit.
func (c SampleComplexity) sups(dom Domain, basis Basis, xe []float64, he, coeffs *mat.Dense, draws [][]float64) ([][][]float64, error) {
	type task struct{ g, m, d int } // d < 0: all draws of a fixed grid
	var tasks, random []task
	grids := make([]experimentGrid, len(c.Grids))
	sup := make([][][]float64, len(c.Grids))
	for g, kind := range c.Grids {
		grids[g] = experimentGrid{kind: kind, dom: dom, basis: basis, xe: xe, he: he, coeffs: coeffs, draws: draws}
		sup[g] = make([][]float64, c.MaxPoints)
		for m := c.MaxPoints; m >= 1; m-- {
			if kind != Random {
				tasks = append(tasks, task{g, m, -1})
				continue
			}
			sup[g][m-1] = make([]float64, len(draws))
			for d := range draws {
				random = append(random, task{g, m, d})
			}
		}
		if kind == Random {
			if err := grids[g].drawNodes(c.MaxPoints, rand.New(rand.NewPCG(c.Seed, ^c.Seed))); err != nil {
				return nil, err
			}
		}
	}
	tasks = append(tasks, random...)
	err := parallel.Each(len(tasks), runtime.GOMAXPROCS(0), func() func(int) error {
		w := supWork{y: make([]float64, c.MaxPoints), col: make([]float64, len(xe))}
		return func(i int) (err error) {
			t := tasks[i]
			if t.d < 0 {
				sup[t.g][t.m-1], err = grids[t.g].supFixed(t.m)
			} else {
				sup[t.g][t.m-1][t.d], err = grids[t.g].supRandom(&w, t.m, t.d)
			}
			return err
		}
	})
	return sup, err
}

// experimentGrid holds one grid kind's share of SampleComplexity.Run.
type experimentGrid struct {
	kind   GridKind
	dom    Domain
	basis  Basis
	xe     []float64
	he     *mat.Dense // h on xe, one column per draw
	coeffs *mat.Dense // coefficients, one column per draw
	draws  [][]float64
	nodes  [][][]float64 // the random grid's nodes[m-1][d]
}

// drawNodes draws the random grid's nodes for every m and draw from rng, m
// after m, as a serial run does.
func (e *experimentGrid) drawNodes(maxPoints int, rng *rand.Rand) error {
	e.nodes = make([][][]float64, maxPoints)
	for m := 1; m <= maxPoints; m++ {
		e.nodes[m-1] = make([][]float64, len(e.draws))
		for d := range e.draws {
			var err error
			if e.nodes[m-1][d], err = RandomPoints(nil, m, e.dom, rng); err != nil {
				return err
			}
		}
	}
	return nil
}

// supFixed returns the sup errors of all draws on the m-point grid, as
// max |H_e - L V C| with L the E×m interpolation matrix L[i][j] = ℓ_j(xe_i)
// and V C the draws' values at the nodes: two matrix products per m.
func (e *experimentGrid) supFixed(m int) ([]float64, error) {
	ev, err := newGridEval(e.kind, m, e.dom)
	if err != nil {
		return nil, err
	}
	l := mat.NewDense(len(e.xe), m, nil)
	for i, x := range e.xe {
		ev.row(l.RawRowView(i), x)
	}
	vn, err := e.basis.Matrix(nil, ev.x)
	if err != nil {
		return nil, err
	}
	var yn, p mat.Dense
	yn.Mul(vn, e.coeffs)
	p.Mul(l, &yn)
	p.Sub(e.he, &p)
	_, draws := p.Dims()
	sup := make([]float64, draws)
	col := make([]float64, len(e.xe))
	for d := range sup {
		sup[d] = numeric.SupNorm(mat.Col(col, d, &p))
	}
	return sup, nil
}

// supWork holds one goroutine's buffers for supRandom: y for MaxPoints
// values, col for the evaluation grid.
type supWork struct{ y, col []float64 }

// supRandom returns the sup error of draw d on its m random nodes,
// interpolated by the first barycentric formula.
func (e *experimentGrid) supRandom(w *supWork, m, d int) (float64, error) {
	nodes, c := e.nodes[m-1][d], e.draws[d]
	y := w.y[:m]
	for j, x := range nodes {
		y[j] = Clenshaw(c, e.dom.ToUnit(x))
	}
	col := mat.Col(w.col, d, e.he)
	var p func(float64) float64
	if checkDistinct(nodes) == nil {
		ev := newFirstForm(nodes, 2*e.dom.Scale())
		p = func(x float64) float64 { return ev.value(y, x) }
	} else {
		// Least squares on the distinct points, as the rule prescribes.
		s, err := Fit(nodes, y, countDistinct(nodes)-1, e.dom)
		var cond mat.Condition
		if err != nil && !errors.As(err, &cond) {
			return 0, err
		}
		p = s.Predict
	}
	for i, x := range e.xe {
		col[i] -= p(x)
	}
	return numeric.SupNorm(col), nil
}
