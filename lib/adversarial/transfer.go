package adversarial

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"pointwise/lib/attack"
	"pointwise/lib/internal/numeric"
	"pointwise/lib/mlp"
)

// CleanSource is the Source of the TransferRows that hold each target's
// clean accuracy (no attack, ε = 0).
const CleanSource = "clean"

// TransferColumns are the CSV columns of a TransferRow, in the order of
// TransferRow.Values.
var TransferColumns = []string{"dataset", "source", "target", "epsilon", "accuracy", "n"}

// TransferRow is one cell of a transfer matrix: the accuracy of the network
// Target on the N test images of Dataset attacked by L∞ PGD at radius
// Epsilon on the network Source (Source = CleanSource: not attacked).
type TransferRow struct {
	Dataset  string
	Source   string
	Target   string
	Epsilon  float64
	Accuracy float64
	N        int
}

// Values returns the row's fields in the order of TransferColumns, for
// figure.Table.Append.
func (r TransferRow) Values() []any {
	return []any{r.Dataset, r.Source, r.Target, r.Epsilon, r.Accuracy, r.N}
}

// Named is a trained network with the name it has in a transfer matrix,
// such as "standard" or "standard (seed 2)".
type Named struct {
	Name  string
	Model *Model
}

// Transfer measures how adversarial inputs crafted on one network fool
// others (Papernot, McDaniel and Goodfellow 2016, "Transferability in
// machine learning"): every test image is attacked once per source network
// by L∞ PGD (random start, step 2.5·ε/Steps, each sample's best iterate
// against the source, exactly the attack of Evaluator), and every target
// network classifies the source's adversarial images. A target counts an
// image as robust when it classifies both the clean image and the source's
// adversarial image correctly, as attack.TransferAccuracy does: a clean
// error is never robust. The diagonal (source = target) is the white-box
// robust accuracy. Crafting once per source and reusing the images for all
// targets is attack.TransferAccuracy with the same random starts for every
// target. The zero value is not usable: Epsilon has no default.
type Transfer struct {
	// Epsilon is the L∞ radius of the attack, in (0, 1].
	Epsilon float64
	// Steps is the number of PGD steps, 1 to MaxSteps. If it is 0, it is 20.
	Steps int
}

// Evaluate returns the transfer matrix of the networks on the test data,
// through r (read from its cache when it holds it): first one CleanSource
// row per target (clean accuracy), then for every source, in order, one row
// per target, in order. The networks need distinct names. The attack's
// random starts are seeded with the first network's training seed, the
// stream restarting for every source: with the seed of the source, its
// adversarial images are those of Evaluator's PGD at the same ε. It stops
// when ctx is done (a nil ctx never is).
func (t *Transfer) Evaluate(ctx context.Context, r *Runner, models []Named, test Data) ([]TransferRow, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	if !(t.Epsilon > 0 && t.Epsilon <= 1) {
		return nil, fmt.Errorf("adversarial: transfer epsilon %v out of range: need 0 < ε ≤ 1", t.Epsilon)
	}
	steps, err := stepsOf(t.Steps, "transfer")
	if err != nil {
		return nil, err
	}
	if len(models) == 0 {
		return nil, errors.New("adversarial: no networks for a transfer matrix: need at least one")
	}
	var names, data []string
	for i, m := range models {
		if m.Name == "" || m.Name == CleanSource {
			return nil, fmt.Errorf("adversarial: network %d named %q: need a name other than \"\" and %q", i, m.Name, CleanSource)
		}
		if err := needModel(m.Model, fmt.Sprintf("network %q", m.Name), test); err != nil {
			return nil, err
		}
		if slices.Contains(names, m.Name) {
			return nil, fmt.Errorf("adversarial: two networks named %q: need distinct names", m.Name)
		}
		names, data = append(names, m.Name), append(data, m.Model.Key)
	}
	seed := models[0].Model.Config.Seed
	settings := struct {
		Epsilon      float64
		Steps, Batch int
		Names        []string
	}{t.Epsilon, steps, EvalBatch, names}
	rows, _, err := run(ctx, r, "transfer matrix", "transfer-"+slug(test.Name), seed, settings, append(data, test.fingerprint()), nil,
		func(ctx context.Context, rep Reporter) ([]TransferRow, error) {
			return t.evaluate(ctx, rep, models, test, steps, seed)
		})
	return rows, err
}

