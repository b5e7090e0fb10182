package cheb

import (
	"math"
	"testing"
)

// BenchmarkBarycentric evaluates a degree-1000 Chebyshev interpolant at 1e5
// points per op.
func BenchmarkBarycentric(b *testing.B) {
	benchmarkBarycentric(b, Chebyshev, 1001, 100000)
}

// BenchmarkBarycentricFirstForm is the same on equispaced points, where the
// first (modified Lagrange) formula is used.
func BenchmarkBarycentricFirstForm(b *testing.B) {
	benchmarkBarycentric(b, Equispaced, 1001, 100000)
}

func benchmarkBarycentric(b *testing.B, kind GridKind, n, points int) {
	p, err := Interpolate(kind, n, Domain{}, math.Exp)
	if err != nil {
		b.Fatal(err)
	}
	x, _ := EquispacedPoints(nil, points, Domain{A: -0.999, B: 0.999})
	var sink float64
	for b.Loop() {
		for _, v := range x {
			sink += p.Predict(v)
		}
	}
	b.ReportMetric(float64(points)*float64(b.N)/b.Elapsed().Seconds(), "points/s")
	if math.IsNaN(sink) {
		b.Fatal("NaN")
	}
}

// BenchmarkSampleComplexity runs fig3 with the default settings.
func BenchmarkSampleComplexity(b *testing.B) {
	for b.Loop() {
		if _, err := (SampleComplexity{}).Run(); err != nil {
			b.Fatal(err)
		}
	}
}
