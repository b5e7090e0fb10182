package classroom

import (
	"bytes"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"pointwise/lib/cheb"
)

// wantErr checks that err is nil (substr == "") or says substr.
func wantErr(t *testing.T, name string, err error, substr string) {
	t.Helper()
	if err != nil {
		t.Logf("%s: %v", name, err)
	}
	switch {
	case substr == "" && err != nil:
		t.Errorf("%s: want no error, got %v", name, err)
	case substr != "" && err == nil:
		t.Errorf("%s: want an error saying %q, got none", name, substr)
	case substr != "" && !strings.Contains(err.Error(), substr):
		t.Errorf("%s: error %q does not say %q", name, err, substr)
	}
}

// pointsRight is a right answer: a function of this file, as a student's is
// one of the notebook's (a function of the package itself would be taken for
// the library's).
func pointsRight(n int) []float64 {
	x := make([]float64, n)
	for j := range x {
		x[j] = math.Sin(float64(2*j+1-n) * math.Pi / float64(2*n))
	}
	return x
}

func TestCheckChebyshevPoints(t *testing.T) {
	for _, c := range []struct {
		name string
		f    func(int) []float64
		want string
	}{
		{"right", pointsRight, ""},
		{"library", func(n int) []float64 { x, _ := cheb.ChebyshevPoints(nil, n, cheb.Domain{}); return x }, "uses cheb.ChebyshevPoints (package pointwise/lib/cheb): off limits"},
		{"library itself", firstKind, "a function of pointwise/lib/classroom: off limits"},
		{"stub", func(int) []float64 { panic("not implemented") }, "not implemented yet"},
		{"decreasing", func(n int) []float64 { x := pointsRight(n); slices.Reverse(x); return x }, "your points are not sorted"},
		{"too few", func(n int) []float64 { return pointsRight(n)[1:] }, "returned 7 points, want 8"},
		{"lobatto", func(n int) []float64 { return lobatto(n) }, "Chebyshev–Lobatto"},
		{"wrong point", func(n int) []float64 { x := pointsRight(n); x[3] = x[3] + 0.01; return x }, "x[3] = -0.18509 should be -0.19509 (cos(9π/16))"},
		{"equispaced", func(n int) []float64 {
			x := make([]float64, n)
			for i := range x {
				x[i] = -1 + 2*float64(i)/float64(max(1, n-1))
			}
			return x
		}, "x[0] = -1 should be -0.98079 (cos(15π/16))"},
		{"NaN", func(n int) []float64 { x := pointsRight(n); x[2] = math.NaN(); return x }, "not a finite number"},
		{"outside", func(n int) []float64 { x := pointsRight(n); x[n-1] = 1.5; return x }, "outside [-1, 1]"},
	} {
		wantErr(t, c.name, CheckChebyshevPoints(c.f), c.want)
	}
}

func weightsRight(x []float64) []float64 {
	w := make([]float64, len(x))
	for j := range x {
		w[j] = 1
		for k := range x {
			if k != j {
				w[j] /= x[j] - x[k]
			}
		}
	}
	return w
}

func TestCheckBarycentricWeights(t *testing.T) {
	for _, c := range []struct {
		name string
		f    func([]float64) []float64
		want string
	}{
		{"right", weightsRight, ""},
		{"scaled", func(x []float64) []float64 {
			w := weightsRight(x)
			for i := range w {
				w[i] *= -3
			}
			return w
		}, ""},
		{"stub", func([]float64) []float64 { panic("not implemented") }, "not implemented yet"},
		{"k == j included", func(x []float64) []float64 {
			w := make([]float64, len(x))
			for j := range x {
				w[j] = 1
				for k := range x {
					w[j] /= x[j] - x[k]
				}
			}
			return w
		}, "skip k = j"},
		{"no inverse", func(x []float64) []float64 {
			w := weightsRight(x)
			for i := range w {
				w[i] = 1 / w[i]
			}
			return w
		}, "should be"},
		{"all ones", func(x []float64) []float64 { return slices.Repeat([]float64{1}, len(x)) }, "same sign"},
		{"in place", func(x []float64) []float64 { w := weightsRight(x); copy(x, w); return x }, "changed its input"},
	} {
		wantErr(t, c.name, CheckBarycentricWeights(c.f), c.want)
	}
}

func evalRight(nodes, values, w []float64, x float64) float64 {
	var num, den float64
	for j := range nodes {
		if x == nodes[j] {
			return values[j]
		}
		num += w[j] * values[j] / (x - nodes[j])
		den += w[j] / (x - nodes[j])
	}
	return num / den
}

