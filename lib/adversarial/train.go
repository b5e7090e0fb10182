package adversarial

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"pointwise/lib/attack"
	"pointwise/lib/dataset"
	"pointwise/lib/internal/runcache"
	"pointwise/lib/mlp"
)

// Streams of the PCG generators seeded by Config.Seed (the shuffling uses
// mlp.Trainer's own stream, Seed).
const (
	initStream   = 0x1417_1a11
	attackStream = 0xa77a_c4ed
)

// Model is a trained network and how it came to be. Every evaluation of the
// model seeds its attacks with the training's seed, Config.Seed: the one
// seed rule of the package.
type Model struct {
	// Config is the resolved configuration (see Config.Resolve).
	Config Config
	// Data names the training data set.
	Data string
	// Key identifies the model in the cache, such as "mnist-hard-" and 16
	// hex digits: it covers every setting, the package's format version and
	// the training data.
	Key string
	// Net is the trained network: In() = the data's pixels, Out() = 10.
	Net *mlp.Network[float32]
	// History holds each epoch's training loss and accuracy, measured on the
	// inputs trained on (adversarial ones for PGD and Hard).
	History []mlp.EpochStats
	// Cached reports that the network was loaded from the cache, not trained
	// by this call.
	Cached bool
	// Resumed is the number of epochs restored from a checkpoint (0 if the
	// run started afresh or the model was cached).
	Resumed int
	// TrainTime is the wall time spent training, summed over resumed runs.
	TrainTime time.Duration
}

// String describes the model in one line: its training, seed, whether it
// was cached, its training time and its last epoch.
func (m *Model) String() string {
	s := fmt.Sprintf("%-8v seed %d cached %-5v trained in %6.1f s", m.Config.Method, m.Config.Seed, m.Cached, m.TrainTime.Seconds())
	if n := len(m.History); n > 0 {
		last := m.History[n-1]
		s += fmt.Sprintf("; last epoch: loss %.3f, accuracy on its training inputs %.1f%%", last.Loss, 100*last.Accuracy)
	}
	return s
}

// trained is a cached model: what the training computed.
type trained struct {
	Net       *mlp.Network[float32]
	History   []mlp.EpochStats
	TrainTime time.Duration
}

// ckptMeta is the caller's part of a checkpoint.
type ckptMeta struct {
	Key       string
	History   []mlp.EpochStats
	RNG       []byte // the attack generator's PCG state
	TrainTime time.Duration
}

// modelKey returns the cache key of the network that the resolved
// configuration r trains on data with the given fingerprint.
func modelKey(r Config, name, fingerprint string) (string, error) {
	return keyOf(r, name, fingerprint).ID()
}

func keyOf(r Config, name, fingerprint string) runcache.Key {
	return runcache.Key{Name: slug(name) + "-" + r.Method.String(), Version: formatVersion, Seed: r.Seed,
		Settings: struct {
			Config  Config
			Classes int
		}{r, dataset.Classes}, Data: []string{fingerprint}}
}

// label names a training on the data set named data for progress bars and
// logs: the data set, the method, the head settings that differ from the
// defaults, and the seed, such as "MNIST hard training (K=1, fixed heads),
// seed 2".
func (r Config) label(data string) string {
	var diff []string
	if h := r.Heads; r.Method == Hard {
		if h.K != DefaultHeads {
			diff = append(diff, fmt.Sprintf("K=%d", h.K))
		}
		if h.Scale != 1 {
			diff = append(diff, fmt.Sprintf("head scale %g", h.Scale))
		}
		if h.Loss != attack.HeadCrossEntropy {
			diff = append(diff, fmt.Sprintf("%v loss", h.Loss))
		}
		if h.Fixed {
			diff = append(diff, "fixed heads")
		}
		if h.Family != "" {
			diff = append(diff, h.Family+" heads")
		}
		if h.Bias != "" {
			diff = append(diff, "head bias "+h.Bias)
		}
	}
	if r.Init != "" {
		diff = append(diff, r.Init+" init")
	}
	s := data + " " + r.Method.String() + " training"
	if len(diff) > 0 {
		s += " (" + strings.Join(diff, ", ") + ")"
	}
	return fmt.Sprintf("%s, seed %d", s, r.Seed)
}

