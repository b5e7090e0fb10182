package linalg

import (
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"
)

// Float is the set of element types the kernels accept.
type Float interface{ ~float32 | ~float64 }

const (
	// Tiles of tileM×tileN cover at most 1×3 of gonum's 64×64 blocks, below
	// its threshold of 4 blocks for going parallel, so each tile runs serially.
	tileM = 64
	tileN = 192
	// Products with fewer multiply-adds than parMin run on the caller alone.
	parMin = 1 << 16
	// With another BLAS running single-threaded (see split), products with
	// fewer multiply-adds than splitMin, or whose split side would give
	// pieces narrower than splitAlign, run on the caller alone: handing
	// them to the pool costs more than it saves. splitAlign is a multiple
	// of every kernel's register block, so that pieces stay full blocks.
	splitMin   = 1 << 20
	splitAlign = 32
	// gonum's products Aᵀ·B with C at least transposeMinN wide run on an
	// explicit transpose of A (see transposeInto); for narrower C the copy
	// costs more than it saves.
	transposeMinN = 32
)

// split is set (by the openblas build) when the installed BLAS runs each
// call on the calling thread alone: Gemm then splits C into one piece per
// core, along its longer side, and runs the pieces on the pool, so that the
// pool's persistent goroutines rather than the BLAS's own threads keep both
// cores busy.
var split bool

// Gemm computes C = α·op(A)·op(B) + β·C for row-major matrices, where op(A)
// is m×k (A is m×k, or k×m when tA), op(B) is k×n (B is k×n, or n×k when tB)
// and C is m×n, with leading dimensions lda, ldb and ldc.
//
// Gemm panics, as BLAS does, if a dimension is negative or a slice is too
// short; callers check shapes before calling.
func Gemm[T Float](tA, tB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	ta, tb := blas.NoTrans, blas.NoTrans
	if tA {
		ta = blas.Trans
	}
	if tB {
		tb = blas.Trans
	}
	if k == 0 && m > 0 && n > 0 {
		// An empty sum: C = β·C. Reference BLAS implementations disagree on
		// the slice lengths they accept here, so no BLAS is called.
		for i := 0; i < m; i++ {
			row := c[i*ldc : i*ldc+n]
			for j := range row {
				if beta == 0 {
					row[j] = 0
				} else {
					row[j] *= beta
				}
			}
		}
		return
	}
	if unsafe.Sizeof(alpha) == 4 {
		gemm32(ta, tb, m, n, k, float32(alpha), as32(a), lda, as32(b), ldb, float32(beta), as32(c), ldc)
		return
	}
	gemm64(ta, tb, m, n, k, float64(alpha), as64(a), lda, as64(b), ldb, float64(beta), as64(c), ldc)
}

// as32 and as64 reinterpret a slice of a type whose underlying type is
// float32 (float64) without copying; Gemm calls each only for that size.
func as32[T Float](s []T) []float32 {
	return unsafe.Slice((*float32)(unsafe.Pointer(unsafe.SliceData(s))), len(s))
}

func as64[T Float](s []T) []float64 {
	return unsafe.Slice((*float64)(unsafe.Pointer(unsafe.SliceData(s))), len(s))
}

