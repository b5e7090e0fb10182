package objective

import (
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize"
)

// Refit gives the closed forms of a linear-Gaussian class on 1-D inputs
// when the rule is refitted on each candidate training set X: ĥ_X is
// Rule(|X|) fitted on X, and the objectives are those of NewLinearGaussian.
// For the Chebyshev class use interpolation (least squares of degree |X|−1)
// with a class that has variance at every degree, so that J_H(·; X) is
// nonzero away from X.
type Refit struct {
	Dist *Gaussian
	// Rule returns the linear rule used on a training set of m points.
	Rule func(m int) (LinearRule, error)
}

// On returns the closed forms for the rule fitted on the 1-D points x.
func (r Refit) On(x []float64) (*LinearGaussian, error) {
	if r.Dist == nil || r.Rule == nil {
		return nil, fmt.Errorf("objective: Refit needs a non-nil Dist and Rule")
	}
	if in := r.Dist.InputDim(); in != 1 {
		return nil, fmt.Errorf("objective: Refit works on 1-D inputs; the class has input dimension %d", in)
	}
	if len(x) == 0 {
		return nil, fmt.Errorf("objective: training set X is empty; want at least one point")
	}
	rule, err := r.Rule(len(x))
	if err != nil {
		return nil, err
	}
	if rule == nil {
		return nil, fmt.Errorf("objective: Refit.Rule(%d) returned a nil rule", len(x))
	}
	fit, err := rule.LinearMap(r.Dist.Map(), mat.NewDense(len(x), 1, append([]float64(nil), x...)))
	if err != nil {
		return nil, err
	}
	return NewLinearGaussian(fit, r.Dist)
}

// Hard returns J_H(·; X) for the rule fitted on x, as an Objective.
func (r Refit) Hard(x []float64) (Objective, error) {
	lg, err := r.On(x)
	if err != nil {
		return nil, err
	}
	return lg, nil
}

// Func1D returns t ↦ o.Value([t]), for the 1-D searches.
func Func1D(o Objective) func(float64) float64 {
	return func(t float64) float64 { return o.Value([]float64{t}) }
}

// Greedy grows a training set on [a, b] from the boundary ∂X = {a, b}: while
// |X| < m it builds J(·; X) = build(X) and adds its global maximiser found by
// s. It returns the points in the order they were added, a and b first.
// With build = Refit.Hard this is the greedy construction of hard training
// points (eq. 2) where the objective depends on the current X through the
// rule.
func Greedy(build func(x []float64) (Objective, error), a, b float64, m int, s GridSearch) ([]float64, error) {
	if build == nil {
		return nil, fmt.Errorf("objective: Greedy: build is nil")
	}
	if err := checkInterval(a, b); err != nil {
		return nil, err
	}
	if m < 2 {
		return nil, fmt.Errorf("objective: Greedy: m = %d; want ≥ 2 (the boundary is included)", m)
	}
	x := []float64{a, b}
	for len(x) < m {
		obj, err := build(x)
		if err != nil {
			return nil, err
		}
		t, _, err := s.Argmax(Func1D(obj), a, b)
		if err != nil {
			return nil, err
		}
		x = append(x, t)
	}
	return x, nil
}

// Optimal returns the eq. 1 solution in its critical-point reading: the
// interior local minima of g(x) = E_H‖∇(ĥ − h)(x)‖ on [a, b] plus the
// boundary {a, b}, in increasing order. For a 1-D linear-Gaussian class,
// g = LinearGaussian.MeanGradNorm, which has the same minima as
// GradSecondMoment.
func Optimal(g func(float64) float64, a, b float64, s GridSearch) ([]float64, error) {
	mins, err := s.Minima(g, a, b)
	if err != nil {
		return nil, err
	}
	out := []float64{a}
	for _, t := range mins {
		if t > a && t < b {
			out = append(out, t)
		}
	}
	return append(out, b), nil
}