// Train returns the network that c trains on data, through r: from r's cache
// when it holds it, otherwise trained now, resuming from the checkpoint of
// an interrupted run if there is one, and then stored. During training a
// checkpoint is written after every epoch. It stops when ctx is done (a nil
// ctx never is), leaving the last epoch's checkpoint. Errors name the
// setting, the epoch and batch, or the file concerned; a training error also
// names the last good checkpoint, and a network that went non-finite is
// never stored.
func (c Config) Train(ctx context.Context, r *Runner, data Data) (*Model, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	rc, err := c.Resolve()
	if err != nil {
		return nil, err
	}
	if err := data.check("training"); err != nil {
		return nil, err
	}
	k := keyOf(rc, data.Name, data.fingerprint())
	id, err := k.ID()
	if err != nil {
		return nil, err
	}
	m := &Model{Config: rc, Data: data.Name, Key: id}
	sizes := append(append([]int{data.Split.Dim()}, rc.Hidden...), dataset.Classes)
	stem, _ := r.Stem(k)
	ckpt := "" // the checkpoint of the run, removed once its network is stored
	if stem != "" {
		ckpt = stem + ".ckpt"
	}
	check := func(t trained) error {
		if t.Net == nil || !slices.Equal(t.Net.Sizes(), sizes) {
			return fmt.Errorf("the network does not have the sizes %v", sizes)
		}
		return checkFinite(t.Net)
	}
	t, cached, err := runcache.Task[trained]{Title: rc.label(data.Name), Key: k, Check: check,
		Compute: func(ctx context.Context, rep Reporter) (trained, error) {
			return m.train(ctx, rep, data, sizes, ckpt)
		}}.Run(ctx, r)
	if err != nil {
		return nil, err
	}
	m.Net, m.History, m.TrainTime, m.Cached = t.Net, t.History, t.TrainTime, cached
	// Once the network is stored, a checkpoint is stale: this run's, or one
	// that a run killed after storing it left.
	if ckpt != "" {
		if err := os.Remove(ckpt); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("adversarial: removing the finished run's checkpoint: %w", err)
		}
	}
	return m, nil
}

// train trains the network of m.Config on data, resuming from the
// checkpoint at ckpt if there is a usable one and writing one there after
// every epoch but the last ("" for none).
func (m *Model) train(ctx context.Context, rep Reporter, data Data, sizes []int, ckpt string) (trained, error) {
	r := m.Config
	net, err := mlp.New[float32](sizes, mlp.ReLU, mlp.Identity)
	if err != nil {
		return trained{}, fmt.Errorf("adversarial: %w", err)
	}
	initer, err := r.initializer()
	if err != nil {
		return trained{}, err
	}
	if err := net.Init(rand.New(rand.NewPCG(r.Seed, initStream)), initer); err != nil {
		return trained{}, fmt.Errorf("adversarial: %w", err)
	}
	opt := &mlp.Adam[float32]{LearningRate: r.LearningRate}
	pcg := rand.NewPCG(r.Seed, attackStream)
	var (
		spent time.Duration
		rng   []byte // the attack stream's state to restore, from a checkpoint
	)
	if ckpt != "" {
		if _, err := os.Stat(ckpt); err == nil {
			ck, meta, err := loadCheckpoint(ckpt, m.Key, sizes, r.Epochs)
			if err == nil {
				err = errors.Join(opt.UnmarshalBinary(ck.Optimizer), pcg.UnmarshalBinary(meta.RNG))
			}
			if err != nil {
				rep.Log("checkpoint unusable, starting afresh: %v", err)
				opt = &mlp.Adam[float32]{LearningRate: r.LearningRate}
			} else {
				net, m.Resumed, m.History, spent, rng = ck.Net, ck.Epoch, meta.History, meta.TrainTime, meta.RNG
				rep.Log("resuming after epoch %d of %d from %s", ck.Epoch, r.Epochs, filepath.Base(ckpt))
			}
			pcg.Seed(r.Seed, attackStream)
		}
	}
	bs := min(r.BatchSize, data.Split.N)
	var perturb mlp.Perturber[float32]
	if r.Method != Standard {
		if perturb, err = newPerturber(net, r, rand.New(pcg), bs); err != nil {
			return trained{}, err
		}
	}
	// Building the perturber draws from the stream (the first heads), as it
	// did at the start of the interrupted run: restore the state after it.
	if rng != nil {
		if err := pcg.UnmarshalBinary(rng); err != nil {
			return trained{}, fmt.Errorf("adversarial: %w", err)
		}
	}
	saved := m.Resumed // the epoch of the checkpoint on disk, 0 if none
	began, epochBegan := time.Now(), time.Now()
	tr := mlp.Trainer[float32]{
		Optimizer: opt, BatchSize: bs, Epochs: r.Epochs, Seed: r.Seed, Perturb: perturb,
		Start: m.Resumed, Context: ctx,
		OnEpoch: func(s mlp.EpochStats) error {
			m.History = append(m.History, s)
			rep.Log("epoch %d/%d: loss %.4f, training accuracy %.2f%% (%.1f s)",
				s.Epoch, r.Epochs, s.Loss, 100*s.Accuracy, time.Since(epochBegan).Seconds())
			epochBegan = time.Now()
			if ckpt == "" || s.Epoch == r.Epochs {
				return nil // the finished network is stored next
			}
			if err := saveCheckpoint(ckpt, net, opt, pcg, ckptMeta{Key: m.Key, History: m.History,
				TrainTime: spent + time.Since(began)}, s.Epoch); err != nil {
				return err
			}
			saved = s.Epoch
			return nil
		},
		Progress: func(p mlp.Progress) {
			rep.Update((p.Epoch-1)*p.Steps+p.Step, p.Epochs*p.Steps, fmt.Sprintf("%v: epoch %d/%d, loss %.3f, accuracy %.1f%%",
				r.Method, p.Epoch, p.Epochs, p.Loss, 100*p.Accuracy))
		},
	}
	if _, err := tr.Train(net, data.Split.X, data.Split.Y); err != nil {
		if ctx.Err() != nil {
			err = fmt.Errorf("%w: %v", err, context.Cause(ctx))
		}
		// Name what a re-run would resume from, so that a non-finite loss
		// or an interruption says how much work is kept.
		switch {
		case ckpt == "":
		case saved == 0:
			err = fmt.Errorf("%w; no checkpoint was written", err)
		default:
			err = fmt.Errorf("%w; the last good checkpoint, of epoch %d, is %s", err, saved, ckpt)
		}
		return trained{}, fmt.Errorf("adversarial: training %v on %s: %w", r.Method, data.Name, err)
	}
	if err := checkFinite(net); err != nil { // mlp.Trainer checks too: never store a poisoned network
		return trained{}, err
	}
	return trained{Net: net, History: m.History, TrainTime: spent + time.Since(began)}, nil
}

