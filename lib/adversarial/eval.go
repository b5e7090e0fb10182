package adversarial

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"pointwise/lib/attack"
	"pointwise/lib/mlp"
)

// DefaultEpsilons is fig6's evaluation grid ε = 0, 0.025, …, 0.3 (our
// choice: it ends at 0.3, the MNIST radius of Madry et al. 2018).
var DefaultEpsilons = func() []float64 {
	e := make([]float64, 13)
	for i := range e {
		e[i] = float64(i) / 40 // the double nearest i/40, as "0.075" parses to; i·0.025 would give 0.07500000000000001
	}
	return e
}()

// Defaults of Evaluator.
const (
	DefaultEvalSteps = 20
	DefaultEvalBatch = 500
)

// Evaluator measures the robust accuracy of trained networks under FGSM and
// L∞ PGD (random start, step 2.5·ε/Steps, each sample's best iterate; see
// attack.PGD) on a grid of ε. The zero value evaluates DefaultEpsilons
// with PGD-20 and caches nothing.
type Evaluator struct {
	// Epsilons is the grid of L∞ radii, each in [0, 1]. If it is nil, it is
	// DefaultEpsilons.
	Epsilons []float64
	// Steps is the number of PGD steps, 1 to MaxSteps. If it is 0, it is 20.
	Steps int
	// BatchSize is the number of test images attacked together, 1 to
	// MaxBatch. If it is 0, it is 500. It does not change the accuracy's
	// meaning, but it does change which random start each image gets.
	BatchSize int
	// Seed seeds PGD's random starts (the stream restarts for every ε).
	Seed uint64
	// CacheDir, if not "", keeps each model's results in a JSON file
	// <model key>-eval-<hash>.json, the hash covering every setting above,
	// the model's key and the test data, so that a re-run reads them instead
	// of attacking again.
	CacheDir string
	// Progress, if non-nil, is called after every batch with the batches
	// done, the total and a short status (figure.Progress.Update's shape).
	Progress func(done, total int, status string)
	// Log, if non-nil, receives one line per attack and ε
	// (figure.Progress.Log's shape).
	Log func(format string, args ...any)
}

// Row is one line of the figure's CSV: the accuracy of the network trained
// by Training on Dataset with seed Seed under Attack at radius Epsilon, over
// N test images.
type Row struct {
	Dataset  string
	Training string
	Attack   string
	Epsilon  float64
	Accuracy float64
	N        int
	// Seed is the training's Config.Seed. Study sets it; Evaluator and
	// EnsembleEvaluator, which only know the attacks' seed, leave it 0.
	Seed uint64
}

// Columns are the CSV columns of a Row, in the order of Row.Values.
var Columns = []string{"dataset", "training", "attack", "epsilon", "accuracy", "n", "seed"}

// Values returns the row's fields in the order of Columns, for
// figure.Table.Append.
func (r Row) Values() []any {
	return []any{r.Dataset, r.Training, r.Attack, r.Epsilon, r.Accuracy, r.N, strconv.FormatUint(r.Seed, 10)}
}

// Attack names, as they appear in rows.
const (
	AttackFGSM = "FGSM"
	// AttackEnsemble is the per-sample worst case of EnsembleEvaluator.
	AttackEnsemble = "ensemble"
)

// AttackPGD returns the name of the PGD attack with the given steps, such as
// "PGD-20".
func AttackPGD(steps int) string { return fmt.Sprintf("PGD-%d", steps) }

type evalDoc struct {
	Epsilons  []float64
	Steps     int
	BatchSize int
	Seed      uint64
	Model     string
	Test      string
}

