package attack

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"

	"pointwise/lib/internal/numeric"
	"pointwise/lib/mlp"
)

// AuditSettings are the settings of Audit. The zero value means the
// documented defaults.
type AuditSettings[T mlp.Float] struct {
	// Subset is the number of samples audited, the first Subset of the data
	// (all of them when fewer); 0 means 1000.
	Subset int
	// Batch is the evaluation batch, ≥ 1; 0 means DefaultEvalBatch (128),
	// reduced to a NetworkModel's MaxBatch.
	Batch int
	// Steps is the number of steps S of the reference PGD (L∞, random
	// start, step 2.5ε/S, cross-entropy); 0 means 20 (fig6's PGD-20).
	Steps int
	// Restarts is the number of PGD-S runs of the restart check, ≥ 2; 0
	// means 10.
	Restarts int
	// Grid is the number of radii ε·k/Grid, k = 1…Grid, of the monotonicity
	// check (with ε = 0); 0 means 3.
	Grid int
	// APGDSteps is the number of iterations of the APGD-CE that joins the
	// white-box attacks; 0 means 100, −1 leaves APGD out.
	APGDSteps int
	// SquareQueries is the query budget of the Square check; 0 means 1000
	// (AutoAttack runs 5000: raise it for a final evaluation).
	SquareQueries int
	// LargeEpsilon is the radius at which accuracy must fall to chance; 0
	// means 0.5 (where every input can be moved to the grey image 0.5).
	LargeEpsilon float64
	// Tolerance is the largest change of robust accuracy, in percentage
	// points, that the steps, restarts, nesting, Square and transfer checks
	// accept; 0 means 0.5. (AutoAttack's check_square_sr warns at 0.2
	// points.)
	Tolerance float64
	// GradientSamples is the number of samples whose input gradient is
	// compared with central finite differences, ≥ 1; 0 means 3.
	GradientSamples int
	// Surrogate, if non-nil, is the source model of the transfer check:
	// PGD-S crafted on it is evaluated on the audited model. Nil skips the
	// check.
	Surrogate GradientModel[T]
	// Seed seeds every random attack of the audit (PGD run r uses Seed + r).
	Seed uint64
}

// Audit defaults.
const (
	DefaultAuditSubset        = 1000
	DefaultAuditSteps         = 20
	DefaultAuditRestarts      = 10
	DefaultAuditGrid          = 3
	DefaultAuditSquareQueries = 1000
	DefaultAuditLargeEpsilon  = 0.5
	DefaultAuditTolerance     = 0.5
	DefaultAuditGradSamples   = 3
)

// AuditFDTolerance bounds |g·v − D_v ℓ| / ‖g‖₂ in Audit's finite-difference
// check, for the directions v = g/‖g‖₂ and two random unit sign vectors:
// a float32 gradient (about 1e-6 relative error) passes, a wrong or masked
// one does not. The difference is central, with step 1e-6 on a float64
// copy of the network (mlp.Convert) for a NetworkModel, and with step 1e-3
// (float32) or 1e-6 (float64) on the model itself otherwise.
const AuditFDTolerance = 1e-2

// AuditRow is one check of an audit.
type AuditRow struct {
	// Item names the check.
	Item string
	// Passed is true when the check passed (or was skipped).
	Passed bool
	// Skipped is true when the check could not run (its Detail says why).
	Skipped bool
	// Value is the measured quantity, in the unit Detail states.
	Value float64
	// Detail is a sentence: what was measured, and for a failure what it
	// means and what to do.
	Detail string
}

// AuditReport is the table Audit returns.
type AuditReport struct {
	// Epsilon is the audited L∞ radius; N the number of samples audited.
	Epsilon float64
	N       int
	// Rows are the checks, in a fixed order.
	Rows []AuditRow
}

// Passed reports whether every check passed.
func (r *AuditReport) Passed() bool {
	for _, row := range r.Rows {
		if !row.Passed {
			return false
		}
	}
	return true
}

// Failures returns the rows that failed.
func (r *AuditReport) Failures() []AuditRow {
	var f []AuditRow
	for _, row := range r.Rows {
		if !row.Passed {
			f = append(f, row)
		}
	}
	return f
}

