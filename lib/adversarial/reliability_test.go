package adversarial

import (
	"bytes"
	"context"
	"encoding/gob"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"pointwise/lib/dataset"
	"pointwise/lib/figure"
	"pointwise/lib/internal/runcache"
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
		entry, ckptPath := entryPaths(dir, keyOfConfig(t, cfg, data))
		if tc.poison {
			ctx, cancel := context.WithCancel(context.Background())
			r := runner(dir, &recorder{onUpdate: func(done, _ int) {
				if done == 7+1 {
					cancel()
				}
			}})
			if _, err := cfg.Train(ctx, r, data); !errors.Is(err, context.Canceled) {
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
		_, err := cfg.Train(ctx, runner(dir, &recorder{onUpdate: func(done, _ int) {
			if done == tc.stop {
				cancel()
			}
		}}), data)
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
		if _, err := os.Stat(entry); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s: a network was stored (stat error %v)", tc.name, err)
		}
	}
}

// The environment of the subprocess tests' child.
const (
	childDirEnv   = "POINTWISE_STUDY_DIR"
	childPauseEnv = "POINTWISE_STUDY_PAUSE"
)

// childEpochs is the number of epochs of the child's trainings.
const childEpochs = 3

// childReporter prints the log lines of one task of the child, prefixed by
// its title. With pause set, the hard training's reporter stops at the
// first step of epoch 2, after the checkpoint of epoch 1, until ctx is done
// (SIGINT) or the process is killed.
type childReporter struct {
	ctx   context.Context
	title string
	pause bool
}

func (c childReporter) Update(done, total int, _ string) {
	if c.pause && strings.HasPrefix(c.title, "MNIST hard training") && done == total/childEpochs+1 {
		fmt.Println("paused in epoch 2 of the hard training")
		select {
		case <-c.ctx.Done():
		case <-time.After(2 * time.Minute):
			panic("neither killed nor interrupted within 2 minutes")
		}
	}
}

func (c childReporter) Log(f string, a ...any) { fmt.Printf(c.title+": "+f+"\n", a...) }

// TestStudyChild is the child of the subprocess tests: a small Figure 6
// study (three trainings on 1000 MNIST images, FGSM, PGD and the ensemble on
// 200 test images) into the cache folder $POINTWISE_STUDY_DIR, under a
// context that SIGINT cancels, as the notebooks run it; its rows are written
// as fig6.csv the way the notebooks write them. With $POINTWISE_STUDY_PAUSE
// set, it stops at the first step of epoch 2 of the hard training until it
// is interrupted or killed.
func TestStudyChild(t *testing.T) {
	dir := os.Getenv(childDirEnv)
	if dir == "" {
		t.Skip("the child process of the subprocess tests")
	}
	set, err := dataset.MNIST()
	if err != nil {
		t.Fatal(err)
	}
	train, _ := set.Train.Subset(1000)
	test, _ := set.Test.Subset(200)
	ctx, stop := Interruptible(context.Background())
	defer stop()
	pause := os.Getenv(childPauseEnv) != ""
	s := &Study{
		Train: Data{set.Name, train}, Test: Data{set.Name, test},
		Config:   Config{Epsilon: 0.1, Hidden: []int{64, 64}, Steps: 3, Heads: HeadSettings{K: 3}, Epochs: childEpochs},
		Eval:     Evaluator{Epsilons: []float64{0, 0.1, 0.2}, Steps: 5},
		Ensemble: EnsembleEvaluator{Epsilons: []float64{0.1}, Full: []float64{0.1}, Subset: 50, PGDSteps: 5, APGDSteps: 5, Targets: 1, SquareQueries: 20},
		Runner: &Runner{Dir: dir, Report: func(title string) Reporter {
			return childReporter{ctx: ctx, title: title, pause: pause}
		}},
	}
	rows, _, err := s.Rows(ctx)
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

// syncBuffer is a bytes.Buffer that a child's output goroutine may write
// while the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// child starts TestStudyChild into dir and returns it with its output; the
// test's cleanup kills it if the test ends first.
func child(t *testing.T, dir string, pause bool) (*exec.Cmd, *syncBuffer) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestStudyChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), childDirEnv+"="+dir)
	if pause {
		cmd.Env = append(cmd.Env, childPauseEnv+"=1")
	}
	out := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	return cmd, out
}

