package attack

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"pointwise/lib/mlp"
)

// roundModel is a deliberately gradient-masked model: its forward pass
// rounds every input to a multiple of 1/4 before the network, and its
// input gradient is the true one of that function, zero.
type roundModel struct {
	*NetworkModel[float32]
	buf []float32
}

func (r *roundModel) Logits(dst, x []float32) error {
	r.buf = grow(r.buf, len(x))
	for j, v := range x {
		r.buf[j] = float32(math.Round(float64(v)*4) / 4)
	}
	return r.NetworkModel.Logits(dst, r.buf)
}

func (r *roundModel) InputGradient(dx, dz []float32) error {
	clear(dx)
	return nil
}

// auditSubset is the audit's sample count in the tests.
func auditSubset() int {
	if testing.Short() {
		return 200
	}
	return 500
}

// TestAuditStandard checks that the audit passes on a standard trained
// 10-class MLP at ε = 0.2 (with the network itself as the transfer
// surrogate), and that its CSV has one line per row plus the header.
func TestAuditStandard(t *testing.T) {
	net, x, y := tenClass[float32](t)
	m, _ := NewNetworkModel(net, 128)
	rep, err := Audit[float32](m, x, y, 0.2, AuditSettings[float32]{Subset: auditSubset(), Surrogate: m})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("\n%s", rep)
	if !rep.Passed() {
		t.Errorf("audit fails on a standard network: %v", rep.Failures())
	}
	if len(rep.Rows) != 13 {
		t.Errorf("%d rows, want 13", len(rep.Rows))
	}
	var b bytes.Buffer
	if err := rep.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	if lines := strings.Count(b.String(), "\n"); lines != len(rep.Rows)+1 {
		t.Errorf("CSV has %d lines, want %d", lines, len(rep.Rows)+1)
	}
}

// TestAuditMasked checks that the audit fails on two gradient-masked
// versions of the trained MLP, and on the checks that should catch them:
// logits scaled by 1e4 in float32, so that the softmax saturates and the
// cross-entropy's input gradient is exactly zero, and a forward pass that
// rounds its inputs (zero gradient, but a model Square and transfer
// break). The unmasked network is the transfer surrogate.
func TestAuditMasked(t *testing.T) {
	net, x, y := tenClass[float32](t)
	clean, _ := NewNetworkModel(net, 128)
	scaled := net.Clone()
	head := scaled.Layer(scaled.NumLayers() - 1)
	for j := range head.W {
		head.W[j] *= 1e4
	}
	for j := range head.B {
		head.B[j] *= 1e4
	}
	sm, _ := NewNetworkModel(scaled, 128)
	inner, _ := NewNetworkModel(net, 128)
	for _, c := range []struct {
		name  string
		model GradientModel[float32]
	}{
		{"logits ×1e4", sm},
		{"rounded input", &roundModel{NetworkModel: inner}},
	} {
		rep, err := Audit[float32](c.model, x, y, 0.2, AuditSettings[float32]{Subset: auditSubset(), Surrogate: clean})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s:\n%s", c.name, rep)
		if rep.Passed() {
			t.Errorf("%s: the audit passes a gradient-masked model", c.name)
		}
		failed := map[string]bool{}
		for _, r := range rep.Failures() {
			failed[r.Item] = true
			if r.Detail == "" {
				t.Errorf("%s: failed row %q without a sentence", c.name, r.Item)
			}
		}
		for _, item := range []string{"Square no stronger", "transfer no stronger", "gradients not zero", "large eps at chance"} {
			if !failed[item] {
				t.Errorf("%s: check %q passes on a masked model", c.name, item)
			}
		}
	}
}

// TestAuditErrors checks that bad arguments return errors naming them.
func TestAuditErrors(t *testing.T) {
	net := randomNet[float32](t, []int{4, 3}, mlp.ReLU, 1)
	m, _ := NewNetworkModel(net, 2)
	other, _ := NewNetworkModel(randomNet[float32](t, []int{5, 3}, mlp.ReLU, 1), 2)
	x, y := []float32{0.1, 0.2, 0.3, 0.4}, []int{1}
	for _, c := range []struct {
		eps  float64
		s    AuditSettings[float32]
		want string
	}{
		{0, AuditSettings[float32]{}, "audit ε = 0 out of range"},
		{2, AuditSettings[float32]{}, "Epsilon = 2 out of range"},
		{0.1, AuditSettings[float32]{Subset: -1}, "Subset = -1"},
		{0.1, AuditSettings[float32]{Restarts: 1}, "Restarts = 1 out of range: need ≥ 2"},
		{0.1, AuditSettings[float32]{Tolerance: math.NaN()}, "Tolerance = NaN"},
		{0.1, AuditSettings[float32]{LargeEpsilon: 3}, "LargeEpsilon = 3"},
		{0.1, AuditSettings[float32]{APGDSteps: -2}, "APGDSteps = -2"},
		{0.1, AuditSettings[float32]{Surrogate: other}, "surrogate model 5→3 does not match"},
	} {
		_, err := Audit[float32](m, x, y, c.eps, c.s)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("error %v, want one containing %q", err, c.want)
		}
	}
	if _, err := Audit[float32](nil, x, y, 0.1, AuditSettings[float32]{}); err == nil || !strings.Contains(err.Error(), "model nil") {
		t.Errorf("nil model: error %v", err)
	}
}
