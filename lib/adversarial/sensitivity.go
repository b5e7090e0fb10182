package adversarial

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"pointwise/lib/attack"
	"pointwise/lib/mlp"
)

// NoHeads is the heads level of standard training's rows in a Sensitivity
// study: it draws no heads.
const NoHeads = "none"

// Sensitivity is open question 4's computation: how much hard training's
// robustness depends on the distribution H of the random heads of the
// paper's eq. 2, which the paper leaves open, and on the initialisation of
// the network whose feature layer φ the heads share. For every seed and
// every initialisation of Inits it trains Standard (the baseline) and Hard
// training at every heads level: each factor of Scales on the heads'
// standard deviations (HeadSettings.Scale), then, with Limit, the
// small-scale limit (HeadSettings.Loss = attack.HeadLimit): as the heads'
// scale s → 0 the input gradient of the heads' mean cross-entropy, divided
// by s, tends to (1/K) Σ_k J_φ(x)ᵀ W_k (1/C − e_y), with W_k the heads'
// weights drawn at scale 1 (h_k(x) = φ(x)W_k + b_k), C the classes and y
// the label; its sign, all that PGD's steps use, does not depend on s.
// Every network is evaluated on the
// test images by PGD at ε = 0 (its clean accuracy) and at ε_train
// (Evaluator's attack), and by the attack ensemble at ε_train on the first
// Ensemble.Subset images (EnsembleEvaluator).
type Sensitivity struct {
	// Base is the template of every training: its Epsilon is ε_train, the
	// radius of the training and evaluation attacks (it has no default).
	// Method, Init, Seed and the level (Heads.Scale or Heads.Loss) are set
	// per network.
	Base Config
	// Inits names the initialisations (Config.Init; "" is "he"), in the
	// order of the rows.
	Inits []string
	// Scales are the factors on the heads' initialisation standard
	// deviations, one level each, in (0, MaxHeadScale] and distinct.
	Scales []float64
	// Limit adds the level attack.HeadLimit, at Base's scale (the limit's
	// PGD steps do not depend on it).
	Limit bool
	// Seeds are the training seeds; nil means {Base.Seed}.
	Seeds []uint64
	// Steps is the number of PGD steps of the evaluation, and of the
	// ensemble's PGD; 0 means DefaultEvalSteps (20).
	Steps int
	// Ensemble holds the ensemble's subset and budgets (Subset, APGDSteps,
	// Targets, SquareQueries; zero values are its defaults). Run sets its
	// Epsilons to {ε_train}, Full to nil and PGDSteps to Steps, so that its
	// first member is the Evaluator's PGD, with the same settings and seed.
	// It attacks only the images the network classifies correctly, so its
	// random starts fall on other images than the Evaluator's: on the
	// subset, the accuracy after that member differs from the Evaluator's
	// by the chance of the random starts (on images all classified
	// correctly, it is the same).
	Ensemble EnsembleEvaluator
}

// SensitivityVariant is one network of a Sensitivity study.
type SensitivityVariant struct {
	// Init is the initialisation's name ("he" for ""); Heads is the level,
	// such as "0.25" or "limit", or NoHeads for standard training.
	Init, Heads string
	// Config is the resolved configuration.
	Config Config
}

// headsFactor returns the heads levels of s: the scales (HeadScaleFactor's
// labels, such as "0.0625") and then the limit.
func (s *Sensitivity) headsFactor() (Factor, error) {
	f := HeadScaleFactor(s.Scales...)
	f.Name = "heads"
	for i, v := range s.Scales {
		if slices.Contains(s.Scales[:i], v) {
			return f, fmt.Errorf("adversarial: heads' scale %g given twice: need distinct scales", v)
		}
	}
	if s.Limit {
		f.Levels = append(f.Levels, Level{attack.HeadLimit.String(), func(c *Config) { c.Heads.Loss = attack.HeadLimit }})
	}
	if len(f.Levels) == 0 {
		return f, errors.New("adversarial: sensitivity without heads levels: need Scales or Limit")
	}
	return f, nil
}

