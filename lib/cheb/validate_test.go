package cheb

import (
	"fmt"
	"math"
	"pointwise/lib/internal/validatetest"
	"testing"
)

// TestValidate walks every exported entry point of the package through bad
// values: each must return an error (never panic) whose message names the
// parameter, the bad value and the allowed range.
func TestValidate(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	runge := func(x float64) float64 { return 1 / (1 + 25*x*x) }
	geo, err := GeometricSeries(0.8, 10, Domain{})
	if err != nil {
		t.Fatal(err)
	}
	cases := []validatetest.Case{
		{"ChebyshevPoints n=0", func() error { _, err := ChebyshevPoints(nil, 0, Domain{}); return err }, []string{"n = 0", "n >= 1"}},
		{"EquispacedPoints n<0", func() error { _, err := EquispacedPoints(nil, -3, Domain{}); return err }, []string{"n = -3", "n >= 1"}},
		{"LobattoPoints n huge", func() error { _, err := LobattoPoints(nil, 1<<50, Domain{}); return err }, []string{"n = 1125899906842624", "<= 16777216"}},
		{"RandomPoints n huge", func() error { _, err := RandomPoints(nil, math.MaxInt, Domain{}, nil); return err }, []string{fmt.Sprintf("n = %d", math.MaxInt), "<= 16777216"}},
		{"ChebyshevPoints dst length", func() error { _, err := ChebyshevPoints(make([]float64, 3), 4, Domain{}); return err }, []string{"len(dst) = 3", "n = 4"}},
		{"domain reversed", func() error { _, err := ChebyshevPoints(nil, 4, Domain{A: 1, B: -1}); return err }, []string{"domain", "[1, -1]", "finite a < b"}},
		{"domain empty", func() error { _, err := EquispacedPoints(nil, 4, Domain{A: 2, B: 2}); return err }, []string{"domain", "[2, 2]", "finite a < b"}},
		{"domain NaN", func() error { _, err := LobattoPoints(nil, 4, Domain{A: nan, B: 1}); return err }, []string{"domain", "NaN", "finite a < b"}},
		{"domain Inf", func() error { _, err := RandomPoints(nil, 4, Domain{A: -1, B: inf}, nil); return err }, []string{"domain", "+Inf", "finite a < b"}},
		{"Grid kind unknown", func() error { _, err := Grid(GridKind(7), 4, Domain{}, nil); return err }, []string{"grid kind", "7", "Equispaced, Random, Chebyshev or Lobatto"}},
		{"ParseGridKind", func() error { _, err := ParseGridKind("cheby"); return err }, []string{"grid kind", `"cheby"`, "equispaced, random, chebyshev, lobatto"}},
		{"Weights kind random", func() error { _, err := Weights(nil, Random, 4); return err }, []string{"grid kind", "random", "Equispaced, Chebyshev or Lobatto"}},
		{"Weights n=0", func() error { _, err := Weights(nil, Chebyshev, 0); return err }, []string{"n = 0", "n >= 1"}},
		{"Weights n huge", func() error { _, err := Weights(nil, Chebyshev, 1<<40); return err }, []string{"n = 1099511627776", "<= 16777216"}},
		{"BarycentricWeights empty", func() error { _, err := BarycentricWeights(nil, nil); return err }, []string{"len(x) = 0", "at least one"}},
		{"BarycentricWeights NaN", func() error { _, err := BarycentricWeights(nil, []float64{0, nan}); return err }, []string{"x[1]", "NaN", "finite"}},
		{"BarycentricWeights repeated", func() error { _, err := BarycentricWeights(nil, []float64{0, 0.5, 0.5}); return err }, []string{"x[1]", "x[2]", "0.5"}},
		{"NewBarycentric lengths", func() error { _, err := NewBarycentric([]float64{0, 1}, []float64{1}, Domain{}); return err }, []string{"len(x) = 2", "len(y) = 1", "one value per point"}},
		{"NewBarycentric outside", func() error { _, err := NewBarycentric([]float64{0, 2}, []float64{1, 1}, Domain{}); return err }, []string{"x[1] = 2", "-1 <= x[1] <= 1"}},
		{"NewBarycentric y NaN", func() error { _, err := NewBarycentric([]float64{0, 1}, []float64{1, nan}, Domain{}); return err }, []string{"y[1] = NaN", "finite"}},
		{"NewBarycentric y Inf", func() error { _, err := NewBarycentric([]float64{0, 1}, []float64{inf, 1}, Domain{}); return err }, []string{"y[0] = +Inf", "finite"}},
		{"NewGridInterpolant random", func() error { _, err := NewGridInterpolant(Random, []float64{1, 2}, Domain{}); return err }, []string{"grid kind", "random", "Equispaced, Chebyshev or Lobatto"}},
		{"NewGridInterpolant empty", func() error { _, err := NewGridInterpolant(Chebyshev, nil, Domain{}); return err }, []string{"len(y) = 0", "at least one"}},
		{"Interpolate nil f", func() error { _, err := Interpolate(Chebyshev, 4, Domain{}, nil); return err }, []string{"function f", "nil", "need a function"}},
		{"Interpolate n=0", func() error { _, err := Interpolate(Chebyshev, 0, Domain{}, runge); return err }, []string{"n = 0", "n >= 1"}},
		{"Interpolate NaN values", func() error {
			_, err := Interpolate(Chebyshev, 3, Domain{}, func(float64) float64 { return nan })
			return err
		}, []string{"y[0] = NaN", "finite"}},
		{"Fit d<0", func() error { _, err := Fit([]float64{0, 1}, []float64{0, 1}, -1, Domain{}); return err }, []string{"degree d = -1", "d >= 0"}},
		{"Fit d huge", func() error { _, err := Fit([]float64{0, 1}, []float64{0, 1}, 1<<40, Domain{}); return err }, []string{"d = 1099511627776", "d+1"}},
		{"Fit too few points", func() error { _, err := Fit([]float64{0, 0, 0}, []float64{0, 1, 2}, 1, Domain{}); return err }, []string{"1 distinct points", "d = 1", "at least d+1 = 2"}},
		{"Fit lengths", func() error { _, err := Fit([]float64{0, 1}, []float64{0}, 0, Domain{}); return err }, []string{"len(x) = 2", "len(y) = 1"}},
		{"Fit x NaN", func() error { _, err := Fit([]float64{0, nan}, []float64{0, 1}, 0, Domain{}); return err }, []string{"x[1] = NaN", "finite"}},
		{"Fit y Inf", func() error { _, err := Fit([]float64{0, 1}, []float64{0, inf}, 0, Domain{}); return err }, []string{"y[1] = +Inf", "finite"}},
		{"Basis degree<0", func() error { return Basis{Degree: -2}.Validate() }, []string{"degree D = -2", "D >= 0"}},
		{"Basis matrix no points", func() error { _, err := Basis{Degree: 2}.Matrix(nil, nil); return err }, []string{"len(x) = 0", "at least one"}},
		{"Basis matrix point NaN", func() error { _, err := Basis{Degree: 2}.Matrix(nil, []float64{0, nan}); return err }, []string{"x[1] = NaN", "finite"}},
		{"Basis degree huge", func() error { return Basis{Degree: 1 << 40}.Validate() }, []string{"degree D = 1099511627776", "D+1 <= 16777216"}},
		{"Basis matrix too large", func() error { _, err := Basis{Degree: 1 << 20}.Matrix(nil, make([]float64, 1<<10)); return err }, []string{"m×(D+1) = 1024×1048577", "<= 16777216"}},
		{"GeometricSeries ρ=0", func() error { _, err := GeometricSeries(0, 4, Domain{}); return err }, []string{"ρ = 0", "finite ρ > 0"}},
		{"GeometricSeries ρ NaN", func() error { _, err := GeometricSeries(nan, 4, Domain{}); return err }, []string{"ρ = NaN", "finite ρ > 0"}},
		{"GeometricSeries ρ<0", func() error { _, err := GeometricSeries(-0.5, 4, Domain{}); return err }, []string{"ρ = -0.5", "finite ρ > 0"}},
		{"GeometricSeries degree<0", func() error { _, err := GeometricSeries(0.5, -1, Domain{}); return err }, []string{"degree D = -1", "D >= max(d, 0) = 0"}},
		{"GeometricSeries degree huge", func() error { _, err := GeometricSeries(0.5, 1<<40, Domain{}); return err }, []string{"degree D = 1099511627776", "<= 16777216"}},
		{"TailSeries d<-1", func() error { _, err := TailSeries(0.5, -2, 4, Domain{}); return err }, []string{"degree d = -2", "d >= -1"}},
		{"TailSeries D<d", func() error { _, err := TailSeries(0.5, 3, 2, Domain{}); return err }, []string{"degree D = 2", "D >= max(d, 0) = 3"}},
		{"RandomSeries empty", func() error { return RandomSeries{}.Validate() }, []string{"len(StdDev) = 0", "s_0..s_D"}},
		{"RandomSeries NaN", func() error { return RandomSeries{StdDev: []float64{1, nan}}.Validate() }, []string{"StdDev[1] = NaN", "finite s_k >= 0"}},
		{"RandomSeries negative", func() error { return RandomSeries{StdDev: []float64{-1}}.Validate() }, []string{"StdDev[0] = -1", "finite s_k >= 0"}},
		{"RandomSeries.Rand dst", func() error { _, err := geo.Rand(make([]float64, 3), nil); return err }, []string{"len(dst) = 3", "D+1 = 11"}},
		{"L2Error n=0", func() error { _, err := L2Error(runge, runge, Domain{}, 0); return err }, []string{"n = 0", "n >= 1"}},
		{"L2Error nil", func() error { _, err := L2Error(nil, runge, Domain{}, 4); return err }, []string{"approx or target", "nil", "two functions"}},
		{"L2Error domain", func() error { _, err := L2Error(runge, runge, Domain{A: 1, B: 0}, 4); return err }, []string{"domain", "[1, 0]", "finite a < b"}},
		{"MaxError n=1", func() error { _, _, err := MaxError(runge, runge, Domain{}, 1); return err }, []string{"n = 1", "n >= 2"}},
		{"MaxError n huge", func() error { _, _, err := MaxError(runge, runge, Domain{}, 1<<40); return err }, []string{"n = 1099511627776", "<= 16777216"}},
		{"SupError empty", func() error { _, _, err := SupError(nil, runge, runge); return err }, []string{"len(x) = 0", "at least one"}},
		{"LebesgueConstant no nodes", func() error { _, _, err := LebesgueConstant(nil, Domain{}); return err }, []string{"len(nodes) = 0", "at least one"}},
		{"LebesgueConstant node outside", func() error { _, _, err := LebesgueConstant([]float64{0, 5}, Domain{}); return err }, []string{"nodes[1] = 5", "-1 <= nodes[1] <= 1"}},
		{"LebesgueConstant node NaN", func() error { _, _, err := LebesgueConstant([]float64{nan, 0}, Domain{}); return err }, []string{"nodes[0] = NaN", "finite"}},
		{"LebesgueFunction x NaN", func() error { _, err := LebesgueFunction(nil, []float64{nan}, []float64{0, 1}); return err }, []string{"x[0] is NaN", "numbers"}},
		{"LebesgueFunction dst", func() error {
			_, err := LebesgueFunction(make([]float64, 2), []float64{0}, []float64{0, 1})
			return err
		}, []string{"len(dst) = 2", "len(x) = 1"}},
		{"SampleComplexity MaxPoints<0", func() error { _, err := SampleComplexity{MaxPoints: -1}.Run(); return err }, []string{"MaxPoints = -1", "MaxPoints >= 1"}},
		{"SampleComplexity MaxPoints huge", func() error { _, err := SampleComplexity{MaxPoints: 1 << 40}.Run(); return err }, []string{"MaxPoints = 1099511627776", "<= 16777216"}},
		{"SampleComplexity Draws<0", func() error { _, err := SampleComplexity{Draws: -5}.Run(); return err }, []string{"Draws = -5", "Draws >= 1"}},
		{"SampleComplexity EvalPoints=1", func() error { _, err := SampleComplexity{EvalPoints: 1}.Run(); return err }, []string{"EvalPoints = 1", "EvalPoints >= 2"}},
		{"SampleComplexity Draws×EvalPoints huge", func() error { _, err := SampleComplexity{Draws: 1 << 20, EvalPoints: 1 << 20}.Run(); return err }, []string{"Draws×EvalPoints", "<= 16777216"}},
		{"SampleComplexity Grids empty", func() error { _, err := SampleComplexity{Grids: []GridKind{}}.Run(); return err }, []string{"Grids is empty", "at least one"}},
		{"SampleComplexity Grids unknown", func() error { _, err := SampleComplexity{Grids: []GridKind{Chebyshev, 9}}.Run(); return err }, []string{"Grids[1] = GridKind(9)", "Equispaced, Random, Chebyshev or Lobatto"}},
		{"SampleComplexity ε NaN", func() error { _, err := SampleComplexity{Epsilons: []float64{0.1, nan}}.Run(); return err }, []string{"Epsilons[1] = NaN", "finite ε > 0"}},
		{"SampleComplexity ε<0", func() error { _, err := SampleComplexity{Epsilons: []float64{-0.1}}.Run(); return err }, []string{"Epsilons[0] = -0.1", "finite ε > 0"}},
		{"SampleComplexity ε Inf", func() error { _, err := SampleComplexity{Epsilons: []float64{inf}}.Run(); return err }, []string{"Epsilons[0] = +Inf", "finite ε > 0"}},
		{"SampleComplexity quantile>1", func() error { _, err := SampleComplexity{UpperQuantile: 1.5}.Run(); return err }, []string{"UpperQuantile = 1.5", "0 < q <= 1"}},
		{"SampleComplexity quantile NaN", func() error { _, err := SampleComplexity{LowerQuantile: nan}.Run(); return err }, []string{"LowerQuantile = NaN", "0 < q <= 1"}},
		{"SampleComplexity class", func() error {
			_, err := SampleComplexity{Class: RandomSeries{StdDev: []float64{nan}}}.Run()
			return err
		}, []string{"StdDev[0] = NaN", "finite s_k >= 0"}},
		{"SampleComplexity domain", func() error {
			_, err := SampleComplexity{Class: RandomSeries{StdDev: []float64{1}, Domain: Domain{A: 3, B: 1}}}.Run()
			return err
		}, []string{"domain", "[3, 1]", "finite a < b"}},
	}
	validatetest.Run(t, cases)
}