// Evaluate returns the rows of model m on the test data: for FGSM and then
// PGD, one row per ε of the grid, in the grid's order. Accuracy is the
// fraction of all N test images whose attacked version the network
// classifies correctly: a clean error is never robust. It stops when ctx is
// done (a nil ctx never is).
func (e *Evaluator) Evaluate(ctx context.Context, m *Model, test Data) ([]Row, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	if m == nil || m.Net == nil {
		return nil, errors.New("adversarial: model without a network: need one from Trainer.Train")
	}
	eps := e.Epsilons
	if eps == nil {
		eps = DefaultEpsilons
	}
	if len(eps) == 0 {
		return nil, errors.New("adversarial: empty epsilon grid: need at least one ε (nil means 0, 0.025, …, 0.3)")
	}
	for i, v := range eps {
		if !(v >= 0 && v <= 1) {
			return nil, fmt.Errorf("adversarial: epsilon %d = %v out of range: need 0 ≤ ε ≤ 1", i, v)
		}
	}
	steps, bs := e.Steps, e.BatchSize
	if steps == 0 {
		steps = DefaultEvalSteps
	}
	if bs == 0 {
		bs = DefaultEvalBatch
	}
	if steps < 1 || steps > MaxSteps {
		return nil, fmt.Errorf("adversarial: evaluation steps %d out of range: need 1 to %d (0 means %d)", steps, MaxSteps, DefaultEvalSteps)
	}
	if bs < 1 || bs > MaxBatch {
		return nil, fmt.Errorf("adversarial: evaluation batch size %d out of range: need 1 to %d (0 means %d)", bs, MaxBatch, DefaultEvalBatch)
	}
	if err := test.check("test"); err != nil {
		return nil, err
	}
	if test.Split.Dim() != m.Net.In() {
		return nil, fmt.Errorf("adversarial: test images of %d pixels for a network with %d inputs", test.Split.Dim(), m.Net.In())
	}
	var cachePath string
	if e.CacheDir != "" {
		doc := evalDoc{Epsilons: eps, Steps: steps, BatchSize: bs, Seed: e.Seed, Model: m.Key, Test: test.Fingerprint()}
		k := key("eval", m.Config, test.Name, doc.Test, doc)
		cachePath = filepath.Join(e.CacheDir, m.Key+"-eval-"+k[strings.LastIndexByte(k, '-')+1:]+".json")
		if rows, err := readRows(cachePath); err == nil {
			if e.Log != nil {
				e.Log("%v: results read from the cache (%s)", m.Config.Method, filepath.Base(cachePath))
			}
			return rows, nil
		} else if !errors.Is(err, os.ErrNotExist) && e.Log != nil {
			e.Log("%v: cached results unusable, evaluating again: %v", m.Config.Method, err)
		}
	}

	n := test.Split.N
	bs = min(bs, n)
	ce, err := attack.NewCrossEntropy(m.Net, bs)
	if err != nil {
		return nil, fmt.Errorf("adversarial: %w", err)
	}
	tp, err := m.Net.NewTape(bs)
	if err != nil {
		return nil, fmt.Errorf("adversarial: %w", err)
	}
	fgsm := &attack.FGSM[float32]{Objective: ce}
	pgd := &attack.PGD[float32]{Objective: ce, Norm: attack.LInf, Steps: steps, Seed: e.Seed}
	attacks := []struct {
		name string
		atk  attack.Attack[float32]
		set  func(eps float64)
	}{
		{AttackFGSM, fgsm, func(v float64) { fgsm.Epsilon = v }},
		{AttackPGD(steps), pgd, func(v float64) { pgd.Epsilon = v; pgd.Reset() }},
	}
	batches := (n + bs - 1) / bs
	total, done := len(attacks)*len(eps)*batches, 0
	in := test.Split.Dim()
	adv := make([]float32, bs*in)
	var rows []Row
	for _, a := range attacks {
		for _, v := range eps {
			began := time.Now()
			a.set(v)
			correct := 0
			for s := 0; s < n; s += bs {
				if err := ctx.Err(); err != nil {
					return nil, fmt.Errorf("adversarial: evaluation stopped at %s ε = %g: %w", a.name, v, err)
				}
				k := min(bs, n-s)
				x, y := test.Split.X[s*in:(s+k)*in], test.Split.Y[s:s+k]
				if err := a.atk.Perturb(adv[:k*in], x, y, k); err != nil {
					return nil, fmt.Errorf("adversarial: %s at ε = %g on test images %d to %d: %w", a.name, v, s, s+k-1, err)
				}
				z, err := tp.Forward(adv[:k*in])
				if err != nil {
					return nil, fmt.Errorf("adversarial: %w", err)
				}
				correct += mlp.Correct(z, y)
				done++
				if e.Progress != nil {
					e.Progress(done, total, fmt.Sprintf("%v: %s at ε = %g", m.Config.Method, a.name, v))
				}
			}
			r := Row{Dataset: m.Data, Training: m.Config.Method.String(), Attack: a.name,
				Epsilon: v, Accuracy: float64(correct) / float64(n), N: n}
			rows = append(rows, r)
			if e.Log != nil {
				e.Log("%v: %s ε = %g: accuracy %.2f%% (%.1f s)", m.Config.Method, a.name, v, 100*r.Accuracy, time.Since(began).Seconds())
			}
		}
	}
	if cachePath != "" {
		if err := os.MkdirAll(e.CacheDir, 0o755); err != nil {
			return nil, fmt.Errorf("adversarial: cache directory: %w", err)
		}
		b, _ := json.MarshalIndent(rows, "", "  ")
		if err := writeFileAtomic(cachePath, b); err != nil {
			return nil, fmt.Errorf("adversarial: caching results: %w", err)
		}
	}
	return rows, nil
}

