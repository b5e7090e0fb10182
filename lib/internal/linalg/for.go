package linalg

import "runtime"

// Ranger is the body of a loop over indices whose iterations are
// independent: Range computes iterations lo to hi-1.
type Ranger interface {
	Range(lo, hi int)
}

// forAlign is a multiple of every SIMD width and of a cache line of float32
// or float64, so that two pieces never write to the same cache line.
const forAlign = 64

// For computes the iterations 0 to n-1 of r: in one piece per core on the
// pool that runs Gemm's tiles when n ≥ minN, on the caller alone otherwise.
// Each iteration runs exactly once, so a loop whose iterations are
// independent gives the same bits either way. For does not allocate; r
// should be a pointer, which converts to a Ranger without allocating.
func For(n, minN int, r Ranger) {
	p := runtime.GOMAXPROCS(0)
	if n <= 0 {
		return
	}
	if p < 2 || n < minN || n < 2*forAlign {
		r.Range(0, n)
		return
	}
	piece := ((n+p-1)/p + forAlign - 1) / forAlign * forAlign
	j := jobs.get()
	j.ranger, j.n, j.tn = r, n, piece
	j.tiles = (n + piece - 1) / piece
	j.next.Store(0)
	if j.tiles > 1 {
		j.share()
	}
	j.work()
	j.wg.Wait()
	j.ranger = nil
	putJob(j)
}
