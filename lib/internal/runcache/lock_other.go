//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package runcache

import "context"

// lock does nothing on systems without flock(2): two processes that need
// the same entry at once both compute it, and the last one's file stays
// (each write is still atomic).
func lock(ctx context.Context, path string, waiting func(holder string)) (unlock func(), err error) {
	return func() {}, nil
}
