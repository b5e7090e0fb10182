package mlp

import (
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/gonum/mat"
)

func TestCrossEntropyValues(t *testing.T) {
	const tol = 1e-12
	for _, tc := range []struct {
		name   string
		z      []float64
		labels []int
		want   float64
	}{
		// Equal logits: softmax is uniform, L = log C.
		{"uniform", []float64{0, 0, 0, 0}, []int{2}, math.Log(4)},
		{"uniform shifted", []float64{7, 7, 7}, []int{0}, math.Log(3)},
		// L = log(1 + e^{−1000}) rounds to 0; without the shift exp overflows.
		{"large right", []float64{1000, 0}, []int{0}, 0},
		{"large wrong", []float64{1000, 0}, []int{1}, 1000},
		// Mean of log 2 and log(1 + e²) − 0 over two rows.
		{"two rows", []float64{0, 0, 0, 2}, []int{1, 0}, (math.Log(2) + math.Log(1+math.Exp(2))) / 2},
	} {
		got, g, err := CrossEntropy(nil, tc.z, tc.labels)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if !scalar.EqualWithinAbsOrRel(got, tc.want, tol, tol) {
			t.Errorf("%s: loss %v, want %v", tc.name, got, tc.want)
		}
		// Each row of softmax − one-hot sums to zero.
		c := len(tc.z) / len(tc.labels)
		for i := range tc.labels {
			var s float64
			for _, v := range g[i*c : (i+1)*c] {
				s += v
			}
			if math.Abs(s) > tol {
				t.Errorf("%s: gradient row %d sums to %v, want 0", tc.name, i, s)
			}
		}
	}
}

// TestCrossEntropySaturated checks the training loss's gradient on a batch
// of confidently classified rows z_i = (a_i, 0, …, 0), labels 0, where
// 1 − p_0 = (C − 1)e^{−a}/(1 + (C − 1)e^{−a}) is 4e-8 at a = 20 and 2e-34 at
// a = 80: (p_0 − 1)/n computed in float32 (from a = 17) or float64 (from
// a = 37) would be 0. Rows with a wrong label and a moderate margin join
// them. ∂L/∂z_i is the gradient of row i's own loss over n; its reference is
// central differences of the float64 loss of that row alone, which near 0
// keeps its relative precision (so the difference resolves gradients of any
// size), with step h = 1e-4 (truncation h²/6 ≈ 2e-9 relative). Each float32
// component must hold to a few float32 roundings.
func TestCrossEntropySaturated(t *testing.T) {
	const c, h = 10, 1e-4
	for _, tc := range []struct {
		name   string
		a      []float64
		labels []int
	}{
		{"one row a = 30", []float64{30}, []int{0}},
		{"batch a = 20, 40, 80", []float64{20, 40, 80}, []int{0, 0, 0}},
		{"mixed", []float64{30, 5, 60, 3}, []int{0, 4, 0, 9}},
	} {
		n := len(tc.labels)
		z64 := make([]float64, n*c)
		z32 := make([]float32, n*c)
		for i, a := range tc.a {
			z64[i*c], z32[i*c] = a, float32(a)
		}
		_, g64, err := CrossEntropy(nil, z64, tc.labels)
		if err != nil {
			t.Fatal(err)
		}
		_, g32, err := CrossEntropy(nil, z32, tc.labels)
		if err != nil {
			t.Fatal(err)
		}
		for i, y := range tc.labels {
			lossAt := func(j int, d float64) float64 {
				row := slices.Clone(z64[i*c : (i+1)*c])
				row[j] += d
				l, _, err := CrossEntropy(nil, row, []int{y})
				if err != nil {
					t.Fatal(err)
				}
				return l
			}
			for j := range c {
				k := i*c + j
				want := (lossAt(j, h) - lossAt(j, -h)) / (2 * h) / float64(n)
				if !scalar.EqualWithinRel(g64[k], want, 1e-7) {
					t.Errorf("%s: float64 ∂L/∂z_%d,%d = %.10g, central differences %.10g", tc.name, i, j, g64[k], want)
				}
				if !scalar.EqualWithinRel(float64(g32[k]), want, 1e-6) {
					t.Errorf("%s: float32 ∂L/∂z_%d,%d = %.8g, central differences %.10g", tc.name, i, j, g32[k], want)
				}
			}
		}
	}
}

