package adversarial

import (
	"context"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"testing"

	"pointwise/lib/attack"
	"pointwise/lib/dataset"
)

func TestSensitivityVariants(t *testing.T) {
	base := Config{Epsilon: 0.1, Epochs: 2}
	s := &Sensitivity{Base: base, Inits: []string{"", "pytorch"}, Scales: []float64{0.25, 1}, Limit: true}
	vs, err := s.Variants(3)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, v := range vs {
		c := v.Config
		got = append(got, fmt.Sprintf("%s/%s: %v init=%q scale=%g loss=%v seed=%d", v.Init, v.Heads, c.Method, c.Init, c.Heads.Scale, c.Heads.Loss, c.Seed))
	}
	want := []string{
		`he/none: standard init="" scale=0 loss=ce seed=3`,
		`he/0.25: hard init="" scale=0.25 loss=ce seed=3`,
		`he/1: hard init="" scale=1 loss=ce seed=3`,
		`he/limit: hard init="" scale=1 loss=limit seed=3`,
		`pytorch/none: standard init="pytorch" scale=0 loss=ce seed=3`,
		`pytorch/0.25: hard init="pytorch" scale=0.25 loss=ce seed=3`,
		`pytorch/1: hard init="pytorch" scale=1 loss=ce seed=3`,
		`pytorch/limit: hard init="pytorch" scale=1 loss=limit seed=3`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("variants\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// He at scale 1 is Figure 6's hard network, and He's standard network
	// Figure 6's standard one: the same cache keys.
	data := Data{"MNIST", blobs(50, 1)}
	for _, tc := range []struct {
		v   SensitivityVariant
		fig Config
	}{
		{vs[2], Config{Method: Hard, Epsilon: 0.1, Epochs: 2, Seed: 3}},
		{vs[0], Config{Method: Standard, Epsilon: 0.1, Epochs: 2, Seed: 3}},
	} {
		if a, b := keyOfConfig(t, tc.v.Config, data), keyOfConfig(t, tc.fig, data); a != b {
			t.Errorf("%s/%s: key %s, Figure 6's %s: want the same network", tc.v.Init, tc.v.Heads, a, b)
		}
	}
	for _, tc := range []struct {
		s    Sensitivity
		want string
	}{
		{Sensitivity{Base: base, Scales: []float64{1}}, "without initialisations"},
		{Sensitivity{Base: base, Inits: []string{"he"}}, "without heads levels"},
		{Sensitivity{Base: base, Inits: []string{"", "he"}, Scales: []float64{1}}, `initialisation "he" given twice`},
		{Sensitivity{Base: base, Inits: []string{"he"}, Scales: []float64{1, 0.5, 1}}, "scale 1 given twice"},
		{Sensitivity{Base: base, Inits: []string{"lecun"}, Scales: []float64{1}}, `initialisation "lecun" unknown`},
		{Sensitivity{Base: base, Inits: []string{"he"}, Scales: []float64{-1}}, "heads = -1"},
		{Sensitivity{Base: Config{}, Inits: []string{"he"}, Limit: true}, "epsilon 0 for hard training"},
	} {
		if _, err := tc.s.Variants(1); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Variants of %+v: error %v, want one containing %q", tc.s, err, tc.want)
		}
	}
}

// Run trains and measures every network once per seed, through the cache;
// its ensemble's first member is the Evaluator's PGD: on the ensemble's
// images, the same accuracy.
func TestSensitivityRun(t *testing.T) {
	train, test := Data{"blobs", blobs(200, 1)}, Data{"blobs", blobs(60, 2)}
	base := small(Hard)
	base.Epochs = 10
	s := &Sensitivity{Base: base, Inits: []string{"", "pytorch"}, Scales: []float64{0.5}, Limit: true, Seeds: []uint64{1, 2}, Steps: 3,
		Ensemble: EnsembleEvaluator{Subset: 40, APGDSteps: 4, Targets: 2, SquareQueries: 10}}
	dir := t.TempDir()
	rows, err := s.Run(context.Background(), &Runner{Dir: dir}, train, test)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2*2*3 {
		t.Fatalf("%d rows, want 2 seeds × 2 inits × (standard, 0.5, limit)", len(rows))
	}
	keys := map[string]bool{}
	for k, r := range rows {
		wantTraining, wantHeads := "hard", []string{NoHeads, "0.5", "limit"}[k%3]
		if k%3 == 0 {
			wantTraining = "standard"
		}
		wantInit, wantSeed := []string{"he", "pytorch"}[(k/3)%2], uint64(1+k/6)
		if r.Init != wantInit || r.Heads != wantHeads || r.Training != wantTraining || r.Seed != wantSeed {
			t.Errorf("row %d = %s/%s %s seed %d, want %s/%s %s seed %d", k, r.Init, r.Heads, r.Training, r.Seed, wantInit, wantHeads, wantTraining, wantSeed)
		}
		if r.N != 60 || r.EnsembleN != 40 || r.PGDAccuracy > r.CleanAccuracy || r.EnsembleAccuracy > r.EnsemblePGDAccuracy || r.CleanAccuracy <= 0.5 {
			t.Errorf("row %d = %+v: want n = 60, 40 ensemble images, ensemble ≤ its PGD, PGD ≤ clean, clean above 50%%", k, r)
		}
		if keys[r.Key] {
			t.Errorf("row %d: key %s seen before: want a network per row", k, r.Key)
		}
		keys[r.Key] = true
	}
	// The ensemble's first member is the Evaluator's PGD: on images the
	// network classifies correctly (the ensemble attacks only those, so
	// the random starts fall on the same images), the same accuracy.
	vs, err := s.Variants(1)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		m, err := v.Config.Train(context.Background(), &Runner{Dir: dir}, train)
		if err != nil {
			t.Fatal(err)
		}
		if !m.Cached {
			t.Errorf("%s/%s: trained again, want it from the cache", v.Init, v.Heads)
		}
		right := correctOnly(t, m, test)
		ens := s.ensemble(base.Epsilon, 3)
		ens.Subset = right.Split.N
		run, err := ens.Evaluate(context.Background(), nil, m, right)
		if err != nil {
			t.Fatal(err)
		}
		res, err := (&Evaluator{Epsilons: []float64{base.Epsilon}, Steps: 3}).Evaluate(context.Background(), nil, m, right)
		if err != nil {
			t.Fatal(err)
		}
		st := run.Steps[0]
		if st.N != right.Split.N || st.Attacks[0] != res[1].Attack || st.AccuracyAfter[0] != res[1].Accuracy {
			t.Errorf("%s/%s on %d correct images: the ensemble's first member %s %v, the Evaluator's %s %v: want the same",
				v.Init, v.Heads, right.Split.N, st.Attacks[0], st.AccuracyAfter[0], res[1].Attack, res[1].Accuracy)
		}
	}
	again, err := s.Run(context.Background(), &Runner{Dir: dir}, train, test)
	if err != nil {
		t.Fatal(err)
	}
	for k := range rows {
		r, a := rows[k], again[k]
		if !a.Cached || a.Key != r.Key || a.PGDAccuracy != r.PGDAccuracy || a.EnsembleAccuracy != r.EnsembleAccuracy {
			t.Errorf("row %d again = %+v, want the cached %+v", k, a, r)
		}
	}
}

