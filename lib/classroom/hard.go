package classroom

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"

	"pointwise/lib/cheb"
	"pointwise/lib/objective"
)

// Hard describes the hard objective of figure 4 that a student computes:
// H draws h = Σ_{k≤2d} c_k T_k with c_k ~ N(0, ρ^{2(k−d−1)}) for k > d and
// c_k = 0 otherwise (cheb.TailSeries), the rule is the least-squares fit of
// degree d on Dense equispaced points of [-1, 1], and
// J_H(x) = E_{h~H}(ĥ(x) − h(x))².
type Hard struct {
	Degree  int     // d, the fitted degree
	Rho     float64 // ρ, the decay of the coefficient standard deviations
	Dense   int     // equispaced points the rule fits on
	Samples int     // Monte Carlo draws the student used; 0 means a closed form
}

// hardPoints are where CheckHardObjective compares the student's J_H.
var hardPoints = []float64{-1, -0.9, -0.5, 0, 0.37, 0.8}

// closed returns J_H at each x in closed form (objective.LinearGaussian).
func (s Hard) closed(x []float64) ([]float64, error) {
	if s.Degree < 0 || s.Dense < s.Degree+1 {
		return nil, fmt.Errorf("classroom: Hard{Degree: %d, Dense: %d}: need Degree >= 0 and Dense >= Degree+1", s.Degree, s.Dense)
	}
	tail, err := cheb.TailSeries(s.Rho, s.Degree, 2*s.Degree, cheb.Domain{})
	if err != nil {
		return nil, err
	}
	class, err := objective.NewGaussianDiag(cheb.Basis{Degree: 2 * s.Degree}, tail.Variances(nil))
	if err != nil {
		return nil, err
	}
	dense, err := cheb.EquispacedPoints(nil, s.Dense, cheb.Domain{})
	if err != nil {
		return nil, err
	}
	fit, err := objective.LeastSquares{Map: cheb.Basis{Degree: s.Degree}}.LinearMap(cheb.Basis{Degree: 2 * s.Degree}, mat.NewDense(len(dense), 1, dense))
	if err != nil {
		return nil, err
	}
	lg, err := objective.NewLinearGaussian(fit, class)
	if err != nil {
		return nil, err
	}
	return lg.ValueAt(nil, mat.NewDense(len(x), 1, slices.Clone(x)))
}

// CheckHardObjective checks hard(x), which must return J_H at each point of x
// for the setting s, in closed form (s.Samples = 0: within 1e-6 relative) or
// by a Monte Carlo average over s.Samples draws of h (within five standard
// errors, J_H·√(2/Samples) each, as the error at x is Gaussian). Of
// pointwise's packages hard may use only cheb (its closed form is
// objective.LinearGaussian's, which is off limits).
func CheckHardObjective(hard func(x []float64) []float64, s Hard) error {
	if err := ownCode(hard, module+"/lib/cheb"); err != nil {
		return err
	}
	want, err := s.closed(hardPoints)
	if err != nil {
		return err
	}
	name := fmt.Sprintf("hardObjective(%g)", hardPoints)
	got, err := call(name, func() []float64 { return hard(slices.Clone(hardPoints)) })
	if err != nil {
		return err
	}
	if len(got) != len(hardPoints) {
		return fmt.Errorf("%s returned %d values for %d points", name, len(got), len(hardPoints))
	}
	if i := finite(got); i >= 0 {
		return fmt.Errorf("J_H(%g) = %v is not a finite number", hardPoints[i], got[i])
	}
	for i, v := range got {
		if v < 0 {
			return fmt.Errorf("J_H(%g) = %.4g is negative: J_H is an expected squared error, so it is >= 0 (did you forget to square ĥ(x) − h(x)?)", hardPoints[i], v)
		}
	}
	if slices.Max(got) == 0 {
		return fmt.Errorf("J_H is 0 at every point: compare the fit ĥ, fitted to h on the dense points, with h itself at x")
	}
	for i, x := range hardPoints {
		tol := 1e-6 * want[i]
		how := "closed form, to 1e-6"
		if s.Samples > 0 {
			tol = 5 * want[i] * math.Sqrt(2/float64(s.Samples))
			how = fmt.Sprintf("a Monte Carlo mean over %d draws should be within ±%.2g", s.Samples, tol)
		}
		if math.Abs(got[i]-want[i]) > tol+1e-15 {
			hint := ""
			if s.Samples > 1 && got[i] > 0.5*float64(s.Samples)*want[i] {
				hint = ": did you sum over the draws instead of averaging?"
			}
			return fmt.Errorf("J_H(%g) = %.5g should be about %.5g (%s)%s", x, got[i], want[i], how, hint)
		}
	}
	return nil
}

// CheckLocalMaxima checks maxima(xs, ys), which must return, in increasing
// order, the xs[i] at which the sampled function ys has a local maximum:
// ys[i] larger than its neighbours, endpoints included (an endpoint is a
// maximum when its one neighbour is lower). maxima may use no package of
// pointwise (objective.GridSearch finds maxima).
func CheckLocalMaxima(maxima func(xs, ys []float64) []float64) error {
	if err := ownCode(maxima); err != nil {
		return err
	}
	for _, c := range []struct {
		what string
		f    func(float64) float64
		n    int
	}{
		{"cos(3πx)", func(x float64) float64 { return math.Cos(3 * math.Pi * x) }, 201},
		{"x²·(1.5 + sin(7x))", func(x float64) float64 { return x * x * (1.5 + math.Sin(7*x)) }, 401},
		{"-x²", func(x float64) float64 { return -x * x }, 101},
	} {
		xs, err := cheb.EquispacedPoints(nil, c.n, cheb.Domain{})
		if err != nil {
			return err
		}
		ys := make([]float64, len(xs))
		for i, x := range xs {
			ys[i] = c.f(x)
		}
		var want []float64
		for i := range xs {
			left := i == 0 || ys[i] > ys[i-1]
			right := i == len(xs)-1 || ys[i] > ys[i+1]
			if left && right {
				want = append(want, xs[i])
			}
		}
		name := fmt.Sprintf("localMaxima(y = %s on %d points)", c.what, c.n)
		got, err := call(name, func() []float64 { return maxima(slices.Clone(xs), slices.Clone(ys)) })
		if err != nil {
			return err
		}
		if !slices.IsSorted(got) {
			return fmt.Errorf("%s = %.3f is not sorted: return the maxima in increasing order", name, got)
		}
		for _, x := range got {
			if !slices.Contains(want, x) {
				return fmt.Errorf("%s returned x = %.4g, which is not a local maximum (the maxima are at %.4g)", name, x, want)
			}
		}
		for _, x := range want {
			if !slices.Contains(got, x) {
				if x == xs[0] || x == xs[len(xs)-1] {
					return fmt.Errorf("%s misses the endpoint maximum at x = %g: an endpoint is a local maximum when its one neighbour is lower", name, x)
				}
				return fmt.Errorf("%s misses the local maximum at x = %.4g (the maxima are at %.4g)", name, x, want)
			}
		}
	}
	return nil
}
