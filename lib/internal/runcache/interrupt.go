package runcache

import (
	"context"
	"errors"
	"os"
	"os/signal"
)

// ErrInterrupted is the cause of a context that Interruptible cancelled.
var ErrInterrupted = errors.New("interrupted by SIGINT, the notebook's stop button or Control-C")

// Interruptible returns a copy of parent that is cancelled, with the cause
// ErrInterrupted, when the process receives SIGINT. GoNB sends SIGINT to a
// cell's program when the front end asks to interrupt the kernel (the stop
// button), and SIGKILL five seconds later if it is still running: a task
// that passes the context on stops at its next clean point, keeps its last
// checkpoint and releases its lock well within that time. After the first
// SIGINT the default handling is restored, so a second one ends the process
// at once. stop restores the default handling of SIGINT, before it returns,
// and cancels the context: call it when the interruptible part of a
// program is over, so that a part that does not watch the context (a
// notebook's explorer) ends at SIGINT at once.
func Interruptible(parent context.Context) (ctx context.Context, stop context.CancelFunc) {
	ctx, cancel := context.WithCancelCause(parent)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	go func() {
		select {
		case <-sig:
			signal.Stop(sig) // a second SIGINT ends the process
			cancel(ErrInterrupted)
		case <-ctx.Done():
			signal.Stop(sig)
		}
	}()
	return ctx, func() {
		signal.Stop(sig) // from now on SIGINT ends the process, as by default
		cancel(context.Canceled)
	}
}
