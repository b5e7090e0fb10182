package adversarial

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"pointwise/lib/attack"
	"pointwise/lib/dataset"
	"pointwise/lib/mlp"
)

// checks is a Checks that keeps the outcomes, by name.
type checks struct {
	names  []string
	passed map[string]bool
}

func (c *checks) Add(name string, passed bool, format string, args ...any) {
	if c.passed == nil {
		c.passed = map[string]bool{}
	}
	c.names = append(c.names, name)
	c.passed[name] = passed
}

// failed returns the names of the failed checks, in order.
func (c *checks) failed() []string {
	var out []string
	for _, n := range c.names {
		if !c.passed[n] {
			out = append(out, n)
		}
	}
	return out
}

func TestFigure6ID(t *testing.T) {
	for _, tc := range []struct{ name, want, err string }{
		{"mnist", "fig6a", ""},
		{"MNIST", "fig6a", ""},
		{"fashion-mnist", "fig6b", ""},
		{"Fashion-MNIST", "fig6b", ""},
		{"cifar", "", `data set "cifar" unknown`},
	} {
		got, err := Figure6ID(tc.name)
		if got != tc.want || (err == nil) != (tc.err == "") || err != nil && !strings.Contains(err.Error(), tc.err) {
			t.Errorf("Figure6ID(%q) = %q, %v; want %q, error %q", tc.name, got, err, tc.want, tc.err)
		}
	}
	if _, _, _, err := Load("cifar", 0, 0); err == nil {
		t.Error("Load of an unknown data set: no error")
	}
	if _, err := dataset.MNIST(); err != nil {
		t.Skip(err)
	}
	train, test, classes, err := Load("MNIST", 100, 50)
	if err != nil {
		t.Fatal(err)
	}
	if train.Name != "MNIST" || train.Split.N != 100 || test.Split.N != 50 || len(classes) != 10 {
		t.Errorf("Load: %s with %d and %d images, %d classes; want MNIST, 100, 50, 10", train.Name, train.Split.N, test.Split.N, len(classes))
	}
}

