package mlp

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
)

// Progress reports a training loop's position to a callback, for example to
// draw a progress bar.
type Progress struct {
	// Epoch counts from 1 to Epochs; Step counts the epoch's minibatches from
	// 1 to Steps.
	Epoch, Epochs, Step, Steps int
	// Loss and Accuracy are the means over the epoch's samples so far.
	Loss, Accuracy float64
}

// EpochStats are one epoch's training metrics: the mean loss and the
// accuracy over its samples, measured on the inputs the step trained on
// (perturbed, if Perturb is set) before each update.
type EpochStats struct {
	Epoch          int
	Loss, Accuracy float64
}

// Perturber replaces a batch's inputs before a training step: adversarial
// training crafts them against the current network.
type Perturber[T Float] interface {
	// Perturb writes the inputs to train on into dst (same shape as x, rows of
	// the input width) given the clean inputs x and their labels. It must not
	// modify x.
	Perturb(dst, x []T, labels []int) error
}

// PerturbFunc adapts a function to a Perturber.
type PerturbFunc[T Float] func(dst, x []T, labels []int) error

// Perturb implements Perturber.
func (f PerturbFunc[T]) Perturb(dst, x []T, labels []int) error { return f(dst, x, labels) }

var _ Perturber[float32] = PerturbFunc[float32](nil)

// Trainer trains a classifier with softmax cross-entropy (see CrossEntropy)
// over shuffled minibatches. The zero value trains one epoch with Adam's
// defaults, batches of 128 and seed 0.
type Trainer[T Float] struct {
	// Optimizer updates the parameters. If it is nil, it is a new &Adam[T]{}.
	// Its state carries over between calls to Train.
	Optimizer Optimizer[T]
	// BatchSize is the minibatch size. If it is 0, it is 128. The last batch
	// of an epoch may be smaller.
	BatchSize int
	// Epochs is the number of passes over the data. If it is 0, it is 1.
	Epochs int
	// Seed seeds the shuffling: each epoch visits the samples in a permutation
	// drawn from rand.New(rand.NewPCG(Seed, Seed)).
	Seed uint64
	// Perturb, if non-nil, replaces each batch's inputs before the step.
	Perturb Perturber[T]
	// Progress, if non-nil, is called after every step.
	Progress func(Progress)
	// Start is the number of epochs already done, for resuming a run from a
	// checkpoint: Train replays the first Start epochs' shuffles (without
	// training) and runs epochs Start+1 to Epochs. With the network and the
	// optimiser state of the end of epoch Start (see Checkpoint) and a
	// Perturber in the state it had then, the run ends with the same
	// parameters as an uninterrupted one. If Start is 0, training starts at
	// epoch 1; it must be in [0, Epochs).
	Start int
	// OnEpoch, if non-nil, is called at the end of every epoch with its
	// metrics, after the parameters were checked to be finite: the place to
	// write a checkpoint. A non-nil error stops training and is returned.
	OnEpoch func(EpochStats) error
	// Context, if non-nil, is checked before every step: once it is done,
	// Train stops and returns its error (wrapped, with the epoch and batch).
	// If it is nil, training cannot be interrupted.
	Context context.Context
}

