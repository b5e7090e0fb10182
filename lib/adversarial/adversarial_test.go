package adversarial

import (
	"bytes"
	"context"
	"encoding/gob"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"pointwise/lib/attack"
	"pointwise/lib/dataset"
	"pointwise/lib/mlp"
)

// blobs returns n images of 4×4 pixels in [0, 1]: class c ∈ 0..9 is a
// random centre plus noise of standard deviation 0.1, clipped.
func blobs(n int, seed uint64) *dataset.Split {
	rnd := rand.New(rand.NewPCG(seed, seed))
	centres := rand.New(rand.NewPCG(1, 2)) // the same classes for every seed
	const d = 16
	c := make([]float64, 10*d)
	for i := range c {
		c[i] = 0.2 + 0.6*centres.Float64()
	}
	s := &dataset.Split{X: make([]float32, n*d), Y: make([]int, n), N: n, Rows: 4, Cols: 4}
	for i := range n {
		y := i % 10
		s.Y[i] = y
		for j := range d {
			s.X[i*d+j] = float32(min(1, max(0, c[y*d+j]+0.1*rnd.NormFloat64())))
		}
	}
	return s
}

// small is a fast configuration for the synthetic data.
func small(m Method) Config {
	return Config{Method: m, Epsilon: 0.05, Hidden: []int{12, 12}, LearningRate: 1e-2, BatchSize: 32, Epochs: 3, Seed: 7, Heads: HeadSettings{K: 3}, Steps: 3}
}

// recorder is a Reporter that keeps its log lines and calls onUpdate, if
// set, with every update.
type recorder struct {
	lines    []string
	updates  int
	onUpdate func(done, total int)
}

func (r *recorder) Update(done, total int, _ string) {
	r.updates++
	if r.onUpdate != nil {
		r.onUpdate(done, total)
	}
}

func (r *recorder) Log(format string, args ...any) {
	r.lines = append(r.lines, fmt.Sprintf(format, args...))
}

func (r *recorder) log() string { return strings.Join(r.lines, "\n") }

// runner returns a Runner on dir whose every task reports to rec.
func runner(dir string, rec *recorder) *Runner {
	return &Runner{Dir: dir, Report: func(string) Reporter { return rec }}
}

// entryPaths returns the cache entry of the model with the given key in dir
// and its checkpoint.
func entryPaths(dir, key string) (entry, checkpoint string) {
	base := filepath.Join(dir, key)
	return base + ".gob", base + ".ckpt"
}