// gemm32 and gemm64 stay two: they differ in the BLAS entry (Sgemm, Dgemm),
// the workspace list and the job's typed fields, and a generic version would
// need a type switch or closures on this per-call path of every product.
func gemm32(ta, tb blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	impl := blas32.Implementation()
	_, native := impl.(gonum.Implementation)
	if !native && !split {
		impl.Sgemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	j := getJob(m, n, k, native)
	j.f32, j.impl32 = true, impl
	if native && ta == blas.Trans && tb == blas.NoTrans && n >= transposeMinN && m*n*k >= parMin {
		t := getWork(&work32, m*k)
		defer putWork(&work32, t)
		transposeInto(t, a, k, m, lda)
		a, lda, ta = t, k, blas.NoTrans
	}
	j.ta, j.tb = ta, tb
	j.alpha32, j.beta32 = alpha, beta
	j.a32, j.b32, j.c32 = a, b, c
	j.lda, j.ldb, j.ldc = lda, ldb, ldc
	j.run()
	j.a32, j.b32, j.c32, j.impl32 = nil, nil, nil, nil
	putJob(j)
}

func gemm64(ta, tb blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	impl := blas64.Implementation()
	_, native := impl.(gonum.Implementation)
	if !native && !split {
		impl.Dgemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	j := getJob(m, n, k, native)
	j.f32, j.impl64 = false, impl
	if native && ta == blas.Trans && tb == blas.NoTrans && n >= transposeMinN && m*n*k >= parMin {
		t := getWork(&work64, m*k)
		defer putWork(&work64, t)
		transposeInto(t, a, k, m, lda)
		a, lda, ta = t, k, blas.NoTrans
	}
	j.ta, j.tb = ta, tb
	j.alpha64, j.beta64 = alpha, beta
	j.a64, j.b64, j.c64 = a, b, c
	j.lda, j.ldb, j.ldc = lda, ldb, ldc
	j.run()
	j.a64, j.b64, j.c64, j.impl64 = nil, nil, nil, nil
	putJob(j)
}

// workspaces is a free list of buffers for transposed operands. Unlike a
// sync.Pool it is not emptied by the garbage collector, so that a buffer of
// a few hundred kilobytes is not made again after every collection.
type workspaces[T Float] struct {
	mu   sync.Mutex
	free [][]T
}

var (
	work32 workspaces[float32]
	work64 workspaces[float64]
)

// getWork returns a buffer of length n from w, made if none is free.
func getWork[T Float](w *workspaces[T], n int) []T {
	w.mu.Lock()
	defer w.mu.Unlock()
	for i, b := range w.free {
		if cap(b) >= n {
			last := len(w.free) - 1
			w.free[i] = w.free[last]
			w.free = w.free[:last]
			return b[:n]
		}
	}
	return make([]T, n)
}

func putWork[T Float](w *workspaces[T], b []T) {
	w.mu.Lock()
	w.free = append(w.free, b)
	w.mu.Unlock()
}

// freeJobs is a free list of jobs. A sync.Pool dropped them at every
// garbage collection and missed whenever the caller's goroutine moved to
// another P, so that attack loops on the pure-Go path showed 1 to 2
// allocations per PGD run.
type freeJobs struct {
	mu   sync.Mutex
	free []*job
}

func (f *freeJobs) get() *job {
	f.mu.Lock()
	defer f.mu.Unlock()
	if n := len(f.free); n > 0 {
		j := f.free[n-1]
		f.free = f.free[:n-1]
		return j
	}
	return new(job)
}

func putJob(j *job) {
	jobs.mu.Lock()
	jobs.free = append(jobs.free, j)
	jobs.mu.Unlock()
}

// transposeInto writes the transpose of the rows×cols matrix src (leading
// dimension lds) into dst[:rows*cols] as cols×rows. gonum's pure-Go kernel for Aᵀ·B sweeps all of a C tile for
// every row of A, and ran the weight-gradient product Xᵀ·∂L/∂Z of a training
// step at 8 GFLOP/s against 12.5 for the forward X·W; on an explicit
// transpose it runs the A·B kernel, which keeps each row of C in cache.
// Blocks of 32×32 keep both the reads and the strided writes in cache.
func transposeInto[T Float](dst, src []T, rows, cols, lds int) {
	const blk = 32
	for i0 := 0; i0 < rows; i0 += blk {
		i1 := min(i0+blk, rows)
		for j0 := 0; j0 < cols; j0 += blk {
			j1 := min(j0+blk, cols)
			for i := i0; i < i1; i++ {
				row := src[i*lds+j0 : i*lds+j1]
				for j, v := range row {
					dst[(j0+j)*rows+i] = v
				}
			}
		}
	}
}

// job is one tiled product; workers claim tiles through next.
type job struct {
	f32             bool
	ta, tb          blas.Transpose
	m, n, k         int
	alpha32, beta32 float32
	alpha64, beta64 float64
	a32, b32, c32   []float32
	a64, b64, c64   []float64
	lda, ldb, ldc   int
	impl32          blas.Float32
	impl64          blas.Float64
	tm, tn          int // tile size
	tilesN, tiles   int
	ranger          Ranger // set by For: tiles are pieces of [0, n) of length tn
	next            atomic.Int64
	wg              sync.WaitGroup
}

var (
	jobs    freeJobs
	queue   chan *job
	startup sync.Once
)

func getJob(m, n, k int, native bool) *job {
	j := jobs.get()
	j.m, j.n, j.k = m, n, k
	j.tm, j.tn = tileM, tileN
	if !native {
		j.tm, j.tn = max(m, 1), max(n, 1)
		if p := runtime.GOMAXPROCS(0); p > 1 && m*n*k >= splitMin {
			// One piece per core along the longer side of C: each piece
			// then packs the smaller operand again, not the larger one.
			if m >= n {
				j.tm = splitSize(m, p)
			} else {
				j.tn = splitSize(n, p)
			}
		}
	}
	j.tilesN = (n + j.tn - 1) / j.tn
	j.tiles = ((m + j.tm - 1) / j.tm) * j.tilesN
	j.next.Store(0)
	return j
}

// splitSize returns the length of the pieces that cut a side of length s
// into at most p, a multiple of splitAlign, or s if they would be narrower.
func splitSize(s, p int) int {
	t := (s + p - 1) / p
	t = (t + splitAlign - 1) / splitAlign * splitAlign
	if t < splitAlign || t >= s {
		return s
	}
	return t
}

// run computes every tile, sharing them with idle pool workers when the
// product is large enough to pay for the hand-off.
func (j *job) run() {
	if j.m == 0 || j.n == 0 {
		return
	}
	if j.k == 0 {
		// Only β·C remains, and A and B may be empty.
		for i := range j.m {
			for l := i * j.ldc; l < i*j.ldc+j.n; l++ {
				if j.f32 {
					j.c32[l] = scale(j.beta32, j.c32[l])
				} else {
					j.c64[l] = scale(j.beta64, j.c64[l])
				}
			}
		}
		return
	}
	if j.tiles > 1 && j.m*j.n*j.k >= parMin {
		j.share()
	}
	j.work()
	j.wg.Wait()
}

// share hands j to the idle pool workers, at most one fewer than its tiles;
// a busy pool leaves the tiles to the caller.
func (j *job) share() {
	startup.Do(startPool)
	helpers := min(cap(queue), j.tiles-1)
	for range helpers {
		j.wg.Add(1)
		select {
		case queue <- j:
		default:
			j.wg.Done()
		}
	}
}

// scale returns β·c, with β = 0 giving 0 even for a NaN c as in BLAS.
func scale[T Float](beta, c T) T {
	if beta == 0 {
		return 0
	}
	return beta * c
}

func startPool() {
	n := max(runtime.GOMAXPROCS(0)-1, 1)
	queue = make(chan *job, n)
	for range n {
		go func() {
			for j := range queue {
				j.work()
				j.wg.Done()
			}
		}()
	}
}

func (j *job) work() {
	for {
		t := int(j.next.Add(1) - 1)
		if t >= j.tiles {
			return
		}
		if j.ranger != nil {
			lo := t * j.tn
			j.ranger.Range(lo, min(lo+j.tn, j.n))
			continue
		}
		i0 := (t / j.tilesN) * j.tm
		j0 := (t % j.tilesN) * j.tn
		mm := min(j.tm, j.m-i0)
		nn := min(j.tn, j.n-j0)
		// Offsets of the tile's first element of op(A), op(B) and C.
		aOff := i0 * j.lda
		if j.ta == blas.Trans {
			aOff = i0
		}
		bOff := j0
		if j.tb == blas.Trans {
			bOff = j0 * j.ldb
		}
		cOff := i0*j.ldc + j0
		if j.f32 {
			j.impl32.Sgemm(j.ta, j.tb, mm, nn, j.k, j.alpha32, j.a32[aOff:], j.lda, j.b32[bOff:], j.ldb, j.beta32, j.c32[cOff:], j.ldc)
		} else {
			j.impl64.Dgemm(j.ta, j.tb, mm, nn, j.k, j.alpha64, j.a64[aOff:], j.lda, j.b64[bOff:], j.ldb, j.beta64, j.c64[cOff:], j.ldc)
		}
	}
}
