package adversarial

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
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
	// BatchSize is the number of images attacked together, 1 to MaxBatch.
	// If it is 0, it is 500. With the same Seed and BatchSize the
	// adversarial images are those of Evaluator's PGD at the same ε.
	BatchSize int
	// Seed seeds PGD's random starts (the stream restarts for every
	// source).
	Seed uint64
	// CacheDir, if not "", keeps the result in a JSON file
	// transfer-<data>-<hash>.json, the hash covering every setting above,
	// the networks' names and cache keys and the test data.
	CacheDir string
	// Progress, if non-nil, is called after every batch with the batches
	// done, the total and a short status (figure.Progress.Update's shape).
	Progress func(done, total int, status string)
	// Log, if non-nil, receives one line per source (figure.Progress.Log's
	// shape).
	Log func(format string, args ...any)
}

type transferDoc struct {
	Format    int
	Epsilon   float64
	Steps     int
	BatchSize int
	Seed      uint64
	Names     []string
	Keys      []string
	Test      string
}

// Evaluate returns the transfer matrix of the networks on the test data:
// first one CleanSource row per target (clean accuracy), then for every
// source, in order, one row per target, in order. The networks need keys
// (from Trainer.Train) when CacheDir is set, and distinct names. It stops
// when ctx is done (a nil ctx never is).
func (t *Transfer) Evaluate(ctx context.Context, models []Named, test Data) ([]TransferRow, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	if !(t.Epsilon > 0 && t.Epsilon <= 1) {
		return nil, fmt.Errorf("adversarial: transfer epsilon %v out of range: need 0 < ε ≤ 1", t.Epsilon)
	}
	steps, bs := t.Steps, t.BatchSize
	if steps == 0 {
		steps = DefaultEvalSteps
	}
	if bs == 0 {
		bs = DefaultEvalBatch
	}
	if steps < 1 || steps > MaxSteps {
		return nil, fmt.Errorf("adversarial: transfer steps %d out of range: need 1 to %d (0 means %d)", steps, MaxSteps, DefaultEvalSteps)
	}
	if bs < 1 || bs > MaxBatch {
		return nil, fmt.Errorf("adversarial: transfer batch size %d out of range: need 1 to %d (0 means %d)", bs, MaxBatch, DefaultEvalBatch)
	}
	if len(models) == 0 {
		return nil, errors.New("adversarial: no networks for a transfer matrix: need at least one")
	}
	if err := test.check("test"); err != nil {
		return nil, err
	}
	doc := transferDoc{Format: FormatVersion, Epsilon: t.Epsilon, Steps: steps, BatchSize: bs, Seed: t.Seed, Test: test.Fingerprint()}
	for i, m := range models {
		switch {
		case m.Name == "" || m.Name == CleanSource:
			return nil, fmt.Errorf("adversarial: network %d named %q: need a name other than \"\" and %q", i, m.Name, CleanSource)
		case m.Model == nil || m.Model.Net == nil:
			return nil, fmt.Errorf("adversarial: network %q without a network: need one from Trainer.Train", m.Name)
		case m.Model.Net.In() != test.Split.Dim():
			return nil, fmt.Errorf("adversarial: network %q has %d inputs for test images of %d pixels", m.Name, m.Model.Net.In(), test.Split.Dim())
		}
		for _, o := range models[:i] {
			if o.Name == m.Name {
				return nil, fmt.Errorf("adversarial: two networks named %q: need distinct names", m.Name)
			}
		}
		if t.CacheDir != "" && m.Model.Key == "" {
			return nil, fmt.Errorf("adversarial: network %q has no cache key: need one from Trainer.Train to cache its transfer results", m.Name)
		}
		doc.Names, doc.Keys = append(doc.Names, m.Name), append(doc.Keys, m.Model.Key)
	}
	var cachePath string
	if t.CacheDir != "" {
		b, _ := json.Marshal(doc)
		sum := sha256.Sum256(b)
		cachePath = filepath.Join(t.CacheDir, "transfer-"+slug(test.Name)+"-"+hex.EncodeToString(sum[:8])+".json")
		if rows, err := readTransferRows(cachePath); err == nil {
			t.logf("transfer matrix read from the cache (%s)", filepath.Base(cachePath))
			return rows, nil
		} else if !errors.Is(err, os.ErrNotExist) {
			t.logf("cached transfer matrix unusable, evaluating again: %v", err)
		}
	}

	n, in := test.Split.N, test.Split.Dim()
	bs = min(bs, n)
	tapes := make([]*mlp.Tape[float32], len(models))
	clean := make([][]bool, len(models)) // clean[target][i]: target classifies image i correctly
	for j, m := range models {
		tp, err := m.Model.Net.NewTape(bs)
		if err != nil {
			return nil, fmt.Errorf("adversarial: %w", err)
		}
		tapes[j], clean[j] = tp, make([]bool, n)
		for s := 0; s < n; s += bs {
			k := min(bs, n-s)
			if err := correctRows(clean[j][s:s+k], tp, test.Split.X[s*in:(s+k)*in], test.Split.Y[s:s+k]); err != nil {
				return nil, err
			}
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
	batches := (n + bs - 1) / bs
	total, done := len(models)*batches, 0
	adv := make([]float32, bs*in)
	ok := make([]bool, bs)
	for _, src := range models {
		began := time.Now()
		ce, err := attack.NewCrossEntropy(src.Model.Net, bs)
		if err != nil {
			return nil, fmt.Errorf("adversarial: %w", err)
		}
		pgd := &attack.PGD[float32]{Objective: ce, Norm: attack.LInf, Epsilon: t.Epsilon, Steps: steps, Seed: t.Seed}
		correct := make([]int, len(models))
		for s := 0; s < n; s += bs {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("adversarial: transfer stopped at source %q: %w", src.Name, err)
			}
			k := min(bs, n-s)
			x, y := test.Split.X[s*in:(s+k)*in], test.Split.Y[s:s+k]
			if err := pgd.Perturb(adv[:k*in], x, y, k); err != nil {
				return nil, fmt.Errorf("adversarial: PGD on %q at ε = %g, test images %d to %d: %w", src.Name, t.Epsilon, s, s+k-1, err)
			}
			for j := range models {
				if err := correctRows(ok[:k], tapes[j], adv[:k*in], y); err != nil {
					return nil, err
				}
				for i, o := range ok[:k] {
					if o && clean[j][s+i] {
						correct[j]++
					}
				}
			}
			done++
			if t.Progress != nil {
				t.Progress(done, total, fmt.Sprintf("adversarial images of %s at ε = %g", src.Name, t.Epsilon))
			}
		}
		for j, m := range models {
			rows = append(rows, TransferRow{Dataset: name, Source: src.Name, Target: m.Name, Epsilon: t.Epsilon,
				Accuracy: float64(correct[j]) / float64(n), N: n})
		}
		t.logf("source %s: %s at ε = %g crafted on %d images and classified by %d networks (%.1f s)",
			src.Name, AttackPGD(steps), t.Epsilon, n, len(models), time.Since(began).Seconds())
	}
	if cachePath != "" {
		if err := os.MkdirAll(t.CacheDir, 0o755); err != nil {
			return nil, fmt.Errorf("adversarial: cache directory: %w", err)
		}
		b, _ := json.MarshalIndent(rows, "", "  ")
		if err := writeFileAtomic(cachePath, b); err != nil {
			return nil, fmt.Errorf("adversarial: caching the transfer matrix: %w", err)
		}
	}
	return rows, nil
}

func (t *Transfer) logf(format string, args ...any) {
	if t.Log != nil {
		t.Log(format, args...)
	}
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

func readTransferRows(path string) ([]TransferRow, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var rows []TransferRow
	if err := json.Unmarshal(b, &rows); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("%s: no rows", path)
	}
	return rows, nil
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