// initName returns the name of the resolved initialisation init.
func initName(init string) string {
	if init == "" {
		return mlp.He{}.Name()
	}
	return init
}

// Variants returns the networks of one seed, in the order of the rows: for
// each initialisation, standard training, then hard training at each heads
// level. It returns an error if a configuration does not resolve, an
// initialisation is given twice, or there are no levels.
func (s *Sensitivity) Variants(seed uint64) ([]SensitivityVariant, error) {
	if len(s.Inits) == 0 {
		return nil, fmt.Errorf("adversarial: sensitivity without initialisations: need Inits, such as %q", mlp.InitNames())
	}
	heads, err := s.headsFactor()
	if err != nil {
		return nil, err
	}
	var out []SensitivityVariant
	var names []string
	for _, init := range s.Inits {
		base := s.Base
		base.Hidden = slices.Clone(s.Base.Hidden) // nil stays nil
		base.Init, base.Seed, base.Method = init, seed, Standard
		std, err := base.Resolve()
		if err != nil {
			return nil, err
		}
		name := initName(std.Init)
		if slices.Contains(names, name) {
			return nil, fmt.Errorf("adversarial: initialisation %q given twice: need distinct Inits", name)
		}
		names = append(names, name)
		out = append(out, SensitivityVariant{Init: name, Heads: NoHeads, Config: std})
		base.Method = Hard
		vs, err := OneAtATime(base, heads)
		if err != nil {
			return nil, fmt.Errorf("adversarial: initialisation %s: %w", name, err)
		}
		for _, v := range vs {
			out = append(out, SensitivityVariant{Init: name, Heads: v.Value, Config: v.Config})
		}
	}
	return out, nil
}

// SensitivityColumns are the CSV columns of a SensitivityRow, in the order
// of SensitivityRow.Values.
var SensitivityColumns = []string{"init", "heads", "training", "clean_accuracy", "pgd_accuracy", "n",
	"ensemble_accuracy", "ensemble_pgd_accuracy", "ensemble_n", "seed"}

// SensitivityRow is the result of one network of a Sensitivity study, a
// clean error counting as not robust everywhere.
type SensitivityRow struct {
	// Init, Heads and Training name the network: its initialisation, its
	// heads level (NoHeads for standard training) and "standard" or "hard".
	Init, Heads, Training string
	// CleanAccuracy and PGDAccuracy are the accuracies under PGD at ε = 0
	// and at ε_train on the N test images.
	CleanAccuracy, PGDAccuracy float64
	N                          int
	// EnsembleAccuracy is the robust accuracy under the ensemble at
	// ε_train on the first EnsembleN test images, and EnsemblePGDAccuracy
	// its accuracy after its first member, the same PGD, on those images.
	EnsembleAccuracy, EnsemblePGDAccuracy float64
	EnsembleN                             int
	Seed                                  uint64
	// Key is the network's cache key; Cached reports that it was loaded,
	// and TrainTime is its training wall time (as recorded when trained).
	Key       string
	Cached    bool
	TrainTime time.Duration
}

// Values returns the row's fields in the order of SensitivityColumns, for
// figure.Table.Append.
func (r SensitivityRow) Values() []any {
	return []any{r.Init, r.Heads, r.Training, r.CleanAccuracy, r.PGDAccuracy, r.N,
		r.EnsembleAccuracy, r.EnsemblePGDAccuracy, r.EnsembleN, strconv.FormatUint(r.Seed, 10)} // figure.Table takes no uint64
}

// Run trains and evaluates every network of every seed, seed after seed
// in the order of Variants, through r. It stops when ctx is done.
func (s *Sensitivity) Run(ctx context.Context, r *Runner, train, test Data) ([]SensitivityRow, error) {
	steps, err := stepsOf(s.Steps, "evaluation")
	if err != nil {
		return nil, err
	}
	seeds := s.Seeds
	if seeds == nil {
		seeds = []uint64{s.Base.Seed}
	}
	var rows []SensitivityRow
	for _, seed := range seeds {
		vs, err := s.Variants(seed)
		if err != nil {
			return nil, err
		}
		for _, v := range vs {
			row, err := s.measure(ctx, r, v, train, test, steps)
			if err != nil {
				return nil, fmt.Errorf("adversarial: init %s, heads %s, seed %d: %w", v.Init, v.Heads, seed, err)
			}
			rows = append(rows, row)
		}
	}
	return rows, nil
}