func TestReadSensitivityCSV(t *testing.T) {
	dir := t.TempDir()
	head := strings.Join(SensitivityColumns, ",") + "\n"
	for _, tc := range []struct {
		text string
		want []SensitivityRow
		err  string
	}{
		{head + "he,none,standard,0.98,0.02,10000,0.01,0.015,1000,1\npytorch,0.0625,hard,0.97,0.6,10000,0.55,0.58,1000,2\n",
			[]SensitivityRow{
				{Init: "he", Heads: NoHeads, Training: "standard", CleanAccuracy: 0.98, PGDAccuracy: 0.02, N: 10000, EnsembleAccuracy: 0.01, EnsemblePGDAccuracy: 0.015, EnsembleN: 1000, Seed: 1},
				{Init: "pytorch", Heads: "0.0625", Training: "hard", CleanAccuracy: 0.97, PGDAccuracy: 0.6, N: 10000, EnsembleAccuracy: 0.55, EnsemblePGDAccuracy: 0.58, EnsembleN: 1000, Seed: 2},
			}, ""},
		{"init,heads\nhe,none\n", nil, `no column "training"`},
		{head + "he,none,standard,x,0.02,10000,0.01,0.015,1000,1\n", nil, "line 2 column clean_accuracy"},
	} {
		path := dir + "/ext4.csv"
		if err := os.WriteFile(path, []byte(tc.text), 0o644); err != nil {
			t.Fatal(err)
		}
		rows, err := ReadSensitivityCSV(path)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ReadSensitivityCSV(%q): error %v, want one containing %q", tc.text, err, tc.err)
			}
			continue
		}
		if err != nil || !slices.Equal(rows, tc.want) {
			t.Errorf("ReadSensitivityCSV = %+v, %v; want %+v", rows, err, tc.want)
		}
	}
}

