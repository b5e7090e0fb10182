package mlp

import (
	"fmt"
	"math"
	"unsafe"
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
// (Its switch is this type's table of names, like other packages' String
// methods: alike in shape, with no logic to share.)
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
	if a == ReLU && unsafe.Sizeof(T(0)) == 4 {
		biasReLU32(as32(y), as32(b))
		return
	}
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

// backReLU is backAct for ReLU, the hot case, with the bias gradient summed
// in the same pass.
func backReLU[T Float](dz, g, y, gb []T, n int) {
	if unsafe.Sizeof(T(0)) == 4 {
		backReLU32(as32(dz), as32(g), as32(y), as32(gb), n)
		return
	}
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

// backReLU32 is backReLU on float32, with the mask y > 0 taken on the bits:
// Go compiles a choice between floats to a branch, which mispredicts on half
// the units, and a choice between integers to a conditional move. y > 0
// exactly when its bits, as an integer, lie in [1, bits(+Inf)] (NaN above,
// zeros and negatives outside).
func backReLU32(dz, g, y, gb []float32, n int) {
	const inf = 0x7f800000
	for r := 0; r+n <= len(dz); r += n {
		yrow := y[r : r+n]
		drow, grow := dz[r:r+len(yrow)], g[r:r+len(yrow)]
		for j, v := range yrow {
			d := math.Float32bits(grow[j])
			if math.Float32bits(v)-1 >= inf {
				d = 0
			}
			drow[j] = math.Float32frombits(d)
		}
		if gb != nil {
			gb := gb[:len(drow)]
			for j, d := range drow {
				gb[j] += d
			}
		}
	}
}

// biasReLU32 is biasAct for ReLU on float32, max(z, 0) with z = y + b taken
// on the bits: Go compiles the float max to a sequence that handles NaN and
// −0, an integer choice to one conditional move. z is replaced by +0 exactly
// when its bits lie in [bits(−0), bits(−Inf)], the negative numbers; a NaN
// stays NaN, as with max.
func biasReLU32(y, b []float32) {
	const negZero, negInf = 0x80000000, 0xff800000
	n := len(b)
	for r := 0; r+n <= len(y); r += n {
		row := y[r : r+n]
		b := b[:len(row)]
		for j, v := range row {
			z := math.Float32bits(v + b[j])
			if z-negZero <= negInf-negZero {
				z = 0
			}
			row[j] = math.Float32frombits(z)
		}
	}
}

// as32 reinterprets a slice whose element type has float32's size as
// []float32, without copying; callers check unsafe.Sizeof first.
func as32[T Float](s []T) []float32 {
	return unsafe.Slice((*float32)(unsafe.Pointer(unsafe.SliceData(s))), len(s))
}
