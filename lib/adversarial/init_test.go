package adversarial

import (
	"context"
	"encoding/json"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"pointwise/lib/attack"
	"pointwise/lib/mlp"
)

// TestInitAndHeadLawResolve: Init and the heads' Family and Bias resolve to
// "" when they repeat the default or the output layer's own law (so such
// configurations share the key of the zero value), are kept otherwise, and
// are errors naming the choices when unknown.
func TestInitAndHeadLawResolve(t *testing.T) {
	hard := func(init string, h HeadSettings) Config {
		return Config{Method: Hard, Epsilon: 0.1, Init: init, Heads: h}
	}
	for _, tc := range []struct {
		name        string
		cfg         Config
		init        string
		family, bia string
	}{
		{"zero", hard("", HeadSettings{}), "", "", ""},
		{"he by name", hard("he", HeadSettings{}), "", "", ""},
		{"he's own heads", hard("he", HeadSettings{Family: "normal", Bias: BiasZero}), "", "", ""},
		{"he, pytorch-like heads", hard("", HeadSettings{Family: "uniform", Bias: BiasWeight}), "", "uniform", BiasWeight},
		{"pytorch", hard("pytorch", HeadSettings{}), "pytorch", "", ""},
		{"pytorch's own heads", hard("pytorch", HeadSettings{Family: "uniform", Bias: BiasWeight}), "pytorch", "", ""},
		{"pytorch, he-like heads", hard("pytorch", HeadSettings{Family: "normal", Bias: BiasZero}), "pytorch", "normal", BiasZero},
		{"glorot-uniform's own bias", hard("glorot-uniform", HeadSettings{Bias: BiasZero}), "glorot-uniform", "", ""},
		{"PGD ignores the heads", Config{Method: PGD, Epsilon: 0.1, Init: "pytorch", Heads: HeadSettings{Family: "normal"}}, "pytorch", "", ""},
		{"standard keeps Init", Config{Init: "glorot-normal"}, "glorot-normal", "", ""},
	} {
		r, err := tc.cfg.Resolve()
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if r.Init != tc.init || r.Heads.Family != tc.family || r.Heads.Bias != tc.bia {
			t.Errorf("%s: resolved Init %q, Family %q, Bias %q; want %q, %q, %q", tc.name, r.Init, r.Heads.Family, r.Heads.Bias, tc.init, tc.family, tc.bia)
		}
	}
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{Init: "kaiming"}, `initialisation "kaiming" unknown: need one of he, glorot-normal, glorot-uniform, pytorch`},
		{hard("", HeadSettings{Family: "gaussian"}), `head family "gaussian" unknown: need "normal" or "uniform"`},
		{hard("", HeadSettings{Bias: "uniform"}), `head bias "uniform" unknown: need "zero" or "weight"`},
		{hard("", HeadSettings{Loss: 9}), "attack.HeadLimit (2)"},
	} {
		if _, err := tc.cfg.Resolve(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Resolve(%+v) = %v, want an error containing %q", tc.cfg, err, tc.want)
		}
	}
}

// The zero values keep the cache key of a configuration as it was before
// these settings existed: the settings are absent from the key's JSON.
func TestNewSettingsAbsentFromDefaultKey(t *testing.T) {
	data := Data{"MNIST", blobs(50, 1)}
	k := keyOf(mustResolve(t, Config{Method: Hard, Epsilon: 0.1}), data.Name, data.fingerprint())
	d, err := k.ID()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []Config{{Method: Hard, Epsilon: 0.1, Init: "he"}, {Method: Hard, Epsilon: 0.1, Heads: HeadSettings{Family: "normal"}}} {
		if got := keyOfConfig(t, c, data); got != d {
			t.Errorf("%+v: key %s, want the default's %s", c, got, d)
		}
	}
	b, _ := json.Marshal(k.Settings)
	desc := string(b)
	for _, field := range []string{`"Init"`, `"Family"`, `"Bias"`} {
		if strings.Contains(desc, field) {
			t.Errorf("default key's settings %s contain %s", desc, field)
		}
	}
}