// keyOfConfig returns the cache key of the network that cfg trains on data.
func keyOfConfig(t *testing.T, cfg Config, data Data) string {
	t.Helper()
	r, err := cfg.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	k, err := modelKey(r, data.Name, data.fingerprint())
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestResolveDefaults(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   Config
		want Config
	}{
		{"zero value: standard, fig6's network", Config{},
			Config{Hidden: []int{256, 256}, LearningRate: 1e-3, BatchSize: 128, Epochs: 5}},
		{"standard ignores the attack settings", Config{Epsilon: 0.3, Steps: 7, Heads: HeadSettings{K: 2}, Mix: 0.5},
			Config{Hidden: []int{256, 256}, LearningRate: 1e-3, BatchSize: 128, Epochs: 5}},
		// α = 2.5·0.1/10 = 0.025; Heads is not PGD's.
		{"pgd", Config{Method: PGD, Epsilon: 0.1, Heads: HeadSettings{K: 3}},
			Config{Method: PGD, Epsilon: 0.1, Steps: 10, StepSize: 0.025, Mix: 1,
				Hidden: []int{256, 256}, LearningRate: 1e-3, BatchSize: 128, Epochs: 5}},
		// α = 2.5·0.05/4 = 0.03125.
		{"hard", Config{Method: Hard, Epsilon: 0.05, Steps: 4, Mix: 0.5, Seed: 3},
			Config{Method: Hard, Epsilon: 0.05, Steps: 4, StepSize: 0.03125, Heads: HeadSettings{K: 8, Scale: 1}, Mix: 0.5,
				Hidden: []int{256, 256}, LearningRate: 1e-3, BatchSize: 128, Epochs: 5, Seed: 3}},
	} {
		got, err := tc.in.Resolve()
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if fmt.Sprint(got) != fmt.Sprint(tc.want) || !slices.Equal(got.Hidden, tc.want.Hidden) {
			t.Errorf("%s: resolved to %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

func TestConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{Method: 3}, "method 3 unknown"},
		{Config{Method: PGD}, "epsilon 0 for pgd training"},
		{Config{Method: Hard, Epsilon: 1.5}, "epsilon 1.5 out of range"},
		{Config{Method: Hard, Epsilon: math.NaN()}, "epsilon NaN out of range"},
		{Config{Method: PGD, Epsilon: -0.1}, "epsilon -0.1 out of range"},
		{Config{Method: PGD, Epsilon: 0.1, Steps: -1}, "steps -1 out of range: need 1 to 1000"},
		{Config{Method: PGD, Epsilon: 0.1, StepSize: 2}, "step size 2 out of range"},
		{Config{Method: Hard, Epsilon: 0.1, Heads: HeadSettings{K: 5000}}, "heads 5000 out of range: need 1 to 1024"},
		{Config{Method: Hard, Epsilon: 0.1, Mix: 1.5}, "mix 1.5 out of range"},
		{Config{Method: Hard, Epsilon: 0.1, Hidden: []int{}}, "hard training needs a feature layer"},
		{Config{Hidden: []int{256, 0}}, "width 0 of hidden layer 1 out of range"},
		{Config{LearningRate: -1}, "learning rate -1 out of range"},
		{Config{BatchSize: -5}, "batch size -5 out of range"},
		{Config{Epochs: 100000}, "epochs 100000 out of range: need 1 to 1000"},
	} {
		_, err := tc.cfg.Resolve()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want one containing %q", tc.cfg, err, tc.want)
		}
		// Train reports the same error before touching the data or the cache.
		dir := t.TempDir()
		_, err = tc.cfg.Train(context.Background(), &Runner{Dir: dir}, Data{"blobs", blobs(10, 1)})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Train(%+v): error %v, want one containing %q", tc.cfg, err, tc.want)
		}
	}
	bad := blobs(10, 1)
	bad.X[3] = 1.5
	for _, tc := range []struct {
		data Data
		want string
	}{
		{Data{"", blobs(10, 1)}, "without a name"},
		{Data{"blobs", nil}, "empty"},
		{Data{"blobs", bad}, "pixel 3 = 1.5 out of range"},
		{Data{"blobs", &dataset.Split{X: make([]float32, 16), Y: []int{10}, N: 1, Rows: 4, Cols: 4}}, "label 10 of sample 0 out of range"},
	} {
		_, err := Config{}.Train(context.Background(), nil, tc.data)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("data %q: error %v, want one containing %q", tc.data.Name, err, tc.want)
		}
	}
}

