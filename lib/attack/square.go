package attack

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"pointwise/lib/internal/numeric"
	"pointwise/lib/mlp"
)

// Square is the L∞ Square Attack of Andriushchenko, Croce, Flammarion and
// Hein, "Square attack: a query-efficient black-box adversarial attack via
// random search" (ECCV 2020), as AutoAttack's SquareAttack
// (autoattack/square.py) implements it: a random search that uses the
// model's logits only (no gradient), so gradient masking cannot fool it.
//
// The inputs are images of Channels × Height × Width (channel-major, then
// row-major, PyTorch's CHW). The start puts every coordinate on a vertical
// stripe at a corner of the ε-cube, x⁰ = clip_[0,1](x + ε·s) with one random
// sign s per channel and column. Each iteration i draws, per sample, a
// square window of side
//
//	s_i = min(max(round(√(p_i·Height·Width)), 1), Height, Width)
//
// at a uniformly random position, and one random sign σ_c per channel, and
// proposes x_best + 2ε·σ_c on the window, projected onto the ε-ball and
// [0, 1] (which moves the window to the opposite face where σ_c points
// across it). The proposal replaces the sample's best point when it lowers
// the margin loss
//
//	L(x', y) = z_y(x') − max_{j≠y} z_j(x')
//
// or is misclassified. The fraction p_i halves at AutoAttack's query
// thresholds: p = PInit up to i = 10, PInit/2 to 50, /4 to 200, /8 to 500,
// /16 to 1000, /32 to 2000, /64 to 4000, /128 to 6000, /256 to 8000 and
// /512 beyond (with RescaleSchedule, i is first rescaled to
// ⌊i·10000/Queries⌋, as square.py's resc_schedule). A sample stops being
// attacked (and queried) once misclassified; the attack stops when all are.
// Each sample costs at most 1 + Queries forward passes per run.
//
// # Defaults and differences from AutoAttack
//
// The zero values mean: Queries = 5000 (AutoAttack's n_queries), PInit =
// 0.8 (p_init), one run (n_restarts = 1), the schedule not rescaled (as
// AutoAttack's ensemble sets resc_schedule = False; SquareAttack's own
// default is True), the image shape inferred from the input width (Height
// the largest divisor of the width not above its square root, Width the
// width over Height, one channel: 28×28 for MNIST), seed 0. Differences:
// AutoAttack draws one window position and one sign vector per iteration
// for the whole batch, here each sample draws its own (as the paper's
// algorithm runs per image, and a sample's result then does not depend on
// which others share its batch beyond the shared random stream); the
// window's corner is uniform on [0, Height − s] × [0, Width − s] (AutoAttack's
// random_int never reaches the last row and column); success is a
// prediction other than the label (argmax, ties to the lowest class),
// where AutoAttack stops at margin ≤ 0. With several runs, later runs start
// afresh on the samples not yet misclassified and keep the lower margin.
//
// A Square value keeps workspaces and its random stream between calls: use
// it by pointer, and not from several goroutines at once. After the first
// call on the largest batch, Perturb allocates nothing.
type Square[T mlp.Float] struct {
	// Model gives the logits; only its forward pass is used. Batches passed
	// to Perturb must fit its workspace (NewNetworkModel's maxBatch).
	Model Model[T]
	// Epsilon is the L∞ radius ε, in [0, 1]. The zero value returns the
	// inputs unchanged.
	Epsilon float64
	// Queries is the number of iterations (queries after the first) per
	// run, ≥ 1; 0 means 5000.
	Queries int
	// PInit is the initial fraction p of the image a window covers, in
	// (0, 1]; 0 means 0.8.
	PInit float64
	// Restarts is the number of runs, ≥ 0; 0 and 1 mean one.
	Restarts int
	// RescaleSchedule rescales the p schedule to the query budget.
	RescaleSchedule bool
	// Height, Width and Channels give the image shape, with
	// Channels·Height·Width equal to the input width. All three zero means
	// the inferred single-channel shape; Channels zero with Height and Width
	// set means width/(Height·Width).
	Height, Width, Channels int
	// Seed seeds the random search: the stream rand.New(rand.NewPCG(Seed,
	// Seed)) is made at the first Perturb and continues across calls (Reset
	// restarts it).
	Seed uint64
	// Rand, if non-nil, is used instead of the stream from Seed.
	Rand *rand.Rand

	rnd    *rand.Rand
	best   []T
	cand   []T
	z      []T
	margin []float64
	active []int
	cidx   []int
	succ   []bool
	bestM  []float64
	outM   []float64
	first  []int
	sgn    []T
}

