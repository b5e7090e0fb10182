package cheb

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestFitRecoversPolynomial(t *testing.T) {
	// Data from a polynomial of degree q <= d is fitted exactly (to
	// rounding): the residual of the true coefficients is zero, and the
	// basis matrix has full column rank.
	const tol = 1e-12
	rng := rand.New(rand.NewPCG(6, 6))
	dom := Domain{A: -3, B: 1}
	for _, tc := range []struct{ q, d, m int }{
		{0, 0, 1}, {2, 2, 3}, {3, 5, 6}, {7, 7, 40}, {4, 10, 200},
	} {
		c := make([]float64, tc.q+1)
		for k := range c {
			c[k] = rng.NormFloat64()
		}
		p := Series{Coeffs: c, Domain: dom}
		x, _ := RandomPoints(nil, tc.m, dom, rng)
		s, err := Fit(x, p.Eval(nil, x), tc.d, dom)
		if err != nil {
			t.Fatal(err)
		}
		if s.Degree() != tc.d {
			t.Errorf("q=%d d=%d: degree %d", tc.q, tc.d, s.Degree())
		}
		for k, ck := range s.Coeffs {
			want := 0.0
			if k <= tc.q {
				want = c[k]
			}
			if math.Abs(ck-want) > tol {
				t.Errorf("q=%d d=%d m=%d: c_%d = %v, want %v", tc.q, tc.d, tc.m, k, ck, want)
			}
		}
	}
}

func TestFitRepeatedPoints(t *testing.T) {
	// Least squares averages repeated points: a constant fit to y at two
	// copies of one point and z at another is the mean (y + y + z)/3.
	s, err := Fit([]float64{0.5, 0.5, -0.5}, []float64{1, 1, 4}, 0, Domain{})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(s.Coeffs[0]-2) > 1e-15 {
		t.Errorf("constant fit = %v, want mean 2", s.Coeffs[0])
	}
	// A line through 2 distinct of 3 points is determined; a quadratic is not.
	if _, err := Fit([]float64{0.5, 0.5, -0.5}, []float64{1, 1, 4}, 1, Domain{}); err != nil {
		t.Errorf("line through 2 distinct points: %v", err)
	}
	_, err = Fit([]float64{0.5, 0.5, -0.5}, []float64{1, 1, 4}, 2, Domain{})
	if err == nil || !strings.Contains(err.Error(), "2 distinct points") {
		t.Errorf("quadratic through 2 distinct points: error %v", err)
	}
}

func TestFitErrors(t *testing.T) {
	x := []float64{-1, 0, 1}
	y := []float64{1, 2, 3}
	for _, tc := range []struct {
		name string
		x, y []float64
		d    int
		dom  Domain
		want string
	}{
		{"negative degree", x, y, -1, Domain{}, "d = -1"},
		{"underdetermined", x, y, 3, Domain{}, "need at least d+1 = 4"},
		{"lengths", x, y[:2], 1, Domain{}, "len(y) = 2"},
		{"NaN y", x, []float64{1, math.NaN(), 3}, 1, Domain{}, "y[1] = NaN"},
		{"Inf x", []float64{-1, math.Inf(1), 1}, y, 1, Domain{}, "x[1] = +Inf"},
		{"outside", x, y, 1, Domain{A: -1, B: 0.5}, "x[2] = 1"},
		{"domain", x, y, 1, Domain{A: 1, B: 1}, "[1, 1]"},
	} {
		_, err := Fit(tc.x, tc.y, tc.d, tc.dom)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one mentioning %q", tc.name, err, tc.want)
		}
	}
}
