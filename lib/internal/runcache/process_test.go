//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package runcache

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The environment of the subprocess tests' child.
const (
	childModeEnv = "RUNCACHE_CHILD"
	childDirEnv  = "RUNCACHE_DIR"
)

// printer is a Reporter that prints its log lines.
type printer struct{}

func (printer) Update(int, int, string)        {}
func (printer) Log(format string, args ...any) { fmt.Printf(format+"\n", args...) }

// TestChild is the child of the subprocess tests: it runs one task into the
// folder $RUNCACHE_DIR under a context from Interruptible. Its Compute
// appends the process id to the file "computed" and then, in mode "slow",
// works for a second; in mode "hang", until the context is done. In mode
// "after stop" it calls Interruptible's stop, writes "computed" and sleeps
// for a minute.
func TestChild(t *testing.T) {
	mode, dir := os.Getenv(childModeEnv), os.Getenv(childDirEnv)
	if mode == "" {
		t.Skip("the child process of the subprocess tests")
	}
	ctx, stop := Interruptible(context.Background())
	defer stop()
	if mode == "after stop" {
		stop()
		os.WriteFile(filepath.Join(dir, "computed"), []byte("stopped\n"), 0o644)
		time.Sleep(time.Minute)
		return
	}
	task := Task[int]{Title: "child", Key: Key{Name: "shared", Version: 1},
		Compute: func(ctx context.Context, rep Reporter) (int, error) {
			f, err := os.OpenFile(filepath.Join(dir, "computed"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
			if err != nil {
				return 0, err
			}
			fmt.Fprintln(f, os.Getpid())
			f.Close()
			work := time.Second
			if mode == "hang" {
				work = time.Minute
			}
			select {
			case <-ctx.Done():
				return 0, fmt.Errorf("stopped at a clean point: %w", context.Cause(ctx))
			case <-time.After(work):
			}
			return os.Getpid(), nil
		}}
	v, cached, err := task.Run(ctx, &Runner{Dir: dir, Report: func(string) Reporter { return printer{} }})
	fmt.Printf("result %d cached %v error %v\n", v, cached, err)
}

// start starts the child in mode on dir and returns it with its output.
func start(t *testing.T, mode, dir string) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestChild$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), childModeEnv+"="+mode, childDirEnv+"="+dir)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() }) // if the test fails before the child's end
	return cmd, &out
}

// computing waits until a child has started computing in dir.
func computing(t *testing.T, dir string) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(5 * time.Millisecond) {
		if b, _ := os.ReadFile(filepath.Join(dir, "computed")); len(b) > 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("no child started computing within a minute")
		}
	}
}

// hangAndSignal starts a child in mode (default "hang") on dir, sends it
// sig once it computes, and returns it, its output, how long it took to end
// after the signal and the error of its end.
func hangAndSignal(t *testing.T, dir string, sig os.Signal, mode ...string) (*exec.Cmd, *bytes.Buffer, time.Duration, error) {
	t.Helper()
	cmd, out := start(t, append(mode, "hang")[0], dir)
	computing(t, dir)
	began := time.Now()
	if err := cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	return cmd, out, time.Since(began), err
}

// noLocks reports the lock files left in dir.
func noLocks(t *testing.T, dir string) {
	t.Helper()
	if m, _ := filepath.Glob(filepath.Join(dir, "*.lock")); len(m) > 0 {
		t.Errorf("lock files left: %q", m)
	}
}

func computations(t *testing.T, dir string) int {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "computed"))
	if err != nil {
		t.Fatal(err)
	}
	return strings.Count(string(b), "\n")
}

