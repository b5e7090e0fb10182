package attack

import "testing"

// BenchmarkGradientCE is one CrossEntropy.Gradient on the fig6 network
// 784→256→256→10 (float32), batch 128: a PGD step of PGD training.
func BenchmarkGradientCE(b *testing.B) {
	net, x, y := benchSetup(b)
	obj, err := NewCrossEntropy(net, len(y))
	if err != nil {
		b.Fatal(err)
	}
	benchmarkGradient(b, obj, x, y)
}

// BenchmarkGradientRandomHeads is one RandomHeads.Gradient with K = 8 heads
// on the same network and batch: a PGD step of hard training.
func BenchmarkGradientRandomHeads(b *testing.B) {
	net, x, y := benchSetup(b)
	obj, err := NewRandomHeads(net, 8, len(y), newRand(3))
	if err != nil {
		b.Fatal(err)
	}
	benchmarkGradient(b, obj, x, y)
}

func benchmarkGradient(b *testing.B, obj Objective[float32], x []float32, y []int) {
	dx := make([]float32, len(x))
	loss := make([]float64, len(y))
	b.ReportAllocs()
	for b.Loop() {
		if err := obj.Gradient(dx, loss, x, y, len(y)); err != nil {
			b.Fatal(err)
		}
	}
}
