package objective

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// chebMap is f(x) = [T_0(x), …, T_deg(x)] on [−1, 1], by the three-term
// recurrence T_{k+1} = 2xT_k − T_{k−1}; T_k′ = kU_{k−1} with U the
// second-kind polynomials, U_{k+1} = 2xU_k − U_{k−1}.
type chebMap struct{ deg int }

func (c chebMap) Dims() (int, int) { return 1, c.deg + 1 }

func (c chebMap) Features(dst, x []float64) []float64 {
	if dst == nil {
		dst = make([]float64, c.deg+1)
	}
	t := x[0]
	dst[0] = 1
	if c.deg >= 1 {
		dst[1] = t
	}
	for k := 2; k <= c.deg; k++ {
		dst[k] = 2*t*dst[k-1] - dst[k-2]
	}
	return dst
}

func (c chebMap) FeatureGradient(dst, x []float64) []float64 {
	if dst == nil {
		dst = make([]float64, c.deg+1)
	}
	t := x[0]
	dst[0] = 0
	uPrev, u := 0.0, 1.0 // U_{-1}, U_0
	for k := 1; k <= c.deg; k++ {
		dst[k] = float64(k) * u
		uPrev, u = u, 2*t*u-uPrev
	}
	return dst
}

// tensorMap is f(x, y) = [T_i(x)T_j(y)], 0 ≤ i, j ≤ deg, index i*(deg+1)+j.
type tensorMap struct{ deg int }

func (m tensorMap) Dims() (int, int) { return 2, (m.deg + 1) * (m.deg + 1) }

func (m tensorMap) Features(dst, x []float64) []float64 {
	n := m.deg + 1
	if dst == nil {
		dst = make([]float64, n*n)
	}
	c := chebMap{m.deg}
	tx, ty := c.Features(nil, x[:1]), c.Features(nil, x[1:])
	for i := range n {
		for j := range n {
			dst[i*n+j] = tx[i] * ty[j]
		}
	}
	return dst
}

func (m tensorMap) FeatureGradient(dst, x []float64) []float64 {
	n := m.deg + 1
	if dst == nil {
		dst = make([]float64, 2*n*n)
	}
	c := chebMap{m.deg}
	tx, ty := c.Features(nil, x[:1]), c.Features(nil, x[1:])
	dx, dy := c.FeatureGradient(nil, x[:1]), c.FeatureGradient(nil, x[1:])
	for i := range n {
		for j := range n {
			k := i*n + j
			dst[2*k] = dx[i] * ty[j]
			dst[2*k+1] = tx[i] * dy[j]
		}
	}
	return dst
}

// plainMap hides FeatureGradient.
type plainMap struct{ FeatureMap }

// lobatto returns the n+1 Chebyshev–Lobatto points cos(jπ/n) in increasing
// order, computed as sin(π(2j−n)/(2n)) so they are exactly symmetric
// (as Chebfun does).
func lobatto(n int) []float64 {
	x := make([]float64, n+1)
	for j := range x {
		x[j] = math.Sin(math.Pi * float64(2*j-n) / float64(2*n))
	}
	return x
}

// linspace returns n equispaced points on [a, b].
func linspace(a, b float64, n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = a + (b-a)*float64(i)/float64(n-1)
	}
	x[n-1] = b
	return x
}

func column(x []float64) *mat.Dense {
	return mat.NewDense(len(x), 1, append([]float64(nil), x...))
}

// fig4 returns fig4's class and rule for degree d: f = [T_0 … T_2d],
// c_k ~ N(0, ρ^{2(k−d−1)}) for d < k ≤ 2d and 0 below, ρ = 0.5; least squares
// of degree d on a dense uniform sample of n points.
func fig4(d, n int) (*Gaussian, *LinearFit, error) {
	const rho = 0.5
	D := 2 * d
	v := make([]float64, D+1)
	for k := d + 1; k <= D; k++ {
		v[k] = math.Pow(rho, float64(2*(k-d-1)))
	}
	dist, err := NewGaussianDiag(chebMap{D}, v)
	if err != nil {
		return nil, nil, err
	}
	fit, err := LeastSquares{Map: chebMap{d}}.LinearMap(chebMap{D}, column(linspace(-1, 1, n)))
	if err != nil {
		return nil, nil, err
	}
	return dist, fit, nil
}

// hypFunc is a Hypothesis given by a function.
type hypFunc func(x []float64) float64

func (h hypFunc) Value(x []float64) float64 { return h(x) }

// estimates returns mc's estimates of J_H and E‖∇e‖ at pts and their
// standard errors, each from the stream PCG(seed, seed).
func estimates(t *testing.T, mc MonteCarlo, x, pts mat.Matrix, seed uint64) [][]float64 {
	t.Helper()
	h, hse, err := mc.Hard(nil, nil, x, pts, rand.New(rand.NewPCG(seed, seed)))
	if err != nil {
		t.Fatal(err)
	}
	g, gse, err := mc.GradNorm(nil, nil, x, pts, rand.New(rand.NewPCG(seed, seed)))
	if err != nil {
		t.Fatal(err)
	}
	return [][]float64{h, hse, g, gse}
}
