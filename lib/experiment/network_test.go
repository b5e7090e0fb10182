package experiment

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"

	"pointwise/lib/cheb"
)

func TestRandomNetwork(t *testing.T) {
	a := must(RandomNetwork([]int{2, 8, 8, 1}, FigureFiveInit(), 3))
	b := must(RandomNetwork([]int{2, 8, 8, 1}, FigureFiveInit(), 3))
	c := must(RandomNetwork([]int{2, 8, 8, 1}, FigureFiveInit(), 4))
	if !slices.Equal(a.Sizes(), []int{2, 8, 8, 1}) || !slices.Equal(a.Params(), b.Params()) || slices.Equal(a.Params(), c.Params()) {
		t.Errorf("sizes %v; the same seed must give the same weights and another seed others", a.Sizes())
	}
	if _, err := RandomNetwork([]int{1}, FigureFiveInit(), 1); err == nil {
		t.Error("a network without layers: no error")
	}
}

func TestTensorGridAndTrainingPoints(t *testing.T) {
	// Row i of the tensor grid is (xs[i mod nx], ys[i div nx]).
	g := TensorGrid([]float64{-1, 1}, []float64{0, 0.5, 2})
	if want := []float64{-1, 0, 1, 0, -1, 0.5, 1, 0.5, -1, 2, 1, 2}; !slices.Equal(g.RawMatrix().Data, want) {
		t.Errorf("TensorGrid rows %v, want %v", g.RawMatrix().Data, want)
	}
	cp := must(cheb.ChebyshevPoints(nil, 3, cheb.Domain{}))
	if x := must(TrainingPoints(cheb.Chebyshev, 1, 3, nil)); !slices.Equal(x.RawMatrix().Data, cp) {
		t.Errorf("1-D Chebyshev points %v, want %v", x.RawMatrix().Data, cp)
	}
	if x := must(TrainingPoints(cheb.Chebyshev, 2, 3, nil)); !mat.Equal(x, TensorGrid(cp, cp)) {
		t.Errorf("2-D Chebyshev points are not the tensor grid of the 1-D ones")
	}
	x := must(TrainingPoints(cheb.Random, 2, 4, rand.New(rand.NewPCG(1, 2))))
	if r, c := x.Dims(); r != 16 || c != 2 || floats.Max(x.RawMatrix().Data) > 1 || floats.Min(x.RawMatrix().Data) < -1 {
		t.Errorf("2-D random points: %d×%d, range [%v, %v]; want 16×2 in [-1, 1]", r, c, floats.Min(x.RawMatrix().Data), floats.Max(x.RawMatrix().Data))
	}
	if _, err := TrainingPoints(cheb.Chebyshev, 3, 4, nil); err == nil {
		t.Error("3-D training points: no error")
	}
}

func TestNetworkProblem(t *testing.T) {
	// Identities that hold up to rounding: the forward pass is f(x)ᵀθ,
	// J_h computed from the features is objective's, and objective's ridge
	// fit is mlp's FitHead with the same λ. With λ = 1e-10·tr(AᵀA) the fit
	// nearly interpolates, so both objectives nearly vanish at the nodes.
	const gapTol, nodeTol = 1e-8, 1e-3
	net := must(RandomNetwork([]int{1, 16, 16, 1}, FigureFiveInit(), 1))
	x := must(TrainingPoints(cheb.Chebyshev, 1, 8, nil))
	p := must(NewNetworkProblem(net, x, 0))
	if p.Rule.RelLambda != 1e-10 {
		t.Errorf("relLambda 0 gave RelLambda = %v, want 1e-10", p.Rule.RelLambda)
	}
	eval := mat.NewDense(401, 1, must(cheb.EquispacedPoints(nil, 401, cheb.Domain{})))
	forward, adv, fit, err := p.Consistency(eval)
	if err != nil || !(forward < gapTol) || !(adv < gapTol) || !(fit < gapTol) {
		t.Errorf("Consistency = %v, %v, %v, %v; want gaps below %v", forward, adv, fit, err, gapTol)
	}
	out, jh, jH := must3(p.Surfaces(eval))
	if want := must(net.Forward(nil, eval.RawMatrix().Data)); floats.Distance(out, want, math.Inf(1)) > gapTol {
		t.Errorf("Surfaces' output differs from the forward pass")
	}
	if !(floats.Min(jh) >= 0) || !(floats.Min(jH) >= 0) || !(floats.Max(jH) > 0) {
		t.Errorf("objectives must be ≥ 0 and J_H somewhere > 0: J_h in [%v, %v], J_H in [%v, %v]", floats.Min(jh), floats.Max(jh), floats.Min(jH), floats.Max(jH))
	}
	rh, rH, err := p.NodeRatio(eval)
	if err != nil || !(rh < nodeTol) || !(rH < nodeTol) {
		t.Errorf("NodeRatio = %v, %v, %v; want both below %v", rh, rH, err, nodeTol)
	}
	pk := must(p.Peaks(1001))
	sum := 0
	for _, n := range pk.PerInterval {
		sum += n
	}
	if len(pk.PerInterval) != 9 || sum != len(pk.Hard) || pk.NearTenth > pk.Near || pk.Near > len(pk.Adversarial) {
		t.Errorf("Peaks = %+v: want 9 interval counts summing to the %d maxima of J_H and NearTenth ≤ Near ≤ %d", pk, len(pk.Hard), len(pk.Adversarial))
	}
	p2 := must(NewNetworkProblem(must(RandomNetwork([]int{2, 8, 8, 1}, FigureFiveInit(), 1)), must(TrainingPoints(cheb.Chebyshev, 2, 3, nil)), 0))
	if _, err := p2.Peaks(101); err == nil {
		t.Error("Peaks of a 2-D problem: no error")
	}
}

func must3[T, U, V any](a T, b U, c V, err error) (T, U, V) {
	if err != nil {
		panic(err)
	}
	return a, b, c
}

func TestPerIntervalAndNearby(t *testing.T) {
	// Nodes −0.5, 0, 0.5 cut [−1, 1] into four intervals of length 0.5.
	nodes := []float64{-0.5, 0, 0.5}
	if got, want := perInterval([]float64{-0.9, -0.75, -0.25, 0.7, 0.9, 0.95}, nodes), []int{2, 1, 0, 3}; !slices.Equal(got, want) {
		t.Errorf("perInterval = %v, want %v", got, want)
	}
	// Distances to the nearest point of b: 0.25, 0.04 and 0.55, each in an
	// interval of length 0.5.
	a, b := []float64{-0.75, 0.21, -0.3}, []float64{-1, 0.25, 0.5}
	for _, c := range []struct {
		parts float64
		want  int
	}{{1, 2}, {10, 1}, {100, 0}} {
		if got := nearby(a, b, nodes, c.parts); got != c.want {
			t.Errorf("nearby within 1/%v of a spacing = %d, want %d", c.parts, got, c.want)
		}
	}
}