// WriteCSV writes the table with the header item,passed,skipped,value,detail.
func (r *AuditReport) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"item", "passed", "skipped", "value", "detail"}); err != nil {
		return err
	}
	for _, row := range r.Rows {
		rec := []string{row.Item, strconv.FormatBool(row.Passed), strconv.FormatBool(row.Skipped),
			strconv.FormatFloat(row.Value, 'g', 6, 64), row.Detail}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// String returns the table as aligned text, one row per check.
func (r *AuditReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "audit at ε = %g on %d samples\n", r.Epsilon, r.N)
	for _, row := range r.Rows {
		st := "pass"
		switch {
		case row.Skipped:
			st = "skip"
		case !row.Passed:
			st = "FAIL"
		}
		fmt.Fprintf(&b, "%-4s  %-28s %10.4g  %s\n", st, row.Item, row.Value, row.Detail)
	}
	return b.String()
}

// Audit checks a robustness evaluation of model at the L∞ radius eps on the
// samples x (row-major, in [0, 1]) with labels, following Carlini et al.,
// "On evaluating adversarial robustness" (2019) and AutoAttack's checks
// (Croce and Hein 2020), and returns one row per check, in this order:
//
//   - "eps=0 is clean accuracy": PGD, APGD and Square at ε = 0 give exactly
//     the clean accuracy (value: accuracy at ε = 0).
//   - "monotone in eps": PGD-S accuracy does not rise along ε·k/Grid (value:
//     largest rise, points).
//   - "nested success": a sample broken at a radius stays broken at every
//     larger one (value: share of samples that are not, points; passes
//     below Tolerance).
//   - "PGD >= FGSM": PGD-S is at least as strong as FGSM (value: PGD
//     accuracy minus FGSM's, points; passes at ≤ 0).
//   - "steps x2": PGD-2S moves accuracy by less than Tolerance (value:
//     PGD-S accuracy minus PGD-2S's, points).
//   - "restarts": Restarts runs of PGD-S move accuracy by less than
//     Tolerance from one run (value: points).
//   - "noise weaker than PGD": uniform random sign noise of the same ε
//     leaves more samples robust than PGD-S, or none (value: noise accuracy
//     minus PGD's, points).
//   - "Square no stronger": Square breaks fewer than Tolerance points of
//     the samples that every white-box attack (FGSM, PGD-S, PGD-2S, the
//     restarts, APGD-CE) left robust (value: points).
//   - "transfer no stronger": the same for PGD-S crafted on Surrogate
//     (skipped without one).
//   - "large eps at chance": PGD-S at LargeEpsilon leaves at most 1/classes
//     accuracy (value: accuracy).
//   - "gradients finite", "gradients not zero": the cross-entropy's input
//     gradient on every audited sample (value: samples failing; zero means
//     every entry exactly 0, AutoAttack's check_zero_gradients).
//   - "gradients match finite differences": on GradientSamples samples
//     (value: largest error relative to ‖g‖₂, see AuditFDTolerance).
//
// Every check that fails says in words what it suggests (most often gradient
// masking or too weak an attack). Only the white-box-robust samples are
// given to the restarts, APGD, Square and transfer, so the audit costs
// about (Grid + 3)·(S + 1) gradient passes per sample plus the runs on the
// robust ones; on a 784-256-256-10 float32 MLP that is seconds for a
// standard network and tens of seconds for a robust one on 1000 samples
// (lower Subset, Restarts or SquareQueries for less). It errors on bad
// arguments and on attack errors; a failed check is not an error.
func Audit[T mlp.Float](model GradientModel[T], x []T, labels []int, eps float64, s AuditSettings[T]) (*AuditReport, error) {
	if model == nil {
		return nil, errors.New("attack: model nil: need a GradientModel such as NewNetworkModel")
	}
	if err := checkEpsilon(eps, LInf); err != nil {
		return nil, err
	}
	if err := s.defaults(); err != nil {
		return nil, err
	}
	if eps == 0 {
		return nil, fmt.Errorf("attack: audit ε = 0 out of range: need 0 < ε ≤ 1")
	}
	in, classes := model.In(), model.Out()
	n := len(labels)
	if n == 0 || len(x) != n*in {
		return nil, fmt.Errorf("attack: input length %d does not match %d labels × input width %d (need ≥ 1 sample)", len(x), n, in)
	}
	if err := checkUnit(x); err != nil {
		return nil, err
	}
	if s.Surrogate != nil && (s.Surrogate.In() != in || s.Surrogate.Out() != classes) {
		return nil, fmt.Errorf("attack: surrogate model %d→%d does not match the model %d→%d", s.Surrogate.In(), s.Surrogate.Out(), in, classes)
	}
	n = min(n, s.Subset)
	x, labels = x[:n*in], labels[:n]
	batch := min(s.Batch, n)
	if nm, ok := model.(*NetworkModel[T]); ok {
		batch = min(batch, nm.MaxBatch())
	}
	ce, err := NewLogitObjective(model, LossCE, batch)
	if err != nil {
		return nil, err
	}
	// The audit counts successes on the model it attacks, so PGD stops at
	// each sample's first; a transfer needs the source's best input instead.
	pgd := func(e float64, steps int, seed uint64, obj Objective[T]) Attack[T] {
		return &PGD[T]{Objective: obj, Epsilon: e, Steps: steps, Seed: seed, StopOnSuccess: obj == Objective[T](ce)}
	}
	eval := func(atks []Attack[T], xs []T, ys []int) (*EnsembleResult, error) {
		return Evaluate[T](model, atks, xs, ys, batch)
	}
	rep := &AuditReport{Epsilon: eps, N: n}
	add := func(item string, ok bool, v float64, detail string) {
		rep.Rows = append(rep.Rows, AuditRow{Item: item, Passed: ok, Value: v, Detail: detail})
	}
	tol := s.Tolerance
	pts := func(a float64) float64 { return 100 * a }
	S := s.Steps

	// ε = 0.
	zero, err := eval([]Attack[T]{pgd(0, S, s.Seed, ce), &APGD[T]{Objective: ce, Steps: 1}, &Square[T]{Model: model, Queries: 1}}, x, labels)
	if err != nil {
		return nil, err
	}
	if zero.Accuracy == zero.CleanAccuracy {
		add("eps=0 is clean accuracy", true, zero.Accuracy, fmt.Sprintf("accuracy at ε = 0 equals the clean accuracy %.4f", zero.CleanAccuracy))
	} else {
		add("eps=0 is clean accuracy", false, zero.Accuracy, fmt.Sprintf("accuracy at ε = 0 is %.4f but the clean accuracy is %.4f: the evaluation changes inputs it should not (a bug in the attack or the evaluation)", zero.Accuracy, zero.CleanAccuracy))
	}

	// The ε grid.
	grid := make([]*EnsembleResult, s.Grid+1)
	grid[0] = zero
	for k := 1; k <= s.Grid; k++ {
		e := eps * float64(k) / float64(s.Grid)
		if grid[k], err = eval([]Attack[T]{pgd(e, S, s.Seed, ce)}, x, labels); err != nil {
			return nil, err
		}
	}
	ref := grid[s.Grid]
	rise, at := 0.0, 0
	for k := 1; k <= s.Grid; k++ {
		if d := grid[k].Accuracy - grid[k-1].Accuracy; d > rise {
			rise, at = d, k
		}
	}
	if rise == 0 {
		add("monotone in eps", true, 0, fmt.Sprintf("PGD-%d accuracy does not rise over ε = 0 … %g in %d steps", S, eps, s.Grid))
	} else {
		add("monotone in eps", false, pts(rise), fmt.Sprintf("PGD-%d accuracy rises by %.2f points from ε = %g to %g: a larger ball cannot be safer, so the attack misses adversarial examples (gradient masking, too few steps or a step too small)", S, pts(rise), eps*float64(at-1)/float64(s.Grid), eps*float64(at)/float64(s.Grid)))
	}
	nonNested := 0
	for i := range n {
		for k := 1; k < s.Grid; k++ {
			if grid[k].Success[i] && !grid[k+1].Success[i] {
				nonNested++
				break
			}
		}
	}
	if v := pts(float64(nonNested) / float64(n)); v < tol {
		add("nested success", true, v, fmt.Sprintf("%d of %d samples broken at a radius survive a larger one (%.2f points, under %.2f)", nonNested, n, v, tol))
	} else {
		add("nested success", false, v, fmt.Sprintf("%d of %d samples (%.2f points) broken at a radius survive a larger one: the attack is unreliable (gradient masking, or too few steps for the larger radii)", nonNested, n, v))
	}

	// FGSM, PGD-2S, noise.
	fgsm, err := eval([]Attack[T]{&FGSM[T]{Objective: ce, Epsilon: eps}}, x, labels)
	if err != nil {
		return nil, err
	}
	if d := pts(ref.Accuracy - fgsm.Accuracy); d <= 0 {
		add("PGD >= FGSM", true, d, fmt.Sprintf("PGD-%d accuracy %.4f ≤ FGSM accuracy %.4f", S, ref.Accuracy, fgsm.Accuracy))
	} else {
		add("PGD >= FGSM", false, d, fmt.Sprintf("PGD-%d leaves %.2f points more accuracy than one FGSM step (%.4f vs %.4f): an iterative attack weaker than a single step means its steps are lost (gradient masking, or a step size badly off)", S, d, ref.Accuracy, fgsm.Accuracy))
	}
	pgd2, err := eval([]Attack[T]{pgd(eps, 2*S, s.Seed, ce)}, x, labels)
	if err != nil {
		return nil, err
	}
	if d := pts(ref.Accuracy - pgd2.Accuracy); math.Abs(d) < tol {
		add("steps x2", true, d, fmt.Sprintf("PGD-%d accuracy %.4f, PGD-%d %.4f: %.2f points apart, under %.2f", S, ref.Accuracy, 2*S, pgd2.Accuracy, d, tol))
	} else {
		add("steps x2", false, d, fmt.Sprintf("doubling the PGD steps from %d to %d moves robust accuracy by %.2f points (%.4f to %.4f): the attack has not converged; report more steps", S, 2*S, d, ref.Accuracy, pgd2.Accuracy))
	}
	noise, err := eval([]Attack[T]{&RandomNoise[T]{Epsilon: eps, Seed: s.Seed}}, x, labels)
	if err != nil {
		return nil, err
	}
	if d := pts(noise.Accuracy - ref.Accuracy); d > 0 || noise.Correct == 0 {
		add("noise weaker than PGD", true, d, fmt.Sprintf("random sign noise leaves %.4f accuracy, PGD-%d %.4f", noise.Accuracy, S, ref.Accuracy))
	} else {
		add("noise weaker than PGD", false, d, fmt.Sprintf("random sign noise of the same ε leaves %.4f accuracy, no more than PGD-%d's %.4f: the gradient attack does no better than a random corner of the ε-cube, which suggests gradient masking", noise.Accuracy, S, ref.Accuracy))
	}

	// White-box union: the samples robust to every white-box attack.
	robust := make([]bool, n)
	for i := range n {
		robust[i] = !ref.Success[i] && !fgsm.Success[i] && !pgd2.Success[i]
	}
	gather := func() ([]T, []int, []int) {
		var xs []T
		var ys, idx []int
		for i, r := range robust {
			if r {
				xs = append(xs, x[i*in:(i+1)*in]...)
				ys = append(ys, labels[i])
				idx = append(idx, i)
			}
		}
		return xs, ys, idx
	}
	pgdRobust := 0
	for i := range n {
		if !ref.Success[i] {
			pgdRobust++
		}
	}
	// Restarts: runs 2…R of PGD-S on the samples run 1 left robust.
	restartBroken := 0
	{
		var xs []T
		var ys, idx []int
		for i := range n {
			if !ref.Success[i] {
				xs = append(xs, x[i*in:(i+1)*in]...)
				ys = append(ys, labels[i])
				idx = append(idx, i)
			}
		}
		if len(ys) > 0 {
			atks := make([]Attack[T], s.Restarts-1)
			for r := range atks {
				atks[r] = pgd(eps, S, s.Seed+uint64(r)+1, ce)
			}
			res, err := eval(atks, xs, ys)
			if err != nil {
				return nil, err
			}
			for k, i := range idx {
				if res.Success[k] {
					restartBroken++
					robust[i] = false
				}
			}
		}
	}
	if d := pts(float64(restartBroken) / float64(n)); d < tol {
		add("restarts", true, d, fmt.Sprintf("%d runs of PGD-%d break %d more samples than one (%.2f points, under %.2f)", s.Restarts, S, restartBroken, d, tol))
	} else {
		add("restarts", false, d, fmt.Sprintf("%d runs of PGD-%d break %d more samples than one run (%.2f points): one run overestimates robustness; report the worst case over restarts", s.Restarts, S, restartBroken, d))
	}
	wbAttacks := fmt.Sprintf("FGSM, PGD-%d, PGD-%d, %d restarts", S, 2*S, s.Restarts)
	if s.APGDSteps > 0 {
		xs, ys, idx := gather()
		if len(ys) > 0 {
			res, err := eval([]Attack[T]{&APGD[T]{Objective: ce, Epsilon: eps, Steps: s.APGDSteps, Seed: s.Seed}}, xs, ys)
			if err != nil {
				return nil, err
			}
			for k, i := range idx {
				if res.Success[k] {
					robust[i] = false
				}
			}
		}
		wbAttacks += ", APGD-CE"
	}
	wbCorrect := 0
	for _, r := range robust {
		if r {
			wbCorrect++
		}
	}
	wbAcc := float64(wbCorrect) / float64(n)

	// Black-box and transfer checks on the white-box-robust samples.
	blackBox := func(item string, atk Attack[T], what string) error {
		xs, ys, _ := gather()
		broken := 0
		if len(ys) > 0 {
			res, err := eval([]Attack[T]{atk}, xs, ys)
			if err != nil {
				return err
			}
			broken = len(ys) - res.Correct
		}
		if d := pts(float64(broken) / float64(n)); d < tol {
			add(item, true, d, fmt.Sprintf("%s breaks %d of the %d samples the white-box attacks (%s) left robust (%.2f points, under %.2f); white-box accuracy %.4f", what, broken, wbCorrect, wbAttacks, d, tol, wbAcc))
		} else {
			add(item, false, d, fmt.Sprintf("%s breaks %d samples (%.2f points) that every white-box attack (%s) left robust (white-box accuracy %.4f): a weaker attack finding what gradients miss means the gradients mislead, so gradient masking is suspected; report the worst case including it", what, broken, d, wbAttacks, wbAcc))
		}
		return nil
	}
	if err := blackBox("Square no stronger", &Square[T]{Model: model, Epsilon: eps, Queries: s.SquareQueries, Seed: s.Seed}, fmt.Sprintf("Square-%d", s.SquareQueries)); err != nil {
		return nil, err
	}
	if s.Surrogate == nil {
		rep.Rows = append(rep.Rows, AuditRow{Item: "transfer no stronger", Passed: true, Skipped: true, Value: math.NaN(), Detail: "skipped: no Surrogate model given"})
	} else {
		src, err := NewLogitObjective(s.Surrogate, LossCE, batch)
		if err != nil {
			return nil, err
		}
		if err := blackBox("transfer no stronger", &Transfer[T]{Source: pgd(eps, S, s.Seed, src)}, fmt.Sprintf("PGD-%d transferred from the surrogate", S)); err != nil {
			return nil, err
		}
	}

	// Large ε.
	large, err := eval([]Attack[T]{&FGSM[T]{Objective: ce, Epsilon: s.LargeEpsilon}, pgd(s.LargeEpsilon, S, s.Seed, ce)}, x, labels)
	if err != nil {
		return nil, err
	}
	if chance := 1 / float64(classes); large.Accuracy <= chance {
		add("large eps at chance", true, large.Accuracy, fmt.Sprintf("accuracy %.4f at ε = %g, at most chance 1/%d", large.Accuracy, s.LargeEpsilon, classes))
	} else {
		add("large eps at chance", false, large.Accuracy, fmt.Sprintf("accuracy %.4f at ε = %g is above chance 1/%d = %.4f although such a ball lets the attack erase the input: the attack is failing (gradient masking or a broken attack)", large.Accuracy, s.LargeEpsilon, classes, chance))
	}

	// Gradients.
	if err := auditGradients(rep, model, ce, x, labels, batch, s.GradientSamples); err != nil {
		return nil, err
	}
	return rep, nil
}