// Every setting that changes the trained network changes the key; settings
// that resolve alike share it.
func TestKeyChangesWithEverySetting(t *testing.T) {
	data := Data{"MNIST", blobs(50, 1)}
	base := Config{Method: Hard, Epsilon: 0.1}
	variants := map[string]Config{}
	for name, edit := range map[string]func(*Config){
		"base":       func(*Config) {},
		"method":     func(c *Config) { c.Method = PGD },
		"epsilon":    func(c *Config) { c.Epsilon = 0.05 },
		"steps":      func(c *Config) { c.Steps = 7 },
		"step size":  func(c *Config) { c.StepSize = 0.01 },
		"heads":      func(c *Config) { c.Heads.K = 4 },
		"mix":        func(c *Config) { c.Mix = 0.5 },
		"hidden":     func(c *Config) { c.Hidden = []int{256, 128} },
		"depth":      func(c *Config) { c.Hidden = []int{256} },
		"lr":         func(c *Config) { c.LearningRate = 1e-2 },
		"batch size": func(c *Config) { c.BatchSize = 64 },
		"epochs":     func(c *Config) { c.Epochs = 1 },
		"seed":       func(c *Config) { c.Seed = 1 },
		"init":       func(c *Config) { c.Init = "pytorch" },
		"init 2":     func(c *Config) { c.Init = "glorot-uniform" },
		"family":     func(c *Config) { c.Heads.Family = "uniform" },
		"bias":       func(c *Config) { c.Heads.Bias = BiasWeight },
		"loss":       func(c *Config) { c.Heads.Loss = attack.HeadLimit },
	} {
		c := base
		edit(&c)
		variants[name] = c
	}
	seen := map[string]string{}
	add := func(name, k string) {
		if other, ok := seen[k]; ok {
			t.Errorf("%s and %s share the key %s", name, other, k)
		}
		seen[k] = name
	}
	for name, c := range variants {
		add(name, keyOfConfig(t, c, data))
	}
	// The data: its name, its size, one pixel, one label.
	add("data name", keyOfConfig(t, base, Data{"Fashion-MNIST", data.Split}))
	sub, _ := data.Split.Subset(40)
	add("subset", keyOfConfig(t, base, Data{"MNIST", sub}))
	px := blobs(50, 1)
	px.X[100] += 1e-3
	add("pixel", keyOfConfig(t, base, Data{"MNIST", px}))
	lb := blobs(50, 1)
	lb.Y[7] = (lb.Y[7] + 1) % 10
	add("label", keyOfConfig(t, base, Data{"MNIST", lb}))

	// Explicit defaults and ignored fields do not change the key.
	want := keyOfConfig(t, base, data)
	for name, c := range map[string]Config{
		"explicit defaults": {Method: Hard, Epsilon: 0.1, Steps: 10, StepSize: 0.025, Heads: HeadSettings{K: 8, Scale: 1}, Mix: 1,
			Hidden: []int{256, 256}, LearningRate: 1e-3, BatchSize: 128, Epochs: 5},
		// He's own heads are normal with zero biases.
		"explicit init and heads' law": {Method: Hard, Epsilon: 0.1, Init: "he", Heads: HeadSettings{Family: "normal", Bias: BiasZero}},
	} {
		if k := keyOfConfig(t, c, data); k != want {
			t.Errorf("%s: key %s, want %s", name, k, want)
		}
	}
	std1 := keyOfConfig(t, Config{}, data)
	std2 := keyOfConfig(t, Config{Epsilon: 0.3, Heads: HeadSettings{K: 2}}, data)
	if std1 != std2 {
		t.Errorf("standard training's key depends on ignored attack settings: %s, %s", std1, std2)
	}
	if !strings.HasPrefix(want, "mnist-hard-") {
		t.Errorf("key %s: want the prefix mnist-hard-", want)
	}
}

// A second Train with the same settings loads the cached network: no step is
// taken, the file is not rewritten, and the parameters are those trained.
func TestCacheHitSkipsTraining(t *testing.T) {
	dir := t.TempDir()
	data := Data{"blobs", blobs(200, 1)}
	for _, m := range Methods {
		rec := &recorder{}
		first, err := small(m).Train(context.Background(), runner(dir, rec), data)
		if err != nil {
			t.Fatal(err)
		}
		if first.Cached || rec.updates != 3*7 || len(first.History) != 3 {
			t.Errorf("%v: first run cached %v after %d steps with %d epochs of history, want trained in 3×7 steps", m, first.Cached, rec.updates, len(first.History))
		}
		entry, ckptPath := entryPaths(dir, first.Key)
		st1, err := os.Stat(entry)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(ckptPath); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%v: checkpoint left after the run finished (stat error %v)", m, err)
		}
		rec.updates = 0
		second, err := small(m).Train(context.Background(), runner(dir, rec), data)
		if err != nil {
			t.Fatal(err)
		}
		st2, _ := os.Stat(entry)
		if !second.Cached || rec.updates != 0 || !st2.ModTime().Equal(st1.ModTime()) {
			t.Errorf("%v: second run cached %v after %d steps: want a cache hit without training", m, second.Cached, rec.updates)
		}
		if !slices.Equal(first.Net.Params(), second.Net.Params()) || !slices.Equal(first.History, second.History) {
			t.Errorf("%v: cached network or history differs from the trained one", m)
		}
	}
}

