package mlp

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"pointwise/lib/internal/linalg"
)

// Head returns a view of the head, the last layer, which acts on the feature
// layer φ. It shares memory with the network.
func (net *Network[T]) Head() Layer[T] { return net.Layer(len(net.acts) - 1) }

// SetHead copies the weights, biases and law of h into the head. h must
// have the head's widths; its activation and law replace the head's.
func (net *Network[T]) SetHead(h Layer[T]) error {
	head := net.Head()
	if h.In != head.In || h.Out != head.Out || len(h.W) != h.In*h.Out || len(h.B) != h.Out {
		return fmt.Errorf("mlp: head %d×%d (|W| = %d, |b| = %d) does not fit the network's %d×%d head", h.In, h.Out, len(h.W), len(h.B), head.In, head.Out)
	}
	if !h.Act.valid() {
		return fmt.Errorf("mlp: head activation %v unknown: need Identity, ReLU, Tanh or Sigmoid", h.Act)
	}
	if p := h.Law.problem(); p != "" {
		return fmt.Errorf("mlp: head law: %s", p)
	}
	copy(head.W, h.W)
	copy(head.B, h.B)
	l := len(net.acts) - 1
	net.acts[l] = h.Act
	net.laws[l] = h.Law
	return nil
}

// RandomHead returns a new head, in its own memory, with the network head's
// widths, activation and law, drawn from that law (see Layer.Draw) with rnd:
// a random hypothesis on the current feature layer, h ~ H of the paper's
// eq. 2, where H is the head's initialisation (N(0, 2/F) weights and zero
// biases for He's; U(±1/√F) weights and biases for PyTorchLinear's).
// Redraw it in place with Layer.Draw.
func (net *Network[T]) RandomHead(rnd *rand.Rand) (Layer[T], error) {
	h := net.Head()
	h.W = make([]T, len(h.W))
	h.B = make([]T, len(h.B))
	return h, h.Draw(rnd)
}

// Draw redraws the layer's parameters in place from its Law with rnd, as
// Init does: every W_ij (row-major), then every b_j, independent, of mean 0
// and standard deviations σ_w = WeightStd and σ_b = BiasStd, N(0, σ²) for
// Normal and U(−√3σ, √3σ) for Uniform.
func (l Layer[T]) Draw(rnd *rand.Rand) error {
	if rnd == nil {
		return errors.New("mlp: random source nil: need a seeded *rand.Rand")
	}
	if p := l.Law.problem(); p != "" {
		return fmt.Errorf("mlp: layer law: %s", p)
	}
	draw(rnd, l.Law, l.W, l.B)
	return nil
}

// Forward computes y = σ(x·W + 1bᵀ) for the batch x (rows of In) into dst
// (rows of Out; nil allocates) and returns dst.
func (l Layer[T]) Forward(dst, x []T) ([]T, error) {
	if len(x) == 0 || len(x)%l.In != 0 {
		return nil, fmt.Errorf("mlp: input length %d not a positive multiple of the layer width %d", len(x), l.In)
	}
	n := len(x) / l.In
	if dst == nil {
		dst = make([]T, n*l.Out)
	}
	if len(dst) != n*l.Out {
		return nil, fmt.Errorf("mlp: output length %d does not match batch %d × width %d", len(dst), n, l.Out)
	}
	linalg.Gemm(false, false, n, l.Out, l.In, 1, x, l.In, l.W, l.Out, 0, dst, l.Out)
	biasAct(l.Act, dst, l.B)
	return dst, nil
}

// InputGradient computes ∂L/∂x = dz·Wᵀ from dz = ∂L/∂z, the gradient with
// respect to the layer's pre-activation z = x·W + 1bᵀ (for an Identity layer,
// the gradient with respect to its output), into dx (nil allocates). If add,
// it adds to dx instead, so that the gradients of several heads sum. It
// returns dx.
func (l Layer[T]) InputGradient(dx, dz []T, add bool) ([]T, error) {
	if len(dz) == 0 || len(dz)%l.Out != 0 {
		return nil, fmt.Errorf("mlp: gradient length %d not a positive multiple of the layer width %d", len(dz), l.Out)
	}
	n := len(dz) / l.Out
	if dx == nil {
		dx = make([]T, n*l.In)
		add = false
	}
	if len(dx) != n*l.In {
		return nil, fmt.Errorf("mlp: input gradient length %d does not match batch %d × width %d", len(dx), n, l.In)
	}
	var beta T
	if add {
		beta = 1
	}
	linalg.Gemm(false, true, n, l.In, l.Out, 1, dz, l.Out, l.W, l.Out, beta, dx, l.In)
	return dx, nil
}

// Theta returns the coefficient vector of output o over the augmented
// features f = [φ, 1]: θ = [W_{0,o}, …, W_{In−1,o}, b_o], so that the
// pre-activation of output o is fᵀθ. It writes into dst (nil allocates) and
// panics if o is out of range.
func (l Layer[T]) Theta(dst []float64, o int) []float64 {
	if o < 0 || o >= l.Out {
		panic(fmt.Sprintf("mlp: output %d out of range [0, %d)", o, l.Out))
	}
	if dst == nil {
		dst = make([]float64, l.In+1)
	}
	if len(dst) != l.In+1 {
		panic("mlp: theta length mismatch")
	}
	for k := range l.In {
		dst[k] = float64(l.W[k*l.Out+o])
	}
	dst[l.In] = float64(l.B[o])
	return dst
}

