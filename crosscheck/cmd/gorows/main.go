// Command gorows prints the Go side of the cross-check: for each data set,
// seed and training of Figure 6, the clean test accuracy and the accuracy
// under PGD-20 at ε_train, one CSV line each (crosscheck.Header). The
// networks are Figure 6's, trained or read through lib/adversarial's cache
// with the fig6 notebook's settings, so that networks that `make figures
// NOTEBOOKS='fig6*' PARAMS='Seeds=3'` trained are read, not trained again
// (and networks trained here are the notebook's). The evaluation is the
// notebook's PGD-20 (adversarial.Evaluator) on the grid {0, ε_train}: its
// random stream restarts at every ε, so the number at ε_train is the
// notebook's, and PGD at ε = 0 leaves the inputs as they are, so the first
// is the clean accuracy.
//
// Usage:
//
//	go run ./crosscheck/cmd/gorows [-quick] [-dataset mnist,fashion-mnist] [-seeds 1,2,3] [-cache out/cache] [-header]
//	go run ./crosscheck/cmd/gorows -datadir mnist   # print the folder of a data set's IDX files
package main

import (
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"pointwise/crosscheck"
	"pointwise/lib/adversarial"
	"pointwise/lib/dataset"
)

// epsTrain is ε_train per data set, as in fig6's parameters cell.
var epsTrain = map[string]float64{"mnist": 0.1, "fashion-mnist": 0.05}

func main() {
	datasets := flag.String("dataset", "mnist,fashion-mnist", "data sets, comma-separated: mnist, fashion-mnist")
	seeds := flag.String("seeds", "1,2,3", "training seeds, comma- or space-separated")
	epochs := flag.Int("epochs", adversarial.DefaultEpochs, "passes over the training images")
	trainN := flag.Int("train-n", 0, "first training images (0: all)")
	testN := flag.Int("test-n", 0, "first test images (0: all)")
	quick := flag.Bool("quick", false, "smoke test: 1 epoch, 6000 training and 1000 test images (as train.py -quick)")
	cache := flag.String("cache", "", "cache folder (default out/cache, fig6's; with -quick out/quick/cache)")
	header := flag.Bool("header", false, "print the CSV header first")
	datadir := flag.String("datadir", "", "print the folder of this data set's files (mnist or fashion-mnist) and exit")
	flag.Parse()
	if *datadir != "" {
		dir, err := dataDir(*datadir)
		if err != nil {
			fail(err)
		}
		fmt.Println(dir)
		return
	}
	if *quick {
		*epochs, *trainN, *testN = 1, 6000, 1000
	}
	if *cache == "" {
		*cache = "out/cache"
		if *quick {
			*cache = "out/quick/cache"
		}
	}
	seedList, err := parseSeeds(*seeds)
	if err != nil {
		fail(err)
	}
	ctx, stop := adversarial.Interruptible(context.Background())
	defer stop()
	w := csv.NewWriter(os.Stdout)
	if *header {
		_ = w.Write(crosscheck.Header)
		w.Flush()
	}
	runner := &adversarial.Runner{Dir: *cache, Report: func(title string) adversarial.Reporter { return logger(title) }}
	for _, name := range strings.Split(*datasets, ",") {
		name = strings.TrimSpace(name)
		eps, ok := epsTrain[name]
		if !ok {
			fail(fmt.Errorf("gorows: data set %q unknown: need mnist or fashion-mnist", name))
		}
		train, test, _, err := adversarial.Load(name, *trainN, *testN)
		if err != nil {
			fail(err)
		}
		for _, seed := range seedList {
			for _, m := range adversarial.Methods {
				cfg := adversarial.Config{Method: m, Seed: seed, Epsilon: eps, Steps: adversarial.DefaultSteps,
					Heads: adversarial.HeadSettings{K: adversarial.DefaultHeads}, Epochs: *epochs}
				model, err := cfg.Train(ctx, runner, train)
				if err != nil {
					fail(err)
				}
				began := time.Now()
				ev := adversarial.Evaluator{Epsilons: []float64{0, eps}, Steps: adversarial.DefaultEvalSteps}
				rows, err := ev.Evaluate(ctx, runner, model, test)
				if err != nil {
					fail(err)
				}
				pgd := adversarial.AttackPGD(adversarial.DefaultEvalSteps)
				run := crosscheck.Run{Impl: crosscheck.Go, Dataset: name, Method: m.String(), Seed: seed,
					Epochs: *epochs, TrainN: train.Split.N, TestN: test.Split.N, Eps: eps,
					Clean: accuracy(rows, pgd, 0), PGD20: accuracy(rows, pgd, eps),
					TrainSeconds: model.TrainTime.Seconds(), EvalSeconds: time.Since(began).Seconds(),
					Cached: model.Cached, Version: version(), Threads: runtime.GOMAXPROCS(0)}
				_ = w.Write(run.Record())
				w.Flush()
				if err := w.Error(); err != nil {
					fail(err)
				}
			}
		}
	}
}

// accuracy returns the accuracy of the row of attack at ε; Evaluate
// returns one per attack and ε of its grid.
func accuracy(rows []adversarial.Row, attack string, eps float64) float64 {
	for _, r := range rows {
		if r.Attack == attack && r.Epsilon == eps {
			return r.Accuracy
		}
	}
	fail(fmt.Errorf("gorows: no %s row at ε = %g among the evaluation's %d", attack, eps, len(rows)))
	return 0
}

func parseSeeds(s string) ([]uint64, error) {
	var out []uint64
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		v, err := strconv.ParseUint(f, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("gorows: seed %q is not a non-negative integer: need a list such as 1,2,3", f)
		}
		out = append(out, v)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("gorows: no seeds in %q: need a list such as 1,2,3", s)
	}
	return out, nil
}

func dataDir(name string) (string, error) {
	switch name {
	case "mnist":
		return dataset.MNISTDir()
	case "fashion-mnist":
		return dataset.FashionMNISTDir()
	}
	return "", fmt.Errorf("gorows: data set %q unknown: need mnist or fashion-mnist", name)
}

// version names the Go toolchain and the BLAS of this build: "go1.26.8
// openblas" when built with -tags openblas, "go1.26.8 gonum" otherwise.
func version() string {
	blas := "gonum"
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "-tags" && strings.Contains(","+s.Value+",", ",openblas,") {
				blas = "openblas"
			}
		}
	}
	return runtime.Version() + " " + blas
}

// logger is a Reporter that writes each task's log lines to stderr.
type logger string

func (l logger) Update(int, int, string) {}
func (l logger) Log(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s: %s\n", string(l), fmt.Sprintf(format, args...))
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}
