package experiment

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/interp"

	"pointwise/lib/cheb"
	"pointwise/lib/mlp"
	"pointwise/lib/objective"
)

// smallNet returns a random 1 → w → w → 1 tanh network with fig5's
// initialisation, the class's feature layer in these tests.
func smallNet(t *testing.T, w int, seed uint64) *mlp.Network[float64] {
	t.Helper()
	net, err := RandomNetwork([]int{1, w, w, 1}, FigureFiveInit(), seed)
	if err != nil {
		t.Fatal(err)
	}
	return net
}

// must returns v, or panics (failing the test with a trace) on an error.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// must2 is must for two values.
func must2[T, U any](a T, b U, err error) (T, U) {
	if err != nil {
		panic(err)
	}
	return a, b
}

// ruleFunc adapts a function to a Rule.
type ruleFunc func(x, y []float64, seed uint64) (Hypothesis, error)

func (f ruleFunc) Fit(x, y []float64, seed uint64) (Hypothesis, error) { return f(x, y, seed) }

// pointwise adapts an interp.Predictor to a Hypothesis, point by point.
type pointwise struct{ interp.Predictor }

func (p pointwise) PredictBatch(dst, x []float64) []float64 {
	dst = useDst(dst, len(x))
	for i, t := range x {
		dst[i] = p.Predict(t)
	}
	return dst
}

// interpolation is fig3's rule: the polynomial of degree m−1 through the m
// points, a cheb.Barycentric.
var interpolation = ruleFunc(func(x, y []float64, _ uint64) (Hypothesis, error) {
	b, err := cheb.NewBarycentric(x, y, cheb.Domain{})
	if err != nil {
		return nil, err
	}
	return pointwise{b}, nil
})

func TestRandomFeaturesLearnsItsClass(t *testing.T) {
	// A head drawn from the class lies in the span of the features, so with
	// more points than features the ridge fit recovers it up to the ridge
	// bias, which λ = 1e-10·tr(AᵀA) keeps small.
	const supTol = 1e-3
	net := smallNet(t, 16, 3)
	dist, fm := randomHeads(t, net)
	rf := must(NewRandomFeatures(fm, 1e-10))
	h := dist.Sample(rand.New(rand.NewPCG(5, 5)))
	x := must(cheb.ChebyshevPoints(nil, 40, cheb.Domain{}))
	p := must(rf.Fit(x, values(h, x), 0))
	eval := must(cheb.EquispacedPoints(nil, 501, cheb.Domain{}))
	got := p.PredictBatch(nil, eval)
	if e := floats.Distance(got, values(h, eval), math.Inf(1)); !(e < supTol) {
		t.Errorf("sup error of the ridge fit to a head of its own class = %v; want < %v", e, supTol)
	}
	// The remembered features give the same predictions as fresh ones.
	again := p.PredictBatch(nil, eval)
	fresh := must(must(NewRandomFeatures(fm, 1e-10)).Fit(x, values(h, x), 0))
	first := fresh.PredictBatch(nil, eval)
	if !slices.Equal(got, again) || !slices.Equal(got, first) {
		t.Errorf("predictions differ between the memo and fresh features")
	}
	checkPointwise(t, p, eval, got)
	// Ridge on f is mlp's FitHead with the same λ.
	var tr float64
	for _, xi := range x {
		f := fm.Features(nil, []float64{xi})
		for _, v := range f {
			tr += v * v
		}
	}
	refit := net.Clone()
	if err := refit.FitHead(x, values(h, x), 1e-10*tr); err != nil {
		t.Fatal(err)
	}
	want := must(refit.Forward(nil, eval))
	if e := floats.Distance(got, want, math.Inf(1)); e > 1e-8 {
		t.Errorf("RandomFeatures and mlp FitHead differ by %v; want ≤ 1e-8", e)
	}
}

