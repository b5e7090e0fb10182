package objective

import (
	"math/rand/v2"
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

// BenchmarkMonteCarloHard is Figure 4's Monte Carlo table for d = 16: 600
// draws, each fitted by least squares on 2001 points, J_H at 6 points; with
// one worker and with GOMAXPROCS.
func BenchmarkMonteCarloHard(b *testing.B) {
	dist, _, err := fig4(16, 2001)
	if err != nil {
		b.Fatal(err)
	}
	x, pts := column(linspace(-1, 1, 2001)), column([]float64{-1, -0.9, -0.5, 0, 0.37, 0.8})
	for _, w := range []int{1, 0} {
		b.Run(map[int]string{1: "workers=1", 0: "workers=GOMAXPROCS"}[w], func(b *testing.B) {
			mc := MonteCarlo{Dist: dist, Rule: LeastSquares{Map: chebMap{16}}, Samples: 600, Workers: w}
			for b.Loop() {
				if _, _, err := mc.Hard(nil, nil, x, pts, rand.New(rand.NewPCG(4, 16))); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