// measure trains (or loads) the network of v and evaluates it.
func (s *Sensitivity) measure(ctx context.Context, r *Runner, v SensitivityVariant, train, test Data, steps int) (SensitivityRow, error) {
	eps := s.Base.Epsilon // checked by Variants: hard training needs it
	m, err := v.Config.Train(ctx, r, train)
	if err != nil {
		return SensitivityRow{}, err
	}
	ev := Evaluator{Epsilons: []float64{0, eps}, Steps: steps}
	res, err := ev.Evaluate(ctx, r, m, test)
	if err != nil {
		return SensitivityRow{}, err
	}
	pgd := AttackPGD(steps)
	clean, ok1 := find(res, m.Config.Method.String(), pgd, 0)
	robust, ok2 := find(res, m.Config.Method.String(), pgd, eps)
	if !ok1 || !ok2 {
		return SensitivityRow{}, fmt.Errorf("evaluation without the %s rows at ε = 0 and %g", pgd, eps)
	}
	ens := s.ensemble(eps, steps)
	run, err := ens.Evaluate(ctx, r, m, test)
	if err != nil {
		return SensitivityRow{}, err
	}
	st := run.Steps[0]
	if len(st.Attacks) == 0 || st.Attacks[0] != pgd {
		return SensitivityRow{}, fmt.Errorf("the ensemble's first member is %v, want %s", st.Attacks, pgd)
	}
	return SensitivityRow{Init: v.Init, Heads: v.Heads, Training: m.Config.Method.String(),
		CleanAccuracy: clean, PGDAccuracy: robust, N: test.Split.N,
		EnsembleAccuracy: run.Rows[0].Accuracy, EnsemblePGDAccuracy: st.AccuracyAfter[0], EnsembleN: st.N,
		Seed: m.Config.Seed, Key: m.Key, Cached: m.Cached, TrainTime: m.TrainTime}, nil
}

// ensemble returns the ensemble of the study: at eps on the subset, its
// PGD the evaluation's.
func (s *Sensitivity) ensemble(eps float64, steps int) EnsembleEvaluator {
	ens := s.Ensemble
	ens.Epsilons, ens.Full, ens.PGDSteps = []float64{eps}, nil, steps
	return ens
}

// ReadSensitivityCSV reads rows from a CSV file with the header
// SensitivityColumns (in any order; other columns are ignored), such as
// ext4.csv. The fields that are not columns (Key, Cached, TrainTime) are
// left zero.
func ReadSensitivityCSV(path string) ([]SensitivityRow, error) {
	recs, col, err := readTable(path, SensitivityColumns)
	if err != nil {
		return nil, err
	}
	names := []string{"clean_accuracy", "pgd_accuracy", "n", "ensemble_accuracy", "ensemble_pgd_accuracy", "ensemble_n", "seed"}
	rows := make([]SensitivityRow, 0, len(recs)-1)
	for line, rec := range recs[1:] {
		var v [7]float64
		for i, c := range names {
			if v[i], err = strconv.ParseFloat(rec[col[c]], 64); err != nil {
				return nil, fmt.Errorf("adversarial: %s line %d column %s: %w", path, line+2, c, err)
			}
		}
		rows = append(rows, SensitivityRow{Init: rec[col["init"]], Heads: rec[col["heads"]], Training: rec[col["training"]],
			CleanAccuracy: v[0], PGDAccuracy: v[1], N: int(v[2]),
			EnsembleAccuracy: v[3], EnsemblePGDAccuracy: v[4], EnsembleN: int(v[5]), Seed: uint64(v[6])})
	}
	return rows, nil
}

