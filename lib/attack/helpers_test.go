package attack

import (
	"math"
	"math/rand/v2"
	"testing"

	"pointwise/lib/mlp"
)

const (
	// fdStep is the central-difference step: truncation error O(h²) ≈ 1e-12,
	// rounding error O(u/h) ≈ 1e-10 for losses of order 1 (u ≈ 1.1e-16).
	fdStep = 1e-6
	// gradRelTol bounds the relative error of an analytic gradient against
	// central differences; gradAbsTol is the floor for entries near zero.
	gradRelTol = 1e-5
	gradAbsTol = 1e-8
	// ballTol64 and ballTol32 bound how far a float64 (float32) output may
	// leave the ε-ball: one rounding of x + δ, a few units in the last
	// place of numbers in [0, 1], times √d for the L2 norm.
	ballTol64 = 1e-14
	ballTol32 = 1e-6
	// exactTol is the tolerance for points that the mathematics gives
	// exactly, such as x − ε·sign(w) (one rounding of a sum in [0, 1]).
	exactTol = 1e-15
	// lossTol is the relative tolerance for losses recomputed on another
	// batch layout (the GEMM's summation order may change).
	lossTol = 1e-9
)

func newRand(s uint64) *rand.Rand { return rand.New(rand.NewPCG(s, s)) }

// randomNet returns an initialised network with the given sizes.
func randomNet[T mlp.Float](t testing.TB, sizes []int, act mlp.Activation, seed uint64) *mlp.Network[T] {
	t.Helper()
	net, err := mlp.New[T](sizes, act, mlp.Identity)
	if err != nil {
		t.Fatal(err)
	}
	if err := net.Init(newRand(seed), mlp.He{}); err != nil {
		t.Fatal(err)
	}
	return net
}

// unitInputs returns n×d inputs uniform in [lo, hi].
func unitInputs[T mlp.Float](rnd *rand.Rand, n, d int, lo, hi float64) []T {
	x := make([]T, n*d)
	for i := range x {
		x[i] = T(lo + (hi-lo)*rnd.Float64())
	}
	return x
}

func randomLabels(rnd *rand.Rand, n, classes int) []int {
	y := make([]int, n)
	for i := range y {
		y[i] = rnd.IntN(classes)
	}
	return y
}

// blobs draws n samples of a d-dimensional problem with the given number of
// classes: class k is centred on a point c_k uniform in [0.2, 0.8]^d, and a
// sample is c_k + σ·N(0, I) clipped to [0, 1].
func blobs[T mlp.Float](rnd *rand.Rand, centres [][]float64, n int, sigma float64) ([]T, []int) {
	d := len(centres[0])
	x := make([]T, n*d)
	y := make([]int, n)
	for i := range n {
		k := rnd.IntN(len(centres))
		y[i] = k
		for j := range d {
			x[i*d+j] = T(min(max(centres[k][j]+sigma*rnd.NormFloat64(), 0), 1))
		}
	}
	return x, y
}

func blobCentres(rnd *rand.Rand, classes, d int) [][]float64 {
	c := make([][]float64, classes)
	for k := range c {
		c[k] = make([]float64, d)
		for j := range c[k] {
			c[k][j] = 0.2 + 0.6*rnd.Float64()
		}
	}
	return c
}

// trainedBlobs returns a 20→32→32→3 ReLU network trained on the blobs
// problem, and held-out samples it was not trained on.
func trainedBlobs[T mlp.Float](t testing.TB) (*mlp.Network[T], []T, []int) {
	t.Helper()
	const d, classes = 20, 3
	rnd := newRand(7)
	centres := blobCentres(rnd, classes, d)
	x, y := blobs[T](rnd, centres, 1000, 0.2)
	net := randomNet[T](t, []int{d, 32, 32, classes}, mlp.ReLU, 8)
	tr := mlp.Trainer[T]{Optimizer: &mlp.Adam[T]{}, Epochs: 30, BatchSize: 50, Seed: 9}
	if _, err := tr.Train(net, x, y); err != nil {
		t.Fatal(err)
	}
	xt, yt := blobs[T](rnd, centres, 300, 0.2)
	return net, xt, yt
}

// linearNet returns the two-class linear classifier z = x·W + b (no hidden
// layer) with W entries N(0, 1) and b = 0, so that for a sample of class y the
// margin z_y − z_{1−y} = x·w_y with w_y = W[:, y] − W[:, 1−y].
func linearNet(t testing.TB, d int, seed uint64) *mlp.Network[float64] {
	t.Helper()
	net, err := mlp.New[float64]([]int{d, 2}, mlp.ReLU, mlp.Identity)
	if err != nil {
		t.Fatal(err)
	}
	rnd := newRand(seed)
	for j := range net.Layer(0).W {
		net.Layer(0).W[j] = rnd.NormFloat64()
	}
	return net
}

// marginWeights returns w_y = W[:, y] − W[:, 1−y] of a linear two-class net.
func marginWeights(net *mlp.Network[float64], y int) []float64 {
	l := net.Layer(0)
	w := make([]float64, l.In)
	for j := range w {
		w[j] = l.W[j*2+y] - l.W[j*2+1-y]
	}
	return w
}

func dot(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// checkBall reports any output coordinate outside [0, 1], any row outside
// the ε-ball of its clean row, and any change to the clean inputs.
func checkBall[T mlp.Float](t *testing.T, name string, dst, x, x0 []T, in int, eps float64, p Norm, tol float64) {
	t.Helper()
	for j := range x {
		if x[j] != x0[j] {
			t.Fatalf("%s: input x[%d] modified: %v, was %v", name, j, x[j], x0[j])
		}
	}
	for r := 0; r < len(x); r += in {
		var l2, linf float64
		for j := r; j < r+in; j++ {
			v := float64(dst[j])
			if !(v >= 0 && v <= 1) {
				t.Fatalf("%s: dst[%d] = %v outside [0, 1]", name, j, v)
			}
			d := math.Abs(v - float64(x[j]))
			linf = max(linf, d)
			l2 += d * d
		}
		l2 = math.Sqrt(l2)
		switch p {
		case LInf:
			if linf > eps+tol {
				t.Fatalf("%s: row %d has ‖δ‖∞ = %.17g > ε = %v", name, r/in, linf, eps)
			}
		case L2:
			if l2 > eps+tol*math.Sqrt(float64(in)) {
				t.Fatalf("%s: row %d has ‖δ‖₂ = %.17g > ε = %v", name, r/in, l2, eps)
			}
		}
	}
}