func (t *Transfer) evaluate(ctx context.Context, rep Reporter, models []Named, test Data, steps int, seed uint64) ([]TransferRow, error) {
	n := test.Split.N
	bs := min(EvalBatch, n)
	tapes := make([]*mlp.Tape[float32], len(models))
	clean := make([][]bool, len(models)) // clean[target][i]: target classifies image i correctly
	for j, m := range models {
		tp, err := m.Model.Net.NewTape(bs)
		if err != nil {
			return nil, fmt.Errorf("adversarial: %w", err)
		}
		tapes[j], clean[j] = tp, make([]bool, n)
		err = batches(ctx, test, n, "clean accuracy of "+m.Name, func(s int, x []float32, y []int) error {
			return correctRows(clean[j][s:s+len(y)], tp, x, y)
		}, func(int, int) {})
		if err != nil {
			return nil, err
		}
	}
	name := test.Name
	rows := make([]TransferRow, 0, len(models)*(len(models)+1))
	for j, m := range models {
		c := 0
		for _, ok := range clean[j] {
			if ok {
				c++
			}
		}
		rows = append(rows, TransferRow{Dataset: name, Source: CleanSource, Target: m.Name, Accuracy: float64(c) / float64(n), N: n})
	}
	adv := make([]float32, bs*test.Split.Dim())
	ok := make([]bool, bs)
	for i, src := range models {
		began := time.Now()
		ce, err := attack.NewCrossEntropy(src.Model.Net, bs)
		if err != nil {
			return nil, fmt.Errorf("adversarial: %w", err)
		}
		pgd := &attack.PGD[float32]{Objective: ce, Norm: attack.LInf, Epsilon: t.Epsilon, Steps: steps, Seed: seed}
		correct := make([]int, len(models))
		err = batches(ctx, test, n, fmt.Sprintf("PGD on %q at ε = %g", src.Name, t.Epsilon), func(s int, x []float32, y []int) error {
			k := len(y)
			if err := pgd.Perturb(adv[:len(x)], x, y, k); err != nil {
				return err
			}
			for j := range models {
				if err := correctRows(ok[:k], tapes[j], adv[:len(x)], y); err != nil {
					return err
				}
				for i, o := range ok[:k] {
					if o && clean[j][s+i] {
						correct[j]++
					}
				}
			}
			return nil
		}, func(b, total int) {
			rep.Update(i*total+b, len(models)*total, fmt.Sprintf("adversarial images of %s at ε = %g", src.Name, t.Epsilon))
		})
		if err != nil {
			return nil, err
		}
		for j, m := range models {
			rows = append(rows, TransferRow{Dataset: name, Source: src.Name, Target: m.Name, Epsilon: t.Epsilon,
				Accuracy: float64(correct[j]) / float64(n), N: n})
		}
		rep.Log("source %s: %s at ε = %g crafted on %d images and classified by %d networks (%.1f s)",
			src.Name, AttackPGD(steps), t.Epsilon, n, len(models), time.Since(began).Seconds())
	}
	return rows, nil
}

// correctRows sets ok[i] to whether the network of tp classifies row i of x
// as labels[i] (argmax of the logits, ties to the lowest class, as
// mlp.Correct).
func correctRows(ok []bool, tp *mlp.Tape[float32], x []float32, labels []int) error {
	z, err := tp.Forward(x)
	if err != nil {
		return fmt.Errorf("adversarial: %w", err)
	}
	c := len(z) / len(labels)
	for i, y := range labels {
		ok[i] = numeric.Argmax(z[i*c:(i+1)*c]) == y
	}
	return nil
}

// TransferAccuracyOf returns the accuracy of the row with the given source
// and target, and whether there is one. Rows of several data sets need
// filtering by TransferRowsOf first.
func TransferAccuracyOf(rows []TransferRow, source, target string) (float64, bool) {
	for _, r := range rows {
		if r.Source == source && r.Target == target {
			return r.Accuracy, true
		}
	}
	return 0, false
}

// ReadTransferCSV reads rows from a CSV file with the header TransferColumns
// (in any order; other columns are ignored), such as ext2.csv.
//
// It reads like ReadAblationCSV through readTable; the row loops only look
// alike, each parsing its own columns into its own row type.
func ReadTransferCSV(path string) ([]TransferRow, error) {
	recs, col, err := readTable(path, TransferColumns)
	if err != nil {
		return nil, err
	}
	rows := make([]TransferRow, 0, len(recs)-1)
	for line, rec := range recs[1:] {
		var v [3]float64
		for i, c := range []string{"epsilon", "accuracy", "n"} {
			if v[i], err = strconv.ParseFloat(rec[col[c]], 64); err != nil {
				return nil, fmt.Errorf("adversarial: %s line %d column %s: %w", path, line+2, c, err)
			}
		}
		rows = append(rows, TransferRow{Dataset: rec[col["dataset"]], Source: rec[col["source"]], Target: rec[col["target"]],
			Epsilon: v[0], Accuracy: v[1], N: int(v[2])})
	}
	return rows, nil
}

// TransferRowsOf returns the rows of one data set.
func TransferRowsOf(rows []TransferRow, dataset string) []TransferRow {
	var out []TransferRow
	for _, r := range rows {
		if r.Dataset == dataset {
			out = append(out, r)
		}
	}
	return out
}
