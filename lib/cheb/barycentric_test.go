package cheb

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/floats/scalar"
)

func runge(x float64) float64 { return 1 / (1 + 25*x*x) }

// oracleSup is the number of points MaxError samples per degree.
const oracleSup = 20

func TestInterpolationReproducesPolynomials(t *testing.T) {
	// An interpolant through n points reproduces any polynomial of degree
	// < n; on well-conditioned grids to rounding, on equispaced points up
	// to the Lebesgue constant (29.9 for n = 11) times rounding.
	const tol = 1e-13
	rng := rand.New(rand.NewPCG(4, 4))
	dom := Domain{A: -1, B: 2}
	for _, n := range []int{1, 2, 5, 11} {
		c := make([]float64, n) // degree n-1
		for k := range c {
			c[k] = rng.NormFloat64()
		}
		p := Series{Coeffs: c, Domain: dom}
		var bs []*Barycentric
		for _, k := range []GridKind{Equispaced, Chebyshev, Lobatto} {
			b, err := Interpolate(k, n, dom, p.Predict)
			if err != nil {
				t.Fatal(err)
			}
			bs = append(bs, b)
		}
		x, _ := RandomPoints(nil, n, dom, rng)
		y := p.Eval(nil, x)
		b, err := NewBarycentric(x, y, dom)
		if err != nil {
			t.Fatal(err)
		}
		bs = append(bs, b)
		for i, b := range bs {
			for _, v := range []float64{-1, -0.3, 0.5, 1.234, 2} {
				if got, want := b.Predict(v), p.Predict(v); math.Abs(got-want) > tol*(1+math.Abs(want)) {
					t.Errorf("n=%d interpolant %d: p(%g) = %v, want %v", n, i, v, got, want)
				}
			}
			for j, xj := range b.Nodes() {
				if b.Predict(xj) != b.Values()[j] {
					t.Errorf("n=%d interpolant %d: not exact at node %d", n, i, j)
				}
			}
		}
	}
}

func TestRungeOracles(t *testing.T) {
	// Max error of the degree-n interpolant of Runge's function, computed
	// in 30-50 digit arithmetic; equispaced in exact arithmetic.
	const (
		chebTol = 2e-7 // relative; the reference values have 8 digits
		equiTol = 1e-6 // relative; the first barycentric formula is backward stable
	)
	for _, tc := range []struct {
		kind GridKind
		n    int
		want float64
		tol  float64
	}{
		{Lobatto, 10, 0.13219743, chebTol},
		{Lobatto, 20, 0.017737825, chebTol},
		{Lobatto, 40, 3.398781e-4, chebTol},
		{Lobatto, 80, 1.1963876e-7, chebTol},
		{Chebyshev, 10, 0.10915351, chebTol},
		{Chebyshev, 20, 0.015333735, chebTol},
		{Chebyshev, 40, 2.8946179e-4, chebTol},
		{Chebyshev, 80, 1.0228426e-7, chebTol},
		{Equispaced, 10, 1.9156589, equiTol},
		{Equispaced, 20, 59.822309, equiTol},
		{Equispaced, 40, 104668.76, equiTol},
	} {
		b, err := Interpolate(tc.kind, tc.n+1, Domain{}, runge)
		if err != nil {
			t.Fatal(err)
		}
		got, at, err := MaxError(b.Predict, runge, Domain{}, oracleSup*tc.n+1)
		if err != nil {
			t.Fatal(err)
		}
		if !scalar.EqualWithinRel(got, tc.want, tc.tol) {
			t.Errorf("%v n=%d: max error %.9g at %g, want %.9g", tc.kind, tc.n, got, at, tc.want)
		}
	}
}

func TestRungeFig2(t *testing.T) {
	// fig2 cross-check against numpy (barycentric, float64): max errors of
	// the interpolant through n equispaced points on [-1, 1] and on
	// |x| <= 0.5. For n = 65 numpy's 9.2e11 on [-1, 1] is rounding error of
	// the second barycentric formula: exact rational arithmetic gives
	// 1.0786e9 (Python fractions, x = 0.99385), which is what we check.
	const tol = 0.05 // the numpy values have two digits
	whole := []float64{0.44, 1.05, 14.4, 5.1e3, 1.0786e9}
	inner := []float64{0.36, 0.13, 0.030, 2.1e-3, 1.1e-5}
	var prevCheb float64 = math.Inf(1)
	for i, n := range []int{5, 9, 17, 33, 65} {
		b, err := Interpolate(Equispaced, n, Domain{}, runge)
		if err != nil {
			t.Fatal(err)
		}
		w, _, _ := MaxError(b.Predict, runge, Domain{}, oracleSup*n)
		in, _, _ := MaxError(b.Predict, runge, Domain{A: -0.5, B: 0.5}, oracleSup*n)
		if !scalar.EqualWithinRel(w, whole[i], tol) {
			t.Errorf("equispaced n=%d: max error %.4g, want %.4g", n, w, whole[i])
		}
		if !scalar.EqualWithinRel(in, inner[i], tol) {
			t.Errorf("equispaced n=%d: max error on |x| <= 0.5 %.4g, want %.4g", n, in, inner[i])
		}
		// fig2's check: on Chebyshev points the error decreases, below 1e-2 at n = 65.
		c, _ := Interpolate(Chebyshev, n, Domain{}, runge)
		e, _, _ := MaxError(c.Predict, runge, Domain{}, oracleSup*n)
		if e >= prevCheb {
			t.Errorf("chebyshev n=%d: max error %.3g did not decrease from %.3g", n, e, prevCheb)
		}
		prevCheb = e
	}
	if prevCheb >= 1e-2 {
		t.Errorf("chebyshev n=65: max error %.3g, want < 1e-2", prevCheb)
	}
}

