package adversarial

import (
	"context"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"

	"pointwise/lib/attack"
	"pointwise/lib/mlp"
)

// Head settings written out at their defaults train the default network,
// and methods other than Hard ignore them: the cache keys say so.
func TestDefaultHeadSettingsShareTheKey(t *testing.T) {
	data := Data{"MNIST", blobs(50, 1)}
	for _, tc := range []struct {
		cfg, same Config
	}{
		{Config{Method: Hard, Epsilon: 0.1, Seed: 1},
			Config{Method: Hard, Epsilon: 0.1, Seed: 1, Heads: HeadSettings{K: 8, Scale: 1, Loss: attack.HeadCrossEntropy, Fixed: false}}},
		{Config{Method: PGD, Epsilon: 0.1, Seed: 1},
			Config{Method: PGD, Epsilon: 0.1, Seed: 1, Heads: HeadSettings{K: 3, Scale: 2, Loss: attack.HeadSquared, Fixed: true}}},
	} {
		if a, b := keyOfConfig(t, tc.cfg, data), keyOfConfig(t, tc.same, data); a != b {
			t.Errorf("Key(%+v) = %s, Key(%+v) = %s: want the same network", tc.cfg, a, tc.same, b)
		}
	}
}

func TestAblationSettingsChangeTheKey(t *testing.T) {
	data := Data{"MNIST", blobs(50, 1)}
	base := Config{Method: Hard, Epsilon: 0.1}
	seen := map[string]string{}
	for name, c := range map[string]Config{
		"base":    base,
		"scale 2": {Method: Hard, Epsilon: 0.1, Heads: HeadSettings{Scale: 2}},
		"scale ½": {Method: Hard, Epsilon: 0.1, Heads: HeadSettings{Scale: 0.5}},
		"squared": {Method: Hard, Epsilon: 0.1, Heads: HeadSettings{Loss: attack.HeadSquared}},
		"fixed":   {Method: Hard, Epsilon: 0.1, Heads: HeadSettings{Fixed: true}},
	} {
		k := keyOfConfig(t, c, data)
		if other, ok := seen[k]; ok {
			t.Errorf("%s and %s share the key %s", name, other, k)
		}
		seen[k] = name
	}
}

func TestAblationSettingsResolve(t *testing.T) {
	r, err := Config{Method: Hard, Epsilon: 0.1}.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	if want := (HeadSettings{K: 8, Scale: 1, Loss: attack.HeadCrossEntropy}); r.Heads != want {
		t.Errorf("defaults: %+v, want %+v", r.Heads, want)
	}
	r, _ = Config{Method: PGD, Epsilon: 0.1, Heads: HeadSettings{Scale: 3, Fixed: true}}.Resolve()
	if r.Heads != (HeadSettings{}) {
		t.Errorf("PGD keeps head settings %+v: want them zeroed (ignored)", r.Heads)
	}
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{Method: Hard, Epsilon: 0.1, Heads: HeadSettings{Scale: -1}}, "head scale -1 out of range"},
		{Config{Method: Hard, Epsilon: 0.1, Heads: HeadSettings{Scale: math.NaN()}}, "head scale NaN out of range"},
		{Config{Method: Hard, Epsilon: 0.1, Heads: HeadSettings{Scale: math.Inf(1)}}, "head scale +Inf out of range"},
		{Config{Method: Hard, Epsilon: 0.1, Heads: HeadSettings{Scale: 101}}, "need 0 < scale ≤ 100"},
		{Config{Method: Hard, Epsilon: 0.1, Heads: HeadSettings{Loss: 7}}, "head loss HeadLoss(7) unknown"},
	} {
		_, err := tc.cfg.Resolve()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Resolve(%+v) = %v, want an error containing %q", tc.cfg, err, tc.want)
		}
	}
	s := Config{Method: Hard, Epsilon: 0.1, Heads: HeadSettings{Scale: 2, Loss: attack.HeadSquared, Fixed: true}}
	r, _ = s.Resolve()
	if str := r.String(); !strings.Contains(str, "K=8 scale=2 loss=squared fixed-heads") {
		t.Errorf("String() = %q: want the ablation settings named", str)
	}
}