// Training 3 epochs in one go equals training that is interrupted in epoch
// 2 and resumed from the checkpoint of epoch 1, bit for bit: the optimiser,
// the shuffling and the attack's random stream all carry over.
func TestResumeEqualsUninterrupted(t *testing.T) {
	data := Data{"blobs", blobs(200, 1)}
	for _, m := range Methods {
		want, err := small(m).Train(context.Background(), nil, data)
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		ctx, cancel := context.WithCancel(context.Background())
		rec := &recorder{onUpdate: func(done, _ int) {
			if done == 7+4 { // a crash in the middle of epoch 2 (7 steps per epoch)
				cancel()
			}
		}}
		if _, err := small(m).Train(ctx, runner(dir, rec), data); !errors.Is(err, context.Canceled) {
			t.Fatalf("%v: interrupted run gave error %v, want context.Canceled", m, err)
		}
		rec.onUpdate = nil
		got, err := small(m).Train(context.Background(), runner(dir, rec), data)
		if err != nil {
			t.Fatal(err)
		}
		if got.Resumed != 1 || got.Cached {
			t.Errorf("%v: resumed after %d epochs (cached %v), want 1; log %q", m, got.Resumed, got.Cached, rec.lines)
		}
		if !slices.Equal(got.Net.Params(), want.Net.Params()) {
			t.Errorf("%v: resumed run's parameters differ from the uninterrupted run's", m)
		}
		if !slices.Equal(got.History, want.History) {
			t.Errorf("%v: history %v, want %v", m, got.History, want.History)
		}
	}
}

// cachedEntry has the fields of a cache entry (package runcache) that
// holds a trained network: gob matches fields by name, so a test can read
// and rewrite one.
type cachedEntry struct {
	Key   string
	Value trained
}

// readEntry decodes the cache entry of a trained network.
func readEntry(t *testing.T, path string) cachedEntry {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var e cachedEntry
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&e); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return e
}

