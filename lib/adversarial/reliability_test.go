package adversarial

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"pointwise/lib/dataset"
	"pointwise/lib/figure"
	"pointwise/lib/mlp"
)

// A training error names the epoch and batch (mlp.Trainer's part) and the
// last good checkpoint, the one a re-run resumes from.
func TestTrainErrorNamesLastCheckpoint(t *testing.T) {
	data := Data{"blobs", blobs(200, 1)} // 7 steps of 32 per epoch
	cfg := small(Standard)
	for _, tc := range []struct {
		name string
		stop int // cancel after this step (0: do not)
		// poison sets every parameter of the epoch-1 checkpoint to 1e30: the
		// second layer's pre-activations, ≥ 12·1e30·1e30, overflow float32
		// to +Inf, so every logit is +Inf and the loss Inf − Inf = NaN.
		poison bool
		want   []string
	}{
		{"stopped in epoch 1", 3, false, []string{"before epoch 1 batch 4", "no checkpoint was written"}},
		{"stopped in epoch 2", 7 + 2, false, []string{"before epoch 2 batch 3", "the last good checkpoint, of epoch 1, is "}},
		{"loss NaN after resuming", 0, true, []string{"loss NaN at epoch 2 batch 1", "the last good checkpoint, of epoch 1, is "}},
	} {
		dir := t.TempDir()
		k, _ := Key(cfg, data)
		netPath, _, ckptPath := Paths(dir, k)
		if tc.poison {
			ctx, cancel := context.WithCancel(context.Background())
			tr := &Trainer{CacheDir: dir, Progress: func(done, _ int, _ string) {
				if done == 7+1 {
					cancel()
				}
			}}
			if _, err := tr.Train(ctx, cfg, data); !errors.Is(err, context.Canceled) {
				t.Fatalf("%s: interrupted run gave error %v, want context.Canceled", tc.name, err)
			}
			ck, err := mlp.LoadCheckpoint[float32](ckptPath)
			if err != nil {
				t.Fatal(err)
			}
			for i := range ck.Net.Params() {
				ck.Net.Params()[i] = 1e30
			}
			if err := ck.Save(ckptPath); err != nil {
				t.Fatal(err)
			}
		}
		ctx, cancel := context.WithCancel(context.Background())
		tr := &Trainer{CacheDir: dir, Progress: func(done, _ int, _ string) {
			if done == tc.stop {
				cancel()
			}
		}}
		_, err := tr.Train(ctx, cfg, data)
		cancel()
		for _, w := range tc.want {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %v, want one containing %q", tc.name, err, w)
			}
		}
		if tc.stop == 0 && errors.Is(err, context.Canceled) {
			t.Errorf("%s: error %v is a cancellation, want the non-finite loss", tc.name, err)
		}
		if strings.Contains(tc.want[1], "last good") && err != nil && !strings.Contains(err.Error(), ckptPath) {
			t.Errorf("%s: error %v does not name the checkpoint %s", tc.name, err, ckptPath)
		}
		if _, err := os.Stat(netPath); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s: a network was stored (stat error %v)", tc.name, err)
		}
	}
}

// The environment of the subprocess tests' child.
const (
	childDirEnv   = "POINTWISE_STUDY_DIR"
	childPauseEnv = "POINTWISE_STUDY_PAUSE"
)

