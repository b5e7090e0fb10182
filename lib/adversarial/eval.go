package adversarial

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
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

// DefaultEvalSteps is Evaluator's and Transfer's number of PGD steps.
const DefaultEvalSteps = 20

// Evaluator measures the robust accuracy of trained networks under FGSM and
// L∞ PGD (random start, step 2.5·ε/Steps, each sample's best iterate; see
// attack.PGD) on a grid of ε. The zero value evaluates DefaultEpsilons
// with PGD-20.
type Evaluator struct {
	// Epsilons is the grid of L∞ radii, each in [0, 1]. If it is nil, it is
	// DefaultEpsilons.
	Epsilons []float64
	// Steps is the number of PGD steps, 1 to MaxSteps. If it is 0, it is 20.
	Steps int
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
	// Seed is the training's Config.Seed, which also seeded the attack.
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

// Evaluate returns the rows of model m on the test data, through r (read
// from its cache when it holds them): for FGSM and then PGD, one row per ε
// of the grid, in the grid's order. Accuracy is the fraction of all N test
// images whose attacked version the network classifies correctly: a clean
// error is never robust. PGD's random starts are seeded with m's training
// seed, the stream restarting at every ε. It stops when ctx is done (a nil
// ctx never is).
func (e *Evaluator) Evaluate(ctx context.Context, r *Runner, m *Model, test Data) ([]Row, error) {
	if ctx == nil {
		ctx = context.Background()
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
	steps, err := stepsOf(e.Steps, "evaluation")
	if err != nil {
		return nil, err
	}
	if err := needModel(m, "model", test); err != nil {
		return nil, err
	}
	settings := struct {
		Epsilons     []float64
		Steps, Batch int
	}{eps, steps, EvalBatch}
	rows, _, err := run(ctx, r, m.title("attacks"), m.Key+"-eval", m.Config.Seed, settings, []string{m.Key, test.fingerprint()}, nil,
		func(ctx context.Context, rep Reporter) ([]Row, error) {
			return e.evaluate(ctx, rep, m, test, eps, steps)
		})
	return rows, err
}

// stepsOf resolves a number of PGD steps, 0 meaning DefaultEvalSteps.
func stepsOf(steps int, what string) (int, error) {
	if steps == 0 {
		steps = DefaultEvalSteps
	}
	if steps < 1 || steps > MaxSteps {
		return 0, fmt.Errorf("adversarial: %s steps %d out of range: need 1 to %d (0 means %d)", what, steps, MaxSteps, DefaultEvalSteps)
	}
	return steps, nil
}

// title names a task on m for progress bars and logs: its training's label
// and the task, such as "MNIST hard training (head scale 0.25), seed 1:
// attacks".
func (m *Model) title(task string) string {
	return m.Config.label(m.Data) + ": " + task
}

func (e *Evaluator) evaluate(ctx context.Context, rep Reporter, m *Model, test Data, eps []float64, steps int) ([]Row, error) {
	n := test.Split.N
	bs := min(EvalBatch, n)
	ce, err := attack.NewCrossEntropy(m.Net, bs)
	if err != nil {
		return nil, fmt.Errorf("adversarial: %w", err)
	}
	tp, err := m.Net.NewTape(bs)
	if err != nil {
		return nil, fmt.Errorf("adversarial: %w", err)
	}
	fgsm := &attack.FGSM[float32]{Objective: ce}
	pgd := &attack.PGD[float32]{Objective: ce, Norm: attack.LInf, Steps: steps, Seed: m.Config.Seed, StopOnSuccess: true}
	adv := make([]float32, bs*test.Split.Dim())
	row := func(name string, v float64, correct int) Row {
		return Row{Dataset: m.Data, Training: m.Config.Method.String(), Attack: name,
			Epsilon: v, Accuracy: float64(correct) / float64(n), N: n, Seed: m.Config.Seed}
	}
	total := (1 + len(eps)) * ((n + bs - 1) / bs)
	status := func(what string) string { return fmt.Sprintf("%v: %s", m.Config.Method, what) }
	// FGSM: one gradient per batch serves the whole grid (attack.FGSM.Sweep).
	began := time.Now()
	correct := make([]int, len(eps))
	err = batches(ctx, test, n, "FGSM along the grid", func(_ int, x []float32, y []int) error {
		return fgsm.Sweep(adv[:len(x)], eps, x, y, len(y), func(k int, a []float32) error {
			z, err := tp.Forward(a)
			if err != nil {
				return err
			}
			correct[k] += mlp.Correct(z, y)
			return nil
		})
	}, func(b, _ int) { rep.Update(b, total, status("FGSM along the grid")) })
	if err != nil {
		return nil, err
	}
	var rows []Row
	for k, v := range eps {
		rows = append(rows, row(AttackFGSM, v, correct[k]))
		rep.Log("%s ε = %g: accuracy %.2f%%", AttackFGSM, v, 100*rows[k].Accuracy)
	}
	rep.Log("%s along the grid: %.1f s", AttackFGSM, time.Since(began).Seconds())
	name := AttackPGD(steps)
	done := (n + bs - 1) / bs
	for _, v := range eps {
		began := time.Now()
		pgd.Epsilon = v
		pgd.Reset()
		correct := 0
		err := batches(ctx, test, n, fmt.Sprintf("%s at ε = %g", name, v), func(_ int, x []float32, y []int) error {
			if err := pgd.Perturb(adv[:len(x)], x, y, len(y)); err != nil {
				return err
			}
			z, err := tp.Forward(adv[:len(x)])
			if err != nil {
				return err
			}
			correct += mlp.Correct(z, y)
			return nil
		}, func(_, _ int) {
			done++
			rep.Update(done, total, status(fmt.Sprintf("%s at ε = %g", name, v)))
		})
		if err != nil {
			return nil, err
		}
		r := row(name, v, correct)
		rows = append(rows, r)
		rep.Log("%s ε = %g: accuracy %.2f%% (%.1f s)", name, v, 100*r.Accuracy, time.Since(began).Seconds())
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

// find returns the accuracy of the first row with the given training, attack
// and ε (within 1e-9), and whether there is one.
func find(rows []Row, training, attackName string, eps float64) (float64, bool) {
	i := slices.IndexFunc(rows, func(r Row) bool {
		return r.Training == training && r.Attack == attackName && math.Abs(r.Epsilon-eps) < 1e-9
	})
	if i < 0 {
		return math.NaN(), false
	}
	return rows[i].Accuracy, true
}
