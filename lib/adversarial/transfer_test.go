package adversarial

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"pointwise/lib/mlp"
)

func TestTransferMatrix(t *testing.T) {
	data, test := Data{"blobs", blobs(200, 1)}, Data{"blobs", blobs(630, 2)}
	var models []Named
	for _, c := range []Config{small(Standard), small(PGD), {Method: Standard, Hidden: []int{12, 12}, LearningRate: 1e-2, BatchSize: 32, Epochs: 3, Seed: 8}} {
		m, err := c.Train(context.Background(), nil, data)
		if err != nil {
			t.Fatal(err)
		}
		models = append(models, Named{fmt.Sprintf("%v seed %d", c.Method, c.Seed), m})
	}
	const eps = 0.2
	dir := t.TempDir()
	rec := &recorder{}
	tr := &Transfer{Epsilon: eps, Steps: 5}
	rows, err := tr.Evaluate(context.Background(), runner(dir, rec), models, test)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3+9 {
		t.Fatalf("%d rows, want 3 clean + 3×3", len(rows))
	}
	for j, m := range models {
		_, clean, err := mlp.Evaluate(m.Model.Net, test.Split.X, test.Split.Y, 0)
		if err != nil {
			t.Fatal(err)
		}
		if r := rows[j]; r.Source != CleanSource || r.Target != m.Name || r.Epsilon != 0 || r.Accuracy != clean || r.N != 630 {
			t.Errorf("clean row %d = %+v, want target %s accuracy %v", j, r, m.Name, clean)
		}
		// The diagonal is the white-box accuracy: for the networks of the
		// first one's seed, Evaluator's PGD with the same steps crafts the
		// same images (in two batches of EvalBatch); Transfer also counts
		// the (rare) clean errors that the attack made correct as not
		// robust, so it is at most Evaluator's, by at most 1 − clean.
		ev := &Evaluator{Epsilons: []float64{eps}, Steps: 5}
		er, err := ev.Evaluate(context.Background(), nil, m.Model, test)
		if err != nil {
			t.Fatal(err)
		}
		white, _ := find(er, m.Model.Config.Method.String(), AttackPGD(5), eps)
		diag, ok := TransferAccuracyOf(rows, m.Name, m.Name)
		if m.Model.Config.Seed == models[0].Model.Config.Seed && (!ok || diag > white+1e-12 || white-diag > 1-clean+1e-12) {
			t.Errorf("%s: diagonal %v, white-box PGD %v, clean %v: want white − (1 − clean) ≤ diagonal ≤ white", m.Name, diag, white, clean)
		}
		for _, r := range rows[3:] {
			if r.Target == m.Name && r.Accuracy > clean {
				t.Errorf("%s → %s: accuracy %v above the target's clean %v", r.Source, r.Target, r.Accuracy, clean)
			}
		}
	}
	// At ε = 0.2 on these blobs the white-box attack on the standard network
	// must hurt it.
	if d, _ := TransferAccuracyOf(rows, models[0].Name, models[0].Name); d >= rows[0].Accuracy {
		t.Errorf("white-box accuracy %v not below clean %v", d, rows[0].Accuracy)
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "transfer-blobs-*.gob")); len(files) != 1 {
		t.Errorf("cached in %v, want one file transfer-blobs-<hash>.gob", files)
	}
	rec.lines = nil
	again, err := tr.Evaluate(context.Background(), runner(dir, rec), models, test)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(again, rows) || len(rec.lines) != 1 || !strings.Contains(rec.lines[0], "read from the cache") {
		t.Errorf("second evaluation: log %q, equal rows %v: want the rows read from the cache", rec.lines, slices.Equal(again, rows))
	}
	// Another ε, or another order of the networks, is another cache entry.
	tr.Epsilon = 0.1
	if _, err := tr.Evaluate(context.Background(), runner(dir, rec), models, test); err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Evaluate(context.Background(), runner(dir, rec), []Named{models[1], models[0]}, test); err != nil {
		t.Fatal(err)
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "transfer-blobs-*.gob")); len(files) != 3 {
		t.Errorf("cached in %v, want three files", files)
	}
}

func TestTransferErrors(t *testing.T) {
	data, test := Data{"blobs", blobs(100, 1)}, Data{"blobs", blobs(20, 2)}
	m, err := small(Standard).Train(context.Background(), nil, data)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		tr     Transfer
		models []Named
		want   string
	}{
		{Transfer{}, []Named{{"a", m}}, "transfer epsilon 0 out of range"},
		{Transfer{Epsilon: math.NaN()}, []Named{{"a", m}}, "transfer epsilon NaN out of range"},
		{Transfer{Epsilon: 0.1, Steps: -1}, []Named{{"a", m}}, "transfer steps -1 out of range"},
		{Transfer{Epsilon: 0.1}, nil, "no networks"},
		{Transfer{Epsilon: 0.1}, []Named{{"a", m}, {"a", m}}, `two networks named "a"`},
		{Transfer{Epsilon: 0.1}, []Named{{CleanSource, m}}, "need a name other than"},
		{Transfer{Epsilon: 0.1}, []Named{{"a", nil}}, `network "a" without a network`},
		{Transfer{Epsilon: 0.1}, []Named{{"a", &Model{Net: m.Net}}}, `network "a" without a network or a key`},
	} {
		_, err := tc.tr.Evaluate(context.Background(), nil, tc.models, test)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want one containing %q", tc.tr, err, tc.want)
		}
	}
}

func TestReadTransferCSV(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ext2.csv")
	csv := "dataset,source,target,epsilon,accuracy,n\nMNIST,clean,pgd,0,0.98,1000\nMNIST,standard,pgd,0.1,0.9,1000\nFashion-MNIST,standard,pgd,0.05,0.5,1000\n"
	if err := os.WriteFile(path, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	rows, err := ReadTransferCSV(path)
	if err != nil {
		t.Fatal(err)
	}
	want := TransferRow{"MNIST", "standard", "pgd", 0.1, 0.9, 1000}
	if len(rows) != 3 || rows[1] != want {
		t.Fatalf("rows %+v, want 3 with the second %+v", rows, want)
	}
	mn := TransferRowsOf(rows, "MNIST")
	if a, ok := TransferAccuracyOf(mn, "standard", "pgd"); len(mn) != 2 || !ok || a != 0.9 {
		t.Errorf("MNIST rows %+v: standard → pgd %v, %v; want 2 rows and 0.9", mn, a, ok)
	}
	if err := os.WriteFile(path, []byte("dataset,source\nMNIST,clean\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadTransferCSV(path); err == nil || !strings.Contains(err.Error(), `no column "target"`) {
		t.Errorf("missing columns: error %v", err)
	}
}
