package objective

import (
	"testing"
)

// benchmarkValue evaluates J_H for a 65-feature class (g = f, ridge on 12
// points) at n points.
func benchmarkValue(b *testing.B, n int) {
	class := chebMap{64}
	dist, err := NewGaussianDiag(class, geometric(0.97, 64))
	if err != nil {
		b.Fatal(err)
	}
	fit, err := Ridge{Map: class}.LinearMap(nil, column(lobatto(11)))
	if err != nil {
		b.Fatal(err)
	}
	lg, err := NewLinearGaussian(fit, dist)
	if err != nil {
		b.Fatal(err)
	}
	pts := column(linspace(-1, 1, n))
	dst := make([]float64, n)
	b.ResetTimer()
	for b.Loop() {
		if _, err := lg.ValueAt(dst, pts); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkValue40401(b *testing.B) { benchmarkValue(b, 40401) }

func BenchmarkGradSecondMoment2001(b *testing.B) {
	dist, fit, err := fig4(16, 2001)
	if err != nil {
		b.Fatal(err)
	}
	lg, err := NewLinearGaussian(fit, dist)
	if err != nil {
		b.Fatal(err)
	}
	xs := linspace(-1, 1, 2001)
	b.ResetTimer()
	for b.Loop() {
		for _, s := range xs {
			lg.GradSecondMoment([]float64{s})
		}
	}
}

func BenchmarkValueScalar40401(b *testing.B) {
	class := chebMap{64}
	dist, err := NewGaussianDiag(class, geometric(0.97, 64))
	if err != nil {
		b.Fatal(err)
	}
	fit, err := Ridge{Map: class}.LinearMap(nil, column(lobatto(11)))
	if err != nil {
		b.Fatal(err)
	}
	lg, err := NewLinearGaussian(fit, dist)
	if err != nil {
		b.Fatal(err)
	}
	xs := linspace(-1, 1, 40401)
	b.ResetTimer()
	for b.Loop() {
		for _, s := range xs {
			lg.Value([]float64{s})
		}
	}
}