func TestHalfSquaredErrorValue(t *testing.T) {
	// Rows (1, 2) − (0, 0) and (3, 0) − (0, 4): ½(5 + 25)/2 = 7.5.
	l, g, err := HalfSquaredError(nil, []float64{1, 2, 3, 0}, []float64{0, 0, 0, 4}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if l != 7.5 {
		t.Errorf("loss %v, want 7.5", l)
	}
	want := []float64{0.5, 1, 1.5, -2}
	for i := range want {
		if g[i] != want[i] {
			t.Errorf("gradient[%d] = %v, want %v", i, g[i], want[i])
		}
	}
}

func TestAdamStep(t *testing.T) {
	const tol = 1e-15
	const lr, b1, b2, eps = 0.01, 0.9, 0.999, 1e-8
	p := []float64{1, -2, 0.5}
	g1 := []float64{0.3, -0.1, 0}
	g2 := []float64{-0.2, 0.4, 1}
	opt := &Adam[float64]{LearningRate: lr}
	got := append([]float64(nil), p...)
	if err := opt.Step(got, g1); err != nil {
		t.Fatal(err)
	}
	if err := opt.Step(got, g2); err != nil {
		t.Fatal(err)
	}
	for i := range p {
		// Kingma and Ba's algorithm written out for two steps.
		m1, v1 := (1-b1)*g1[i], (1-b2)*g1[i]*g1[i]
		x1 := p[i] - lr*(m1/(1-b1))/(math.Sqrt(v1/(1-b2))+eps)
		m2, v2 := b1*m1+(1-b1)*g2[i], b2*v1+(1-b2)*g2[i]*g2[i]
		x2 := x1 - lr*(m2/(1-b1*b1))/(math.Sqrt(v2/(1-b2*b2))+eps)
		if !scalar.EqualWithinAbsOrRel(got[i], x2, tol, tol) {
			t.Errorf("p[%d] after two Adam steps = %v, want %v", i, got[i], x2)
		}
	}
	// The first step moves each parameter with a gradient by about η.
	first := append([]float64(nil), p...)
	(&Adam[float64]{LearningRate: lr}).Step(first, g1)
	if d := p[0] - first[0]; math.Abs(d-lr) > 1e-9 {
		t.Errorf("first Adam step moved p[0] by %v, want η = %v", d, lr)
	}
}

// TestAdamSplitSameBits runs Adam steps on more parameters than adamMinSplit,
// which spreads them over the cores, and again on one core: the update of a
// parameter reads only its own moments, so the bits must agree.
func TestAdamSplitSameBits(t *testing.T) {
	const n = 3*adamMinSplit + 17
	rnd := rand.New(rand.NewPCG(3, 3))
	start := make([]float32, n)
	grads := make([][]float32, 3)
	for i := range start {
		start[i] = float32(rnd.NormFloat64())
	}
	for k := range grads {
		grads[k] = make([]float32, n)
		for i := range grads[k] {
			grads[k][i] = float32(rnd.NormFloat64())
		}
	}
	run := func(procs int) []float32 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		p := slices.Clone(start)
		opt := &Adam[float32]{LearningRate: 0.01, WeightDecay: 1e-4}
		for _, g := range grads {
			if err := opt.Step(p, g); err != nil {
				t.Fatal(err)
			}
		}
		return p
	}
	one, all := run(1), run(max(runtime.NumCPU(), 2))
	for i := range one {
		if math.Float32bits(one[i]) != math.Float32bits(all[i]) {
			t.Fatalf("p[%d] = %v on one core, %v split over the cores", i, one[i], all[i])
		}
	}
	if slices.Equal(one, start) {
		t.Fatal("Adam did not move the parameters")
	}
}

func TestAdamNoAlloc(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	p, g := make([]float32, 4*adamMinSplit), make([]float32, 4*adamMinSplit)
	for i := range g {
		g[i] = float32(i%7) - 3
	}
	opt := &Adam[float32]{}
	opt.Step(p, g) // sizes the moments
	if allocs := testing.AllocsPerRun(20, func() { opt.Step(p, g) }); allocs != 0 {
		t.Errorf("Adam.Step allocated %v times per step, want 0", allocs)
	}
}

