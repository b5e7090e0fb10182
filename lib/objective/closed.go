package objective

import (
	"fmt"
	"math"
	"runtime"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"

	"pointwise/lib/internal/parallel"
)

// Objective is a function of one candidate point, J: R^in → R.
type Objective interface {
	Value(x []float64) float64
}

// GradObjective is an Objective with a gradient.
type GradObjective interface {
	Objective
	// Gradient stores ∇J(x) in dst (length in; nil allocates) and returns it.
	Gradient(dst, x []float64) []float64
}

// LinearGaussian holds the closed forms for a linear-Gaussian class
// h(x) = f(x)·θ, θ ~ N(0, Σ), fitted by a rule linear in its labels,
// ĥ(x) = g(x)ᵀMθ, with squared loss. With u(x) = [g(x); f(x)] (u = f when
// g = f) the error is e(x) = r(x)ᵀθ, r(x) = Bᵀu(x), B = [M; −I] (B = M − I
// when g = f). With Σ = LLᵀ and W = BL, precomputed once,
//
//	J_H(x)      = E e(x)²     = ‖Wᵀu(x)‖²            = f(x)ᵀ(P − I)Σ(P − I)ᵀf(x) when g = f,
//	E‖∇e(x)‖²   = tr(∇rᵀΣ∇r)  = Σ_j ‖Wᵀ∂_j u(x)‖².
//
// Forming Wᵀu rather than uᵀQu keeps J_H accurate to rounding relative to
// its square root at zeros such as interpolated training points.
// LinearGaussian is safe for concurrent use.
type LinearGaussian struct {
	// Workers is the number of goroutines on which ValueAt evaluates its
	// blocks of points; the values do not depend on it. If Workers is 0, it
	// is GOMAXPROCS; set it to 1 for feature maps whose Features is not safe
	// to call from several goroutines at once (the package's and mlp's are).
	Workers int

	class, model FeatureMap // model nil when g = f
	in, p, q     int        // q = 0 when g = f
	r            int        // columns of W (rank of Σ)
	w            []float64  // row-major (q+p)×r, or p×r when g = f
}

var _ GradObjective = (*LinearGaussian)(nil)

// NewLinearGaussian precomputes the closed forms for fit and dist. dist's
// feature map must be fit.Class (its dimensions are checked).
func NewLinearGaussian(fit *LinearFit, dist *Gaussian) (*LinearGaussian, error) {
	if fit == nil || dist == nil {
		return nil, fmt.Errorf("objective: NewLinearGaussian needs a non-nil fit and distribution")
	}
	p, err := mapFeatures(fit.Class, "LinearFit.Class")
	if err != nil {
		return nil, err
	}
	in, _ := fit.Class.Dims()
	din, dp := dist.fmap.Dims()
	if din != in || dp != p {
		return nil, fmt.Errorf("objective: distribution's map has Dims() = (%d, %d) but the class has (%d, %d)", din, dp, in, p)
	}
	if fit.M == nil {
		return nil, fmt.Errorf("objective: LinearFit.M is nil")
	}
	mr, mc := fit.M.Dims()
	q := 0
	if fit.Model != nil {
		qq, err := mapFeatures(fit.Model, "LinearFit.Model")
		if err != nil {
			return nil, err
		}
		if gin, _ := fit.Model.Dims(); gin != in {
			return nil, fmt.Errorf("objective: model input dimension %d differs from the class's %d", gin, in)
		}
		q = qq
		if mr != q || mc != p {
			return nil, fmt.Errorf("objective: LinearFit.M is %d×%d; want %d×%d (model × class features)", mr, mc, q, p)
		}
	} else if mr != p || mc != p {
		return nil, fmt.Errorf("objective: LinearFit.M is %d×%d; want %d×%d (g = f)", mr, mc, p, p)
	}

	l := dist.sqrtCov()
	_, r := l.Dims()
	ml := mat.NewDense(mr, r, nil)
	ml.Mul(fit.M, l)
	var w *mat.Dense
	if q == 0 {
		w = ml
		w.Sub(w, l)
	} else {
		w = mat.NewDense(q+p, r, nil)
		w.Slice(0, q, 0, r).(*mat.Dense).Copy(ml)
		neg := w.Slice(q, q+p, 0, r).(*mat.Dense)
		neg.Scale(-1, l)
	}
	return &LinearGaussian{
		class: fit.Class, model: fit.Model,
		in: in, p: p, q: q, r: r,
		w: append([]float64(nil), w.RawMatrix().Data...),
	}, nil
}