// testPerturber builds the Hard training attack of cfg on a fresh 16→12→12→10
// network, with the attack stream seeded as Config.Train seeds it.
func testPerturber(t *testing.T, cfg Config) (*perturber, *mlp.Network[float32]) {
	t.Helper()
	r, err := cfg.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	net, err := mlp.New[float32](append(append([]int{16}, r.Hidden...), 10), mlp.ReLU, mlp.Identity)
	if err != nil {
		t.Fatal(err)
	}
	if err := net.Init(rand.New(rand.NewPCG(r.Seed, initStream)), mlp.He{}); err != nil {
		t.Fatal(err)
	}
	p, err := newPerturber(net, r, rand.New(rand.NewPCG(r.Seed, attackStream)), 32)
	if err != nil {
		t.Fatal(err)
	}
	return p, net
}

func heads(t *testing.T, p *perturber) [][]float32 {
	t.Helper()
	var out [][]float32
	for k := range p.heads.K() {
		h, err := p.heads.Head(k)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, append(slices.Clone(h.W), h.B...))
	}
	return out
}

// HeadScale 2 draws every head weight and bias at twice the standard
// deviation: from the same stream, exactly twice the values at scale 1
// (a power of two scales float32 exactly), and the network's own recorded
// scale is left as it was.
func TestHeadScaleDoublesTheHeads(t *testing.T) {
	cfg := Config{Method: Hard, Epsilon: 0.1, Hidden: []int{12, 12}, Heads: HeadSettings{K: 3}, Seed: 5}
	p1, _ := testPerturber(t, cfg)
	cfg.Heads.Scale = 2
	p2, net2 := testPerturber(t, cfg)
	// The scaled perturber drew twice at construction (scale 1, then 2):
	// draw once more at scale 1 to reach the same point of the stream.
	if err := p1.redraw(); err != nil {
		t.Fatal(err)
	}
	h1, h2 := heads(t, p1), heads(t, p2)
	var ss1, ss2 float64
	for k := range h1 {
		for j, v := range h1[k] {
			if h2[k][j] != 2*v {
				t.Fatalf("head %d parameter %d: %v at scale 2, want 2 × %v", k, j, h2[k][j], v)
			}
			ss1 += float64(v) * float64(v)
			ss2 += float64(h2[k][j]) * float64(h2[k][j])
		}
	}
	if r := math.Sqrt(ss2 / ss1); math.Abs(r-2) > 1e-6 {
		t.Errorf("RMS ratio of the heads %v, want 2", r)
	}
	ref, _ := testPerturber(t, Config{Method: Hard, Epsilon: 0.1, Hidden: []int{12, 12}, Heads: HeadSettings{K: 3}, Seed: 5})
	if got, want := net2.Head().WeightStd, ref.net.Head().WeightStd; got != want {
		t.Errorf("network head scale %v after scaled draws, want it restored to %v", got, want)
	}
}

func perturbTwice(t *testing.T, p *perturber) (first, second [][]float32) {
	t.Helper()
	data := blobs(20, 3)
	dst := make([]float32, len(data.X))
	if err := p.Perturb(dst, data.X, data.Y); err != nil {
		t.Fatal(err)
	}
	first = heads(t, p)
	if err := p.Perturb(dst, data.X, data.Y); err != nil {
		t.Fatal(err)
	}
	return first, heads(t, p)
}

// FixedHeads keeps the heads drawn at the start for every batch; by default
// every batch draws fresh ones.
func TestFixedHeadsStayTheSame(t *testing.T) {
	for _, scale := range []float64{1, 0.5} {
		cfg := Config{Method: Hard, Epsilon: 0.1, Hidden: []int{12, 12}, Heads: HeadSettings{K: 2, Scale: scale, Fixed: true}, Seed: 3}
		p, _ := testPerturber(t, cfg)
		start := heads(t, p)
		a, b := perturbTwice(t, p)
		for k := range start {
			if !slices.Equal(start[k], a[k]) || !slices.Equal(a[k], b[k]) {
				t.Errorf("scale %v: fixed head %d changed between batches", scale, k)
			}
		}
		cfg.Heads.Fixed = false
		p, _ = testPerturber(t, cfg)
		a, b = perturbTwice(t, p)
		if slices.Equal(a[0], b[0]) {
			t.Errorf("scale %v: fresh heads: head 0 the same in two batches, want a fresh draw", scale)
		}
	}
}