func TestRungeCoefficients(t *testing.T) {
	// Closed forms (f has poles ±i/5): a_0 = 1/√26, a_2 = -(2/√26)ρ^-2,
	// ρ = (1+√26)/5, odd coefficients 0, and ∫f = (2/5) atan 5. With 201
	// points the aliasing error is about ρ^-200 = 6e-18, so the
	// interpolant's coefficients equal the series' to rounding.
	const tol = 1e-14
	rho := (1 + math.Sqrt(26)) / 5
	a0, a2 := 1/math.Sqrt(26), -2/math.Sqrt(26)/(rho*rho)
	const n = 201
	for _, k := range []GridKind{Chebyshev, Lobatto} {
		b, err := Interpolate(k, n, Domain{}, runge)
		if err != nil {
			t.Fatal(err)
		}
		s, err := b.Series()
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(s.Coeffs[0]-a0) > tol || math.Abs(s.Coeffs[2]-a2) > tol {
			t.Errorf("%v: a_0, a_2 = %v, %v, want %v, %v", k, s.Coeffs[0], s.Coeffs[2], a0, a2)
		}
		for j := 1; j < n; j += 2 {
			if math.Abs(s.Coeffs[j]) > tol {
				t.Errorf("%v: a_%d = %v, want 0 (f is even)", k, j, s.Coeffs[j])
				break
			}
		}
		if got, want := s.Integral(), 0.4*math.Atan(5); math.Abs(got-want) > tol {
			t.Errorf("%v: ∫ interpolant = %v, want (2/5) atan 5 = %v", k, got, want)
		}
	}
	// The transforms (DCT-I, quarter-wave) agree with the QR solve of the
	// square system on the same degree-8 interpolant.
	dom := Domain{A: 1, B: 4}
	for _, k := range []GridKind{Chebyshev, Lobatto} {
		b, _ := Interpolate(k, 9, dom, math.Exp)
		fast, _ := b.Series()
		g, err := NewBarycentric(b.Nodes(), b.Values(), dom)
		if err != nil {
			t.Fatal(err)
		}
		slow, err := g.Series()
		if err != nil {
			t.Fatal(err)
		}
		for j := range fast.Coeffs {
			if math.Abs(fast.Coeffs[j]-slow.Coeffs[j]) > 1e-12 {
				t.Errorf("%v: coefficient %d by transform %v, by QR %v", k, j, fast.Coeffs[j], slow.Coeffs[j])
			}
		}
	}
}

func TestWeights(t *testing.T) {
	// The closed forms equal the general O(n²) weights up to a common factor.
	const tol = 1e-12
	for _, k := range []GridKind{Equispaced, Chebyshev, Lobatto} {
		for _, n := range []int{1, 2, 3, 8, 31, 64} {
			w, err := Weights(nil, k, n)
			if err != nil {
				t.Fatal(err)
			}
			x, _ := Grid(k, n, Domain{}, nil)
			g, err := BarycentricWeights(nil, x)
			if err != nil {
				t.Fatal(err)
			}
			r := g[0] / w[0]
			for j := range w {
				if !scalar.EqualWithinRel(g[j], r*w[j], tol) {
					t.Errorf("%v n=%d: w[%d] general/closed = %v, want common ratio %v", k, n, j, g[j]/w[j], r)
				}
			}
		}
	}
	// The closed-form scale of the equispaced first formula is exact.
	for _, n := range []int{1, 2, 5, 40, 101} {
		x, _ := EquispacedPoints(nil, n, Domain{A: 0, B: 10})
		frac, exp := scaledWeights(x, 0.4)
		w, _ := Weights(nil, Equispaced, n)
		gf, ge := equispacedScale(n)
		for j := range w {
			want := math.Ldexp(frac[j], exp[j]-ge)
			if !scalar.EqualWithinRel(w[j]*gf, want, tol) {
				t.Errorf("n=%d: closed-form weight %d = %v·2^%d, product form %v·2^%d", n, j, w[j]*gf, ge, want, ge)
			}
		}
	}
	if _, err := Weights(nil, Random, 4); err == nil {
		t.Error("Weights(Random): no error")
	}
}

