package attack

import (
	"testing"

	"pointwise/lib/mlp"
)

// benchSetup returns the fig6 classifier 784→256→256→10 (ReLU, He, float32)
// and a batch of 128 inputs in [0, 1) with labels.
func benchSetup(b *testing.B) (*mlp.Network[float32], []float32, []int) {
	const batch = 128
	net := randomNet[float32](b, []int{784, 256, 256, 10}, mlp.ReLU, 1)
	rnd := newRand(2)
	return net, unitInputs[float32](rnd, batch, 784, 0, 1), randomLabels(rnd, batch, 10)
}

func benchmarkAttack(b *testing.B, atk Attack[float32], x []float32, labels []int) {
	dst := make([]float32, len(x))
	if err := atk.Perturb(dst, x, labels, len(labels)); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := atk.Perturb(dst, x, labels, len(labels)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(labels)*b.N)/b.Elapsed().Seconds(), "samples/s")
}

// BenchmarkPGD10 is PGD-10 (L∞, random start, best iterate) with the
// network's cross-entropy on the fig6 network, batch 128.
func BenchmarkPGD10(b *testing.B) {
	net, x, y := benchSetup(b)
	obj, err := NewCrossEntropy(net, len(y))
	if err != nil {
		b.Fatal(err)
	}
	benchmarkAttack(b, &PGD[float32]{Objective: obj, Epsilon: 0.1}, x, y)
}

// BenchmarkPGD10RandomHeads is PGD-10 with the hard objective, K = 8 random
// heads, as hard adversarial training runs it per batch (with Redraw).
func BenchmarkPGD10RandomHeads(b *testing.B) {
	net, x, y := benchSetup(b)
	obj, err := NewRandomHeads(net, 8, len(y), newRand(3))
	if err != nil {
		b.Fatal(err)
	}
	benchmarkAttack(b, &PGD[float32]{Objective: obj, Epsilon: 0.1}, x, y)
}

// BenchmarkFGSM is one FGSM step on the fig6 network, batch 128.
func BenchmarkFGSM(b *testing.B) {
	net, x, y := benchSetup(b)
	obj, err := NewCrossEntropy(net, len(y))
	if err != nil {
		b.Fatal(err)
	}
	benchmarkAttack(b, &FGSM[float32]{Objective: obj, Epsilon: 0.1}, x, y)
}
