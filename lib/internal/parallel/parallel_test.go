package parallel

import (
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
)

func TestEach(t *testing.T) {
	for _, tc := range []struct{ n, workers int }{{0, 2}, {1, 2}, {7, 1}, {100, 3}, {5, 0}, {3, 8}} {
		ran := make([]int, tc.n)
		var started atomic.Int32
		err := Each(tc.n, tc.workers, func() func(int) error {
			started.Add(1)
			return func(i int) error { ran[i]++; return nil }
		})
		if want := min(max(tc.workers, 1), tc.n); int(started.Load()) != want {
			t.Errorf("n %d, workers %d: %d goroutines, want %d", tc.n, tc.workers, started.Load(), want)
		}
		if err != nil {
			t.Errorf("n %d, workers %d: %v", tc.n, tc.workers, err)
		}
		for i, c := range ran {
			if c != 1 {
				t.Errorf("n %d, workers %d: task %d ran %d times, want once", tc.n, tc.workers, i, c)
			}
		}
	}
}

// Tasks 3 and 11 fail: whichever fails first, every task below 11 was
// claimed before it, so task 3 always runs and its error is the one
// returned.
func TestEachLowestError(t *testing.T) {
	for range 50 {
		err := Each(40, 4, func() func(int) error {
			return func(i int) error {
				if i == 3 || i == 11 {
					return fmt.Errorf("task %d", i)
				}
				return nil
			}
		})
		if err == nil || err.Error() != "task 3" {
			t.Fatalf("error %v, want task 3's", err)
		}
	}
	if err := Each(2, 2, func() func(int) error { return func(int) error { return errors.New("x") } }); err == nil {
		t.Fatal("no error from failing tasks")
	}
}