// HeadLoss reaches the training attack: with HeadSquared the objective uses
// the squared loss (and PGD's random start moves the points), and the
// perturbation differs from the cross-entropy one drawn from the same
// stream.
func TestSquaredHeadLossIsUsed(t *testing.T) {
	cfg := Config{Method: Hard, Epsilon: 0.1, Hidden: []int{12, 12}, Heads: HeadSettings{K: 2}, Seed: 3}
	pce, _ := testPerturber(t, cfg)
	cfg.Heads.Loss = attack.HeadSquared
	psq, _ := testPerturber(t, cfg)
	if pce.heads.HeadLoss != attack.HeadCrossEntropy || psq.heads.HeadLoss != attack.HeadSquared {
		t.Fatalf("objective losses %v and %v, want ce and squared", pce.heads.HeadLoss, psq.heads.HeadLoss)
	}
	data := blobs(20, 3)
	dce, dsq := make([]float32, len(data.X)), make([]float32, len(data.X))
	if err := pce.Perturb(dce, data.X, data.Y); err != nil {
		t.Fatal(err)
	}
	if err := psq.Perturb(dsq, data.X, data.Y); err != nil {
		t.Fatal(err)
	}
	if slices.Equal(dce, dsq) {
		t.Error("squared and cross-entropy heads give the same perturbation")
	}
	if slices.Equal(dsq, data.X) {
		t.Error("squared heads did not move the inputs")
	}
	for i, v := range dsq {
		if d := math.Abs(float64(v - data.X[i])); d > 0.1+1e-6 || v < 0 || v > 1 {
			t.Fatalf("pixel %d moved by %v to %v: want within ε = 0.1 and in [0, 1]", i, d, v)
		}
	}
}

// Every ablation setting trains end to end, and a fixed-heads run resumed
// from a checkpoint ends with the parameters of an uninterrupted run.
func TestAblationSettingsTrain(t *testing.T) {
	data := Data{"blobs", blobs(200, 1)}
	for _, edit := range []func(*Config){
		func(c *Config) { c.Heads.Scale = 0.5 },
		func(c *Config) { c.Heads.Loss = attack.HeadSquared },
		func(c *Config) { c.Heads.Fixed = true },
	} {
		cfg := small(Hard)
		cfg.Epochs = 10
		edit(&cfg)
		m, err := cfg.Train(context.Background(), nil, data)
		if err != nil {
			t.Fatalf("%v: %v", cfg, err)
		}
		if last := m.History[len(m.History)-1]; !(last.Accuracy > 0.3) {
			t.Errorf("%v: training accuracy %v after %d epochs, want above 0.3", m.Config, last.Accuracy, len(m.History))
		}
	}
	cfg := small(Hard)
	cfg.Heads.Fixed, cfg.Heads.Scale = true, 2
	whole, err := cfg.Train(context.Background(), nil, data)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	stop := runner(dir, &recorder{onUpdate: func(done, total int) {
		if done == total/cfg.Epochs+1 {
			cancel() // stop after the first epoch's checkpoint
		}
	}})
	if _, err := cfg.Train(ctx, stop, data); err == nil {
		t.Fatal("interrupted run returned no error")
	}
	resumed, err := cfg.Train(context.Background(), &Runner{Dir: dir}, data)
	if err != nil {
		t.Fatal(err)
	}
	if resumed.Resumed < 1 {
		t.Fatalf("resumed after %d epochs, want ≥ 1", resumed.Resumed)
	}
	if !slices.Equal(whole.Net.Params(), resumed.Net.Params()) {
		t.Error("fixed heads: resumed run ends with other parameters than the uninterrupted one")
	}
}

func TestOneAtATime(t *testing.T) {
	base := Config{Method: Hard, Epsilon: 0.1, Seed: 1}
	vs, err := OneAtATime(base, HeadsFactor(1, 8), HeadScaleFactor(0.5, 1), HeadLossFactor(), HeadDrawFactor())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, v := range vs {
		s := v.Factor + "=" + v.Value
		if v.Base {
			s += "*"
		}
		got = append(got, s)
	}
	want := []string{"K=1", "K=8*", "head scale=0.5", "head scale=1*", "loss=ce*", "loss=squared", "heads=fresh*", "heads=fixed"}
	if !slices.Equal(got, want) {
		t.Errorf("variants %v, want %v (* marks the base)", got, want)
	}
	if _, err := OneAtATime(base, HeadScaleFactor(-2)); err == nil || !strings.Contains(err.Error(), "head scale = -2") {
		t.Errorf("bad level: error %v, want one naming the factor and level", err)
	}
}

