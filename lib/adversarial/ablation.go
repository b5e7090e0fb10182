package adversarial

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"pointwise/lib/attack"
)

// Level is one value of a Factor: its label and how it changes a
// configuration.
type Level struct {
	// Value labels the level in rows and plots, such as "8" or "fixed".
	Value string
	// Apply sets the level on a copy of the base configuration.
	Apply func(*Config)
}

// Factor is a setting varied by an ablation, with its levels in order.
type Factor struct {
	Name   string
	Levels []Level
}

// HeadsFactor varies K, the number of random heads of Hard training.
func HeadsFactor(ks ...int) Factor {
	f := Factor{Name: "K"}
	for _, k := range ks {
		f.Levels = append(f.Levels, Level{strconv.Itoa(k), func(c *Config) { c.Heads.K = k }})
	}
	return f
}

// HeadScaleFactor varies HeadSettings.Scale, the factor on the heads'
// initialisation scale.
func HeadScaleFactor(scales ...float64) Factor {
	f := Factor{Name: "head scale"}
	for _, s := range scales {
		f.Levels = append(f.Levels, Level{strconv.FormatFloat(s, 'g', -1, 64), func(c *Config) { c.Heads.Scale = s }})
	}
	return f
}

// HeadLossFactor compares the heads' cross-entropy to the true label ("ce")
// with the squared distance to their clean outputs ("squared").
func HeadLossFactor() Factor {
	return Factor{Name: "loss", Levels: []Level{
		{attack.HeadCrossEntropy.String(), func(c *Config) { c.Heads.Loss = attack.HeadCrossEntropy }},
		{attack.HeadSquared.String(), func(c *Config) { c.Heads.Loss = attack.HeadSquared }},
	}}
}

// HeadDrawFactor compares fresh heads for every batch ("fresh") with heads
// drawn once for the whole run ("fixed").
func HeadDrawFactor() Factor {
	return Factor{Name: "heads", Levels: []Level{
		{"fresh", func(c *Config) { c.Heads.Fixed = false }},
		{"fixed", func(c *Config) { c.Heads.Fixed = true }},
	}}
}

// Variant is one configuration of a one-factor-at-a-time study.
type Variant struct {
	// Factor and Value name the factor varied and its level.
	Factor, Value string
	// Config is the resolved configuration.
	Config Config
	// Base reports that Config equals the study's base configuration.
	Base bool
}

// OneAtATime returns the variants of a one-factor-at-a-time study around
// base: for each factor in order, one variant per level, each the base with
// only that factor set. A level equal to the base (after Resolve) is marked
// Base; all of them are the same network. It returns an error if a
// configuration does not resolve, or a factor has no levels.
func OneAtATime(base Config, factors ...Factor) ([]Variant, error) {
	rb, err := base.Resolve()
	if err != nil {
		return nil, err
	}
	var out []Variant
	for _, f := range factors {
		if len(f.Levels) == 0 {
			return nil, fmt.Errorf("adversarial: factor %q without levels: need at least one", f.Name)
		}
		for _, l := range f.Levels {
			c := base
			c.Hidden = slices.Clone(base.Hidden) // nil stays nil
			l.Apply(&c)
			r, err := c.Resolve()
			if err != nil {
				return nil, fmt.Errorf("adversarial: factor %s = %s: %w", f.Name, l.Value, err)
			}
			out = append(out, Variant{Factor: f.Name, Value: l.Value, Config: r, Base: reflect.DeepEqual(r, rb)})
		}
	}
	return out, nil
}

// AblationColumns are the CSV columns of an AblationRow, in the order of
// AblationRow.Values.
var AblationColumns = []string{"factor", "value", "clean_accuracy", "robust_accuracy", "n", "seed"}

// AblationRow is the result of one variant: clean accuracy and robust
// accuracy under L∞ PGD at the training radius on N test images, a clean
// error counting as not robust.
type AblationRow struct {
	Factor, Value  string
	CleanAccuracy  float64
	RobustAccuracy float64
	N              int
	Seed           uint64
	// Base reports the base configuration, shared by every factor.
	Base bool
	// Key is the network's cache key; Cached reports that it was loaded,
	// and TrainTime is its training wall time (as recorded when trained).
	Key       string
	Cached    bool
	TrainTime time.Duration
}

// Values returns the row's fields in the order of AblationColumns, for
// figure.Table.Append.
func (r AblationRow) Values() []any {
	return []any{r.Factor, r.Value, r.CleanAccuracy, r.RobustAccuracy, r.N, strconv.FormatUint(r.Seed, 10)} // figure.Table takes no uint64
}