func TestCheckBarycentricEval(t *testing.T) {
	for _, c := range []struct {
		name string
		f    func(nodes, values, w []float64, x float64) float64
		want string
	}{
		{"right", evalRight, ""},
		{"stub", func(_, _, _ []float64, _ float64) float64 { panic("not implemented") }, "not implemented yet"},
		{"no node case", func(nodes, values, w []float64, x float64) float64 {
			var num, den float64
			for j := range nodes {
				num += w[j] * values[j] / (x - nodes[j])
				den += w[j] / (x - nodes[j])
			}
			return num / den
		}, "divides by zero"},
		{"numerator only", func(nodes, values, w []float64, x float64) float64 {
			var num float64
			for j := range nodes {
				if x == nodes[j] {
					return values[j]
				}
				num += w[j] * values[j] / (x - nodes[j])
			}
			return num
		}, "should be"},
	} {
		wantErr(t, c.name, CheckBarycentricEval(c.f), c.want)
	}
}

// hardMC is a right Monte Carlo answer for the hard objective.
func hardMC(s Hard, x []float64) []float64 {
	tail, _ := cheb.TailSeries(s.Rho, s.Degree, 2*s.Degree, cheb.Domain{})
	dense, _ := cheb.EquispacedPoints(nil, s.Dense, cheb.Domain{})
	rng := rand.New(rand.NewPCG(1, 2))
	j := make([]float64, len(x))
	for range s.Samples {
		h, _ := tail.Rand(nil, rng)
		fit, _ := cheb.Fit(dense, h.Eval(nil, dense), s.Degree, cheb.Domain{})
		for i, t := range x {
			e := fit.Predict(t) - h.Predict(t)
			j[i] += e * e / float64(s.Samples)
		}
	}
	return j
}

func TestCheckHardObjective(t *testing.T) {
	s := Hard{Degree: 8, Rho: 0.5, Dense: 401, Samples: 300}
	closed := s
	closed.Samples = 0
	for _, c := range []struct {
		name string
		s    Hard
		f    func([]float64) []float64
		want string
	}{
		{"monte carlo", s, func(x []float64) []float64 { return hardMC(s, x) }, ""},
		{"closed form", closed, func(x []float64) []float64 { v, _ := closed.closed(x); return v }, ""},
		{"closed form judged as MC", s, func(x []float64) []float64 { v, _ := closed.closed(x); return v }, ""},
		{"monte carlo judged as closed", closed, func(x []float64) []float64 { return hardMC(s, x) }, "closed form, to 1e-6"},
		{"stub", s, func([]float64) []float64 { panic("not implemented") }, "not implemented yet"},
		{"not squared", s, func(x []float64) []float64 { v := hardMC(s, x); v[2] = -v[2]; return v }, "forget to square"},
		{"summed", s, func(x []float64) []float64 {
			v := hardMC(s, x)
			for i := range v {
				v[i] *= 300
			}
			return v
		}, "sum over the draws"},
		{"zero", s, func(x []float64) []float64 { return make([]float64, len(x)) }, "0 at every point"},
		{"sqrt", s, func(x []float64) []float64 {
			v := hardMC(s, x)
			for i := range v {
				v[i] = math.Sqrt(v[i])
			}
			return v
		}, "should be about"},
	} {
		wantErr(t, c.name, CheckHardObjective(c.f, c.s), c.want)
	}
}

func maximaRight(xs, ys []float64) []float64 {
	var m []float64
	for i := range xs {
		if (i == 0 || ys[i] > ys[i-1]) && (i == len(xs)-1 || ys[i] > ys[i+1]) {
			m = append(m, xs[i])
		}
	}
	return m
}

func TestCheckLocalMaxima(t *testing.T) {
	for _, c := range []struct {
		name string
		f    func(xs, ys []float64) []float64
		want string
	}{
		{"right", maximaRight, ""},
		{"stub", func(_, _ []float64) []float64 { panic("not implemented") }, "not implemented yet"},
		{"interior only", func(xs, ys []float64) []float64 {
			var m []float64
			for i := 1; i+1 < len(xs); i++ {
				if ys[i] > ys[i-1] && ys[i] > ys[i+1] {
					m = append(m, xs[i])
				}
			}
			return m
		}, "misses the endpoint maximum"},
		{"minima", func(xs, ys []float64) []float64 {
			neg := make([]float64, len(ys))
			for i := range ys {
				neg[i] = -ys[i]
			}
			return maximaRight(xs, neg)
		}, "not a local maximum"},
		{"reversed", func(xs, ys []float64) []float64 { m := maximaRight(xs, ys); slices.Reverse(m); return m }, "not sorted"},
	} {
		wantErr(t, c.name, CheckLocalMaxima(c.f), c.want)
	}
}