// Run trains each distinct network once: the base is shared by all factors.
func TestAblationRunSharesTheBase(t *testing.T) {
	data, test := Data{"blobs", blobs(200, 1)}, Data{"blobs", blobs(60, 2)}
	a := &Ablation{
		Base:    small(Hard),
		Factors: []Factor{HeadsFactor(1, 3), HeadDrawFactor()},
		Seeds:   []uint64{7, 8},
		Steps:   3,
	}
	var trained []string // the titles of the trainings
	r := &Runner{Report: func(title string) Reporter {
		if strings.Contains(title, "training") && !strings.Contains(title, ": ") { // not an evaluation's "…, seed 7: attacks"
			trained = append(trained, title)
		}
		return nil
	}}
	rows, err := a.Run(context.Background(), r, data, test)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2*4 {
		t.Fatalf("%d rows, want 4 per seed", len(rows))
	}
	if len(trained) != 2*3 {
		t.Errorf("trained %q, want three distinct networks per seed", trained)
	}
	for s, seed := range a.Seeds {
		b1, b2 := rows[4*s+1], rows[4*s+2] // K = 3 and fresh heads: the base
		if !b1.Base || !b2.Base || b1.Key != b2.Key || b1.RobustAccuracy != b2.RobustAccuracy {
			t.Errorf("seed %d: base rows %+v and %+v: want the same network and numbers", seed, b1, b2)
		}
		for _, r := range rows[4*s : 4*s+4] {
			if r.N != 60 || r.Seed != seed || r.RobustAccuracy > r.CleanAccuracy || r.CleanAccuracy <= 0 {
				t.Errorf("row %+v: want n = 60, seed %d and 0 < robust ≤ clean", r, seed)
			}
		}
	}
	if rows[1].Key == rows[5].Key {
		t.Error("the two seeds share a base network")
	}
}

func TestReadAblationCSV(t *testing.T) {
	path := t.TempDir() + "/ext3.csv"
	if err := os.WriteFile(path, []byte("factor,value,clean_accuracy,robust_accuracy,n,seed\nK,8,0.98,0.7,10000,1\nloss,squared,0.97,0.5,10000,1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	rows, err := ReadAblationCSV(path)
	if err != nil {
		t.Fatal(err)
	}
	want := AblationRow{Factor: "loss", Value: "squared", CleanAccuracy: 0.97, RobustAccuracy: 0.5, N: 10000, Seed: 1}
	if len(rows) != 2 || rows[1] != want {
		t.Errorf("rows %+v, want 2 with the second %+v", rows, want)
	}
}

func TestSummarizeAblation(t *testing.T) {
	rows := []AblationRow{
		{Factor: "K", Value: "1", CleanAccuracy: 0.9, RobustAccuracy: 0.5, Seed: 1},
		{Factor: "K", Value: "8", CleanAccuracy: 0.8, RobustAccuracy: 0.4, Seed: 1, Base: true},
		{Factor: "K", Value: "1", CleanAccuracy: 0.7, RobustAccuracy: 0.2, Seed: 2},
		{Factor: "K", Value: "8", CleanAccuracy: 0.8, RobustAccuracy: 0.6, Seed: 2, Base: true},
		{Factor: "K", Value: "1", CleanAccuracy: 0.8, RobustAccuracy: 0.5, Seed: 3},
	}
	got, err := SummarizeAblation(rows)
	if err != nil {
		t.Fatal(err)
	}
	// Means, minima and maxima of the rows above, by hand.
	want := []AblationLevel{
		{Factor: "K", Value: "1", Clean: Stat{Mean: 0.8, Min: 0.7, Max: 0.9, Seeds: 3}, Robust: Stat{Mean: 0.4, Min: 0.2, Max: 0.5, Seeds: 3}},
		{Factor: "K", Value: "8", Base: true, Clean: Stat{Mean: 0.8, Min: 0.8, Max: 0.8, Seeds: 2}, Robust: Stat{Mean: 0.5, Min: 0.4, Max: 0.6, Seeds: 2}},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d levels, want %d: %+v", len(got), len(want), got)
	}
	near := func(a, b Stat) bool {
		return math.Abs(a.Mean-b.Mean) < 1e-12 && a.Min == b.Min && a.Max == b.Max && a.Seeds == b.Seeds
	}
	for i, w := range want {
		g := got[i]
		if g.Factor != w.Factor || g.Value != w.Value || g.Base != w.Base || !near(g.Clean, w.Clean) || !near(g.Robust, w.Robust) {
			t.Errorf("level %d = %+v, want %+v", i, g, w)
		}
	}
	if _, err := SummarizeAblation(append(rows, rows[0])); err == nil || !strings.Contains(err.Error(), "twice for seed 1") {
		t.Errorf("a seed counted twice: error %v, want one naming the seed", err)
	}
}
