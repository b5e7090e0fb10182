package experiment

import (
	"math"
	"slices"
	"strings"
	"testing"

	"pointwise/lib/objective"
)

func TestChebyshevProblemDegreeOne(t *testing.T) {
	// For d = 1 the class is h = c₂T₂, c₂ ~ N(0, 1) (ρ^0, whatever ρ). On n
	// equispaced points the least-squares line of T₂ = 2x² − 1 is the
	// constant c = 2·mean x_i² − 1 = 2(n+1)/(3(n−1)) − 1 (the slope is 0 by
	// symmetry), so e = T₂ − c, J_H(x) = (2x² − 1 − c)² and
	// g(x) = √(2/π)·|e′(x)| = √(2/π)·4|x|. For n = 5, c = 0.
	// Maxima and minima are located to about √ε of the objective: xTol.
	const tol, xTol = 1e-12, 1e-7
	sqrt2pi := math.Sqrt(2 / math.Pi)
	for _, n := range []int{5, 2001} {
		p := ChebyshevProblem{Degree: 1, Rho: 0.5, Dense: n}
		c := 2*float64(n+1)/float64(3*(n-1)) - 1
		lg := must(p.Hard())
		g := must(p.MeanGradNorm())
		for _, x := range []float64{-1, -0.5, 0, 0.3, 1} {
			want := (2*x*x - 1 - c) * (2*x*x - 1 - c)
			if got := lg.Value([]float64{x}); math.Abs(got-want) > tol {
				t.Errorf("n = %d: J_H(%v) = %v, want (2x² − 1 − c)² = %v", n, x, got, want)
			}
			if got, want := g(x), sqrt2pi*4*math.Abs(x); math.Abs(got-want) > tol {
				t.Errorf("n = %d: g(%v) = %v, want √(2/π)·4|x| = %v", n, x, got, want)
			}
		}
		// J_H peaks at ±1 and 0, the Lobatto points of degree 2; g is least
		// at 0, so eq. 1's solution is the same grid.
		for name, got := range map[string][]float64{"HardMaxima": must(p.HardMaxima()), "Optimal": must(p.Optimal())} {
			if d := objective.SetDistance(got, []float64{-1, 0, 1}); !(d < xTol) {
				t.Errorf("n = %d: %s = %v, want {-1, 0, 1}", n, name, got)
			}
		}
	}
	// Greedy: the line through T₂ at ±1 is 1, so J_H(x; {±1}) = 4(1 − x²)²,
	// largest at 0.
	p := ChebyshevProblem{Degree: 1, Rho: 0.5}
	if got := must(p.HardPoints()); len(got) != 3 || got[0] != -1 || got[1] != 1 || math.Abs(got[2]) > xTol {
		t.Errorf("HardPoints = %v, want -1, 1, 0", got)
	}
	// Eq. 1 read literally at X = {-1, 0, 1}: the line fitted to T₂'s values
	// {1, −1, 1} is 1/3, e′ = 4x, and Σ_X √(2/π)|e′| = 8√(2/π).
	lit := must(p.Literal(10, -1))
	if got := must(lit.Value([]float64{-1, 0, 1})); math.Abs(got-8*sqrt2pi) > tol || lit.Evaluations != 10 || lit.Restarts != -1 {
		t.Errorf("literal objective on {-1, 0, 1} = %v (evaluations %d, restarts %d), want 8√(2/π) = %v (10, -1)", got, lit.Evaluations, lit.Restarts, 8*sqrt2pi)
	}
}

func TestChebyshevProblemSymmetry(t *testing.T) {
	// T_k(−x) = (−1)^k T_k(x), the class's variances do not depend on the
	// sign, and the dense grid is symmetric, so J_H and g are even: their
	// extrema come in pairs ±x. fig4's count, d+2 of them (as many as the
	// Lobatto points of degree d+1), is checked beside it.
	const symTol = 1e-7
	p := ChebyshevProblem{Degree: 4, Rho: 0.5}
	for name, x := range map[string][]float64{"HardMaxima": must(p.HardMaxima()), "Optimal": must(p.Optimal())} {
		if len(x) != 6 {
			t.Errorf("%s = %v: %d points, want d+2 = 6", name, x, len(x))
		}
		for i := range x {
			if math.Abs(x[i]+x[len(x)-1-i]) > symTol {
				t.Errorf("%s = %v: not symmetric about 0", name, x)
				break
			}
		}
	}
	if h := must(p.HardPoints()); len(h) != 6 || !slices.Contains(h, -1) || !slices.Contains(h, 1) {
		t.Errorf("HardPoints = %v, want 6 points including ±1", h)
	}
}

func TestChebyshevProblemSettings(t *testing.T) {
	for _, c := range []struct {
		p    ChebyshevProblem
		want string
	}{
		{ChebyshevProblem{Degree: 0, Rho: 0.5}, "Degree = 0"},
		{ChebyshevProblem{Degree: 4, Rho: 0.5, Dense: 3}, "Dense = 3"},
		{ChebyshevProblem{Degree: 4, Rho: -1}, "ρ = -1"},
	} {
		if _, err := c.p.Hard(); err == nil || !strings.Contains(strings.ToLower(err.Error()), strings.ToLower(c.want)) {
			t.Errorf("%+v: error %v, want one naming %q", c.p, err, c.want)
		}
	}
}
