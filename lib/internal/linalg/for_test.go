package linalg

import (
	"sync"
	"sync/atomic"
	"testing"
)

// counter counts the calls of each iteration.
type counter struct{ hits []atomic.Int32 }

func (c *counter) Range(lo, hi int) {
	for i := lo; i < hi; i++ {
		c.hits[i].Add(1)
	}
}

func TestForRunsEachIterationOnce(t *testing.T) {
	for _, tc := range []struct{ n, minN int }{
		{0, 0}, {1, 0}, {127, 0}, {128, 0}, {129, 0}, {1000, 0}, {1 << 16, 0}, {1<<16 + 3, 1 << 10}, {5000, 10000},
	} {
		c := &counter{hits: make([]atomic.Int32, tc.n)}
		For(tc.n, tc.minN, c)
		for i := range c.hits {
			if h := c.hits[i].Load(); h != 1 {
				t.Fatalf("For(%d, %d): iteration %d ran %d times, want 1", tc.n, tc.minN, i, h)
			}
		}
	}
}

// starts records where the pieces For hands out begin.
type starts struct {
	mu sync.Mutex
	lo []int
}

func (s *starts) Range(lo, hi int) {
	s.mu.Lock()
	s.lo = append(s.lo, lo)
	s.mu.Unlock()
}

func TestForPiecesAreAligned(t *testing.T) {
	for _, n := range []int{200, 1000, 1<<16 + 5} {
		var s starts
		For(n, 0, &s)
		for _, lo := range s.lo {
			if lo%forAlign != 0 {
				t.Errorf("n = %d: a piece starts at %d, not a multiple of %d: two cores would write to one cache line", n, lo, forAlign)
			}
		}
	}
}

func TestForNoAlloc(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	c := &counter{hits: make([]atomic.Int32, 1<<16)}
	if allocs := testing.AllocsPerRun(50, func() { For(len(c.hits), 0, c) }); allocs != 0 {
		t.Errorf("For allocated %v times per call, want 0", allocs)
	}
}