func mustResolve(t *testing.T, c Config) Config {
	t.Helper()
	r, err := c.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestHeadLawReachesTheHeads: the training attack draws its heads from the
// output layer's law by default and from the law HeadSettings asks for
// otherwise, Scale multiplying both standard deviations.
func TestHeadLawReachesTheHeads(t *testing.T) {
	const f = 12
	he := math.Sqrt(2.0 / f)   // He's σ of the 12→10 output layer
	pt := 1 / math.Sqrt(3.0*f) // PyTorch's σ_w = σ_b
	for _, tc := range []struct {
		name string
		cfg  Config
		want mlp.Law
	}{
		{"he", Config{}, mlp.Law{Family: mlp.Normal, WeightStd: he}},
		{"pytorch", Config{Init: "pytorch"}, mlp.Law{Family: mlp.Uniform, WeightStd: pt, BiasStd: pt}},
		{"pytorch, he-like", Config{Init: "pytorch", Heads: HeadSettings{Family: "normal", Bias: BiasZero}},
			mlp.Law{Family: mlp.Normal, WeightStd: pt}},
		{"he, pytorch-like, scale 2", Config{Heads: HeadSettings{Family: "uniform", Bias: BiasWeight, Scale: 2}},
			mlp.Law{Family: mlp.Uniform, WeightStd: 2 * he, BiasStd: 2 * he}},
	} {
		cfg := tc.cfg
		cfg.Method, cfg.Epsilon, cfg.Hidden, cfg.Heads.K, cfg.Seed = Hard, 0.1, []int{f, f}, 3, 5
		r := mustResolve(t, cfg)
		net, _ := mlp.New[float32]([]int{16, f, f, 10}, mlp.ReLU, mlp.Identity)
		initer, err := r.initializer()
		if err != nil {
			t.Fatal(err)
		}
		if err := net.Init(rand.New(rand.NewPCG(r.Seed, initStream)), initer); err != nil {
			t.Fatal(err)
		}
		p, err := newPerturber(net, r, rand.New(rand.NewPCG(r.Seed, attackStream)), 8)
		if err != nil {
			t.Fatal(err)
		}
		got := p.heads.Law()
		if got.Family != tc.want.Family || math.Abs(got.WeightStd-tc.want.WeightStd) > 1e-15 || math.Abs(got.BiasStd-tc.want.BiasStd) > 1e-15 {
			t.Errorf("%s: heads' law %+v, want %+v", tc.name, got, tc.want)
		}
		h, _ := p.heads.Head(0)
		if zero := h.B[0] == 0; zero != (tc.want.BiasStd == 0) {
			t.Errorf("%s: head bias b_0 = %v with σ_b = %v", tc.name, h.B[0], tc.want.BiasStd)
		}
	}
}

// TestTrainRecordsInit: a network trained with Init "pytorch" records it,
// through the cache too, and the description names the choices.
func TestTrainRecordsInit(t *testing.T) {
	dir := t.TempDir()
	data := Data{"blobs", blobs(100, 1)}
	cfg := small(Hard)
	cfg.Epochs, cfg.Init = 1, "pytorch"
	cfg.Heads.Family, cfg.Heads.Loss = "normal", attack.HeadLimit
	for _, want := range []bool{false, true} {
		m, err := cfg.Train(context.Background(), runner(dir, &recorder{}), data)
		if err != nil {
			t.Fatal(err)
		}
		if m.Cached != want || m.Net.InitName() != "pytorch" || m.Net.Head().Family != mlp.Uniform {
			t.Errorf("cached %v: network of init %q, head family %v; want cached %v, pytorch, uniform", m.Cached, m.Net.InitName(), m.Net.Head().Family, want)
		}
	}
	r := mustResolve(t, cfg)
	for _, want := range []string{"init=pytorch", "head-family=normal", "loss=limit"} {
		if !strings.Contains(r.String(), want) {
			t.Errorf("String() = %q, want it to contain %q", r.String(), want)
		}
	}
	if s := mustResolve(t, small(Hard)).String(); strings.Contains(s, "init=") || strings.Contains(s, "head-") {
		t.Errorf("String() of the defaults = %q names an init or head law", s)
	}
}
