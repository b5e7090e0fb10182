package cheb

import (
	"fmt"
	"math"
	"os"
	"runtime"
	"strings"
	"testing"

	// Installs OpenBLAS as gonum's BLAS when built with -tags openblas, as
	// a notebook that also imports lib/mlp would; without the tag, nothing.
	_ "pointwise/lib/internal/linalg"
)

// fig3Experiment is fig3's experiment (notebooks/fig3-sample-complexity):
// ρ = 0.8, D = 80, 50 draws, m = 1..64, seed 1; fewer draws and points under
// -short.
func fig3Experiment(t *testing.T) SampleComplexityResult {
	t.Helper()
	class, err := GeometricSeries(0.8, 80, Domain{})
	if err != nil {
		t.Fatal(err)
	}
	c := SampleComplexity{Class: class, Draws: 50, MaxPoints: 64, Seed: 1, Epsilons: []float64{1e-1, 1e-2, 1e-3, 1e-4}}
	if testing.Short() {
		c.Draws, c.MaxPoints = 10, 24
	}
	res, err := c.Run()
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// records flattens a result to its CSV records, floats in the shortest
// form that reads back exactly, so equal records mean bit-identical floats.
func records(r SampleComplexityResult) []string {
	var out []string
	for _, p := range r.Curve {
		out = append(out, strings.Join(p.Record(), ",")+fmt.Sprintf(",%x,%x", math.Float64bits(p.Lower), math.Float64bits(p.Upper)))
	}
	for _, s := range r.Samples {
		out = append(out, strings.Join(s.Record(), ","))
	}
	return out
}

// TestSampleComplexityReproducible runs fig3's experiment twice with the
// same seed, the second time on one OS thread (its work is split over
// GOMAXPROCS goroutines), and requires bit-identical tables. With
// POINTWISE_REPRO_DUMP=file it writes the table to file, for comparing
// builds (pure-Go BLAS and -tags openblas).
func TestSampleComplexityReproducible(t *testing.T) {
	a := records(fig3Experiment(t))
	prev := runtime.GOMAXPROCS(1)
	b := records(fig3Experiment(t))
	runtime.GOMAXPROCS(prev)
	if len(a) != len(b) {
		t.Fatalf("%d rows, then %d", len(a), len(b))
	}
	for i := range a {
		if a[i] != b[i] {
			t.Errorf("row %d: %s, then %s", i, a[i], b[i])
		}
	}
	if path := os.Getenv("POINTWISE_REPRO_DUMP"); path != "" {
		if err := os.WriteFile(path, []byte(strings.Join(a, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
