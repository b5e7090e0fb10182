package cheb

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestRandomSeriesVariances(t *testing.T) {
	g, err := GeometricSeries(0.8, 80, Domain{})
	if err != nil {
		t.Fatal(err)
	}
	v := g.Variances(nil)
	for k, vk := range v {
		// 0.64 is 0.8² rounded, and Pow rounds too: allow k ulps or so.
		if want := math.Pow(0.64, float64(k)); math.Abs(vk-want) > 1e-13*want {
			t.Errorf("fig3 Var c_%d = %v, want 0.8^(2k) = %v", k, vk, want)
		}
	}
	h, err := TailSeries(0.5, 8, 16, Domain{})
	if err != nil {
		t.Fatal(err)
	}
	for k, s := range h.StdDev {
		want := 0.0
		if k > 8 {
			want = math.Pow(0.5, float64(k-9))
		}
		if s != want {
			t.Errorf("fig4 s_%d = %v, want %v", k, s, want)
		}
	}
}

func TestRandomSeriesSample(t *testing.T) {
	// The sample variance of c_k over N draws has relative standard
	// deviation √(2/N) = 0.02 for N = 5000; 5 of them is a 5σ band.
	const draws = 5000
	r := RandomSeries{StdDev: []float64{1, 0.5, 0, 3}}
	rng := rand.New(rand.NewPCG(8, 8))
	sum := make([]float64, 4)
	c := make([]float64, 4)
	for range draws {
		s, err := r.Rand(c, rng)
		if err != nil {
			t.Fatal(err)
		}
		for k, ck := range s.Coeffs {
			sum[k] += ck * ck
		}
	}
	v := r.Variances(nil)
	for k := range sum {
		got := sum[k] / draws
		if math.Abs(got-v[k]) > 5*math.Sqrt(2.0/draws)*v[k] {
			t.Errorf("sample Var c_%d = %v, want %v", k, got, v[k])
		}
	}
	if sum[2] != 0 {
		t.Errorf("s_2 = 0 but c_2 was drawn non-zero")
	}
	a, _ := r.Rand(nil, rand.New(rand.NewPCG(9, 9)))
	b, _ := r.Rand(nil, rand.New(rand.NewPCG(9, 9)))
	for k := range a.Coeffs {
		if a.Coeffs[k] != b.Coeffs[k] {
			t.Fatal("same seed, different draws")
		}
	}
}

func TestRandomSeriesErrors(t *testing.T) {
	if _, err := GeometricSeries(0, 10, Domain{}); err == nil {
		t.Error("ρ = 0: no error")
	}
	if _, err := GeometricSeries(0.8, -1, Domain{}); err == nil {
		t.Error("D = -1: no error")
	}
	if _, err := TailSeries(0.5, 8, 4, Domain{}); err == nil {
		t.Error("D < d: no error")
	}
	if _, err := (RandomSeries{StdDev: []float64{1, -1}}).Rand(nil, nil); err == nil {
		t.Error("negative standard deviation: no error")
	}
	if _, err := (RandomSeries{StdDev: []float64{1, 1}}).Rand(make([]float64, 3), nil); err == nil {
		t.Error("wrong dst length: no error")
	}
}
