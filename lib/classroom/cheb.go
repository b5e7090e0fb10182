package classroom

import (
	"fmt"
	"math"
	"slices"
)

// pointTol is the tolerance on a Chebyshev point or a weight ratio: a few
// roundings, so cos((2j+1)π/(2n)) and the sine form both pass.
const pointTol = 1e-12

// The references of the Figure 2 checkers are computed here, from the
// definitions, and not by pointwise/lib/cheb: the exercise asks the student
// to write what cheb implements, and cheb is off limits to the answers
// (ownCode). The tests check that both agree.

// firstKind returns the n Chebyshev points of the first kind in increasing
// order, x_j = cos((2(n-1-j)+1)π/(2n)).
func firstKind(n int) []float64 {
	x := make([]float64, n)
	for j := range n {
		k := n - 1 - j // the roots of T_n, cos((2k+1)π/(2n)), from the right
		x[j] = math.Cos(math.Pi * float64(2*k+1) / float64(2*n))
	}
	return x
}

// lobatto returns the n ≥ 2 Chebyshev–Lobatto points in increasing order,
// x_j = cos((n-1-j)π/(n-1)).
func lobatto(n int) []float64 {
	x := make([]float64, n)
	for j := range x {
		x[j] = math.Cos(float64(n-1-j) * math.Pi / float64(n-1))
	}
	return x
}

// productWeights returns w_j = 1/Π_{k≠j}(x_j − x_k).
func productWeights(x []float64) []float64 {
	w := make([]float64, len(x))
	for j, xj := range x {
		p := 1.0
		for k, xk := range x {
			if k != j {
				p *= xj - xk
			}
		}
		w[j] = 1 / p
	}
	return w
}

// lagrange returns the interpolant through (nodes[j], values[j]) at x in
// Lagrange's form Σ_j y_j Π_{k≠j}(x − x_k)/(x_j − x_k): another formula than
// the barycentric one the student writes.
func lagrange(nodes, values []float64, x float64) float64 {
	var p float64
	for j := range nodes {
		l := values[j]
		for k := range nodes {
			if k != j {
				l *= (x - nodes[k]) / (nodes[j] - nodes[k])
			}
		}
		p += l
	}
	return p
}

// CheckChebyshevPoints checks points(n), which must return the n Chebyshev
// points of the first kind on [-1, 1], the roots of T_n, in increasing order:
// x_j = cos((2(n-1-j)+1)π/(2n)), j = 0, …, n-1, for n = 1, 2, 5 and 8.
// points may use no package of pointwise (cheb.ChebyshevPoints is the
// answer).
func CheckChebyshevPoints(points func(n int) []float64) error {
	if err := ownCode(points); err != nil {
		return err
	}
	for _, n := range []int{8, 5, 2, 1} {
		name := fmt.Sprintf("chebyshevPoints(%d)", n)
		x, err := call(name, func() []float64 { return points(n) })
		if err != nil {
			return err
		}
		want := firstKind(n)
		if len(x) != n {
			return fmt.Errorf("%s returned %d points, want %d", name, len(x), n)
		}
		if i := finite(x); i >= 0 {
			return fmt.Errorf("%s: x[%d] = %v is not a finite number", name, i, x[i])
		}
		for i, v := range x {
			if v < -1-pointTol || v > 1+pointTol {
				return fmt.Errorf("%s: x[%d] = %.5g lies outside [-1, 1]", name, i, v)
			}
		}
		if !slices.IsSorted(x) {
			rev := slices.Clone(x)
			slices.Reverse(rev)
			if matches(rev, want) {
				return fmt.Errorf("your points are not sorted: %s is in decreasing order; return them in increasing order (x[0] is the leftmost point)", name)
			}
			for i := 1; i < len(x); i++ {
				if x[i] < x[i-1] {
					return fmt.Errorf("your points are not sorted: %s has x[%d] = %.5g > x[%d] = %.5g; return them in increasing order", name, i-1, x[i-1], i, x[i])
				}
			}
		}
		if n > 2 {
			if matches(x, lobatto(n)) {
				return fmt.Errorf("%s returned the Chebyshev–Lobatto points cos(jπ/(n-1)) (the extrema of T_(n-1), ±1 included); the first kind are the roots of T_n, cos((2j+1)π/(2n))", name)
			}
		}
		for j := range x {
			if !close(x[j], want[j], pointTol) {
				k := 2*(n-1-j) + 1
				return fmt.Errorf("%s: x[%d] = %.5g should be %.5g (cos(%s))", name, j, x[j], want[j], piFraction(k, 2*n))
			}
		}
	}
	return nil
}

func matches(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !close(a[i], b[i], pointTol) {
			return false
		}
	}
	return true
}