func saveCheckpoint(path string, net *mlp.Network[float32], opt *mlp.Adam[float32], pcg *rand.PCG, meta ckptMeta, epoch int) error {
	state, err := opt.MarshalBinary()
	if err != nil {
		return err
	}
	if meta.RNG, err = pcg.MarshalBinary(); err != nil {
		return err
	}
	b, err := json.Marshal(meta)
	if err != nil {
		return err
	}
	return (&mlp.Checkpoint[float32]{Epoch: epoch, Net: net, Optimizer: state, Meta: b}).Save(path)
}

func loadCheckpoint(path, key string, sizes []int, epochs int) (*mlp.Checkpoint[float32], *ckptMeta, error) {
	ck, err := mlp.LoadCheckpoint[float32](path)
	if err != nil {
		return nil, nil, err
	}
	var meta ckptMeta
	if err := json.Unmarshal(ck.Meta, &meta); err != nil {
		return nil, nil, fmt.Errorf("checkpoint %s: metadata: %w", path, err)
	}
	switch {
	case meta.Key != key:
		return nil, nil, fmt.Errorf("checkpoint %s belongs to %s", path, meta.Key)
	case !slices.Equal(ck.Net.Sizes(), sizes):
		return nil, nil, fmt.Errorf("checkpoint %s has sizes %v, need %v", path, ck.Net.Sizes(), sizes)
	case ck.Epoch < 1 || ck.Epoch >= epochs || len(meta.History) != ck.Epoch:
		return nil, nil, fmt.Errorf("checkpoint %s at epoch %d with %d epochs of history: need 1 to %d", path, ck.Epoch, len(meta.History), epochs-1)
	}
	if err := checkFinite(ck.Net); err != nil {
		return nil, nil, fmt.Errorf("checkpoint %s: %w", path, err)
	}
	return ck, &meta, nil
}

func checkFinite(net *mlp.Network[float32]) error {
	for i, v := range net.Params() {
		if f := float64(v); math.IsNaN(f) || math.IsInf(f, 0) {
			return fmt.Errorf("adversarial: parameter %d of the network is %v: need finite values", i, f)
		}
	}
	return nil
}
