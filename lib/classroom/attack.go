package classroom

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// fgsmRef is the reference FGSM step of the checker, from the definition
// x' = clip_[0,1](x + ε·sign(g)) with sign(0) = 0, and not attack.FGSM: the
// exercise asks for what attack.FGSM implements, and attack is off limits to
// the answers. The tests check that both agree.
func fgsmRef(x, g []float64, eps float64) []float64 {
	out := make([]float64, len(x))
	for i := range x {
		var s float64
		switch {
		case g[i] > 0:
			s = 1
		case g[i] < 0:
			s = -1
		}
		out[i] = min(1, max(0, x[i]+eps*s))
	}
	return out
}

// fgsmCase returns a batch of 64 samples of width 8 in [0, 1], some
// coordinates at 0, 1 or near them, and a gradient with some zeros.
func fgsmCase() (x, g []float64, n, width int) {
	n, width = 64, 8
	rng := rand.New(rand.NewPCG(9, 9))
	x, g = make([]float64, n*width), make([]float64, n*width)
	for i := range x {
		switch i % 11 {
		case 0:
			x[i] = 0
		case 1:
			x[i] = 1
		case 2:
			x[i] = 0.97
		default:
			x[i] = rng.Float64()
		}
		if i%13 != 0 {
			g[i] = rng.NormFloat64() * math.Pow(10, rng.Float64()*4-2)
		}
	}
	return x, g, n, width
}

// CheckFGSM checks step(x, grad, eps), which must return the FGSM image
// x' = clip_[0,1](x + ε·sign(∇)) of a batch x (64 samples of 8 pixels,
// row-major) given the loss gradient grad, with sign(0) = 0, without
// modifying x. step may use no package of pointwise (attack.FGSM is the
// answer).
func CheckFGSM(step func(x, grad []float64, eps float64) []float64) error {
	if err := ownCode(step); err != nil {
		return err
	}
	x, g, n, width := fgsmCase()
	const eps = 0.1
	want := fgsmRef(x, g, eps)
	in := slices.Clone(x)
	name := fmt.Sprintf("fgsmStep(x, grad, eps = %g)", eps)
	got, err := call(name, func() []float64 { return step(in, slices.Clone(g), eps) })
	if err != nil {
		return err
	}
	if !slices.Equal(in, x) {
		return fmt.Errorf("%s changed x: return the perturbed batch in a new slice", name)
	}
	if len(got) != len(x) {
		return fmt.Errorf("%s returned %d values for a batch of %d samples of %d pixels (%d values)", name, len(got), n, width, len(x))
	}
	if i := finite(got); i >= 0 {
		return fmt.Errorf("%s: x'[%d] = %v is not a finite number", name, i, got[i])
	}
	outside := 0
	for s := range n {
		for j := s * width; j < (s+1)*width; j++ {
			if math.Abs(got[j]-x[j]) > eps*(1+1e-12) {
				outside++
				break
			}
		}
	}
	if outside > 0 {
		return fmt.Errorf("your perturbation leaves the epsilon ball at %d of %d samples (some |x'_i − x_i| > ε = %g): step by ε·sign(grad), not by grad or ε·grad", outside, n, eps)
	}
	var box, against, zeroMoved, short int
	for i := range got {
		d := got[i] - x[i]
		switch {
		case got[i] < 0 || got[i] > 1:
			box++
		case g[i] == 0 && d != 0:
			zeroMoved++
		case d*g[i] < 0:
			against++
		case math.Abs(got[i]-want[i]) > 1e-12:
			short++
		}
	}
	switch {
	case box > 0:
		return fmt.Errorf("x' leaves [0, 1] at %d of %d pixels: clip every pixel to [0, 1] after the step", box, len(x))
	case against > 0:
		return fmt.Errorf("x' moves against the gradient at %d of %d pixels: FGSM increases the loss, x + ε·sign(grad)", against, len(x))
	case zeroMoved > 0:
		return fmt.Errorf("x' moves %d pixels whose gradient is 0: sign(0) = 0, so they must stay where they are", zeroMoved)
	case short > 0:
		for i := range got {
			if math.Abs(got[i]-want[i]) > 1e-12 {
				return fmt.Errorf("x'[%d] = %.6g should be %.6g (x = %.6g, grad = %.3g, ε = %g): every moved pixel moves by exactly ε unless clipping stops it; %d pixels are wrong", i, got[i], want[i], x[i], g[i], eps, short)
			}
		}
	}
	return nil
}

