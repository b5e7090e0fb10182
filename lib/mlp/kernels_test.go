package mlp

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// TestCheckFinite puts one bad value at every position of slices of several
// lengths, so that each lane of checkFinite's unrolled sum and its tail are
// exercised, and checks the error names the first bad index.
func TestCheckFinite(t *testing.T) {
	for _, n := range []int{1, 3, 4, 5, 8, 11} {
		for i := range n {
			for _, bad := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
				x := make([]float32, n)
				for j := range x {
					x[j] = float32(j) - 2.5
				}
				x[i] = float32(bad)
				err := checkFinite("x", x)
				if err == nil || !strings.Contains(err.Error(), "x["+strconv.Itoa(i)+"]") {
					t.Errorf("n = %d, x[%d] = %v: error %v, want one naming x[%d]", n, i, bad, err, i)
				}
			}
		}
		x := make([]float64, n)
		for j := range x {
			x[j] = math.MaxFloat64 * float64(j%2*2-1)
		}
		if err := checkFinite("x", x); err != nil {
			t.Errorf("n = %d, finite extremes: %v, want nil", n, err)
		}
	}
}

// TestReLUKernels compares the branch-free ReLU passes with the textbook
// definitions, including zero, −0 and NaN pre-activations.
func TestReLUKernels(t *testing.T) {
	t.Run("float64", reluKernels[float64])
	t.Run("float32", reluKernels[float32]) // backReLU's own path on the bits
}

func reluKernels[T Float](t *testing.T) {
	const n = 7
	rnd := rand.New(rand.NewPCG(1, 1))
	y := make([]T, 5*n)
	for i := range y {
		y[i] = T(rnd.NormFloat64())
	}
	y[3], y[4], y[5], y[6], y[7], y[8] = 0, T(math.Copysign(0, -1)), T(math.NaN()), T(math.Inf(1)), T(math.Copysign(math.NaN(), -1)), T(math.Inf(-1))
	b := make([]T, n)
	for j := range b {
		b[j] = T(0.1 * rnd.NormFloat64())
	}
	b[3], b[4] = 0, 0
	out := append([]T(nil), y...)
	biasAct(ReLU, out, b)
	for i, v := range y {
		z := v + b[i%n]
		switch {
		case math.IsNaN(float64(z)):
			if !math.IsNaN(float64(out[i])) {
				t.Errorf("ReLU(NaN) = %v, want NaN", out[i])
			}
		case z > 0 && out[i] != z, z <= 0 && math.Float64bits(float64(out[i])) != 0: // +0, not −0
			t.Errorf("ReLU(%v) = %v", z, out[i])
		}
	}
	g := make([]T, len(y))
	for i := range g {
		g[i] = T(rnd.NormFloat64())
	}
	dz := make([]T, len(y))
	gb := make([]T, n)
	backAct(ReLU, dz, g, out, gb, n)
	wantB := make([]T, n)
	for i, v := range out {
		want := T(0)
		if v > 0 {
			want = g[i]
		}
		if math.Float64bits(float64(dz[i])) != math.Float64bits(float64(want)) { // a masked unit gives +0
			t.Errorf("dz[%d] = %v at y = %v, want %v", i, dz[i], v, want)
		}
		wantB[i%n] += want
	}
	for j := range gb {
		if gb[j] != wantB[j] { // the same sums in the same order
			t.Errorf("gb[%d] = %v, want %v", j, gb[j], wantB[j])
		}
	}
	dz2 := make([]T, len(y))
	backAct(ReLU, dz2, g, out, nil, n)
	for i := range dz2 {
		if dz2[i] != dz[i] {
			t.Errorf("without gb, dz[%d] = %v, want %v", i, dz2[i], dz[i])
		}
	}
}