// startChild starts the study into dir and returns a function that waits
// for its end and returns its output; call it from the test's goroutine.
func startChild(t *testing.T, dir string) (wait func() string) {
	cmd, out := child(t, dir, false)
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

// modelEntry matches the cache entries of trained networks.
var modelEntry = regexp.MustCompile(`^[a-z0-9]+-(standard|pgd|hard)-[0-9a-f]{16}\.gob$`)

// readModel decodes the cache entry of a trained network.
func readModel(t *testing.T, path string) trained { t.Helper(); return readEntry(t, path).Value }

// sameFiles reports the differences between the cache folders a and b: the
// names of their files, the bytes of the CSV, the keys and rows of the
// FGSM/PGD results, and the networks and training histories of the models
// (their entries also hold wall times, as the ensemble's do). Entries are
// compared decoded, not as bytes: gob numbers a type by the order in which
// the process first met it, so a process that read a network from the cache
// before evaluating it writes the same rows under other type numbers than
// one that trained it.
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
		pa, pb := filepath.Join(a, n), filepath.Join(b, n)
		switch {
		case modelEntry.MatchString(n):
			x, y := readModel(t, pa), readModel(t, pb)
			if !slices.Equal(x.Net.Params(), y.Net.Params()) || !slices.Equal(x.History, y.History) {
				t.Errorf("the network or history of %s differs between %s and %s", n, a, b)
			}
		case strings.Contains(n, "-eval-"):
			x, y := readRows(t, pa), readRows(t, pb)
			if x.Key != y.Key || !slices.Equal(x.Value, y.Value) {
				t.Errorf("the rows of %s differ between %s and %s:\n%v\n%v", n, a, b, x, y)
			}
		case n == "fig6.csv":
			x, errA := os.ReadFile(pa)
			y, errB := os.ReadFile(pb)
			if err := errors.Join(errA, errB); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(x, y) {
				t.Errorf("%s differs between %s and %s", n, a, b)
			}
		default:
			continue
		}
		compared++
	}
	// fig6.csv, and a network and an FGSM/PGD file per method.
	if want := 1 + 2*len(Methods); compared != want {
		t.Errorf("compared %d files of %q, want %d", compared, na, want)
	}
}

// readRows decodes the cache entry of an evaluation.
func readRows(t *testing.T, path string) (e struct {
	Key   string
	Value []Row
}) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&e); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return e
}

// noTemporaryFiles reports temporary and lock files left in dir.
func noTemporaryFiles(t *testing.T, dir string) {
	t.Helper()
	tmp, _ := filepath.Glob(filepath.Join(dir, ".*.tmp*"))
	locks, _ := filepath.Glob(filepath.Join(dir, "*.lock"))
	if left := append(tmp, locks...); len(left) > 0 {
		t.Errorf("temporary or lock files left in %s: %q", dir, left)
	}
}