func readRows(path string) ([]Row, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var rows []Row
	if err := json.Unmarshal(b, &rows); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("%s: no rows", path)
	}
	return rows, nil
}

// ReadCSV reads rows from a CSV file with the header Columns (in any order;
// other columns are ignored), such as the figure's <id>.csv. The seed column,
// or a row's last field when seed is the last column, may be missing (files
// written before it existed): those rows have seed 0.
func ReadCSV(path string) ([]Row, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("adversarial: %w", err)
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.FieldsPerRecord = -1 // a row may lack a trailing seed column; checked below
	recs, err := cr.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("adversarial: %s: %w", path, err)
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("adversarial: %s: empty: need a header %v", path, Columns)
	}
	col := make(map[string]int)
	for i, h := range recs[0] {
		col[h] = i
	}
	for _, c := range Columns {
		if _, ok := col[c]; !ok && c != "seed" {
			return nil, fmt.Errorf("adversarial: %s: no column %q: need %v", path, c, Columns)
		}
	}
	rows := make([]Row, 0, len(recs)-1)
	for line, rec := range recs[1:] {
		if w := len(recs[0]); len(rec) != w && !(len(rec) == w-1 && col["seed"] == w-1) {
			return nil, fmt.Errorf("adversarial: %s line %d: %d fields under a header of %d", path, line+2, len(rec), w)
		}
		num := func(c string) (float64, error) {
			v, err := strconv.ParseFloat(rec[col[c]], 64)
			if err != nil {
				return 0, fmt.Errorf("adversarial: %s line %d column %s: %w", path, line+2, c, err)
			}
			return v, nil
		}
		eps, err1 := num("epsilon")
		acc, err2 := num("accuracy")
		nf, err3 := num("n")
		if err := errors.Join(err1, err2, err3); err != nil {
			return nil, err
		}
		var seed uint64
		if c, ok := col["seed"]; ok && c < len(rec) {
			if seed, err = strconv.ParseUint(rec[c], 10, 64); err != nil {
				return nil, fmt.Errorf("adversarial: %s line %d column seed: %w", path, line+2, err)
			}
		}
		rows = append(rows, Row{Dataset: rec[col["dataset"]], Training: rec[col["training"]], Attack: rec[col["attack"]],
			Epsilon: eps, Accuracy: acc, N: int(nf), Seed: seed})
	}
	return rows, nil
}

// Find returns the accuracy of the first row with the given training, attack
// and ε (within 1e-9), and whether there is one. With several seeds or
// sample counts, use Select or Summarize.
func Find(rows []Row, training, attackName string, eps float64) (float64, bool) {
	i := slices.IndexFunc(rows, func(r Row) bool {
		return r.Training == training && r.Attack == attackName && math.Abs(r.Epsilon-eps) < 1e-9
	})
	if i < 0 {
		return math.NaN(), false
	}
	return rows[i].Accuracy, true
}