var _ Attack[float32] = (*Square[float32])(nil)

// Square defaults.
const (
	// DefaultSquareQueries is Square.Queries when 0 (AutoAttack's n_queries).
	DefaultSquareQueries = 5000
	// DefaultSquarePInit is Square.PInit when 0 (AutoAttack's p_init).
	DefaultSquarePInit = 0.8
)

// Reset restarts the random stream from Seed at the next Perturb.
func (a *Square[T]) Reset() { a.rnd = nil }

func (a *Square[T]) queries() int {
	if a.Queries == 0 {
		return DefaultSquareQueries
	}
	return a.Queries
}

// Name implements Attack: "Square-<queries>", with "-R<runs>" for several
// runs, e.g. "Square-5000".
func (a *Square[T]) Name() string {
	s := fmt.Sprintf("Square-%d", a.queries())
	if a.Restarts > 1 {
		s += fmt.Sprintf("-R%d", a.Restarts)
	}
	return s
}

// squareP returns p at iteration it of AutoAttack's schedule.
func squareP(pInit float64, it, queries int, rescale bool) float64 {
	if rescale {
		it = int(float64(it) / float64(queries) * 10000)
	}
	// The schedule is AutoAttack's table of constants, kept as written.
	switch {
	case it <= 10:
		return pInit
	case it <= 50:
		return pInit / 2
	case it <= 200:
		return pInit / 4
	case it <= 500:
		return pInit / 8
	case it <= 1000:
		return pInit / 16
	case it <= 2000:
		return pInit / 32
	case it <= 4000:
		return pInit / 64
	case it <= 6000:
		return pInit / 128
	case it <= 8000:
		return pInit / 256
	}
	return pInit / 512
}

// shape returns the image shape for inputs of width in.
func (a *Square[T]) shape(in int) (c, h, w int, err error) {
	c, h, w = a.Channels, a.Height, a.Width
	switch {
	case c < 0 || h < 0 || w < 0:
		return 0, 0, 0, fmt.Errorf("attack: Square shape Channels×Height×Width = %d×%d×%d out of range: need ≥ 0 each", c, h, w)
	case c == 0 && h == 0 && w == 0:
		h = int(math.Sqrt(float64(in)))
		for h > 1 && in%h != 0 {
			h--
		}
		return 1, h, in / h, nil
	case c == 0 && h > 0 && w > 0 && in%(h*w) == 0:
		return in / (h * w), h, w, nil
	case c > 0 && h > 0 && w > 0 && c*h*w == in:
		return c, h, w, nil
	}
	return 0, 0, 0, fmt.Errorf("attack: Square shape Channels×Height×Width = %d×%d×%d does not match the input width %d: need their product equal to it (all zero infers a single-channel shape)", c, h, w, in)
}