// fig6Rows returns the rows of a Figure 6 study of one seed on 1000 test
// images, from accuracies keyed by "training attack ε".
func fig6Rows(data string, acc map[string]float64) []Row {
	var rows []Row
	for k, a := range acc {
		var r Row
		fmt.Sscanf(k, "%s %s %g", &r.Training, &r.Attack, &r.Epsilon)
		r.Dataset, r.Accuracy, r.N, r.Seed = data, a, 1000, 1
		rows = append(rows, r)
	}
	slices.SortFunc(rows, func(a, b Row) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
	return rows
}

func TestCheckFigure6(t *testing.T) {
	// A plausible MNIST panel: both adversarial trainings beat standard
	// training, the ensemble leaves no more than PGD, PGD is stronger than
	// FGSM, a standard MLP keeps 5% at ε = 0.1 and 0 at 0.3.
	good := map[string]float64{
		"standard PGD-20 0.1": 0.05, "pgd PGD-20 0.1": 0.80, "hard PGD-20 0.1": 0.30,
		"standard ensemble 0.1": 0.04, "pgd ensemble 0.1": 0.78, "hard ensemble 0.1": 0.25,
		"standard FGSM 0.1": 0.20, "standard FGSM 0.3": 0.01, "standard PGD-20 0.3": 0,
	}
	with := func(edits map[string]float64) map[string]float64 {
		m := map[string]float64{}
		for k, v := range good {
			m[k] = v
		}
		for k, v := range edits {
			m[k] = v
		}
		return m
	}
	passed := AuditSummary{Training: "hard", Seed: "1", Checks: 13}
	failed := AuditSummary{Training: "pgd", Seed: "1", Checks: 13, Failed: []string{"transfer"}, Details: []string{"x"}}
	for _, tc := range []struct {
		name       string
		data       string
		acc        map[string]float64
		audits     []AuditSummary
		auditsPass bool
		failed     []string
		checks     int
		verdict    string
	}{
		// 2 trainings × 2 attacks, 3 ensembles, PGD against FGSM, the MNIST
		// band, about 0 at 0.3: 10 checks, and one per audit.
		{"all pass", "MNIST", good, []AuditSummary{passed}, true, nil, 11, "hard training at 30.0% is less robust than PGD training at 80.0%"},
		{"hard below standard", "MNIST", with(map[string]float64{"hard PGD-20 0.1": 0.04, "hard ensemble 0.1": 0.03}), nil, true,
			[]string{"hard training beats standard under PGD at eps_train", "hard training beats standard under the ensemble at eps_train"}, 10, "less robust than"},
		// 0.3 points of slack: 0.802 passes, 0.804 does not.
		{"ensemble within the slack", "MNIST", with(map[string]float64{"pgd ensemble 0.1": 0.802}), nil, true, nil, 10, ""},
		{"ensemble weaker than PGD", "MNIST", with(map[string]float64{"pgd ensemble 0.1": 0.804}), nil, true,
			[]string{"pgd: ensemble no weaker than PGD-20 at eps_train"}, 10, ""},
		{"PGD weaker than FGSM", "MNIST", with(map[string]float64{"standard FGSM 0.1": 0.04}), nil, true,
			[]string{"sanity: PGD no weaker than FGSM on the standard network"}, 10, ""},
		{"standard MLP too robust at 0.1", "MNIST", with(map[string]float64{"standard PGD-20 0.1": 0.2, "standard FGSM 0.1": 0.3, "standard ensemble 0.1": 0.01}), nil, true,
			[]string{"sanity: standard MNIST MLP well under 20% under PGD at eps = 0.1"}, 10, ""},
		// The literature's band is for MNIST: Fashion-MNIST is not held to it.
		{"Fashion-MNIST", "Fashion-MNIST", with(map[string]float64{"standard PGD-20 0.1": 0.2, "standard FGSM 0.1": 0.3, "standard ensemble 0.1": 0.01}), nil, true, nil, 9, ""},
		{"about 0 at 0.3", "MNIST", with(map[string]float64{"standard PGD-20 0.3": 0.02, "standard FGSM 0.3": 0.05}), nil, true,
			[]string{"sanity: standard MNIST MLP about 0% under PGD at eps = 0.3"}, 10, ""},
		{"failed audit", "MNIST", good, []AuditSummary{passed, failed}, true, []string{"audit passes: pgd training, seed 1"}, 12, "audit of pgd training, seed 1: FAILED 1 of 13 checks: transfer"},
		{"audits only printed", "MNIST", good, []AuditSummary{passed, failed}, false, nil, 10, "audit of pgd training, seed 1: FAILED"},
	} {
		c := &checks{}
		got, err := CheckFigure6(c, fig6Rows(tc.data, tc.acc), tc.audits, 0.1, 20, tc.auditsPass)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if f := c.failed(); !slices.Equal(f, tc.failed) || len(c.names) != tc.checks {
			t.Errorf("%s: %d checks, failed %q; want %d, failed %q", tc.name, len(c.names), f, tc.checks, tc.failed)
		}
		if !strings.Contains(got, tc.verdict) {
			t.Errorf("%s: verdicts %q, want %q in them", tc.name, got, tc.verdict)
		}
	}
	if _, err := CheckFigure6(&checks{}, nil, nil, 0.1, 20, false); err == nil {
		t.Error("no rows: no error")
	}
	missing := fig6Rows("MNIST", good)[1:] // without one row
	if _, err := CheckFigure6(&checks{}, missing, nil, 0.1, 20, false); err == nil {
		t.Error("a missing row: no error")
	}
}

func TestFormatStudy(t *testing.T) {
	rows := fig6Rows("MNIST", map[string]float64{
		"standard FGSM 0": 0.98, "pgd FGSM 0": 0.97, "hard FGSM 0": 0.96,
		"standard PGD-20 0": 0.98, "pgd PGD-20 0": 0.97, "hard PGD-20 0": 0.96,
		"standard ensemble 0": 0.99, "pgd ensemble 0": 0.95, "hard ensemble 0": 0.94,
	})
	for i := range rows {
		if rows[i].Attack == AttackEnsemble {
			rows[i].N = 200
		}
	}
	run := EnsembleRun{Rows: []Row{{Training: "pgd", Attack: AttackEnsemble, Epsilon: 0.1, Accuracy: 0.905, N: 1000, Seed: 1}},
		Steps: []EnsembleStep{{Epsilon: 0.1, N: 1000, Attacks: []string{"PGD-20", "Square"}, AccuracyAfter: []float64{0.91, 0.905}, Seconds: 12}}}
	got, err := FormatStudy(rows, []EnsembleRun{run}, []float64{0}, 20)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"standard / FGSM         98.0%", "hard / ensemble         94.0%",
		"(ensemble rows on the first 200 test images)",
		"pgd      seed 1, ensemble at eps = 0.1 on 1000 images: 90.50%; after each attack: PGD-20 91.0%, Square 90.5% (12 s)",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("FormatStudy lacks %q:\n%s", want, got)
		}
	}
	if _, err := FormatStudy(rows, []EnsembleRun{{}}, []float64{0}, 20); err == nil {
		t.Error("a run without steps: no error")
	}
}