// Literal is eq. 1 read literally on 1-D inputs: minimise over training sets
// X ⊂ [Min, Max] the value Σ_{x∈X} E_H‖∇(ĥ_X − h)(x)‖ with ĥ_X fitted on X
// itself (Refit), in closed form. This reading is degenerate: nodes
// coalesce in pairs or pile up at the boundary, because a near-repeated node
// makes a least-squares fit match the derivative there.
type Literal struct {
	Refit Refit
	// Min and Max bound the domain. If both are 0, the domain is [−1, 1].
	Min, Max float64
	// Evaluations caps the Nelder–Mead function evaluations of each run
	// of Minimize. If Evaluations is 0, it is 20000.
	Evaluations int
	// Restarts is the number of times Minimize restarts Nelder–Mead from
	// its last answer (a fresh simplex escapes a collapsed one). If
	// Restarts is 0, it is 3; negative means none.
	Restarts int
}

func (l Literal) domain() (float64, float64, error) {
	a, b := l.Min, l.Max
	if a == 0 && b == 0 {
		a, b = -1, 1
	}
	return a, b, checkInterval(a, b)
}

// Value returns Σ_{x∈X} √(2/π)·√(E_H‖∇(ĥ_X − h)(x)‖²) for the set x.
func (l Literal) Value(x []float64) (float64, error) {
	a, b, err := l.domain()
	if err != nil {
		return math.NaN(), err
	}
	if err := checkSet(x, a, b); err != nil {
		return math.NaN(), err
	}
	return l.value(x)
}

func (l Literal) value(x []float64) (float64, error) {
	lg, err := l.Refit.On(x)
	if err != nil {
		return math.NaN(), err
	}
	var s float64
	for _, t := range x {
		s += math.Sqrt(lg.GradSecondMoment([]float64{t}))
	}
	return math.Sqrt(2/math.Pi) * s, nil
}

// Minimize minimises Value from the start set x0 by the Nelder–Mead simplex
// method (gonum/optimize; Lagarias et al., SIAM J. Optim. 9, 1998), restarted
// Restarts times, over the points of x0 strictly inside the domain;
// points on the boundary stay fixed, and moving points are clamped to the
// domain. It returns the final set in increasing order and its value.
func (l Literal) Minimize(x0 []float64) ([]float64, float64, error) {
	a, b, err := l.domain()
	if err != nil {
		return nil, math.NaN(), err
	}
	if err := checkSet(x0, a, b); err != nil {
		return nil, math.NaN(), err
	}
	evals := l.Evaluations
	if evals == 0 {
		evals = 20000
	}
	if evals < 1 {
		return nil, math.NaN(), fmt.Errorf("objective: Literal.Evaluations = %d; want ≥ 1 (0 means 20000)", l.Evaluations)
	}
	var fixed, free []float64
	for _, t := range x0 {
		if t == a || t == b {
			fixed = append(fixed, t)
		} else {
			free = append(free, t)
		}
	}
	set := func(v []float64) []float64 {
		x := append([]float64(nil), fixed...)
		for _, t := range v {
			x = append(x, math.Min(b, math.Max(a, t)))
		}
		return x
	}
	v0, err := l.value(x0)
	if err != nil {
		return nil, math.NaN(), err
	}
	if len(free) == 0 {
		x := append([]float64(nil), x0...)
		sort.Float64s(x)
		return x, v0, nil
	}
	restarts := l.Restarts
	if restarts == 0 {
		restarts = 3
	}
	var ferr error
	p := optimize.Problem{Func: func(v []float64) float64 {
		val, err := l.value(set(v))
		if err != nil {
			ferr = err
			return math.Inf(1)
		}
		return val
	}}
	best := free
	for r := 0; r <= max(restarts, 0); r++ {
		res, err := optimize.Minimize(p, best, &optimize.Settings{FuncEvaluations: evals}, &optimize.NelderMead{})
		if ferr != nil {
			return nil, math.NaN(), ferr
		}
		if res == nil {
			return nil, math.NaN(), fmt.Errorf("objective: Literal.Minimize: %w", err)
		}
		best = res.X
	}
	x := set(best)
	sort.Float64s(x)
	val, err := l.value(x)
	if err != nil {
		return nil, math.NaN(), err
	}
	if val > v0 {
		x = append([]float64(nil), x0...)
		sort.Float64s(x)
		val = v0
	}
	return x, val, nil
}

func checkSet(x []float64, a, b float64) error {
	if len(x) == 0 {
		return fmt.Errorf("objective: training set X is empty; want at least one point")
	}
	for i, t := range x {
		if math.IsNaN(t) || t < a || t > b {
			return fmt.Errorf("objective: X[%d] = %v is outside the domain [%v, %v]", i, t, a, b)
		}
	}
	return nil
}

