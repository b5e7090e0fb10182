package cheb

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

const gridTol = 1e-15 // points against cos formulas, relative to b-a

func TestGridFormulas(t *testing.T) {
	for _, n := range []int{1, 2, 3, 4, 9, 10, 33, 100} {
		cheb, err := ChebyshevPoints(nil, n, Domain{})
		if err != nil {
			t.Fatal(err)
		}
		lob, err := LobattoPoints(nil, n, Domain{})
		if err != nil {
			t.Fatal(err)
		}
		equi, err := EquispacedPoints(nil, n, Domain{})
		if err != nil {
			t.Fatal(err)
		}
		for j := 0; j < n; j++ {
			// Increasing order: point j is cos of the (n-1-j)-th angle.
			if want := math.Cos(float64(2*(n-1-j)+1) * math.Pi / float64(2*n)); math.Abs(cheb[j]-want) > 2*gridTol {
				t.Errorf("n=%d: Chebyshev x[%d] = %v, want %v", n, j, cheb[j], want)
			}
			if n > 1 {
				if want := math.Cos(float64(n-1-j) * math.Pi / float64(n-1)); math.Abs(lob[j]-want) > 2*gridTol {
					t.Errorf("n=%d: Lobatto x[%d] = %v, want %v", n, j, lob[j], want)
				}
				if want := -1 + 2*float64(j)/float64(n-1); math.Abs(equi[j]-want) > 2*gridTol {
					t.Errorf("n=%d: equispaced x[%d] = %v, want %v", n, j, equi[j], want)
				}
			}
			// The sin formulas are exactly antisymmetric.
			for name, x := range map[string][]float64{"chebyshev": cheb, "lobatto": lob, "equispaced": equi} {
				if x[j] != -x[n-1-j] {
					t.Errorf("n=%d %s: x[%d] = %v, -x[%d] = %v: not exactly symmetric", n, name, j, x[j], n-1-j, -x[n-1-j])
				}
			}
			// The Chebyshev points are roots of T_n, the Lobatto points
			// extrema of T_{n-1}.
			if v := T(n, cheb[j]); math.Abs(v) > recurTol {
				t.Errorf("n=%d: T_n(x[%d]) = %v, want 0", n, j, v)
			}
			if n > 1 && math.Abs(math.Abs(T(n-1, lob[j]))-1) > recurTol {
				t.Errorf("n=%d: |T_{n-1}(x[%d])| = %v, want 1", n, j, math.Abs(T(n-1, lob[j])))
			}
		}
		if n > 1 && (lob[0] != -1 || lob[n-1] != 1 || equi[0] != -1 || equi[n-1] != 1) {
			t.Errorf("n=%d: end points not exactly ±1", n)
		}
	}
}

func TestGridDomain(t *testing.T) {
	dom := Domain{A: 0, B: 0.3}
	rng := rand.New(rand.NewPCG(3, 3))
	for _, k := range GridKinds() {
		for _, n := range []int{1, 2, 7, 50} {
			x, err := Grid(k, n, dom, rng)
			if err != nil {
				t.Fatal(err)
			}
			if len(x) != n || !slices.IsSorted(x) {
				t.Errorf("%v n=%d: %d points, sorted %v", k, n, len(x), slices.IsSorted(x))
			}
			for j, v := range x {
				if !dom.Contains(v) {
					t.Errorf("%v n=%d: x[%d] = %v outside %v", k, n, j, v, dom)
				}
			}
			if (k == Lobatto || k == Equispaced) && n > 1 && (x[0] != 0 || x[n-1] != 0.3) {
				t.Errorf("%v n=%d: end points %v, %v, want 0, 0.3 exactly", k, n, x[0], x[n-1])
			}
		}
	}
}

func TestGridRandomSeed(t *testing.T) {
	a, _ := Grid(Random, 20, Domain{}, rand.New(rand.NewPCG(7, 7)))
	b, _ := Grid(Random, 20, Domain{}, rand.New(rand.NewPCG(7, 7)))
	if !slices.Equal(a, b) {
		t.Error("Random grids with the same seed differ")
	}
}

func TestGridKindString(t *testing.T) {
	// These names are the grid column of the figure CSVs.
	want := []string{"equispaced", "random", "chebyshev", "lobatto"}
	for i, k := range GridKinds() {
		if k.String() != want[i] {
			t.Errorf("%d.String() = %q, want %q", int(k), k.String(), want[i])
		}
		if p, err := ParseGridKind(want[i]); err != nil || p != k {
			t.Errorf("ParseGridKind(%q) = %v, %v", want[i], p, err)
		}
	}
	if _, err := ParseGridKind("uniform"); err == nil {
		t.Error(`ParseGridKind("uniform"): no error`)
	}
}

func TestGridErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"n = 0", func() error { _, err := Grid(Chebyshev, 0, Domain{}, nil); return err }(), "n = 0"},
		{"n = -3", func() error { _, err := LobattoPoints(nil, -3, Domain{}); return err }(), "n = -3"},
		{"a >= b", func() error { _, err := EquispacedPoints(nil, 5, Domain{A: 2, B: 1}); return err }(), "[2, 1]"},
		{"dst length", func() error { _, err := ChebyshevPoints(make([]float64, 3), 5, Domain{}); return err }(), "len(dst) = 3"},
		{"kind", func() error { _, err := Grid(GridKind(9), 5, Domain{}, nil); return err }(), "GridKind(9)"},
	} {
		if tc.err == nil || !strings.Contains(tc.err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one mentioning %q", tc.name, tc.err, tc.want)
		}
	}
}