func TestRepeatedPoints(t *testing.T) {
	x := []float64{0.1, -0.5, 0.7, -0.5, 0.2}
	_, err := NewBarycentric(x, make([]float64, 5), Domain{})
	var rep *RepeatedPointError
	if !errors.As(err, &rep) || rep.I != 1 || rep.J != 3 || rep.Value != -0.5 {
		t.Fatalf("error %v, want x[1] and x[3] both -0.5", err)
	}
	if !strings.Contains(err.Error(), "x[1] and x[3]") {
		t.Errorf("message %q does not name x[1] and x[3]", err)
	}
}

func TestBarycentricErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		x, y []float64
		dom  Domain
		want string
	}{
		{"empty", nil, nil, Domain{}, "len(x) = 0"},
		{"lengths", []float64{0, 1}, []float64{1}, Domain{}, "len(y) = 1"},
		{"NaN value", []float64{0, 1}, []float64{1, math.NaN()}, Domain{}, "y[1] = NaN"},
		{"outside", []float64{0, 1.5}, []float64{1, 2}, Domain{}, "x[1] = 1.5"},
		{"domain", []float64{0}, []float64{1}, Domain{A: 1, B: -1}, "[1, -1]"},
	} {
		_, err := NewBarycentric(tc.x, tc.y, tc.dom)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one mentioning %q", tc.name, err, tc.want)
		}
	}
	if _, err := Interpolate(Chebyshev, 0, Domain{}, runge); err == nil {
		t.Error("Interpolate with n = 0: no error")
	}
	if _, err := Interpolate(Random, 5, Domain{}, runge); err == nil {
		t.Error("Interpolate on a random grid: no error")
	}
	if _, err := Interpolate(Lobatto, 5, Domain{}, func(float64) float64 { return math.Inf(1) }); err == nil {
		t.Error("Interpolate of an infinite function: no error")
	}
}

func TestBarycentricDerivative(t *testing.T) {
	// The derivative of the interpolant of a polynomial is the polynomial's
	// derivative (to rounding), at nodes and between them; and it matches
	// central differences of Predict for Runge's interpolant.
	const (
		polyTol = 1e-11
		diffTol = 1e-6
	)
	dom := Domain{A: -2, B: 1}
	p := Series{Coeffs: []float64{0.3, -1, 0.5, 2, -0.25, 0.1}, Domain: dom}
	x, _ := RandomPoints(nil, 6, dom, rand.New(rand.NewPCG(5, 5)))
	general, err := NewBarycentric(x, p.Eval(nil, x), dom)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []GridKind{Equispaced, Chebyshev, Lobatto} {
		b, err := Interpolate(k, 6, dom, p.Predict)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range append(b.Nodes(), -1.9, -0.4, 0.77) {
			if got, want := b.PredictDerivative(v), p.PredictDerivative(v); !scalar.EqualWithinAbsOrRel(got, want, polyTol, polyTol) {
				t.Errorf("%v: p'(%g) = %v, want %v", k, v, got, want)
			}
		}
	}
	for _, v := range append(general.Nodes(), -1.9, 0.77) {
		if got, want := general.PredictDerivative(v), p.PredictDerivative(v); !scalar.EqualWithinAbsOrRel(got, want, polyTol, polyTol) {
			t.Errorf("random nodes: p'(%g) = %v, want %v", v, got, want)
		}
	}
	for _, k := range []GridKind{Chebyshev, Equispaced} {
		b, _ := Interpolate(k, 15, Domain{}, runge)
		for _, v := range []float64{-0.83, -0.11, 0.4, 0.95} {
			got := b.PredictDerivative(v)
			want := fd.Derivative(b.Predict, v, &fd.Settings{Formula: fd.Central})
			if !scalar.EqualWithinAbsOrRel(got, want, diffTol, diffTol) {
				t.Errorf("%v Runge: p'(%g) = %v, central difference %v", k, v, got, want)
			}
		}
	}
}

func TestBarycentricNearNode(t *testing.T) {
	// Points 1 ulp and 1e-300 away from a node give the node's value (the
	// interpolant is continuous, and overflow is caught).
	b, _ := Interpolate(Chebyshev, 9, Domain{}, runge)
	g, _ := NewBarycentric(b.Nodes(), b.Values(), Domain{})
	for _, bb := range []*Barycentric{b, g} {
		xj, yj := bb.Nodes()[4], bb.Values()[4] // x_4 = 0
		for _, v := range []float64{math.Nextafter(xj, 1), xj + 1e-300} {
			if got := bb.Predict(v); math.Abs(got-yj) > 1e-14 {
				t.Errorf("p(%g) = %v, node value %v", v, got, yj)
			}
		}
	}
}
