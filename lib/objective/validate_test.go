package objective

import (
	"math"
	"math/rand/v2"
	"pointwise/lib/internal/validatetest"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestValidate walks the package's exported entry points through bad
// values: each must return an error (never panic) whose message names the
// parameter, the bad value and the allowed range.
func TestValidate(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	f := chebMap{deg: 3}
	g := func(x float64) float64 { return x * x }
	dist, err := NewGaussianDiag(f, []float64{1, 0.5, 0.25, 0.125})
	if err != nil {
		t.Fatal(err)
	}
	x := mat.NewDense(4, 1, []float64{-0.9, -0.3, 0.3, 0.9})
	xNaN := mat.NewDense(2, 1, []float64{0, nan})
	fit, err := LeastSquares{Map: f}.LinearMap(f, x)
	if err != nil {
		t.Fatal(err)
	}
	lg, err := NewLinearGaussian(fit, dist)
	if err != nil {
		t.Fatal(err)
	}
	refit := Refit{Dist: dist, Rule: func(int) (LinearRule, error) { return LeastSquares{Map: chebMap{deg: 1}}, nil }}
	rnd := rand.New(rand.NewPCG(1, 1))
	cases := []validatetest.Case{
		{"GridSearch Points=2", func() error { _, err := GridSearch{Points: 2}.Maxima(g, -1, 1); return err }, []string{"GridSearch.Points = 2", "≥ 3"}},
		{"GridSearch Points<0", func() error { _, err := GridSearch{Points: -7}.Minima(g, -1, 1); return err }, []string{"GridSearch.Points = -7", "≥ 3"}},
		{"GridSearch Points huge", func() error { _, _, err := GridSearch{Points: 1 << 40}.Argmax(g, -1, 1); return err }, []string{"GridSearch.Points = 1099511627776", "≤ 16777216"}},
		{"GridSearch Tol NaN", func() error { _, err := GridSearch{Tol: nan}.Maxima(g, -1, 1); return err }, []string{"GridSearch.Tol = NaN", "finite value ≥ 0"}},
		{"GridSearch Tol<0", func() error { _, err := GridSearch{Tol: -1e-3}.Maxima(g, -1, 1); return err }, []string{"GridSearch.Tol = -0.001", "finite value ≥ 0"}},
		{"GridSearch f nil", func() error { _, err := GridSearch{}.Maxima(nil, -1, 1); return err }, []string{"f is nil"}},
		{"GridSearch domain reversed", func() error { _, err := GridSearch{}.Maxima(g, 1, -1); return err }, []string{"domain [1, -1]", "finite a < b"}},
		{"GridSearch domain NaN", func() error { _, err := GridSearch{}.Minima(g, nan, 1); return err }, []string{"domain [NaN, 1]", "finite a < b"}},
		{"GridSearch domain Inf", func() error { _, _, err := GridSearch{}.Argmax(g, -1, inf); return err }, []string{"domain [-1, +Inf]", "finite a < b"}},
		{"GridSearch f NaN", func() error { _, err := GridSearch{}.Maxima(func(float64) float64 { return nan }, -1, 1); return err }, []string{"f(-1) is NaN"}},
		{"Optimal domain", func() error { _, err := Optimal(g, 2, 2, GridSearch{}); return err }, []string{"domain [2, 2]", "finite a < b"}},
		{"Greedy m=1", func() error { _, err := Greedy(refit.Hard, -1, 1, 1, GridSearch{}); return err }, []string{"m = 1", "≥ 2"}},
		{"Greedy build nil", func() error { _, err := Greedy(nil, -1, 1, 3, GridSearch{}); return err }, []string{"build is nil"}},
		{"Greedy domain", func() error { _, err := Greedy(refit.Hard, 1, 0, 3, GridSearch{}); return err }, []string{"domain [1, 0]", "finite a < b"}},
		{"NewGaussianDiag nil map", func() error { _, err := NewGaussianDiag(nil, []float64{1}); return err }, []string{"feature map", "nil"}},
		{"NewGaussianDiag length", func() error { _, err := NewGaussianDiag(f, []float64{1, 1}); return err }, []string{"len(variances) = 2", "4 features"}},
		{"NewGaussianDiag NaN", func() error { _, err := NewGaussianDiag(f, []float64{1, nan, 1, 1}); return err }, []string{"variances[1] = NaN", "finite value ≥ 0"}},
		{"NewGaussianDiag negative", func() error { _, err := NewGaussianDiag(f, []float64{1, 1, -2, 1}); return err }, []string{"variances[2] = -2", "finite value ≥ 0"}},
		{"NewGaussianDiag Inf", func() error { _, err := NewGaussianDiag(f, []float64{inf, 1, 1, 1}); return err }, []string{"variances[0] = +Inf", "finite value ≥ 0"}},
		{"NewGaussianDiag zero", func() error { _, err := NewGaussianDiag(f, make([]float64, 4)); return err }, []string{"all 4 variances are 0", "at least one > 0"}},
		{"NewGaussian nil cov", func() error { _, err := NewGaussian(f, nil); return err }, []string{"covariance is nil", "4×4 positive semidefinite"}},
		{"NewGaussian size", func() error { _, err := NewGaussian(f, mat.NewSymDense(2, nil)); return err }, []string{"covariance is 2×2", "4 features"}},
		{"NewGaussian NaN", func() error {
			c := mat.NewSymDense(4, nil)
			c.SetSym(1, 2, nan)
			_, err := NewGaussian(f, c)
			return err
		}, []string{"covariance[1][2] = NaN", "finite entries"}},
		{"NewGaussian indefinite", func() error {
			_, err := NewGaussian(chebMap{deg: 1}, mat.NewSymDense(2, []float64{1, 2, 2, 1}))
			return err
		}, []string{"eigenvalue -1", "positive semidefinite"}},
		{"NewLinearGaussian nil", func() error { _, err := NewLinearGaussian(nil, dist); return err }, []string{"non-nil fit and distribution"}},
		{"LeastSquares RCond<0", func() error { _, err := LeastSquares{Map: f, RCond: -1}.Fit(x, []float64{1, 2, 3, 4}); return err }, []string{"LeastSquares.RCond = -1", "≥ 0"}},
		{"LeastSquares RCond NaN", func() error { _, err := LeastSquares{Map: f, RCond: nan}.LinearMap(f, x); return err }, []string{"LeastSquares.RCond = NaN", "≥ 0"}},
		{"LeastSquares X NaN", func() error { _, err := LeastSquares{Map: f}.Fit(xNaN, []float64{1, 2}); return err }, []string{"X[1][0] = NaN", "finite coordinates"}},
		{"LeastSquares y NaN", func() error { _, err := LeastSquares{Map: f}.Fit(x, []float64{1, nan, 3, 4}); return err }, []string{"y[1] = NaN", "finite labels"}},
		{"LeastSquares y length", func() error { _, err := LeastSquares{Map: f}.Fit(x, []float64{1}); return err }, []string{"len(y) = 1", "4 points"}},
		{"LeastSquares X columns", func() error { _, err := LeastSquares{Map: f}.Fit(mat.NewDense(1, 2, nil), []float64{1}); return err }, []string{"2 columns", "input dimension 1"}},
		{"Ridge RelLambda<0", func() error { _, err := Ridge{Map: f, RelLambda: -1}.Fit(x, []float64{1, 2, 3, 4}); return err }, []string{"Ridge.RelLambda = -1", "finite value ≥ 0"}},
		{"Ridge RelLambda NaN", func() error { _, err := Ridge{Map: f, RelLambda: nan}.LinearMap(f, x); return err }, []string{"Ridge.RelLambda = NaN", "finite value ≥ 0"}},
		{"Ridge RelLambda Inf", func() error { _, err := Ridge{Map: f, RelLambda: inf}.Fit(x, []float64{1, 2, 3, 4}); return err }, []string{"Ridge.RelLambda = +Inf", "finite value ≥ 0"}},
		{"MeanGradNorm len(x)", func() error { _, err := lg.MeanGradNorm([]float64{0, 1}); return err }, []string{"len(x) = 2", "want 1"}},
		{"ValueAt dst", func() error { _, err := lg.ValueAt(make([]float64, 1), x); return err }, []string{"len(dst) = 1", "want 4"}},
		{"ValueAt Workers<0", func() error {
			neg := *lg
			neg.Workers = -1
			_, err := neg.ValueAt(nil, x)
			return err
		}, []string{"LinearGaussian.Workers = -1", "≥ 1"}},
		{"Prepare y NaN", func() error {
			fit, err := Ridge{Map: f}.Prepare(x)
			if err != nil {
				return err
			}
			_, err = fit([]float64{1, nan, 3, 4})
			return err
		}, []string{"y[1] = NaN", "finite labels"}},
		{"MonteCarlo Samples=1", func() error {
			_, _, err := MonteCarlo{Dist: dist, Rule: LeastSquares{Map: f}, Samples: 1}.Hard(nil, nil, x, x, rnd)
			return err
		}, []string{"MonteCarlo.Samples = 1", "≥ 2"}},
		{"MonteCarlo Samples<0", func() error {
			_, _, err := MonteCarlo{Dist: dist, Rule: LeastSquares{Map: f}, Samples: -4}.GradNorm(nil, nil, x, x, rnd)
			return err
		}, []string{"MonteCarlo.Samples = -4", "≥ 2"}},
		{"MonteCarlo nil Dist", func() error {
			_, _, err := MonteCarlo{Rule: LeastSquares{Map: f}}.Hard(nil, nil, x, x, rnd)
			return err
		}, []string{"non-nil Dist and Rule"}},
		{"MonteCarlo pts NaN", func() error {
			_, _, err := MonteCarlo{Dist: dist, Rule: LeastSquares{Map: f}, Samples: 2}.Hard(nil, nil, x, xNaN, rnd)
			return err
		}, []string{"pts[1][0] = NaN", "finite coordinates"}},
		{"MonteCarlo dst length", func() error {
			_, _, err := MonteCarlo{Dist: dist, Rule: LeastSquares{Map: f}, Samples: 2}.Hard(make([]float64, 1), nil, x, x, rnd)
			return err
		}, []string{"len(dst) = 1", "want 4"}},
		{"Ascent Step NaN", func() error { _, err := Ascent{Step: nan}.Run(nil, lg, x); return err }, []string{"Ascent.Step = NaN", "finite value ≥ 0"}},
		{"Ascent Step<0", func() error { _, err := Ascent{Step: -0.1}.Run(nil, lg, x); return err }, []string{"Ascent.Step = -0.1", "finite value ≥ 0"}},
		{"Ascent Iterations<0", func() error { _, err := Ascent{Iterations: -1}.Run(nil, lg, x); return err }, []string{"Ascent.Iterations = -1", "≥ 1"}},
		{"Ascent box length", func() error { _, err := Ascent{Min: []float64{0, 0}, Max: []float64{1, 1}}.Run(nil, lg, x); return err }, []string{"len(Min) = 2", "len(Max) = 2", "want 1"}},
		{"Ascent box reversed", func() error { _, err := Ascent{Min: []float64{1}, Max: []float64{0}}.Run(nil, lg, x); return err }, []string{"coordinate 0", "domain [1, 0]", "finite a < b"}},
		{"Ascent start outside", func() error { _, err := Ascent{}.Run(nil, lg, mat.NewDense(1, 1, []float64{3})); return err }, []string{"start point 0 coordinate 0 = 3", "[-1, 1]"}},
		{"Ascent start NaN", func() error { _, err := Ascent{}.Run(nil, lg, xNaN); return err }, []string{"start point 1 coordinate 0 = NaN", "[-1, 1]"}},
		{"Literal Evaluations<0", func() error {
			_, _, err := Literal{Refit: refit, Evaluations: -2}.Minimize([]float64{-1, 0, 1})
			return err
		}, []string{"Literal.Evaluations = -2", "≥ 1"}},
		{"Literal domain", func() error { _, err := Literal{Refit: refit, Min: 1, Max: -1}.Value([]float64{0}); return err }, []string{"domain [1, -1]", "finite a < b"}},
		{"Literal X outside", func() error { _, err := Literal{Refit: refit}.Value([]float64{0, 1.5}); return err }, []string{"X[1] = 1.5", "[-1, 1]"}},
		{"Literal X NaN", func() error { _, err := Literal{Refit: refit}.Value([]float64{nan}); return err }, []string{"X[0] = NaN", "[-1, 1]"}},
		{"Literal X empty", func() error { _, err := Literal{Refit: refit}.Value(nil); return err }, []string{"X is empty", "at least one point"}},
		{"Refit nil Dist", func() error { _, err := Refit{}.On([]float64{0}); return err }, []string{"non-nil Dist and Rule"}},
		{"Refit X empty", func() error { _, err := refit.On(nil); return err }, []string{"X is empty", "at least one point"}},
		{"NewAdversarial nil", func() error { _, err := NewAdversarial(nil, LeastSquares{Map: f}, nil, x); return err }, []string{"non-nil hypothesis and rule"}},
		{"NewAdversarial X NaN", func() error {
			_, err := NewAdversarial(dist.Sample(rnd), LeastSquares{Map: f}, nil, xNaN)
			return err
		}, []string{"X[1][0] = NaN", "finite coordinates"}},
	}
	validatetest.Run(t, cases)
}