// rewriteEntry edits the cache entry of a trained network.
func rewriteEntry(t *testing.T, path string, edit func(*cachedEntry)) {
	t.Helper()
	e := readEntry(t, path)
	edit(&e)
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(e); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// A truncated or poisoned cache entry is never loaded: Train says so and
// trains again, to the same network.
func TestBadCacheFileRetrains(t *testing.T) {
	data := Data{"blobs", blobs(200, 1)}
	cfg := small(PGD)
	for _, tc := range []struct {
		name   string
		damage func(t *testing.T, entry string)
		want   string
	}{
		{"truncated", func(t *testing.T, p string) {
			b, _ := os.ReadFile(p)
			os.WriteFile(p, b[:len(b)/2], 0o644)
		}, "truncated"},
		{"flipped byte in the network", func(t *testing.T, p string) {
			b, _ := os.ReadFile(p)
			i := bytes.Index(b, []byte("PWMLP"))
			b[i+100] ^= 0xff
			os.WriteFile(p, b, 0o644)
		}, "checksum"},
		{"NaN parameter", func(t *testing.T, p string) {
			rewriteEntry(t, p, func(e *cachedEntry) { e.Value.Net.Params()[5] = float32(math.NaN()) })
		}, "parameter 5 of the network is NaN"},
		{"another network's layers", func(t *testing.T, p string) {
			rewriteEntry(t, p, func(e *cachedEntry) { e.Value.Net, _ = mlp.New[float32]([]int{16, 3, 10}, mlp.ReLU, mlp.Identity) })
		}, "does not have the sizes [16 12 12 10]"},
		{"another model's entry", func(t *testing.T, p string) {
			rewriteEntry(t, p, func(e *cachedEntry) { e.Key = strings.Replace(e.Key, `"Seed":7`, `"Seed":8`, 1) })
		}, "holds another key"},
	} {
		dir := t.TempDir()
		rec := &recorder{}
		want, err := cfg.Train(context.Background(), runner(dir, rec), data)
		if err != nil {
			t.Fatal(err)
		}
		entry, _ := entryPaths(dir, want.Key)
		tc.damage(t, entry)
		rec.lines = nil
		got, err := cfg.Train(context.Background(), runner(dir, rec), data)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got.Cached || !strings.Contains(rec.log(), "unreadable") || !strings.Contains(rec.log(), tc.want) {
			t.Errorf("%s: cached %v, log %q: want a retrain and a log line containing %q", tc.name, got.Cached, rec.log(), tc.want)
		}
		if !slices.Equal(got.Net.Params(), want.Net.Params()) {
			t.Errorf("%s: retrained network differs", tc.name)
		}
		// The retrained network replaced the bad file.
		if again, err := cfg.Train(context.Background(), runner(dir, rec), data); err != nil || !again.Cached {
			t.Errorf("%s: third run cached %v, error %v: want a cache hit", tc.name, again != nil && again.Cached, err)
		}
	}
}

// A damaged checkpoint is reported and the run starts afresh.
func TestBadCheckpointRestarts(t *testing.T) {
	data := Data{"blobs", blobs(200, 1)}
	cfg := small(Hard)
	want, err := cfg.Train(context.Background(), nil, data)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cfg.Train(ctx, runner(dir, &recorder{onUpdate: func(done, _ int) {
		if done == 10 {
			cancel()
		}
	}}), data)
	_, ckpt := entryPaths(dir, want.Key)
	b, err := os.ReadFile(ckpt)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(ckpt, b[:len(b)-3], 0o644)
	rec := &recorder{}
	got, err := cfg.Train(context.Background(), runner(dir, rec), data)
	if err != nil {
		t.Fatal(err)
	}
	if got.Resumed != 0 || !strings.Contains(rec.log(), "checkpoint unusable") {
		t.Errorf("resumed %d epochs, log %q: want a fresh start and a log line", got.Resumed, rec.lines)
	}
	if !slices.Equal(got.Net.Params(), want.Net.Params()) {
		t.Error("network after a fresh start differs from the uninterrupted run's")
	}
}

func TestEvaluate(t *testing.T) {
	data, test := Data{"blobs", blobs(200, 1)}, Data{"blobs", blobs(1130, 2)}
	m, err := small(Standard).Train(context.Background(), nil, data)
	if err != nil {
		t.Fatal(err)
	}
	_, clean, err := mlp.Evaluate(m.Net, test.Split.X, test.Split.Y, 0)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	rec := &recorder{}
	ev := &Evaluator{Epsilons: []float64{0, 0.1, 0.3}, Steps: 5}
	rows, err := ev.Evaluate(context.Background(), runner(dir, rec), m, test)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 6 {
		t.Fatalf("%d rows, want 2 attacks × 3 ε", len(rows))
	}
	// 1130 images: three batches of EvalBatch = 500, 500 and 130, for each
	// attack and ε.
	if rec.updates != (1+3)*3 {
		t.Errorf("%d progress updates, want 12 (FGSM's one sweep of the grid and PGD at 3 ε, × 3 batches)", rec.updates)
	}
	for i, r := range rows {
		wantAttack, wantEps := []string{"FGSM", "PGD-5"}[i/3], ev.Epsilons[i%3]
		if r.Dataset != "blobs" || r.Training != "standard" || r.Attack != wantAttack || r.Epsilon != wantEps || r.N != 1130 || r.Seed != 7 {
			t.Errorf("row %d = %+v, want blobs, standard, %s, ε = %g, n = 1130, seed 7", i, r, wantAttack, wantEps)
		}
		// At ε = 0 no attack moves a point: the clean accuracy.
		if r.Epsilon == 0 && r.Accuracy != clean {
			t.Errorf("%s at ε = 0: accuracy %v, want the clean accuracy %v", r.Attack, r.Accuracy, clean)
		}
		// Accuracy is a count over 1130 images.
		if c := r.Accuracy * 1130; math.Abs(c-math.Round(c)) > 1e-9 {
			t.Errorf("row %d: accuracy %v is not a count over 1130", i, r.Accuracy)
		}
		if r.Epsilon > 0 && r.Accuracy > clean {
			t.Errorf("%s at ε = %g: accuracy %v above the clean %v: a clean error must count as not robust here", r.Attack, r.Epsilon, r.Accuracy, clean)
		}
	}
	if files, _ := filepath.Glob(filepath.Join(dir, m.Key+"-eval-*.gob")); len(files) != 1 {
		t.Errorf("results cached in %v, want one file %s-eval-<hash>.gob", files, m.Key)
	}
	rec.lines = nil
	again, err := ev.Evaluate(context.Background(), runner(dir, rec), m, test)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(again, rows) || len(rec.lines) != 1 || !strings.Contains(rec.lines[0], "read from the cache") {
		t.Errorf("second evaluation gave %v with log %q: want the cached rows", again, rec.lines)
	}
	// CSV round trip, as the check cells read the figure's CSV back.
	path := filepath.Join(dir, "rows.csv")
	csv := strings.Join(Columns, ",") + "\n"
	for _, r := range rows {
		csv += fmt.Sprintf("%s,%s,%s,%v,%v,%d,%d\n", r.Dataset, r.Training, r.Attack, r.Epsilon, r.Accuracy, r.N, r.Seed)
	}
	os.WriteFile(path, []byte(csv), 0o644)
	read, err := ReadCSV(path)
	if err != nil || !slices.Equal(read, rows) {
		t.Errorf("ReadCSV gave %v, %v; want the rows written", read, err)
	}
	if acc, ok := find(rows, "standard", "PGD-5", 0.1); !ok || acc != rows[4].Accuracy {
		t.Errorf("find gave %v, %v; want row 4's accuracy", acc, ok)
	}
	if _, ok := find(rows, "hard", "PGD-5", 0.1); ok {
		t.Error("find found a row that does not exist")
	}

	for _, tc := range []struct {
		ev   Evaluator
		want string
	}{
		{Evaluator{Epsilons: []float64{}}, "empty epsilon grid"},
		{Evaluator{Epsilons: []float64{0, 2}}, "epsilon 1 = 2 out of range"},
		{Evaluator{Steps: -1}, "evaluation steps -1 out of range"},
	} {
		if _, err := tc.ev.Evaluate(context.Background(), nil, m, test); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want one containing %q", tc.ev, err, tc.want)
		}
	}
	if _, err := ev.Evaluate(context.Background(), nil, &Model{Net: m.Net}, test); err == nil || !strings.Contains(err.Error(), "need one from Config.Train") {
		t.Errorf("model without a key: error %v", err)
	}
}

