package objective_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"pointwise/lib/cheb"
	"pointwise/lib/mlp"
	"pointwise/lib/objective"
)

// fig5Surfaces computes fig5's 1-D and 2-D curves (notebooks/fig5-random-network:
// a tanh network in → 64 → 64 → 1 with the notebook's initialisation, its
// own head h, the ridge refit on Chebyshev training points, the adversarial
// objective J_h and the closed-form hard objective J_H) and returns, per
// point, h, J_h and J_H: 2001 points on [−1, 1] from 12 training points, and
// a 41×41 grid on [−1, 1]² from the 5×5 grid.
func fig5Surfaces(t *testing.T, seed uint64) []float64 {
	t.Helper()
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	init := mlp.Gaussian{WeightStd: []float64{5}, BiasStd: []float64{1, 1, 1}}
	var out []float64
	for _, in := range []int{1, 2} {
		n, eval := 12, 2001
		if in == 2 {
			n, eval = 5, 41
		}
		xs, err := cheb.ChebyshevPoints(nil, n, cheb.Domain{})
		must(err)
		axis, err := cheb.EquispacedPoints(nil, eval, cheb.Domain{})
		must(err)
		var X, pts *mat.Dense
		if in == 1 {
			X, pts = mat.NewDense(n, 1, xs), mat.NewDense(eval, 1, axis)
		} else {
			X, pts = mat.NewDense(n*n, 2, nil), mat.NewDense(eval*eval, 2, nil)
			for i := range n * n {
				X.SetRow(i, []float64{xs[i%n], xs[i/n]})
			}
			for i := range eval * eval {
				pts.SetRow(i, []float64{axis[i%eval], axis[i/eval]})
			}
		}
		net, err := mlp.New[float64]([]int{in, 64, 64, 1}, mlp.Tanh, mlp.Identity)
		must(err)
		must(net.Init(rand.New(rand.NewPCG(seed, seed)), init))
		fm, err := net.FeatureMap()
		must(err)
		own := &objective.LinearHypothesis{Map: fm, Coef: net.Head().Theta(nil, 0)}
		rule := objective.Ridge{Map: fm, RelLambda: 1e-10}
		dist, err := objective.NewGaussianDiag(fm, fm.CoefficientVariance(nil))
		must(err)
		fit, err := rule.LinearMap(nil, X)
		must(err)
		hard, err := objective.NewLinearGaussian(fit, dist)
		must(err)
		adv, err := objective.NewAdversarial(own, rule, nil, X)
		must(err)
		jH, err := hard.ValueAt(nil, pts)
		must(err)
		m, _ := pts.Dims()
		for i := range m {
			p := pts.RawRowView(i)
			out = append(out, own.Value(p), adv.Value(p), jH[i])
		}
	}
	return out
}

// TestFig5Reproducible computes fig5's objectives twice with the same seed,
// the second time on one OS thread, and requires bit-identical values. With
// POINTWISE_REPRO_DUMP=file it writes them to file, for comparing builds
// (pure-Go BLAS and -tags openblas).
func TestFig5Reproducible(t *testing.T) {
	a := fig5Surfaces(t, 1)
	prev := runtime.GOMAXPROCS(1)
	b := fig5Surfaces(t, 1)
	runtime.GOMAXPROCS(prev)
	if len(a) != len(b) {
		t.Fatalf("%d values, then %d", len(a), len(b))
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			t.Errorf("value %d (point %d, quantity %d): %v, then %v", i, i/3, i%3, a[i], b[i])
		}
	}
	if path := os.Getenv("POINTWISE_REPRO_DUMP"); path != "" {
		var s strings.Builder
		for _, v := range a {
			fmt.Fprintf(&s, "%v\n", v)
		}
		if err := os.WriteFile(path, []byte(s.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
