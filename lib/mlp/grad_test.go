package mlp

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
)

const (
	// fdStep is the central-difference step: truncation error O(h²) ≈ 1e-12
	// and rounding error O(ε/h) ≈ 1e-10 for losses of order 1.
	fdStep = 1e-6
	// gradRelTol bounds the relative error of an analytic gradient against
	// central differences; gradAbsTol is the floor for entries near zero.
	gradRelTol = 1e-5
	gradAbsTol = 1e-8
)

// centralDiff returns ∂f/∂x_i ≈ (f(x + h e_i) − f(x − h e_i))/(2h), restoring x.
func centralDiff(f func() float64, x []float64) []float64 {
	g := make([]float64, len(x))
	for i := range x {
		v := x[i]
		x[i] = v + fdStep
		fp := f()
		x[i] = v - fdStep
		fm := f()
		x[i] = v
		g[i] = (fp - fm) / (2 * fdStep)
	}
	return g
}

func checkGrad(t *testing.T, name string, got, want []float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: length %d, want %d", name, len(got), len(want))
	}
	for i := range got {
		if !scalar.EqualWithinAbsOrRel(got[i], want[i], gradAbsTol, gradRelTol) {
			t.Errorf("%s[%d] = %.10g, finite differences give %.10g", name, i, got[i], want[i])
		}
	}
}

func randomSlice(rnd *rand.Rand, n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = rnd.NormFloat64()
	}
	return x
}

// lossFunc is a loss of a network's output with its gradient.
type lossFunc struct {
	name string
	eval func(dst, y []float64, batch int) (float64, []float64)
}

func testLosses(rnd *rand.Rand, batch, out int) []lossFunc {
	labels := make([]int, batch)
	for i := range labels {
		labels[i] = rnd.IntN(out)
	}
	target := randomSlice(rnd, batch*out)
	return []lossFunc{
		{"cross-entropy", func(dst, y []float64, _ int) (float64, []float64) {
			l, d, err := CrossEntropy(dst, y, labels)
			if err != nil {
				panic(err)
			}
			return l, d
		}},
		{"squared", func(dst, y []float64, batch int) (float64, []float64) {
			l, d, err := HalfSquaredError(dst, y, target, batch)
			if err != nil {
				panic(err)
			}
			return l, d
		}},
	}
}

func TestGradientFiniteDifferences(t *testing.T) {
	const batch = 4
	sizes := []int{3, 5, 4, 3}
	acts := []Activation{Identity, ReLU, Tanh, Sigmoid}
	for _, hidden := range acts {
		for _, output := range acts {
			rnd := rand.New(rand.NewPCG(1, 2))
			net, err := New[float64](sizes, hidden, output)
			if err != nil {
				t.Fatal(err)
			}
			// Non-zero biases so that every bias gradient is exercised.
			if err := net.Init(rnd, Gaussian{BiasStd: []float64{0.5, 0.5, 0.5}}); err != nil {
				t.Fatal(err)
			}
			x := randomSlice(rnd, batch*sizes[0])
			tp, err := net.NewTape(batch)
			if err != nil {
				t.Fatal(err)
			}
			for _, lf := range testLosses(rnd, batch, net.Out()) {
				name := fmt.Sprintf("%v/%v/%s", hidden, output, lf.name)
				f := func() float64 {
					y, err := tp.Forward(x)
					if err != nil {
						t.Fatal(err)
					}
					l, _ := lf.eval(nil, y, batch)
					return l
				}
				wantP := centralDiff(f, net.Params())
				wantX := centralDiff(f, x)

				y, _ := tp.Forward(x)
				_, dy := lf.eval(nil, y, batch)
				dx := make([]float64, len(x))
				grad, err := tp.Backward(nil, dx, dy)
				if err != nil {
					t.Fatal(err)
				}
				checkGrad(t, name+" ∂L/∂θ", grad, wantP)
				checkGrad(t, name+" ∂L/∂x", dx, wantX)

				// The input-only pass runs the same kernels on the same data.
				dx2, err := tp.InputGradient(nil, dy)
				if err != nil {
					t.Fatal(err)
				}
				for i := range dx {
					if dx2[i] != dx[i] {
						t.Errorf("%s: InputGradient[%d] = %v, Backward gives %v", name, i, dx2[i], dx[i])
					}
				}
			}
		}
	}
}

func TestFeatureInputGradient(t *testing.T) {
	const batch = 3
	for _, hidden := range []Activation{ReLU, Tanh, Sigmoid} {
		rnd := rand.New(rand.NewPCG(3, 3))
		net, _ := New[float64]([]int{4, 6, 5, 2}, hidden, Identity)
		if err := net.Init(rnd, Gaussian{BiasStd: []float64{1, 1, 1}}); err != nil {
			t.Fatal(err)
		}
		x := randomSlice(rnd, batch*4)
		tp, _ := net.NewTape(batch)
		// L = ½‖φ‖², so ∂L/∂φ = φ.
		f := func() float64 {
			phi, err := tp.Features(x)
			if err != nil {
				t.Fatal(err)
			}
			var s float64
			for _, v := range phi {
				s += v * v / 2
			}
			return s
		}
		want := centralDiff(f, x)
		phi, _ := tp.Features(x)
		dphi := append([]float64(nil), phi...)
		got, err := tp.FeatureInputGradient(nil, dphi)
		if err != nil {
			t.Fatal(err)
		}
		checkGrad(t, fmt.Sprintf("%v ∂½‖φ‖²/∂x", hidden), got, want)

		// The head's input gradient composes with it: ∂L/∂φ = dz·Wᵀ.
		head := net.Head()
		y, _ := tp.Forward(x)
		_, dy, _ := HalfSquaredError(nil, y, make([]float64, len(y)), batch)
		full, _ := tp.InputGradient(nil, dy)
		tp.Features(x)
		dphi, err = head.InputGradient(nil, dy, false)
		if err != nil {
			t.Fatal(err)
		}
		viaHead, _ := tp.FeatureInputGradient(nil, dphi)
		for i := range full {
			if !scalar.EqualWithinAbsOrRel(viaHead[i], full[i], 1e-14, 1e-12) {
				t.Errorf("%v: head then features gives ∂L/∂x[%d] = %v, full pass %v", hidden, i, viaHead[i], full[i])
			}
		}
	}
}

func TestLossGradients(t *testing.T) {
	rnd := rand.New(rand.NewPCG(4, 4))
	const batch, out = 5, 4
	z := randomSlice(rnd, batch*out)
	for _, lf := range testLosses(rnd, batch, out) {
		want := centralDiff(func() float64 { l, _ := lf.eval(nil, z, batch); return l }, z)
		_, got := lf.eval(nil, z, batch)
		checkGrad(t, lf.name, got, want)
	}
}
