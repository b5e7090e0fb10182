package attack

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestStepLInf32SameBits compares the float32 L∞ step on bits with the step
// written with float operations, min(max(x^t + α·sign(g), x − ε, 0), x + ε, 1),
// on random iterates, gradients with zeros of both signs, inputs at 0 and 1,
// and both signs of α (a targeted attack descends).
func TestStepLInf32SameBits(t *testing.T) {
	rnd := rand.New(rand.NewPCG(5, 5))
	const n = 4096
	for _, alpha := range []float32{0.0125, -0.0125, 0.3, 1e-8} {
		for _, eps := range []float32{0.1, 0.3, 1} {
			x, cur, g := make([]float32, n), make([]float32, n), make([]float32, n)
			lo, hi := make([]float32, n), make([]float32, n)
			for j := range x {
				switch j % 8 {
				case 0:
					x[j] = 0
				case 1:
					x[j] = 1
				default:
					x[j] = rnd.Float32()
				}
				lo[j], hi[j] = max(x[j]-eps, 0), min(x[j]+eps, 1)
				cur[j] = lo[j] + (hi[j]-lo[j])*rnd.Float32()
				switch j % 5 {
				case 0:
					g[j] = 0
				case 1:
					g[j] = float32(math.Copysign(0, -1))
				default:
					g[j] = float32(rnd.NormFloat64())
				}
			}
			want := make([]float32, n)
			for j := range want {
				d := float32(0)
				if g[j] != 0 {
					d = float32(math.Copysign(math.Abs(float64(alpha)), float64(alpha)*float64(g[j])))
				}
				want[j] = min(max(cur[j]+d, x[j]-eps, 0), x[j]+eps, 1)
			}
			stepLInf32(cur, g, lo, hi, alpha)
			for j := range want {
				if math.Float32bits(cur[j]) != math.Float32bits(want[j]) {
					t.Fatalf("α = %v, ε = %v: x = %v, g = %v: step gives %v, want %v", alpha, eps, x[j], g[j], cur[j], want[j])
				}
			}
		}
	}
}