func TestAuditTableString(t *testing.T) {
	a := &AuditTable{Training: "hard", Seed: 2, Surrogate: "standard", Report: &attack.AuditReport{Epsilon: 0.1, N: 100, Rows: []attack.AuditRow{
		{Item: "chance", Passed: true, Value: 0.1, Detail: "fine"},
		{Item: "transfer", Value: 0.9, Detail: "masked gradients?"},
	}}}
	got := a.String()
	for _, want := range []string{"hard training, seed 2 (transfer from standard): FAILED 1 of 2 checks: transfer", "  -> transfer: masked gradients?"} {
		if !strings.Contains(got, want) {
			t.Errorf("String lacks %q:\n%s", want, got)
		}
	}
}

func TestModelString(t *testing.T) {
	m := &Model{Config: Config{Method: PGD, Seed: 3}, Cached: true, TrainTime: 1500 * time.Millisecond,
		History: []mlp.EpochStats{{Epoch: 1, Loss: 2, Accuracy: 0.5}, {Epoch: 2, Loss: 0.25, Accuracy: 0.875}}}
	want := "pgd      seed 3 cached true  trained in    1.5 s; last epoch: loss 0.250, accuracy on its training inputs 87.5%"
	if got := m.String(); got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

func TestTransferLevel(t *testing.T) {
	for _, tc := range []struct {
		drop, white float64
		want        string
	}{
		{0.5, 1, "strong"},   // half the white-box drop
		{0.49, 1, "partial"}, // less than half, at least 5 points
		{0.05, 1, "partial"},
		{0.049, 1, "none"},
		{0.03, 0.04, "strong"}, // a small white-box drop: half of it is enough
	} {
		if got := transferLevel(tc.drop, tc.white); got != tc.want {
			t.Errorf("transferLevel(%v, %v) = %q, want %q", tc.drop, tc.white, got, tc.want)
		}
	}
}

// transferMatrix returns the rows of a transfer matrix of the networks
// names on data, from the clean accuracies and acc[source][target].
func transferMatrix(data string, names []string, clean []float64, acc [][]float64) []TransferRow {
	var rows []TransferRow
	for j, n := range names {
		rows = append(rows, TransferRow{Dataset: data, Source: CleanSource, Target: n, Accuracy: clean[j], N: 1000})
	}
	for i, s := range names {
		for j, n := range names {
			rows = append(rows, TransferRow{Dataset: data, Source: s, Target: n, Epsilon: 0.1, Accuracy: acc[i][j], N: 1000})
		}
	}
	return rows
}

func TestAnswerTransfer(t *testing.T) {
	names := []string{"standard", "standard-s2", "pgd", "hard"}
	clean := []float64{0.98, 0.97, 0.95, 0.96}
	acc := [][]float64{ // acc[source][target]
		{0.00, 0.47, 0.90, 0.80},
		{0.58, 0.02, 0.92, 0.85},
		{0.60, 0.60, 0.85, 0.90},
		{0.50, 0.55, 0.93, 0.50},
	}
	rows := append(transferMatrix("MNIST", names, clean, acc), transferMatrix("Fashion-MNIST", names, clean, [][]float64{
		{0.00, 0.95, 0.94, 0.95},
		{0.96, 0.01, 0.94, 0.95},
		{0.97, 0.96, 0.80, 0.95},
		{0.97, 0.96, 0.94, 0.60},
	})...)
	c := &checks{}
	answers, err := AnswerTransfer(c, rows)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.names) != 6 || len(c.failed()) != 0 {
		t.Errorf("checks %q, failed %q: want 3 per data set, all passed", c.names, c.failed())
	}
	if len(answers) != 2 {
		t.Fatalf("%d answers, want one per data set", len(answers))
	}
	// MNIST: standard → standard-s2 drops 0.97 − 0.47 = 0.50, the white-box
	// drop of standard-s2 is 0.97 − 0.02 = 0.95: 0.50 ≥ 0.475, strong; the
	// reverse drops 0.98 − 0.58 = 0.40. pgd loses 0.05 < 0.10 to standard:
	// it resists; hard loses 0.16. Among standard, pgd and hard the largest
	// share of a white-box drop is standard → pgd: 0.05 / 0.10 = 0.5.
	a := answers[0]
	const tol = 1e-12
	if a.Dataset != "MNIST" || a.Epsilon != 0.1 || a.Level != "strong" || math.Abs(a.Seeds-0.50) > tol ||
		math.Abs(a.SeedsBack-0.40) > tol || math.Abs(a.White-0.95) > tol || math.Abs(a.Shared-0.5) > 1e-9 {
		t.Errorf("MNIST answer %+v: want strong, 0.50, 0.40 back, white 0.95, shared 0.5", a)
	}
	if want := "the pgd network resists them (it loses 5.0 points); the hard network does not resist them (it loses 16.0 points)"; a.Robust != want {
		t.Errorf("Robust = %q, want %q", a.Robust, want)
	}
	// Fashion-MNIST: 0.97 − 0.95 = 0.02 of a 0.96 drop: none.
	if b := answers[1]; b.Level != "none" || math.Abs(b.Seeds-0.02) > tol {
		t.Errorf("Fashion-MNIST answer %+v: want none, 0.02", b)
	}
	if got := TransferConclusion(answers); !strings.Contains(got, "Answer, MNIST: between two standard MLPs that differ only in their seed, transfer is strong: 50.0 points") ||
		!strings.Contains(got, "So adversarial images do transfer") {
		t.Errorf("conclusion:\n%s", got)
	}
	if got := TransferConclusion(answers[1:]); !strings.Contains(got, "So adversarial images barely transfer") {
		t.Errorf("conclusion without transfer:\n%s", got)
	}
	// A target more accurate under attack than clean, and a transferred
	// attack stronger than the white-box one, fail the sanity checks.
	acc[1][0] = 0.99
	c = &checks{}
	if _, err := AnswerTransfer(c, transferMatrix("MNIST", names, clean, acc)); err != nil {
		t.Fatal(err)
	}
	if f := c.failed(); !slices.Equal(f, []string{"MNIST: no target gains accuracy under attack"}) {
		t.Errorf("failed %q, want the gain", f)
	}
	acc[1][0], acc[2][1] = 0.58, 0.01
	c = &checks{}
	AnswerTransfer(c, transferMatrix("MNIST", names, clean, acc))
	if f := c.failed(); !slices.Equal(f, []string{"MNIST: white-box beats transfer on standard-s2"}) {
		t.Errorf("failed %q, want the white-box check of standard-s2", f)
	}
	if _, err := AnswerTransfer(c, transferMatrix("MNIST", names[:2], clean, acc)); err == nil {
		t.Error("two networks: no error")
	}
	text := FormatTransferMatrix(rows[:20], 20)
	for _, want := range []string{"MNIST, PGD-20 at eps = 0.1: accuracy of the target", "clean                98.0%        97.0%        95.0%        96.0%",
		"standard-s2          58.0%         2.0%        92.0%        85.0%"} {
		if !strings.Contains(text, want) {
			t.Errorf("FormatTransferMatrix lacks %q:\n%s", want, text)
		}
	}
}

