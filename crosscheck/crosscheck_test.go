package crosscheck

import (
	"bytes"
	"encoding/csv"
	"math"
	"strings"
	"testing"
)

// runs returns the runs of impl on MNIST: every training, one per seed,
// with the given PGD-20 accuracies (seed i+1 gets pgd[i]) and clean
// accuracy 0.9.
func runs(impl string, pgd ...float64) []Run {
	var out []Run
	for _, m := range []string{"standard", "pgd", "hard"} {
		for i, a := range pgd {
			out = append(out, Run{Impl: impl, Dataset: "mnist", Method: m, Seed: uint64(i + 1), Epochs: 5,
				TrainN: 60000, TestN: 10000, Eps: 0.1, Clean: 0.9, PGD20: a, Version: "v", Threads: 1})
		}
	}
	return out
}

func TestCompareVerdict(t *testing.T) {
	const tol = 1e-12 // sums of three numbers of a few digits
	for _, tc := range []struct {
		name        string
		goAcc, torc []float64
		diff, bound float64
		verdict     string
	}{
		// Go's mean 0.92, range 0.04; PyTorch's range 0: |Δ| = 0.03 ≤ 0.04.
		{"inside Go's range", []float64{0.90, 0.92, 0.94}, []float64{0.95, 0.95, 0.95}, 0.03, 0.04, "agree"},
		// |Δ| = 0.05 > 0.04.
		{"outside", []float64{0.90, 0.92, 0.94}, []float64{0.97, 0.97, 0.97}, 0.05, 0.04, "differ"},
		// The bound is the larger range, PyTorch's 0.1: |Δ| = |0.46 − 0.5| = 0.04.
		{"inside PyTorch's range", []float64{0.5, 0.5, 0.5}, []float64{0.42, 0.44, 0.52}, -0.04, 0.1, "agree"},
		// Exactly on the bound: |Δ| = 0.25 = range 0.25 (binary fractions, exact).
		{"on the bound", []float64{0.25, 0.5, 0.5}, []float64{0.5, 0.75, 0.75}, 0.25, 0.25, "agree"},
		{"one seed", []float64{0.5}, []float64{0.6}, 0.1, 0, "n/a (1 seed)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cs, err := Compare(append(runs(Go, tc.goAcc...), runs(PyTorch, tc.torc...)...))
			if err != nil {
				t.Fatal(err)
			}
			if len(cs) != 3*len(Measures) {
				t.Fatalf("%d comparisons, want %d (3 trainings × %d measures)", len(cs), 3*len(Measures), len(Measures))
			}
			for _, c := range cs {
				if c.Measure == "clean" { // 0.9 on both sides, every seed
					if c.Diff != 0 || c.Bound != 0 || (c.Verdict != "agree" && c.Go.Seeds > 1) {
						t.Errorf("%s clean: Δ %v bound %v %s, want 0, 0, agree", c.Method, c.Diff, c.Bound, c.Verdict)
					}
					continue
				}
				if math.Abs(c.Diff-tc.diff) > tol || math.Abs(c.Bound-tc.bound) > tol || c.Verdict != tc.verdict {
					t.Errorf("%s PGD-20: Δ %v bound %v %s, want %v, %v, %s", c.Method, c.Diff, c.Bound, c.Verdict, tc.diff, tc.bound, tc.verdict)
				}
			}
		})
	}
}

func TestCompareErrors(t *testing.T) {
	ok := append(runs(Go, 0.5, 0.6), runs(PyTorch, 0.5, 0.6)...)
	changed := func(f func(rs []Run)) []Run {
		rs := append([]Run(nil), ok...)
		f(rs)
		return rs
	}
	for _, tc := range []struct {
		name string
		runs []Run
		want string
	}{
		{"no runs", nil, "no runs"},
		{"a side missing", runs(Go, 0.5, 0.6), "missing on a side"},
		{"a training missing", append(runs(Go, 0.5, 0.6)[2:], runs(PyTorch, 0.5, 0.6)...), "missing on a side"},
		{"other epochs", changed(func(rs []Run) { rs[len(rs)-1].Epochs = 1 }), "different settings"},
		{"other test images", changed(func(rs []Run) { rs[0].TestN = 1000 }), "different settings"},
		{"a seed twice", changed(func(rs []Run) { rs[1].Seed = 1 }), "given twice"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Compare(tc.runs)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one saying %q", err, tc.want)
			}
		})
	}
}

func TestReadRuns(t *testing.T) {
	want := runs(Go, 0.5)
	want[1].Cached, want[2].Impl, want[2].TrainSeconds = true, PyTorch, 123.4
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	for i, r := range want {
		if i < 2 { // a header before each of the first two lines: concatenated files
			_ = w.Write(Header)
		}
		_ = w.Write(r.Record())
	}
	w.Flush()
	got, err := ReadRuns(&b)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d runs, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("run %d: %+v, want %+v", i, got[i], want[i])
		}
	}
	for _, bad := range []struct{ line, want string }{
		{"julia,mnist,pgd,1,5,60000,10000,0.1,0.9,0.5,1,1,false,v,1", "impl"},
		{"go,mnist,pgd,x,5,60000,10000,0.1,0.9,0.5,1,1,false,v,1", "invalid syntax"},
		{"go,mnist,pgd,1,5,60000,10000,0.1,0.9,0.5,1,1,false,v", "columns"},
	} {
		if _, err := ReadRuns(strings.NewReader(bad.line + "\n")); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("ReadRuns(%q): error %v, want one saying %q", bad.line, err, bad.want)
		}
	}
}
