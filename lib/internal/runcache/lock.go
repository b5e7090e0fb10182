//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package runcache

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall"
	"time"
)

// pollLock is how often a process waiting for a lock tries again.
const pollLock = 100 * time.Millisecond

// lock takes the exclusive lock of the file at path, created if needed, and
// returns the function that releases it and removes the file. While another
// process holds it, lock calls waiting once with a description of the
// holder, and tries again every pollLock until it succeeds or ctx is done.
//
// The file is removed by its holder before the lock is released, so a
// waiter that wins the lock of a removed file (another inode than the one
// at path now) opens the path again.
func lock(ctx context.Context, path string, waiting func(holder string)) (unlock func(), err error) {
	told := false
	for {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			return nil, fmt.Errorf("runcache: lock: %w", err)
		}
		for {
			err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
			if !errors.Is(err, syscall.EWOULDBLOCK) {
				break
			}
			if !told {
				told = true
				waiting(holder(path))
			}
			select {
			case <-ctx.Done():
				f.Close()
				return nil, fmt.Errorf("runcache: stopped waiting for the lock %s: %w", path, context.Cause(ctx))
			case <-time.After(pollLock):
			}
		}
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("runcache: lock %s: %w", path, err)
		}
		if same(f, path) {
			f.Truncate(0)
			fmt.Fprintf(f, "process %d\n", os.Getpid())
			return func() {
				os.Remove(path)
				f.Close() // releases the lock
			}, nil
		}
		f.Close() // the holder removed this file: lock the new one
	}
}

// same reports whether the open file f is the file now at path.
func same(f *os.File, path string) bool {
	a, err1 := f.Stat()
	b, err2 := os.Stat(path)
	return err1 == nil && err2 == nil && os.SameFile(a, b)
}

// holder describes the process that holds the lock at path, as it wrote
// itself into the file.
func holder(path string) string {
	b, err := os.ReadFile(path)
	if s := strings.TrimSpace(string(b)); err == nil && s != "" {
		return s
	}
	return "another process"
}
