package objective

import (
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// FeatureMap is f: R^in → R^p of a class linear in its coefficients,
// h(x) = f(x)·θ.
type FeatureMap interface {
	// Dims returns the input dimension and the number of features p.
	Dims() (in, features int)
	// Features stores f(x) in dst and returns it; len(x) == in, dst has
	// length p (nil allocates).
	Features(dst, x []float64) []float64
}

// FeatureGradienter also gives the Jacobian of f, row-major p×in:
// dst[k*in+j] = ∂f_k/∂x_j.
type FeatureGradienter interface {
	FeatureMap
	FeatureGradient(dst, x []float64) []float64
}

// Hypothesis is a function h: R^in → R: a hypothesis of a class H, or a
// fitted ĥ. (experiment.Hypothesis is the same idea for 1-D inputs.)
type Hypothesis interface {
	// Value returns h(x).
	Value(x []float64) float64
}

// GradHypothesis is a Hypothesis with a gradient.
type GradHypothesis interface {
	Hypothesis
	// Gradient stores ∇h(x) in dst (length in; nil allocates) and returns it.
	Gradient(dst, x []float64) []float64
}

// Distribution is a distribution H over hypotheses on R^in.
type Distribution interface {
	// InputDim returns the input dimension of the hypotheses.
	InputDim() int
	// Sample draws h ~ H using rnd (nil means the global source).
	Sample(rnd *rand.Rand) Hypothesis
}

// Rule is a learning rule A: it maps labelled points to a hypothesis,
// ĥ = A({(x_i, y_i)}). The rows of x are the points. (experiment.Rule is
// the same idea for 1-D points, seeded, with batched hypotheses.)
type Rule interface {
	Fit(x mat.Matrix, y []float64) (Hypothesis, error)
}

// Preparer is a Rule that can do its work on the training points once for
// many label vectors, as a Monte Carlo estimate of J_H fits one per draw:
// least squares factors G_X once, and each fit is then a solve.
type Preparer interface {
	Rule
	// Prepare returns fit with fit(y) = Fit(x, y), bit for bit, for every
	// y. Goroutines may call fit at once.
	Prepare(x mat.Matrix) (fit func(y []float64) (Hypothesis, error), err error)
}

// LinearRule is a Rule that is linear in its labels. For a class
// h(x) = f(x)·θ its fit is ĥ(x) = g(x)ᵀMθ, and LinearMap returns (g, M).
type LinearRule interface {
	Rule
	LinearMap(class FeatureMap, x mat.Matrix) (*LinearFit, error)
}

// Loss is a loss L(ŷ, y) between a prediction ŷ and a target y.
type Loss interface {
	Loss(pred, target float64) float64
	// Deriv returns ∂L/∂ŷ and ∂L/∂y.
	Deriv(pred, target float64) (dpred, dtarget float64)
}

// SquaredLoss is the squared loss L(ŷ, y) = (ŷ − y)². (mlp.HalfSquaredError
// is the ½-scaled batch mean that trains a network on a regression.)
type SquaredLoss struct{}

// Loss returns (ŷ − y)².
func (SquaredLoss) Loss(pred, target float64) float64 {
	d := pred - target
	return d * d
}

// Deriv returns 2(ŷ − y) and −2(ŷ − y).
func (SquaredLoss) Deriv(pred, target float64) (dpred, dtarget float64) {
	d := 2 * (pred - target)
	return d, -d
}

// LinearHypothesis is h(x) = f(x)·Coef with f = Map.
type LinearHypothesis struct {
	Map  FeatureMap
	Coef []float64
}

// Value returns f(x)·Coef. It panics if len(Coef) differs from the number of
// features.
func (h *LinearHypothesis) Value(x []float64) float64 {
	f := h.Map.Features(nil, x)
	if len(f) != len(h.Coef) {
		panic("objective: LinearHypothesis coefficient length mismatch")
	}
	var s float64
	for k, v := range f {
		s += v * h.Coef[k]
	}
	return s
}

// Gradient stores ∇h(x) = ∇f(x)ᵀCoef in dst. It panics if Map is not a
// FeatureGradienter.
func (h *LinearHypothesis) Gradient(dst, x []float64) []float64 {
	fg, ok := h.Map.(FeatureGradienter)
	if !ok {
		panic("objective: LinearHypothesis.Map has no FeatureGradient")
	}
	in, p := h.Map.Dims()
	jac := fg.FeatureGradient(nil, x)
	if dst == nil {
		dst = make([]float64, in)
	}
	for j := range dst[:in] {
		dst[j] = 0
	}
	for k := 0; k < p; k++ {
		c := h.Coef[k]
		row := jac[k*in : (k+1)*in]
		for j, v := range row {
			dst[j] += c * v
		}
	}
	return dst
}

var (
	_ GradHypothesis = (*LinearHypothesis)(nil)
	_ Loss           = SquaredLoss{}
)