// checkPointwise checks that h's Predict at each point of x gives its
// batch prediction batch (the same products in another order: to 1e-12).
func checkPointwise(t *testing.T, h Hypothesis, x, batch []float64) {
	t.Helper()
	for i, v := range x {
		if got := h.Predict(v); math.Abs(got-batch[i]) > 1e-12 {
			t.Errorf("Predict(%v) = %v, PredictBatch gives %v", v, got, batch[i])
		}
	}
}

// randomHeads returns the class of random heads on net and its features.
func randomHeads(t *testing.T, net *mlp.Network[float64]) (*objective.Gaussian, *mlp.FeatureMap) {
	t.Helper()
	dist, fm, err := RandomHeadClass(net)
	if err != nil {
		t.Fatal(err)
	}
	return dist, fm
}

func TestTrainedMLP(t *testing.T) {
	x := []float64{-1, -0.3, 0.4, 1}
	y := []float64{0.5, -0.2, 0.1, 0.7}
	l := TrainedMLP{Steps: 1000}
	p := must(l.Fit(x, y, 7))
	if e := floats.Distance(p.PredictBatch(nil, x), y, math.Inf(1)); !(e < 1e-3) {
		t.Errorf("training error on 4 points after 1000 Adam steps = %v; want < 1e-3", e)
	}
	eval := []float64{-0.9, 0, 0.5}
	a := p.PredictBatch(nil, eval)
	b := must(l.Fit(x, y, 7)).PredictBatch(nil, eval)
	c := must(l.Fit(x, y, 8)).PredictBatch(nil, eval)
	if !slices.Equal(a, b) {
		t.Errorf("same seed, different networks: %v and %v", a, b)
	}
	checkPointwise(t, p, eval, a)
	if slices.Equal(a, c) {
		t.Errorf("seeds 7 and 8 gave the same network")
	}
}

func TestTrainedMLPSettings(t *testing.T) {
	x, y := []float64{0, 1}, []float64{0, 1}
	for _, l := range []TrainedMLP{
		{Hidden: []int{}},
		{Hidden: []int{0}},
		{Steps: -1},
		{LearningRate: -1},
		{LearningRate: math.NaN()},
		{FinalLearningRate: math.Inf(1)},
	} {
		if _, err := l.Fit(x, y, 1); err == nil {
			t.Errorf("TrainedMLP%+v: no error", l)
		}
	}
	if _, err := (TrainedMLP{}).Fit([]float64{0, math.NaN()}, y, 1); err == nil {
		t.Errorf("NaN training point: no error")
	}
	if _, err := (TrainedMLP{}).Fit(x, []float64{1}, 1); err == nil {
		t.Errorf("one label for two points: no error")
	}
}

func TestNestedGrid(t *testing.T) {
	g := NestedGrid("seq", []float64{-1, 1, 0, 0.5, -0.5})
	for m, want := range map[int][]float64{1: {-1}, 2: {-1, 1}, 3: {-1, 0, 1}, 5: {-1, -0.5, 0, 0.5, 1}} {
		if got := must(g.Points(m, nil)); !slices.Equal(got, want) {
			t.Errorf("Points(%d) = %v; want %v", m, got, want)
		}
	}
	for _, m := range []int{0, 6} {
		if _, err := g.Points(m, nil); err == nil {
			t.Errorf("Points(%d) of 5: no error", m)
		}
	}
}