// InputDim returns the input dimension.
func (lg *LinearGaussian) InputDim() int { return lg.in }

// features returns u(x) = [g(x); f(x)].
func (lg *LinearGaussian) features(x []float64) []float64 {
	u := make([]float64, lg.q+lg.p)
	if lg.q > 0 {
		lg.model.Features(u[:lg.q], x)
	}
	lg.class.Features(u[lg.q:], x)
	return u
}

// jacobian returns ∇u(x), row-major (q+p)×in. It panics if a map is not a
// FeatureGradienter.
func (lg *LinearGaussian) jacobian(x []float64) []float64 {
	n := lg.q + lg.p
	jac := make([]float64, n*lg.in)
	if lg.q > 0 {
		gradOf(lg.model).FeatureGradient(jac[:lg.q*lg.in], x)
	}
	gradOf(lg.class).FeatureGradient(jac[lg.q*lg.in:], x)
	return jac
}

func gradOf(f FeatureMap) FeatureGradienter {
	fg, ok := f.(FeatureGradienter)
	if !ok {
		panic(fmt.Sprintf("objective: feature map %T has no FeatureGradient", f))
	}
	return fg
}

// project stores Wᵀv in dst (length r) where v has stride s starting at v[0].
func (lg *LinearGaussian) project(dst, v []float64, stride int) {
	for k := range dst {
		dst[k] = 0
	}
	r := lg.r
	for i := 0; i < lg.q+lg.p; i++ {
		vi := v[i*stride]
		if vi == 0 {
			continue
		}
		floats.AddScaled(dst, vi, lg.w[i*r:(i+1)*r])
	}
}

// Value returns the hard objective J_H(x) = E_{h~H}(ĥ(x) − h(x))².
// It panics if len(x) differs from the input dimension.
func (lg *LinearGaussian) Value(x []float64) float64 {
	lg.checkLen(x)
	w := make([]float64, lg.r)
	lg.project(w, lg.features(x), 1)
	var s float64
	for _, v := range w {
		s += v * v
	}
	return s
}

// Gradient stores ∇J_H(x) = 2∇u(x)ᵀW Wᵀu(x) in dst. It panics if a feature
// map is not a FeatureGradienter or len(x) is wrong.
func (lg *LinearGaussian) Gradient(dst, x []float64) []float64 {
	lg.checkLen(x)
	if dst == nil {
		dst = make([]float64, lg.in)
	}
	w := make([]float64, lg.r)
	lg.project(w, lg.features(x), 1)
	jac := lg.jacobian(x)
	wj := make([]float64, lg.r)
	for j := 0; j < lg.in; j++ {
		lg.project(wj, jac[j:], lg.in)
		var s float64
		for k, v := range wj {
			s += v * w[k]
		}
		dst[j] = 2 * s
	}
	return dst
}

// GradCov stores in dst (nil allocates) and returns the in×in covariance of
// the error gradient, S(x) = Cov ∇e(x) = ∇r(x)ᵀΣ∇r(x); ∇e(x) ~ N(0, S(x)).
// It panics if a feature map is not a FeatureGradienter.
func (lg *LinearGaussian) GradCov(dst *mat.SymDense, x []float64) *mat.SymDense {
	lg.checkLen(x)
	if dst == nil {
		dst = mat.NewSymDense(lg.in, nil)
	}
	jac := lg.jacobian(x)
	cols := make([][]float64, lg.in)
	for j := range cols {
		cols[j] = make([]float64, lg.r)
		lg.project(cols[j], jac[j:], lg.in)
	}
	for a := 0; a < lg.in; a++ {
		for b := a; b < lg.in; b++ {
			var s float64
			for k, v := range cols[a] {
				s += v * cols[b][k]
			}
			dst.SetSym(a, b, s)
		}
	}
	return dst
}