func TestSGDStep(t *testing.T) {
	const tol = 1e-15
	const lr, mu = 0.1, 0.9
	p := []float64{1, -2}
	g1 := []float64{0.5, -1}
	g2 := []float64{2, 3}
	opt := &SGD[float64]{LearningRate: lr, Momentum: mu}
	got := append([]float64(nil), p...)
	opt.Step(got, g1)
	opt.Step(got, g2)
	for i := range p {
		// v₁ = g₁, p₁ = p₀ − ηv₁; v₂ = μv₁ + g₂, p₂ = p₁ − ηv₂.
		v2 := mu*g1[i] + g2[i]
		want := p[i] - lr*g1[i] - lr*v2
		if !scalar.EqualWithinAbsOrRel(got[i], want, tol, tol) {
			t.Errorf("p[%d] after two SGD steps = %v, want %v", i, got[i], want)
		}
	}
}

func TestInitScales(t *testing.T) {
	// The sample standard deviation of N draws has relative standard error
	// 1/√(2N); 5 standard errors of the smallest layer bound it.
	rnd := rand.New(rand.NewPCG(5, 5))
	net, _ := New[float64]([]int{400, 300, 200, 10}, ReLU, Identity)
	for _, tc := range []struct {
		name  string
		init  Initializer
		wants func(l, in, out int) (float64, float64)
	}{
		{"He", He{}, func(_, in, _ int) (float64, float64) { return math.Sqrt(2 / float64(in)), 0 }},
		{"Glorot", Glorot{}, func(_, in, out int) (float64, float64) { return math.Sqrt(2 / float64(in+out)), 0 }},
		{"fig5", Gaussian{WeightStd: []float64{5}, BiasStd: []float64{1, 1, 1}}, func(l, in, _ int) (float64, float64) {
			if l == 0 {
				return 5, 1
			}
			return 1 / math.Sqrt(float64(in)), 1
		}},
	} {
		if err := net.Init(rnd, tc.init); err != nil {
			t.Fatal(err)
		}
		for l := range net.NumLayers() {
			lay := net.Layer(l)
			ws, bs := tc.wants(l, lay.In, lay.Out)
			if lay.WeightStd != ws || lay.BiasStd != bs {
				t.Errorf("%s layer %d records scales (%v, %v), want (%v, %v)", tc.name, l, lay.WeightStd, lay.BiasStd, ws, bs)
			}
			tol := 5 / math.Sqrt(2*float64(len(lay.W)))
			if got := rms(lay.W); math.Abs(got/ws-1) > tol {
				t.Errorf("%s layer %d weight std %v, want %v", tc.name, l, got, ws)
			}
			if bs == 0 {
				if got := rms(lay.B); got != 0 {
					t.Errorf("%s layer %d bias rms %v, want 0", tc.name, l, got)
				}
			} else if got := rms(lay.B); math.Abs(got/bs-1) > 5/math.Sqrt(2*float64(len(lay.B))) {
				t.Errorf("%s layer %d bias std %v, want %v", tc.name, l, got, bs)
			}
		}
	}
	h, err := net.RandomHead(rnd)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := rms(h.W), 1/math.Sqrt(200); math.Abs(got/want-1) > 5/math.Sqrt(2*2000) {
		t.Errorf("random head weight std %v, want the head's %v", got, want)
	}
}

func rms(x []float64) float64 {
	var s float64
	for _, v := range x {
		s += v * v
	}
	return math.Sqrt(s / float64(len(x)))
}

func TestRidgeRecoversHead(t *testing.T) {
	// Labels made by a known head on 40 points; 17 coefficients; λ tiny.
	const tol = 1e-7
	rnd := rand.New(rand.NewPCG(6, 6))
	net, _ := New[float64]([]int{2, 16, 16, 1}, Tanh, Identity)
	net.Init(rnd, Gaussian{WeightStd: []float64{5}, BiasStd: []float64{1, 1, 1}})
	truth := append([]float64(nil), net.Head().Theta(nil, 0)...)
	x := make([]float64, 40*2)
	for i := range x {
		x[i] = 2*rnd.Float64() - 1
	}
	y, _ := net.Forward(nil, x)
	net.Head().SetTheta(0, make([]float64, 17))
	if err := net.FitHead(x, y, 1e-14); err != nil {
		t.Fatal(err)
	}
	got := net.Head().Theta(nil, 0)
	for i := range truth {
		if math.Abs(got[i]-truth[i]) > tol*math.Max(1, math.Abs(truth[i])) {
			t.Errorf("θ[%d] = %v, want %v", i, got[i], truth[i])
		}
	}
}

