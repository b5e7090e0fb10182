package adversarial

import (
	"context"
	"fmt"

	"pointwise/lib/internal/runcache"
)

// formatVersion is part of every cache key: raising it when the package
// changes what it computes makes the old cache entries unreachable.
const formatVersion = 2

// Runner runs the package's computations (Config.Train and the evaluators)
// and keeps their results in its cache folder Dir; Report, if non-nil,
// returns the progress bar and log of each task given its title
// (figure.NewProgress makes one). A nil *Runner caches and reports nothing.
// Its cache policy is package runcache's: entries keyed by every setting,
// the data and the seed; an unreadable entry is reported and computed
// again; atomic writes; two processes that need the same entry at once
// compute it once.
type Runner = runcache.Runner

// Reporter receives the progress and the log lines of one task.
// *figure.Progress is one.
type Reporter = runcache.Reporter

// Interruptible returns a copy of parent that SIGINT cancels: the signal
// GoNB sends a cell's program when the notebook's stop button is pressed
// (five seconds before SIGKILL). Passed to Config.Train, a Study or an
// evaluator, it stops the computation at its next step, keeping the last
// epoch's checkpoint, which the next run resumes from. Call stop when the
// cell is done.
func Interruptible(parent context.Context) (ctx context.Context, stop context.CancelFunc) {
	return runcache.Interruptible(parent)
}

// run runs compute as a cached task of r: its key is named name and holds
// the package's format version, the seed, the settings and the data (the
// fingerprints of data sets and the keys of the models used).
func run[T any](ctx context.Context, r *Runner, title, name string, seed uint64, settings any, data []string,
	check func(T) error, compute func(ctx context.Context, rep Reporter) (T, error)) (T, bool, error) {
	return runcache.Task[T]{Title: title, Check: check, Compute: compute,
		Key: runcache.Key{Name: name, Version: formatVersion, Seed: seed, Settings: settings, Data: data}}.Run(ctx, r)
}

// needModel returns an error unless m is a trained model (with a network
// and a key, as Config.Train returns) whose inputs fit the test data; what
// names m in the error.
func needModel(m *Model, what string, test Data) error {
	if m == nil || m.Net == nil || m.Key == "" {
		return fmt.Errorf("adversarial: %s without a network or a key: need one from Config.Train", what)
	}
	if err := test.check("test"); err != nil {
		return err
	}
	if test.Split.Dim() != m.Net.In() {
		return fmt.Errorf("adversarial: test images of %d pixels for %s, which has %d inputs", test.Split.Dim(), what, m.Net.In())
	}
	return nil
}

// EvalBatch is the number of test images every evaluation attacks
// together. It fixes which random start each image gets.
const EvalBatch = 500

// batches calls f on the test images [s, s+k) of the first n, in batches of
// at most EvalBatch, and then done with the batch's number and the number
// of batches; it stops when ctx is done, with an error saying what stopped.
func batches(ctx context.Context, test Data, n int, what string, f func(s int, x []float32, y []int) error, done func(i, total int)) error {
	d, bs := test.Split.Dim(), min(EvalBatch, n)
	total := (n + bs - 1) / bs
	for i, s := 0, 0; s < n; i, s = i+1, s+bs {
		if ctx.Err() != nil {
			return fmt.Errorf("adversarial: %s stopped: %w", what, context.Cause(ctx))
		}
		k := min(bs, n-s)
		if err := f(s, test.Split.X[s*d:(s+k)*d], test.Split.Y[s:s+k]); err != nil {
			return fmt.Errorf("adversarial: %s on test images %d to %d: %w", what, s, s+k-1, err)
		}
		done(i+1, total)
	}
	return nil
}