func TestHardPoints(t *testing.T) {
	// Each added point is the global maximiser of J_H given the points
	// before it (checked on a grid finer than the search's), and J_H
	// vanishes at the points already chosen.
	const relTol = 1e-6
	dist, _ := randomHeads(t, smallNet(t, 16, 2))
	pts := must(HardPoints(dist, 1e-10, 8))
	if len(pts) != 8 || pts[0] != -1 || pts[1] != 1 {
		t.Fatalf("HardPoints = %v; want 8 points starting -1, 1", pts)
	}
	g := must(HardGrid(dist, 1e-10, 8))
	if got, want := must(g.Points(5, nil)), slices.Sorted(slices.Values(pts[:5])); g.Name != "hard" || !slices.Equal(got, want) {
		t.Errorf("HardGrid %q Points(5) = %v; want %q, %v", g.Name, got, "hard", want)
	}
	refit := HardRefit(dist, 1e-10)
	for k := 2; k < len(pts); k++ {
		lg := must(refit.On(pts[:k]))
		top := lg.Value(pts[k : k+1])
		for i := range 4001 {
			x := -1 + float64(i)/2000
			if v := lg.Value([]float64{x}); v > top*(1+1e-3) {
				t.Errorf("step %d: J_H(%v) = %v above J_H at the added point %v (%v)", k, x, v, pts[k], top)
				break
			}
		}
		if at, v := must2(HardestPoint(dist, 1e-10, pts[:k])); at != pts[k] || v != top {
			t.Errorf("step %d: HardestPoint = %v, %v; want the added point %v and J_H there, %v", k, at, v, pts[k], top)
		}
		for _, x := range pts[:k] {
			if v := lg.Value([]float64{x}); v > relTol*top {
				t.Errorf("step %d: J_H at training point %v = %v; want ≤ %v·max", k, x, v, relTol)
			}
		}
	}
}

func TestSampleComplexityReproducesFig3(t *testing.T) {
	// With fig3's rule (interpolation of degree m−1) on fig3's class, the
	// experiment must show fig3's finding: Chebyshev points reach 1e-3 by
	// m = 40, equispaced points never do and their error grows.
	series := must(cheb.GeometricSeries(0.8, 80, cheb.Domain{}))
	class := must(objective.NewGaussianDiag(cheb.Basis{Degree: 80}, series.Variances(nil)))
	ms := []int{8, 16, 24, 32, 40, 48, 56, 64}
	res := must(SampleComplexity{
		Rule: interpolation, Targets: class, Ms: ms, Draws: 10, Seed: 1,
		Grids: []Grid{ChebGrid(cheb.Equispaced), ChebGrid(cheb.Chebyshev)},
	}.Run())
	cs, _ := res.Count("chebyshev", 1e-3)
	if !cs.Reached || cs.Samples > 40 {
		t.Errorf("chebyshev m(1e-3) = %+v; want reached by m = 40", cs)
	}
	es, _ := res.Count("equispaced", 1e-3)
	if es.Reached {
		t.Errorf("equispaced m(1e-3) = %+v; want never", es)
	}
	lo, _ := res.Point("equispaced", 16)
	hi, _ := res.Point("equispaced", 64)
	if !(hi.Median > 100*lo.Median) {
		t.Errorf("equispaced median error %v at m = 64 and %v at 16; want growth by more than 100", hi.Median, lo.Median)
	}
	// The m(ε) table agrees with the curve.
	for _, s := range res.Samples {
		first := 0
		for _, p := range res.Curve {
			if p.Grid == s.Grid && p.Median <= s.Epsilon {
				first = p.M
				break
			}
		}
		if s.Reached != (first > 0) || (s.Reached && s.Samples != first) {
			t.Errorf("m(%v) of %s = %+v; the curve first reaches it at m = %d", s.Epsilon, s.Grid, s, first)
		}
	}
	w, n, err := res.Wins("chebyshev", "equispaced", 64)
	if err != nil || n != 10 || w != 10 {
		t.Errorf("chebyshev beat equispaced at m = 64 in %d of %d draws (%v); want 10 of 10", w, n, err)
	}
}