// CheckBarycentricWeights checks weights(x), which must return the
// barycentric weights w_j = 1/Π_{k≠j}(x_j − x_k) of the distinct points x,
// up to a common factor (the barycentric formula does not see it), on 8
// Chebyshev points and on 5 irregular points. weights must not modify x, and
// may use no package of pointwise (cheb.BarycentricWeights is the answer).
func CheckBarycentricWeights(weights func(x []float64) []float64) error {
	if err := ownCode(weights); err != nil {
		return err
	}
	for _, x := range [][]float64{firstKind(8), {-1, -0.3, 0.1, 0.5, 0.9}} {
		name := fmt.Sprintf("barycentricWeights(%.3g)", x)
		in := slices.Clone(x)
		w, err := call(name, func() []float64 { return weights(in) })
		if err != nil {
			return err
		}
		if !slices.Equal(in, x) {
			return fmt.Errorf("%s changed its input x: compute the weights into a new slice", name)
		}
		want := productWeights(x)
		if len(w) != len(x) {
			return fmt.Errorf("%s returned %d weights for %d points", name, len(w), len(x))
		}
		if i := finite(w); i >= 0 {
			return fmt.Errorf("%s: w[%d] = %v is not a finite number (is a factor (x_j - x_j) = 0 in your product? skip k = j)", name, i, w[i])
		}
		for j, v := range w {
			if v == 0 {
				return fmt.Errorf("%s: w[%d] = 0; every weight of distinct points is nonzero", name, j)
			}
		}
		for j := 1; j < len(w); j++ {
			if math.Signbit(w[j]) == math.Signbit(w[j-1]) {
				return fmt.Errorf("%s: w[%d] = %.5g and w[%d] = %.5g have the same sign; for sorted points the weights alternate in sign (the product has one more negative factor from one point to the next)", name, j-1, w[j-1], j, w[j])
			}
		}
		for j := 1; j < len(w); j++ {
			got, ref := w[j]/w[0], want[j]/want[0]
			if !close(got, ref, 1e-9) {
				return fmt.Errorf("%s: w[%d]/w[0] = %.5g should be %.5g (weights are defined up to a common factor, so only their ratios are checked)", name, j, got, ref)
			}
		}
	}
	return nil
}

// CheckBarycentricEval checks eval(nodes, values, weights, x), which must
// return the interpolant through (nodes[j], values[j]) at x by the
// barycentric formula
//
//	p(x) = Σ_j w_j y_j/(x − x_j) / Σ_j w_j/(x − x_j),
//
// and values[j] exactly when x equals nodes[j]. It is compared with the
// Lagrange form of the interpolant of Runge's function through 9 Chebyshev
// points, at points between the nodes and at the nodes; the weights given
// are those of the Chebyshev points, sin((2(n-1-j)+1)π/(2n)) with alternating
// signs. eval may use no package of pointwise (cheb.NewBarycentric is the
// answer).
func CheckBarycentricEval(eval func(nodes, values, weights []float64, x float64) float64) error {
	if err := ownCode(eval); err != nil {
		return err
	}
	nodes := firstKind(9)
	w := make([]float64, len(nodes))
	for j := range w {
		w[j] = math.Sin(float64(2*(len(nodes)-1-j)+1) * math.Pi / float64(2*len(nodes)))
		if j%2 == 1 {
			w[j] = -w[j]
		}
	}
	y := make([]float64, len(nodes))
	for i, x := range nodes {
		y[i] = 1 / (1 + 25*x*x)
	}
	for _, x := range []float64{-1, -0.77, -0.3, 0.05, 0.5, 0.93, 1} {
		name := fmt.Sprintf("barycentricEval(..., x = %g)", x)
		got, err := call(name, func() float64 { return eval(slices.Clone(nodes), slices.Clone(y), slices.Clone(w), x) })
		if err != nil {
			return err
		}
		if want := lagrange(nodes, y, x); !close(got, want, 1e-10) {
			return fmt.Errorf("%s = %.6g should be %.6g (the interpolant of 1/(1+25x²) through 9 Chebyshev points)", name, got, want)
		}
	}
	for _, j := range []int{0, 4, 7} {
		x := nodes[j]
		name := fmt.Sprintf("barycentricEval(..., x = nodes[%d])", j)
		got, err := call(name, func() float64 { return eval(slices.Clone(nodes), slices.Clone(y), slices.Clone(w), x) })
		if err != nil {
			return err
		}
		if math.IsNaN(got) || math.IsInf(got, 0) {
			return fmt.Errorf("%s = %v: at a node the formula divides by zero; return values[%d] when x equals nodes[%d]", name, got, j, j)
		}
		if got != y[j] {
			return fmt.Errorf("%s = %.17g should be values[%d] = %.17g exactly", name, got, j, y[j])
		}
	}
	return nil
}
