package mlp

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
)

// Family is the distribution family of a layer's parameters, each of mean 0.
type Family uint8

const (
	// Normal is N(0, σ²).
	Normal Family = iota
	// Uniform is U(−a, a) with a = √3·σ, whose standard deviation is σ.
	Uniform
	numFamilies
)

// String returns "normal" or "uniform".
func (f Family) String() string {
	switch f {
	case Normal:
		return "normal"
	case Uniform:
		return "uniform"
	}
	return fmt.Sprintf("Family(%d)", uint8(f))
}

// FamilyByName returns the family named "normal" or "uniform".
func FamilyByName(name string) (Family, error) {
	for f := range numFamilies {
		if f.String() == name {
			return f, nil
		}
	}
	return 0, fmt.Errorf("mlp: family %q unknown: need \"normal\" or \"uniform\"", name)
}

// Law is the distribution of one layer's parameters: every weight W_ij and
// every bias b_j independent, of mean 0, from Family with standard deviation
// WeightStd (weights) or BiasStd (biases). The zero value is N(0, 0): all
// zero.
type Law struct {
	Family             Family
	WeightStd, BiasStd float64
}

// Validate returns an error unless the family is known and both standard
// deviations are finite and ≥ 0.
func (l Law) Validate() error {
	if p := l.problem(); p != "" {
		return errors.New("mlp: " + p)
	}
	return nil
}

// problem describes what is wrong with l, or returns "".
func (l Law) problem() string {
	if l.Family >= numFamilies {
		return fmt.Sprintf("family %v unknown: need Normal or Uniform", l.Family)
	}
	if !(l.WeightStd >= 0) || !(l.BiasStd >= 0) || math.IsInf(l.WeightStd, 0) || math.IsInf(l.BiasStd, 0) {
		return fmt.Sprintf("standard deviations (%v, %v) out of range: need finite and ≥ 0", l.WeightStd, l.BiasStd)
	}
	return ""
}

// Initializer is a named initialisation: the law of each layer's parameters
// from the layer index and its fan-in and fan-out.
type Initializer interface {
	// Name names the initialisation, in at most MaxInitName bytes;
	// Network.Init records it.
	Name() string
	// Law returns the law of layer l's parameters.
	Law(layer, fanIn, fanOut int) Law
}

// He is He et al.'s initialisation for ReLU networks ("Delving deep into
// rectifiers", ICCV 2015, eq. 10), He normal: W_ij ~ N(0, 2/fan_in), biases
// zero. It is the default of Init; its name is "he".
type He struct{}

// Name returns "he".
func (He) Name() string { return "he" }

// Law implements Initializer.
func (He) Law(_, fanIn, _ int) Law { return Law{Normal, math.Sqrt(2 / float64(fanIn)), 0} }

// Glorot is Glorot and Bengio's normal initialisation ("Understanding the
// difficulty of training deep feedforward neural networks", AISTATS 2010):
// W_ij ~ N(0, 2/(fan_in + fan_out)), biases zero; its name is
// "glorot-normal". (Keras's glorot_normal truncates the normal at two
// standard deviations; this one does not.)
type Glorot struct{}

// Name returns "glorot-normal".
func (Glorot) Name() string { return "glorot-normal" }

// Law implements Initializer.
func (Glorot) Law(_, fanIn, fanOut int) Law {
	return Law{Normal, math.Sqrt(2 / float64(fanIn+fanOut)), 0}
}

// GlorotUniform is Glorot and Bengio's uniform initialisation (eq. 16 of
// their 2010 paper), the default of Keras's and TensorFlow's Dense layers
// (kernel_initializer "glorot_uniform", bias_initializer "zeros"):
// W_ij ~ U(−a, a) with a = √(6/(fan_in + fan_out)), so Var W_ij =
// a²/3 = 2/(fan_in + fan_out); biases zero. Its name is "glorot-uniform".
type GlorotUniform struct{}

// Name returns "glorot-uniform".
func (GlorotUniform) Name() string { return "glorot-uniform" }

// Law implements Initializer.
func (GlorotUniform) Law(_, fanIn, fanOut int) Law {
	return Law{Uniform, math.Sqrt(2 / float64(fanIn+fanOut)), 0}
}

// PyTorchLinear is the default initialisation of PyTorch's nn.Linear
// (reset_parameters: kaiming_uniform_ with a = √5 for the weights, whose
// bound is gain·√(3/fan_in) with gain = √(2/(1 + a²)), and U(±1/√fan_in) for
// the biases): W_ij and b_j ~ U(−1/√fan_in, 1/√fan_in), so both have
// variance 1/(3·fan_in). Its name is "pytorch".
type PyTorchLinear struct{}