func TestSampleComplexityDeterministic(t *testing.T) {
	// The same settings give the same numbers whatever the number of
	// workers, and every draw of a deterministic target is the same.
	dist, fm := randomHeads(t, smallNet(t, 8, 1))
	rf := must(NewRandomFeatures(fm, 0))
	run := func(workers int, targets objective.Distribution) SampleComplexityResult {
		return must(SampleComplexity{
			Rule: rf, Targets: targets, Ms: []int{3, 6, 9}, Draws: 5, EvalPoints: 301, Seed: 4, Workers: workers,
			Grids: []Grid{ChebGrid(cheb.Random), ChebGrid(cheb.Chebyshev)},
		}.Run())
	}
	a, b := run(1, dist), run(3, dist)
	for i := range a.Curve {
		if !slices.Equal(a.Curve[i].Errors, b.Curve[i].Errors) {
			t.Errorf("point %d: 1 worker %v, 3 workers %v", i, a.Curve[i].Errors, b.Curve[i].Errors)
		}
	}
	r := run(2, PointMass{Runge{}})
	for _, p := range r.Curve {
		if p.Grid == "chebyshev" && slices.Min(p.Errors) != slices.Max(p.Errors) {
			t.Errorf("Runge on the Chebyshev grid, m = %d: errors %v differ between draws", p.M, p.Errors)
		}
		if p.Grid == "random" && slices.Min(p.Errors) == slices.Max(p.Errors) {
			t.Errorf("Runge on random grids, m = %d: every draw has error %v; want fresh grids", p.M, p.Errors[0])
		}
	}
}

func TestSampleComplexitySettings(t *testing.T) {
	ok := SampleComplexity{Rule: interpolation, Targets: PointMass{Runge{}}, Grids: []Grid{ChebGrid(cheb.Chebyshev)}, Ms: []int{2, 4}}
	bad := []func(*SampleComplexity){
		func(c *SampleComplexity) { c.Rule = nil },
		func(c *SampleComplexity) { c.Targets = nil },
		func(c *SampleComplexity) { c.Grids = nil },
		func(c *SampleComplexity) { c.Grids = []Grid{{Name: "none"}} },
		func(c *SampleComplexity) { c.Ms = []int{4, 2} },
		func(c *SampleComplexity) { c.Ms = []int{0} },
		func(c *SampleComplexity) { c.Draws = -1 },
		func(c *SampleComplexity) { c.EvalPoints = 1 },
		func(c *SampleComplexity) { c.Epsilons = []float64{0} },
		func(c *SampleComplexity) { c.Workers = -2 },
	}
	for i, f := range bad {
		c := ok
		f(&c)
		if _, err := c.Run(); err == nil {
			t.Errorf("bad setting %d: no error", i)
		}
	}
	if _, err := ok.Run(); err != nil {
		t.Errorf("good settings: %v", err)
	}
	failing := ok
	failing.Rule = ruleFunc(func([]float64, []float64, uint64) (Hypothesis, error) { return nil, errors.New("boom") })
	if _, err := failing.Run(); err == nil {
		t.Errorf("a failing learner: no error")
	}
}

func TestCached(t *testing.T) {
	dir := t.TempDir()
	calls := 0
	compute := func() (SampleComplexityResult, error) {
		calls++
		return SampleComplexityResult{Curve: []CurvePoint{{Grid: "g", M: 3, Median: math.NaN(), Errors: []float64{1, 2}}}}, nil
	}
	a, cachedA, err := Cached(dir, "x", "k1", compute)
	if err != nil || cachedA {
		t.Fatalf("first call: cached %v, %v", cachedA, err)
	}
	b, cachedB, err := Cached(dir, "x", "k1", compute)
	if err != nil || !cachedB || calls != 1 {
		t.Fatalf("second call: cached %v, %d computations, %v", cachedB, calls, err)
	}
	if b.Curve[0].Grid != "g" || !math.IsNaN(b.Curve[0].Median) || !slices.Equal(a.Curve[0].Errors, b.Curve[0].Errors) {
		t.Errorf("read back %+v; stored %+v", b, a)
	}
	if _, cached, _ := Cached(dir, "x", "k2", compute); cached || calls != 2 {
		t.Errorf("another key was read from the cache")
	}
	if _, _, err := Cached(dir, "Bad Name", "k", compute); err == nil {
		t.Errorf("bad name: no error")
	}
}