// Perturb implements Attack. It errors on bad settings, bad shapes, inputs
// outside [0, 1] and model errors.
func (a *Square[T]) Perturb(dst, x []T, labels []int, n int) error {
	in, err := checkPerturb(dst, x, labels, n)
	if err != nil {
		return err
	}
	switch {
	case a.Model == nil:
		return errors.New("attack: Square.Model nil: need a Model such as NewNetworkModel")
	case a.Model.In() != in:
		return fmt.Errorf("attack: Square model input width %d does not match the input width %d", a.Model.In(), in)
	case a.Queries < 0:
		return fmt.Errorf("attack: Square.Queries = %d out of range: need ≥ 1 (0 means %d)", a.Queries, DefaultSquareQueries)
	case math.IsNaN(a.PInit) || a.PInit < 0 || a.PInit > 1:
		return fmt.Errorf("attack: Square.PInit = %v out of range: need 0 < p ≤ 1 (0 means %v)", a.PInit, DefaultSquarePInit)
	case a.Restarts < 0:
		return fmt.Errorf("attack: Square.Restarts = %d out of range: need ≥ 0 (0 means one run)", a.Restarts)
	}
	if err := checkEpsilon(a.Epsilon, LInf); err != nil {
		return err
	}
	ch, h, w, err := a.shape(in)
	if err != nil {
		return err
	}
	classes := a.Model.Out()
	if err := checkLabels(labels, classes); err != nil {
		return err
	}
	x, dst = x[:n*in], dst[:n*in]
	copy(dst, x)
	if a.Epsilon == 0 {
		return nil
	}
	pInit := a.PInit
	if pInit == 0 {
		pInit = DefaultSquarePInit
	}
	queries := a.queries()
	a.best = grow(a.best, n*in)
	a.cand = grow(a.cand, n*in)
	a.z = grow(a.z, n*classes)
	a.margin = grow(a.margin, n)
	a.bestM = grow(a.bestM, n)
	a.outM = grow(a.outM, n)
	a.first = grow(a.first, n)
	a.active = grow(a.active, n)
	a.cidx = grow(a.cidx, n)
	a.succ = grow(a.succ, n)
	a.sgn = grow(a.sgn, ch)
	rnd := stream(&a.rnd, a.Rand, a.Seed)
	e := T(a.Epsilon)
	for i := range n {
		a.succ[i], a.outM[i] = false, math.Inf(1)
	}
	for range max(1, a.Restarts) {
		// Start: vertical stripes on the samples not yet broken.
		m := 0
		for i := range n {
			if a.succ[i] {
				continue
			}
			a.active[m], a.first[m], a.bestM[i] = i, i, math.Inf(1)
			row, b := x[i*in:(i+1)*in], a.best[i*in:(i+1)*in]
			for c := range ch {
				for col := range w {
					s := e
					if rnd.Uint64()&1 == 1 {
						s = -e
					}
					for r := range h {
						j := c*h*w + r*w + col
						b[j] = clamp(row[j]+s, 0, 1)
					}
				}
			}
			copy(a.cand[m*in:(m+1)*in], b)
			m++
		}
		if m == 0 {
			break
		}
		started := m
		if err := a.score(a.cand, labels, m, in, classes); err != nil {
			return err
		}
		for it := 0; it < queries; it++ {
			// Drop the broken samples.
			k := 0
			for _, i := range a.active[:m] {
				if !a.succ[i] {
					a.active[k] = i
					k++
				}
			}
			if m = k; m == 0 {
				break
			}
			p := squareP(pInit, it, queries, a.RescaleSchedule)
			s := max(int(math.Round(math.Sqrt(p*float64(h*w)))), 1)
			s = min(s, h, w)
			for k, i := range a.active[:m] {
				row, b := x[i*in:(i+1)*in], a.best[i*in:(i+1)*in]
				cand := a.cand[k*in : (k+1)*in]
				copy(cand, b)
				vh, vw := rnd.IntN(h-s+1), rnd.IntN(w-s+1)
				for c := range ch {
					a.sgn[c] = 2 * e
					if rnd.Uint64()&1 == 1 {
						a.sgn[c] = -2 * e
					}
				}
				for c := range ch {
					d := a.sgn[c]
					for r := vh; r < vh+s; r++ {
						base := c*h*w + r*w
						for j := base + vw; j < base+vw+s; j++ {
							v := row[j]
							cand[j] = clamp(b[j]+d, max(v-e, 0), min(v+e, 1))
						}
					}
				}
			}
			if err := a.score(a.cand, labels, m, in, classes); err != nil {
				return err
			}
		}
		// Keep the run's result where it beats the earlier runs'.
		for _, i := range a.first[:started] {
			if a.succ[i] || a.bestM[i] < a.outM[i] {
				a.outM[i] = a.bestM[i]
				copy(dst[i*in:(i+1)*in], a.best[i*in:(i+1)*in])
			}
		}
	}
	return nil
}

// score queries the model on the m candidate rows of the active samples
// and keeps each candidate that lowers its sample's margin in this run or
// is misclassified.
func (a *Square[T]) score(cand []T, labels []int, m, in, classes int) error {
	if err := batchLogits(a.Model, a.z, cand, m); err != nil {
		return fmt.Errorf("attack: Square: %w", err)
	}
	for k, i := range a.active[:m] {
		z := a.z[k*classes : (k+1)*classes]
		y := labels[i]
		other := math.Inf(-1)
		for j, v := range z {
			if j != y {
				other = max(other, float64(v))
			}
		}
		mg := float64(z[y]) - other
		if math.IsNaN(mg) {
			return fmt.Errorf("attack: Square: margin of sample %d is NaN: need finite logits (check the model)", i)
		}
		s := numeric.Argmax(z) != y
		if s || mg < a.bestM[i] {
			a.bestM[i], a.succ[i] = mg, s
			copy(a.best[i*in:(i+1)*in], cand[k*in:(k+1)*in])
		}
	}
	return nil
}
