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
)

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

func gemm32(ta, tb blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	impl := blas32.Implementation()
	if _, native := impl.(gonum.Implementation); !native {
		impl.Sgemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	j := getJob(m, n, k)
	j.f32 = true
	j.ta, j.tb = ta, tb
	j.alpha32, j.beta32 = alpha, beta
	j.a32, j.b32, j.c32 = a, b, c
	j.lda, j.ldb, j.ldc = lda, ldb, ldc
	j.run()
	j.a32, j.b32, j.c32 = nil, nil, nil
	jobs.Put(j)
}

func gemm64(ta, tb blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	impl := blas64.Implementation()
	if _, native := impl.(gonum.Implementation); !native {
		impl.Dgemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	j := getJob(m, n, k)
	j.f32 = false
	j.ta, j.tb = ta, tb
	j.alpha64, j.beta64 = alpha, beta
	j.a64, j.b64, j.c64 = a, b, c
	j.lda, j.ldb, j.ldc = lda, ldb, ldc
	j.run()
	j.a64, j.b64, j.c64 = nil, nil, nil
	jobs.Put(j)
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
	tilesN, tiles   int
	next            atomic.Int64
	wg              sync.WaitGroup
}

var (
	jobs    = sync.Pool{New: func() any { return new(job) }}
	queue   chan *job
	startup sync.Once
)

func getJob(m, n, k int) *job {
	j := jobs.Get().(*job)
	j.m, j.n, j.k = m, n, k
	j.tilesN = (n + tileN - 1) / tileN
	j.tiles = ((m + tileM - 1) / tileM) * j.tilesN
	j.next.Store(0)
	return j
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
	j.work()
	j.wg.Wait()
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
		i0 := (t / j.tilesN) * tileM
		j0 := (t % j.tilesN) * tileN
		mm := min(tileM, j.m-i0)
		nn := min(tileN, j.n-j0)
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
			gonum.Implementation{}.Sgemm(j.ta, j.tb, mm, nn, j.k, j.alpha32, j.a32[aOff:], j.lda, j.b32[bOff:], j.ldb, j.beta32, j.c32[cOff:], j.ldc)
		} else {
			gonum.Implementation{}.Dgemm(j.ta, j.tb, mm, nn, j.k, j.alpha64, j.a64[aOff:], j.lda, j.b64[bOff:], j.ldb, j.beta64, j.c64[cOff:], j.ldc)
		}
	}
}