// Ablation trains and evaluates the variants of a one-factor-at-a-time
// study (OneAtATime) of Hard (or PGD) training, for every seed: each
// distinct network is trained once (the base configuration once for all
// factors), and evaluated by L∞ PGD at ε = 0 (clean) and ε = Base.Epsilon
// (Evaluator's attack, seeded with the network's seed).
type Ablation struct {
	// Base is the configuration every factor varies around; it needs an
	// Epsilon (the attack radius of the evaluation too).
	Base Config
	// Factors are varied one at a time.
	Factors []Factor
	// Seeds are the training seeds: each gives the whole study around Base
	// with that seed. Nil means {Base.Seed}.
	Seeds []uint64
	// Steps is the number of PGD steps of the evaluation; 0 means
	// DefaultEvalSteps (20).
	Steps int
}

// Run returns one row per variant and seed, seed after seed, in the order of
// OneAtATime, training, evaluating and caching through r. It stops when ctx
// is done.
func (a *Ablation) Run(ctx context.Context, r *Runner, train, test Data) ([]AblationRow, error) {
	seeds := a.Seeds
	if seeds == nil {
		seeds = []uint64{a.Base.Seed}
	}
	steps, err := stepsOf(a.Steps, "evaluation")
	if err != nil {
		return nil, err
	}
	fp := train.fingerprint()
	var rows []AblationRow
	for _, seed := range seeds {
		base := a.Base
		base.Seed = seed
		vs, err := OneAtATime(base, a.Factors...)
		if err != nil {
			return nil, err
		}
		if len(vs) == 0 {
			return nil, errors.New("adversarial: ablation without factors: need at least one")
		}
		eps := vs[0].Config.Epsilon
		if eps == 0 {
			return nil, fmt.Errorf("adversarial: ablation of %v training without an epsilon: need Base.Epsilon > 0", a.Base.Method)
		}
		ev := Evaluator{Epsilons: []float64{0, eps}, Steps: steps}
		done := map[string]AblationRow{} // by cache key
		for _, v := range vs {
			k, err := modelKey(v.Config, train.Name, fp)
			if err != nil {
				return nil, err
			}
			row, ok := done[k]
			if !ok {
				m, err := v.Config.Train(ctx, r, train)
				if err != nil {
					return nil, fmt.Errorf("adversarial: %s = %s: %w", v.Factor, v.Value, err)
				}
				res, err := ev.Evaluate(ctx, r, m, test)
				if err != nil {
					return nil, fmt.Errorf("adversarial: %s = %s: %w", v.Factor, v.Value, err)
				}
				clean, ok1 := find(res, m.Config.Method.String(), AttackPGD(steps), 0)
				robust, ok2 := find(res, m.Config.Method.String(), AttackPGD(steps), eps)
				if !ok1 || !ok2 {
					return nil, fmt.Errorf("adversarial: %s = %s: evaluation without the PGD rows at ε = 0 and %g", v.Factor, v.Value, eps)
				}
				row = AblationRow{CleanAccuracy: clean, RobustAccuracy: robust, N: test.Split.N, Seed: seed,
					Key: m.Key, Cached: m.Cached, TrainTime: m.TrainTime}
				done[k] = row
			}
			row.Factor, row.Value, row.Base = v.Factor, v.Value, v.Base
			rows = append(rows, row)
		}
	}
	return rows, nil
}

// ReadAblationCSV reads rows from a CSV file with the header AblationColumns
// (in any order; other columns are ignored), such as ext3.csv. The fields
// that are not columns (Base, Key, Cached, TrainTime) are left zero.
func ReadAblationCSV(path string) ([]AblationRow, error) {
	recs, col, err := readTable(path, AblationColumns)
	if err != nil {
		return nil, err
	}
	rows := make([]AblationRow, 0, len(recs)-1)
	for line, rec := range recs[1:] {
		var v [4]float64
		for i, c := range []string{"clean_accuracy", "robust_accuracy", "n", "seed"} {
			if v[i], err = strconv.ParseFloat(rec[col[c]], 64); err != nil {
				return nil, fmt.Errorf("adversarial: %s line %d column %s: %w", path, line+2, c, err)
			}
		}
		rows = append(rows, AblationRow{Factor: rec[col["factor"]], Value: rec[col["value"]],
			CleanAccuracy: v[0], RobustAccuracy: v[1], N: int(v[2]), Seed: uint64(v[3])})
	}
	return rows, nil
}

// AblationLevel is one level of one factor, summarised over seeds.
type AblationLevel struct {
	Factor, Value string
	// Base reports the base configuration (false for rows read from CSV).
	Base bool
	// Clean and Robust summarise the accuracies over the seeds.
	Clean, Robust Stat
}

