package mlp

import (
	"errors"
	"fmt"
	"sync"
)

// FeatureMap is the augmented feature map f(x) = [φ(x), 1] of a network's
// hidden layers, in float64, for the objectives that treat the head as a
// linear model f(x)ᵀθ with Gaussian θ. It is a snapshot: later changes to the
// network do not reach it. It is safe for concurrent use.
type FeatureMap struct {
	sizes []int // input, hidden widths
	acts  []Activation
	w, b  [][]float64
	wstd  float64 // the head's initial scales, for CoefficientVariance
	bstd  float64
	pool  sync.Pool // *fmScratch
}

type fmScratch struct{ a, z, ja, jz []float64 }

// FeatureMap returns the feature map of the network's hidden layers.
func (net *Network[T]) FeatureMap() (*FeatureMap, error) {
	L := len(net.acts)
	if L < 2 {
		return nil, errors.New("mlp: network has no hidden layer: need at least 3 sizes for a feature layer")
	}
	fm := &FeatureMap{
		sizes: append([]int(nil), net.sizes[:L]...),
		acts:  append([]Activation(nil), net.acts[:L-1]...),
		wstd:  net.laws[L-1].WeightStd,
		bstd:  net.laws[L-1].BiasStd,
	}
	for l := range L - 1 {
		lay := net.Layer(l)
		fm.w = append(fm.w, toFloat64(lay.W))
		fm.b = append(fm.b, toFloat64(lay.B))
	}
	width := 0
	for _, s := range fm.sizes {
		width = max(width, s)
	}
	in := fm.sizes[0]
	fm.pool.New = func() any {
		return &fmScratch{
			a: make([]float64, width), z: make([]float64, width),
			ja: make([]float64, width*in), jz: make([]float64, width*in),
		}
	}
	return fm, nil
}

// Dims returns the input width and the number of features p = width of φ + 1.
func (fm *FeatureMap) Dims() (in, features int) {
	return fm.sizes[0], fm.sizes[len(fm.sizes)-1] + 1
}

// Features returns f(x) = [φ(x), 1] for one point x (len(x) = in) in dst (nil
// allocates). It panics if len(x) or a non-nil len(dst) is wrong.
func (fm *FeatureMap) Features(dst, x []float64) []float64 {
	in, p := fm.Dims()
	dst = fm.prepare(dst, x, p, in, 1)
	s := fm.pool.Get().(*fmScratch)
	a := s.a[:in]
	copy(a, x)
	for l, act := range fm.acts {
		m := fm.sizes[l+1]
		z := s.z[:m]
		clear(z)
		for i, v := range a {
			row := fm.w[l][i*m : (i+1)*m]
			for j, w := range row {
				z[j] += v * w
			}
		}
		biasAct(act, z, fm.b[l])
		a, s.z, s.a = z, s.a, s.z
	}
	copy(dst, a)
	dst[p-1] = 1
	fm.pool.Put(s)
	return dst
}

// FeatureGradient returns the Jacobian of f at x, row-major p×in:
// dst[k*in+j] = ∂f_k/∂x_j, computed in forward mode layer by layer,
// J_z = Wᵀ·J_a, J_a' = diag(σ'(z))·J_z, starting from J = I. The last row (the
// constant feature) is zero. dst nil allocates; it panics if len(x) or a
// non-nil len(dst) is wrong.
func (fm *FeatureMap) FeatureGradient(dst, x []float64) []float64 {
	in, p := fm.Dims()
	dst = fm.prepare(dst, x, p, in, in)
	s := fm.pool.Get().(*fmScratch)
	a, ja := s.a[:in], s.ja[:in*in]
	copy(a, x)
	clear(ja)
	for j := range in {
		ja[j*in+j] = 1
	}
	for l, act := range fm.acts {
		n, m := fm.sizes[l], fm.sizes[l+1]
		z, jz := s.z[:m], s.jz[:m*in]
		clear(z)
		clear(jz)
		for i := range n {
			v, jrow := a[i], ja[i*in:(i+1)*in]
			row := fm.w[l][i*m : (i+1)*m]
			for j, w := range row {
				z[j] += v * w
				out := jz[j*in : (j+1)*in]
				for c, d := range jrow {
					out[c] += w * d
				}
			}
		}
		biasAct(act, z, fm.b[l])
		for j, y := range z {
			d := deriv(act, y)
			for c := range in {
				jz[j*in+c] *= d
			}
		}
		a, s.z, s.a = z, s.a, s.z
		ja, s.jz, s.ja = jz, s.ja, s.jz
	}
	copy(dst, ja)
	clear(dst[(p-1)*in:])
	fm.pool.Put(s)
	return dst
}

// CoefficientVariance returns the diagonal of the covariance Σ of a random
// head's coefficients θ over [φ, 1]: σ_w² on each feature of φ and σ_b² on the
// constant, with σ_w, σ_b the head's initial scales. dst nil allocates.
func (fm *FeatureMap) CoefficientVariance(dst []float64) []float64 {
	_, p := fm.Dims()
	if dst == nil {
		dst = make([]float64, p)
	}
	if len(dst) != p {
		panic(fmt.Sprintf("mlp: variance length %d, want %d", len(dst), p))
	}
	for k := range p - 1 {
		dst[k] = fm.wstd * fm.wstd
	}
	dst[p-1] = fm.bstd * fm.bstd
	return dst
}

func (fm *FeatureMap) prepare(dst, x []float64, p, in, cols int) []float64 {
	if len(x) != in {
		panic(fmt.Sprintf("mlp: point length %d, want %d", len(x), in))
	}
	if dst == nil {
		return make([]float64, p*cols)
	}
	if len(dst) != p*cols {
		panic(fmt.Sprintf("mlp: dst length %d, want %d", len(dst), p*cols))
	}
	return dst
}