func (s *AuditSettings[T]) defaults() error {
	switch {
	case s.Subset < 0:
		return fmt.Errorf("attack: audit Subset = %d out of range: need ≥ 1 (0 means %d)", s.Subset, DefaultAuditSubset)
	case s.Batch < 0:
		return fmt.Errorf("attack: audit Batch = %d out of range: need ≥ 1 (0 means %d)", s.Batch, DefaultEvalBatch)
	case s.Steps < 0:
		return fmt.Errorf("attack: audit Steps = %d out of range: need ≥ 1 (0 means %d)", s.Steps, DefaultAuditSteps)
	case s.Restarts < 0 || s.Restarts == 1:
		return fmt.Errorf("attack: audit Restarts = %d out of range: need ≥ 2 (0 means %d)", s.Restarts, DefaultAuditRestarts)
	case s.Grid < 0:
		return fmt.Errorf("attack: audit Grid = %d out of range: need ≥ 1 (0 means %d)", s.Grid, DefaultAuditGrid)
	case s.APGDSteps < -1:
		return fmt.Errorf("attack: audit APGDSteps = %d out of range: need ≥ 1, or −1 to leave APGD out (0 means %d)", s.APGDSteps, DefaultAPGDSteps)
	case s.SquareQueries < 0:
		return fmt.Errorf("attack: audit SquareQueries = %d out of range: need ≥ 1 (0 means %d)", s.SquareQueries, DefaultAuditSquareQueries)
	case math.IsNaN(s.LargeEpsilon) || s.LargeEpsilon < 0 || s.LargeEpsilon > 1:
		return fmt.Errorf("attack: audit LargeEpsilon = %v out of range: need 0 < ε ≤ 1 (0 means %v)", s.LargeEpsilon, DefaultAuditLargeEpsilon)
	case math.IsNaN(s.Tolerance) || math.IsInf(s.Tolerance, 0) || s.Tolerance < 0:
		return fmt.Errorf("attack: audit Tolerance = %v out of range: need finite and > 0 points (0 means %v)", s.Tolerance, DefaultAuditTolerance)
	case s.GradientSamples < 0:
		return fmt.Errorf("attack: audit GradientSamples = %d out of range: need ≥ 1 (0 means %d)", s.GradientSamples, DefaultAuditGradSamples)
	}
	// def is a four-line closure as in adversarial's EnsembleSettings; not
	// worth an exported helper across the two packages.
	def := func(p *int, v int) {
		if *p == 0 {
			*p = v
		}
	}
	def(&s.Subset, DefaultAuditSubset)
	def(&s.Batch, DefaultEvalBatch)
	def(&s.Steps, DefaultAuditSteps)
	def(&s.Restarts, DefaultAuditRestarts)
	def(&s.Grid, DefaultAuditGrid)
	def(&s.APGDSteps, DefaultAPGDSteps)
	def(&s.SquareQueries, DefaultAuditSquareQueries)
	def(&s.GradientSamples, DefaultAuditGradSamples)
	if s.LargeEpsilon == 0 {
		s.LargeEpsilon = DefaultAuditLargeEpsilon
	}
	if s.Tolerance == 0 {
		s.Tolerance = DefaultAuditTolerance
	}
	return nil
}