// TransferStudy trains the four networks in the matrix's order, the second
// standard one with SecondSeed, and measures their matrix.
func TestTransferStudy(t *testing.T) {
	cfg := small(Standard)
	s := &TransferStudy{Train: Data{"blobs", blobs(200, 1)}, Test: Data{"blobs", blobs(60, 2)}, Config: cfg, SecondSeed: 9,
		Attack: Transfer{Epsilon: 0.1, Steps: 3}}
	nets, err := s.Networks(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, n := range nets {
		got = append(got, fmt.Sprintf("%s:%v:%d", n.Name, n.Model.Config.Method, n.Model.Config.Seed))
	}
	if want := []string{"standard:standard:7", "standard-s9:standard:9", "pgd:pgd:7", "hard:hard:7"}; !slices.Equal(got, want) {
		t.Errorf("networks %q, want %q", got, want)
	}
	rows, err := s.Rows(context.Background())
	if err != nil || len(rows) != 4+16 {
		t.Errorf("%d rows, %v; want 4 clean and 16 transfers", len(rows), err)
	}
}

// ablationRows are two seeds of an ablation of K (1, 8) and of the heads'
// draw (fresh, fixed) around the base K = 8, fresh.
func ablationRows() []AblationRow {
	var rows []AblationRow
	for _, r := range []struct {
		seed          uint64
		factor, value string
		clean, robust float64
	}{
		{1, "K", "1", 0.9, 0.5}, {1, "K", "8", 0.8, 0.4}, {1, "heads", "fresh", 0.8, 0.4}, {1, "heads", "fixed", 0.8, 0.70},
		{2, "K", "1", 0.7, 0.2}, {2, "K", "8", 0.8, 0.6}, {2, "heads", "fresh", 0.8, 0.6}, {2, "heads", "fixed", 0.8, 0.72},
	} {
		rows = append(rows, AblationRow{Factor: r.factor, Value: r.value, CleanAccuracy: r.clean, RobustAccuracy: r.robust, N: 100, Seed: r.seed})
	}
	return rows
}

func TestAnswerAblation(t *testing.T) {
	base := Config{Method: Hard, Epsilon: 0.1}
	factors := []Factor{HeadsFactor(1, 8), HeadDrawFactor()}
	sums, err := summarizeFactors(ablationRows(), base, factors)
	if err != nil {
		t.Fatal(err)
	}
	// K: robust means 0.35 and 0.5, range 0.15, less than the spread of
	// K = 1 (0.5 − 0.2 = 0.3): it does not matter. heads: means 0.5 and
	// 0.71, range 0.21, more than 2 points and than the largest spread
	// (fresh: 0.2): it matters, best fixed.
	const tol = 1e-12
	k, h := sums[0], sums[1]
	if k.Factor != "K" || k.Base != 1 || math.Abs(k.Range()-0.15) > tol || math.Abs(k.Spread-0.3) > tol || k.Matters() || k.Best != "8" {
		t.Errorf("K: %+v (range %v): want base 1, range 0.15, spread 0.3, best 8, not mattering", k, k.Range())
	}
	if h.Factor != "heads" || h.Base != 0 || math.Abs(h.Range()-0.21) > tol || math.Abs(h.Spread-0.2) > tol || !h.Matters() || h.Best != "fixed" || h.CleanRange() != 0 {
		t.Errorf("heads: %+v (range %v): want base 0, range 0.21, spread 0.2, best fixed, mattering", h, h.Range())
	}
	c := &checks{}
	got, err := AnswerAblation(c, ablationRows(), base, factors, 20)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.names) != 2 || len(c.failed()) != 0 {
		t.Errorf("checks %q, failed %q: want 2, passed", c.names, c.failed())
	}
	for _, want := range []string{"are: heads (mean robust accuracy from 50.0% to 71.0%, best heads = fixed, base heads = fresh at 50.0% (40.0 to 60.0, 2 seeds))",
		"Those that do not are: K (15.0 points, seed spread 30.0)", "Means over 2 seeds [1 2]"} {
		if !strings.Contains(got, want) {
			t.Errorf("answer lacks %q:\n%s", want, got)
		}
	}
	// The base of the heads factor with other numbers than K's: not one
	// network; a robust accuracy above the clean one.
	rows := ablationRows()
	rows[2].RobustAccuracy, rows[0].RobustAccuracy = 0.41, 0.95
	c = &checks{}
	if _, err := AnswerAblation(c, rows, base, factors, 20); err != nil {
		t.Fatal(err)
	}
	if f := c.failed(); !slices.Equal(f, []string{"robust accuracy at most clean accuracy", "the base is one network in every factor"}) {
		t.Errorf("failed %q, want both checks", f)
	}
}

func TestFormatAblation(t *testing.T) {
	rows := []AblationRow{
		{Factor: "K", Value: "1", Key: "a", TrainTime: 10 * time.Second},
		{Factor: "K", Value: "8", Key: "b", TrainTime: 5 * time.Second, Cached: true},
		{Factor: "heads", Value: "fresh", Key: "b", TrainTime: 5 * time.Second, Cached: true}, // the base again
	}
	got := FormatAblation(rows)
	if !strings.Contains(got, "sum to 15 s") || strings.Count(got, "\n") != 4 {
		t.Errorf("FormatAblation:\n%s\nwant 3 rows and the sum 10 + 5 = 15 s of the distinct networks", got)
	}
}
