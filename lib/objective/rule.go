package objective

import (
	"fmt"
	"math"
	"reflect"
	"sync"

	"gonum.org/v1/gonum/mat"
)

// LinearFit is the fit of a rule linear in its labels to a class linear in
// its coefficients: for h(x) = f(x)·θ the fitted hypothesis is
//
//	ĥ(x) = g(x)ᵀ M θ,
//
// with f = Class (p features), g = Model (q features) and M a q×p matrix. For
// least squares on points X, M = pinv(G_X) F_X, with G_X and F_X the feature
// matrices of X. A nil Model means g = f; M is then the p×p matrix P with
// θ̂ = Pθ.
type LinearFit struct {
	Class FeatureMap
	Model FeatureMap
	M     *mat.Dense
}

// model returns g.
func (l *LinearFit) model() FeatureMap {
	if l.Model == nil {
		return l.Class
	}
	return l.Model
}

// P stores in dst (nil allocates) and returns the p×p matrix P with θ̂ = Pθ
// in the class's f-basis, valid when g is the leading block of f
// (g_k = f_k for k < q, as for Chebyshev bases of degrees d ≤ D): then
// P = [M; 0]. With a nil Model, P = M. P returns an error when q > p.
func (l *LinearFit) P(dst *mat.Dense) (*mat.Dense, error) {
	if l.M == nil {
		return nil, fmt.Errorf("objective: LinearFit.M is nil")
	}
	q, p := l.M.Dims()
	if q > p {
		return nil, fmt.Errorf("objective: model has %d features, more than the class's %d; P exists only when g is the leading block of f", q, p)
	}
	if dst == nil {
		dst = mat.NewDense(p, p, nil)
	} else {
		dst.Reset()
		dst.ReuseAs(p, p)
		dst.Zero()
	}
	dst.Slice(0, q, 0, p).(*mat.Dense).Copy(l.M)
	return dst, nil
}

// LeastSquares is the least-squares rule on a model feature map g: the fit
// to labels y at the rows of X is ĥ(x) = g(x)·β with β the minimum-norm
// minimiser of ‖G_X β − y‖, G_X[i][k] = g_k(x_i). It is solved by the SVD
// of G_X (Golub and Van Loan, Matrix Computations, §5.5), never by the
// normal equations, so it interpolates when G_X is square and nonsingular.
type LeastSquares struct {
	// Map is the model feature map g.
	Map FeatureMap
	// RCond is the relative singular-value cutoff for the rank of G_X.
	// If RCond is 0, it is max(n, q)·ε.
	RCond float64
}

// Ridge is ridge least squares on a model feature map g: β minimises
// ‖G_X β − y‖² + λ‖β‖², with λ = RelLambda·tr(G_XᵀG_X). It is solved by the
// QR factorisation of the augmented matrix [G_X; √λ I] (Golub and Van Loan,
// §6.1), never by the normal equations.
type Ridge struct {
	// Map is the model feature map g.
	Map FeatureMap
	// RelLambda is λ relative to tr(G_XᵀG_X). If RelLambda is 0, it is
	// 1e-10, fig5's value (our choice: the fit nearly interpolates).
	RelLambda float64
}

var (
	_ LinearRule = LeastSquares{}
	_ LinearRule = Ridge{}
	_ Preparer   = LeastSquares{}
	_ Preparer   = Ridge{}
)

// Fit returns the least-squares fit *LinearHypothesis{Map: g, Coef: β}.
func (ls LeastSquares) Fit(x mat.Matrix, y []float64) (Hypothesis, error) {
	fit, err := ls.Prepare(x)
	if err != nil {
		return nil, err
	}
	return fit(y)
}

// Prepare factors G_X once; fit(y) then equals Fit(x, y) bit for bit.
func (ls LeastSquares) Prepare(x mat.Matrix) (fit func(y []float64) (Hypothesis, error), err error) {
	return prepareLinear(ls.Map, "LeastSquares.Map", x, ls.factor)
}

// LinearMap returns the fit (g, M) for the class f: M = pinv(G_X) F_X. A nil
// class means f = g, and then Model is nil and M = P.
func (ls LeastSquares) LinearMap(class FeatureMap, x mat.Matrix) (*LinearFit, error) {
	return linearMap(ls.Map, "LeastSquares.Map", class, x, ls.factor)
}

