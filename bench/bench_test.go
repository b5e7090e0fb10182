package bench

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"pointwise/lib/attack"
	"pointwise/lib/mlp"
)

// The shapes and settings of fig6: a 784→256→256→10 ReLU MLP, float32,
// batch 128, Adam at its defaults, ε = 0.1 (MNIST's ε_train), PGD step
// 2.5·ε/steps, K = 8 random heads. torch_bench.py uses the same.
const (
	batch   = 128
	width   = 256
	in      = 784
	classes = 10
	epsilon = 0.1
	heads   = 8
)

// The scaling sweep of rows (b) and (f): every hidden width with every
// batch size (torch_bench.py sweeps the same).
var (
	sweepWidths  = []int{256, 512, 1024}
	sweepBatches = []int{128, 512, 2048}
)

// setup returns the network in→w→w→classes (He initialisation), a batch of
// n inputs uniform in [0, 1) and uniform labels, all from fixed seeds.
func setup(b *testing.B, w, n int) (*mlp.Network[float32], []float32, []int) {
	rnd := rand.New(rand.NewPCG(1, 1))
	net, err := mlp.New[float32]([]int{in, w, w, classes}, mlp.ReLU, mlp.Identity)
	if err != nil {
		b.Fatal(err)
	}
	if err := net.Init(rnd, mlp.He{}); err != nil {
		b.Fatal(err)
	}
	x := make([]float32, n*in)
	for i := range x {
		x[i] = float32(rnd.Float64())
	}
	labels := make([]int, n)
	for i := range labels {
		labels[i] = rnd.IntN(classes)
	}
	return net, x, labels
}

// stepper is one training step as mlp.Trainer takes it: forward, softmax
// cross-entropy, the accuracy count, backward (all parameter gradients) and
// an Adam update.
type stepper struct {
	net  *mlp.Network[float32]
	tape *mlp.Tape[float32]
	grad []float32
	dy   []float32
	opt  *mlp.Adam[float32]
}

func newStepper(b *testing.B, net *mlp.Network[float32], n int) *stepper {
	tp, err := net.NewTape(n)
	if err != nil {
		b.Fatal(err)
	}
	return &stepper{net: net, tape: tp, grad: make([]float32, net.NumParams()),
		dy: make([]float32, n*classes), opt: &mlp.Adam[float32]{}}
}

func (s *stepper) step(b *testing.B, x []float32, labels []int) {
	z, err := s.tape.Forward(x)
	if err != nil {
		b.Fatal(err)
	}
	if _, _, err := mlp.CrossEntropy(s.dy, z, labels); err != nil {
		b.Fatal(err)
	}
	mlp.Correct(z, labels)
	if _, err := s.tape.Backward(s.grad, nil, s.dy); err != nil {
		b.Fatal(err)
	}
	if err := s.opt.Step(s.net.Params(), s.grad); err != nil {
		b.Fatal(err)
	}
}

// run times body, which processes a batch of n samples, over b.Loop after
// one untimed call, which sizes every workspace, and reports samples per
// second.
func run(b *testing.B, n int, body func()) {
	body()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		body()
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "samples/s")
}

// sweep runs bench as one sub-benchmark per hidden width and batch size,
// named w=512/b=2048, but for the fig6 shapes: their row's own benchmark
// measures them.
func sweep(b *testing.B, bench func(b *testing.B, w, n int)) {
	for _, w := range sweepWidths {
		for _, n := range sweepBatches {
			if w == width && n == batch {
				continue
			}
			b.Run(fmt.Sprintf("w=%d/b=%d", w, n), func(b *testing.B) { bench(b, w, n) })
		}
	}
}

// (a) Inference: a forward pass.
func BenchmarkInference(b *testing.B) {
	net, x, _ := setup(b, width, batch)
	tp, err := net.NewTape(batch)
	if err != nil {
		b.Fatal(err)
	}
	run(b, batch, func() {
		if _, err := tp.Forward(x); err != nil {
			b.Fatal(err)
		}
	})
}

// (b) A training step.
func BenchmarkTrainStep(b *testing.B) { trainStep(b, width, batch) }

// BenchmarkTrainStepSweep is row (b) at every width and batch of the sweep.
func BenchmarkTrainStepSweep(b *testing.B) { sweep(b, trainStep) }

func trainStep(b *testing.B, w, n int) {
	net, x, labels := setup(b, w, n)
	s := newStepper(b, net, n)
	run(b, n, func() { s.step(b, x, labels) })
}

// adversarialStep times a training step on inputs perturbed by atk, as
// lib/adversarial's training does; before runs ahead of each attack.
func adversarialStep(b *testing.B, net *mlp.Network[float32], x []float32, labels []int, atk attack.Attack[float32], before func()) {
	s := newStepper(b, net, batch)
	adv := make([]float32, len(x))
	run(b, batch, func() {
		if before != nil {
			before()
		}
		if err := atk.Perturb(adv, x, labels, batch); err != nil {
			b.Fatal(err)
		}
		s.step(b, adv, labels)
	})
}

// (c) An FGSM adversarial training step.
func BenchmarkFGSMTrainStep(b *testing.B) {
	net, x, labels := setup(b, width, batch)
	ce, err := attack.NewCrossEntropy(net, batch)
	if err != nil {
		b.Fatal(err)
	}
	adversarialStep(b, net, x, labels, &attack.FGSM[float32]{Objective: ce, Epsilon: epsilon}, nil)
}

// (d) A PGD-10 adversarial training step (random start, last iterate, as
// lib/adversarial trains).
func BenchmarkPGD10TrainStep(b *testing.B) {
	net, x, labels := setup(b, width, batch)
	ce, err := attack.NewCrossEntropy(net, batch)
	if err != nil {
		b.Fatal(err)
	}
	pgd := &attack.PGD[float32]{Objective: ce, Epsilon: epsilon, Steps: 10, LastIterate: true, Seed: 1}
	adversarialStep(b, net, x, labels, pgd, nil)
}

// (e) A hard adversarial training step: K = 8 fresh random heads on the
// feature layer, PGD-10 on their mean cross-entropy.
func BenchmarkHardTrainStep(b *testing.B) {
	net, x, labels := setup(b, width, batch)
	h, err := attack.NewRandomHeads(net, heads, batch, rand.New(rand.NewPCG(2, 2)))
	if err != nil {
		b.Fatal(err)
	}
	pgd := &attack.PGD[float32]{Objective: h, Epsilon: epsilon, Steps: 10, LastIterate: true, Seed: 1}
	adversarialStep(b, net, x, labels, pgd, h.Redraw)
}

// (f) PGD-20 evaluation: the attack alone, as lib/adversarial's evaluator
// runs it (random start, best iterate).
func BenchmarkPGD20Eval(b *testing.B) { pgd20Eval(b, width, batch) }

// BenchmarkPGD20EvalSweep is row (f) at every width and batch of the sweep.
func BenchmarkPGD20EvalSweep(b *testing.B) { sweep(b, pgd20Eval) }

func pgd20Eval(b *testing.B, w, n int) {
	net, x, labels := setup(b, w, n)
	ce, err := attack.NewCrossEntropy(net, n)
	if err != nil {
		b.Fatal(err)
	}
	pgd := &attack.PGD[float32]{Objective: ce, Epsilon: epsilon, Steps: 20, Seed: 1}
	adv := make([]float32, len(x))
	run(b, n, func() {
		if err := pgd.Perturb(adv, x, labels, n); err != nil {
			b.Fatal(err)
		}
	})
}
