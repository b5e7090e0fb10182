package cheb

import (
	"math"
	"strings"
	"testing"
)

func TestInterpolationCurve(t *testing.T) {
	// p_3 through the Lobatto points {-1, 0, 1} of f(x) = x⁴ is x², so
	// e(x) = x⁴ − x² = −x²(1 − x²). On the dyadic points below, |e| is
	// largest at ±3/4 over [-1, 1] (9/16·7/16 = 0.24609375) and at ±1/2
	// over [-1/2, 1/2] (1/4·3/4 = 0.1875); it is 0 at the nodes.
	const tol = 1e-15
	x := []float64{-1, -0.75, -0.5, -0.25, 0, 0.25, 0.5, 0.75, 1}
	quartic := func(x float64) float64 { return x * x * x * x }
	c, err := NewInterpolationCurve(Lobatto, 3, Domain{}, quartic, x)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range x {
		if math.Abs(c.P[i]-v*v) > tol || c.F[i] != quartic(v) || c.AbsError[i] != math.Abs(c.P[i]-c.F[i]) {
			t.Errorf("x = %v: p = %v, f = %v, |e| = %v; want x² = %v, x⁴ = %v and |p − f|", v, c.P[i], c.F[i], c.AbsError[i], v*v, quartic(v))
		}
	}
	for _, v := range []int{0, 4, 8} {
		if c.AbsError[v] != 0 {
			t.Errorf("error at the node %v = %v, want 0", x[v], c.AbsError[v])
		}
	}
	for _, r := range []struct {
		dom  Domain
		want float64
	}{{Domain{}, 0.24609375}, {Domain{A: -0.5, B: 0.5}, 0.1875}, {Domain{A: 0.9, B: 2}, 0}} {
		if got, err := c.SupError(r.dom); err != nil || math.Abs(got-r.want) > tol {
			t.Errorf("SupError(%v) = %v, %v; want %v", r.dom, got, err, r.want)
		}
	}
	for _, r := range []struct {
		dom  Domain
		want string
	}{{Domain{A: 0.1, B: 0.2}, "holds none"}, {Domain{A: 1, B: -1}, "invalid"}} {
		if _, err := c.SupError(r.dom); err == nil || !strings.Contains(err.Error(), r.want) {
			t.Errorf("SupError(%v): error %v, want one containing %q", r.dom, err, r.want)
		}
	}
	if _, err := NewInterpolationCurve(Random, 3, Domain{}, quartic, x); err == nil {
		t.Error("NewInterpolationCurve on a random grid: no error")
	}
}

func TestInterpolationCurveReproducesPolynomials(t *testing.T) {
	// Interpolation through n points is exact for polynomials of degree < n,
	// on every grid (T_k of degree n−1 here).
	const tol = 1e-12
	x, _ := EquispacedPoints(nil, 101, Domain{})
	for _, kind := range []GridKind{Equispaced, Chebyshev, Lobatto} {
		for _, n := range []int{2, 5, 9} {
			c, err := NewInterpolationCurve(kind, n, Domain{}, func(x float64) float64 { return T(n-1, x) }, x)
			if err != nil {
				t.Fatal(err)
			}
			if sup, _ := c.SupError(Domain{}); !(sup <= tol) {
				t.Errorf("%v, n = %d: sup error interpolating T_%d = %v, want <= %v", kind, n, n-1, sup, tol)
			}
		}
	}
}
