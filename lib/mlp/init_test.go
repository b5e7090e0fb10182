package mlp

import (
	"encoding/binary"
	"hash/crc32"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestInitLaws checks the law each initialisation records against its
// source's formula, written out here apart from init.go.
func TestInitLaws(t *testing.T) {
	sizes := []int{784, 256, 10}
	for _, tc := range []struct {
		init Initializer
		name string
		want func(in, out float64) Law
	}{
		{He{}, "he", func(in, _ float64) Law { return Law{Normal, math.Sqrt(2 / in), 0} }},
		{Glorot{}, "glorot-normal", func(in, out float64) Law { return Law{Normal, math.Sqrt(2 / (in + out)), 0} }},
		// Uniform U(±a) has standard deviation a/√3.
		{GlorotUniform{}, "glorot-uniform", func(in, out float64) Law {
			return Law{Uniform, math.Sqrt(6/(in+out)) / math.Sqrt(3), 0}
		}},
		{PyTorchLinear{}, "pytorch", func(in, _ float64) Law {
			a := 1 / math.Sqrt(in)
			return Law{Uniform, a / math.Sqrt(3), a / math.Sqrt(3)}
		}},
	} {
		net, _ := New[float32](sizes, ReLU, Identity)
		if err := net.Init(rand.New(rand.NewPCG(1, 1)), tc.init); err != nil {
			t.Fatal(err)
		}
		if got := net.InitName(); got != tc.name {
			t.Errorf("%T: InitName %q, want %q", tc.init, got, tc.name)
		}
		for l := range net.NumLayers() {
			got, want := net.Layer(l).Law, tc.want(float64(sizes[l]), float64(sizes[l+1]))
			// The two formulas may round differently in the last place.
			if got.Family != want.Family || !closeTo(got.WeightStd, want.WeightStd) || !closeTo(got.BiasStd, want.BiasStd) {
				t.Errorf("%s layer %d: law %+v, want %+v", tc.name, l, got, want)
			}
		}
	}
}

func closeTo(a, b float64) bool { return math.Abs(a-b) <= 1e-15*math.Max(math.Abs(a), math.Abs(b)) }

// TestInitMoments checks the draws of every initialisation against the
// moments of its law, on a 784→256 layer (n = 200704 weights) and, for the
// biases, n = 200000 draws of Layer.Draw, which Init and RandomHead share.
// With the mean known to be 0, for n independent draws of a law of variance
// σ² and kurtosis κ = μ₄/σ⁴ (3 for the normal, 9/5 for the uniform):
//
//   - the sample mean has standard error σ/√n;
//   - v̂ = Σx²/n is unbiased for σ², with standard error σ²·√((κ − 1)/n);
//   - k̂ = Σx⁴/(nσ⁴) is unbiased for κ, with standard error √((μ₈/σ⁸ − κ²)/n),
//     μ₈/σ⁸ = 105 for the normal and 9 for the uniform: it tells the
//     families apart (3 against 1.8, against standard errors of at most
//     0.022);
//
// each is allowed 6 standard errors. A uniform draw lies in [−a, a],
// a = √3σ, and the largest |x| of n draws is below a(1 − δ) with
// probability (1 − δ)ⁿ, e^{−20} for δ = 10⁻⁴: it reaches the bound.
func TestInitMoments(t *testing.T) {
	const in, out, nBias = 784, 256, 200000
	for _, tc := range []struct {
		init  Initializer
		kappa float64
		mu8   float64
	}{
		{He{}, 3, 105},
		{Glorot{}, 3, 105},
		{GlorotUniform{}, 9.0 / 5, 9},
		{PyTorchLinear{}, 9.0 / 5, 9},
	} {
		name := tc.init.Name()
		net, _ := New[float64]([]int{in, out}, Identity, Identity)
		if err := net.Init(rand.New(rand.NewPCG(7, 7)), tc.init); err != nil {
			t.Fatal(err)
		}
		lay := net.Layer(0)
		bias := Layer[float64]{B: make([]float64, nBias), Law: lay.Law}
		if err := bias.Draw(rand.New(rand.NewPCG(8, 8))); err != nil {
			t.Fatal(err)
		}
		for _, s := range []struct {
			what string
			x    []float64
			std  float64
		}{
			{"weights", lay.W, lay.WeightStd},
			{"biases", bias.B, lay.BiasStd},
		} {
			if s.std == 0 {
				if slices.ContainsFunc(s.x, func(v float64) bool { return v != 0 }) {
					t.Errorf("%s %s: non-zero values for σ = 0", name, s.what)
				}
				continue
			}
			n := float64(len(s.x))
			var m1, m2, m4, top float64
			for _, v := range s.x {
				m1 += v
				m2 += v * v
				m4 += v * v * v * v
				top = math.Max(top, math.Abs(v))
			}
			m1, m2, m4 = m1/n, m2/n, m4/n
			sd := s.std
			if se := sd / math.Sqrt(n); math.Abs(m1) > 6*se {
				t.Errorf("%s %s: mean %.3g, want 0 ± 6·%.3g", name, s.what, m1, se)
			}
			if se := math.Sqrt((tc.kappa - 1) / n); math.Abs(m2/(sd*sd)-1) > 6*se {
				t.Errorf("%s %s: variance %.6g, want σ² = %.6g within 6·%.3g relative", name, s.what, m2, sd*sd, se)
			}
			if se := math.Sqrt((tc.mu8 - tc.kappa*tc.kappa) / n); math.Abs(m4/(sd*sd*sd*sd)-tc.kappa) > 6*se {
				t.Errorf("%s %s: kurtosis %.4g, want %.4g ± 6·%.3g", name, s.what, m4/(sd*sd*sd*sd), tc.kappa, se)
			}
			if tc.init.Law(0, in, out).Family != Uniform {
				continue
			}
			if a := math.Sqrt(3) * sd; top > a || top < a*(1-1e-4) {
				t.Errorf("%s %s: largest |x| = %.8g, want in [a(1 − 10⁻⁴), a], a = √3σ = %.8g", name, s.what, top, a)
			}
		}
	}
}

// TestUniformBounds checks the bounds of the uniform laws against their
// sources' own formulas: Keras's √(6/(fan_in + fan_out)) and PyTorch's
// 1/√fan_in, for weights and (PyTorch) biases.
func TestUniformBounds(t *testing.T) {
	const in, out = 300, 100
	for _, tc := range []struct {
		init   Initializer
		wb, bb float64 // the bounds of weights and biases
	}{
		{GlorotUniform{}, math.Sqrt(6.0 / (in + out)), 0},
		{PyTorchLinear{}, 1 / math.Sqrt(in), 1 / math.Sqrt(in)},
	} {
		net, _ := New[float32]([]int{in, out}, Identity, Identity)
		if err := net.Init(rand.New(rand.NewPCG(9, 9)), tc.init); err != nil {
			t.Fatal(err)
		}
		lay := net.Layer(0)
		for _, s := range []struct {
			x     []float32
			bound float64
		}{{lay.W, tc.wb}, {lay.B, tc.bb}} {
			// One rounding to float32 may reach the bound's float32.
			b := float64(float32(s.bound * (1 + 1e-12)))
			for i, v := range s.x {
				if math.Abs(float64(v)) > b {
					t.Fatalf("%s: parameter %d = %v outside ±%v", tc.init.Name(), i, v, s.bound)
				}
			}
		}
	}
}

// TestHeDrawsUnchanged pins He's stream: parameter by parameter, weights
// row-major then biases, layer by layer, T(σ·NormFloat64()) with σ_b = 0
// drawing too, as Init always drew; so trained networks and cached results
// keep their values.
func TestHeDrawsUnchanged(t *testing.T) {
	sizes := []int{6, 5, 4, 3}
	net, _ := New[float32](sizes, ReLU, Identity)
	if err := net.Init(rand.New(rand.NewPCG(3, 4)), nil); err != nil {
		t.Fatal(err)
	}
	rnd := rand.New(rand.NewPCG(3, 4))
	var want []float32
	for l := range len(sizes) - 1 {
		sw := math.Sqrt(2 / float64(sizes[l]))
		for range sizes[l] * sizes[l+1] {
			want = append(want, float32(sw*rnd.NormFloat64()))
		}
		for range sizes[l+1] {
			want = append(want, float32(0*rnd.NormFloat64()))
		}
	}
	for i, v := range net.Params() {
		if math.Float32bits(v) != math.Float32bits(want[i]) {
			t.Fatalf("parameter %d = %v, want %v", i, v, want[i])
		}
	}
	if net.InitName() != "he" {
		t.Errorf("Init(nil) records %q, want \"he\"", net.InitName())
	}
}

func TestInitByName(t *testing.T) {
	if got, want := InitNames(), []string{"he", "glorot-normal", "glorot-uniform", "pytorch"}; !slices.Equal(got, want) {
		t.Errorf("InitNames() = %q, want %q", got, want)
	}
	for _, tc := range []struct {
		name string
		want Initializer
	}{
		{"he", He{}}, {"glorot-normal", Glorot{}}, {"glorot-uniform", GlorotUniform{}}, {"pytorch", PyTorchLinear{}},
	} {
		got, err := InitByName(tc.name)
		if err != nil || got != tc.want || got.Name() != tc.name {
			t.Errorf("InitByName(%q) = %#v, %v; want %#v", tc.name, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "He", "gaussian", "kaiming"} {
		_, err := InitByName(bad)
		if err == nil || !strings.Contains(err.Error(), "he, glorot-normal, glorot-uniform, pytorch") {
			t.Errorf("InitByName(%q): error %v, want one listing the names", bad, err)
		}
	}
	for _, tc := range []struct {
		name string
		want Family
		ok   bool
	}{{"normal", Normal, true}, {"uniform", Uniform, true}, {"Normal", 0, false}, {"", 0, false}} {
		got, err := FamilyByName(tc.name)
		if (err == nil) != tc.ok || got != tc.want || (tc.ok && got.String() != tc.name) {
			t.Errorf("FamilyByName(%q) = %v, %v", tc.name, got, err)
		}
	}
}

func TestLawValidate(t *testing.T) {
	for _, tc := range []struct {
		law  Law
		want string
	}{
		{Law{Uniform, 1, 0}, ""},
		{Law{Family(2), 1, 0}, "family Family(2) unknown"},
		{Law{Normal, -1, 0}, "(-1, 0) out of range"},
		{Law{Uniform, 1, math.NaN()}, "(1, NaN) out of range"},
		{Law{Normal, math.Inf(1), 0}, "(+Inf, 0) out of range"},
	} {
		err := tc.law.Validate()
		if (tc.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%+v.Validate() = %v, want %q", tc.law, err, tc.want)
		}
	}
	net, _ := New[float64]([]int{3, 2}, ReLU, Identity)
	h := net.Head()
	h.Family = 5
	if err := net.SetHead(h); err == nil || !strings.Contains(err.Error(), "Family(5)") {
		t.Errorf("SetHead with family 5: error %v", err)
	}
	if err := h.Draw(rand.New(rand.NewPCG(1, 1))); err == nil || !strings.Contains(err.Error(), "Family(5)") {
		t.Errorf("Draw with family 5: error %v", err)
	}
}

// TestRandomHeadFollowsLaw: a network's random heads are drawn from its
// head's law: zero biases for He's, uniform biases within ±1/√F for
// PyTorch's.
func TestRandomHeadFollowsLaw(t *testing.T) {
	const f = 64
	for _, tc := range []struct {
		init Initializer
		bias float64 // bound of |b|, 0 for zero biases
	}{{He{}, 0}, {PyTorchLinear{}, 1 / math.Sqrt(f)}} {
		net, _ := New[float64]([]int{5, f, 10}, ReLU, Identity)
		rnd := rand.New(rand.NewPCG(2, 2))
		if err := net.Init(rnd, tc.init); err != nil {
			t.Fatal(err)
		}
		h, err := net.RandomHead(rnd)
		if err != nil {
			t.Fatal(err)
		}
		if h.Law != net.Head().Law {
			t.Errorf("%s: random head law %+v, want the head's %+v", tc.init.Name(), h.Law, net.Head().Law)
		}
		var top float64
		for _, v := range h.B {
			top = math.Max(top, math.Abs(v))
		}
		if top > tc.bias*(1+1e-12) || (tc.bias > 0 && top == 0) {
			t.Errorf("%s: largest |b| = %v, want in (0, %v]", tc.init.Name(), top, tc.bias)
		}
	}
}

// TestLawsSaved checks that a network's initialisation name and laws
// survive Save and Load (and a checkpoint), and which file version holds
// them: version 1, byte for byte the format before laws had families, for
// networks of Normal laws whose name version 1 implies; version 2 for the
// others.
func TestLawsSaved(t *testing.T) {
	sizes := []int{5, 7, 3}
	init := func(in Initializer) func(*Network[float32]) {
		return func(net *Network[float32]) { net.Init(rand.New(rand.NewPCG(4, 4)), in) }
	}
	for _, tc := range []struct {
		name    string
		make    func(*Network[float32])
		version uint32
		init    string
	}{
		{"never initialised", func(*Network[float32]) {}, 1, ""},
		{"he", init(He{}), 1, "he"},
		{"glorot-normal", init(Glorot{}), 1, "glorot-normal"},
		{"gaussian", init(Gaussian{BiasStd: []float64{0.5}}), 1, "gaussian"},
		{"glorot-uniform", init(GlorotUniform{}), 2, "glorot-uniform"},
		{"pytorch", init(PyTorchLinear{}), 2, "pytorch"},
		{"he, then a head of its own", func(net *Network[float32]) {
			init(He{})(net)
			h := net.Head()
			h.BiasStd = 0.3
			net.SetHead(h)
		}, 2, "he"},
	} {
		net, _ := New[float32](sizes, Tanh, Identity)
		tc.make(net)
		b, _ := net.MarshalBinary()
		if v := binary.LittleEndian.Uint32(b[8:]); v != tc.version {
			t.Errorf("%s: written as version %d, want %d", tc.name, v, tc.version)
		}
		if tc.version == 1 {
			// magic, version, element size, L, sizes, acts, scales, params, crc
			L := len(sizes) - 1
			if want := 8 + 12 + 4*(L+1) + 4*L + 16*L + 4*net.NumParams() + 4; len(b) != want {
				t.Errorf("%s: %d bytes, want the version-1 layout's %d", tc.name, len(b), want)
			}
		}
		path := filepath.Join(t.TempDir(), "net.bin")
		if err := net.Save(path); err != nil {
			t.Fatal(err)
		}
		got, err := Load[float32](path)
		if err != nil {
			t.Fatal(err)
		}
		ck := Checkpoint[float32]{Epoch: 1, Net: net}
		cb, _ := ck.MarshalBinary()
		var back Checkpoint[float32]
		if err := back.UnmarshalBinary(cb); err != nil {
			t.Fatal(err)
		}
		for _, g := range []*Network[float32]{got, back.Net} {
			if g.InitName() != tc.init {
				t.Errorf("%s: loaded InitName %q, want %q", tc.name, g.InitName(), tc.init)
			}
			for l := range net.NumLayers() {
				if g.Layer(l).Law != net.Layer(l).Law {
					t.Errorf("%s layer %d: loaded law %+v, saved %+v", tc.name, l, g.Layer(l).Law, net.Layer(l).Law)
				}
			}
			if !slices.Equal(g.Params(), net.Params()) {
				t.Errorf("%s: parameters changed through the file", tc.name)
			}
		}
		if c := net.Clone(); c.InitName() != net.InitName() || c.Head().Law != net.Head().Law {
			t.Errorf("%s: Clone lost the initialisation", tc.name)
		}
		if c := Convert[float64](net); c.InitName() != net.InitName() || c.Head().Law != net.Head().Law {
			t.Errorf("%s: Convert lost the initialisation", tc.name)
		}
	}
}

// TestLoadRejectsBadLaws: a version-2 file with an unknown family or an
// overlong name, or a NaN scale in either version, is an error that says so.
func TestLoadRejectsBadLaws(t *testing.T) {
	net, _ := New[float64]([]int{3, 4, 2}, ReLU, Identity)
	net.Init(rand.New(rand.NewPCG(1, 1)), PyTorchLinear{})
	v2, _ := net.MarshalBinary()
	net.Init(rand.New(rand.NewPCG(1, 1)), He{})
	v1, _ := net.MarshalBinary()
	const L = 2
	fam := 8 + 12 + 4*(L+1) + 4*L // the first family in version 2
	nameLen := fam + 4*L + 16*L   // after the families and scales
	edit := func(b []byte, f func([]byte)) []byte { b = slices.Clone(b); f(b); return b }
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"family", edit(v2, func(b []byte) { b[fam] = 7 }), "family 7 of layer 0 unknown"},
		{"family's high bytes", edit(v2, func(b []byte) { b[fam+3] = 1 }), "family 16777217 of layer 0 unknown"},
		{"name length", edit(v2, func(b []byte) { binary.LittleEndian.PutUint32(b[nameLen:], 65) }), "name of 65 bytes"},
		{"version 2 of a version-1 network", v1as2(t, net), "version-2 file of a network that version 1 holds"},
		{"NaN scale v1", edit(v1, func(b []byte) {
			binary.LittleEndian.PutUint64(b[fam:], math.Float64bits(math.NaN()))
		}), "(NaN, 0) out of range"},
	} {
		var got Network[float64]
		if err := got.UnmarshalBinary(tc.data); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
	long := strings.Repeat("x", MaxInitName+1)
	if err := net.Init(rand.New(rand.NewPCG(1, 1)), namedInit{long}); err == nil || !strings.Contains(err.Error(), "too long") {
		t.Errorf("Init with a %d-byte name: error %v", len(long), err)
	}
}

// v1as2 returns net, which version 1 holds, encoded as version 2.
func v1as2(t *testing.T, net *Network[float64]) []byte {
	t.Helper()
	v1, _ := net.MarshalBinary()
	L := net.NumLayers()
	head := 8 + 12 + 4*(L+1) + 4*L // up to the scales
	b := slices.Clone(v1[:head])
	binary.LittleEndian.PutUint32(b[8:], 2)
	b = append(b, make([]byte, 4*L)...) // every family Normal
	b = append(b, v1[head:head+16*L]...)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(net.InitName())))
	b = append(b, net.InitName()...)
	b = append(b, v1[head+16*L:len(v1)-4]...)
	return binary.LittleEndian.AppendUint32(b, crc32.Checksum(b, castagnoli))
}

// namedInit is an initialisation with any name and He's laws.
type namedInit struct{ name string }

func (n namedInit) Name() string               { return n.name }
func (namedInit) Law(l, fanIn, fanOut int) Law { return He{}.Law(l, fanIn, fanOut) }
