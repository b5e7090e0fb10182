// Package crosscheck compares Figure 6's three trainings in Go
// (lib/adversarial) with the same trainings in PyTorch (train.py): the same
// network, initialisation (He normal, biases 0), optimiser, batches,
// training attacks (PGD-10 at ε_train, step 2.5·ε/10, random start, last
// iterate) and random heads of hard training (K = 8 fresh heads per batch,
// N(0, 2/256) weights, biases 0: the paper's eq. 2 with the output layer's
// initialisation as H), evaluated by clean accuracy and PGD-20 at ε_train
// (best iterate). The random streams differ, so the two implementations
// can only agree as the seeds of one implementation agree with each other:
// within the seeds' spread.
//
// Each side writes one CSV line per run (Header): cmd/gorows for Go,
// train.py for PyTorch. Compare summarises the runs over seeds per data
// set, training and measure, and Format prints the table. `make crosscheck`
// runs it all (README.md beside this file).
package crosscheck

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"pointwise/lib/adversarial"
)

// The implementations, as the impl column names them.
const (
	Go      = "go"
	PyTorch = "pytorch"
)

// Header is the CSV header of the runs both sides print.
var Header = []string{"impl", "dataset", "method", "seed", "epochs", "train_n", "test_n", "eps",
	"clean", "pgd20", "train_s", "eval_s", "cached", "version", "threads"}

// Run is one trained network and its evaluation: one CSV line.
type Run struct {
	// Impl is Go or PyTorch.
	Impl string
	// Dataset is "mnist" or "fashion-mnist"; Method "standard", "pgd" or
	// "hard" (adversarial.Method's names).
	Dataset, Method string
	Seed            uint64
	// Epochs, TrainN and TestN are the passes over the data and the numbers
	// of training and test images; Eps is ε_train.
	Epochs, TrainN, TestN int
	Eps                   float64
	// Clean and PGD20 are the test accuracies, clean and under PGD-20 at Eps.
	Clean, PGD20 float64
	// TrainSeconds and EvalSeconds are wall times; Cached reports a network
	// read from Go's cache (TrainSeconds is then the time its training took).
	TrainSeconds, EvalSeconds float64
	Cached                    bool
	// Version names the implementation's version ("torch 2.15.0", "go1.26.8
	// openblas") and Threads its threads.
	Version string
	Threads int
}

// Record returns the run's fields in the order of Header.
func (r Run) Record() []string {
	f := func(v float64, prec int) string { return strconv.FormatFloat(v, 'f', prec, 64) }
	return []string{r.Impl, r.Dataset, r.Method, strconv.FormatUint(r.Seed, 10), strconv.Itoa(r.Epochs),
		strconv.Itoa(r.TrainN), strconv.Itoa(r.TestN), strconv.FormatFloat(r.Eps, 'g', -1, 64),
		f(r.Clean, 4), f(r.PGD20, 4), f(r.TrainSeconds, 1), f(r.EvalSeconds, 1),
		strconv.FormatBool(r.Cached), r.Version, strconv.Itoa(r.Threads)}
}

// ReadRuns reads runs from CSV with the columns of Header, in that order.
// Header lines may repeat (files concatenated) and are skipped.
func ReadRuns(r io.Reader) ([]Run, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = len(Header)
	var runs []Run
	for line := 1; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			return runs, nil
		}
		if err != nil {
			return nil, fmt.Errorf("crosscheck: %w (need the %d columns %s)", err, len(Header), strings.Join(Header, ","))
		}
		if slices.Equal(rec, Header) {
			continue
		}
		run, err := parseRun(rec)
		if err != nil {
			return nil, fmt.Errorf("crosscheck: line %d: %w", line, err)
		}
		runs = append(runs, run)
	}
}

func parseRun(rec []string) (Run, error) {
	var errs []error
	num := func(i int) float64 {
		v, err := strconv.ParseFloat(rec[i], 64)
		if err != nil {
			errs = append(errs, fmt.Errorf("column %s: %w", Header[i], err))
		}
		return v
	}
	integer := func(i int) int {
		v, err := strconv.Atoi(rec[i])
		if err != nil {
			errs = append(errs, fmt.Errorf("column %s: %w", Header[i], err))
		}
		return v
	}
	seed, err := strconv.ParseUint(rec[3], 10, 64)
	errs = append(errs, err)
	cached, err := strconv.ParseBool(rec[12])
	errs = append(errs, err)
	r := Run{Impl: rec[0], Dataset: rec[1], Method: rec[2], Seed: seed, Epochs: integer(4), TrainN: integer(5),
		TestN: integer(6), Eps: num(7), Clean: num(8), PGD20: num(9), TrainSeconds: num(10), EvalSeconds: num(11),
		Cached: cached, Version: rec[13], Threads: integer(14)}
	if r.Impl != Go && r.Impl != PyTorch {
		errs = append(errs, fmt.Errorf("impl %q unknown: need %q or %q", r.Impl, Go, PyTorch))
	}
	return r, errors.Join(errs...)
}

// Measures are the compared accuracies, in the table's order.
var Measures = []string{"clean", "PGD-20"}

// Comparison is one line of the table: a measure of one training on one
// data set, summarised over seeds on each side.
type Comparison struct {
	Dataset, Method, Measure string
	// Go and PyTorch summarise the measure over each side's seeds.
	Go, PyTorch adversarial.Stat
	// Diff is PyTorch's mean minus Go's; Bound is the larger of the two
	// spreads (max − min over seeds).
	Diff, Bound float64
	// Verdict is "agree" when |Diff| ≤ Bound, "differ" otherwise, and
	// "n/a (1 seed)" when a side has a single seed, so no spread.
	Verdict string
}