func TestRidgeNormalEquations(t *testing.T) {
	// With a large λ the normal equations are well conditioned, so
	// (AᵀA + λI)Θ = AᵀY checks the QR solution.
	const tol = 1e-10
	rnd := rand.New(rand.NewPCG(7, 7))
	const n, p, k, lambda = 6, 9, 2, 0.7
	phi := randomSlice(rnd, n*p)
	y := randomSlice(rnd, n*k)
	theta, err := Ridge(nil, phi, n, y, lambda)
	if err != nil {
		t.Fatal(err)
	}
	a := mat.NewDense(n, p+1, nil)
	for i := range n {
		for j := range p {
			a.Set(i, j, phi[i*p+j])
		}
		a.Set(i, p, 1)
	}
	var lhs, rhs, ata mat.Dense
	ata.Mul(a.T(), a)
	for j := range p + 1 {
		ata.Set(j, j, ata.At(j, j)+lambda)
	}
	lhs.Mul(&ata, theta)
	rhs.Mul(a.T(), mat.NewDense(n, k, y))
	if !mat.EqualApprox(&lhs, &rhs, tol) {
		t.Errorf("(AᵀA + λI)Θ = %v, want AᵀY = %v", mat.Formatted(&lhs), mat.Formatted(&rhs))
	}
}

func TestFeatureMap(t *testing.T) {
	rnd := rand.New(rand.NewPCG(8, 8))
	net, _ := New[float64]([]int{2, 7, 5, 1}, Tanh, Identity)
	net.Init(rnd, Gaussian{WeightStd: []float64{5}, BiasStd: []float64{1, 1, 1}})
	fm, err := net.FeatureMap()
	if err != nil {
		t.Fatal(err)
	}
	in, p := fm.Dims()
	if in != 2 || p != 6 {
		t.Fatalf("Dims() = (%d, %d), want (2, 6)", in, p)
	}
	tp, _ := net.NewTape(1)
	for range 5 {
		x := []float64{2*rnd.Float64() - 1, 2*rnd.Float64() - 1}
		f := fm.Features(nil, x)
		phi, _ := tp.Features(x)
		for k := range 5 {
			if !scalar.EqualWithinAbsOrRel(f[k], phi[k], 1e-15, 1e-14) {
				t.Errorf("f_%d(%v) = %v, tape φ = %v", k, x, f[k], phi[k])
			}
		}
		if f[5] != 1 {
			t.Errorf("constant feature %v, want 1", f[5])
		}
		// Head output is fᵀθ.
		theta := net.Head().Theta(nil, 0)
		var s float64
		for k := range f {
			s += f[k] * theta[k]
		}
		y, _ := net.Forward(nil, x)
		if !scalar.EqualWithinAbsOrRel(s, y[0], 1e-13, 1e-13) {
			t.Errorf("fᵀθ = %v, network output %v", s, y[0])
		}
		jac := fm.FeatureGradient(nil, x)
		for k := range p {
			want := centralDiff(func() float64 { return fm.Features(nil, x)[k] }, x)
			checkGrad(t, "∂f/∂x", jac[k*in:(k+1)*in], want)
		}
	}
	v := fm.CoefficientVariance(nil)
	// The head's σ_w² = 1/fan_in = 1/5 on φ and σ_b² = 1 on the constant.
	for k, want := range []float64{0.2, 0.2, 0.2, 0.2, 0.2, 1} {
		if !scalar.EqualWithinAbsOrRel(v[k], want, 1e-15, 1e-15) {
			t.Errorf("Σ_%d%d = %v, want %v", k, k, v[k], want)
		}
	}
}

