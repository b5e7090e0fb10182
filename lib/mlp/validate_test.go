package mlp

import (
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"pointwise/lib/internal/validatetest"
	"testing"
)

// TestValidate walks the exported entry points of the network, tape, head,
// loss and file code (the trainer and optimisers have their own tests)
// through bad values: each must return an error (never panic) whose message
// names the parameter, the bad value and the allowed range.
func TestValidate(t *testing.T) {
	nan := math.NaN()
	net, err := New[float64]([]int{3, 4, 2}, ReLU, Identity)
	if err != nil {
		t.Fatal(err)
	}
	if err := net.Init(rand.New(rand.NewPCG(1, 1)), nil); err != nil {
		t.Fatal(err)
	}
	shallow, err := New[float64]([]int{3, 2}, ReLU, Identity)
	if err != nil {
		t.Fatal(err)
	}
	tape, err := net.NewTape(2)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	notNet := filepath.Join(dir, "not-a-net")
	if err := os.WriteFile(notNet, []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	f64 := filepath.Join(dir, "net64")
	if err := net.Save(f64); err != nil {
		t.Fatal(err)
	}
	cases := []validatetest.Case{
		{"New one size", func() error { _, err := New[float64]([]int{3}, ReLU, Identity); return err }, []string{"1 sizes", "need 2 to 1025"}},
		{"New zero width", func() error { _, err := New[float64]([]int{3, 0, 2}, ReLU, Identity); return err }, []string{"size 0 of layer 1", "need 1 to 16777216"}},
		{"New negative width", func() error { _, err := New[float32]([]int{-784, 10}, ReLU, Identity); return err }, []string{"size -784 of layer 0", "need 1 to 16777216"}},
		{"New huge width", func() error { _, err := New[float32]([]int{784, 1 << 30, 10}, ReLU, Identity); return err }, []string{"size 1073741824 of layer 1", "need 1 to 16777216"}},
		{"New too many params", func() error { _, err := New[float32]([]int{1 << 16, 1 << 16, 10}, ReLU, Identity); return err }, []string{"sizes [65536 65536 10]", "more than 1073741824 parameters"}},
		{"New activation", func() error { _, err := New[float64]([]int{3, 2}, Activation(9), Identity); return err }, []string{"activation", "9", "Identity, ReLU, Tanh or Sigmoid"}},
		{"Init nil rnd", func() error { return net.Clone().Init(nil, nil) }, []string{"random source nil", "seeded *rand.Rand"}},
		{"Init NaN std", func() error {
			return net.Clone().Init(rand.New(rand.NewPCG(1, 1)), Gaussian{WeightStd: []float64{nan}, BiasStd: []float64{0}})
		}, []string{"layer 0 standard deviations (NaN, 0)", "finite and ≥ 0"}},
		{"Init negative std", func() error {
			return net.Clone().Init(rand.New(rand.NewPCG(1, 1)), Gaussian{WeightStd: []float64{1, -1}, BiasStd: []float64{0, 0}})
		}, []string{"layer 1 standard deviations (-1, 0)", "finite and ≥ 0"}},
		{"Forward input length", func() error { _, err := net.Forward(nil, make([]float64, 4)); return err }, []string{"input length 4", "input width 3"}},
		{"Forward empty", func() error { _, err := net.Forward(nil, nil); return err }, []string{"input length 0", "positive multiple"}},
		{"Forward dst", func() error { _, err := net.Forward(make([]float64, 3), make([]float64, 3)); return err }, []string{"output length 3", "batch 1 × width 2"}},
		{"Forward NaN", func() error { _, err := net.Forward(nil, []float64{0, nan, 1}); return err }, []string{"x[1] = NaN", "finite"}},
		{"NewTape maxBatch=0", func() error { _, err := net.NewTape(0); return err }, []string{"maximum batch 0", "≥ 1"}},
		{"NewTape maxBatch huge", func() error { _, err := net.NewTape(1 << 40); return err }, []string{"maximum batch 1099511627776", "≤ 178956970"}},
		{"Tape batch too large", func() error { _, err := tape.Forward(make([]float64, 9)); return err }, []string{"batch 3", "maximum 2"}},
		{"Tape NaN", func() error { _, err := tape.Forward([]float64{nan, 0, 0}); return err }, []string{"x[0] = NaN", "finite"}},
		{"Tape backward first", func() error {
			tp, _ := net.NewTape(1)
			_, err := tp.Backward(nil, nil, make([]float64, 2))
			return err
		}, []string{"backward pass without a matching forward pass"}},
		{"Tape dy length", func() error {
			if _, err := tape.Forward(make([]float64, 3)); err != nil {
				return nil
			}
			_, err := tape.Backward(nil, nil, make([]float64, 5))
			return err
		}, []string{"output gradient length 5", "batch 1 × width 2"}},
		{"Tape grad length", func() error {
			if _, err := tape.Forward(make([]float64, 3)); err != nil {
				return nil
			}
			_, err := tape.Backward(make([]float64, 1), nil, make([]float64, 2))
			return err
		}, []string{"gradient length 1", "26 parameters"}},
		{"Features no hidden layer", func() error { _, err := shallow.FeatureMap(); return err }, []string{"no hidden layer", "at least 3 sizes"}},
		{"FitHead no hidden layer", func() error { return shallow.FitHead(make([]float64, 3), make([]float64, 2), 1) }, []string{"no hidden layer", "at least 3 sizes"}},
		{"FitHead λ NaN", func() error { return net.Clone().FitHead(make([]float64, 6), make([]float64, 4), nan) }, []string{"λ NaN", "finite and ≥ 0"}},
		{"FitHead λ<0", func() error { return net.Clone().FitHead(make([]float64, 6), make([]float64, 4), -1) }, []string{"λ -1", "finite and ≥ 0"}},
		{"FitHead targets", func() error { return net.Clone().FitHead(make([]float64, 6), make([]float64, 3), 1) }, []string{"target length 3", "2 samples × 2 outputs"}},
		{"Ridge samples", func() error { _, err := Ridge(nil, make([]float64, 6), 4, make([]float64, 4), 1); return err }, []string{"4 samples", "6 features", "dividing it"}},
		{"Ridge NaN features", func() error { _, err := Ridge(nil, []float64{1, nan}, 2, []float64{1, 2}, 1); return err }, []string{"phi[1] = NaN", "finite"}},
		{"Ridge λ=0 too few samples", func() error { _, err := Ridge(nil, []float64{1, 2}, 1, []float64{1}, 0); return err }, []string{"1 samples for 3 coefficients with λ = 0", "λ > 0 or ≥ 3 samples"}},
		{"SetHead shape", func() error {
			return net.SetHead(Layer[float64]{In: 4, Out: 3, W: make([]float64, 12), B: make([]float64, 3)})
		}, []string{"head 4×3", "network's 4×2 head"}},
		{"SetHead activation", func() error {
			h := net.Clone().Head()
			h.Act = Activation(7)
			return net.Clone().SetHead(h)
		}, []string{"activation", "7", "Identity, ReLU, Tanh or Sigmoid"}},
		{"RandomHead nil rnd", func() error { _, err := net.RandomHead(nil); return err }, []string{"random source nil"}},
		{"SetTheta output", func() error { return net.Clone().Head().SetTheta(2, make([]float64, 5)) }, []string{"output 2 out of range", "0 to 1"}},
		{"SetTheta length", func() error { return net.Clone().Head().SetTheta(0, make([]float64, 3)) }, []string{"θ length 3", "4 features plus 1"}},
		{"Layer.Forward length", func() error { _, err := net.Head().Forward(nil, make([]float64, 3)); return err }, []string{"input length 3", "layer width 4"}},
		{"CrossEntropy label", func() error { _, _, err := CrossEntropy[float64](nil, make([]float64, 4), []int{0, 2}); return err }, []string{"label 2 of sample 1", "0 to 1"}},
		{"CrossEntropy negative label", func() error { _, _, err := CrossEntropy[float64](nil, make([]float64, 4), []int{-1, 0}); return err }, []string{"label -1 of sample 0", "0 to 1"}},
		{"CrossEntropy lengths", func() error { _, _, err := CrossEntropy[float64](nil, make([]float64, 5), []int{0, 1}); return err }, []string{"logits length 5", "2 labels"}},
		{"CrossEntropy no labels", func() error { _, _, err := CrossEntropy[float64](nil, make([]float64, 5), nil); return err }, []string{"logits length 5", "0 labels"}},
		{"HalfSquaredError batch", func() error {
			_, _, err := HalfSquaredError[float64](nil, make([]float64, 4), make([]float64, 4), 0)
			return err
		}, []string{"batch 0", "≥ 1 and dividing it"}},
		{"HalfSquaredError targets", func() error {
			_, _, err := HalfSquaredError[float64](nil, make([]float64, 4), make([]float64, 3), 2)
			return err
		}, []string{"target length 3", "output length 4"}},
		{"Save empty path", func() error { return net.Save("") }, []string{`path ""`, "need a file name"}},
		{"Save into missing folder", func() error { return net.Save(filepath.Join(dir, "no", "net")) }, []string{filepath.Join(dir, "no", "net"), "no such file"}},
		{"Load empty path", func() error { _, err := Load[float64](""); return err }, []string{`path ""`, "need a file name"}},
		{"Load missing", func() error { _, err := Load[float64](filepath.Join(dir, "absent")); return err }, []string{filepath.Join(dir, "absent"), "no such file"}},
		{"Load folder", func() error { _, err := Load[float64](dir); return err }, []string{dir, "is a directory"}},
		{"Load not a network", func() error { _, err := Load[float64](notNet); return err }, []string{notNet, "bad magic header"}},
		{"Load wrong element type", func() error { _, err := Load[float32](f64); return err }, []string{f64, "8-byte elements", "4-byte elements", "Convert"}},
		{"Unmarshal truncated", func() error {
			b, _ := net.MarshalBinary()
			return new(Network[float64]).UnmarshalBinary(b[:len(b)-9])
		}, []string{"truncated", "sizes [3 4 2]", "212 bytes", "203"}},
	}
	validatetest.Run(t, cases)
}