func fgsmRight(x, g []float64, eps float64) []float64 {
	out := make([]float64, len(x))
	for i := range x {
		s := 0.0
		if g[i] > 0 {
			s = 1
		} else if g[i] < 0 {
			s = -1
		}
		out[i] = min(1, max(0, x[i]+eps*s))
	}
	return out
}

func TestCheckFGSM(t *testing.T) {
	for _, c := range []struct {
		name string
		f    func(x, g []float64, eps float64) []float64
		want string
	}{
		{"right", fgsmRight, ""},
		{"stub", func(_, _ []float64, _ float64) []float64 { panic("not implemented") }, "not implemented yet"},
		{"gradient step", func(x, g []float64, eps float64) []float64 {
			out := slices.Clone(x)
			for i := range x {
				out[i] = min(1, max(0, x[i]+eps*g[i]))
			}
			return out
		}, "leaves the epsilon ball at"},
		{"no clip", func(x, g []float64, eps float64) []float64 {
			out := slices.Clone(x)
			for i := range x {
				out[i] = x[i] + eps*math.Copysign(1, g[i])*float64(min(1, math.Abs(math.Ceil(math.Abs(g[i])))))
			}
			return out
		}, "leaves [0, 1]"},
		{"descends", func(x, g []float64, eps float64) []float64 {
			neg := slices.Clone(g)
			for i := range neg {
				neg[i] = -neg[i]
			}
			return fgsmRight(x, neg, eps)
		}, "against the gradient"},
		{"sign(0) = 1", func(x, g []float64, eps float64) []float64 {
			out := slices.Clone(x)
			for i := range x {
				s := 1.0
				if g[i] < 0 {
					s = -1
				}
				out[i] = min(1, max(0, x[i]+eps*s))
			}
			return out
		}, "sign(0) = 0"},
		{"in place", func(x, g []float64, eps float64) []float64 { copy(x, fgsmRight(x, g, eps)); return x }, "changed x"},
		{"half step", func(x, g []float64, eps float64) []float64 { return fgsmRight(x, g, eps/2) }, "should be"},
	} {
		wantErr(t, c.name, CheckFGSM(c.f), c.want)
	}
}

func lossNaive(phi []float64, heads []Head, y int) float64 {
	var sum float64
	for _, h := range heads {
		z := slices.Clone(h.B)
		for f, p := range phi {
			for c := range z {
				z[c] += p * h.W[f][c]
			}
		}
		var s float64
		for _, v := range z {
			s += math.Exp(v)
		}
		sum += math.Log(s) - z[y]
	}
	return sum / float64(len(heads))
}

func TestCheckHardLoss(t *testing.T) {
	for _, c := range []struct {
		name string
		f    func([]float64, []Head, int) float64
		want string
	}{
		{"right", func(p []float64, h []Head, y int) float64 { return hardLossRef(p, h, y) }, ""},
		{"library itself", hardLossRef, "a function of pointwise/lib/classroom: off limits"},
		{"stub", func([]float64, []Head, int) float64 { panic("not implemented") }, "not implemented yet"},
		{"naive exp", lossNaive, "overflows"},
		{"summed", func(p []float64, h []Head, y int) float64 { return float64(len(h)) * hardLossRef(p, h, y) }, "K = 4 times too large"},
		{"negated", func(p []float64, h []Head, y int) float64 { return -hardLossRef(p, h, y) }, "negative"},
		{"first head only", func(p []float64, h []Head, y int) float64 { return hardLossRef(p, h[:1], y) }, "should be"},
	} {
		wantErr(t, c.name, CheckHardLoss(c.f), c.want)
	}
}

func TestReport(t *testing.T) {
	var buf bytes.Buffer
	code := -1
	oldOut, oldExit := out, exit
	out, exit = &buf, func(c int) { code = c }
	defer func() { out, exit = oldOut, oldExit }()
	Report("points", nil)
	if buf.String() != "PASS points: correct\n" || code != -1 {
		t.Errorf("Report(nil) printed %q, exit %d", buf.String(), code)
	}
	buf.Reset()
	Report("points", errors.New("your points are not sorted"))
	if buf.String() != "FAIL points: your points are not sorted\n" || code != 1 {
		t.Errorf("Report(err) printed %q, exit %d", buf.String(), code)
	}
}

func TestPiFraction(t *testing.T) {
	for _, c := range []struct {
		k, m int
		want string
	}{{1, 4, "π/4"}, {2, 4, "π/2"}, {9, 16, "9π/16"}, {2, 2, "π"}, {3, 1, "3π"}, {0, 5, "0"}} {
		if got := piFraction(c.k, c.m); got != c.want {
			t.Errorf("piFraction(%d, %d) = %q, want %q", c.k, c.m, got, c.want)
		}
	}
}