// sensitivityRows returns a complete study of two inits, the levels
// 0.0625, 1 and limit, and two seeds, whose accuracies are sums of known
// terms: hard training's ensemble accuracy is a[init] + b[level] + e[seed],
// its PGD accuracy that plus 0.05, and standard training's pgd[init] and
// 0.02 under the ensemble.
func sensitivityRows() []SensitivityRow {
	a := map[string]float64{"he": 0.40, "pytorch": 0.55}
	b := map[string]float64{"0.0625": 0, "1": 0.005, "limit": 0.002}
	e := map[uint64]float64{1: 0, 2: 0.01}
	std := map[string]float64{"he": 0.05, "pytorch": 0.6}
	var rows []SensitivityRow
	for _, seed := range []uint64{1, 2} {
		for _, init := range []string{"he", "pytorch"} {
			rows = append(rows, SensitivityRow{Init: init, Heads: NoHeads, Training: "standard", CleanAccuracy: 0.99, PGDAccuracy: std[init],
				N: 100, EnsembleAccuracy: 0.02, EnsemblePGDAccuracy: 0.03, EnsembleN: 50, Seed: seed})
			for _, l := range []string{"0.0625", "1", "limit"} {
				ens := a[init] + b[l] + e[seed]
				rows = append(rows, SensitivityRow{Init: init, Heads: l, Training: "hard", CleanAccuracy: 0.95, PGDAccuracy: ens + 0.05,
					N: 100, EnsembleAccuracy: ens, EnsemblePGDAccuracy: ens + 0.04, EnsembleN: 50, Seed: seed})
			}
		}
	}
	return rows
}

func TestSummarizeSensitivity(t *testing.T) {
	cells, err := SummarizeSensitivity(sensitivityRows())
	if err != nil {
		t.Fatal(err)
	}
	if len(cells) != 8 {
		t.Fatalf("%d cells, want 2 inits × 4", len(cells))
	}
	// pytorch at scale 1: ensemble 0.555 and 0.565 for the two seeds.
	c := cells[6]
	const tol = 1e-12
	if c.Init != "pytorch" || c.Heads != "1" || c.Training != "hard" || math.Abs(c.Ensemble.Mean-0.56) > tol ||
		math.Abs(c.Ensemble.Spread()-0.01) > tol || math.Abs(c.PGD.Mean-0.61) > tol || math.Abs(c.EnsemblePGD.Mean-0.60) > tol ||
		c.Clean.Mean != 0.95 || c.Ensemble.Seeds != 2 {
		t.Errorf("cell 6 = %+v, want pytorch/1 hard, ensemble 0.56 ± 0.005, PGD 0.61, its PGD 0.60, clean 0.95, 2 seeds", c)
	}
	rows := sensitivityRows()
	if _, err := SummarizeSensitivity(append(rows, rows[1])); err == nil || !strings.Contains(err.Error(), "init he, heads 0.0625 twice for seed 1") {
		t.Errorf("a seed twice: error %v", err)
	}
	odd := rows[1]
	odd.Training, odd.Seed = "pgd", 9
	if _, err := SummarizeSensitivity(append(rows, odd)); err == nil || !strings.Contains(err.Error(), "hard and pgd") {
		t.Errorf("two trainings in a cell: error %v", err)
	}
}