// SensitivityCell is one network of a Sensitivity study summarised over
// its seeds.
type SensitivityCell struct {
	Init, Heads, Training string
	// Clean and PGD summarise the accuracies on all N test images;
	// Ensemble and EnsemblePGD those on the ensemble's images.
	Clean, PGD, Ensemble, EnsemblePGD Stat
}

// SummarizeSensitivity groups rows by initialisation and heads level, in
// the order they first appear (Run's order), and summarises each accuracy
// over the seeds (SummarizeAblation's summary, by initialisation and
// level). It returns an error if a cell holds two rows of one seed, or two
// trainings.
func SummarizeSensitivity(rows []SensitivityRow) ([]SensitivityCell, error) {
	type key struct{ init, heads string }
	seen := map[key][]uint64{}
	training := map[key]string{}
	var first, second []AblationRow // (clean, PGD), (ensemble's PGD, ensemble)
	for _, r := range rows {
		k := key{r.Init, r.Heads}
		if slices.Contains(seen[k], r.Seed) {
			return nil, fmt.Errorf("adversarial: sensitivity rows hold init %s, heads %s twice for seed %d: need one row per seed", r.Init, r.Heads, r.Seed)
		}
		seen[k] = append(seen[k], r.Seed)
		if t, ok := training[k]; ok && t != r.Training {
			return nil, fmt.Errorf("adversarial: sensitivity rows of init %s, heads %s hold %s and %s training: need one", r.Init, r.Heads, t, r.Training)
		}
		training[k] = r.Training
		first = append(first, AblationRow{Factor: r.Init, Value: r.Heads, CleanAccuracy: r.CleanAccuracy, RobustAccuracy: r.PGDAccuracy, Seed: r.Seed})
		second = append(second, AblationRow{Factor: r.Init, Value: r.Heads, CleanAccuracy: r.EnsemblePGDAccuracy, RobustAccuracy: r.EnsembleAccuracy, Seed: r.Seed})
	}
	a, err := SummarizeAblation(first)
	if err != nil {
		return nil, err
	}
	b, err := SummarizeAblation(second)
	if err != nil {
		return nil, err
	}
	out := make([]SensitivityCell, len(a))
	for i := range a {
		out[i] = SensitivityCell{Init: a[i].Factor, Heads: a[i].Value, Training: training[key{a[i].Factor, a[i].Value}],
			Clean: a[i].Clean, PGD: a[i].Robust, EnsemblePGD: b[i].Clean, Ensemble: b[i].Robust}
	}
	return out, nil
}

// sensitivityGrid is a complete Sensitivity study summarised over seeds:
// every initialisation has standard training and every hard level.
type sensitivityGrid struct {
	inits, levels []string // in the rows' order; levels are hard training's
	cells         map[[2]string]SensitivityCell
	seeds         []uint64
}

func (g sensitivityGrid) cell(init, heads string) SensitivityCell {
	return g.cells[[2]string{init, heads}]
}

// gridOf summarises rows and returns an error naming the first missing
// network: a study whose grid is not complete has no answer.
func gridOf(rows []SensitivityRow) (sensitivityGrid, error) {
	cells, err := SummarizeSensitivity(rows)
	if err != nil {
		return sensitivityGrid{}, err
	}
	g := sensitivityGrid{cells: map[[2]string]SensitivityCell{}, seeds: distinctSeeds(rows, func(r SensitivityRow) uint64 { return r.Seed })}
	for _, c := range cells {
		g.cells[[2]string{c.Init, c.Heads}] = c
		if !slices.Contains(g.inits, c.Init) {
			g.inits = append(g.inits, c.Init)
		}
		if c.Heads != NoHeads && !slices.Contains(g.levels, c.Heads) {
			g.levels = append(g.levels, c.Heads)
		}
	}
	if len(g.levels) == 0 {
		return g, errors.New("adversarial: sensitivity rows without hard training: need at least one heads level")
	}
	for _, init := range g.inits {
		for _, h := range append([]string{NoHeads}, g.levels...) {
			c, ok := g.cells[[2]string{init, h}]
			want := Hard.String()
			if h == NoHeads {
				want = Standard.String()
			}
			switch {
			case !ok:
				return g, fmt.Errorf("adversarial: no sensitivity rows of init %s, heads %s: need every init at every level and standard training", init, h)
			case c.Training != want:
				return g, fmt.Errorf("adversarial: sensitivity rows of init %s, heads %s are %s training: want %s", init, h, c.Training, want)
			case c.PGD.Seeds != len(g.seeds):
				return g, fmt.Errorf("adversarial: init %s, heads %s has %d of the %d seeds %v: need every seed", init, h, c.PGD.Seeds, len(g.seeds), g.seeds)
			}
		}
	}
	return g, nil
}

