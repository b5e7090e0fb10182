package parallel

import (
	"sync"
	"sync/atomic"
)

// Each runs the tasks 0 to n-1 on min(workers, n) goroutines, which claim
// them in order. Each goroutine calls worker once for the function that
// runs its tasks, so that it can hold buffers of its own. After a task
// fails, no task is started; Each returns the error of the failed task with
// the lowest index, which does not depend on the scheduling: every task
// below a failed one was claimed before it and runs to its end. Tasks must
// be independent; writing to distinct elements of a shared slice is.
func Each(n, workers int, worker func() func(i int) error) error {
	var (
		next   atomic.Int64
		failed atomic.Bool
		mu     sync.Mutex
		first  = n // the lowest failed index
		err    error
		wg     sync.WaitGroup
	)
	for range min(max(workers, 1), n) {
		wg.Go(func() {
			do := worker()
			for !failed.Load() {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if e := do(i); e != nil {
					mu.Lock()
					if i < first {
						first, err = i, e
					}
					mu.Unlock()
					failed.Store(true)
				}
			}
		})
	}
	wg.Wait()
	return err
}
