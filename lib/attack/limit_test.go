package attack

import (
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"pointwise/lib/mlp"
)

// headsAt returns the objective of K heads with loss l drawn, from the
// stream of seed, from the network head's law with both standard deviations
// multiplied by s.
func headsAt(t *testing.T, net *mlp.Network[float64], k, n int, l HeadLoss, s float64, seed uint64) *RandomHeads[float64] {
	t.Helper()
	o, err := NewRandomHeads(net, k, n, newRand(seed))
	if err != nil {
		t.Fatal(err)
	}
	o.HeadLoss = l
	law := net.Head().Law
	law.WeightStd *= s
	law.BiasStd *= s
	if err := o.SetLaw(law); err != nil {
		t.Fatal(err)
	}
	return o
}

func gradient(t *testing.T, o *RandomHeads[float64], x []float64, y []int) []float64 {
	t.Helper()
	dx := make([]float64, len(x))
	if err := o.Gradient(dx, nil, x, y, len(y)); err != nil {
		t.Fatal(err)
	}
	return dx
}

// TestHeadLimitValues checks HeadLimit's loss against its formula,
// (1/K) Σ_k ((1/C) Σ_c z_kc − z_ky), with z_k = φ(x)W_k + b_k computed
// from the heads Head returns.
func TestHeadLimitValues(t *testing.T) {
	const n, d, k = 5, 6, 4
	net := randomNet[float64](t, []int{d, 8, 7, 3}, mlp.ReLU, 21)
	rnd := newRand(22)
	x := unitInputs[float64](rnd, n, d, 0, 1)
	y := randomLabels(rnd, n, 3)
	o := headsAt(t, net, k, n, HeadLimit, 1, 23)
	loss := make([]float64, n)
	if err := o.Loss(loss, x, y, n); err != nil {
		t.Fatal(err)
	}
	tp, _ := net.NewTape(n)
	phi, _ := tp.Features(x)
	want := make([]float64, n)
	for j := range k {
		h, _ := o.Head(j)
		z, _ := h.Forward(nil, phi)
		for i := range n {
			row := z[i*3 : (i+1)*3]
			want[i] += ((row[0]+row[1]+row[2])/3 - row[y[i]]) / k
		}
	}
	for i := range n {
		if !scalar.EqualWithinAbsOrRel(loss[i], want[i], 1e-15, lossTol) {
			t.Errorf("loss[%d] = %v, want (1/K) Σ_k (mean_c z_kc − z_ky) = %v", i, loss[i], want[i])
		}
	}
}

// TestHeadLimitIsTheSmallScaleLimit checks that HeadLimit is the limit of
// the cross-entropy heads as their scale s → 0. Heads drawn from one stream
// at scale s are s·W̃_k, s·b̃_k (up to one rounding each), and
//
//	∇_x J_CE(s) = J_φᵀ (1/K) Σ_k s·W̃_k (softmax(s·z̃_k) − e_y)
//	            = s·∇_x J_limit + s·J_φᵀ (1/K) Σ_k W̃_k (softmax(s·z̃_k) − 1/C),
//
// where ∇_x J_limit = J_φᵀ (1/K) Σ_k W̃_k (1/C − e_y) is HeadLimit's gradient
// for the heads W̃_k, and softmax(s·z̃) − 1/C = s·(I/C − 11ᵀ/C²)z̃ + O(s²).
// So the relative error e(s) = ‖∇J_CE(s)/s − ∇J_limit‖∞/‖∇J_limit‖∞ is
// c·s + O(s²): e(10⁻⁴)/e(10⁻²) = 10⁻²·(1 + O(10⁻²)), checked within a factor
// 2. A coordinate's sign can differ only where |∇J_limit,i| ≤ e(s)·
// ‖∇J_limit‖∞, so the coordinates whose signs differ, all that L∞ PGD
// uses, become fewer as s shrinks and, at s = 10⁻⁴ in float64, are only
// those where the limit's gradient is within 10⁻⁴-ish of zero relative to
// its largest entry. For He's heads (zero biases) and PyTorch's (uniform
// biases, which change z̃ but not the limit).
func TestHeadLimitIsTheSmallScaleLimit(t *testing.T) {
	const n, d, k = 8, 20, 8
	scales := []float64{1, 1e-2, 1e-4}
	for _, init := range []mlp.Initializer{mlp.He{}, mlp.PyTorchLinear{}} {
		t.Run(init.Name(), func(t *testing.T) {
			net, _ := mlp.New[float64]([]int{d, 16, 16, 10}, mlp.ReLU, mlp.Identity)
			if err := net.Init(newRand(31), init); err != nil {
				t.Fatal(err)
			}
			rnd := newRand(32)
			x := unitInputs[float64](rnd, n, d, 0, 1)
			y := randomLabels(rnd, n, 10)
			lim := gradient(t, headsAt(t, net, k, n, HeadLimit, 1, 33), x, y)
			var top float64
			for _, v := range lim {
				top = math.Max(top, math.Abs(v))
			}
			errs := make([]float64, len(scales))
			differ := make([]int, len(scales))
			for j, s := range scales {
				ce := gradient(t, headsAt(t, net, k, n, HeadCrossEntropy, s, 33), x, y)
				var e float64
				for i, v := range ce {
					e = math.Max(e, math.Abs(v/s-lim[i]))
				}
				errs[j] = e / top
				near := 0 // coordinates whose sign the error can flip
				for i, v := range ce {
					if (v > 0) != (lim[i] > 0) || (v < 0) != (lim[i] < 0) {
						differ[j]++
					}
					if math.Abs(lim[i]) <= e {
						near++
					}
				}
				if differ[j] > near {
					t.Errorf("s = %g: %d signs differ, more than the %d coordinates within the error %.3g of zero", s, differ[j], near, e)
				}
				t.Logf("s = %g: relative error %.3g, %d of %d signs differ", s, errs[j], differ[j], len(lim))
			}
			if r := errs[2] / errs[1]; !(r >= 0.5e-2 && r <= 2e-2) {
				t.Errorf("e(10⁻⁴)/e(10⁻²) = %.3g, want 10⁻² within a factor 2 (e linear in s)", r)
			}
			if !(differ[2] <= differ[1] && differ[1] <= differ[0]) {
				t.Errorf("signs that differ at s = 1, 10⁻², 10⁻⁴: %v, want non-increasing", differ)
			}
			if differ[2] > len(lim)/100 {
				t.Errorf("at s = 10⁻⁴, %d of %d signs differ: want almost none", differ[2], len(lim))
			}
		})
	}
}