// robustness names one robust accuracy of a cell.
type robustness struct {
	name string
	of   func(SensitivityCell) Stat
}

// effects returns, under m, hard training's mean robust accuracy by
// initialisation (averaged over the heads levels) and by heads level
// (averaged over the initialisations), as factorSummary values whose
// Spread is the largest seed spread of a hard-training cell; their clean
// means are the PGD evaluation's clean accuracy.
func (g sensitivityGrid) effects(m robustness) (byInit, byLevel factorSummary) {
	byInit, byLevel = factorSummary{Factor: "initialisation", Base: -1}, factorSummary{Factor: "heads' level", Base: -1}
	spread := 0.0
	for _, i := range g.inits {
		for _, l := range g.levels {
			spread = max(spread, m.of(g.cell(i, l)).Spread())
		}
	}
	add := func(f *factorSummary, name string, cells []SensitivityCell) {
		var robust, clean float64
		for _, c := range cells {
			robust += m.of(c).Mean / float64(len(cells))
			clean += c.Clean.Mean / float64(len(cells))
		}
		f.Levels = append(f.Levels, AblationLevel{Factor: f.Factor, Value: name})
		f.Robust, f.Clean = append(f.Robust, robust), append(f.Clean, clean)
	}
	for _, i := range g.inits {
		var cs []SensitivityCell
		for _, l := range g.levels {
			cs = append(cs, g.cell(i, l))
		}
		add(&byInit, i, cs)
	}
	for _, l := range g.levels {
		var cs []SensitivityCell
		for _, i := range g.inits {
			cs = append(cs, g.cell(i, l))
		}
		add(&byLevel, l, cs)
	}
	for _, f := range []*factorSummary{&byInit, &byLevel} {
		f.Spread = spread
		f.Best = f.Levels[slices.Index(f.Robust, slices.Max(f.Robust))].Value
	}
	return byInit, byLevel
}

// gain is hard training's gain over standard training of one init at one
// heads level: the difference of the means, and the larger of the two
// cells' seed spreads.
type gain struct {
	init, heads  string
	gain, spread float64
}

// survives reports whether the gain is at least mattersRange and larger
// than the seeds' spread: the rule by which a factor matters.
func (g gain) survives() bool { return g.gain >= mattersRange && g.gain > g.spread }

// gains returns hard training's gain under m at every init and level.
func (g sensitivityGrid) gains(m robustness) []gain {
	var out []gain
	for _, i := range g.inits {
		std := m.of(g.cell(i, NoHeads))
		for _, l := range g.levels {
			h := m.of(g.cell(i, l))
			out = append(out, gain{i, l, h.Mean - std.Mean, max(h.Spread(), std.Spread())})
		}
	}
	return out
}

// table writes the mean over seeds of every init (a line) at every level
// (a column, standard training's first), in percent.
func (g sensitivityGrid) table(b *strings.Builder, of func(SensitivityCell) Stat) {
	fmt.Fprintf(b, "%-16s %9s", "init / heads", Standard.String())
	for _, l := range g.levels {
		fmt.Fprintf(b, " %9s", l)
	}
	b.WriteByte('\n')
	for _, i := range g.inits {
		fmt.Fprintf(b, "%-16s %8.1f%%", i, 100*of(g.cell(i, NoHeads)).Mean)
		for _, l := range g.levels {
			fmt.Fprintf(b, " %8.1f%%", 100*of(g.cell(i, l)).Mean)
		}
		b.WriteByte('\n')
	}
}