// SummarizeAblation groups rows by factor and level, in the order they
// first appear (Ablation.Run's order), and summarises the clean and robust
// accuracy over the seeds of each. It returns an error if a level holds two
// rows of one seed, which would count that seed twice.
func SummarizeAblation(rows []AblationRow) ([]AblationLevel, error) {
	var out []AblationLevel
	at := map[[2]string]int{}
	seen := map[[2]string][]uint64{}
	for _, r := range rows {
		k := [2]string{r.Factor, r.Value}
		i, ok := at[k]
		if !ok {
			i = len(out)
			at[k] = i
			inf := math.Inf(1)
			out = append(out, AblationLevel{Factor: r.Factor, Value: r.Value,
				Clean: Stat{Min: inf, Max: -inf}, Robust: Stat{Min: inf, Max: -inf}})
		}
		if slices.Contains(seen[k], r.Seed) {
			return nil, fmt.Errorf("adversarial: ablation rows hold %s = %s twice for seed %d: need one row per seed", r.Factor, r.Value, r.Seed)
		}
		seen[k] = append(seen[k], r.Seed)
		l := &out[i]
		l.Base = l.Base || r.Base
		for _, s := range []struct {
			st *Stat
			v  float64
		}{{&l.Clean, r.CleanAccuracy}, {&l.Robust, r.RobustAccuracy}} {
			s.st.Mean += s.v
			s.st.Min, s.st.Max = min(s.st.Min, s.v), max(s.st.Max, s.v)
			s.st.Seeds++
		}
	}
	for i := range out {
		out[i].Clean.Mean /= float64(out[i].Clean.Seeds)
		out[i].Robust.Mean /= float64(out[i].Robust.Seeds)
	}
	return out, nil
}

// FormatAblation returns a line per row (seed, factor, level, accuracies,
// whether the network was cached, its training time, its key), then the
// sum of the recorded training times of the distinct networks.
func FormatAblation(rows []AblationRow) string {
	var b strings.Builder
	var total time.Duration
	for i, r := range rows {
		if !slices.ContainsFunc(rows[:i], func(o AblationRow) bool { return o.Key == r.Key }) {
			total += r.TrainTime
		}
		fmt.Fprintf(&b, "seed %d %-10s = %-7s clean %5.1f%%  robust %5.1f%%  cached %-5v trained in %6.1f s  %s\n",
			r.Seed, r.Factor, r.Value, 100*r.CleanAccuracy, 100*r.RobustAccuracy, r.Cached, r.TrainTime.Seconds(), r.Key)
	}
	fmt.Fprintf(&b, "the distinct networks' recorded training times sum to %.0f s\n", total.Seconds())
	return b.String()
}

// mattersRange is the smallest range, over a factor's levels, of the mean
// robust accuracy for which the factor is said to matter (when it is also
// larger than the seeds' spread): our choice.
const mattersRange = 0.02

// factorSummary is a factor of an ablation summarised over its levels.
type factorSummary struct {
	Factor string
	// Levels are the factor's levels, in order, summarised over seeds;
	// Base is the index of the base configuration's level (-1 if none).
	Levels []AblationLevel
	Base   int
	// Robust and Clean are the mean accuracies of the levels; Spread is
	// the largest seed-to-seed spread (max − min) of a level's robust
	// accuracy (0 with one seed).
	Robust, Clean []float64
	Spread        float64
	// Best is the level with the largest mean robust accuracy (the first
	// of equals).
	Best string
}

// Range returns the range (max − min) of the mean robust accuracies.
func (f factorSummary) Range() float64 { return slices.Max(f.Robust) - slices.Min(f.Robust) }

// CleanRange returns the range (max − min) of the mean clean accuracies.
func (f factorSummary) CleanRange() float64 { return slices.Max(f.Clean) - slices.Min(f.Clean) }

// Matters reports whether the factor changes the mean robust accuracy by
// at least mattersRange and by more than the seeds' spread.
func (f factorSummary) Matters() bool { return f.Range() >= mattersRange && f.Range() > f.Spread }