// TestHeadLimitScaleFree: HeadLimit's gradient is linear in the heads, so
// heads drawn at 2⁻¹⁰ times the scale from the same stream, which are
// exactly 2⁻¹⁰ times the heads, give exactly 2⁻¹⁰ times the gradient: its
// direction does not depend on the scale.
func TestHeadLimitScaleFree(t *testing.T) {
	const n, d, k = 4, 9, 3
	net := randomNet[float64](t, []int{d, 11, 10, 4}, mlp.ReLU, 41)
	rnd := newRand(42)
	x := unitInputs[float64](rnd, n, d, 0, 1)
	y := randomLabels(rnd, n, 4)
	g1 := gradient(t, headsAt(t, net, k, n, HeadLimit, 1, 43), x, y)
	gs := gradient(t, headsAt(t, net, k, n, HeadLimit, 0x1p-10, 43), x, y)
	for i := range g1 {
		if gs[i] != 0x1p-10*g1[i] {
			t.Fatalf("coordinate %d: %v at scale 2⁻¹⁰, want 2⁻¹⁰ × %v", i, gs[i], g1[i])
		}
	}
}

// TestSetLaw: SetLaw validates the law and redraws from it; without it the
// heads follow the network head's law, so a PyTorch-initialised network
// draws uniform heads with uniform biases, exactly as RandomHead does.
func TestSetLaw(t *testing.T) {
	const f, c, k = 32, 5, 4
	net, _ := mlp.New[float64]([]int{6, f, c}, mlp.ReLU, mlp.Identity)
	if err := net.Init(newRand(51), mlp.PyTorchLinear{}); err != nil {
		t.Fatal(err)
	}
	o, err := NewRandomHeads(net, k, 2, newRand(52))
	if err != nil {
		t.Fatal(err)
	}
	if o.Law() != net.Head().Law {
		t.Errorf("default law %+v, want the head's %+v", o.Law(), net.Head().Law)
	}
	ref := newRand(52)
	bound := 1 / math.Sqrt(f) * (1 + 1e-12)
	for j := range k {
		want, _ := net.RandomHead(ref)
		got, _ := o.Head(j)
		for i, v := range append(got.W, got.B...) {
			if w := append(want.W, want.B...)[i]; v != w {
				t.Fatalf("head %d parameter %d = %v, RandomHead draws %v", j, i, v, w)
			}
			if math.Abs(v) > bound {
				t.Fatalf("head %d parameter %d = %v outside PyTorch's ±1/√F", j, i, v)
			}
		}
	}
	he := mlp.Law{Family: mlp.Normal, WeightStd: math.Sqrt(2.0 / f)}
	if err := o.SetLaw(he); err != nil {
		t.Fatal(err)
	}
	if o.Law() != he {
		t.Errorf("Law() = %+v after SetLaw(%+v)", o.Law(), he)
	}
	for j := range k {
		h, _ := o.Head(j)
		if h.Law != he || h.B[0] != 0 {
			t.Errorf("head %d after SetLaw: law %+v, b_0 = %v; want %+v, 0", j, h.Law, h.B[0], he)
		}
	}
	for _, tc := range []struct {
		law  mlp.Law
		want string
	}{
		{mlp.Law{Family: mlp.Normal}, "σ_w = 0 out of range"},
		{mlp.Law{Family: mlp.Uniform, WeightStd: 1, BiasStd: -1}, "(1, -1) out of range"},
		{mlp.Law{Family: 9, WeightStd: 1}, "Family(9) unknown"},
	} {
		if err := o.SetLaw(tc.law); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("SetLaw(%+v): error %v, want one containing %q", tc.law, err, tc.want)
		}
	}
	if o.Law() != he {
		t.Errorf("a rejected SetLaw changed the law to %+v", o.Law())
	}
	o.HeadLoss = 7
	if err := o.Loss(make([]float64, 1), make([]float64, 6), []int{0}, 1); err == nil || !strings.Contains(err.Error(), "HeadLimit") {
		t.Errorf("HeadLoss 7: error %v, want one naming the losses", err)
	}
}
