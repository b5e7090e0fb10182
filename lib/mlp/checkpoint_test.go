package mlp

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// An optimiser restored from its state takes exactly the steps the original
// would have taken.
func TestOptimizerStateRoundTrip(t *testing.T) {
	rnd := rand.New(rand.NewPCG(20, 20))
	grads := make([][]float32, 6)
	for i := range grads {
		grads[i] = make([]float32, 5)
		for j := range grads[i] {
			grads[i][j] = float32(rnd.NormFloat64())
		}
	}
	type stateful interface {
		Optimizer[float32]
		MarshalBinary() ([]byte, error)
		UnmarshalBinary([]byte) error
	}
	for _, tc := range []struct {
		name      string
		new       func() stateful
		wantBytes int
	}{
		// magic 8 + kind 4 + size 4 + t 8 + n 8, then the vectors.
		{"adam", func() stateful { return &Adam[float32]{LearningRate: 1e-2} }, 32 + 2*5*4},
		{"sgd", func() stateful { return &SGD[float32]{LearningRate: 1e-2, Momentum: 0.9} }, 32 + 5*4},
	} {
		p1 := []float32{1, 2, 3, 4, 5}
		o1 := tc.new()
		for _, g := range grads[:3] {
			if err := o1.Step(p1, g); err != nil {
				t.Fatal(err)
			}
		}
		state, _ := o1.MarshalBinary()
		if len(state) != tc.wantBytes {
			t.Errorf("%s: state of %d bytes, want %d", tc.name, len(state), tc.wantBytes)
		}
		p2 := slices.Clone(p1)
		o2 := tc.new()
		if err := o2.UnmarshalBinary(state); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		for _, g := range grads[3:] {
			o1.Step(p1, g)
			o2.Step(p2, g)
		}
		if !slices.Equal(p1, p2) {
			t.Errorf("%s: restored optimiser gives %v, original %v", tc.name, p2, p1)
		}
		// A fresh optimiser's state restores to a fresh optimiser.
		empty, _ := tc.new().MarshalBinary()
		if err := o2.UnmarshalBinary(empty); err != nil {
			t.Errorf("%s: fresh state: %v", tc.name, err)
		}
	}
	adam, _ := (&Adam[float32]{}).MarshalBinary()
	for _, tc := range []struct {
		name string
		data []byte
		into interface{ UnmarshalBinary([]byte) error }
		want string
	}{
		{"wrong kind", adam, &SGD[float32]{}, "kind 1 loaded into kind 2"},
		{"wrong element size", adam, &Adam[float64]{}, "4-byte elements, need 8"},
		{"truncated", adam[:20], &Adam[float32]{}, "truncated"},
		{"bad magic", []byte("PWMLP\x00\r\n0123456789012345678901234"), &Adam[float32]{}, "bad magic"},
		{"extra bytes", append(slices.Clone(adam), 0, 0, 0, 0), &Adam[float32]{}, "4 bytes of vectors, need 0"},
	} {
		err := tc.into.UnmarshalBinary(tc.data)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

// Training 3 epochs in one go equals training 1 epoch, saving a checkpoint,
// and resuming from it for epochs 2 and 3: same parameters, bit for bit.
func TestResumeEqualsUninterrupted(t *testing.T) {
	rnd := rand.New(rand.NewPCG(30, 30))
	x, y := blobs(rnd, 300, 4, 3)
	newNet := func() *Network[float32] {
		net, _ := New[float32]([]int{4, 8, 3}, ReLU, Identity)
		net.Init(rand.New(rand.NewPCG(31, 31)), nil)
		return net
	}
	full := newNet()
	tr := Trainer[float32]{Optimizer: &Adam[float32]{LearningRate: 1e-2}, BatchSize: 32, Epochs: 3, Seed: 32}
	want, err := tr.Train(full, x, y)
	if err != nil {
		t.Fatal(err)
	}

	path := filepath.Join(t.TempDir(), "run.ckpt")
	part := newNet()
	opt := &Adam[float32]{LearningRate: 1e-2}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	tr = Trainer[float32]{Optimizer: opt, BatchSize: 32, Epochs: 3, Seed: 32, Context: ctx,
		OnEpoch: func(s EpochStats) error {
			state, _ := opt.MarshalBinary()
			return (&Checkpoint[float32]{Epoch: s.Epoch, Net: part, Optimizer: state, Meta: []byte("run")}).Save(path)
		},
		// A crash in the middle of epoch 2.
		Progress: func(p Progress) {
			if p.Epoch == 2 && p.Step == 4 {
				cancel()
			}
		},
	}
	_, err = tr.Train(part, x, y)
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "epoch 2 batch 5") {
		t.Fatalf("cancelled run gave error %v, want context.Canceled before epoch 2 batch 5", err)
	}

	ck, err := LoadCheckpoint[float32](path)
	if err != nil {
		t.Fatal(err)
	}
	if ck.Epoch != 1 || string(ck.Meta) != "run" {
		t.Fatalf("checkpoint at epoch %d with meta %q, want epoch 1 and %q", ck.Epoch, ck.Meta, "run")
	}
	opt = &Adam[float32]{LearningRate: 1e-2}
	if err := opt.UnmarshalBinary(ck.Optimizer); err != nil {
		t.Fatal(err)
	}
	tr = Trainer[float32]{Optimizer: opt, BatchSize: 32, Epochs: 3, Seed: 32, Start: ck.Epoch}
	got, err := tr.Train(ck.Net, x, y)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want[1:]) {
		t.Errorf("resumed epochs %v, want %v", got, want[1:])
	}
	for i, v := range full.Params() {
		if ck.Net.Params()[i] != v {
			t.Fatalf("parameter %d: resumed %v, uninterrupted %v", i, ck.Net.Params()[i], v)
		}
	}
}

