package objective

import (
	"fmt"
	"math"

	"pointwise/lib/internal/numeric"
)

// GridSearch finds the local extrema of a function of one variable on
// [a, b]: it evaluates the function on a uniform grid, takes each grid point
// that beats both neighbours (on a plateau, the first point) and refines it
// by golden-section search on the bracket of its two neighbours (Kiefer
// 1953; Press et al., Numerical Recipes, §10.2). An endpoint is an extremum
// when the function decreases (for maxima) or increases (for minima) from
// it into the interior; endpoints are returned exactly. Extrema narrower
// than the grid spacing can be missed.
type GridSearch struct {
	// Points is the number of grid points, including a and b. If Points
	// is 0, it is 1001.
	Points int
	// Tol is the absolute tolerance on x of the refinement. If Tol is 0,
	// it is 1e-10·(b − a).
	Tol float64
}

// Maxima returns the local maxima of f on [a, b] in increasing order.
func (s GridSearch) Maxima(f func(float64) float64, a, b float64) ([]float64, error) {
	return s.extrema(f, a, b, 1)
}

// Minima returns the local minima of f on [a, b] in increasing order.
func (s GridSearch) Minima(f func(float64) float64, a, b float64) ([]float64, error) {
	return s.extrema(f, a, b, -1)
}

// Argmax returns the global maximiser of f on [a, b] among the refined
// local maxima, and its value.
func (s GridSearch) Argmax(f func(float64) float64, a, b float64) (x, fx float64, err error) {
	xs, err := s.Maxima(f, a, b)
	if err != nil {
		return math.NaN(), math.NaN(), err
	}
	fx = math.Inf(-1)
	for _, t := range xs {
		if v := f(t); v > fx {
			x, fx = t, v
		}
	}
	return x, fx, nil
}

func (s GridSearch) extrema(f func(float64) float64, a, b float64, sign float64) ([]float64, error) {
	if f == nil {
		return nil, fmt.Errorf("objective: GridSearch: f is nil")
	}
	if err := checkInterval(a, b); err != nil {
		return nil, err
	}
	n := s.Points
	if n == 0 {
		n = 1001
	}
	if n < 3 || n > MaxGridPoints {
		return nil, fmt.Errorf("objective: GridSearch.Points = %d; want ≥ 3 and ≤ %d (0 means 1001)", s.Points, MaxGridPoints)
	}
	tol := s.Tol
	if tol == 0 {
		tol = 1e-10 * (b - a)
	}
	if !(tol > 0) || math.IsInf(tol, 0) {
		return nil, fmt.Errorf("objective: GridSearch.Tol = %v; want a finite value ≥ 0", s.Tol)
	}
	xs := make([]float64, n)
	vs := make([]float64, n)
	h := (b - a) / float64(n-1)
	for i := range xs {
		xs[i] = a + float64(i)*h
		if i == n-1 {
			xs[i] = b
		}
		vs[i] = sign * f(xs[i])
		if math.IsNaN(vs[i]) {
			return nil, fmt.Errorf("objective: GridSearch: f(%v) is NaN", xs[i])
		}
	}
	g := func(t float64) float64 { return sign * f(t) }
	var out []float64
	if vs[0] > vs[1] {
		out = append(out, a)
	}
	for i := 1; i < n-1; i++ {
		if vs[i] > vs[i-1] && vs[i] >= vs[i+1] {
			t := goldenMax(g, xs[i-1], xs[i+1], tol)
			if g(t) < vs[i] {
				t = xs[i]
			}
			out = append(out, t)
		}
	}
	if vs[n-1] > vs[n-2] {
		out = append(out, b)
	}
	return out, nil
}

// goldenMax returns an approximate maximiser of g on [lo, hi] by
// golden-section search, to within tol.
func goldenMax(g func(float64) float64, lo, hi, tol float64) float64 {
	x, _ := numeric.GoldenMax(g, lo, hi, tol, math.MaxInt)
	return x
}

// MaxGridPoints is the largest GridSearch.Points, 1<<24: the search holds
// two float64 slices of that length, 256 MiB.
const MaxGridPoints = 1 << 24

func checkInterval(a, b float64) error {
	if math.IsNaN(a) || math.IsNaN(b) || math.IsInf(a, 0) || math.IsInf(b, 0) || !(a < b) {
		return fmt.Errorf("objective: domain [%v, %v]; want finite a < b", a, b)
	}
	return nil
}
