package adversarial

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
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
		f.Levels = append(f.Levels, Level{strconv.Itoa(k), func(c *Config) { c.Heads = k }})
	}
	return f
}

// HeadScaleFactor varies Config.HeadScale, the factor on the heads'
// initialisation scale.
func HeadScaleFactor(scales ...float64) Factor {
	f := Factor{Name: "head scale"}
	for _, s := range scales {
		f.Levels = append(f.Levels, Level{strconv.FormatFloat(s, 'g', -1, 64), func(c *Config) { c.HeadScale = s }})
	}
	return f
}

// HeadLossFactor compares the heads' cross-entropy to the true label ("ce")
// with the squared distance to their clean outputs ("squared").
func HeadLossFactor() Factor {
	return Factor{Name: "loss", Levels: []Level{
		{attack.HeadCrossEntropy.String(), func(c *Config) { c.HeadLoss = attack.HeadCrossEntropy }},
		{attack.HeadSquared.String(), func(c *Config) { c.HeadLoss = attack.HeadSquared }},
	}}
}

// HeadDrawFactor compares fresh heads for every batch ("fresh") with heads
// drawn once for the whole run ("fixed").
func HeadDrawFactor() Factor {
	return Factor{Name: "heads", Levels: []Level{
		{"fresh", func(c *Config) { c.FixedHeads = false }},
		{"fixed", func(c *Config) { c.FixedHeads = true }},
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
// study (OneAtATime) of Hard (or PGD) training: each distinct network is
// trained once (the base configuration once for all factors) through
// Trainer, so a cached network is loaded, and evaluated by Evaluator at
// ε = 0 (clean) and ε = Base.Epsilon.
type Ablation struct {
	// Base is the configuration every factor varies around; it needs an
	// Epsilon (the attack radius of the evaluation too).
	Base Config
	// Factors are varied one at a time.
	Factors []Factor
	// Trainer trains or loads the networks; nil means the zero Trainer.
	Trainer *Trainer
	// Evaluator attacks them (its Epsilons are replaced by 0 and
	// Base.Epsilon; its PGD row at Base.Epsilon is the robust accuracy);
	// nil means the zero Evaluator (PGD-20).
	Evaluator *Evaluator
}

// Run returns one row per variant, in the order of OneAtATime. It stops when
// ctx is done.
func (a *Ablation) Run(ctx context.Context, train, test Data) ([]AblationRow, error) {
	vs, err := OneAtATime(a.Base, a.Factors...)
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
	tr := a.Trainer
	if tr == nil {
		tr = &Trainer{}
	}
	ev := Evaluator{}
	if a.Evaluator != nil {
		ev = *a.Evaluator
	}
	ev.Epsilons = []float64{0, eps}
	steps := ev.Steps
	if steps == 0 {
		steps = DefaultEvalSteps
	}
	done := map[string]AblationRow{} // by cache key
	var rows []AblationRow
	for _, v := range vs {
		k, err := Key(v.Config, train)
		if err != nil {
			return nil, err
		}
		row, ok := done[k]
		if !ok {
			m, err := tr.Train(ctx, v.Config, train)
			if err != nil {
				return nil, fmt.Errorf("adversarial: %s = %s: %w", v.Factor, v.Value, err)
			}
			res, err := ev.Evaluate(ctx, m, test)
			if err != nil {
				return nil, fmt.Errorf("adversarial: %s = %s: %w", v.Factor, v.Value, err)
			}
			clean, ok1 := Find(res, m.Config.Method.String(), AttackPGD(steps), 0)
			robust, ok2 := Find(res, m.Config.Method.String(), AttackPGD(steps), eps)
			if !ok1 || !ok2 {
				return nil, fmt.Errorf("adversarial: %s = %s: evaluation without the PGD rows at ε = 0 and %g", v.Factor, v.Value, eps)
			}
			row = AblationRow{CleanAccuracy: clean, RobustAccuracy: robust, N: test.Split.N, Seed: v.Config.Seed,
				Key: m.Key, Cached: m.Cached, TrainTime: m.TrainTime}
			done[k] = row
		}
		row.Factor, row.Value, row.Base = v.Factor, v.Value, v.Base
		rows = append(rows, row)
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