func TestCheckpointRejects(t *testing.T) {
	net, _ := New[float64]([]int{3, 2}, Identity, Identity)
	net.Init(rand.New(rand.NewPCG(1, 1)), nil)
	good, err := (&Checkpoint[float64]{Epoch: 4, Net: net, Optimizer: []byte{1, 2}, Meta: []byte("m")}).MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	flipped := slices.Clone(good)
	flipped[len(flipped)/2] ^= 1
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "truncated"},
		{"truncated", good[:len(good)-7], "checksum"},
		{"header only", good[:30], "truncated"},
		{"flipped bit", flipped, "checksum"},
		{"not a checkpoint", append([]byte("PWMLP\x00\r\n"), good[8:]...), "bad magic"},
	} {
		path := filepath.Join(dir, tc.name)
		if err := os.WriteFile(path, tc.data, 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := LoadCheckpoint[float64](path)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: error %v, want one containing %q and the path", tc.name, err, tc.want)
		}
	}
	path := filepath.Join(dir, "good")
	if err := os.WriteFile(path, good, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadCheckpoint[float32](path); err == nil || !strings.Contains(err.Error(), "8-byte elements") {
		t.Errorf("float64 checkpoint loaded as float32: error %v, want an element-size error", err)
	}
	ck, err := LoadCheckpoint[float64](path)
	if err != nil {
		t.Fatal(err)
	}
	if ck.Epoch != 4 || !slices.Equal(ck.Optimizer, []byte{1, 2}) || string(ck.Meta) != "m" || !slices.Equal(ck.Net.Params(), net.Params()) {
		t.Errorf("round trip gave epoch %d, optimizer %v, meta %q", ck.Epoch, ck.Optimizer, ck.Meta)
	}
}

// nanAt is an optimiser that poisons the first parameter at step k.
type nanAt struct {
	Adam[float32]
	k, n int
}

func (o *nanAt) Step(p, g []float32) error {
	o.n++
	err := o.Adam.Step(p, g)
	if o.n == o.k {
		p[0] = float32(math.NaN())
	}
	return err
}

func TestTrainStopsOnNonFinite(t *testing.T) {
	rnd := rand.New(rand.NewPCG(40, 40))
	x, y := blobs(rnd, 64, 4, 3) // 4 batches of 16 per epoch
	for _, tc := range []struct {
		step int
		want string
	}{
		{2, "epoch 1 batch 3"},           // the next batch's loss is NaN
		{4, "at the end of epoch 1"},     // the last step of epoch 1: caught before OnEpoch
		{7, "loss NaN at epoch 2 batch"}, // 3 steps into epoch 2
	} {
		net, _ := New[float32]([]int{4, 8, 3}, ReLU, Identity)
		net.Init(rand.New(rand.NewPCG(41, 41)), nil)
		saved := 0
		tr := Trainer[float32]{Optimizer: &nanAt{k: tc.step}, BatchSize: 16, Epochs: 3,
			OnEpoch: func(EpochStats) error { saved++; return nil }}
		_, err := tr.Train(net, x, y)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("NaN at step %d: error %v, want one containing %q", tc.step, err, tc.want)
		}
		if wantSaved := (tc.step - 1) / 4; saved != wantSaved {
			t.Errorf("NaN at step %d: OnEpoch called %d times, want %d (never on a poisoned network)", tc.step, saved, wantSaved)
		}
	}
	tr := Trainer[float32]{Epochs: 2, Start: 2}
	net, _ := New[float32]([]int{4, 3}, Identity, Identity)
	if _, err := tr.Train(net, x, y); err == nil || !strings.Contains(err.Error(), "start epoch 2 out of range") {
		t.Errorf("Start = Epochs: error %v, want a range error", err)
	}
}