// AnswerSensitivity records in c the sanity checks of a Sensitivity
// study's rows and returns the answer in words, computed from the rows
// (read back from the figure's CSV): the mean accuracies over seeds as
// tables (init by heads level); for the ensemble and for PGD-<steps> at
// ε_train eps, how far the initialisation (hard training's mean over the
// heads levels) and the heads' level (the mean over the initialisations)
// move the robust accuracy, each against the largest seed spread of a
// hard-training cell; the small-scale limit against the smallest scale;
// and whether hard training's gain over standard training of the same
// initialisation survives every setting. A difference counts when it is at
// least 2 points and larger than the seeds' spread (AnswerAblation's rule).
//
// The checks: no robust accuracy above its clean accuracy; the ensemble
// at most its first member, PGD-<steps> on the same images (the
// ensemble's per-sample worst case includes it: see Sensitivity.Ensemble);
// and every network measured on the same test images. It returns an error
// if the rows do not hold every initialisation at every level, with
// standard training, for every seed.
func AnswerSensitivity(c Checks, rows []SensitivityRow, eps float64, steps int) (string, error) {
	above, ensAbove := 0, 0
	var ns, ens []int
	for _, r := range rows {
		if r.PGDAccuracy > r.CleanAccuracy {
			above++
		}
		if r.EnsembleAccuracy > r.EnsemblePGDAccuracy {
			ensAbove++
		}
		if !slices.Contains(ns, r.N) {
			ns = append(ns, r.N)
		}
		if !slices.Contains(ens, r.EnsembleN) {
			ens = append(ens, r.EnsembleN)
		}
	}
	pgd := AttackPGD(steps)
	c.Add("robust accuracy at most clean accuracy", above == 0, "%d of %d rows with %s above clean", above, len(rows), pgd)
	c.Add("the ensemble at most its "+pgd+" on the same images", ensAbove == 0, "%d of %d rows above", ensAbove, len(rows))
	c.Add("every network on the same test images", len(ns) == 1 && len(ens) == 1, "test images %v, ensemble's images %v", ns, ens)
	g, err := gridOf(rows)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	seeds := fmt.Sprintf("%d seed", len(g.seeds))
	if len(g.seeds) > 1 {
		seeds += "s"
	}
	ensName := fmt.Sprintf("the ensemble at eps = %g on the first %d test images", eps, ens[0])
	pgdName := fmt.Sprintf("%s at eps = %g on %d test images", pgd, eps, ns[0])
	fmt.Fprintf(&b, "Robust accuracy under %s, mean over %s:\n", ensName, seeds)
	g.table(&b, func(c SensitivityCell) Stat { return c.Ensemble })
	fmt.Fprintf(&b, "\nRobust accuracy under %s:\n", pgdName)
	g.table(&b, func(c SensitivityCell) Stat { return c.PGD })
	b.WriteString("\nClean accuracy:\n")
	g.table(&b, func(c SensitivityCell) Stat { return c.Clean })
	var verdicts []string
	for _, m := range []robustness{{"the ensemble", func(c SensitivityCell) Stat { return c.Ensemble }}, {pgd, func(c SensitivityCell) Stat { return c.PGD }}} {
		byInit, byLevel := g.effects(m)
		fmt.Fprintf(&b, "\nUnder %s (largest seed spread of a hard-training cell: %.1f points):\n", m.name, 100*byInit.Spread)
		var moves, not []string
		for _, f := range []factorSummary{byInit, byLevel} {
			names := make([]string, len(f.Levels))
			for k, l := range f.Levels {
				names[k] = l.Value
			}
			fmt.Fprintf(&b, "- hard training by %s %v: robust %s; clean %s. Robust range %.1f points (best %s); clean range %.1f points.\n",
				f.Factor, names, percents(f.Robust), percents(f.Clean), 100*f.Range(), f.Best, 100*f.CleanRange())
			if f.Matters() {
				moves = append(moves, fmt.Sprintf("the %s (%.1f points)", f.Factor, 100*f.Range()))
			} else {
				not = append(not, fmt.Sprintf("the %s (%.1f points)", f.Factor, 100*f.Range()))
			}
		}
		if lim, small := g.limitAndSmallest(); lim != "" && small != "" {
			var d []string
			for _, i := range g.inits {
				d = append(d, fmt.Sprintf("%s %+.1f", i, 100*(m.of(g.cell(i, lim)).Mean-m.of(g.cell(i, small)).Mean)))
			}
			fmt.Fprintf(&b, "- the small-scale limit minus the smallest scale (%s), in points: %s.\n", small, strings.Join(d, ", "))
		}
		gs := g.gains(m)
		var lost []string
		worst := gs[0]
		for _, x := range gs {
			if !x.survives() {
				lost = append(lost, fmt.Sprintf("%s at heads %s (gain %.1f points, seed spread %.1f)", x.init, x.heads, 100*x.gain, 100*x.spread))
			}
			if x.gain < worst.gain {
				worst = x
			}
		}
		gainText := fmt.Sprintf("survives every setting (smallest gain %.1f points, %s at heads %s)", 100*worst.gain, worst.init, worst.heads)
		if len(lost) > 0 {
			gainText = fmt.Sprintf("survives %d of %d settings; not at %s", len(gs)-len(lost), len(gs), strings.Join(lost, "; "))
		}
		fmt.Fprintf(&b, "- hard training's gain over standard training of the same init %s.\n", gainText)
		verdicts = append(verdicts, fmt.Sprintf("under %s, the settings that move hard training's robust accuracy by at least %g points and by more than the seeds' spread are: %s; those that do not: %s. Its gain over standard training %s.",
			m.name, 100*mattersRange, list(moves), list(not), gainText))
	}
	fmt.Fprintf(&b, "\nAnswer: %s\n", strings.Join(verdicts, "\nAnd "))
	if len(g.seeds) == 1 {
		b.WriteString("These numbers come from one seed, so a difference near 2 points could come from the seed alone (Seeds = \"3\" measures the spread).\n")
	} else {
		fmt.Fprintf(&b, "Means over %d seeds %v; the bands in the figure span each network's smallest to largest value.\n", len(g.seeds), g.seeds)
	}
	return b.String(), nil
}

