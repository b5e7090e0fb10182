package objective

import (
	"math"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// geometric returns variances ρ^{2k}, k = 0..D: a class with variance at
// every degree.
func geometric(rho float64, D int) []float64 {
	v := make([]float64, D+1)
	for k := range v {
		v[k] = math.Pow(rho, float64(2*k))
	}
	return v
}

func mustDiag(t *testing.T, f FeatureMap, v []float64) *Gaussian {
	t.Helper()
	g, err := NewGaussianDiag(f, v)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestChebMap(t *testing.T) {
	// T_k(x) = cos(k acos x) (the definition); the Jacobian against central
	// differences.
	const (
		valueTol = 1e-12
		derivTol = 1e-6
	)
	c := chebMap{12}
	for _, x := range []float64{-1, -0.73, 0, 0.31, 0.999, 1} {
		f := c.Features(nil, []float64{x})
		for k, v := range f {
			if want := math.Cos(float64(k) * math.Acos(x)); math.Abs(v-want) > valueTol {
				t.Errorf("T_%d(%v) = %v, want %v", k, x, v, want)
			}
		}
		if x == -1 || x == 1 {
			// T_k′(±1) = (±1)^{k+1} k² (T_n′(1) = n²; T_n has the parity of n).
			d := c.FeatureGradient(nil, []float64{x})
			for k, v := range d {
				want := float64(k * k)
				if x < 0 && k%2 == 0 {
					want = -want
				}
				if math.Abs(v-want) > valueTol*(1+math.Abs(want)) {
					t.Errorf("T_%d′(%v) = %v, want %v", k, x, v, want)
				}
			}
			continue
		}
		d := c.FeatureGradient(nil, []float64{x})
		for k := range d {
			want := fd.Derivative(func(s float64) float64 {
				return c.Features(nil, []float64{s})[k]
			}, x, &fd.Settings{Formula: fd.Central, Step: 1e-6})
			if math.Abs(d[k]-want) > derivTol*math.Max(1, math.Abs(want)) {
				t.Errorf("T_%d′(%v) = %v, finite difference %v", k, x, d[k], want)
			}
		}
	}
}

func TestRulesLinearMap(t *testing.T) {
	// The fit of labels y = F_Xθ equals x ↦ g(x)ᵀMθ (linearity), and
	// f(x)ᵀPθ when g is the leading block of f.
	const tol = 1e-10
	rnd := rand.New(rand.NewPCG(1, 1))
	x := column(linspace(-1, 1, 15))
	class := chebMap{12}
	for _, tc := range []struct {
		name string
		rule LinearRule
	}{
		{"least squares d=6", LeastSquares{Map: chebMap{6}}},
		{"least squares d=14 (underdetermined)", LeastSquares{Map: chebMap{14}}},
		{"ridge d=8", Ridge{Map: chebMap{8}}},
		{"ridge d=20 λ=1e-6", Ridge{Map: chebMap{20}, RelLambda: 1e-6}},
	} {
		fit, err := tc.rule.LinearMap(class, x)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		theta := make([]float64, 13)
		for k := range theta {
			theta[k] = rnd.NormFloat64()
		}
		y := make([]float64, 15)
		h := &LinearHypothesis{Map: class, Coef: theta}
		for i := range y {
			y[i] = h.Value(x.RawRowView(i))
		}
		hat, err := tc.rule.Fit(x, y)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		beta := mat.NewVecDense(fit.M.RawMatrix().Rows, nil)
		beta.MulVec(fit.M, mat.NewVecDense(13, theta))
		viaM := &LinearHypothesis{Map: fit.Model, Coef: beta.RawVector().Data}
		var viaP *LinearHypothesis
		if q, _ := fit.M.Dims(); q <= 13 {
			p, err := fit.P(nil)
			if err != nil {
				t.Fatal(err)
			}
			tp := mat.NewVecDense(13, nil)
			tp.MulVec(p, mat.NewVecDense(13, theta))
			viaP = &LinearHypothesis{Map: class, Coef: tp.RawVector().Data}
		}
		for _, s := range linspace(-1, 1, 41) {
			pt := []float64{s}
			want := hat.Value(pt)
			if got := viaM.Value(pt); math.Abs(got-want) > tol {
				t.Errorf("%s: g(%v)ᵀMθ = %v, fit %v", tc.name, s, got, want)
			}
			if viaP != nil {
				if got := viaP.Value(pt); math.Abs(got-want) > tol {
					t.Errorf("%s: f(%v)ᵀPθ = %v, fit %v", tc.name, s, got, want)
				}
			}
		}
	}
}

func TestLeastSquaresInterpolates(t *testing.T) {
	// Degree n−1 on n distinct points interpolates: a polynomial of that
	// degree is recovered exactly (to rounding).
	const tol = 1e-12
	for _, n := range []int{2, 5, 17} {
		x := lobatto(n - 1)
		coef := make([]float64, n)
		for k := range coef {
			coef[k] = 1 / float64(k+1)
		}
		h := &LinearHypothesis{Map: chebMap{n - 1}, Coef: coef}
		y := make([]float64, n)
		for i, s := range x {
			y[i] = h.Value([]float64{s})
		}
		fit, err := LeastSquares{Map: chebMap{n - 1}}.Fit(column(x), y)
		if err != nil {
			t.Fatal(err)
		}
		got := fit.(*LinearHypothesis).Coef
		if !floats.EqualApprox(got, coef, tol) {
			t.Errorf("n=%d: coefficients %v, want %v", n, got, coef)
		}
	}
}

// closedCase is a linear-Gaussian class and rule with its closed forms.
type closedCase struct {
	name string
	dist *Gaussian
	rule LinearRule
	x    *mat.Dense // training points
	pts  *mat.Dense // evaluation points
}

func closedCases(t *testing.T) []closedCase {
	t.Helper()
	fullCov := mat.NewSymDense(9, nil)
	rnd := rand.New(rand.NewPCG(7, 7))
	a := mat.NewDense(9, 9, nil)
	for i := range 9 {
		for j := range 9 {
			a.Set(i, j, rnd.NormFloat64()*math.Pow(0.7, float64(i)))
		}
	}
	fullCov.SymOuterK(0.2, a)
	full, err := NewGaussian(chebMap{8}, fullCov)
	if err != nil {
		t.Fatal(err)
	}
	fig, _, err := fig4(4, 201)
	if err != nil {
		t.Fatal(err)
	}
	grid2 := mat.NewDense(9, 2, nil)
	for i, s := range []float64{-1, 0, 1} {
		for j, u := range []float64{-1, 0, 1} {
			grid2.SetRow(3*i+j, []float64{s, u})
		}
	}
	return []closedCase{
		{
			name: "chebyshev D=10, least squares d=5 on 12 points",
			dist: mustDiag(t, chebMap{10}, geometric(0.7, 10)),
			rule: LeastSquares{Map: chebMap{5}},
			x:    column(linspace(-1, 1, 12)),
			pts:  column([]float64{-1, -0.62, -0.1, 0.33, 0.9}),
		},
		{
			name: "fig4 class d=4, least squares on 201 points",
			dist: fig,
			rule: LeastSquares{Map: chebMap{4}},
			x:    column(linspace(-1, 1, 201)),
			pts:  column([]float64{-0.95, -0.4, 0.05, 0.7}),
		},
		{
			name: "full covariance, ridge on the class's own map, 6 points",
			dist: full,
			rule: Ridge{Map: chebMap{8}, RelLambda: 1e-8},
			x:    column(lobatto(5)),
			pts:  column([]float64{-0.8, -0.3, 0.2, 0.55}),
		},
		{
			name: "2-D tensor class deg 3, least squares on deg 1 tensor",
			dist: mustDiag(t, tensorMap{3}, geometric(0.8, 15)),
			rule: LeastSquares{Map: tensorMap{1}},
			x:    grid2,
			pts:  mat.NewDense(3, 2, []float64{0.5, -0.5, -0.2, 0.9, 0.7, 0.1}),
		},
	}
}

func TestClosedFormMatchesMonteCarlo(t *testing.T) {
	// Closed forms against Monte Carlo over the same class and rule: within
	// k = 4 standard errors. For 2-D inputs E‖∇e‖ ≤ √(E‖∇e‖²) (Jensen).
	const k = 4.0
	samples := 4000
	if testing.Short() {
		samples = 1000
	}
	for ci, tc := range closedCases(t) {
		class := tc.dist.Map()
		if tc.name == "full covariance, ridge on the class's own map, 6 points" {
			class = nil // g = f: M is P
		}
		fit, err := tc.rule.LinearMap(class, tc.x)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		lg, err := NewLinearGaussian(fit, tc.dist)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		mc := MonteCarlo{Dist: tc.dist, Rule: tc.rule, Samples: samples}
		seed := uint64(ci + 1)
		hard, hardSE, err := mc.Hard(nil, nil, tc.x, tc.pts, rand.New(rand.NewPCG(seed, seed)))
		if err != nil {
			t.Fatal(err)
		}
		m2, m2SE, err := mc.GradSecondMoment(nil, nil, tc.x, tc.pts, rand.New(rand.NewPCG(seed, 2)))
		if err != nil {
			t.Fatal(err)
		}
		m1, m1SE, err := mc.GradNorm(nil, nil, tc.x, tc.pts, rand.New(rand.NewPCG(seed, 3)))
		if err != nil {
			t.Fatal(err)
		}
		batch, err := lg.ValueAt(nil, tc.pts)
		if err != nil {
			t.Fatal(err)
		}
		for i := range hard {
			p := tc.pts.RawRowView(i)
			if got := lg.Value(p); math.Abs(got-hard[i]) > k*hardSE[i] {
				t.Errorf("%s: J_H(%v) = %v, Monte Carlo %v ± %v", tc.name, p, got, hard[i], hardSE[i])
			}
			if v := lg.Value(p); math.Abs(batch[i]-v) > 1e-12*v {
				t.Errorf("%s: ValueAt differs from Value at %v", tc.name, p)
			}
			if got := lg.GradSecondMoment(p); math.Abs(got-m2[i]) > k*m2SE[i] {
				t.Errorf("%s: E‖∇e(%v)‖² = %v, Monte Carlo %v ± %v", tc.name, p, got, m2[i], m2SE[i])
			}
			if tr := mat.Trace(lg.GradCov(nil, p)); math.Abs(tr-lg.GradSecondMoment(p)) > 1e-12*tr {
				t.Errorf("%s: tr GradCov = %v, GradSecondMoment %v", tc.name, tr, lg.GradSecondMoment(p))
			}
			if lg.InputDim() == 1 {
				got, err := lg.MeanGradNorm(p)
				if err != nil {
					t.Fatal(err)
				}
				if math.Abs(got-m1[i]) > k*m1SE[i] {
					t.Errorf("%s: E‖∇e(%v)‖ = %v, Monte Carlo %v ± %v", tc.name, p, got, m1[i], m1SE[i])
				}
			} else if bound := lg.GradNormBound(p); bound < m1[i]-k*m1SE[i] {
				t.Errorf("%s: bound √E‖∇e(%v)‖² = %v below Monte Carlo E‖∇e‖ = %v ± %v", tc.name, p, bound, m1[i], m1SE[i])
			}
		}
	}
}

func TestGradientsFiniteDifference(t *testing.T) {
	// Hand-written gradients against central differences (gonum
	// optimize/functions/validate.go practice).
	const tol = 1e-6
	settings := &fd.Settings{Formula: fd.Central, Step: 1e-6}
	rnd := rand.New(rand.NewPCG(3, 3))
	for _, tc := range closedCases(t) {
		fit, err := tc.rule.LinearMap(tc.dist.Map(), tc.x)
		if err != nil {
			t.Fatal(err)
		}
		lg, err := NewLinearGaussian(fit, tc.dist)
		if err != nil {
			t.Fatal(err)
		}
		adv, err := NewAdversarial(tc.dist.Sample(rnd), tc.rule, nil, tc.x)
		if err != nil {
			t.Fatal(err)
		}
		h := tc.dist.Sample(rnd).(*LinearHypothesis)
		for i := range tc.pts.RawMatrix().Rows {
			p := tc.pts.RawRowView(i)
			for _, o := range []struct {
				name string
				f    func([]float64) float64
				g    func(dst, x []float64) []float64
			}{
				{"∇J_H", lg.Value, lg.Gradient},
				{"∇J_h", adv.Value, adv.Gradient},
				{"∇h", h.Value, h.Gradient},
			} {
				want := fd.Gradient(nil, o.f, p, settings)
				got := o.g(nil, p)
				scale := math.Max(1, floats.Norm(want, math.Inf(1)))
				if !floats.EqualApprox(got, want, tol*scale) {
					t.Errorf("%s: %s(%v) = %v, finite difference %v", tc.name, o.name, p, got, want)
				}
			}
		}
	}
}

func TestVanishAtTrainingPoints(t *testing.T) {
	// Interpolating rules reproduce the labels, so e(x_i) = 0 for every h:
	// J_H and J_h vanish at the training points (to rounding; here
	// below relTol of their maximum on a dense grid).
	const relTol = 1e-20
	rnd := rand.New(rand.NewPCG(5, 5))
	dense := column(linspace(-1, 1, 2001))
	for _, tc := range []struct {
		name string
		dist *Gaussian
		rule LinearRule
		x    []float64
		tol  float64
	}{
		{"interpolation degree 9 at 10 Lobatto points", mustDiag(t, chebMap{20}, geometric(0.8, 20)), LeastSquares{Map: chebMap{9}}, lobatto(9), relTol},
		{"interpolation degree 11 at 12 equispaced points", mustDiag(t, chebMap{30}, geometric(0.9, 30)), LeastSquares{Map: chebMap{11}}, linspace(-1, 1, 12), relTol},
		// Ridge with λ = 1e-10·tr(AᵀA) nearly interpolates: fig5's
		// check is below 1e-3 of the maximum.
		{"ridge on 40 features at 12 points", mustDiag(t, chebMap{39}, geometric(0.95, 39)), Ridge{Map: chebMap{39}}, lobatto(11), 1e-3},
	} {
		x := column(tc.x)
		fit, err := tc.rule.LinearMap(tc.dist.Map(), x)
		if err != nil {
			t.Fatal(err)
		}
		lg, err := NewLinearGaussian(fit, tc.dist)
		if err != nil {
			t.Fatal(err)
		}
		adv, err := NewAdversarial(tc.dist.Sample(rnd), tc.rule, nil, x)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range []struct {
			name string
			obj  Objective
		}{{"J_H", lg}, {"J_h", adv}} {
			var maxJ float64
			for i := range 2001 {
				maxJ = math.Max(maxJ, o.obj.Value(dense.RawRowView(i)))
			}
			if maxJ <= 0 {
				t.Fatalf("%s: %s is 0 everywhere", tc.name, o.name)
			}
			for _, s := range tc.x {
				if v := o.obj.Value([]float64{s}); v > tc.tol*maxJ {
					t.Errorf("%s: %s(%v) = %v, above %v·max %v", tc.name, o.name, s, v, tc.tol, maxJ)
				}
			}
		}
	}
}

func TestClassInsideModelSpan(t *testing.T) {
	// A class of degree 5 fitted by least squares of degree 8 on 30 points
	// is learned exactly: M = [I; 0], so J_H ≡ 0 and E‖∇e‖² ≡ 0.
	const tol = 1e-24
	dist := mustDiag(t, chebMap{5}, geometric(1, 5))
	fit, err := LeastSquares{Map: chebMap{8}}.LinearMap(dist.Map(), column(linspace(-1, 1, 30)))
	if err != nil {
		t.Fatal(err)
	}
	lg, err := NewLinearGaussian(fit, dist)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range linspace(-1, 1, 101) {
		p := []float64{s}
		if v := lg.Value(p); v > tol {
			t.Errorf("J_H(%v) = %v, want 0", s, v)
		}
		if v := lg.GradSecondMoment(p); v > tol {
			t.Errorf("E‖∇e(%v)‖² = %v, want 0", s, v)
		}
	}
}

func TestFig4HardMaxima(t *testing.T) {
	// fig4's check: J_H has d+2 local maxima (endpoints included),
	// each within 0.03 of its Chebyshev–Lobatto point of degree d+1.
	const tol = 0.03
	for _, d := range []int{8, 16} {
		dist, fit, err := fig4(d, 2001)
		if err != nil {
			t.Fatal(err)
		}
		lg, err := NewLinearGaussian(fit, dist)
		if err != nil {
			t.Fatal(err)
		}
		mx, err := GridSearch{}.Maxima(Func1D(lg), -1, 1)
		if err != nil {
			t.Fatal(err)
		}
		lob := lobatto(d + 1)
		if len(mx) != len(lob) {
			t.Fatalf("d=%d: %d local maxima %v, want %d", d, len(mx), mx, len(lob))
		}
		for i := range mx {
			if math.Abs(mx[i]-lob[i]) > tol {
				t.Errorf("d=%d: maximum %d at %v, Lobatto point %v", d, i, mx[i], lob[i])
			}
		}
	}
}

func TestFig4Optimal(t *testing.T) {
	// On fig4's class g = E‖∇e‖ has exactly d interior local
	// minima, within 0.022 (d=8) and 0.012 (d=16) of the interior Lobatto
	// points of degree d+1; with the boundary they are the eq. 1 solution.
	for _, tc := range []struct {
		d   int
		tol float64
	}{{8, 0.022}, {16, 0.012}} {
		dist, fit, err := fig4(tc.d, 2001)
		if err != nil {
			t.Fatal(err)
		}
		lg, err := NewLinearGaussian(fit, dist)
		if err != nil {
			t.Fatal(err)
		}
		g := func(s float64) float64 {
			v, err := lg.MeanGradNorm([]float64{s})
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		opt, err := Optimal(g, -1, 1, GridSearch{})
		if err != nil {
			t.Fatal(err)
		}
		lob := lobatto(tc.d + 1)
		if len(opt) != tc.d+2 {
			t.Fatalf("d=%d: %d optimal points %v, want d+2 = %d", tc.d, len(opt), opt, tc.d+2)
		}
		for i := range opt {
			if math.Abs(opt[i]-lob[i]) > tc.tol {
				t.Errorf("d=%d: optimal point %d at %v, Lobatto point %v", tc.d, i, opt[i], lob[i])
			}
		}
	}
}

func TestLiteralDegenerate(t *testing.T) {
	// Eq. 1 read literally (fig4 class d=8, 10 points, least squares of
	// degree 8 on X itself). On the Lobatto grid the closed form must agree
	// with Monte Carlo (sd of a sum ≤ sum of sds, so 4·Σse bounds it);
	// an independent numpy computation gives about 205 there. Nelder–Mead
	// must then find a set far below it (numpy: about 5) in which nodes
	// (nearly) coincide.
	const (
		k        = 4.0
		gapTol   = 1e-3
		ratioMax = 0.1
	)
	dist, _, err := fig4(8, 2)
	if err != nil {
		t.Fatal(err)
	}
	rule := LeastSquares{Map: chebMap{8}}
	lit := Literal{Refit: Refit{Dist: dist, Rule: func(int) (LinearRule, error) { return rule, nil }}}
	lob := lobatto(9)
	v0, err := lit.Value(lob)
	if err != nil {
		t.Fatal(err)
	}
	mc := MonteCarlo{Dist: dist, Rule: rule, Samples: 4000}
	m1, se, err := mc.GradNorm(nil, nil, column(lob), column(lob), rand.New(rand.NewPCG(11, 11)))
	if err != nil {
		t.Fatal(err)
	}
	if sum, sumSE := floats.Sum(m1), floats.Sum(se); math.Abs(v0-sum) > k*sumSE {
		t.Errorf("literal objective on Lobatto grid %v, Monte Carlo %v ± %v", v0, sum, sumSE)
	}
	if testing.Short() {
		t.Skip("Nelder–Mead search skipped in short mode")
	}
	x, v, err := lit.Minimize(lob)
	if err != nil {
		t.Fatal(err)
	}
	if v > ratioMax*v0 {
		t.Errorf("literal optimum %v (at %v), want below %v·%v", v, x, ratioMax, v0)
	}
	if x[0] != -1 || x[len(x)-1] != 1 || len(x) != 10 {
		t.Errorf("literal optimum %v: boundary not kept or size changed", x)
	}
	gap := math.Inf(1)
	for i := 1; i < len(x); i++ {
		gap = math.Min(gap, x[i]-x[i-1])
	}
	if gap > gapTol {
		t.Errorf("literal optimum %v has smallest gap %v; expected coalescing nodes", x, gap)
	}
	if got, err := lit.Value(x); err != nil || got != v {
		t.Errorf("Value(optimum) = %v, %v; Minimize reported %v", got, err, v)
	}
}

func TestGreedy(t *testing.T) {
	// Greedy growth from {−1, 1} with interpolation of degree |X|−1 and a
	// class with variance ρ^{2k} at every degree (ρ = 0.3).
	// Each new point is the global maximiser of J_H(·; X) (checked on an
	// independent grid). The first point: J(x) − J(0) ≤
	// −4ρ⁴(2x² − x⁴) + 4ρ⁶/(1 − ρ²) (the T_2 term is 4ρ⁴(1 − x²)², every
	// other term lies in [0, 4ρ^{2k}]), so |x₁| < 0.23.
	const (
		rho      = 0.3
		firstTol = 0.23
		maxTol   = 1e-12
	)
	dist := mustDiag(t, chebMap{25}, geometric(rho, 25))
	refit := Refit{Dist: dist, Rule: func(m int) (LinearRule, error) { return LeastSquares{Map: chebMap{m - 1}}, nil }}
	const m = 9
	x, err := Greedy(refit.Hard, -1, 1, m, GridSearch{})
	if err != nil {
		t.Fatal(err)
	}
	if len(x) != m || x[0] != -1 || x[1] != 1 {
		t.Fatalf("greedy set %v: want %d points starting at −1, 1", x, m)
	}
	if math.Abs(x[2]) > firstTol {
		t.Errorf("first greedy point %v, want |x| < %v", x[2], firstTol)
	}
	check := linspace(-1, 1, 7919)
	for i := 2; i < m; i++ {
		obj, err := refit.Hard(x[:i])
		if err != nil {
			t.Fatal(err)
		}
		j := Func1D(obj)
		best := j(x[i])
		for _, s := range check {
			if v := j(s); v > best*(1+maxTol) {
				t.Errorf("step %d: J(%v) = %v exceeds J at the chosen %v = %v", i, s, v, x[i], best)
				break
			}
		}
		for _, s := range x[:i] {
			if s == x[i] {
				t.Errorf("step %d: point %v repeated", i, s)
			}
		}
	}
}

func TestGridSearch(t *testing.T) {
	// cos(5πx) on [−1, 1]: maxima at 2k/5, minima at (2k+1)/5 and the
	// endpoints ±1 (cos(±5π) = −1); x³ − x on [−2, 2]: maximum at −1/√3
	// and endpoint 2, minima at endpoint −2 and 1/√3.
	const tol = 1e-7 // golden section locates a smooth extremum to ~√ε
	for _, tc := range []struct {
		name         string
		f            func(float64) float64
		a, b         float64
		maxima, mins []float64
	}{
		{"cos(5πx)", func(x float64) float64 { return math.Cos(5 * math.Pi * x) }, -1, 1,
			[]float64{-0.8, -0.4, 0, 0.4, 0.8}, []float64{-1, -0.6, -0.2, 0.2, 0.6, 1}},
		{"x³ − x", func(x float64) float64 { return x*x*x - x }, -2, 2,
			[]float64{-1 / math.Sqrt(3), 2}, []float64{-2, 1 / math.Sqrt(3)}},
	} {
		for _, pts := range []int{0, 101} {
			s := GridSearch{Points: pts}
			mx, err := s.Maxima(tc.f, tc.a, tc.b)
			if err != nil {
				t.Fatal(err)
			}
			mn, err := s.Minima(tc.f, tc.a, tc.b)
			if err != nil {
				t.Fatal(err)
			}
			if !floats.EqualApprox(mx, tc.maxima, tol) || len(mx) != len(tc.maxima) {
				t.Errorf("%s (Points=%d): maxima %v, want %v", tc.name, pts, mx, tc.maxima)
			}
			if !floats.EqualApprox(mn, tc.mins, tol) || len(mn) != len(tc.mins) {
				t.Errorf("%s (Points=%d): minima %v, want %v", tc.name, pts, mn, tc.mins)
			}
		}
	}
}

func TestAscent(t *testing.T) {
	// Projected ascent from near each local maximum of a 1-D J_H converges
	// to the maximum found by GridSearch; endpoint maxima are reached
	// exactly by projection. In 2-D, J never decreases.
	const tol = 1e-6
	dist := mustDiag(t, chebMap{20}, geometric(0.8, 20))
	x := column(linspace(-1, 1, 8))
	fit, err := LeastSquares{Map: chebMap{7}}.LinearMap(dist.Map(), x)
	if err != nil {
		t.Fatal(err)
	}
	lg, err := NewLinearGaussian(fit, dist)
	if err != nil {
		t.Fatal(err)
	}
	mx, err := GridSearch{}.Maxima(Func1D(lg), -1, 1)
	if err != nil {
		t.Fatal(err)
	}
	start := make([]float64, len(mx))
	for i, s := range mx {
		// 0.01 is well inside each interval between the 8 training points.
		start[i] = math.Max(-1, math.Min(1, s+0.01*float64(1-2*(i%2))))
	}
	got, err := Ascent{Step: 0.01}.Run(nil, lg, column(start))
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range mx {
		if math.Abs(got.At(i, 0)-s) > tol {
			t.Errorf("ascent from %v reached %v, local maximum %v", start[i], got.At(i, 0), s)
		}
	}

	dist2 := mustDiag(t, tensorMap{4}, geometric(0.8, 24))
	grid := mat.NewDense(4, 2, []float64{-1, -1, -1, 1, 1, -1, 1, 1})
	fit2, err := LeastSquares{Map: tensorMap{1}}.LinearMap(dist2.Map(), grid)
	if err != nil {
		t.Fatal(err)
	}
	lg2, err := NewLinearGaussian(fit2, dist2)
	if err != nil {
		t.Fatal(err)
	}
	start2 := mat.NewDense(3, 2, []float64{0.1, 0.2, -0.5, 0.7, 0.9, -0.9})
	got2, err := Ascent{}.Run(nil, lg2, start2)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		before, after := lg2.Value(start2.RawRowView(i)), lg2.Value(got2.RawRowView(i))
		if after < before {
			t.Errorf("2-D ascent from %v lowered J_H from %v to %v", start2.RawRowView(i), before, after)
		}
		for _, v := range got2.RawRowView(i) {
			if v < -1 || v > 1 {
				t.Errorf("2-D ascent left the box: %v", got2.RawRowView(i))
			}
		}
	}
}

func TestGaussianSample(t *testing.T) {
	// The sample covariance of θ ~ N(0, Σ) matches Σ: each entry within
	// k = 5 standard errors, se(Ŝ_ij) = √((Σ_ii Σ_jj + Σ_ij²)/n).
	const (
		k = 5.0
		n = 20000
	)
	cov := mat.NewSymDense(3, []float64{2, 0.5, 0, 0.5, 1, -0.3, 0, -0.3, 0.5})
	g, err := NewGaussian(chebMap{2}, cov)
	if err != nil {
		t.Fatal(err)
	}
	rnd := rand.New(rand.NewPCG(9, 9))
	var s [3][3]float64
	for range n {
		th := g.SampleCoef(nil, rnd)
		for i := range 3 {
			for j := range 3 {
				s[i][j] += th[i] * th[j] / n
			}
		}
	}
	for i := range 3 {
		for j := range 3 {
			se := math.Sqrt((cov.At(i, i)*cov.At(j, j) + cov.At(i, j)*cov.At(i, j)) / n)
			if math.Abs(s[i][j]-cov.At(i, j)) > k*se {
				t.Errorf("sample cov[%d][%d] = %v, want %v ± %v", i, j, s[i][j], cov.At(i, j), se)
			}
		}
	}
}

func TestErrors(t *testing.T) {
	// Every boundary a notebook can reach returns an error naming the
	// parameter.
	cheb := chebMap{4}
	okDist := mustDiag(t, cheb, geometric(0.5, 4))
	x := column(linspace(-1, 1, 6))
	nonPSD := mat.NewSymDense(5, nil)
	for i := range 5 {
		nonPSD.SetSym(i, i, 1)
	}
	nonPSD.SetSym(0, 1, 3)
	ls := LeastSquares{Map: cheb}
	okFit, err := ls.LinearMap(cheb, x)
	if err != nil {
		t.Fatal(err)
	}
	lg2D, err := NewLinearGaussian(&LinearFit{Class: tensorMap{1}, M: mat.NewDense(4, 4, nil)}, mustDiag(t, tensorMap{1}, []float64{1, 1, 1, 1}))
	if err != nil {
		t.Fatal(err)
	}
	refit := Refit{Dist: okDist, Rule: func(int) (LinearRule, error) { return ls, nil }}
	errOf := func(_ any, err error) error { return err }
	errOf3 := func(_, _ any, err error) error { return err }
	for _, tc := range []struct {
		name, want string
		err        error
	}{
		{"nil map", "nil", errOf(NewGaussianDiag(nil, []float64{1}))},
		{"negative variance", "variances[2] = -1", errOf(NewGaussianDiag(cheb, []float64{1, 1, -1, 1, 1}))},
		{"NaN variance", "variances[0] = NaN", errOf(NewGaussianDiag(cheb, []float64{math.NaN(), 1, 1, 1, 1}))},
		{"zero variances", "all 5 variances are 0", errOf(NewGaussianDiag(cheb, make([]float64, 5)))},
		{"variance length", "len(variances) = 3", errOf(NewGaussianDiag(cheb, []float64{1, 1, 1}))},
		{"non-PSD covariance", "eigenvalue", errOf(NewGaussian(cheb, nonPSD))},
		{"covariance dims", "3×3", errOf(NewGaussian(cheb, mat.NewSymDense(3, nil)))},
		{"empty X", "empty", errOf(ls.Fit(&mat.Dense{}, nil))},
		{"NaN in X", "NaN", errOf(ls.Fit(column([]float64{0, math.NaN()}), []float64{0, 0}))},
		{"X columns", "2 columns", errOf(ls.Fit(mat.NewDense(2, 2, nil), []float64{0, 0}))},
		{"label length", "len(y) = 1", errOf(ls.Fit(x, []float64{1}))},
		{"NaN label", "y[0] = NaN", errOf(ls.Fit(column([]float64{0}), []float64{math.NaN()}))},
		{"negative ridge", "RelLambda = -1", errOf(Ridge{Map: cheb, RelLambda: -1}.Fit(x, make([]float64, 6)))},
		{"class input dim", "input dimension", errOf(ls.LinearMap(tensorMap{1}, x))},
		{"fit/dist mismatch", "Dims() = (2, 4)", errOf(NewLinearGaussian(okFit, mustDiag(t, tensorMap{1}, []float64{1, 1, 1, 1})))},
		{"M shape", "LinearFit.M is 5×5; want 6×5", errOf(NewLinearGaussian(&LinearFit{Class: cheb, Model: chebMap{5}, M: mat.NewDense(5, 5, nil)}, okDist))},
		{"MeanGradNorm 2-D", "only for 1-D", errOf(lg2D.MeanGradNorm([]float64{0, 0}))},
		{"ValueAt NaN", "pts[1][0] = NaN", errOf(lg2D.ValueAt(nil, mat.NewDense(2, 2, []float64{0, 0, math.NaN(), 0})))},
		{"MC samples", "Samples = 1", errOf3(MonteCarlo{Dist: okDist, Rule: ls, Samples: 1}.Hard(nil, nil, x, x, nil))},
		{"MC nil dist", "non-nil Dist", errOf3(MonteCarlo{Rule: ls}.Hard(nil, nil, x, x, nil))},
		{"MC workers", "Workers = -1", errOf3(MonteCarlo{Dist: okDist, Rule: ls, Workers: -1}.Hard(nil, nil, x, x, nil))},
		{"MC no gradient", "no gradient", errOf3(MonteCarlo{Dist: mustDiag(t, plainMap{cheb}, geometric(0.5, 4)), Rule: ls}.GradNorm(nil, nil, x, x, nil))},
		{"grid points", "Points = 2", errOf(GridSearch{Points: 2}.Maxima(math.Sin, -1, 1))},
		{"grid NaN", "NaN", errOf(GridSearch{}.Maxima(math.Log, -1, 1))},
		{"interval", "domain [1, -1]", errOf(GridSearch{}.Minima(math.Sin, 1, -1))},
		{"greedy m", "m = 1", errOf(Greedy(refit.Hard, -1, 1, 1, GridSearch{}))},
		{"refit empty", "empty", errOf(refit.On(nil))},
		{"literal outside", "X[1] = 1.5 is outside the domain [-1, 1]", errOf(Literal{Refit: refit}.Value([]float64{0, 1.5}))},
		{"literal NaN", "X[0] = NaN", errOf(Literal{Refit: refit}.Value([]float64{math.NaN()}))},
		{"literal empty", "empty", errOf3(Literal{Refit: refit}.Minimize(nil))},
		{"ascent outside", "outside [-1, 1]", errOf(Ascent{}.Run(nil, lg2D, mat.NewDense(1, 2, []float64{0, 2})))},
		{"ascent box", "len(Min) = 1", errOf(Ascent{Min: []float64{-1}, Max: []float64{1}}.Run(nil, lg2D, mat.NewDense(1, 2, nil)))},
		{"adversarial NaN label", "h(X[0]) = NaN", errOf(NewAdversarial(hypFunc(func(x []float64) float64 { return math.Sqrt(x[0]) }), ls, nil, column([]float64{-1})))},
	} {
		if tc.err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		if !strings.Contains(tc.err.Error(), tc.want) {
			t.Errorf("%s: error %q does not mention %q", tc.name, tc.err, tc.want)
		}
	}
}

// Prepare factors the training points once; every fit from it must be the
// Fit of the same labels to the last bit, also when goroutines call it at
// once (the ridge solve's LAPACK routine writes to the factorisation while it
// works).
func TestPrepareSameBits(t *testing.T) {
	x := column(linspace(-1, 1, 15))
	rnd := rand.New(rand.NewPCG(2, 2))
	ys := make([][]float64, 8)
	for k := range ys {
		ys[k] = make([]float64, 15)
		for i := range ys[k] {
			ys[k][i] = rnd.NormFloat64()
		}
	}
	for _, tc := range []struct {
		name string
		rule Preparer
	}{
		{"least squares d=6", LeastSquares{Map: chebMap{6}}},
		{"least squares d=14 (interpolates)", LeastSquares{Map: chebMap{14}}},
		{"least squares d=20 (underdetermined)", LeastSquares{Map: chebMap{20}}},
		{"ridge d=8", Ridge{Map: chebMap{8}}},
		{"ridge d=20 λ=1e-6", Ridge{Map: chebMap{20}, RelLambda: 1e-6}},
	} {
		fit, err := tc.rule.Prepare(x)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		var wg sync.WaitGroup
		got := make([][]Hypothesis, 4)
		errs := make([]error, 4)
		for g := range got {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for _, y := range ys {
					h, err := fit(y)
					if err != nil {
						errs[g] = err
						return
					}
					got[g] = append(got[g], h)
				}
			}()
		}
		wg.Wait()
		for g, err := range errs {
			if err != nil {
				t.Fatalf("%s: goroutine %d: %v", tc.name, g, err)
			}
		}
		for k, y := range ys {
			want, err := tc.rule.Fit(x, y)
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			wc := want.(*LinearHypothesis).Coef
			for g := range got {
				gc := got[g][k].(*LinearHypothesis).Coef
				for j := range wc {
					if math.Float64bits(gc[j]) != math.Float64bits(wc[j]) {
						t.Fatalf("%s: labels %d, goroutine %d: coefficient %d is %v; Fit gives %v", tc.name, k, g, j, gc[j], wc[j])
					}
				}
			}
		}
		if _, err := fit(ys[0][:14]); err == nil || !strings.Contains(err.Error(), "len(y) = 14") {
			t.Errorf("%s: fit with 14 labels for 15 points: err = %v; want one naming len(y) = 14", tc.name, err)
		}
	}
	bad := column([]float64{0, math.NaN()})
	if _, err := (LeastSquares{Map: chebMap{1}}).Prepare(bad); err == nil || !strings.Contains(err.Error(), "NaN") {
		t.Errorf("Prepare on a NaN point: err = %v; want one naming the NaN", err)
	}
}

// fitOnly hides a rule's Prepare, so MonteCarlo must call Fit for each draw.
type fitOnly struct{ Rule }

// MonteCarlo factors the training points once when its rule is a Preparer;
// the estimate must be the one that fits every draw from scratch.
func TestMonteCarloPreparedSameBits(t *testing.T) {
	dist, _, err := fig4(3, 41)
	if err != nil {
		t.Fatal(err)
	}
	x, pts := column(linspace(-1, 1, 41)), column([]float64{-1, -0.3, 0.37, 0.9})
	for _, rule := range []Rule{LeastSquares{Map: chebMap{3}}, Ridge{Map: chebMap{5}}} {
		est := func(r Rule) [][]float64 {
			return estimates(t, MonteCarlo{Dist: dist, Rule: r, Samples: 300}, x, pts, 9)
		}
		prepared, scratch := est(rule), est(fitOnly{rule})
		for k := range prepared {
			for i := range prepared[k] {
				if math.Float64bits(prepared[k][i]) != math.Float64bits(scratch[k][i]) {
					t.Errorf("%T: estimate %d at point %d is %v prepared, %v fitted from scratch", rule, k, i, prepared[k][i], scratch[k][i])
				}
			}
		}
	}
}

// ValueAt's blocks of 512 points are the same on any number of goroutines,
// so are the values; 1300 points make three blocks, the last one short.
func TestValueAtWorkersSameBits(t *testing.T) {
	dist, fit, err := fig4(12, 15)
	if err != nil {
		t.Fatal(err)
	}
	lg, err := NewLinearGaussian(fit, dist)
	if err != nil {
		t.Fatal(err)
	}
	pts := column(linspace(-1, 1, 1300))
	lg.Workers = 1
	serial, err := lg.ValueAt(nil, pts)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []int{2, 3, 0} {
		lg.Workers = w
		got, err := lg.ValueAt(nil, pts)
		if err != nil {
			t.Fatal(err)
		}
		for i := range got {
			if math.Float64bits(got[i]) != math.Float64bits(serial[i]) {
				t.Fatalf("Workers = %d: J_H at point %d is %v; with one worker %v", w, i, got[i], serial[i])
			}
			if v := lg.Value(pts.RawRowView(i)); math.Abs(v-got[i]) > 1e-12*math.Max(1, math.Abs(v)) {
				t.Fatalf("Workers = %d: ValueAt at point %d is %v; Value gives %v", w, i, got[i], v)
			}
		}
	}
}
