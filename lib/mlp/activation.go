package mlp

import (
	"fmt"
	"math"
)

// Float is the set of element types a Network may hold.
type Float interface{ ~float32 | ~float64 }

// Activation is an element-wise activation function σ applied after a dense
// layer. Its derivative is computed from the stored output y = σ(z).
type Activation uint8

const (
	// Identity is σ(z) = z, with σ' = 1.
	Identity Activation = iota
	// ReLU is σ(z) = max(z, 0), with σ' = 1 where y > 0 and 0 elsewhere.
	ReLU
	// Tanh is σ(z) = tanh z, with σ' = 1 − y².
	Tanh
	// Sigmoid is σ(z) = 1/(1 + e^{−z}), with σ' = y(1 − y).
	Sigmoid
	numActivations
)

// String returns the activation's name.
func (a Activation) String() string {
	switch a {
	case Identity:
		return "identity"
	case ReLU:
		return "relu"
	case Tanh:
		return "tanh"
	case Sigmoid:
		return "sigmoid"
	}
	return fmt.Sprintf("Activation(%d)", uint8(a))
}

func (a Activation) valid() bool { return a < numActivations }

// biasAct sets y[i,j] = σ(y[i,j] + b[j]) over rows of len(b); one pass fuses
// the bias and the activation.
func biasAct[T Float](a Activation, y, b []T) {
	n := len(b)
	for r := 0; r+n <= len(y); r += n {
		row := y[r : r+n]
		switch a {
		case Identity:
			for j, v := range row {
				row[j] = v + b[j]
			}
		case ReLU:
			// The builtin max compiles without a branch: a branch on the
			// sign of each element mispredicts half the time.
			b := b[:len(row)]
			for j, v := range row {
				row[j] = max(v+b[j], 0)
			}
		case Tanh:
			for j, v := range row {
				row[j] = T(math.Tanh(float64(v + b[j])))
			}
		case Sigmoid:
			for j, v := range row {
				row[j] = T(sigmoid(float64(v + b[j])))
			}
		}
	}
}

func sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}

// deriv returns σ'(z) from y = σ(z).
func deriv[T Float](a Activation, y T) T {
	switch a {
	case ReLU:
		if y > 0 {
			return 1
		}
		return 0
	case Tanh:
		return 1 - y*y
	case Sigmoid:
		return y * (1 - y)
	}
	return 1
}

// backAct sets dz = g ⊙ σ'(y) and, if gb is non-nil, gb[j] = Σ_i dz[i,j]:
// the gradient with respect to the pre-activation and the bias gradient in one
// pass. gb has the row length. dz may alias g.
func backAct[T Float](a Activation, dz, g, y, gb []T, n int) {
	if gb != nil {
		clear(gb)
	}
	if a == ReLU {
		backReLU(dz, g, y, gb, n)
		return
	}
	for r := 0; r+n <= len(dz); r += n {
		drow, grow, yrow := dz[r:r+n], g[r:r+n], y[r:r+n]
		switch a {
		case Identity:
			copy(drow, grow)
		case Tanh:
			for j, v := range yrow {
				drow[j] = grow[j] * (1 - v*v)
			}
		case Sigmoid:
			for j, v := range yrow {
				drow[j] = grow[j] * v * (1 - v)
			}
		}
		if gb != nil {
			for j, v := range drow {
				gb[j] += v
			}
		}
	}
}

// backReLU is backAct for ReLU, the hot case: the mask is a conditional
// move rather than a branch (which mispredicts on half the elements), and
// the bias gradient is summed in the same pass.
func backReLU[T Float](dz, g, y, gb []T, n int) {
	for r := 0; r+n <= len(dz); r += n {
		yrow := y[r : r+n]
		drow, grow := dz[r:r+len(yrow)], g[r:r+len(yrow)]
		if gb == nil {
			for j, v := range yrow {
				d := grow[j]
				if !(v > 0) {
					d = 0
				}
				drow[j] = d
			}
			continue
		}
		gb := gb[:len(yrow)]
		for j, v := range yrow {
			d := grow[j]
			if !(v > 0) {
				d = 0
			}
			drow[j] = d
			gb[j] += d
		}
	}
}