// auditGradients adds the three gradient rows.
func auditGradients[T mlp.Float](rep *AuditReport, model GradientModel[T], ce *LogitObjective[T], x []T, labels []int, batch, samples int) error {
	in, n := model.In(), len(labels)
	g := make([]T, n*in)
	for s := 0; s < n; s += batch {
		e := min(s+batch, n)
		if err := ce.Gradient(g[s*in:e*in], nil, x[s*in:e*in], labels[s:e], e-s); err != nil {
			return err
		}
	}
	nonFinite, zero := 0, 0
	for i := range n {
		fin, nz := true, false
		for _, v := range g[i*in : (i+1)*in] {
			f := float64(v)
			if math.IsNaN(f) || math.IsInf(f, 0) {
				fin = false
			}
			if f != 0 {
				nz = true
			}
		}
		if !fin {
			nonFinite++
		} else if !nz {
			zero++
		}
	}
	add := func(item string, ok bool, v float64, detail string) {
		rep.Rows = append(rep.Rows, AuditRow{Item: item, Passed: ok, Value: v, Detail: detail})
	}
	if nonFinite == 0 {
		add("gradients finite", true, 0, fmt.Sprintf("the cross-entropy's input gradient is finite on all %d samples", n))
	} else {
		add("gradients finite", false, float64(nonFinite), fmt.Sprintf("the cross-entropy's input gradient is not finite on %d of %d samples: attacks cannot follow it (check the model's weights and logits)", nonFinite, n))
	}
	if zero == 0 {
		add("gradients not zero", true, 0, fmt.Sprintf("the cross-entropy's input gradient is nonzero on all %d samples", n))
	} else {
		add("gradients not zero", false, float64(zero), fmt.Sprintf("the cross-entropy's input gradient is exactly zero on %d of %d samples: gradient attacks cannot move them (a saturated softmax, a non-differentiable layer or deliberate masking); use a margin loss (DLR) and gradient-free attacks (Square)", zero, n))
	}
	// Finite differences on the first samples.
	samples = min(samples, n)
	var loss func(t float64) (float64, error)
	h := 1e-6
	var net64 *mlp.Network[float64]
	if nm, ok := model.(*NetworkModel[T]); ok {
		net64 = mlp.Convert[float64](nm.Network())
	} else if _, is32 := any(x[0]).(float32); is32 {
		h = 1e-3
	}
	xr := make([]T, in)
	x64 := make([]float64, in)
	z := make([]T, model.Out())
	z64 := make([]float64, model.Out())
	d := make([]T, model.Out())
	d64 := make([]float64, model.Out())
	v := make([]float64, in)
	rnd := rand.New(rand.NewPCG(1, 1))
	worst := 0.0
	for i := range samples {
		row, gi, y := x[i*in:(i+1)*in], g[i*in:(i+1)*in], labels[i]
		loss = func(t float64) (float64, error) {
			if net64 != nil {
				for j, r := range row {
					x64[j] = float64(r) + t*v[j]
				}
				if _, err := net64.Forward(z64, x64); err != nil {
					return 0, err
				}
				return numeric.CrossEntropy(d64, z64, y, 1), nil
			}
			for j, r := range row {
				xr[j] = T(float64(r) + t*v[j])
			}
			if err := model.Logits(z, xr); err != nil {
				return 0, err
			}
			return numeric.CrossEntropy(d, z, y, 1), nil
		}
		var gn float64
		for _, gj := range gi {
			gn += float64(gj) * float64(gj)
		}
		gn = math.Sqrt(gn)
		for dir := range 3 {
			if dir == 0 && gn == 0 {
				continue
			}
			for j := range v {
				switch {
				case dir == 0:
					v[j] = float64(gi[j]) / gn
				case rnd.Uint64()&1 == 1:
					v[j] = 1 / math.Sqrt(float64(in))
				default:
					v[j] = -1 / math.Sqrt(float64(in))
				}
			}
			lp, err := loss(h)
			if err != nil {
				return err
			}
			lm, err := loss(-h)
			if err != nil {
				return err
			}
			fd := (lp - lm) / (2 * h)
			var an float64
			for j, gj := range gi {
				an += float64(gj) * v[j]
			}
			e := math.Abs(an - fd)
			if gn > 0 {
				e /= gn
			} else if e > 0 {
				e = math.Inf(1)
			}
			worst = max(worst, e)
		}
	}
	if worst <= AuditFDTolerance {
		add("gradients match finite differences", true, worst, fmt.Sprintf("on %d samples the directional derivatives match central differences to %.2g of ‖g‖₂ (tolerance %g)", samples, worst, AuditFDTolerance))
	} else {
		add("gradients match finite differences", false, worst, fmt.Sprintf("on %d samples a directional derivative of the input gradient differs from central differences by %.3g of ‖g‖₂ (tolerance %g): the gradient the attacks follow is not the loss's (a non-differentiable or masked forward pass, or a bug)", samples, worst, AuditFDTolerance))
	}
	return nil
}