func TestAnswerSensitivity(t *testing.T) {
	c := &checks{}
	answer, err := AnswerSensitivity(c, sensitivityRows(), 0.1, 20)
	if err != nil {
		t.Fatal(err)
	}
	if f := c.failed(); len(f) != 0 || len(c.names) != 3 {
		t.Errorf("checks %v, failed %v: want 3, all passed", c.names, f)
	}
	// By init, hard training's ensemble means over the levels and seeds
	// are a[init] + mean(b) + mean(e): a range of 0.15. By level they are
	// b[level] + mean(a) + mean(e): a range of 0.005. The seeds' spread is
	// 0.01. Under the ensemble every gain is at least 0.40 − 0.02; under
	// PGD, pytorch's mean gain over its standard 0.6 is b[level] + 0.005,
	// less than 2 points, at every level: 3 of 6 survive.
	for _, want := range []string{
		"(largest seed spread of a hard-training cell: 1.0 points)",
		"- hard training by initialisation [he pytorch]: robust 40.7%, 55.7%; clean 95.0%, 95.0%. Robust range 15.0 points (best pytorch)",
		"- hard training by heads' level [0.0625 1 limit]: robust 48.0%, 48.5%, 48.2%;",
		"Robust range 0.5 points (best 1)",
		"- the small-scale limit minus the smallest scale (0.0625), in points: he +0.2, pytorch +0.2.",
		"gain over standard training of the same init survives every setting (smallest gain 38.5 points, he at heads 0.0625)",
		"survives 3 of 6 settings; not at pytorch at heads 0.0625 (gain 0.5 points, seed spread 1.0)",
		"Answer: under the ensemble, the settings that move hard training's robust accuracy by at least 2 points and by more than the seeds' spread are: the initialisation (15.0 points); those that do not: the heads' level (0.5 points).",
		"Means over 2 seeds [1 2]",
	} {
		if !strings.Contains(answer, want) {
			t.Errorf("answer lacks %q:\n%s", want, answer)
		}
	}
	rows := sensitivityRows()
	rows[3].PGDAccuracy = 0.99 // above its clean 0.95
	rows[4].EnsembleAccuracy = 0.9
	rows[5].N = 99
	c = &checks{}
	if _, err := AnswerSensitivity(c, rows, 0.1, 20); err != nil {
		t.Fatal(err)
	}
	want := []string{"robust accuracy at most clean accuracy", "the ensemble at most its PGD-20 on the same images", "every network on the same test images"}
	if f := c.failed(); !slices.Equal(f, want) {
		t.Errorf("failed %v, want %v", f, want)
	}
	for _, tc := range []struct {
		rows []SensitivityRow
		want string
	}{
		{slices.Delete(sensitivityRows(), 4, 5), "init pytorch, heads none has 1 of the 2 seeds"},                                  // seed 1 lacks it
		{sensitivityRows()[:7], "no sensitivity rows of init pytorch, heads limit"},                                                // one seed, without its last cell
		{slices.Delete(sensitivityRows(), 9, 10), "init he, heads 0.0625 has 1 of the 2 seeds"},                                    // seed 2 lacks it
		{slices.DeleteFunc(sensitivityRows(), func(r SensitivityRow) bool { return r.Heads != NoHeads }), "without hard training"}, // standard only
	} {
		if _, err := AnswerSensitivity(&checks{}, tc.rows, 0.1, 20); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("error %v, want one containing %q", err, tc.want)
		}
	}
}

func TestFormatSensitivity(t *testing.T) {
	rows := sensitivityRows()[:2]
	rows[0].Key, rows[1].Key = "a", "a" // one network twice: its time counts once
	rows[0].TrainTime, rows[1].TrainTime = 3e9, 3e9
	got := FormatSensitivity(rows)
	if !strings.Contains(got, "seed 1 he             none   standard clean  99.0%  PGD   5.0%  ensemble   2.0% (its PGD   3.0% on 50)") ||
		!strings.HasSuffix(got, "sum to 3 s\n") {
		t.Errorf("FormatSensitivity =\n%s", got)
	}
}

func TestSensitivityHeadLimitLevel(t *testing.T) {
	s := &Sensitivity{Base: Config{Epsilon: 0.1}, Inits: []string{"he"}, Limit: true}
	vs, err := s.Variants(1)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 2 || vs[1].Heads != attack.HeadLimit.String() || vs[1].Config.Heads.Loss != attack.HeadLimit {
		t.Errorf("variants %+v: want standard, then the limit", vs)
	}
}

// correctOnly returns the images of test that m classifies correctly.
func correctOnly(t *testing.T, m *Model, test Data) Data {
	t.Helper()
	n, d := test.Split.N, test.Split.Dim()
	tp, err := m.Net.NewTape(n)
	if err != nil {
		t.Fatal(err)
	}
	z, err := tp.Forward(test.Split.X)
	if err != nil {
		t.Fatal(err)
	}
	s := &dataset.Split{Rows: test.Split.Rows, Cols: test.Split.Cols}
	for i := range n {
		logits := z[i*10 : (i+1)*10]
		if slices.Index(logits, slices.Max(logits)) == test.Split.Y[i] {
			s.X = append(s.X, test.Split.X[i*d:(i+1)*d]...)
			s.Y = append(s.Y, test.Split.Y[i])
			s.N++
		}
	}
	if s.N < n/2 {
		t.Fatalf("%d of %d test images classified correctly: want most, to compare the attacks on", s.N, n)
	}
	return Data{test.Name, s}
}
