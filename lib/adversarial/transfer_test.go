package adversarial

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"pointwise/lib/mlp"
)

func TestTransferMatrix(t *testing.T) {
	data, test := Data{"blobs", blobs(200, 1)}, Data{"blobs", blobs(130, 2)}
	var models []Named
	for _, c := range []Config{small(Standard), small(PGD), {Method: Standard, Hidden: []int{12, 12}, LearningRate: 1e-2, BatchSize: 32, Epochs: 3, Seed: 8}} {
		m, err := (&Trainer{}).Train(context.Background(), c, data)
		if err != nil {
			t.Fatal(err)
		}
		models = append(models, Named{fmt.Sprintf("%v seed %d", c.Method, c.Seed), m})
	}
	const eps = 0.2
	dir := t.TempDir()
	var lines []string
	tr := &Transfer{Epsilon: eps, Steps: 5, BatchSize: 50, Seed: 4, CacheDir: dir,
		Log: func(f string, a ...any) { lines = append(lines, fmt.Sprintf(f, a...)) }}
	rows, err := tr.Evaluate(context.Background(), models, test)
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
		if r := rows[j]; r.Source != CleanSource || r.Target != m.Name || r.Epsilon != 0 || r.Accuracy != clean || r.N != 130 {
			t.Errorf("clean row %d = %+v, want target %s accuracy %v", j, r, m.Name, clean)
		}
		// The diagonal is the white-box accuracy: Evaluator's PGD with the
		// same seed, batch and steps crafts the same images; Transfer also
		// counts the (rare) clean errors that the attack made correct as
		// not robust, so it is at most Evaluator's, by at most 1 − clean.
		ev := &Evaluator{Epsilons: []float64{eps}, Steps: 5, BatchSize: 50, Seed: 4}
		er, err := ev.Evaluate(context.Background(), m.Model, test)
		if err != nil {
			t.Fatal(err)
		}
		white, _ := Find(er, m.Model.Config.Method.String(), AttackPGD(5), eps)
		diag, ok := TransferAccuracyOf(rows, m.Name, m.Name)
		if !ok || diag > white+1e-12 || white-diag > 1-clean+1e-12 {
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
	if files, _ := filepath.Glob(filepath.Join(dir, "transfer-blobs-*.json")); len(files) != 1 {
		t.Errorf("cached in %v, want one file transfer-blobs-<hash>.json", files)
	}
	lines = nil
	again, err := tr.Evaluate(context.Background(), models, test)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(again, rows) || len(lines) != 1 || !strings.Contains(lines[0], "read from the cache") {
		t.Errorf("second evaluation: log %q, equal rows %v: want the rows read from the cache", lines, slices.Equal(again, rows))
	}
	// Another ε is another cache entry.
	tr.Epsilon = 0.1
	if _, err := tr.Evaluate(context.Background(), models, test); err != nil {
		t.Fatal(err)
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "transfer-blobs-*.json")); len(files) != 2 {
		t.Errorf("cached in %v, want two files", files)
	}
}

func TestTransferErrors(t *testing.T) {
	data, test := Data{"blobs", blobs(100, 1)}, Data{"blobs", blobs(20, 2)}
	m, err := (&Trainer{}).Train(context.Background(), small(Standard), data)
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
		{Transfer{Epsilon: 0.1}, []Named{{"a", nil}}, "without a network"},
		{Transfer{Epsilon: 0.1, CacheDir: t.TempDir()}, []Named{{"a", &Model{Net: m.Net}}}, "no cache key"},
	} {
		_, err := tc.tr.Evaluate(context.Background(), tc.models, test)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want one containing %q", tc.tr, err, tc.want)
		}
	}
}

func TestReadTransferCSV(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ext2.csv")
	csv := "dataset,source,target,epsilon,accuracy,n\nMNIST,clean,pgd,0,0.98,1000\nMNIST,standard,pgd,0.1,0.9,1000\nFashion-MNIST,standard,pgd,0.05,0.5,1000\n"
	if err := writeFileAtomic(path, []byte(csv)); err != nil {
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
	if err := writeFileAtomic(path, []byte("dataset,source\nMNIST,clean\n")); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadTransferCSV(path); err == nil || !strings.Contains(err.Error(), `no column "target"`) {
		t.Errorf("missing columns: error %v", err)
	}
}
