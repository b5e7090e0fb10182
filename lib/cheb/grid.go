package cheb

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// GridKind names a family of interpolation grids.
type GridKind int

const (
	// Equispaced is the grid x_j = a + j(b-a)/(n-1) (the midpoint if n = 1).
	Equispaced GridKind = iota
	// Random is n independent uniform points on [a, b], sorted.
	Random
	// Chebyshev is the grid of Chebyshev points of the first kind, the n
	// roots of T_n.
	Chebyshev
	// Lobatto is the grid of Chebyshev points of the second kind
	// (Chebyshev-Lobatto points), the n extrema of T_{n-1} on [-1, 1].
	Lobatto
)

// GridKinds returns the four grid kinds in the order Equispaced, Random,
// Chebyshev, Lobatto.
func GridKinds() []GridKind { return []GridKind{Equispaced, Random, Chebyshev, Lobatto} }

// String returns the grid's name as written in figure CSVs: "equispaced",
// "random", "chebyshev" or "lobatto".
// (Its switch is this type's table of names, like other packages' String
// methods: alike in shape, with no logic to share.)
func (k GridKind) String() string {
	switch k {
	case Equispaced:
		return "equispaced"
	case Random:
		return "random"
	case Chebyshev:
		return "chebyshev"
	case Lobatto:
		return "lobatto"
	}
	return fmt.Sprintf("GridKind(%d)", int(k))
}

// ParseGridKind returns the GridKind whose String is s.
func ParseGridKind(s string) (GridKind, error) {
	for _, k := range GridKinds() {
		if k.String() == s {
			return k, nil
		}
	}
	return 0, fmt.Errorf("cheb: grid kind %q unknown: need one of equispaced, random, chebyshev, lobatto", s)
}

func (k GridKind) valid() bool { return Equispaced <= k && k <= Lobatto }

// Grid returns n points of the given kind on dom, in increasing order. rng
// is used only by Random; a nil rng then means the global math/rand/v2
// source (not reproducible).
func Grid(kind GridKind, n int, dom Domain, rng *rand.Rand) ([]float64, error) {
	switch kind {
	case Equispaced:
		return EquispacedPoints(nil, n, dom)
	case Random:
		return RandomPoints(nil, n, dom, rng)
	case Chebyshev:
		return ChebyshevPoints(nil, n, dom)
	case Lobatto:
		return LobattoPoints(nil, n, dom)
	}
	return nil, fmt.Errorf("cheb: grid kind %v unknown: need Equispaced, Random, Chebyshev or Lobatto", kind)
}

func checkGrid(dst []float64, n int, dom Domain) error {
	if err := checkN("number of points", "n", n, 1); err != nil {
		return err
	}
	if dst != nil && len(dst) != n {
		return fmt.Errorf("cheb: len(dst) = %d: need n = %d (or nil)", len(dst), n)
	}
	return dom.Validate()
}

// ChebyshevPoints stores the n Chebyshev points of the first kind on dom in
// dst and returns it. On [-1, 1] they are the roots of T_n,
// cos((2j+1)π/(2n)), computed in increasing order as
//
//	x_j = sin(π(2j - n + 1)/(2n)),  j = 0, ..., n-1,
//
// which is exactly antisymmetric, x_{n-1-j} = -x_j (as in Chebfun); then
// mapped to dom by Domain.FromUnit.
func ChebyshevPoints(dst []float64, n int, dom Domain) ([]float64, error) {
	return unitGrid(dst, n, dom, func(j int) float64 {
		return math.Sin(math.Pi * float64(2*j-n+1) / float64(2*n))
	})
}

// LobattoPoints stores the n Chebyshev points of the second kind on dom in
// dst and returns it. On [-1, 1] they are the extrema of T_{n-1},
// cos(jπ/(n-1)), computed in increasing order as
//
//	x_j = sin(π(2j - n + 1)/(2(n-1))),  j = 0, ..., n-1,
//
// exactly antisymmetric and with x_0 = a, x_{n-1} = b exactly. For n = 1 the
// single point is the midpoint (Chebfun's convention).
func LobattoPoints(dst []float64, n int, dom Domain) ([]float64, error) {
	return unitGrid(dst, n, dom, func(j int) float64 {
		if n == 1 {
			return 0
		}
		return math.Sin(math.Pi * float64(2*j-n+1) / float64(2*(n-1)))
	})
}

// EquispacedPoints stores n equally spaced points on dom, end points
// included, in dst and returns it. They are computed on [-1, 1] as
// x_j = (2j - n + 1)/(n - 1), exactly antisymmetric, then mapped to dom. For
// n = 1 the single point is the midpoint.
func EquispacedPoints(dst []float64, n int, dom Domain) ([]float64, error) {
	return unitGrid(dst, n, dom, func(j int) float64 {
		if n == 1 {
			return 0
		}
		return float64(2*j-n+1) / float64(n-1)
	})
}

// unitGrid stores x_j = unit(j), j = 0, ..., n-1, points of [-1, 1], in dst
// (nil allocates), maps them to dom by mapGrid and returns dst. It returns
// an error if n < 1, a non-nil dst does not have length n, or dom is
// invalid.
func unitGrid(dst []float64, n int, dom Domain, unit func(j int) float64) ([]float64, error) {
	if err := checkGrid(dst, n, dom); err != nil {
		return nil, err
	}
	dst = reuse(dst, n)
	for j := range dst {
		dst[j] = unit(j)
	}
	mapGrid(dst, dom)
	return dst, nil
}

// RandomPoints stores n independent uniform points on dom, sorted in
// increasing order, in dst and returns it. A nil rng means the global
// math/rand/v2 source.
func RandomPoints(dst []float64, n int, dom Domain, rng *rand.Rand) ([]float64, error) {
	if err := checkGrid(dst, n, dom); err != nil {
		return nil, err
	}
	dst = reuse(dst, n)
	a, b := dom.Bounds()
	for j := range dst {
		var u float64
		if rng == nil {
			u = rand.Float64()
		} else {
			u = rng.Float64()
		}
		dst[j] = min(a+(b-a)*u, b)
	}
	slices.Sort(dst)
	return dst, nil
}

// mapGrid maps points of [-1, 1] to dom, keeping ±1 at the end points exactly
// and every point inside [a, b] despite rounding.
func mapGrid(x []float64, dom Domain) {
	if dom.isUnit() {
		return
	}
	a, b := dom.Bounds()
	for j, t := range x {
		switch t {
		case -1:
			x[j] = a
		case 1:
			x[j] = b
		default:
			x[j] = min(max(dom.FromUnit(t), a), b)
		}
	}
}
