package numeric

import "math"

// Float is the element type of logits: float32 or float64.
type Float interface{ ~float32 | ~float64 }

// CrossEntropy returns the softmax cross-entropy of one row of logits z to
// the label y,
//
//	ℓ(z, y) = log Σ_c exp z_c − z_y,
//
// and stores scale·∂ℓ/∂z = scale·(softmax(z) − e_y) in dst. It computes in
// float64 whatever T is. With m = z_k the largest logit, the log-sum-exp is
// taken as m + log1p(Σ_{c≠k} exp(z_c − m)), which cannot overflow and keeps
// the relative accuracy of a loss near 0 (a sample classified with
// confidence); and the label's component of the gradient is computed as
// −scale·Σ_{c≠y} p_c rather than scale·(p_y − 1), which loses digits as p_y
// nears 1 and all of them once p_y rounds to 1 (at a margin
// z_y − max_{c≠y} z_c beyond about 17 in float32 and 37 in float64). A
// non-finite logit gives a non-finite loss, which callers check.
//
// CrossEntropy panics if len(dst) ≠ len(z) or y is not an index of z.
func CrossEntropy[T Float](dst, z []T, y int, scale float64) float64 {
	if len(dst) != len(z) {
		panic("numeric: CrossEntropy: dst and logits lengths differ")
	}
	k := Argmax(z)
	m := float64(z[k])
	var s float64 // Σ_{c≠k} exp(z_c − m)
	for c, v := range z {
		if c != k {
			s += math.Exp(float64(v) - m)
		}
	}
	tail := math.Log1p(s)
	lse := m + tail
	var rest float64 // Σ_{c≠y} p_c = 1 − p_y
	for c, v := range z {
		p := math.Exp(float64(v) - lse)
		dst[c] = T(scale * p)
		if c != y {
			rest += p
		}
	}
	dst[y] = T(-scale * rest)
	return (m - float64(z[y])) + tail
}

// Argmax returns the predicted class of one row of logits x: the index of
// its largest entry, the lowest such index on ties. It returns 0 for an
// empty x.
func Argmax[T Float](x []T) int {
	best := 0
	for j, v := range x {
		if v > x[best] {
			best = j
		}
	}
	return best
}