// A study stopped in the middle of a training, killed with SIGKILL or
// interrupted with SIGINT (what GoNB sends a cell's program when the stop
// button is pressed, five seconds before SIGKILL), leaves only whole files:
// the checkpoint of epoch 1, no network under its final name. Interrupted,
// it stops by itself at a clean point, says which checkpoint it keeps, and
// removes its lock; killed, it leaves its lock file, which the next run
// takes over. Re-run, either resumes from the checkpoint, removes the
// temporary files a kill leaves, and ends with the same entries as a run that
// was never stopped.
func TestStopAndResume(t *testing.T) {
	skipWithoutMNIST(t)
	ref := t.TempDir()
	waitRef := startChild(t, ref) // the uninterrupted run, meanwhile
	for _, sig := range []os.Signal{os.Kill, os.Interrupt} {
		dir := t.TempDir()
		cmd, out := child(t, dir, true)
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		for deadline := time.Now().Add(2 * time.Minute); !strings.Contains(out.String(), "paused in epoch 2"); {
			select {
			case err := <-exited:
				t.Fatalf("%v: the child ended (%v) before pausing in the hard training:\n%s", sig, err, out)
			case <-time.After(5 * time.Millisecond):
			}
			if time.Now().After(deadline) {
				t.Fatalf("%v: the child did not pause in the hard training within 2 minutes:\n%s", sig, out)
			}
		}
		ckpts, _ := filepath.Glob(filepath.Join(dir, "mnist-hard-*.ckpt"))
		if len(ckpts) != 1 {
			t.Fatalf("%v: checkpoints %q, want the hard training's", sig, ckpts)
		}
		ckpt := ckpts[0]
		key := strings.TrimSuffix(filepath.Base(ckpt), ".ckpt")
		began := time.Now()
		if err := cmd.Process.Signal(sig); err != nil {
			t.Fatal(err)
		}
		err := <-exited
		ws, _ := cmd.ProcessState.Sys().(syscall.WaitStatus)
		switch sig {
		case os.Kill:
			if !ws.Signaled() {
				t.Fatalf("killed child ended with %v, want killed:\n%s", err, out)
			}
		case os.Interrupt:
			if ws.Signaled() {
				t.Fatalf("interrupted child ended with %v: want it to stop by itself:\n%s", err, out)
			}
			if d := time.Since(began); d > 5*time.Second {
				t.Errorf("interrupted child took %v to stop: GoNB kills it after 5 s", d)
			}
			for _, want := range []string{runcache.ErrInterrupted.Error(), "the last good checkpoint, of epoch 1, is " + ckpt} {
				if !strings.Contains(out.String(), want) {
					t.Errorf("interrupted child's output lacks %q:\n%s", want, out)
				}
			}
			t.Logf("interrupted child stopped %v after SIGINT, saying:\n%s", time.Since(began).Round(time.Millisecond), out)
		}
		// Every file under a final name is whole: the standard and PGD
		// networks and the hard training's checkpoint of epoch 1 (and, after
		// a kill, the lock file of the hard training); its network, the
		// results and the CSV do not exist yet.
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		var final []string
		for _, e := range entries {
			name, path := e.Name(), filepath.Join(dir, e.Name())
			if strings.HasPrefix(name, ".") {
				t.Logf("%v: left by the stop: %s", sig, name)
				continue
			}
			final = append(final, name)
			switch filepath.Ext(name) {
			case ".gob":
				readModel(t, path)
			case ".ckpt":
				if ck, err := mlp.LoadCheckpoint[float32](path); err != nil || ck.Epoch != 1 {
					t.Errorf("%v: checkpoint %s: %v, want epoch 1", sig, name, err)
				}
			}
		}
		want := []string{key + ".ckpt"}
		if sig == os.Kill {
			want = append(want, key+".lock")
		}
		if len(final) != 2+len(want) || slices.ContainsFunc(want, func(w string) bool { return !slices.Contains(final, w) }) ||
			slices.Contains(final, key+".gob") || slices.Contains(final, "fig6.csv") {
			t.Errorf("%v: after the stop the cache holds %q: want 2 networks and %q", sig, final, want)
		}
		// What a kill inside atomicfile.Write leaves: a partial temporary
		// file, older than the re-run.
		stale := filepath.Join(dir, "."+key+".gob.tmp123")
		if err := os.WriteFile(stale, []byte("partial"), 0o600); err != nil {
			t.Fatal(err)
		}
		old := time.Now().Add(-time.Minute)
		os.Chtimes(stale, old, old)

		log := startChild(t, dir)()
		for _, want := range []string{"MNIST hard training (K=3), seed 1: resuming after epoch 1 of 3 from " + key + ".ckpt",
			"MNIST hard training (K=3), seed 1: removed the stale temporary file " + filepath.Base(stale),
			"MNIST standard training, seed 1: read from the cache", "MNIST pgd training, seed 1: read from the cache"} {
			if !strings.Contains(log, want) {
				t.Errorf("%v: re-run's log lacks %q:\n%s", sig, want, log)
			}
		}
		noTemporaryFiles(t, dir)
		if sig == os.Kill {
			waitRef()
		}
		sameFiles(t, ref, dir)
	}
}

// Two processes that run the same study into one cache folder at once (a
// notebook open in JupyterLab while make figures runs) train and evaluate
// every network once: one computes, the other waits for it and reads its
// result. The folder ends with the entries a single process writes.
func TestSharedCacheTwoProcesses(t *testing.T) {
	skipWithoutMNIST(t)
	shared, alone := t.TempDir(), t.TempDir()
	waitA, waitB, waitAlone := startChild(t, shared), startChild(t, shared), startChild(t, alone)
	outA, outB := waitA(), waitB()
	waitAlone()
	both := outA + outB
	for _, m := range Methods {
		training := map[Method]string{Standard: "standard training", PGD: "pgd training", Hard: "hard training (K=3)"}[m]
		for _, line := range []string{"MNIST " + training + ", seed 1: epoch 1/3", "MNIST " + training + ", seed 1: attacks: FGSM along the grid:"} {
			if n := strings.Count(both, line); n != 1 {
				t.Errorf("%q logged %d times by the two processes, want once:\n%s\n%s", line, n, outA, outB)
			}
		}
	}
	t.Logf("%d waits for the other process's lock", strings.Count(both, ": waiting for process "))
	noTemporaryFiles(t, shared)
	sameFiles(t, alone, shared) // fig6.csv included: both processes wrote it, with the same rows

	// The evaluations again, by a process that reads every network from the
	// cache (what the waiting process does when it wins an evaluation's lock).
	evals, _ := filepath.Glob(filepath.Join(shared, "*-eval-*.gob"))
	if len(evals) != len(Methods) {
		t.Fatalf("%d evaluation entries in %s, want %d", len(evals), shared, len(Methods))
	}
	for _, f := range append(evals, filepath.Join(shared, "fig6.csv")) {
		if err := os.Remove(f); err != nil {
			t.Fatal(err)
		}
	}
	out := startChild(t, shared)()
	if n := strings.Count(out, ": read from the cache"); n != 2*len(Methods) {
		t.Errorf("the re-run read %d entries from the cache, want a network and an ensemble per method:\n%s", n, out)
	}
	sameFiles(t, alone, shared)
}
