package experiment

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"pointwise/lib/cheb"
	"pointwise/lib/objective"
)

// ChebyshevProblem is fig4's problem. The class H draws random Chebyshev
// series h = Σ_{k≤2d} c_k T_k with c_k ~ N(0, ρ^{2(k−d−1)}) for d < k ≤ 2d
// and c_k = 0 for k ≤ d (cheb.TailSeries: the components that a fit of
// degree d learns exactly carry no variance), a Gaussian class on
// f = [T_0 … T_2d]; the rule is least squares of degree d on Dense
// equispaced points of [-1, 1]. Both are linear in the coefficients θ, so
// the fit is ĥ = f·Pθ and the objectives have closed forms
// (objective.LinearGaussian): J_H(x) = f(x)ᵀ(P − I)Σ(P − I)ᵀf(x).
type ChebyshevProblem struct {
	// Degree is d ≥ 1, the degree of the fit; the class has degree 2d.
	Degree int
	// Rho is ρ > 0, the decay of the coefficient standard deviations.
	Rho float64
	// Dense is the number of equispaced points the rule fits on, at least
	// d+1. If Dense is 0, it is 2001.
	Dense int
}

// maxChebyshevDegree bounds ChebyshevProblem.Degree: the closed forms hold
// (2d+1)² numbers, and equispaced fits of high degree are meaningless.
const maxChebyshevDegree = 1024

// withDefaults returns p with Dense defaulted, or an error naming a bad
// field.
func (p ChebyshevProblem) withDefaults() (ChebyshevProblem, error) {
	if p.Degree < 1 || p.Degree > maxChebyshevDegree {
		return p, fmt.Errorf("experiment: ChebyshevProblem.Degree = %d; want 1 to %d", p.Degree, maxChebyshevDegree)
	}
	if p.Dense == 0 {
		p.Dense = 2001
	}
	if p.Dense < p.Degree+1 || p.Dense > cheb.MaxN {
		return p, fmt.Errorf("experiment: ChebyshevProblem.Dense = %d; want Degree+1 = %d to %d (0 means 2001)", p.Dense, p.Degree+1, cheb.MaxN)
	}
	return p, nil
}

// Class returns H, the Gaussian class on [T_0 … T_2d] with the variances
// of cheb.TailSeries(ρ, d, 2d).
func (p ChebyshevProblem) Class() (*objective.Gaussian, error) {
	p, err := p.withDefaults()
	if err != nil {
		return nil, err
	}
	tail, err := cheb.TailSeries(p.Rho, p.Degree, 2*p.Degree, cheb.Domain{})
	if err != nil {
		return nil, err
	}
	return objective.NewGaussianDiag(cheb.Basis{Degree: 2 * p.Degree}, tail.Variances(nil))
}

// Rule returns the rule: least squares of degree d.
func (p ChebyshevProblem) Rule() objective.LeastSquares {
	return objective.LeastSquares{Map: cheb.Basis{Degree: p.Degree}}
}

// DensePoints returns the Dense equispaced points the rule fits on, one per
// row.
func (p ChebyshevProblem) DensePoints() (*mat.Dense, error) {
	p, err := p.withDefaults()
	if err != nil {
		return nil, err
	}
	x, err := cheb.EquispacedPoints(nil, p.Dense, cheb.Domain{})
	if err != nil {
		return nil, err
	}
	return mat.NewDense(len(x), 1, x), nil
}

// Hard returns the closed forms of the rule fitted on the dense points:
// J_H (Value) and the moments of the error gradient.
func (p ChebyshevProblem) Hard() (*objective.LinearGaussian, error) {
	dense, err := p.DensePoints()
	if err != nil {
		return nil, err
	}
	class, err := p.Class()
	if err != nil {
		return nil, err
	}
	fit, err := p.Rule().LinearMap(class.Map(), dense)
	if err != nil {
		return nil, err
	}
	return objective.NewLinearGaussian(fit, class)
}

// HardMaxima returns the local maxima of J_H on [-1, 1], endpoints included,
// in increasing order (objective.GridSearch's default search): the hard
// training points of the rule fitted on the dense points.
func (p ChebyshevProblem) HardMaxima() ([]float64, error) {
	lg, err := p.Hard()
	if err != nil {
		return nil, err
	}
	return objective.GridSearch{}.Maxima(objective.Func1D(lg), -1, 1)
}

// MeanGradNorm returns g(x) = E_H|(ĥ − h)′(x)| = √(2/π)·√(E_H (ĥ − h)′(x)²)
// for the rule fitted on the dense points: the integrand of eq. 1.
func (p ChebyshevProblem) MeanGradNorm() (func(float64) float64, error) {
	lg, err := p.Hard()
	if err != nil {
		return nil, err
	}
	return func(x float64) float64 {
		g, _ := lg.MeanGradNorm([]float64{x}) // no error: the input is 1-D
		return g
	}, nil
}

// Optimal returns eq. 1's solution in its critical-point reading
// (objective.Optimal): the interior local minima of MeanGradNorm plus the
// boundary {−1, 1}, in increasing order.
func (p ChebyshevProblem) Optimal() ([]float64, error) {
	g, err := p.MeanGradNorm()
	if err != nil {
		return nil, err
	}
	return objective.Optimal(g, -1, 1, objective.GridSearch{})
}

// HardPoints returns d+2 greedy hard points, in the order added
// (objective.Greedy): from ∂X = {−1, 1}, each step adds the global maximiser
// of J_H(·; X) with the rule refitted on the current X by interpolation
// (least squares of degree |X| − 1), on the same class H. (The dense rule
// would not depend on X, and J_H would never change.)
func (p ChebyshevProblem) HardPoints() ([]float64, error) {
	class, err := p.Class()
	if err != nil {
		return nil, err
	}
	refit := objective.Refit{Dist: class, Rule: func(m int) (objective.LinearRule, error) {
		return objective.LeastSquares{Map: cheb.Basis{Degree: m - 1}}, nil
	}}
	return objective.Greedy(refit.Hard, -1, 1, p.Degree+2, objective.GridSearch{})
}

// Literal returns eq. 1 read literally on this class (objective.Literal):
// the rule, least squares of degree d, is fitted on the candidate set X
// itself, and Minimize runs Nelder–Mead with the given evaluations and
// restarts (0 means Literal's defaults).
func (p ChebyshevProblem) Literal(evaluations, restarts int) (objective.Literal, error) {
	class, err := p.Class()
	if err != nil {
		return objective.Literal{}, err
	}
	rule := p.Rule()
	return objective.Literal{
		Refit:       objective.Refit{Dist: class, Rule: func(int) (objective.LinearRule, error) { return rule, nil }},
		Evaluations: evaluations, Restarts: restarts,
	}, nil
}
