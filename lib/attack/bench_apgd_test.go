package attack

import (
	"testing"

	"pointwise/lib/internal/numeric"
)

// BenchmarkAPGDCE100 is APGD-CE, 100 iterations, one run, L∞ ε = 0.1, on the
// fig6 network 784→256→256→10 (float32), batch 128.
func BenchmarkAPGDCE100(b *testing.B) {
	net, x, y := benchSetup(b)
	m, err := NewNetworkModel(net, len(y))
	if err != nil {
		b.Fatal(err)
	}
	obj, err := NewLogitObjective[float32](m, LossCE, len(y))
	if err != nil {
		b.Fatal(err)
	}
	benchmarkAttack(b, &APGD[float32]{Objective: obj, Epsilon: 0.1}, x, y)
}

// BenchmarkSquare1000 is Square with 1000 queries on the fig6 network,
// batch 128, with labels the network predicts and ε = 1e-4, so that no
// sample breaks and every query is spent (the attack's worst-case cost).
func BenchmarkSquare1000(b *testing.B) {
	net, x, _ := benchSetup(b)
	m, err := NewNetworkModel(net, 128)
	if err != nil {
		b.Fatal(err)
	}
	z := make([]float32, 128*10)
	if err := m.Logits(z, x); err != nil {
		b.Fatal(err)
	}
	y := make([]int, 128)
	for i := range y {
		y[i] = numeric.Argmax(z[i*10 : (i+1)*10])
	}
	benchmarkAttack(b, &Square[float32]{Model: m, Epsilon: 1e-4, Queries: 1000}, x, y)
}
