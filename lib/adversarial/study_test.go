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

func TestParseSeeds(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []uint64
		err  string
	}{
		{"", []uint64{1}, ""},
		{" 3 ", []uint64{1, 2, 3}, ""},
		{"1", []uint64{1}, ""},
		{"4,1, 7", []uint64{4, 1, 7}, ""},
		{"0", nil, "out of range"},
		{"101", nil, "out of range"},
		{"x", nil, "out of range"},
		{"1,1", nil, "given twice"},
		{"1,-2", nil, "not a non-negative integer"},
	} {
		got, err := parseSeeds(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("parseSeeds(%q): error %v, want one containing %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("parseSeeds(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
	for _, tc := range []struct {
		env, param string
		want       []uint64
	}{
		{"", "3", []uint64{1, 2, 3}}, // unset: the parameter
		{"2", "3", []uint64{1, 2}},   // the environment overrides it
		{"", "", []uint64{1}},        // neither: seed 1
		{"4,9", "1", []uint64{4, 9}}, // a list
	} {
		t.Setenv(SeedsEnv, tc.env)
		if got, err := SelectSeeds(tc.param); err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("SelectSeeds(%q) with %s=%q: %v, %v; want %v", tc.param, SeedsEnv, tc.env, got, err, tc.want)
		}
	}
}

func TestSummarizeAndVerdicts(t *testing.T) {
	rows := []Row{
		{Training: "hard", Attack: "PGD-20", Epsilon: 0.1, Accuracy: 0.50, N: 100, Seed: 1},
		{Training: "hard", Attack: "PGD-20", Epsilon: 0.1, Accuracy: 0.56, N: 100, Seed: 2},
		{Training: "hard", Attack: "PGD-20", Epsilon: 0.1, Accuracy: 0.40, N: 10, Seed: 1},
		{Training: "pgd", Attack: "PGD-20", Epsilon: 0.1, Accuracy: 0.70, N: 100, Seed: 1},
	}
	s, err := Summarize(rows, "hard", "PGD-20", 0.1, 100)
	// Mean of 0.50 and 0.56; the n = 10 row is another sample count.
	if err != nil || math.Abs(s.Mean-0.53) > 1e-12 || s.Min != 0.5 || s.Max != 0.56 || s.Seeds != 2 {
		t.Errorf("Summarize = %+v, %v; want mean 0.53, 0.50 to 0.56 over 2 seeds", s, err)
	}
	if got := s.String(); got != "53.0% (50.0 to 56.0, 2 seeds)" {
		t.Errorf("String = %q", got)
	}
	if _, err := Summarize(rows, "standard", "PGD-20", 0.1, 0); err == nil {
		t.Error("Summarize of a missing training gave no error")
	}
	if got := Seeds(rows); !slices.Equal(got, []uint64{1, 2}) {
		t.Errorf("Seeds = %v, want [1 2]", got)
	}
	one := func(a float64) Stat { return Stat{Mean: a, Min: a, Max: a, Seeds: 1} }
	// Differences within the margin (1 point, or the spread) are "about as".
	for _, tc := range []struct {
		h, p Stat
		want string
	}{
		{one(0.60), one(0.50), "more robust than"},
		{one(0.50), one(0.60), "less robust than"},
		{one(0.505), one(0.50), "about as robust as"},
		{Stat{Mean: 0.53, Min: 0.45, Max: 0.60, Seeds: 3}, one(0.50), "about as robust as"},
	} {
		if got := verdict("PGD-20", 0.1, tc.h, tc.p, one(0)); !strings.Contains(got, tc.want) {
			t.Errorf("verdict(%v, %v) = %q, want %q", tc.h, tc.p, got, tc.want)
		}
	}
	if got := gainVerdict(one(0.6), one(0.1), one(0.5), one(0.05)); !strings.Contains(got, "survives the ensemble") {
		t.Errorf("gainVerdict of a kept gain: %q", got)
	}
	if got := gainVerdict(one(0.6), one(0.1), one(0.05), one(0.05)); !strings.Contains(got, "does not survive") {
		t.Errorf("gainVerdict of a lost gain: %q", got)
	}
}

// smallStudy is a Study on the synthetic blobs, with tiny attacks.
func smallStudy(dir string, seeds []uint64) *Study {
	cfg := small(Standard)
	cfg.Seed = 0
	return &Study{
		Train: Data{"blobs", blobs(200, 1)}, Test: Data{"blobs", blobs(120, 2)},
		Seeds: seeds, Config: cfg,
		Eval:     Evaluator{Epsilons: []float64{0, 0.1, 0.3}, Steps: 5},
		Ensemble: EnsembleEvaluator{Epsilons: []float64{0, 0.1, 0.3}, Full: []float64{cfg.Epsilon}, Subset: 60, PGDSteps: 5, APGDSteps: 10, Targets: 2, SquareQueries: 30},
		Audit:    Auditor{Subset: 60, Restarts: 2, APGDSteps: 10, SquareQueries: 30},
		Runner:   &Runner{Dir: dir},
	}
}

func TestStudy(t *testing.T) {
	dir := t.TempDir()
	s := smallStudy(dir, []uint64{1, 2})
	rows, runs, err := s.Rows(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// Per model: 2 attacks × 3 ε, then the ensemble on 3 ε and at ε_train.
	if len(rows) != 6*(6+4) || len(runs) != 6 {
		t.Fatalf("%d rows and %d ensemble runs, want 60 and 6", len(rows), len(runs))
	}
	models, err := s.Models(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for k, m := range models {
		_, clean, err := mlp.Evaluate(m.Net, s.Test.Split.X[:60*16], s.Test.Split.Y[:60], 0)
		if err != nil {
			t.Fatal(err)
		}
		run := runs[k]
		for i, r := range run.Rows {
			st := run.Steps[i]
			wantN, wantEps := 60, s.Ensemble.Epsilons[min(i, 2)]
			if i == 3 {
				wantN, wantEps = 120, 0.05
			}
			if r.Attack != AttackEnsemble || r.N != wantN || r.Epsilon != wantEps || r.Seed != m.Config.Seed || r.Training != m.Config.Method.String() {
				t.Errorf("model %d row %d = %+v, want ensemble, n = %d, ε = %g, seed %d", k, i, r, wantN, wantEps, m.Config.Seed)
			}
			// The accuracy after the last member is the row's; each member
			// only removes samples.
			if last := st.AccuracyAfter[len(st.AccuracyAfter)-1]; last != r.Accuracy {
				t.Errorf("model %d row %d: accuracy after every attack %v, row %v", k, i, last, r.Accuracy)
			}
			prev := st.CleanAccuracy
			for _, a := range st.AccuracyAfter {
				if a > prev {
					t.Errorf("model %d row %d: accuracy rises along the ensemble: %v", k, i, st.AccuracyAfter)
				}
				prev = a
			}
			if r.Epsilon == 0 && (r.Accuracy != clean || st.CleanAccuracy != clean) {
				t.Errorf("model %d: ensemble at ε = 0 gives %v, want the clean accuracy %v on the subset", k, r.Accuracy, clean)
			}
		}
		// The ensemble is at least as strong as its first member, PGD,
		// up to the random starts: compare with PGD-5 on the same images.
		pgd, _ := Summarize(rows[k*10:k*10+10], m.Config.Method.String(), "PGD-5", 0.3, 120)
		if ens := run.Rows[2].Accuracy; pgd.Seeds == 1 && ens > pgd.Mean+0.1 {
			t.Errorf("model %d: ensemble at ε = 0.3 leaves %v on 60 images, PGD-5 %v on 120", k, ens, pgd.Mean)
		}
	}
	audits, err := s.Audits(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(audits) != 6 {
		t.Fatalf("%d audits, want 6", len(audits))
	}
	for _, a := range audits {
		if len(a.Report.Rows) != 13 || a.Report.N != 60 {
			t.Errorf("audit of %s seed %d: %d rows on %d samples, want 13 on 60", a.Training, a.Seed, len(a.Report.Rows), a.Report.N)
		}
		want := map[string]string{"standard": "pgd", "pgd": "standard", "hard": "standard"}[a.Training]
		if a.Surrogate != want {
			t.Errorf("audit of %s: surrogate %q, want %q", a.Training, a.Surrogate, want)
		}
	}

	// A second study reads everything from the cache, bit for bit.
	s2 := smallStudy(dir, []uint64{1, 2})
	rec := &recorder{onUpdate: func(int, int) { t.Error("progress reported: something was computed again") }}
	s2.Runner = runner(dir, rec)
	rows2, _, err := s2.Rows(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	audits2, err := s2.Audits(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rows, rows2) {
		t.Error("cached rows differ from the computed ones")
	}
	for i := range audits {
		a, b := audits[i].Report, audits2[i].Report
		for j := range a.Rows {
			x, y := a.Rows[j], b.Rows[j]
			same := x.Item == y.Item && x.Passed == y.Passed && x.Skipped == y.Skipped && x.Detail == y.Detail &&
				(x.Value == y.Value || math.IsNaN(x.Value) && math.IsNaN(y.Value))
			if !same {
				t.Errorf("audit %d row %d: cached %+v, computed %+v", i, j, y, x)
			}
		}
	}
	for _, l := range rec.lines {
		if !strings.Contains(l, "cache") {
			t.Errorf("log line %q: want only cache reads", l)
		}
	}

	// A one-seed study is the first part of the two-seed one.
	one, _, err := smallStudy(dir, nil).Rows(context.Background())
	if err != nil || !slices.Equal(one, rows[:len(rows)/2]) {
		t.Errorf("one-seed rows differ from the first seed's of the two-seed study (%v)", err)
	}

	// Figure tables round trip through the CSV readers.
	path := filepath.Join(dir, "rows.csv")
	var b strings.Builder
	b.WriteString(strings.Join(Columns, ",") + "\n")
	for _, r := range rows {
		v := r.Values()
		fmt.Fprintf(&b, "%v,%v,%v,%v,%v,%v,%v\n", v...)
	}
	os.WriteFile(path, []byte(b.String()), 0o644)
	read, err := ReadCSV(path)
	if err != nil || !slices.Equal(read, rows) {
		t.Errorf("ReadCSV gave %d rows, %v; want the %d rows written", len(read), err, len(rows))
	}
	apath := filepath.Join(dir, "audit.csv")
	b.Reset()
	b.WriteString(strings.Join(AuditColumns, ",") + "\n")
	failed := 0
	for _, a := range audits {
		for _, v := range a.Values() {
			fmt.Fprintf(&b, "%v,%v,%v,%q,%v,%v,%v,%q\n", v...)
			if !v[4].(bool) {
				failed++
			}
		}
	}
	os.WriteFile(apath, []byte(b.String()), 0o644)
	sums, err := ReadAuditCSV(apath)
	if err != nil || len(sums) != 6 {
		t.Fatalf("ReadAuditCSV gave %d summaries, %v; want 6", len(sums), err)
	}
	got := 0
	for i, sm := range sums {
		got += len(sm.Failed)
		if sm.Checks != 13 || sm.Training != audits[i].Training || sm.Verdict() != audits[i].Verdict() {
			t.Errorf("summary %d = %+v (%s), want %s's 13 checks (%s)", i, sm, sm.Verdict(), audits[i].Training, audits[i].Verdict())
		}
	}
	if got != failed {
		t.Errorf("summaries count %d failures, the table %d", got, failed)
	}
}

func TestEnsembleEvaluatorErrors(t *testing.T) {
	m, err := small(Standard).Train(context.Background(), nil, Data{"blobs", blobs(100, 1)})
	if err != nil {
		t.Fatal(err)
	}
	test := Data{"blobs", blobs(40, 2)}
	for _, tc := range []struct {
		ev   EnsembleEvaluator
		want string
	}{
		{EnsembleEvaluator{Epsilons: []float64{}}, "without radii"},
		{EnsembleEvaluator{Epsilons: []float64{2}}, "epsilon 0 = 2 out of range"},
		{EnsembleEvaluator{Full: []float64{0}}, "full-set epsilon 0 = 0 out of range"},
		{EnsembleEvaluator{Subset: -1}, "subset -1 out of range"},
		{EnsembleEvaluator{Targets: 10}, "targets 10 out of range"},
		{EnsembleEvaluator{SquareQueries: -3}, "Square queries -3 out of range"},
		{EnsembleEvaluator{APGDSteps: MaxSteps + 1}, "APGD steps 1001 out of range"},
	} {
		if _, err := tc.ev.Evaluate(context.Background(), nil, m, test); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want one containing %q", tc.ev, err, tc.want)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := (&EnsembleEvaluator{Epsilons: []float64{0.1}, SquareQueries: 5, APGDSteps: 2}).Evaluate(ctx, nil, m, test); err == nil || !strings.Contains(err.Error(), "stopped") {
		t.Errorf("cancelled context: error %v, want one saying the ensemble stopped", err)
	}
}
