package experiment

import (
	"fmt"
	"math/rand/v2"
	"slices"

	"pointwise/lib/cheb"
	"pointwise/lib/mlp"
	"pointwise/lib/objective"
)

// Grid is a family of training sets on [-1, 1], one for each number of
// points m.
type Grid struct {
	// Name labels the grid in tables and legends.
	Name string
	// Points returns m points in increasing order. A random grid draws them
	// from rng; a deterministic one ignores it.
	Points func(m int, rng *rand.Rand) ([]float64, error)
}

// ChebGrid returns the grid of kind k on [-1, 1] (cheb.Grid), named after k.
// A cheb.Random grid draws m uniform points afresh from rng on each call.
func ChebGrid(k cheb.GridKind) Grid {
	return Grid{Name: k.String(), Points: func(m int, rng *rand.Rand) ([]float64, error) {
		return cheb.Grid(k, m, cheb.Domain{}, rng)
	}}
}

// NestedGrid returns the grid whose m-point set is the first m points of seq,
// sorted: the grids of a construction that adds one point at a time, such as
// greedy hard points. Points returns an error for m > len(seq).
func NestedGrid(name string, seq []float64) Grid {
	seq = slices.Clone(seq)
	return Grid{Name: name, Points: func(m int, _ *rand.Rand) ([]float64, error) {
		if m < 1 || m > len(seq) {
			return nil, fmt.Errorf("experiment: grid %q has %d points; m = %d out of range [1, %d]", name, len(seq), m, len(seq))
		}
		return slices.Sorted(slices.Values(seq[:m])), nil
	}}
}

// HardPoints returns maxM greedy hard points of the class dist under the
// ridge rule on dist's own features with λ = relLambda·tr(F_XᵀF_X) (0 means
// 1e-10): starting from ∂X = {−1, 1}, each step refits the rule on the
// current X and adds the global maximiser of J_H(·; X) (fig4's construction;
// objective.Refit and objective.Greedy, argmax by objective.GridSearch's
// default 1001-point search, refined). The points are in the order they were
// added.
func HardPoints(dist *objective.Gaussian, relLambda float64, maxM int) ([]float64, error) {
	if dist == nil {
		return nil, fmt.Errorf("experiment: HardPoints: the class is nil")
	}
	return objective.Greedy(HardRefit(dist, relLambda).Hard, -1, 1, maxM, objective.GridSearch{})
}

// HardRefit returns the closed forms of J_H(·; X) for the class dist and the
// ridge rule on dist's own features, refitted on each X, with
// λ = relLambda·tr(F_XᵀF_X) (0 means 1e-10).
func HardRefit(dist *objective.Gaussian, relLambda float64) objective.Refit {
	rule := objective.Ridge{Map: dist.Map(), RelLambda: relLambda}
	return objective.Refit{Dist: dist, Rule: func(int) (objective.LinearRule, error) { return rule, nil }}
}

// HardestPoint returns the global maximiser on [-1, 1] of J_H(·; X), the
// hard objective of the class dist under the ridge rule refitted on the
// points x (HardRefit), and its value: the point the greedy construction
// adds next, and the expected squared error of the fit there, the quantity
// each greedy step drives down.
func HardestPoint(dist *objective.Gaussian, relLambda float64, x []float64) (at, value float64, err error) {
	lg, err := HardRefit(dist, relLambda).On(x)
	if err != nil {
		return 0, 0, err
	}
	return objective.GridSearch{}.Argmax(objective.Func1D(lg), -1, 1)
}

// HardGrid returns the nested grid "hard" of HardPoints(dist, relLambda, maxM).
func HardGrid(dist *objective.Gaussian, relLambda float64, maxM int) (Grid, error) {
	pts, err := HardPoints(dist, relLambda, maxM)
	if err != nil {
		return Grid{}, err
	}
	return NestedGrid("hard", pts), nil
}

// RandomHeadClass returns the class H of random heads on net's feature
// layer, h(x) = f(x)·θ with f = [φ, 1] and θ ~ N(0, Σ) at the head's initial
// scales (fig5's class), and the feature map f. (attack.RandomHeads is the
// hard objective J_H of a classifier over such a class, estimated with K
// heads.)
func RandomHeadClass(net *mlp.Network[float64]) (*objective.Gaussian, *mlp.FeatureMap, error) {
	fm, err := net.FeatureMap()
	if err != nil {
		return nil, nil, err
	}
	dist, err := objective.NewGaussianDiag(fm, fm.CoefficientVariance(nil))
	if err != nil {
		return nil, nil, err
	}
	return dist, fm, nil
}

// Runge is Runge's function h(x) = 1/(1 + 25x²) (Runge 1901), whose
// polynomial interpolants on equispaced points diverge on [-1, 1].
type Runge struct{}

// Value implements objective.Hypothesis.
func (Runge) Value(x []float64) float64 { return 1 / (1 + 25*x[0]*x[0]) }

// PointMass is the distribution that always draws H: one fixed target as an
// objective.Distribution on 1-D inputs.
type PointMass struct{ H objective.Hypothesis }

// InputDim implements objective.Distribution.
func (PointMass) InputDim() int { return 1 }

// Sample implements objective.Distribution.
func (p PointMass) Sample(*rand.Rand) objective.Hypothesis { return p.H }

var _ objective.Distribution = PointMass{}
