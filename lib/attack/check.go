package attack

import (
	"fmt"
	"math"
	"unsafe"

	"pointwise/lib/mlp"
)

// checkPerturb validates the arguments of Perturb and returns the input
// width in = len(x)/n: n ≥ 1, x of n rows, n labels, dst at least as long as
// x and not overlapping it, every input finite and in [0, 1].
func checkPerturb[T mlp.Float](dst, x []T, labels []int, n int) (int, error) {
	if n < 1 {
		return 0, fmt.Errorf("attack: batch size n = %d out of range: need ≥ 1", n)
	}
	if len(x) == 0 || len(x)%n != 0 {
		return 0, fmt.Errorf("attack: input length %d not a positive multiple of n = %d", len(x), n)
	}
	if len(labels) != n {
		return 0, fmt.Errorf("attack: %d labels for n = %d samples: need exactly n", len(labels), n)
	}
	if len(dst) < len(x) {
		return 0, fmt.Errorf("attack: dst length %d shorter than the input length %d", len(dst), len(x))
	}
	if overlap(dst, x) {
		return 0, fmt.Errorf("attack: dst overlaps x: need separate memory (x is never modified)")
	}
	if err := checkUnit(x); err != nil {
		return 0, err
	}
	return len(x) / n, nil
}

// checkLabels reports the first label outside [0, classes).
func checkLabels(labels []int, classes int) error {
	for i, y := range labels {
		if y < 0 || y >= classes {
			return fmt.Errorf("attack: label %d of sample %d out of range: need 0 to %d", y, i, classes-1)
		}
	}
	return nil
}

// checkGradient reports a gradient dx too short for n rows of in inputs.
func checkGradient[T mlp.Float](dx []T, n, in int) error {
	if len(dx) < n*in {
		return fmt.Errorf("attack: gradient length %d shorter than n = %d × input width %d", len(dx), n, in)
	}
	return nil
}

// unmoved returns dst and x cut to their first m inputs, the batch, and
// whether the attack is done: for eps = 0 the ball is the point x itself,
// so x is copied into dst and nothing is left to search.
func unmoved[T mlp.Float](dst, x []T, m int, eps float64) (dstM, xM []T, done bool) {
	dst, x = dst[:m], x[:m]
	if eps == 0 {
		copy(dst, x)
		return dst, x, true
	}
	return dst, x, false
}

// checkUnit reports the first input that is not finite or not in [0, 1].
func checkUnit[T mlp.Float](x []T) error {
	for j, v := range x {
		if !(v >= 0 && v <= 1) { // also catches NaN
			return fmt.Errorf("attack: input x[%d] = %v out of range: need every input in [0, 1]", j, float64(v))
		}
	}
	return nil
}

// overlap reports whether a and b share memory.
func overlap[T mlp.Float](a, b []T) bool {
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	size := unsafe.Sizeof(a[0])
	a0 := uintptr(unsafe.Pointer(unsafe.SliceData(a)))
	b0 := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	return a0 < b0+uintptr(len(b))*size && b0 < a0+uintptr(len(a))*size
}

// as32 reinterprets a slice whose element type has float32's size as
// []float32, without copying; callers check unsafe.Sizeof first.
func as32[T mlp.Float](s []T) []float32 {
	return unsafe.Slice((*float32)(unsafe.Pointer(unsafe.SliceData(s))), len(s))
}

// checkEpsilon validates an attack radius for the given norm: finite, ≥ 0,
// and ≤ 1 for L∞ (inputs lie in [0, 1], so a larger L∞ ball adds nothing).
func checkEpsilon(eps float64, p Norm) error {
	switch {
	case math.IsNaN(eps) || math.IsInf(eps, 0):
		return fmt.Errorf("attack: Epsilon = %v out of range: need a finite value", eps)
	case eps < 0:
		return fmt.Errorf("attack: Epsilon = %v out of range: need ≥ 0", eps)
	case p == LInf && eps > 1:
		return fmt.Errorf("attack: Epsilon = %v out of range for the L∞ norm: need 0 ≤ ε ≤ 1 (inputs lie in [0, 1])", eps)
	case p != LInf && p != L2:
		return fmt.Errorf("attack: Norm = %v unknown: need LInf or L2", p)
	}
	return nil
}

// checkLoss reports the first non-finite per-sample loss.
func checkLoss(loss []float64) error {
	for i, v := range loss {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("attack: loss of sample %d = %v: need a finite loss (check the inputs and the network's weights)", i, v)
		}
	}
	return nil
}

// clamp returns v limited to [lo, hi].
func clamp[T mlp.Float](v, lo, hi T) T {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}