// Head is one random hypothesis on the feature layer: z = φ·W + B, with W
// of F rows (features) and C columns (classes).
type Head struct {
	W [][]float64 // F×C
	B []float64   // C
}

// hardLossRef is the reference hard loss of one sample: the mean over the
// heads of the cross-entropy log Σ_c exp z_c − z_y of z = φ·W_k + B_k,
// computed with the largest logit subtracted (log-sum-exp), as
// attack.RandomHeads does for a batch. It is unexported: the student writes
// it.
func hardLossRef(phi []float64, heads []Head, y int) float64 {
	var sum float64
	for _, h := range heads {
		z := slices.Clone(h.B)
		for f, p := range phi {
			for c := range z {
				z[c] += p * h.W[f][c]
			}
		}
		m := slices.Max(z)
		var s float64
		for _, v := range z {
			s += math.Exp(v - m)
		}
		sum += m + math.Log(s) - z[y]
	}
	return sum / float64(len(heads))
}

// hardCase draws K heads on F features with C classes at scale sigma.
func hardCase(rng *rand.Rand, k, f, c int, sigma float64) (phi []float64, heads []Head) {
	phi = make([]float64, f)
	for i := range phi {
		phi[i] = rng.Float64()
	}
	for range k {
		h := Head{W: make([][]float64, f), B: make([]float64, c)}
		for i := range h.W {
			h.W[i] = make([]float64, c)
			for j := range h.W[i] {
				h.W[i][j] = sigma * rng.NormFloat64()
			}
		}
		for j := range h.B {
			h.B[j] = 0.1 * sigma * rng.NormFloat64()
		}
		heads = append(heads, h)
	}
	return phi, heads
}

// CheckHardLoss checks loss(phi, heads, y), which must return the hard
// attack's loss of eq. 2 for one sample: (1/K) Σ_k CE(φ·W_k + B_k, y), the
// mean over the K random heads of the softmax cross-entropy to the true label
// y. It is compared with its definition on small logits and on logits near
// 1000, where exp overflows unless the largest logit is subtracted first.
// Of pointwise's packages loss may use only classroom.Head (attack.RandomHeads
// computes this loss for a network).
func CheckHardLoss(loss func(phi []float64, heads []Head, y int) float64) error {
	if err := ownCode(loss, module+"/lib/classroom.Head"); err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(6, 6))
	for _, c := range []struct {
		k     int
		sigma float64
		what  string
	}{{4, 1, "logits of size about 1"}, {1, 1, "a single head"}, {4, 400, "logits of size about 1000"}} {
		phi, heads := hardCase(rng, c.k, 16, 10, c.sigma)
		y := 3
		want := hardLossRef(phi, heads, y)
		name := fmt.Sprintf("hardLoss(K = %d heads, %s)", c.k, c.what)
		got, err := call(name, func() float64 { return loss(slices.Clone(phi), heads, y) })
		if err != nil {
			return err
		}
		switch {
		case math.IsNaN(got) || math.IsInf(got, 0):
			return fmt.Errorf("%s = %v, should be %.6g: exp(z) overflows for large logits; compute log Σ exp z_c as m + log Σ exp(z_c − m) with m the largest logit", name, got, want)
		case got < 0:
			return fmt.Errorf("%s = %.6g is negative: the cross-entropy log Σ exp z_c − z_y is >= 0 (is the sign the right way round?)", name, got)
		case c.k > 1 && close(got, float64(c.k)*want, 1e-9):
			return fmt.Errorf("%s = %.6g is K = %d times too large: average over the heads, do not sum", name, got, c.k)
		case !close(got, want, 1e-9):
			return fmt.Errorf("%s = %.6g should be %.6g (the mean over the heads of log Σ_c exp z_c − z_y, z = φ·W_k + B_k)", name, got, want)
		}
	}
	return nil
}