// TestStudyChild is the child of the subprocess tests: a small Figure 6
// study (three trainings on 1000 MNIST images, FGSM, PGD and the ensemble on
// 200 test images) into the cache folder $POINTWISE_STUDY_DIR, its rows
// written as fig6.csv the way the notebooks write them. With
// $POINTWISE_STUDY_PAUSE set, it stops at the first step of epoch 2 of the
// hard training, after the checkpoint of epoch 1, and waits to be killed.
func TestStudyChild(t *testing.T) {
	dir := os.Getenv(childDirEnv)
	if dir == "" {
		t.Skip("the child process of TestKillAndResume and TestSameSeedSameBytes")
	}
	set, err := dataset.MNIST()
	if err != nil {
		t.Fatal(err)
	}
	train, _ := set.Train.Subset(1000)
	test, _ := set.Test.Subset(200)
	pause := os.Getenv(childPauseEnv) != ""
	const epochs = 3
	s := &Study{
		Train: Data{set.Name, train}, Test: Data{set.Name, test},
		Config:   Config{Epsilon: 0.1, Hidden: []int{64, 64}, Steps: 3, Heads: 3, Epochs: epochs},
		Eval:     Evaluator{Epsilons: []float64{0, 0.1, 0.2}, Steps: 5},
		Ensemble: EnsembleEvaluator{Epsilons: []float64{0.1}, Subset: 50, PGDSteps: 5, APGDSteps: 5, Targets: 1, SquareQueries: 20},
		CacheDir: dir,
		Reporter: func(title string) (func(int, int, string), func(string, ...any)) {
			progress := func(done, total int, _ string) {
				if pause && strings.HasPrefix(title, "hard training") && done == total/epochs+1 {
					fmt.Println("paused in epoch 2 of the hard training")
					time.Sleep(2 * time.Minute)
					t.Fatal("not killed within 2 minutes")
				}
			}
			return progress, func(f string, a ...any) { fmt.Printf(title+": "+f+"\n", a...) }
		},
	}
	rows, _, err := s.Rows(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	tab, err := figure.NewTable("", Columns...)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if err := tab.Append(r.Values()...); err != nil {
			t.Fatal(err)
		}
	}
	b, err := tab.CSV()
	if err != nil {
		t.Fatal(err)
	}
	if err := figure.WriteFileAtomic(filepath.Join(dir, "fig6.csv"), b); err != nil {
		t.Fatal(err)
	}
}

// child returns the command that runs TestStudyChild into dir.
func child(dir string, pause bool) (*exec.Cmd, *bytes.Buffer) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestStudyChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), childDirEnv+"="+dir)
	if pause {
		cmd.Env = append(cmd.Env, childPauseEnv+"=1")
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	return cmd, &out
}

// startChild starts the study into dir and returns a function that waits
// for its end and returns its output; call it from the test's goroutine.
func startChild(t *testing.T, dir string) (wait func() string) {
	cmd, out := child(dir, false)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() }) // if the test fails before the end
	return func() string {
		t.Helper()
		if err := cmd.Wait(); err != nil {
			t.Fatalf("study in %s: %v\n%s", dir, err, out)
		}
		return out.String()
	}
}

func skipWithoutMNIST(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a small MNIST study in subprocesses (several seconds each)")
	}
	if _, err := dataset.MNIST(); err != nil {
		t.Skip(err)
	}
}

// sameFiles reports the differences between the cache folders a and b: the
// names of their files, and the bytes of the CSV, the networks and the
// FGSM/PGD results (the model and ensemble JSON files hold wall times).
func sameFiles(t *testing.T, a, b string) {
	t.Helper()
	names := func(dir string) []string {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range entries {
			out = append(out, e.Name())
		}
		return out
	}
	na, nb := names(a), names(b)
	if !slices.Equal(na, nb) {
		t.Fatalf("%s holds %q, %s holds %q", a, na, b, nb)
	}
	compared := 0
	for _, n := range na {
		if n != "fig6.csv" && !strings.HasSuffix(n, ".mlp") && !strings.Contains(n, "-eval-") {
			continue
		}
		x, errA := os.ReadFile(filepath.Join(a, n))
		y, errB := os.ReadFile(filepath.Join(b, n))
		if err := errors.Join(errA, errB); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between %s and %s", n, a, b)
		}
		compared++
	}
	// fig6.csv, and a network and an FGSM/PGD file per method.
	if want := 1 + 2*len(Methods); compared != want {
		t.Errorf("compared %d files of %q, want %d", compared, na, want)
	}
}