// Ascent moves points uphill on an objective J by projected gradient ascent
// in the box [Min, Max]: each point takes steps of length t along ∇J/‖∇J‖,
// projected onto the box; a step that increases J is accepted and t doubles
// (up to Step), otherwise t halves. A point stops after Iterations steps or
// when t falls below 1e-12 of the box's smallest width. The points move
// independently: J is fixed (for example J_H or J_h of a fit on some other
// set), which is how eq. 2 and eq. 3 craft perturbations.
type Ascent struct {
	// Min and Max are the box's corners. If both are nil, the box is
	// [−1, 1]^in.
	Min, Max []float64
	// Step is the largest step. If Step is 0, it is 0.1 of the box's
	// smallest width.
	Step float64
	// Iterations caps the steps per point. If Iterations is 0, it is 200.
	Iterations int
}

// Run ascends from the rows of x0 and stores the final points in dst (nil
// allocates), which it returns.
func (as Ascent) Run(dst *mat.Dense, obj GradObjective, x0 mat.Matrix) (*mat.Dense, error) {
	if obj == nil || x0 == nil {
		return nil, fmt.Errorf("objective: Ascent.Run needs a non-nil objective and start points")
	}
	n, in := x0.Dims()
	if n == 0 || in == 0 {
		return nil, fmt.Errorf("objective: start points are empty; want at least one point")
	}
	lo, hi := as.Min, as.Max
	if lo == nil && hi == nil {
		lo, hi = make([]float64, in), make([]float64, in)
		for j := range lo {
			lo[j], hi[j] = -1, 1
		}
	}
	if len(lo) != in || len(hi) != in {
		return nil, fmt.Errorf("objective: Ascent box has len(Min) = %d, len(Max) = %d; want %d", len(lo), len(hi), in)
	}
	width := math.Inf(1)
	for j := range lo {
		if err := checkInterval(lo[j], hi[j]); err != nil {
			return nil, fmt.Errorf("objective: Ascent box coordinate %d: %w", j, err)
		}
		width = math.Min(width, hi[j]-lo[j])
	}
	step := as.Step
	if step == 0 {
		step = 0.1 * width
	}
	if !(step > 0) || math.IsInf(step, 0) {
		return nil, fmt.Errorf("objective: Ascent.Step = %v; want a finite value ≥ 0", as.Step)
	}
	iters := as.Iterations
	if iters == 0 {
		iters = 200
	}
	if iters < 1 {
		return nil, fmt.Errorf("objective: Ascent.Iterations = %d; want ≥ 1 (0 means 200)", as.Iterations)
	}
	for i := 0; i < n; i++ {
		for j := 0; j < in; j++ {
			if v := x0.At(i, j); math.IsNaN(v) || v < lo[j] || v > hi[j] {
				return nil, fmt.Errorf("objective: start point %d coordinate %d = %v is outside [%v, %v]", i, j, v, lo[j], hi[j])
			}
		}
	}
	if dst == nil {
		dst = mat.NewDense(n, in, nil)
	} else if r, c := dst.Dims(); r != n || c != in {
		return nil, fmt.Errorf("objective: dst is %d×%d; want %d×%d", r, c, n, in)
	}
	x := make([]float64, in)
	cand := make([]float64, in)
	grad := make([]float64, in)
	for i := 0; i < n; i++ {
		mat.Row(x, i, x0)
		fx := obj.Value(x)
		t := step
		for it := 0; it < iters && t >= 1e-12*width; it++ {
			obj.Gradient(grad, x)
			norm := mat.Norm(mat.NewVecDense(in, grad), 2)
			if !(norm > 0) || math.IsInf(norm, 0) {
				break
			}
			for j := range cand {
				cand[j] = math.Min(hi[j], math.Max(lo[j], x[j]+t*grad[j]/norm))
			}
			if fc := obj.Value(cand); fc > fx {
				copy(x, cand)
				fx = fc
				t = math.Min(2*t, step)
			} else {
				t /= 2
			}
		}
		dst.SetRow(i, x)
	}
	return dst, nil
}
