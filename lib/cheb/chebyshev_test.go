package cheb

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/floats/scalar"
)

// Recurrence and Clenshaw errors grow about linearly with the degree.
const (
	recurTol = 1e-13 // |T_n(x) - exact| for n <= 100, |x| <= 1
	fdTol    = 1e-6  // central differences, step 1e-6, relative to n²
)

func TestTCosine(t *testing.T) {
	// T_n(cos θ) = cos(nθ), the definition of T_n.
	for _, n := range []int{0, 1, 2, 3, 7, 20, 64, 100} {
		for _, theta := range []float64{0, 0.1, 0.5, 1, 2, 3, math.Pi} {
			got, want := T(n, math.Cos(theta)), math.Cos(float64(n)*theta)
			if math.Abs(got-want) > recurTol {
				t.Errorf("T(%d, cos %g) = %v, want cos(%dθ) = %v", n, theta, got, n, want)
			}
			if T(-n, math.Cos(theta)) != got {
				t.Errorf("T(-%d) != T(%d): T_{-n} = T_n since cos is even", n, n)
			}
		}
	}
}

func TestTEndpointsAndDerivative(t *testing.T) {
	for n := 0; n <= 40; n++ {
		// T_n(1) = 1, T_n(-1) = (-1)^n: exact in floating point, since the
		// recurrence only adds integers there.
		sign := 1.0
		if n%2 == 1 {
			sign = -1
		}
		if got := T(n, 1); got != 1 {
			t.Errorf("T(%d, 1) = %v, want 1", n, got)
		}
		if got := T(n, -1); got != sign {
			t.Errorf("T(%d, -1) = %v, want %v", n, got, sign)
		}
		// T_n'(1) = n², T_n'(-1) = (-1)^(n+1) n², exact for the same reason.
		n2 := float64(n * n)
		if got := TDerivative(n, 1); got != n2 {
			t.Errorf("T'(%d, 1) = %v, want n² = %v", n, got, n2)
		}
		if got := TDerivative(n, -1); got != -sign*n2 {
			t.Errorf("T'(%d, -1) = %v, want %v", n, got, -sign*n2)
		}
	}
}

func TestTProduct(t *testing.T) {
	// T_m T_n = (T_{m+n} + T_{|m-n|})/2.
	for _, m := range []int{0, 1, 3, 8, 21} {
		for _, n := range []int{0, 2, 5, 13} {
			for _, x := range []float64{-1, -0.73, -0.2, 0, 0.31, 0.9, 1} {
				lhs := T(m, x) * T(n, x)
				rhs := (T(m+n, x) + T(m-n, x)) / 2
				if math.Abs(lhs-rhs) > recurTol {
					t.Errorf("T_%d T_%d (%g) = %v, (T_%d + T_%d)/2 = %v", m, n, x, lhs, m+n, m-n, rhs)
				}
			}
		}
	}
}

func TestTDerivativeFiniteDifference(t *testing.T) {
	for _, n := range []int{1, 2, 5, 12, 30} {
		for _, x := range []float64{-0.9, -0.35, 0.1, 0.77} {
			got := TDerivative(n, x)
			want := fd.Derivative(func(x float64) float64 { return T(n, x) }, x, &fd.Settings{Formula: fd.Central})
			if math.Abs(got-want) > fdTol*float64(n*n) {
				t.Errorf("T'(%d, %g) = %v, central difference %v", n, x, got, want)
			}
		}
	}
}

func TestClenshawMatchesRecurrence(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, n := range []int{0, 1, 2, 10, 50} {
		c := make([]float64, n+1)
		for k := range c {
			c[k] = rng.NormFloat64()
		}
		for _, x := range []float64{-1, -0.5, 0, 0.3, 1} {
			var want, scale float64
			for k, ck := range c {
				want += ck * T(k, x)
				scale += math.Abs(ck)
			}
			if got := Clenshaw(c, x); math.Abs(got-want) > recurTol*scale {
				t.Errorf("n=%d x=%g: Clenshaw %v, Σ c_k T_k %v", n, x, got, want)
			}
			p, dp := clenshawDerivative(c, x)
			if p != Clenshaw(c, x) {
				t.Errorf("n=%d x=%g: clenshawDerivative value %v != Clenshaw %v", n, x, p, Clenshaw(c, x))
			}
			var wantD float64
			for k, ck := range c {
				wantD += ck * TDerivative(k, x)
			}
			if math.Abs(dp-wantD) > recurTol*scale*float64(n*n+1) {
				t.Errorf("n=%d x=%g: derivative %v, Σ c_k T_k' %v", n, x, dp, wantD)
			}
		}
	}
	if Clenshaw(nil, 0.5) != 0 {
		t.Error("Clenshaw of the empty series is not 0")
	}
}