// factor takes the thin SVD of G and its numerical rank; the solve is then
// B = V Σ_r⁻¹ U_rᵀ b.
func (ls LeastSquares) factor(g *mat.Dense) (solve, error) {
	if ls.RCond < 0 || math.IsNaN(ls.RCond) {
		return nil, fmt.Errorf("objective: LeastSquares.RCond = %v; want ≥ 0", ls.RCond)
	}
	n, q := g.Dims()
	rcond := ls.RCond
	if rcond == 0 {
		rcond = float64(max(n, q)) * eps
	}
	var svd mat.SVD
	if !svd.Factorize(g, mat.SVDThin) {
		return nil, fmt.Errorf("objective: SVD of the %d×%d feature matrix failed", n, q)
	}
	rank := svd.Rank(rcond)
	if rank < 1 {
		return nil, fmt.Errorf("objective: the %d×%d feature matrix is zero", n, q)
	}
	return func(b mat.Matrix) (*mat.Dense, error) {
		var dst mat.Dense
		svd.SolveTo(&dst, b, rank)
		return &dst, nil
	}, nil
}

// Fit returns the ridge fit *LinearHypothesis{Map: g, Coef: β}.
func (r Ridge) Fit(x mat.Matrix, y []float64) (Hypothesis, error) {
	fit, err := r.Prepare(x)
	if err != nil {
		return nil, err
	}
	return fit(y)
}

// Prepare factors [G_X; √λ I] once; fit(y) then equals Fit(x, y) bit for bit.
func (r Ridge) Prepare(x mat.Matrix) (fit func(y []float64) (Hypothesis, error), err error) {
	return prepareLinear(r.Map, "Ridge.Map", x, r.factor)
}

// LinearMap returns the fit (g, M) for the class f:
// M = (G_XᵀG_X + λI)⁻¹G_XᵀF_X. A nil class means f = g, and then Model is
// nil and M = P.
func (r Ridge) LinearMap(class FeatureMap, x mat.Matrix) (*LinearFit, error) {
	return linearMap(r.Map, "Ridge.Map", class, x, r.factor)
}

// factor takes the QR factorisation of [G; √λ I]; the solve is then the
// least-squares solution of [G; √λ I] B = [b; 0].
func (r Ridge) factor(g *mat.Dense) (solve, error) {
	rel := r.RelLambda
	if rel == 0 {
		rel = 1e-10
	}
	if !(rel > 0) || math.IsInf(rel, 0) {
		return nil, fmt.Errorf("objective: Ridge.RelLambda = %v; want a finite value ≥ 0", r.RelLambda)
	}
	n, q := g.Dims()
	var tr float64
	for i := 0; i < n; i++ {
		for k := 0; k < q; k++ {
			v := g.At(i, k)
			tr += v * v
		}
	}
	if tr == 0 {
		return nil, fmt.Errorf("objective: the %d×%d feature matrix is zero, so λ = RelLambda·tr(AᵀA) = 0", n, q)
	}
	sl := math.Sqrt(rel * tr)
	aug := mat.NewDense(n+q, q, nil)
	aug.Slice(0, n, 0, q).(*mat.Dense).Copy(g)
	for k := 0; k < q; k++ {
		aug.Set(n+k, k, sl)
	}
	var qr mat.QR
	qr.Factorize(aug)
	// QR.SolveTo applies Qᵀ with LAPACK's Dormqr, which sets each diagonal
	// entry of the factorisation to 1 while it works and then restores it:
	// one solve at a time.
	var mu sync.Mutex
	return func(b mat.Matrix) (*mat.Dense, error) {
		_, c := b.Dims()
		rhs := mat.NewDense(n+q, c, nil)
		rhs.Slice(0, n, 0, c).(*mat.Dense).Copy(b)
		var dst mat.Dense
		mu.Lock()
		err := qr.SolveTo(&dst, false, rhs)
		mu.Unlock()
		if err != nil {
			return nil, fmt.Errorf("objective: ridge solve: %w", err)
		}
		return &dst, nil
	}, nil
}

// featureMatrix validates the points (rows of x) and returns G[i][k] = g_k(x_i).
func featureMatrix(g FeatureMap, name string, x mat.Matrix) (*mat.Dense, error) {
	q, err := mapFeatures(g, name)
	if err != nil {
		return nil, err
	}
	in, _ := g.Dims()
	if err := checkPoints(x, in, "training points X"); err != nil {
		return nil, err
	}
	n, _ := x.Dims()
	out := mat.NewDense(n, q, nil)
	pt := make([]float64, in)
	for i := 0; i < n; i++ {
		mat.Row(pt, i, x)
		g.Features(out.RawRowView(i), pt)
	}
	return out, nil
}