// Train runs the training loop on net with inputs x (n rows of net.In()) and
// labels (n classes in [0, net.Out())), and returns the metrics of each epoch
// it ran (Start+1 to Epochs). It stops with an error naming the epoch and
// batch if the loss is not finite, and naming the epoch if a parameter is
// not finite at its end.
func (tr *Trainer[T]) Train(net *Network[T], x []T, labels []int) ([]EpochStats, error) {
	bs, epochs := tr.BatchSize, tr.Epochs
	if bs == 0 {
		bs = 128
	}
	if epochs == 0 {
		epochs = 1
	}
	if bs < 0 {
		return nil, fmt.Errorf("mlp: batch size %d out of range: need ≥ 1 (0 means 128)", bs)
	}
	if epochs < 0 {
		return nil, fmt.Errorf("mlp: epochs %d out of range: need ≥ 1 (0 means 1)", epochs)
	}
	if tr.Start < 0 || tr.Start >= epochs {
		return nil, fmt.Errorf("mlp: start epoch %d out of range: need 0 ≤ Start < Epochs = %d", tr.Start, epochs)
	}
	in, classes := net.In(), net.Out()
	n := len(labels)
	if n == 0 || len(x) != n*in {
		return nil, fmt.Errorf("mlp: input length %d does not match %d labels × input width %d (need ≥ 1 sample)", len(x), n, in)
	}
	for i, y := range labels {
		if y < 0 || y >= classes {
			return nil, fmt.Errorf("mlp: label %d of sample %d out of range: need 0 to %d", y, i, classes-1)
		}
	}
	if err := checkFinite("x", x); err != nil {
		return nil, err
	}
	if tr.Optimizer == nil {
		tr.Optimizer = &Adam[T]{}
	}
	bs = min(bs, n)
	tp, err := net.NewTape(bs)
	if err != nil {
		return nil, err
	}
	var (
		rnd   = rand.New(rand.NewPCG(tr.Seed, tr.Seed))
		perm  = make([]int, n)
		xb    = make([]T, bs*in)
		xp    []T
		yb    = make([]int, bs)
		grad  = make([]T, net.NumParams())
		dy    = make([]T, bs*classes)
		stats = make([]EpochStats, 0, epochs)
		steps = (n + bs - 1) / bs
	)
	if tr.Perturb != nil {
		xp = make([]T, bs*in)
	}
	for i := range perm {
		perm[i] = i
	}
	shuffle := func() { rnd.Shuffle(n, func(i, j int) { perm[i], perm[j] = perm[j], perm[i] }) }
	for range tr.Start {
		shuffle() // the permutations carry over: replay those of the epochs done
	}
	for e := tr.Start + 1; e <= epochs; e++ {
		shuffle()
		var lossSum float64
		var correct, seen int
		for s := range steps {
			if tr.Context != nil {
				if err := tr.Context.Err(); err != nil {
					return stats, fmt.Errorf("mlp: stopped before epoch %d batch %d: %w", e, s+1, err)
				}
			}
			idx := perm[s*bs : min((s+1)*bs, n)]
			m := len(idx)
			for r, i := range idx {
				copy(xb[r*in:(r+1)*in], x[i*in:(i+1)*in])
				yb[r] = labels[i]
			}
			xs, ys := xb[:m*in], yb[:m]
			if tr.Perturb != nil {
				if err := tr.Perturb.Perturb(xp[:m*in], xs, ys); err != nil {
					return stats, fmt.Errorf("mlp: perturbing epoch %d batch %d: %w", e, s+1, err)
				}
				xs = xp[:m*in]
			}
			z, err := tp.Forward(xs)
			if err != nil {
				return stats, fmt.Errorf("mlp: epoch %d batch %d: %w", e, s+1, err)
			}
			loss, _, err := CrossEntropy(dy[:m*classes], z, ys)
			if err != nil {
				return stats, err
			}
			if math.IsNaN(loss) || math.IsInf(loss, 0) {
				return stats, fmt.Errorf("mlp: loss %v at epoch %d batch %d: lower the learning rate or check the inputs", loss, e, s+1)
			}
			correct += Correct(z, ys)
			if _, err := tp.Backward(grad, nil, dy[:m*classes]); err != nil {
				return stats, err
			}
			if err := tr.Optimizer.Step(net.params, grad); err != nil {
				return stats, err
			}
			lossSum += loss * float64(m)
			seen += m
			if tr.Progress != nil {
				tr.Progress(Progress{Epoch: e, Epochs: epochs, Step: s + 1, Steps: steps,
					Loss: lossSum / float64(seen), Accuracy: float64(correct) / float64(seen)})
			}
		}
		es := EpochStats{Epoch: e, Loss: lossSum / float64(n), Accuracy: float64(correct) / float64(n)}
		stats = append(stats, es)
		if err := checkFinite("parameter", net.params); err != nil {
			return stats, fmt.Errorf("%w (at the end of epoch %d)", err, e)
		}
		if tr.OnEpoch != nil {
			if err := tr.OnEpoch(es); err != nil {
				return stats, fmt.Errorf("mlp: end of epoch %d: %w", e, err)
			}
		}
	}
	return stats, nil
}

// Evaluate returns the mean cross-entropy and the accuracy of net on inputs x
// (n rows of net.In()) with labels, forwarding batches of batchSize rows (0
// means 1024).
func Evaluate[T Float](net *Network[T], x []T, labels []int, batchSize int) (loss, accuracy float64, err error) {
	if batchSize == 0 {
		batchSize = 1024
	}
	if batchSize < 0 {
		return 0, 0, fmt.Errorf("mlp: batch size %d out of range: need ≥ 1 (0 means 1024)", batchSize)
	}
	in, classes := net.In(), net.Out()
	n := len(labels)
	if n == 0 || len(x) != n*in {
		return 0, 0, fmt.Errorf("mlp: input length %d does not match %d labels × input width %d (need ≥ 1 sample)", len(x), n, in)
	}
	batchSize = min(batchSize, n)
	tp, err := net.NewTape(batchSize)
	if err != nil {
		return 0, 0, err
	}
	dy := make([]T, batchSize*classes)
	correct := 0
	for s := 0; s < n; s += batchSize {
		e := min(s+batchSize, n)
		z, err := tp.Forward(x[s*in : e*in])
		if err != nil {
			return 0, 0, err
		}
		l, _, err := CrossEntropy(dy[:(e-s)*classes], z, labels[s:e])
		if err != nil {
			return 0, 0, err
		}
		loss += l * float64(e-s)
		correct += Correct(z, labels[s:e])
	}
	return loss / float64(n), float64(correct) / float64(n), nil
}
