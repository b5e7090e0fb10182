package mlp

import (
	"math/rand/v2"
	"testing"
)

// benchNet returns the fig6 classifier 784→256→256→10 (ReLU, He) and a batch
// of 128 inputs in [0, 1) with labels.
func benchNet[T Float](b *testing.B) (*Network[T], *Tape[T], []T, []int) {
	const batch = 128
	rnd := rand.New(rand.NewPCG(1, 1))
	net, err := New[T]([]int{784, 256, 256, 10}, ReLU, Identity)
	if err != nil {
		b.Fatal(err)
	}
	net.Init(rnd, nil)
	tp, err := net.NewTape(batch)
	if err != nil {
		b.Fatal(err)
	}
	x := make([]T, batch*784)
	for i := range x {
		x[i] = T(rnd.Float64())
	}
	labels := make([]int, batch)
	for i := range labels {
		labels[i] = rnd.IntN(10)
	}
	return net, tp, x, labels
}

func samplesPerSecond(b *testing.B, batch int) {
	b.ReportMetric(float64(batch*b.N)/b.Elapsed().Seconds(), "samples/s")
}

func benchmarkTrainStep[T Float](b *testing.B) {
	net, tp, x, labels := benchNet[T](b)
	grad := make([]T, net.NumParams())
	dy := make([]T, len(labels)*10)
	opt := &Adam[T]{}
	opt.Step(make([]T, len(grad)), grad) // size the optimiser state before timing
	b.ReportAllocs()
	for b.Loop() {
		z, _ := tp.Forward(x)
		CrossEntropy(dy, z, labels)
		tp.Backward(grad, nil, dy)
		opt.Step(net.Params(), grad)
	}
	samplesPerSecond(b, len(labels))
}

func benchmarkInference[T Float](b *testing.B) {
	_, tp, x, labels := benchNet[T](b)
	b.ReportAllocs()
	for b.Loop() {
		tp.Forward(x)
	}
	samplesPerSecond(b, len(labels))
}

func benchmarkInputGradient[T Float](b *testing.B) {
	_, tp, x, labels := benchNet[T](b)
	dy := make([]T, len(labels)*10)
	dx := make([]T, len(x))
	b.ReportAllocs()
	for b.Loop() {
		z, _ := tp.Forward(x)
		CrossEntropy(dy, z, labels)
		tp.InputGradient(dx, dy)
	}
	samplesPerSecond(b, len(labels))
}

func BenchmarkTrainStep32(b *testing.B)     { benchmarkTrainStep[float32](b) }
func BenchmarkTrainStep64(b *testing.B)     { benchmarkTrainStep[float64](b) }
func BenchmarkInference32(b *testing.B)     { benchmarkInference[float32](b) }
func BenchmarkInference64(b *testing.B)     { benchmarkInference[float64](b) }
func BenchmarkInputGradient32(b *testing.B) { benchmarkInputGradient[float32](b) }
func BenchmarkInputGradient64(b *testing.B) { benchmarkInputGradient[float64](b) }