// GradSecondMoment returns E_H‖∇e(x)‖² = tr S(x), e = ĥ − h.
// It panics if a feature map is not a FeatureGradienter.
func (lg *LinearGaussian) GradSecondMoment(x []float64) float64 {
	lg.checkLen(x)
	jac := lg.jacobian(x)
	wj := make([]float64, lg.r)
	var s float64
	for j := 0; j < lg.in; j++ {
		lg.project(wj, jac[j:], lg.in)
		for _, v := range wj {
			s += v * v
		}
	}
	return s
}

// MeanGradNorm returns g(x) = E_H‖∇e(x)‖ for a 1-D input, where
// ∇e(x) ~ N(0, s²) and E|∇e| = √(2/π)·s. For in > 1, E‖z‖ of a Gaussian
// vector z ~ N(0, S) has no simple closed form; MeanGradNorm then returns an
// error: use GradNormBound (√tr S ≥ E‖z‖ by Jensen) or MonteCarlo.GradNorm.
func (lg *LinearGaussian) MeanGradNorm(x []float64) (float64, error) {
	if lg.in != 1 {
		return math.NaN(), fmt.Errorf("objective: MeanGradNorm has a closed form only for 1-D input, not %d-D; use GradNormBound or MonteCarlo.GradNorm", lg.in)
	}
	if len(x) != 1 {
		return math.NaN(), fmt.Errorf("objective: len(x) = %d; want 1", len(x))
	}
	return math.Sqrt(2/math.Pi) * math.Sqrt(lg.GradSecondMoment(x)), nil
}

// GradNormBound returns √(E_H‖∇e(x)‖²), an upper bound on E_H‖∇e(x)‖ by
// Jensen's inequality, equal to it times √(π/2) for 1-D input.
func (lg *LinearGaussian) GradNormBound(x []float64) float64 {
	return math.Sqrt(lg.GradSecondMoment(x))
}

// ValueAt stores J_H at the rows of pts in dst (nil allocates) after
// checking the points.
func (lg *LinearGaussian) ValueAt(dst []float64, pts mat.Matrix) ([]float64, error) {
	if err := checkPoints(pts, lg.in, "pts"); err != nil {
		return nil, err
	}
	n, _ := pts.Dims()
	if dst == nil {
		dst = make([]float64, n)
	}
	if len(dst) != n {
		return nil, fmt.Errorf("objective: len(dst) = %d; want %d (one per point)", len(dst), n)
	}
	workers := lg.Workers
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if workers < 1 {
		return nil, fmt.Errorf("objective: LinearGaussian.Workers = %d; want ≥ 1 (0 means GOMAXPROCS)", lg.Workers)
	}
	// Blocks of points go through one matrix product U·W (blocked in the
	// BLAS) instead of one vector product each; the blocks are the same
	// whatever the number of goroutines, and so are the values.
	const block = 512
	nu := lg.q + lg.p
	w := mat.NewDense(nu, lg.r, lg.w)
	err := parallel.Each((n+block-1)/block, workers, func() func(int) error {
		u := mat.NewDense(min(block, n), nu, nil)
		var uw mat.Dense
		x := make([]float64, lg.in)
		return func(b int) error {
			lo, hi := b*block, min((b+1)*block, n)
			ub := u.Slice(0, hi-lo, 0, nu).(*mat.Dense)
			for i := lo; i < hi; i++ {
				mat.Row(x, i, pts)
				row := ub.RawRowView(i - lo)
				if lg.q > 0 {
					lg.model.Features(row[:lg.q], x)
				}
				lg.class.Features(row[lg.q:], x)
			}
			uw.Reset()
			uw.Mul(ub, w)
			for i := lo; i < hi; i++ {
				var s float64
				for _, v := range uw.RawRowView(i - lo) {
					s += v * v
				}
				dst[i] = s
			}
			return nil
		}
	})
	if err != nil {
		return nil, err
	}
	return dst, nil
}

func (lg *LinearGaussian) checkLen(x []float64) {
	if len(x) != lg.in {
		panic(fmt.Sprintf("objective: len(x) = %d; want %d", len(x), lg.in))
	}
}