// Two processes that need the same entry at once compute it once: the
// second waits, saying for whom, and reads the first one's result.
func TestTwoProcessesComputeOnce(t *testing.T) {
	dir := t.TempDir()
	a, outA := start(t, "slow", dir)
	computing(t, dir)
	b, outB := start(t, "slow", dir)
	errA, errB := a.Wait(), b.Wait()
	if err := errors.Join(errA, errB); err != nil {
		t.Fatalf("children: %v\n%s\n%s", err, outA, outB)
	}
	if n := computations(t, dir); n != 1 {
		t.Errorf("computed %d times, want once:\n%s\n%s", n, outA, outB)
	}
	wantA := fmt.Sprintf("result %d cached false error <nil>", a.Process.Pid)
	wantB := fmt.Sprintf("result %d cached true error <nil>", a.Process.Pid)
	if !strings.Contains(outA.String(), wantA) || !strings.Contains(outB.String(), wantB) {
		t.Errorf("want %q from the first child and %q from the second:\n%s\n%s", wantA, wantB, outA, outB)
	}
	if w := fmt.Sprintf("waiting for process %d, which is computing shared-", a.Process.Pid); !strings.Contains(outB.String(), w) {
		t.Errorf("second child's output lacks %q:\n%s", w, outB)
	}
	noLocks(t, dir)
}

// A process killed with SIGKILL while it holds a lock leaves the lock file,
// but not the lock: the next process takes it over at once.
func TestKilledHolderReleasesTheLock(t *testing.T) {
	dir := t.TempDir()
	_, out, _, _ := hangAndSignal(t, dir, os.Kill)
	if m, _ := filepath.Glob(filepath.Join(dir, "*.lock")); len(m) != 1 {
		t.Fatalf("after the kill the folder holds the lock files %q, want one:\n%s", m, out)
	}
	began := time.Now()
	v, cached, err := Task[int]{Key: Key{Name: "shared", Version: 1}, Compute: func(context.Context, Reporter) (int, error) {
		return 7, nil
	}}.Run(context.Background(), &Runner{Dir: dir})
	if err != nil || cached || v != 7 {
		t.Errorf("after the kill: %d, cached %v, %v; want 7 computed", v, cached, err)
	}
	if d := time.Since(began); d > 2*time.Second {
		t.Errorf("took %v to take over the lock of a killed process", d)
	}
	noLocks(t, dir)
}

// SIGINT, what GoNB sends a cell's program when the stop button is pressed,
// cancels the context of Interruptible: the computation stops at its clean
// point well before GoNB's SIGKILL five seconds later, the process ends by
// itself, its lock file is removed and nothing is stored.
func TestInterruptStopsTheTask(t *testing.T) {
	dir := t.TempDir()
	cmd, out, d, err := hangAndSignal(t, dir, os.Interrupt)
	if d > 5*time.Second {
		t.Errorf("the child took %v to stop after SIGINT: GoNB kills it after 5 s", d)
	}
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); err != nil || ok && ws.Signaled() {
		t.Fatalf("child ended with %v: want it to end by itself:\n%s", err, out)
	}
	if want := "error stopped at a clean point: " + ErrInterrupted.Error(); !strings.Contains(out.String(), want) {
		t.Errorf("child's output lacks %q:\n%s", want, out)
	}
	if m, _ := filepath.Glob(filepath.Join(dir, "*")); len(m) != 1 || filepath.Base(m[0]) != "computed" {
		t.Errorf("after the interruption the folder holds %q, want only the child's own file", m)
	}
}

// Once Interruptible's stop has returned, SIGINT ends the process at once,
// as it does by default: a notebook's explorer, which does not watch the
// context, stops at the stop button.
func TestInterruptAfterStop(t *testing.T) {
	cmd, out, d, err := hangAndSignal(t, t.TempDir(), os.Interrupt, "after stop")
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); err == nil || !ok || !ws.Signaled() || ws.Signal() != syscall.SIGINT {
		t.Errorf("child ended with %v: want it ended by SIGINT:\n%s", err, out)
	}
	if d > 5*time.Second {
		t.Errorf("the child took %v to end after SIGINT", d)
	}
}