func TestDerivativeCoefficients(t *testing.T) {
	// T_3' = 3U_2 = 3(4x² - 1) = 3T_0 + 6T_2 (from x² = (T_0 + T_2)/2).
	got := DerivativeCoefficients(nil, []float64{0, 0, 0, 1})
	want := []float64{3, 0, 6}
	for k := range want {
		if got[k] != want[k] {
			t.Fatalf("DerivativeCoefficients(T_3) = %v, want %v", got, want)
		}
	}
	// A constant differentiates to [0].
	if d := DerivativeCoefficients(nil, []float64{5}); len(d) != 1 || d[0] != 0 {
		t.Errorf("derivative of a constant = %v, want [0]", d)
	}
	// Random series: the derivative series agrees with PredictDerivative
	// and with finite differences, on a non-unit domain.
	rng := rand.New(rand.NewPCG(2, 2))
	c := make([]float64, 15)
	for k := range c {
		c[k] = rng.NormFloat64() / float64(k+1)
	}
	s := Series{Coeffs: c, Domain: Domain{A: 2, B: 5}}
	ds := s.Derivative()
	for _, x := range []float64{2.1, 3, 3.5, 4.9} {
		a, b := ds.Predict(x), s.PredictDerivative(x)
		h := fd.Derivative(s.Predict, x, &fd.Settings{Formula: fd.Central})
		if !scalar.EqualWithinAbsOrRel(a, b, 1e-12, 1e-12) {
			t.Errorf("x=%g: derivative series %v, PredictDerivative %v", x, a, b)
		}
		if !scalar.EqualWithinAbsOrRel(a, h, fdTol, fdTol) {
			t.Errorf("x=%g: derivative series %v, central difference %v", x, a, h)
		}
	}
}

func TestSeriesIntegral(t *testing.T) {
	// ∫_{-1}^{1} T_k = 2/(1-k²) for even k, 0 for odd k; on [a, b] times (b-a)/2.
	for k := 0; k <= 9; k++ {
		c := make([]float64, k+1)
		c[k] = 1
		want := 0.0
		if k%2 == 0 {
			want = 2 / float64(1-k*k)
		}
		if got := (Series{Coeffs: c}).Integral(); math.Abs(got-want) > 1e-15 {
			t.Errorf("∫T_%d = %v, want %v", k, got, want)
		}
		if got := (Series{Coeffs: c, Domain: Domain{A: 0, B: 3}}).Integral(); math.Abs(got-1.5*want) > 1e-15 {
			t.Errorf("∫_0^3 T_%d(t(x)) dx = %v, want %v", k, got, 1.5*want)
		}
	}
}

func TestBasis(t *testing.T) {
	b := Basis{Degree: 12, Domain: Domain{A: -2, B: 3}}
	if in, f := b.Dims(); in != 1 || f != 13 {
		t.Fatalf("Dims() = %d, %d, want 1, 13", in, f)
	}
	for _, x := range []float64{-2, -0.5, 1.7, 3} {
		f := b.Features(nil, []float64{x})
		g := b.FeatureGradient(nil, []float64{x})
		u := b.Domain.ToUnit(x)
		for k := range f {
			if math.Abs(f[k]-T(k, u)) > recurTol {
				t.Errorf("x=%g: feature %d = %v, want T_%d = %v", x, k, f[k], k, T(k, u))
			}
			// Chain rule: d/dx T_k(t(x)) = T_k'(t) · 2/(b-a), b-a = 5.
			if want := TDerivative(k, u) * 0.4; math.Abs(g[k]-want) > recurTol*float64(k*k+1) {
				t.Errorf("x=%g: gradient %d = %v, want %v", x, k, g[k], want)
			}
		}
	}
	x := []float64{-2, 0, 0.5, 3}
	v, err := b.Matrix(nil, x)
	if err != nil {
		t.Fatal(err)
	}
	for i, xi := range x {
		f := b.Features(nil, []float64{xi})
		for k := range f {
			if v.At(i, k) != f[k] {
				t.Errorf("Matrix[%d][%d] = %v, Features %v", i, k, v.At(i, k), f[k])
			}
		}
	}
	if _, err := (Basis{Degree: -1}).Matrix(nil, x); err == nil {
		t.Error("Matrix with Degree -1: no error")
	}
	if _, err := b.Matrix(nil, []float64{math.NaN()}); err == nil {
		t.Error("Matrix with NaN point: no error")
	}
}

func TestBasisPanics(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    func()
	}{
		{"two inputs", func() { Basis{Degree: 2}.Features(nil, []float64{0, 1}) }},
		{"short dst", func() { Basis{Degree: 2}.FeatureGradient(make([]float64, 2), []float64{0}) }},
		{"negative degree", func() { Basis{Degree: -1}.Features(nil, []float64{0}) }},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", tc.name)
				}
			}()
			tc.f()
		}()
	}
}

func TestDomain(t *testing.T) {
	for _, d := range []Domain{{}, {A: -1, B: 1}, {A: 0, B: 1}, {A: -3, B: 7.5}} {
		a, b := d.Bounds()
		if d.ToUnit(a) != -1 || d.ToUnit(b) != 1 {
			t.Errorf("%v: ToUnit(a), ToUnit(b) = %v, %v, want -1, 1 exactly", d, d.ToUnit(a), d.ToUnit(b))
		}
		for _, x := range []float64{a, 0.3*a + 0.7*b, b} {
			if got := d.FromUnit(d.ToUnit(x)); math.Abs(got-x) > 1e-15*(b-a) {
				t.Errorf("%v: FromUnit(ToUnit(%g)) = %v", d, x, got)
			}
		}
	}
	for _, d := range []Domain{{A: 1, B: 1}, {A: 2, B: 1}, {A: math.NaN(), B: 1}, {A: 0, B: math.Inf(1)}} {
		if d.Validate() == nil {
			t.Errorf("Domain%v: Validate gave no error", d)
		}
	}
}