// SetTheta sets output o's weights and bias from θ over [φ, 1], the inverse
// of Theta.
func (l Layer[T]) SetTheta(o int, theta []float64) error {
	if o < 0 || o >= l.Out {
		return fmt.Errorf("mlp: output %d out of range: need 0 to %d", o, l.Out-1)
	}
	if len(theta) != l.In+1 {
		return fmt.Errorf("mlp: θ length %d does not match the %d features plus 1", len(theta), l.In)
	}
	for k := range l.In {
		l.W[k*l.Out+o] = T(theta[k])
	}
	l.B[o] = T(theta[l.In])
	return nil
}

// Ridge returns the ridge least-squares coefficients over the augmented
// features A = [Φ, 1] (n×(p+1), Φ the n×p row-major phi),
//
//	Θ = argmin ‖AΘ − Y‖²_F + λ‖Θ‖²_F = (AᵀA + λI)⁻¹AᵀY,
//
// for targets Y (n×k row-major, k = len(y)/n), as a (p+1)×k matrix whose
// column o is θ of output o (the bias is penalised like the weights). It
// solves the equivalent least-squares problem [A; √λ I]Θ = [Y; 0] by QR
// rather than the normal equations, whose condition number is the square.
// λ must be ≥ 0; λ = 0 is plain least squares and needs A of full column rank.
func Ridge(dst *mat.Dense, phi []float64, n int, y []float64, lambda float64) (*mat.Dense, error) {
	if n < 1 || len(phi) == 0 || len(phi)%n != 0 {
		return nil, fmt.Errorf("mlp: %d samples out of range for %d features: need ≥ 1 and dividing it", n, len(phi))
	}
	if len(y) == 0 || len(y)%n != 0 {
		return nil, fmt.Errorf("mlp: target length %d not a positive multiple of the %d samples", len(y), n)
	}
	if !(lambda >= 0) || math.IsInf(lambda, 0) {
		return nil, fmt.Errorf("mlp: ridge λ %v out of range: need finite and ≥ 0", lambda)
	}
	if err := checkFinite("phi", phi); err != nil {
		return nil, err
	}
	if err := checkFinite("y", y); err != nil {
		return nil, err
	}
	p, k := len(phi)/n, len(y)/n
	rows := n
	if lambda > 0 {
		rows += p + 1
	}
	if rows < p+1 {
		return nil, fmt.Errorf("mlp: %d samples for %d coefficients with λ = 0: need λ > 0 or ≥ %d samples", n, p+1, p+1)
	}
	a := mat.NewDense(rows, p+1, nil)
	b := mat.NewDense(rows, k, nil)
	for i := range n {
		for j := range p {
			a.Set(i, j, phi[i*p+j])
		}
		a.Set(i, p, 1)
		for o := range k {
			b.Set(i, o, y[i*k+o])
		}
	}
	if lambda > 0 {
		s := math.Sqrt(lambda)
		for j := range p + 1 {
			a.Set(n+j, j, s)
		}
	}
	var qr mat.QR
	qr.Factorize(a)
	if dst == nil {
		dst = mat.NewDense(p+1, k, nil)
	}
	if err := qr.SolveTo(dst, false, b); err != nil {
		return nil, fmt.Errorf("mlp: ridge solve: %w (raise λ = %v)", err, lambda)
	}
	return dst, nil
}

// FitHead fits the head by ridge least squares (see Ridge) on the features
// of the inputs x (rows of In) against targets y (rows of Out), which are the
// head's pre-activations: for an Identity head, its outputs. The hidden
// layers are unchanged.
func (net *Network[T]) FitHead(x, y []T, lambda float64) error {
	if len(net.acts) < 2 {
		return errors.New("mlp: network has no hidden layer: need at least 3 sizes for a feature layer")
	}
	in, out := net.In(), net.Out()
	if len(x) == 0 || len(x)%in != 0 {
		return fmt.Errorf("mlp: input length %d not a positive multiple of the input width %d", len(x), in)
	}
	n := len(x) / in
	if len(y) != n*out {
		return fmt.Errorf("mlp: target length %d does not match %d samples × %d outputs", len(y), n, out)
	}
	tp, err := net.NewTape(n)
	if err != nil {
		return err
	}
	phi, err := tp.Features(x)
	if err != nil {
		return err
	}
	theta, err := Ridge(nil, toFloat64(phi), n, toFloat64(y), lambda)
	if err != nil {
		return err
	}
	h := net.Head()
	for o := range out {
		if err := h.SetTheta(o, mat.Col(nil, o, theta)); err != nil {
			return err
		}
	}
	return nil
}

func toFloat64[T Float](x []T) []float64 {
	d := make([]float64, len(x))
	for i, v := range x {
		d[i] = float64(v)
	}
	return d
}
