package mlp

import (
	"fmt"

	"pointwise/lib/internal/numeric"
)

// CrossEntropy returns the softmax cross-entropy of logits z (batch×classes,
// row-major, classes = len(z)/len(labels)) against integer labels, averaged
// over the batch,
//
//	L = (1/n) Σ_i [log Σ_c exp z_ic − z_{i,y_i}],
//
// and writes ∂L/∂z = (softmax(z_i) − e_{y_i})/n into dst (nil allocates). It
// returns L and dst. Each row is computed as the attacks compute theirs
// (package attack's cross-entropy objective): the log-sum-exp shifted by the
// row maximum, so that large logits do not overflow, and the label's
// component of the gradient as −(1/n) Σ_{c≠y} p_c, which keeps its digits
// when p_y rounds to 1.
func CrossEntropy[T Float](dst, z []T, labels []int) (float64, []T, error) {
	n := len(labels)
	if n == 0 || len(z) == 0 || len(z)%n != 0 {
		return 0, nil, fmt.Errorf("mlp: logits length %d not a positive multiple of the %d labels", len(z), n)
	}
	c := len(z) / n
	dst, err := gradDst(dst, len(z), "logits")
	if err != nil {
		return 0, nil, err
	}
	var loss float64
	inv := 1 / float64(n)
	for i, y := range labels {
		if y < 0 || y >= c {
			return 0, nil, fmt.Errorf("mlp: label %d of sample %d out of range: need 0 to %d", y, i, c-1)
		}
		loss += numeric.CrossEntropy(dst[i*c:(i+1)*c], z[i*c:(i+1)*c], y, inv)
	}
	return loss * inv, dst, nil
}

// HalfSquaredError returns half the squared error of outputs y against
// targets t (both batch×out, row-major), averaged over the batch of n rows,
//
//	L = (1/n) Σ_i ½‖y_i − t_i‖²,
//
// Bishop's sum-of-squares error per sample (Pattern Recognition and Machine
// Learning, 2006, eq. 1.2), and writes ∂L/∂y = (y − t)/n into dst (nil
// allocates). It returns L and dst. The ½ makes the gradient y − t; the
// squared loss L(ŷ, y) = (ŷ − y)² of the paper's objectives is
// objective.SquaredLoss.
func HalfSquaredError[T Float](dst, y, t []T, n int) (float64, []T, error) {
	if n < 1 || len(y) == 0 || len(y)%n != 0 {
		return 0, nil, fmt.Errorf("mlp: batch %d out of range for output length %d: need ≥ 1 and dividing it", n, len(y))
	}
	if len(t) != len(y) {
		return 0, nil, fmt.Errorf("mlp: target length %d does not match the output length %d", len(t), len(y))
	}
	dst, err := gradDst(dst, len(y), "output")
	if err != nil {
		return 0, nil, err
	}
	var loss float64
	inv := 1 / float64(n)
	for i, v := range y {
		d := float64(v) - float64(t[i])
		loss += d * d
		dst[i] = T(d * inv)
	}
	return 0.5 * loss * inv, dst, nil
}

// Correct returns how many rows of z (batch×classes) have their largest entry
// at the label; ties go to the lowest index.
func Correct[T Float](z []T, labels []int) int {
	if len(labels) == 0 {
		return 0
	}
	c := len(z) / len(labels)
	k := 0
	for i, y := range labels {
		if numeric.Argmax(z[i*c:(i+1)*c]) == y {
			k++
		}
	}
	return k
}

// gradDst returns dst for a gradient of length n, allocating it if nil, or
// an error naming what (the logits, the output) when a non-nil dst does not
// have length n.
func gradDst[T Float](dst []T, n int, what string) ([]T, error) {
	if dst == nil {
		return make([]T, n), nil
	}
	if len(dst) != n {
		return nil, fmt.Errorf("mlp: gradient length %d does not match the %s length %d", len(dst), what, n)
	}
	return dst, nil
}