// On an MNIST subset, both adversarial trainings give a network more robust
// than standard training under PGD at the training ε.
func TestAdversarialTrainingIsMoreRobust(t *testing.T) {
	if testing.Short() {
		t.Skip("trains three MNIST networks (about 20 s)")
	}
	set, err := dataset.MNIST()
	if err != nil {
		t.Skip(err)
	}
	train, _ := set.Train.Subset(4000)
	test, _ := set.Test.Subset(1000)
	const eps = 0.1
	ev := &Evaluator{Epsilons: []float64{eps}, Steps: 10}
	acc := map[Method]float64{}
	for _, m := range Methods {
		model, err := Config{Method: m, Epsilon: eps, Epochs: 2, Seed: 2}.Train(context.Background(), nil, Data{set.Name, train})
		if err != nil {
			t.Fatal(err)
		}
		rows, err := ev.Evaluate(context.Background(), nil, model, Data{set.Name, test})
		if err != nil {
			t.Fatal(err)
		}
		acc[m], _ = find(rows, m.String(), AttackPGD(10), eps)
		t.Logf("%v: PGD-10 accuracy at ε = %g: %.1f%% (FGSM %.1f%%)", m, eps, 100*acc[m], 100*rows[0].Accuracy)
	}
	for _, m := range []Method{PGD, Hard} {
		if margin := map[Method]float64{PGD: 0.1, Hard: 0.02}[m]; acc[m] <= acc[Standard]+margin {
			t.Errorf("%v training: PGD accuracy %.3f at ε = %g, want above standard training's %.3f by more than %g", m, acc[m], eps, acc[Standard], map[Method]float64{PGD: 0.1, Hard: 0.02}[m])
		}
	}
}
