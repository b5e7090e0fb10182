package mlp

import (
	"encoding/binary"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func roundTrip[T Float](t *testing.T) {
	rnd := rand.New(rand.NewPCG(14, 14))
	net, _ := New[T]([]int{5, 7, 3}, Tanh, Sigmoid)
	net.Init(rnd, Gaussian{WeightStd: []float64{5}, BiasStd: []float64{1, 0.5}})
	path := filepath.Join(t.TempDir(), "net.bin")
	if err := net.Save(path); err != nil {
		t.Fatal(err)
	}
	got, err := Load[T](path)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range net.Params() {
		// Bit-identical, so compare the bits (NaN-safe, −0 distinct).
		if math.Float64bits(float64(got.Params()[i])) != math.Float64bits(float64(v)) {
			t.Fatalf("parameter %d: loaded %v, saved %v", i, got.Params()[i], v)
		}
	}
	for l := range net.NumLayers() {
		a, b := net.Layer(l), got.Layer(l)
		if a.In != b.In || a.Out != b.Out || a.Act != b.Act || a.WeightStd != b.WeightStd || a.BiasStd != b.BiasStd {
			t.Errorf("layer %d: loaded %+v, saved %+v", l, b, a)
		}
	}
	// Only the target file remains: the temporary file was renamed.
	if ents, _ := os.ReadDir(filepath.Dir(path)); len(ents) != 1 {
		t.Errorf("directory holds %d entries after Save, want 1", len(ents))
	}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	roundTrip[float32](t)
	roundTrip[float64](t)
}

func TestLoadRejects(t *testing.T) {
	net, _ := New[float64]([]int{3, 4, 2}, ReLU, Identity)
	net.Init(rand.New(rand.NewPCG(15, 15)), nil)
	good, _ := net.MarshalBinary()
	dir := t.TempDir()
	edit := func(f func(b []byte) []byte) []byte { return f(append([]byte(nil), good...)) }
	// A header claiming 2²⁴×2²⁴ layers with no data behind it.
	huge := edit(func(b []byte) []byte {
		binary.LittleEndian.PutUint32(b[20:], 1<<24)
		binary.LittleEndian.PutUint32(b[24:], 1<<24)
		return b
	})
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "magic"},
		{"magic", edit(func(b []byte) []byte { b[0] = 'X'; return b }), "magic"},
		{"version", edit(func(b []byte) []byte { b[8] = 3; return b }), "version 3"},
		{"truncated", good[:len(good)-9], "truncated"},
		{"truncated header", good[:30], "truncated"},
		{"trailing", append(append([]byte(nil), good...), 0), "after the parameters"},
		{"corrupt", edit(func(b []byte) []byte { b[len(b)-20] ^= 1; return b }), "checksum"},
		{"activation", edit(func(b []byte) []byte { b[32] = 99; return b }), "activation 99"},
		{"huge", huge, "parameters"},
		{"zero size", edit(func(b []byte) []byte { binary.LittleEndian.PutUint32(b[20:], 0); return b }), "sizes"},
	} {
		path := filepath.Join(dir, tc.name+".bin")
		os.WriteFile(path, tc.data, 0o644)
		_, err := Load[float64](path)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: error %v, want one mentioning %q and the file", tc.name, err, tc.want)
		}
	}
	// A float64 file is not silently read as float32.
	path := filepath.Join(dir, "f64.bin")
	net.Save(path)
	if _, err := Load[float32](path); err == nil || !strings.Contains(err.Error(), "8-byte") {
		t.Errorf("loading float64 file as float32: error %v, want an element-size error", err)
	}
	if _, err := Load[float64](filepath.Join(dir, "missing.bin")); err == nil {
		t.Error("loading a missing file: no error")
	}
}