// summarizeFactors summarises the rows of an ablation factor by factor, in
// the order of factors, marking each factor's base level as OneAtATime
// finds it around base.
func summarizeFactors(rows []AblationRow, base Config, factors []Factor) ([]factorSummary, error) {
	levels, err := SummarizeAblation(rows)
	if err != nil {
		return nil, err
	}
	vs, err := OneAtATime(base, factors...)
	if err != nil {
		return nil, err
	}
	var out []factorSummary
	for _, f := range factors {
		s := factorSummary{Factor: f.Name, Base: -1}
		for _, l := range levels {
			if l.Factor == f.Name {
				s.Levels = append(s.Levels, l)
				s.Robust, s.Clean = append(s.Robust, l.Robust.Mean), append(s.Clean, l.Clean.Mean)
				s.Spread = max(s.Spread, l.Robust.Spread())
			}
		}
		if len(s.Levels) == 0 {
			return nil, fmt.Errorf("adversarial: no ablation rows of factor %q", f.Name)
		}
		for _, v := range vs {
			if v.Factor == f.Name && v.Base {
				s.Base = slices.IndexFunc(s.Levels, func(l AblationLevel) bool { return l.Value == v.Value })
			}
		}
		s.Best = s.Levels[slices.Index(s.Robust, slices.Max(s.Robust))].Value
		out = append(out, s)
	}
	return out, nil
}

// AnswerAblation records in c the sanity checks of an ablation's rows (no
// robust accuracy above its clean accuracy; the base, one network, has the
// same numbers in every factor) and returns the answer in words: for each
// factor its levels' mean accuracies, and which factors matter (see
// factorSummary.Matters: a range of the mean robust accuracy over the
// levels of at least 2 points and more than the seeds' spread) under
// PGD-<steps> at the base's ε.
func AnswerAblation(c Checks, rows []AblationRow, base Config, factors []Factor, steps int) (string, error) {
	above := 0
	for _, r := range rows {
		if r.RobustAccuracy > r.CleanAccuracy {
			above++
		}
	}
	c.Add("robust accuracy at most clean accuracy", above == 0, "%d of %d rows above", above, len(rows))
	sums, err := summarizeFactors(rows, base, factors)
	if err != nil {
		return "", err
	}
	results := map[[3]float64]bool{} // (seed, clean, robust) of the base rows
	for _, s := range sums {
		for _, r := range rows {
			if s.Base >= 0 && r.Factor == s.Factor && r.Value == s.Levels[s.Base].Value {
				results[[3]float64{float64(r.Seed), r.CleanAccuracy, r.RobustAccuracy}] = true
			}
		}
	}
	seeds := distinctSeeds(rows, func(r AblationRow) uint64 { return r.Seed })
	c.Add("the base is one network in every factor", len(results) == len(seeds), "%d distinct base results over %d factors and %d seeds", len(results), len(factors), len(seeds))
	var b strings.Builder
	var matter, not []string
	for _, s := range sums {
		var values []string
		for _, l := range s.Levels {
			values = append(values, l.Value)
		}
		baseValue, baseRobust := "none", Stat{}
		if s.Base >= 0 {
			baseValue, baseRobust = s.Levels[s.Base].Value, s.Levels[s.Base].Robust
		}
		fmt.Fprintf(&b, "%-10s levels %v: robust %s; clean %s. Robust range %.1f points (best %s, base %s; largest seed spread %.1f points); clean range %.1f points.\n",
			s.Factor, values, percents(s.Robust), percents(s.Clean), 100*s.Range(), s.Best, baseValue, 100*s.Spread, 100*s.CleanRange())
		if s.Matters() {
			matter = append(matter, fmt.Sprintf("%s (mean robust accuracy from %.1f%% to %.1f%%, best %s = %s, base %s = %s at %s)",
				s.Factor, 100*slices.Min(s.Robust), 100*slices.Max(s.Robust), s.Factor, s.Best, s.Factor, baseValue, baseRobust))
		} else {
			not = append(not, fmt.Sprintf("%s (%.1f points, seed spread %.1f)", s.Factor, 100*s.Range(), 100*s.Spread))
		}
	}
	fmt.Fprintf(&b, "\nAnswer: under %s at eps = %g, the factors that change robust accuracy by at least %g points, and by more than the seeds' spread, are: %s.\nThose that do not are: %s.\n",
		AttackPGD(steps), base.Epsilon, 100*mattersRange, list(matter), list(not))
	if len(seeds) == 1 {
		b.WriteString("These numbers come from one seed, so a difference near 2 points could come from the seed alone (POINTWISE_SEEDS=3 measures the spread).\n")
	} else {
		fmt.Fprintf(&b, "Means over %d seeds %v; the bands in the figure span each level's smallest to largest value.\n", len(seeds), seeds)
	}
	return b.String(), nil
}

// percents formats accuracies as "91.2%, 90.8%".
func percents(v []float64) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = fmt.Sprintf("%.1f%%", 100*x)
	}
	return strings.Join(s, ", ")
}

// list joins items with "; ", or says "none".
func list(items []string) string {
	if len(items) == 0 {
		return "none"
	}
	return strings.Join(items, "; ")
}