// A study killed with SIGKILL in the middle of a training leaves only whole
// files: the checkpoint, no network under its final name; re-run, it resumes
// from the checkpoint, removes the temporary files a kill leaves, and ends
// with the same bytes as a run that was never interrupted.
func TestKillAndResume(t *testing.T) {
	skipWithoutMNIST(t)
	ref, dir := t.TempDir(), t.TempDir()
	waitRef := startChild(t, ref) // the uninterrupted run, meanwhile

	cmd, out := child(dir, true)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() { cmd.Process.Kill() }) // if the test fails before the kill
	var ckpt string
	for deadline := time.Now().Add(2 * time.Minute); ckpt == ""; {
		select {
		case err := <-exited:
			t.Fatalf("the child ended (%v) before the hard training's checkpoint appeared:\n%s", err, out)
		case <-time.After(5 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("no checkpoint of the hard training after 2 minutes:\n%s", out)
		}
		if m, _ := filepath.Glob(filepath.Join(dir, "mnist-hard-*.ckpt")); len(m) == 1 {
			ckpt = m[0]
		}
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL: no deferred code, no cleanup
		t.Fatal(err)
	}
	if err := <-exited; err == nil || !strings.Contains(err.Error(), "killed") {
		t.Fatalf("child ended with %v, want killed:\n%s", err, out)
	}
	// Every file under a final name is whole: the standard and PGD
	// networks with their metadata, and the hard training's checkpoint of
	// epoch 1; its network, the results and the CSV do not exist yet.
	key := strings.TrimSuffix(filepath.Base(ckpt), ".ckpt")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var final []string
	for _, e := range entries {
		name, path := e.Name(), filepath.Join(dir, e.Name())
		if strings.HasPrefix(name, ".") {
			t.Logf("left by the kill: %s", name)
			continue
		}
		final = append(final, name)
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		switch filepath.Ext(name) {
		case ".mlp":
			_, err = mlp.Load[float32](path)
		case ".json":
			if !json.Valid(b) {
				err = errors.New("not JSON")
			}
		case ".ckpt":
			var ck *mlp.Checkpoint[float32]
			if ck, err = mlp.LoadCheckpoint[float32](path); err == nil && ck.Epoch != 1 {
				err = fmt.Errorf("epoch %d, want 1", ck.Epoch)
			}
		}
		if err != nil {
			t.Errorf("%s after the kill: %v", name, err)
		}
	}
	if len(final) != 5 || !slices.Contains(final, key+".ckpt") || slices.Contains(final, key+".mlp") || slices.Contains(final, "fig6.csv") {
		t.Errorf("after the kill the cache holds %q: want 2 networks with their metadata and %s.ckpt", final, key)
	}
	// What a kill inside atomicfile.Write leaves: a partial temporary file,
	// older than the re-run.
	stale := filepath.Join(dir, "."+key+".mlp.tmp123")
	if err := os.WriteFile(stale, []byte("partial"), 0o600); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Minute)
	os.Chtimes(stale, old, old)

	log := startChild(t, dir)()
	for _, want := range []string{"hard: resuming after epoch 1 of 3 from " + key + ".ckpt",
		"hard: removed the stale temporary file " + filepath.Base(stale),
		"standard: loaded from the cache", "pgd: loaded from the cache"} {
		if !strings.Contains(log, want) {
			t.Errorf("re-run's log lacks %q:\n%s", want, log)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*.tmp*")); len(left) > 0 {
		t.Errorf("temporary files left after the re-run: %q", left)
	}
	waitRef()
	sameFiles(t, ref, dir)
}

// Two runs of the same study in two processes at once, into two cache
// folders, give the same bytes.
func TestSameSeedSameBytes(t *testing.T) {
	skipWithoutMNIST(t)
	a, b := t.TempDir(), t.TempDir()
	waitA, waitB := startChild(t, a), startChild(t, b)
	waitA()
	waitB()
	sameFiles(t, a, b)
}