// TestReLU32Bits checks the float32 ReLU kernels, which work on the bits, at
// the edges of the ranges of bits they test: zeros, the smallest subnormals,
// infinities and the NaNs next to them.
func TestReLU32Bits(t *testing.T) {
	for _, tc := range []struct {
		bits     uint32
		positive bool // y > 0: ReLU keeps it and passes the gradient
		negative bool // y < 0 or −0: ReLU gives +0
	}{
		{0x00000000, false, false}, {0x80000000, false, true},
		{0x00000001, true, false}, {0x80000001, false, true},
		{0x7f800000, true, false}, {0xff800000, false, true},
		{0x7f800001, false, false}, {0xff800001, false, false}, // NaNs
		{0x3f800000, true, false}, {0xbf800000, false, true}, // ±1
	} {
		v := math.Float32frombits(tc.bits)
		y := []float32{v}
		biasReLU32(y, []float32{0})
		switch got := math.Float32bits(y[0]); {
		case tc.negative && got != 0:
			t.Errorf("ReLU(%#08x) has bits %#08x, want +0", tc.bits, got)
		case v != v && y[0] == y[0]: // adding 0 may quieten a NaN, but it stays NaN
			t.Errorf("ReLU(%#08x) = %v, want NaN", tc.bits, y[0])
		case v == v && !tc.negative && got != tc.bits:
			t.Errorf("ReLU(%#08x) has bits %#08x, want the input", tc.bits, got)
		}
		dz := []float32{0}
		backReLU32(dz, []float32{2}, []float32{v}, nil, 1)
		if want := float32(0); tc.positive && dz[0] != 2 || !tc.positive && math.Float32bits(dz[0]) != math.Float32bits(want) {
			t.Errorf("ReLU'(%#08x) passes %v of a gradient 2, want 2 if y > 0, +0 otherwise", tc.bits, dz[0])
		}
	}
}

// TestAdamVectorBits runs Adam's float32 update through adamRange (four at
// a time where adam_amd64.s applies, the scalar loop for the rest) and
// through the scalar loop alone, on lengths that leave every tail of 0 to 3,
// offsets that misalign the slices, moments and gradients spread over many
// binades (zeros and subnormals too), and with and without weight decay: the
// parameters and both moments must have the same bits.
func TestAdamVectorBits(t *testing.T) {
	rnd := rand.New(rand.NewPCG(7, 7))
	val := func() float32 {
		switch rnd.IntN(8) {
		case 0:
			return 0
		case 1:
			return float32(rnd.NormFloat64()) * 1e-40 // subnormal
		}
		return float32(rnd.NormFloat64() * math.Pow(10, float64(rnd.IntN(13)-8)))
	}
	for _, wd := range []float32{0, 0.01} {
		for _, n := range []int{0, 1, 3, 4, 5, 8, 13, 67} {
			for _, off := range []int{0, 1, 2} {
				var in [4][]float32 // params, grad, m, v
				for k := range in {
					in[k] = make([]float32, off+n)
					for i := range in[k] {
						in[k][i] = val()
					}
				}
				for i := range in[3] {
					in[3][i] = in[3][i] * in[3][i] // v ≥ 0
				}
				var got, want [4][]float32
				for k := range in {
					got[k] = append([]float32(nil), in[k][off:]...)
					want[k] = append([]float32(nil), in[k][off:]...)
				}
				r := adamRange[float32]{params: got[0], grad: got[1], m: got[2], v: got[3],
					step: 1e-3 / 0.19, rc2: 1 / float32(math.Sqrt(0.002998)), b1: 0.9, b2: 0.999, eps: 1e-8, wd: wd}
				r.Range(0, n)
				adamScalar(want[0], want[1], want[2], want[3], r.step, r.rc2, r.b1, r.b2, r.eps, r.wd)
				for k, name := range []string{"params", "grad", "m", "v"} {
					for i := range n {
						if math.Float32bits(got[k][i]) != math.Float32bits(want[k][i]) {
							t.Errorf("wd %v, n %d, offset %d: %s[%d] = %v, scalar loop %v", wd, n, off, name, i, got[k][i], want[k][i])
						}
					}
				}
			}
		}
	}
}
