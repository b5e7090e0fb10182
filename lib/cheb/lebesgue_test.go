package cheb

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
)

func TestLebesgueTable(t *testing.T) {
	// Computed in 30-50 digit arithmetic (the first kind also by Rivlin's
	// closed form), n+1 points of degree n; 10 digits for the Chebyshev
	// grids and 7-8 for equispaced, so the tolerance is half the last digit.
	for _, tc := range []struct {
		n                int
		cheb, lob, equi  float64
		chebTol, equiTol float64
	}{
		{4, 1.9888543820, 1.7987618033, 2.2078244, 1e-10, 1e-7},
		{10, 2.4894303769, 2.4209687802, 29.899955, 1e-10, 1e-7},
		{16, 2.7663533359, 2.7247086772, 934.53411, 1e-10, 1e-7},
		{20, 2.9008249044, 2.8678101873, 10986.71, 1e-10, 1e-6},
		{50, 3.4656175403, 3.4526972972, 3.639781e12, 1e-10, 2e-7},
	} {
		for _, c := range []struct {
			kind      GridKind
			want, tol float64
		}{{Chebyshev, tc.cheb, tc.chebTol}, {Lobatto, tc.lob, tc.chebTol}, {Equispaced, tc.equi, tc.equiTol}} {
			x, _ := Grid(c.kind, tc.n+1, Domain{}, nil)
			got, at, err := LebesgueConstant(x, Domain{})
			if err != nil {
				t.Fatal(err)
			}
			if !scalar.EqualWithinRel(got, c.want, c.tol) {
				t.Errorf("%v n=%d: Λ = %.11g at %g, want %.11g", c.kind, tc.n, got, at, c.want)
			}
		}
	}
}

func TestLebesgueClosedFormsAndBounds(t *testing.T) {
	const tol = 1e-12
	rivlin := func(n int) float64 {
		// Rivlin: Λ_n = (1/(n+1)) Σ_{k=0}^{n} cot((2k+1)π/(4n+4)), at ±1.
		var s float64
		for k := 0; k <= n; k++ {
			s += 1 / math.Tan(float64(2*k+1)*math.Pi/float64(4*n+4))
		}
		return s / float64(n+1)
	}
	for n := 1; n <= 60; n++ {
		x, _ := ChebyshevPoints(nil, n+1, Domain{})
		l1, at, err := LebesgueConstant(x, Domain{})
		if err != nil {
			t.Fatal(err)
		}
		if !scalar.EqualWithinRel(l1, rivlin(n), tol) || math.Abs(at) != 1 {
			t.Errorf("chebyshev n=%d: Λ = %v at %g, Rivlin %v at ±1", n, l1, at, rivlin(n))
		}
		lo := 2/math.Pi*math.Log(float64(n+1)) + 0.5212516
		hi := 2/math.Pi*math.Log(float64(n+1)) + 1
		lob, _ := LobattoPoints(nil, n+1, Domain{})
		l2, _, _ := LebesgueConstant(lob, Domain{})
		// ATAP Thm 15.2: any nodes >= lo; Chebyshev points <= hi.
		for name, l := range map[string]float64{"chebyshev": l1, "lobatto": l2} {
			if l < lo || l > hi {
				t.Errorf("%s n=%d: Λ = %v outside [%v, %v]", name, n, l, lo, hi)
			}
		}
		if n%2 == 1 {
			// For odd n, Λ_n(2nd kind) = Λ_{n-1}(1st kind).
			if !scalar.EqualWithinRel(l2, rivlin(n-1), tol) {
				t.Errorf("lobatto n=%d: Λ = %v, want Λ_%d(1st kind) = %v", n, l2, n-1, rivlin(n-1))
			}
		}
		if n >= 2 && n <= 40 {
			eq, _ := EquispacedPoints(nil, n+1, Domain{})
			le, _, _ := LebesgueConstant(eq, Domain{})
			if b := math.Pow(2, float64(n-2)) / float64(n*n); le <= b || le < lo {
				t.Errorf("equispaced n=%d: Λ = %v, need > 2^(n-2)/n² = %v and >= %v", n, le, b, lo)
			}
		}
	}
}

func TestLebesgueFunction(t *testing.T) {
	// λ = 1 at the nodes and λ >= 1 everywhere (Σ ℓ_j = 1); it does not
	// depend on the domain's scale: the grid on [2, 12] gives λ(x) of the
	// grid on [-1, 1] at the mapped x.
	x, _ := EquispacedPoints(nil, 12, Domain{})
	y, _ := EquispacedPoints(nil, 12, Domain{A: 2, B: 12})
	probe := []float64{-1, -0.95, -0.3, 0.01, 0.5, 1}
	lx, err := LebesgueFunction(nil, append(probe, x...), x)
	if err != nil {
		t.Fatal(err)
	}
	mapped := make([]float64, len(probe))
	for i, p := range probe {
		mapped[i] = Domain{A: 2, B: 12}.FromUnit(p)
	}
	ly, _ := LebesgueFunction(nil, mapped, y)
	for i := range probe {
		if lx[i] < 1 || !scalar.EqualWithinRel(lx[i], ly[i], 1e-12) {
			t.Errorf("λ(%g) = %v, on [2, 12] %v", probe[i], lx[i], ly[i])
		}
	}
	for i := len(probe); i < len(lx); i++ {
		if lx[i] != 1 {
			t.Errorf("λ at node %d = %v, want 1", i-len(probe), lx[i])
		}
	}
}

func TestLebesgueErrors(t *testing.T) {
	if _, _, err := LebesgueConstant(nil, Domain{}); err == nil {
		t.Error("no nodes: no error")
	}
	if _, _, err := LebesgueConstant([]float64{0, 0.5, 0}, Domain{}); err == nil {
		t.Error("repeated node: no error")
	}
	if _, _, err := LebesgueConstant([]float64{0, 2}, Domain{}); err == nil {
		t.Error("node outside the domain: no error")
	}
	if _, err := LebesgueFunction(nil, []float64{math.NaN()}, []float64{0, 1}); err == nil {
		t.Error("NaN evaluation point: no error")
	}
	if l, _, err := LebesgueConstant([]float64{0.3}, Domain{}); err != nil || l != 1 {
		t.Errorf("one node: Λ = %v, %v, want 1 (constant interpolant)", l, err)
	}
}
