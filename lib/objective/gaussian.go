package objective

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// Gaussian is the distribution of h(x) = f(x)·θ with θ ~ N(0, Σ) over a
// feature map f. Build it with NewGaussian or NewGaussianDiag.
type Gaussian struct {
	fmap FeatureMap
	cov  *mat.SymDense
	// Σ = L Lᵀ; L is p×p (from the eigendecomposition, so Σ may be singular).
	factor *mat.Dense
	// sd holds √Σ_kk when Σ is diagonal, and factor is nil.
	sd []float64
}

var _ Distribution = (*Gaussian)(nil)

// NewGaussian returns the Gaussian class over f with coefficient covariance
// cov, which must be p×p, finite, positive semidefinite and not zero.
// Individual directions may have zero variance (a singular Σ); they are
// simply never sampled. cov is copied.
func NewGaussian(f FeatureMap, cov mat.Symmetric) (*Gaussian, error) {
	p, err := mapFeatures(f, "f")
	if err != nil {
		return nil, err
	}
	if cov == nil {
		return nil, fmt.Errorf("objective: covariance is nil; want a %d×%d positive semidefinite matrix", p, p)
	}
	if n := cov.SymmetricDim(); n != p {
		return nil, fmt.Errorf("objective: covariance is %d×%d but the feature map has %d features", n, n, p)
	}
	c := mat.NewSymDense(p, nil)
	c.CopySym(cov)
	for i := 0; i < p; i++ {
		for j := i; j < p; j++ {
			if v := c.At(i, j); math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("objective: covariance[%d][%d] = %v; want finite entries", i, j, v)
			}
		}
	}
	var eig mat.EigenSym
	if !eig.Factorize(c, true) {
		return nil, fmt.Errorf("objective: eigendecomposition of the covariance failed")
	}
	vals := eig.Values(nil)
	maxv := math.Inf(-1)
	for _, v := range vals {
		maxv = math.Max(maxv, v)
	}
	if maxv <= 0 {
		return nil, fmt.Errorf("objective: covariance has largest eigenvalue %v; want a nonzero positive semidefinite matrix", maxv)
	}
	// Eigenvalues below −√ε·λ_max are not rounding: Σ is not PSD.
	tol := math.Sqrt(eps) * maxv
	var vecs mat.Dense
	eig.VectorsTo(&vecs)
	factor := mat.NewDense(p, p, nil)
	for k, v := range vals {
		if v < -tol {
			return nil, fmt.Errorf("objective: covariance has eigenvalue %v < 0; want positive semidefinite", v)
		}
		s := math.Sqrt(math.Max(v, 0))
		for i := 0; i < p; i++ {
			factor.Set(i, k, vecs.At(i, k)*s)
		}
	}
	return &Gaussian{fmap: f, cov: c, factor: factor}, nil
}

// NewGaussianDiag returns the Gaussian class over f with independent
// coefficients, θ_k ~ N(0, variances[k]). Each variance must be finite and
// ≥ 0 and at least one must be > 0. variances is copied.
func NewGaussianDiag(f FeatureMap, variances []float64) (*Gaussian, error) {
	p, err := mapFeatures(f, "f")
	if err != nil {
		return nil, err
	}
	if len(variances) != p {
		return nil, fmt.Errorf("objective: len(variances) = %d but the feature map has %d features", len(variances), p)
	}
	c := mat.NewSymDense(p, nil)
	sd := make([]float64, p)
	var any bool
	for k, v := range variances {
		if !(v >= 0) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("objective: variances[%d] = %v; want a finite value ≥ 0", k, v)
		}
		any = any || v > 0
		c.SetSym(k, k, v)
		sd[k] = math.Sqrt(v)
	}
	if !any {
		return nil, fmt.Errorf("objective: all %d variances are 0; want at least one > 0", p)
	}
	return &Gaussian{fmap: f, cov: c, sd: sd}, nil
}

// Map returns the feature map f of the class.
func (g *Gaussian) Map() FeatureMap { return g.fmap }

// InputDim returns the input dimension of f.
func (g *Gaussian) InputDim() int {
	in, _ := g.fmap.Dims()
	return in
}

// CovarianceMatrix stores Σ in dst (nil allocates) and returns it.
func (g *Gaussian) CovarianceMatrix(dst *mat.SymDense) *mat.SymDense {
	if dst == nil {
		dst = mat.NewSymDense(g.cov.SymmetricDim(), nil)
	}
	dst.CopySym(g.cov)
	return dst
}

// SampleCoef stores θ ~ N(0, Σ) in dst (length p; nil allocates) and
// returns it: θ = Lz with Σ = LLᵀ and z standard normal.
func (g *Gaussian) SampleCoef(dst []float64, rnd *rand.Rand) []float64 {
	_, p := g.fmap.Dims()
	if dst == nil {
		dst = make([]float64, p)
	}
	norm := rand.NormFloat64
	if rnd != nil {
		norm = rnd.NormFloat64
	}
	if g.factor == nil {
		for k := range dst[:p] {
			dst[k] = g.sd[k] * norm()
		}
		return dst
	}
	z := make([]float64, p)
	for k := range z {
		z[k] = norm()
	}
	mat.NewVecDense(p, dst[:p]).MulVec(g.factor, mat.NewVecDense(p, z))
	return dst
}

// Sample draws h(x) = f(x)·θ with θ ~ N(0, Σ), as a *LinearHypothesis.
func (g *Gaussian) Sample(rnd *rand.Rand) Hypothesis {
	return &LinearHypothesis{Map: g.fmap, Coef: g.SampleCoef(nil, rnd)}
}

const eps = 0x1p-52

// mapFeatures checks that f is usable and returns its number of features.
func mapFeatures(f FeatureMap, name string) (int, error) {
	if f == nil {
		return 0, fmt.Errorf("objective: feature map %s is nil", name)
	}
	in, p := f.Dims()
	if in < 1 || p < 1 {
		return 0, fmt.Errorf("objective: feature map %s has Dims() = (%d, %d); want both ≥ 1", name, in, p)
	}
	return p, nil
}

// sqrtCov returns a p×r matrix L with Σ = LLᵀ, r the number of nonzero
// directions of Σ.
func (g *Gaussian) sqrtCov() *mat.Dense {
	_, p := g.fmap.Dims()
	var cols []int
	if g.factor == nil {
		for k, s := range g.sd {
			if s > 0 {
				cols = append(cols, k)
			}
		}
		l := mat.NewDense(p, len(cols), nil)
		for c, k := range cols {
			l.Set(k, c, g.sd[k])
		}
		return l
	}
	for k := 0; k < p; k++ {
		if mat.Norm(g.factor.ColView(k), 2) > 0 {
			cols = append(cols, k)
		}
	}
	l := mat.NewDense(p, len(cols), nil)
	for c, k := range cols {
		for i := 0; i < p; i++ {
			l.Set(i, c, g.factor.At(i, k))
		}
	}
	return l
}