func TestFloat32Agrees(t *testing.T) {
	// float32 rounding is 6e-8 per operation; a few hundred operations per
	// output on values of order 1 stay below float32Tol.
	const float32Tol = 1e-4
	rnd := rand.New(rand.NewPCG(9, 9))
	net64, _ := New[float64]([]int{30, 20, 20, 5}, ReLU, Identity)
	net64.Init(rnd, nil)
	net32 := Convert[float32](net64)
	x := randomSlice(rnd, 8*30)
	x32 := make([]float32, len(x))
	for i, v := range x {
		x32[i] = float32(v)
	}
	y64, _ := net64.Forward(nil, x)
	y32, _ := net32.Forward(nil, x32)
	labels := []int{0, 1, 2, 3, 4, 0, 1, 2}
	_, d64, _ := CrossEntropy(nil, y64, labels)
	_, d32, _ := CrossEntropy(nil, y32, labels)
	tp64, _ := net64.NewTape(8)
	tp32, _ := net32.NewTape(8)
	tp64.Forward(x)
	tp32.Forward(x32)
	g64, _ := tp64.Backward(nil, nil, d64)
	g32, _ := tp32.Backward(nil, nil, d32)
	for i := range y64 {
		if !scalar.EqualWithinAbsOrRel(float64(y32[i]), y64[i], float32Tol, float32Tol) {
			t.Errorf("output[%d]: float32 %v, float64 %v", i, y32[i], y64[i])
		}
	}
	for i := range g64 {
		if !scalar.EqualWithinAbsOrRel(float64(g32[i]), g64[i], float32Tol, float32Tol) {
			t.Errorf("gradient[%d]: float32 %v, float64 %v", i, g32[i], g64[i])
		}
	}
}

// blobs returns n points in d dimensions from `classes` Gaussian clusters of
// standard deviation 0.3 around centres at distance 3 from the origin.
func blobs(rnd *rand.Rand, n, d, classes int) ([]float32, []int) {
	centres := make([]float64, classes*d)
	for i := range centres {
		centres[i] = 3 * rnd.NormFloat64() / math.Sqrt(float64(d))
	}
	x := make([]float32, n*d)
	y := make([]int, n)
	for i := range n {
		c := rnd.IntN(classes)
		y[i] = c
		for j := range d {
			x[i*d+j] = float32(centres[c*d+j] + 0.3*rnd.NormFloat64())
		}
	}
	return x, y
}

func TestTrainSeparable(t *testing.T) {
	rnd := rand.New(rand.NewPCG(10, 10))
	x, y := blobs(rnd, 600, 4, 3)
	train := func(perturb Perturber[float32]) (*Network[float32], []EpochStats, int) {
		net, _ := New[float32]([]int{4, 16, 16, 3}, ReLU, Identity)
		net.Init(rand.New(rand.NewPCG(11, 11)), nil)
		calls := 0
		tr := Trainer[float32]{
			Optimizer: &Adam[float32]{LearningRate: 1e-2},
			BatchSize: 32, Epochs: 10, Seed: 12, Perturb: perturb,
			Progress: func(Progress) { calls++ },
		}
		stats, err := tr.Train(net, x, y)
		if err != nil {
			t.Fatal(err)
		}
		return net, stats, calls
	}
	net, stats, calls := train(nil)
	if want := 10 * ((600 + 31) / 32); calls != want {
		t.Errorf("progress called %d times, want %d (one per step)", calls, want)
	}
	if len(stats) != 10 || stats[9].Loss >= stats[0].Loss {
		t.Errorf("epoch losses %v: want 10 epochs with the loss falling", stats)
	}
	_, acc, err := Evaluate(net, x, y, 100)
	if err != nil {
		t.Fatal(err)
	}
	if acc < 0.97 {
		t.Errorf("accuracy %v on separable blobs, want ≥ 0.97", acc)
	}
	// The same seeds give the same network; an identity perturbation changes
	// nothing and is called once per batch.
	batches := 0
	same, _, _ := train(PerturbFunc[float32](func(dst, x []float32, _ []int) error {
		batches++
		copy(dst, x)
		return nil
	}))
	if batches != 10*19 {
		t.Errorf("perturb called %d times, want %d", batches, 10*19)
	}
	for i, v := range net.Params() {
		if same.Params()[i] != v {
			t.Fatalf("parameter %d differs between runs with the same seeds: %v, %v", i, same.Params()[i], v)
		}
	}
}