// Name returns "pytorch".
func (PyTorchLinear) Name() string { return "pytorch" }

// Law implements Initializer.
func (PyTorchLinear) Law(_, fanIn, _ int) Law {
	s := 1 / math.Sqrt(3*float64(fanIn))
	return Law{Uniform, s, s}
}

// Gaussian sets the standard deviations of the Gaussian weights and biases
// layer by layer (objective.Gaussian is the Gaussian distribution of a
// linear class's coefficients, such as a head's); its name is "gaussian".
// The paper's fig5 network (first weights N(0, 5²), later weights
// N(0, 1/fan_in), biases N(0, 1)) is
//
//	Gaussian{WeightStd: []float64{5}, BiasStd: []float64{1, 1, 1}}
type Gaussian struct {
	// WeightStd[l] is σ_w of layer l. If it is 0 or l ≥ len(WeightStd), σ_w is
	// 1/√fan_in (LeCun's scale).
	WeightStd []float64
	// BiasStd[l] is σ_b of layer l. If l ≥ len(BiasStd), σ_b is 0.
	BiasStd []float64
}

// Name returns "gaussian".
func (Gaussian) Name() string { return "gaussian" }

// Law implements Initializer.
func (g Gaussian) Law(layer, fanIn, _ int) Law {
	l := Law{Normal, 1 / math.Sqrt(float64(fanIn)), 0}
	if layer < len(g.WeightStd) && g.WeightStd[layer] != 0 {
		l.WeightStd = g.WeightStd[layer]
	}
	if layer < len(g.BiasStd) {
		l.BiasStd = g.BiasStd[layer]
	}
	return l
}

var (
	_ Initializer = He{}
	_ Initializer = Glorot{}
	_ Initializer = GlorotUniform{}
	_ Initializer = PyTorchLinear{}
	_ Initializer = Gaussian{}
)

// named lists the initialisations InitByName knows, in InitNames' order.
var named = []Initializer{He{}, Glorot{}, GlorotUniform{}, PyTorchLinear{}}

// InitNames returns the names InitByName knows: "he", "glorot-normal",
// "glorot-uniform", "pytorch".
func InitNames() []string {
	s := make([]string, len(named))
	for i, in := range named {
		s[i] = in.Name()
	}
	return s
}

// InitByName returns the initialisation of that name (see InitNames), so
// that a notebook's parameters can choose one by a string.
func InitByName(name string) (Initializer, error) {
	for _, in := range named {
		if in.Name() == name {
			return in, nil
		}
	}
	return nil, fmt.Errorf("mlp: initialisation %q unknown: need one of %s", name, strings.Join(InitNames(), ", "))
}

// Init draws every parameter from rnd, from layer l's law init.Law(l,
// fan_in, fan_out): weights first (row-major) then biases, layer by layer,
// one draw from rnd per parameter (NormFloat64 for Normal, Float64 for
// Uniform), zero standard deviations included. If init is nil, it is He{}.
// The network records init's name and each layer's law.
func (net *Network[T]) Init(rnd *rand.Rand, init Initializer) error {
	if rnd == nil {
		return fmt.Errorf("mlp: random source nil: need a seeded *rand.Rand")
	}
	if init == nil {
		init = He{}
	}
	if name := init.Name(); len(name) > MaxInitName {
		return fmt.Errorf("mlp: initialisation name %q of %d bytes too long: need ≤ %d", name, len(name), MaxInitName)
	}
	laws := make([]Law, len(net.acts))
	for l := range laws {
		laws[l] = init.Law(l, net.sizes[l], net.sizes[l+1])
		if p := laws[l].problem(); p != "" {
			return fmt.Errorf("mlp: layer %d %s", l, p)
		}
	}
	for l, law := range laws {
		lay := net.Layer(l)
		draw(rnd, law, lay.W, lay.B)
		net.laws[l] = law
	}
	net.init = init.Name()
	return nil
}

// draw fills w then b from law.
func draw[T Float](rnd *rand.Rand, law Law, w, b []T) {
	if law.Family == Uniform {
		fillUniform(rnd, w, law.WeightStd)
		fillUniform(rnd, b, law.BiasStd)
		return
	}
	fill(rnd, w, law.WeightStd)
	fill(rnd, b, law.BiasStd)
}

func fill[T Float](rnd *rand.Rand, x []T, std float64) {
	for i := range x {
		x[i] = T(std * rnd.NormFloat64())
	}
}

// fillUniform draws x_i ~ U(−a, a), a = √3·std, as a·(2u − 1) with
// u ~ U[0, 1).
func fillUniform[T Float](rnd *rand.Rand, x []T, std float64) {
	a := math.Sqrt(3) * std
	for i := range x {
		x[i] = T(a * (2*rnd.Float64() - 1))
	}
}