// classMatrix returns the model to record (nil when class is the model's own
// map), the class, and F_X.
func classMatrix(model, class FeatureMap, g *mat.Dense, x mat.Matrix) (FeatureMap, FeatureMap, *mat.Dense, error) {
	if class == nil || sameMap(model, class) {
		return nil, model, g, nil
	}
	if _, err := mapFeatures(class, "class"); err != nil {
		return nil, nil, nil, err
	}
	gin, _ := model.Dims()
	fin, _ := class.Dims()
	if gin != fin {
		return nil, nil, nil, fmt.Errorf("objective: class input dimension %d differs from the model's %d", fin, gin)
	}
	f, err := featureMatrix(class, "class", x)
	if err != nil {
		return nil, nil, nil, err
	}
	return model, class, f, nil
}

// sameMap reports whether a and b are the same comparable value.
func sameMap(a, b FeatureMap) bool {
	return reflect.TypeOf(a) == reflect.TypeOf(b) && reflect.TypeOf(a).Comparable() && a == b
}

// labels checks y against the feature matrix's rows and returns it as a column.
func labels(y []float64, g *mat.Dense) (*mat.VecDense, error) {
	n, _ := g.Dims()
	if len(y) != n {
		return nil, fmt.Errorf("objective: len(y) = %d but X has %d points", len(y), n)
	}
	for i, v := range y {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("objective: y[%d] = %v; want finite labels", i, v)
		}
	}
	return mat.NewVecDense(n, append([]float64(nil), y...)), nil
}

// checkPoints checks that x has at least one row, in columns and finite entries.
func checkPoints(x mat.Matrix, in int, name string) error {
	if x == nil {
		return fmt.Errorf("objective: %s is nil; want an n×%d matrix with n ≥ 1", name, in)
	}
	n, c := x.Dims()
	if n < 1 {
		return fmt.Errorf("objective: %s is empty; want at least one point", name)
	}
	if c != in {
		return fmt.Errorf("objective: %s has %d columns; want the input dimension %d", name, c, in)
	}
	for i := 0; i < n; i++ {
		for j := 0; j < c; j++ {
			if v := x.At(i, j); math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("objective: %s[%d][%d] = %v; want finite coordinates", name, i, j, v)
			}
		}
	}
	return nil
}

// solve returns B with G·B = b in the rule's sense (least squares or ridge),
// for the feature matrix G it was factored from. It only reads the
// factorisation, so goroutines may call it at once.
type solve func(b mat.Matrix) (*mat.Dense, error)

// factorizer factors the n×q feature matrix G of a rule linear in its labels.
type factorizer func(g *mat.Dense) (solve, error)

// prepareLinear builds G_X, the features of x under g (named field in
// errors), and factors it once; fit(y) is then *LinearHypothesis{Map: g,
// Coef: β} with β solving G_X β = y. Fit is Prepare then fit, so the two
// give the same bits.
func prepareLinear(g FeatureMap, field string, x mat.Matrix, factor factorizer) (func(y []float64) (Hypothesis, error), error) {
	gx, err := featureMatrix(g, field, x)
	if err != nil {
		return nil, err
	}
	s, err := factor(gx)
	if err != nil {
		return nil, err
	}
	return func(y []float64) (Hypothesis, error) {
		yv, err := labels(y, gx)
		if err != nil {
			return nil, err
		}
		beta, err := s(yv)
		if err != nil {
			return nil, err
		}
		return &LinearHypothesis{Map: g, Coef: mat.Col(nil, 0, beta)}, nil
	}, nil
}

// linearMap returns the fit (g, M) for the class f with M = solve(G_X, F_X),
// G_X the features of x under g (named field in errors). A nil class means
// f = g, and then Model is nil.
func linearMap(g FeatureMap, field string, class FeatureMap, x mat.Matrix, factor factorizer) (*LinearFit, error) {
	gx, err := featureMatrix(g, field, x)
	if err != nil {
		return nil, err
	}
	model, class, f, err := classMatrix(g, class, gx, x)
	if err != nil {
		return nil, err
	}
	s, err := factor(gx)
	if err != nil {
		return nil, err
	}
	m, err := s(f)
	if err != nil {
		return nil, err
	}
	return &LinearFit{Class: class, Model: model, M: m}, nil
}