func TestTrainNaNLoss(t *testing.T) {
	net, _ := New[float64]([]int{2, 3, 2}, Identity, Identity)
	for i := range net.Params() {
		net.Params()[i] = 1e300
	}
	tr := Trainer[float64]{Optimizer: &SGD[float64]{LearningRate: 1}}
	_, err := tr.Train(net, []float64{1e300, 1e300, -1e300, 1e300}, []int{0, 1})
	if err == nil || !strings.Contains(err.Error(), "epoch 1 batch 1") {
		t.Errorf("training to an infinite loss gave error %v, want one naming epoch 1 batch 1", err)
	}
}

func TestBadInput(t *testing.T) {
	net, _ := New[float64]([]int{3, 4, 2}, ReLU, Identity)
	tp, _ := net.NewTape(2)
	nan := []float64{0, math.NaN(), 0}
	if _, err := tp.Forward(make([]float64, 3)); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"one size", second(New[float64]([]int{3}, ReLU, Identity)), "sizes"},
		{"zero width", second(New[float64]([]int{3, 0, 2}, ReLU, Identity)), "size 0"},
		{"negative width", second(New[float32]([]int{3, -4, 2}, ReLU, Identity)), "size -4"},
		{"bad activation", second(New[float64]([]int{3, 2}, Activation(9), Identity)), "activation"},
		{"zero batch tape", second(net.NewTape(0)), "maximum batch 0"},
		{"ragged batch", second(tp.Forward(make([]float64, 4))), "length 4"},
		{"batch too large", second(tp.Forward(make([]float64, 9))), "batch 3"},
		{"NaN input", second(tp.Forward(nan)), "NaN"},
		{"dy mismatch", second(tp.Backward(nil, nil, make([]float64, 3))), "length 3"},
		{"SGD rate 0", (&SGD[float64]{}).Step([]float64{1}, []float64{1}), "learning rate 0"},
		{"Adam rate < 0", (&Adam[float64]{LearningRate: -1}).Step([]float64{1}, []float64{1}), "learning rate -1"},
		{"Adam NaN rate", (&Adam[float64]{LearningRate: math.NaN()}).Step([]float64{1}, []float64{1}), "learning rate NaN"},
		{"grad length", (&Adam[float64]{}).Step([]float64{1}, []float64{1, 2}), "gradient length 2"},
		{"label range", third(CrossEntropy(nil, []float64{0, 0}, []int{2})), "label 2"},
		{"train batch", second((&Trainer[float64]{BatchSize: -1}).Train(net, make([]float64, 3), []int{0})), "batch size -1"},
		{"train labels", second((&Trainer[float64]{}).Train(net, make([]float64, 3), []int{5})), "label 5"},
		{"train NaN", second((&Trainer[float64]{}).Train(net, nan, []int{0})), "NaN"},
		{"ridge λ", second(Ridge(nil, []float64{1}, 1, []float64{1}, -1)), "λ -1"},
	} {
		if tc.err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		if msg := tc.err.Error(); !strings.HasPrefix(msg, "mlp: ") || !strings.Contains(msg, tc.want) {
			t.Errorf("%s: error %q, want it to start with \"mlp: \" and mention %q", tc.name, msg, tc.want)
		}
	}
	// Backward before any forward pass.
	fresh, _ := net.NewTape(1)
	if _, err := fresh.Backward(nil, nil, make([]float64, 2)); err == nil {
		t.Error("Backward without Forward: no error")
	}
}

func second[A any](_ A, err error) error { return err }

func third[A, B any](_ A, _ B, err error) error { return err }

func TestTrainStepNoAlloc(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	rnd := rand.New(rand.NewPCG(13, 13))
	net, _ := New[float32]([]int{50, 40, 30, 10}, ReLU, Identity)
	net.Init(rnd, nil)
	x := make([]float32, 64*50)
	for i := range x {
		x[i] = float32(rnd.Float64())
	}
	labels := make([]int, 64)
	for i := range labels {
		labels[i] = i % 10
	}
	tp, _ := net.NewTape(64)
	grad := make([]float32, net.NumParams())
	dy := make([]float32, 64*10)
	dx := make([]float32, len(x))
	opt := &Adam[float32]{}
	step := func() {
		z, _ := tp.Forward(x)
		CrossEntropy(dy, z, labels)
		tp.Backward(grad, nil, dy)
		opt.Step(net.Params(), grad)
		tp.InputGradient(dx, dy)
	}
	step()
	if a := testing.AllocsPerRun(20, step); a != 0 {
		t.Errorf("a training step allocates %v times, want 0", a)
	}
}
