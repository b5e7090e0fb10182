package linalg

import (
	"math"
	"math/rand/v2"
	"testing"
)

// naive is the textbook triple loop, the reference for Gemm.
func naive(tA, tB bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	for i := range m {
		for j := range n {
			var s float64
			for l := range k {
				ai, bi := i*lda+l, l*ldb+j
				if tA {
					ai = l*lda + i
				}
				if tB {
					bi = j*ldb + l
				}
				av, bv := a[ai], b[bi]
				s += av * bv
			}
			c[i*ldc+j] = alpha*s + beta*c[i*ldc+j]
		}
	}
}

func TestGemm(t *testing.T) {
	// Sums of k products of numbers in [-1, 1]: rounding grows like k·ε.
	const tol64, tol32 = 1e-12, 1e-4
	rnd := rand.New(rand.NewPCG(1, 1))
	for _, tc := range []struct{ m, n, k int }{
		{1, 1, 1}, {3, 5, 7}, {64, 192, 10}, {65, 193, 70}, {130, 260, 300}, {128, 10, 256}, {5, 4, 0},
	} {
		for _, tA := range []bool{false, true} {
			for _, tB := range []bool{false, true} {
				lda, ldb := tc.k, tc.n
				if tA {
					lda = tc.m
				}
				if tB {
					ldb = tc.k
				}
				a := make([]float64, tc.m*tc.k)
				b := make([]float64, tc.k*tc.n)
				c := make([]float64, tc.m*tc.n)
				for _, s := range [][]float64{a, b, c} {
					for i := range s {
						s[i] = 2*rnd.Float64() - 1
					}
				}
				want := append([]float64(nil), c...)
				naive(tA, tB, tc.m, tc.n, tc.k, 0.5, a, max(lda, 1), b, max(ldb, 1), 2, want, tc.n)
				got := append([]float64(nil), c...)
				Gemm(tA, tB, tc.m, tc.n, tc.k, 0.5, a, max(lda, 1), b, max(ldb, 1), 2, got, tc.n)
				a32, b32, got32 := to32(a), to32(b), to32(c)
				Gemm(tA, tB, tc.m, tc.n, tc.k, 0.5, a32, max(lda, 1), b32, max(ldb, 1), 2, got32, tc.n)
				for i := range want {
					if math.Abs(got[i]-want[i]) > tol64*float64(tc.k+1) {
						t.Fatalf("%v tA=%v tB=%v: float64 c[%d] = %v, want %v", tc, tA, tB, i, got[i], want[i])
					}
					if math.Abs(float64(got32[i])-want[i]) > tol32*float64(tc.k+1) {
						t.Fatalf("%v tA=%v tB=%v: float32 c[%d] = %v, want %v", tc, tA, tB, i, got32[i], want[i])
					}
				}
			}
		}
	}
}

func to32(s []float64) []float32 {
	d := make([]float32, len(s))
	for i, v := range s {
		d[i] = float32(v)
	}
	return d
}

func TestGemmNoAlloc(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	const m, n, k = 128, 256, 784
	a, b, c := make([]float32, m*k), make([]float32, k*n), make([]float32, m*n)
	allocs := testing.AllocsPerRun(20, func() {
		Gemm(false, false, m, n, k, 1, a, k, b, n, 0, c, n)
	})
	if allocs != 0 {
		t.Errorf("Gemm allocated %v times per call, want 0", allocs)
	}
	// The weight gradient Xᵀ·dZ, whose transposed A gets a workspace.
	x, dz, gw := make([]float32, m*k), make([]float32, m*n), make([]float32, k*n)
	allocs = testing.AllocsPerRun(20, func() {
		Gemm(true, false, k, n, m, 1, x, k, dz, n, 0, gw, n)
	})
	if allocs != 0 {
		t.Errorf("Gemm with transposed A allocated %v times per call, want 0", allocs)
	}
}

func benchmarkGemm[T Float](b *testing.B, m, n, k int) {
	x, y, z := make([]T, m*k), make([]T, k*n), make([]T, m*n)
	// gonum skips zero elements of A, so zero matrices would time nothing.
	rnd := rand.New(rand.NewPCG(1, 1))
	for _, s := range [][]T{x, y} {
		for i := range s {
			s[i] = T(rnd.NormFloat64())
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		Gemm(false, false, m, n, k, 1, x, k, y, n, 0, z, n)
	}
	b.ReportMetric(2*float64(m*n*k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

func BenchmarkGemm32(b *testing.B) { benchmarkGemm[float32](b, 128, 256, 784) }
func BenchmarkGemm64(b *testing.B) { benchmarkGemm[float64](b, 128, 256, 784) }

// benchmarkShape times one product of the fig6 network's passes at batch 128.
func benchmarkShape(b *testing.B, tA, tB bool, m, n, k int) {
	x, y, z := make([]float32, m*k), make([]float32, k*n), make([]float32, m*n)
	rnd := rand.New(rand.NewPCG(1, 1))
	for _, s := range [][]float32{x, y} {
		for i := range s {
			s[i] = float32(rnd.NormFloat64())
		}
	}
	lda, ldb := k, n
	if tA {
		lda = m
	}
	if tB {
		ldb = k
	}
	b.ReportAllocs()
	for b.Loop() {
		Gemm(tA, tB, m, n, k, 1, x, lda, y, ldb, 0, z, n)
	}
	b.ReportMetric(2*float64(m*n*k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

// The products of a 784→256→256→10 network at batch 128: forward X·W,
// input gradient dZ·Wᵀ, weight gradient Xᵀ·dZ.
func BenchmarkFwd784x256(b *testing.B)  { benchmarkShape(b, false, false, 128, 256, 784) }
func BenchmarkFwd256x256(b *testing.B)  { benchmarkShape(b, false, false, 128, 256, 256) }
func BenchmarkFwd256x10(b *testing.B)   { benchmarkShape(b, false, false, 128, 10, 256) }
func BenchmarkBwdX10x256(b *testing.B)  { benchmarkShape(b, false, true, 128, 256, 10) }
func BenchmarkBwdX256x256(b *testing.B) { benchmarkShape(b, false, true, 128, 256, 256) }
func BenchmarkBwdX256x784(b *testing.B) { benchmarkShape(b, false, true, 128, 784, 256) }
func BenchmarkBwdW784x256(b *testing.B) { benchmarkShape(b, true, false, 784, 256, 128) }
func BenchmarkBwdW256x256(b *testing.B) { benchmarkShape(b, true, false, 256, 256, 128) }
func BenchmarkBwdW256x10(b *testing.B)  { benchmarkShape(b, true, false, 256, 10, 128) }

// The K = 8 random heads of a hard training step, one 256→80 layer: forward
// and input gradient.
func BenchmarkFwd256x80(b *testing.B)  { benchmarkShape(b, false, false, 128, 80, 256) }
func BenchmarkBwdX80x256(b *testing.B) { benchmarkShape(b, false, true, 128, 256, 80) }

// BenchmarkSquare2048 times a product large enough to approach the
// machine's peak GFLOP/s, the roofline of make bench.
func BenchmarkSquare2048(b *testing.B) { benchmarkShape(b, false, false, 2048, 2048, 2048) }
