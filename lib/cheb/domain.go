package cheb

import (
	"fmt"
	"math"
)

// MaxN is the largest number of points (grid sizes, evaluation and
// quadrature points, and coefficients D+1 of a series) that the package
// accepts: 1<<24 = 16,777,216, 128 MiB as float64. It turns a mistyped
// size into an error instead of an allocation of gigabytes.
const MaxN = 1 << 24

// checkN returns an error unless lo <= n <= MaxN; name and what describe n
// in the message (for example "number of points", "n").
func checkN(what, name string, n, lo int) error {
	if n < lo || n > MaxN {
		return fmt.Errorf("cheb: %s %s = %d out of range: need %s >= %d and %s <= %d (MaxN)", what, name, n, name, lo, name, MaxN)
	}
	return nil
}

// Domain is the closed interval [A, B] on which a series or a grid lives.
// The zero value, A == B == 0, means the default [-1, 1].
type Domain struct {
	A, B float64
}

// Bounds returns the end points a < b of the domain, with the zero value
// read as [-1, 1].
func (d Domain) Bounds() (a, b float64) {
	if d.A == 0 && d.B == 0 {
		return -1, 1
	}
	return d.A, d.B
}

// Validate returns an error unless the domain is the zero value or has
// finite end points with A < B.
func (d Domain) Validate() error {
	a, b := d.Bounds()
	if math.IsNaN(a) || math.IsNaN(b) || math.IsInf(a, 0) || math.IsInf(b, 0) || !(a < b) {
		return fmt.Errorf("cheb: domain [a, b] = [%g, %g] invalid: need finite a < b (zero value means [-1, 1])", d.A, d.B)
	}
	return nil
}

// isUnit reports whether the domain is [-1, 1], where the maps are exact.
func (d Domain) isUnit() bool {
	a, b := d.Bounds()
	return a == -1 && b == 1
}

// ToUnit maps x in [a, b] to t = ((x - a) - (b - x))/(b - a) in [-1, 1].
// The end points map exactly to -1 and 1, and on [-1, 1] the map is the
// identity.
func (d Domain) ToUnit(x float64) float64 {
	a, b := d.Bounds()
	if a == -1 && b == 1 {
		return x
	}
	return ((x - a) - (b - x)) / (b - a)
}

// FromUnit maps t in [-1, 1] to x = (a + b)/2 + t (b - a)/2, the inverse of
// ToUnit. Points symmetric about 0 map to points symmetric about the centre.
func (d Domain) FromUnit(t float64) float64 {
	a, b := d.Bounds()
	if a == -1 && b == 1 {
		return t
	}
	return 0.5*(a+b) + 0.5*(b-a)*t
}

// Scale returns dt/dx = 2/(b - a), the factor that turns derivatives with
// respect to t into derivatives with respect to x.
func (d Domain) Scale() float64 {
	a, b := d.Bounds()
	return 2 / (b - a)
}

// Contains reports whether a <= x <= b.
func (d Domain) Contains(x float64) bool {
	a, b := d.Bounds()
	return a <= x && x <= b
}

// String returns the domain as "[a, b]".
func (d Domain) String() string {
	a, b := d.Bounds()
	return fmt.Sprintf("[%g, %g]", a, b)
}

// checkPoints returns an error if any x[i] is NaN, infinite or outside dom.
// name is the parameter name used in the message.
func checkPoints(name string, x []float64, dom Domain) error {
	a, b := dom.Bounds()
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("cheb: %s[%d] = %g is not finite: need finite points in %v", name, i, v, dom)
		}
		if v < a || v > b {
			return fmt.Errorf("cheb: %s[%d] = %g outside the domain: need %g <= %s[%d] <= %g", name, i, v, a, name, i, b)
		}
	}
	return nil
}

// checkFinite returns an error if any y[i] is NaN or infinite.
func checkFinite(name string, y []float64) error {
	for i, v := range y {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("cheb: %s[%d] = %g is not finite: need finite values", name, i, v)
		}
	}
	return nil
}