// limitAndSmallest returns the limit level and the level of the smallest
// scale, or "" for either that is missing.
func (g sensitivityGrid) limitAndSmallest() (limit, smallest string) {
	least := math.Inf(1)
	for _, l := range g.levels {
		if l == attack.HeadLimit.String() {
			limit = l
		} else if v, err := strconv.ParseFloat(l, 64); err == nil && v < least {
			least, smallest = v, l
		}
	}
	return limit, smallest
}

// FormatSensitivity returns a line per row (seed, init, heads level,
// training, accuracies, whether the network was cached, its training time,
// its key), then the sum of the recorded training times of the distinct
// networks.
func FormatSensitivity(rows []SensitivityRow) string {
	var b strings.Builder
	var total time.Duration
	for i, r := range rows {
		if !slices.ContainsFunc(rows[:i], func(o SensitivityRow) bool { return o.Key == r.Key }) {
			total += r.TrainTime
		}
		fmt.Fprintf(&b, "seed %d %-14s %-6s %-8s clean %5.1f%%  PGD %5.1f%%  ensemble %5.1f%% (its PGD %5.1f%% on %d)  cached %-5v trained in %6.1f s  %s\n",
			r.Seed, r.Init, r.Heads, r.Training, 100*r.CleanAccuracy, 100*r.PGDAccuracy, 100*r.EnsembleAccuracy,
			100*r.EnsemblePGDAccuracy, r.EnsembleN, r.Cached, r.TrainTime.Seconds(), r.Key)
	}
	fmt.Fprintf(&b, "the distinct networks' recorded training times sum to %.0f s\n", total.Seconds())
	return b.String()
}
