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
	"time"

	"pointwise/lib/dataset"
	"pointwise/lib/internal/atomicfile"
	"pointwise/lib/mlp"
)

// processStart is when this process loaded the package: a temporary file of
// a cache file older than that was left by a run that was killed.
var processStart = time.Now()

// Streams of the PCG generators seeded by Config.Seed (the shuffling uses
// mlp.Trainer's own stream, Seed).
const (
	initStream   = 0x1417_1a11
	attackStream = 0xa77a_c4ed
)

// Trainer trains networks and keeps them in a cache directory. The zero value
// trains without a cache and reports nothing.
type Trainer struct {
	// CacheDir is the directory holding trained networks (<key>.mlp with
	// <key>.json) and checkpoints of runs in progress (<key>.ckpt). It is
	// created if needed. If it is "", nothing is cached or checkpointed.
	CacheDir string
	// Progress, if non-nil, is called after every training step with the
	// steps done, the steps in total (over all epochs) and a short status,
	// the shape of figure.Progress.Update.
	Progress func(done, total int, status string)
	// Log, if non-nil, receives one line per epoch and per cache event (hit,
	// resume, unusable file), the shape of figure.Progress.Log.
	Log func(format string, args ...any)
}

// Model is a trained network and how it came to be.
type Model struct {
	// Config is the resolved configuration (see Config.Resolve).
	Config Config
	// Data names the training data set.
	Data string
	// Key is the cache key (see Key).
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

// modelMeta is the JSON file written beside a cached network.
type modelMeta struct {
	Format      int
	Key         string
	Config      Config
	Data        string
	Fingerprint string
	Sizes       []int
	History     []mlp.EpochStats
	TrainTime   time.Duration
}

// ckptMeta is the caller's part of a checkpoint.
type ckptMeta struct {
	Key       string
	History   []mlp.EpochStats
	RNG       []byte // the attack generator's PCG state
	TrainTime time.Duration
}

func (t *Trainer) logf(format string, args ...any) {
	if t.Log != nil {
		t.Log(format, args...)
	}
}

// Paths returns the files of the cached model with the given key in dir: the
// network, its metadata and the checkpoint of a run in progress.
func Paths(dir, key string) (net, meta, checkpoint string) {
	base := filepath.Join(dir, key)
	return base + ".mlp", base + ".json", base + ".ckpt"
}

// Train returns the network that cfg trains on data: from the cache if
// CacheDir holds it, otherwise trained now, resuming from a checkpoint if
// one exists, and then stored. It stops when ctx is done (a nil ctx never
// is), leaving the last epoch's checkpoint. Errors name the setting, the epoch and batch, or the
// file concerned; a training error also names the last good checkpoint, and
// a network that went non-finite is never stored. Temporary files of this
// model's cache files that a killed run left behind are removed.
func (t *Trainer) Train(ctx context.Context, cfg Config, data Data) (*Model, error) {
	r, err := cfg.Resolve()
	if err != nil {
		return nil, err
	}
	if err := data.check("training"); err != nil {
		return nil, err
	}
	fp := data.Fingerprint()
	m := &Model{Config: r, Data: data.Name, Key: key("model", r, data.Name, fp, nil)}
	sizes := append(append([]int{data.Split.Dim()}, r.Hidden...), dataset.Classes)
	var netPath, metaPath, ckptPath string
	if t.CacheDir != "" {
		if err := os.MkdirAll(t.CacheDir, 0o755); err != nil {
			return nil, fmt.Errorf("adversarial: cache directory: %w", err)
		}
		netPath, metaPath, ckptPath = Paths(t.CacheDir, m.Key)
		// A run killed while writing one of this model's files left its
		// temporary file, which nothing else would ever remove.
		stale, err := atomicfile.Clean(t.CacheDir, m.Key, processStart)
		for _, p := range stale {
			t.logf("%v: removed the stale temporary file %s", r.Method, filepath.Base(p))
		}
		if err != nil {
			return nil, fmt.Errorf("adversarial: cache directory: %w", err)
		}
		if _, err := os.Stat(netPath); err == nil {
			if err := m.load(netPath, metaPath, fp, sizes); err != nil {
				t.logf("%v: cached model unusable, training again: %v", r.Method, err)
			} else {
				m.Cached = true
				t.logf("%v: loaded from the cache (%s)", r.Method, filepath.Base(netPath))
				return m, nil
			}
		}
	}

	net, err := mlp.New[float32](sizes, mlp.ReLU, mlp.Identity)
	if err != nil {
		return nil, fmt.Errorf("adversarial: %w", err)
	}
	if err := net.Init(rand.New(rand.NewPCG(r.Seed, initStream)), mlp.He{}); err != nil {
		return nil, fmt.Errorf("adversarial: %w", err)
	}
	opt := &mlp.Adam[float32]{LearningRate: r.LearningRate}
	pcg := rand.NewPCG(r.Seed, attackStream)
	var (
		spent time.Duration
		rng   []byte // the attack stream's state to restore, from a checkpoint
	)
	if ckptPath != "" {
		if _, err := os.Stat(ckptPath); err == nil {
			ck, meta, err := loadCheckpoint(ckptPath, m.Key, sizes, r.Epochs)
			if err == nil {
				err = errors.Join(opt.UnmarshalBinary(ck.Optimizer), pcg.UnmarshalBinary(meta.RNG))
			}
			if err != nil {
				t.logf("%v: checkpoint unusable, starting afresh: %v", r.Method, err)
				opt = &mlp.Adam[float32]{LearningRate: r.LearningRate}
			} else {
				net, m.Resumed, m.History, spent, rng = ck.Net, ck.Epoch, meta.History, meta.TrainTime, meta.RNG
				t.logf("%v: resuming after epoch %d of %d from %s", r.Method, ck.Epoch, r.Epochs, filepath.Base(ckptPath))
			}
			pcg.Seed(r.Seed, attackStream)
		}
	}
	bs := min(r.BatchSize, data.Split.N)
	var perturb mlp.Perturber[float32]
	if r.Method != Standard {
		if perturb, err = newPerturber(net, r, rand.New(pcg), bs); err != nil {
			return nil, err
		}
	}
	// Building the perturber draws from the stream (the first heads), as it
	// did at the start of the interrupted run: restore the state after it.
	if rng != nil {
		if err := pcg.UnmarshalBinary(rng); err != nil {
			return nil, fmt.Errorf("adversarial: %w", err)
		}
	}
	saved := m.Resumed // the epoch of the checkpoint on disk, 0 if none
	began, epochBegan := time.Now(), time.Now()
	tr := mlp.Trainer[float32]{
		Optimizer: opt, BatchSize: bs, Epochs: r.Epochs, Seed: r.Seed, Perturb: perturb,
		Start: m.Resumed, Context: ctx,
		OnEpoch: func(s mlp.EpochStats) error {
			m.History = append(m.History, s)
			t.logf("%v epoch %d/%d: loss %.4f, training accuracy %.2f%% (%.1f s)",
				r.Method, s.Epoch, r.Epochs, s.Loss, 100*s.Accuracy, time.Since(epochBegan).Seconds())
			epochBegan = time.Now()
			if ckptPath == "" || s.Epoch == r.Epochs {
				return nil // the finished network is stored next
			}
			if err := saveCheckpoint(ckptPath, net, opt, pcg, ckptMeta{Key: m.Key, History: m.History,
				TrainTime: spent + time.Since(began)}, s.Epoch); err != nil {
				return err
			}
			saved = s.Epoch
			return nil
		},
	}
	if t.Progress != nil {
		tr.Progress = func(p mlp.Progress) {
			t.Progress((p.Epoch-1)*p.Steps+p.Step, p.Epochs*p.Steps, fmt.Sprintf("%v: epoch %d/%d, loss %.3f, accuracy %.1f%%",
				r.Method, p.Epoch, p.Epochs, p.Loss, 100*p.Accuracy))
		}
	}
	if _, err := tr.Train(net, data.Split.X, data.Split.Y); err != nil {
		// Name what a re-run would resume from, so that a non-finite loss
		// or an interruption says how much work is kept.
		switch {
		case ckptPath == "":
		case saved == 0:
			err = fmt.Errorf("%w; no checkpoint was written", err)
		default:
			err = fmt.Errorf("%w; the last good checkpoint, of epoch %d, is %s", err, saved, ckptPath)
		}
		return nil, fmt.Errorf("adversarial: training %v on %s: %w", r.Method, data.Name, err)
	}
	m.Net, m.TrainTime = net, spent+time.Since(began)
	if netPath == "" {
		return m, nil
	}
	if err := checkFinite(net); err != nil { // mlp.Trainer checks too: never store a poisoned network
		return nil, err
	}
	if err := net.Save(netPath); err != nil {
		return nil, fmt.Errorf("adversarial: caching the model: %w", err)
	}
	meta, _ := json.MarshalIndent(modelMeta{Format: FormatVersion, Key: m.Key, Config: r, Data: data.Name,
		Fingerprint: fp, Sizes: sizes, History: m.History, TrainTime: m.TrainTime}, "", "  ")
	if err := writeFileAtomic(metaPath, meta); err != nil {
		return nil, fmt.Errorf("adversarial: caching the model: %w", err)
	}
	if err := os.Remove(ckptPath); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("adversarial: removing the finished run's checkpoint: %w", err)
	}
	return m, nil
}

// load reads a cached model and checks that it is the one asked for.
func (m *Model) load(netPath, metaPath, fingerprint string, sizes []int) error {
	b, err := os.ReadFile(metaPath)
	if err != nil {
		return err
	}
	var meta modelMeta
	if err := json.Unmarshal(b, &meta); err != nil {
		return fmt.Errorf("metadata %s: %w", metaPath, err)
	}
	if meta.Format != FormatVersion || meta.Key != m.Key || meta.Fingerprint != fingerprint || !slices.Equal(meta.Sizes, sizes) {
		return fmt.Errorf("metadata %s describes another model (format %d, key %s)", metaPath, meta.Format, meta.Key)
	}
	net, err := mlp.Load[float32](netPath)
	if err != nil {
		return err
	}
	if !slices.Equal(net.Sizes(), sizes) {
		return fmt.Errorf("network %s has sizes %v, need %v", netPath, net.Sizes(), sizes)
	}
	if err := checkFinite(net); err != nil {
		return fmt.Errorf("network %s: %w", netPath, err)
	}
	m.Net, m.History, m.TrainTime = net, meta.History, meta.TrainTime
	return nil
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