// Compare summarises runs, both sides' lines mixed, per data set, training
// and measure, in the order data sets first appear and in
// adversarial.Methods' order. Every data set needs both sides, every
// training of it, and the same settings (epochs, training and test images,
// ε_train) in all its runs.
func Compare(runs []Run) ([]Comparison, error) {
	var sets []string
	for _, r := range runs {
		if !slices.Contains(sets, r.Dataset) {
			sets = append(sets, r.Dataset)
		}
	}
	if len(sets) == 0 {
		return nil, errors.New("crosscheck: no runs")
	}
	type id struct {
		impl, dataset, method string
		seed                  uint64
	}
	seen := map[id]bool{}
	for _, r := range runs {
		k := id{r.Impl, r.Dataset, r.Method, r.Seed}
		if seen[k] {
			return nil, fmt.Errorf("crosscheck: %s %s training seed %d of %s given twice: need one run each", r.Dataset, r.Method, r.Seed, r.Impl)
		}
		seen[k] = true
	}
	var out []Comparison
	for _, d := range sets {
		var ref *Run
		rows := map[string][]adversarial.Row{}
		for i, r := range runs {
			if r.Dataset != d {
				continue
			}
			if ref == nil {
				ref = &runs[i]
			} else if r.Epochs != ref.Epochs || r.TrainN != ref.TrainN || r.TestN != ref.TestN || r.Eps != ref.Eps {
				return nil, fmt.Errorf("crosscheck: %s runs with different settings: %s seed %d of %s has epochs %d, %d training and %d test images, ε %g; %s seed %d of %s has %d, %d, %d, %g",
					d, r.Method, r.Seed, r.Impl, r.Epochs, r.TrainN, r.TestN, r.Eps, ref.Method, ref.Seed, ref.Impl, ref.Epochs, ref.TrainN, ref.TestN, ref.Eps)
			}
			// Clean accuracy is PGD-20's at ε = 0, which leaves the inputs as they are.
			rows[r.Impl] = append(rows[r.Impl],
				adversarial.Row{Dataset: d, Training: r.Method, Attack: Measures[0], Accuracy: r.Clean, N: r.TestN, Seed: r.Seed},
				adversarial.Row{Dataset: d, Training: r.Method, Attack: Measures[1], Epsilon: r.Eps, Accuracy: r.PGD20, N: r.TestN, Seed: r.Seed})
		}
		for _, m := range adversarial.Methods {
			for _, measure := range Measures {
				eps := 0.0
				if measure == Measures[1] {
					eps = ref.Eps
				}
				c := Comparison{Dataset: d, Method: m.String(), Measure: measure}
				var err1, err2 error
				c.Go, err1 = adversarial.Summarize(rows[Go], c.Method, measure, eps, 0)
				c.PyTorch, err2 = adversarial.Summarize(rows[PyTorch], c.Method, measure, eps, 0)
				if err := errors.Join(err1, err2); err != nil {
					return nil, fmt.Errorf("crosscheck: %s: %s %s missing on a side: %w", d, c.Method, measure, err)
				}
				c.Diff = c.PyTorch.Mean - c.Go.Mean
				c.Bound = max(c.Go.Spread(), c.PyTorch.Spread())
				switch {
				case c.Go.Seeds < 2 || c.PyTorch.Seeds < 2:
					c.Verdict = "n/a (1 seed)"
				case math.Abs(c.Diff) <= c.Bound:
					c.Verdict = "agree"
				default:
					c.Verdict = "differ"
				}
				out = append(out, c)
			}
		}
	}
	return out, nil
}

// Format writes the table of cs: accuracies in percent, each side's mean
// and its range over seeds, the difference and the verdict, and under it
// the rule.
func Format(w io.Writer, cs []Comparison) error {
	cell := func(s adversarial.Stat) string {
		if s.Seeds < 2 {
			return fmt.Sprintf("%6.2f (1 seed)", 100*s.Mean)
		}
		return fmt.Sprintf("%6.2f [%.2f–%.2f]", 100*s.Mean, 100*s.Min, 100*s.Max)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%-14s %-9s %-7s %-22s %-22s %7s %6s  %s\n", "dataset", "training", "measure",
		"Go mean [min–max]", "PyTorch mean [min–max]", "Δ", "bound", "verdict")
	for _, c := range cs {
		fmt.Fprintf(&b, "%-14s %-9s %-7s %-22s %-22s %+7.2f %6.2f  %s\n", c.Dataset, c.Method, c.Measure,
			cell(c.Go), cell(c.PyTorch), 100*c.Diff, 100*c.Bound, c.Verdict)
	}
	b.WriteString("Accuracies in % on the test images; Δ = PyTorch mean − Go mean; bound = the larger of the two\n" +
		"ranges (max − min over seeds); verdict: agree when |Δ| ≤ bound.\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteCSV writes cs as CSV, one line per comparison, accuracies as
// fractions.
func WriteCSV(w io.Writer, cs []Comparison) error {
	cw := csv.NewWriter(w)
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', 4, 64) }
	_ = cw.Write([]string{"dataset", "training", "measure", "go_mean", "go_min", "go_max", "go_seeds",
		"pytorch_mean", "pytorch_min", "pytorch_max", "pytorch_seeds", "diff", "bound", "verdict"})
	for _, c := range cs {
		_ = cw.Write([]string{c.Dataset, c.Method, c.Measure, f(c.Go.Mean), f(c.Go.Min), f(c.Go.Max), strconv.Itoa(c.Go.Seeds),
			f(c.PyTorch.Mean), f(c.PyTorch.Min), f(c.PyTorch.Max), strconv.Itoa(c.PyTorch.Seeds), f(c.Diff), f(c.Bound), c.Verdict})
	}
	cw.Flush()
	return cw.Error()
}
