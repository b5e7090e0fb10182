package experiment

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sort"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"

	"pointwise/lib/cheb"
	"pointwise/lib/internal/parallel"
	"pointwise/lib/mlp"
	"pointwise/lib/objective"
)

// RandomNetwork returns a network with the layer sizes given, tanh hidden
// layers and an identity output, its weights drawn by init from
// rand.NewPCG(seed, seed): fig5's random network, the class's feature layer
// of ext1, and TrainedMLP's starting point.
func RandomNetwork(sizes []int, init mlp.Initializer, seed uint64) (*mlp.Network[float64], error) {
	net, err := mlp.New[float64](sizes, mlp.Tanh, mlp.Identity)
	if err != nil {
		return nil, err
	}
	if err := net.Init(rand.New(rand.NewPCG(seed, seed)), init); err != nil {
		return nil, err
	}
	return net, nil
}

// TensorGrid returns the points (xs[c], ys[r]) of the tensor grid as the
// rows of a len(xs)·len(ys) × 2 matrix, xs varying fastest: the order of
// figure.Grid's Values, so that a surface evaluated at the rows is a heat
// map as it stands. It panics if xs or ys is empty, as mat.NewDense does
// for a matrix without rows.
func TensorGrid(xs, ys []float64) *mat.Dense {
	pts := mat.NewDense(len(xs)*len(ys), 2, nil)
	for i := range len(xs) * len(ys) {
		pts.SetRow(i, []float64{xs[i%len(xs)], ys[i/len(xs)]})
	}
	return pts
}

// TrainingPoints returns training points on [-1, 1]^in, one per row: the n
// points of the grid kind (cheb.Grid) for in = 1, or their n×n tensor grid
// (TensorGrid) for in = 2. For cheb.Random in two dimensions the n·n
// points are drawn uniformly from the square instead, one coordinate pair
// at a time, after the n points of a 1-D random grid, which are drawn from
// rng first and not used.
func TrainingPoints(kind cheb.GridKind, in, n int, rng *rand.Rand) (*mat.Dense, error) {
	if in != 1 && in != 2 {
		return nil, fmt.Errorf("experiment: TrainingPoints: in = %d; want 1 or 2", in)
	}
	xs, err := cheb.Grid(kind, n, cheb.Domain{}, rng)
	if err != nil {
		return nil, err
	}
	switch {
	case in == 1:
		return mat.NewDense(n, 1, xs), nil
	case kind != cheb.Random:
		return TensorGrid(xs, xs), nil
	}
	pts := mat.NewDense(n*n, 2, nil)
	for i := range n * n {
		pts.SetRow(i, []float64{2*rng.Float64() - 1, 2*rng.Float64() - 1})
	}
	return pts, nil
}

// NetworkProblem is fig5's problem. A network is seen as its feature layer
// f(x) = [φ(x), 1] and its head θ, h(x) = f(x)ᵀθ; the hypotheses that share
// the feature layer, with heads drawn at the head's initial scale, are the
// Gaussian class H of random heads (RandomHeadClass). The rule fits a head
// on f to the labels at the training points X by ridge least squares. The
// two objectives are the adversarial objective of the network's own head,
// J_h(x) = (ĥ(x) − h(x))², and the hard objective over H,
// J_H(x) = E_{h~H}(ĥ(x) − h(x))² = f(x)ᵀ(P − I)Σ(P − I)ᵀf(x) (fig4's closed
// form, with another feature map). Build it with NewNetworkProblem.
type NetworkProblem struct {
	Net *mlp.Network[float64]
	Map *mlp.FeatureMap
	// X holds the training points, one per row.
	X *mat.Dense
	// Own is the network's own head as a hypothesis, h(x) = f(x)ᵀθ.
	Own *objective.LinearHypothesis
	// Class is H, the random heads θ ~ N(0, Σ) on f.
	Class *objective.Gaussian
	// Rule is ridge least squares on f, λ = RelLambda·tr(F_XᵀF_X).
	Rule objective.Ridge
	// Adversarial is J_h, with the fit ĥ to h at X.
	Adversarial *objective.AdversarialObjective
	// Hard is J_H in closed form.
	Hard *objective.LinearGaussian
}

// NewNetworkProblem fits net's head at the rows of x by ridge least squares
// with λ = relLambda·tr(F_XᵀF_X) (0 means 1e-10, as for objective.Ridge)
// and builds both objectives. net is not modified.
func NewNetworkProblem(net *mlp.Network[float64], x *mat.Dense, relLambda float64) (*NetworkProblem, error) {
	if net == nil || x == nil {
		return nil, fmt.Errorf("experiment: NewNetworkProblem needs a network and training points")
	}
	if relLambda == 0 {
		relLambda = 1e-10
	}
	class, fm, err := RandomHeadClass(net)
	if err != nil {
		return nil, err
	}
	p := &NetworkProblem{Net: net, Map: fm, X: x, Class: class,
		Own:  &objective.LinearHypothesis{Map: fm, Coef: net.Head().Theta(nil, 0)},
		Rule: objective.Ridge{Map: fm, RelLambda: relLambda}}
	fit, err := p.Rule.LinearMap(nil, x)
	if err != nil {
		return nil, err
	}
	if p.Hard, err = objective.NewLinearGaussian(fit, class); err != nil {
		return nil, err
	}
	if p.Adversarial, err = objective.NewAdversarial(p.Own, p.Rule, nil, x); err != nil {
		return nil, err
	}
	return p, nil
}

// Surfaces returns, at the rows of pts, the network's output h, J_h and
// J_H. The features are computed once per point, and h = f·θ, ĥ = f·θ̂ and
// J_h = (ĥ − h)² come from them; J_H comes from the closed form.
func (p *NetworkProblem) Surfaces(pts *mat.Dense) (out, adv, hard []float64, err error) {
	n, _ := pts.Dims()
	_, nf := p.Map.Dims()
	f := mat.NewDense(n, nf, nil)
	const block = 512 // rows per task; each row is computed alone, so the bits do not depend on the split
	err = parallel.Each((n+block-1)/block, runtime.GOMAXPROCS(0), func() func(int) error {
		return func(b int) error {
			for i := b * block; i < min((b+1)*block, n); i++ {
				p.Map.Features(f.RawRowView(i), pts.RawRowView(i))
			}
			return nil
		}
	})
	if err != nil {
		return nil, nil, nil, err
	}
	out, fit := make([]float64, n), make([]float64, n)
	mat.NewVecDense(n, out).MulVec(f, mat.NewVecDense(nf, p.Own.Coef))
	mat.NewVecDense(n, fit).MulVec(f, mat.NewVecDense(nf, p.Adversarial.Fit.(*objective.LinearHypothesis).Coef))
	adv = make([]float64, n)
	for i := range adv {
		adv[i] = (fit[i] - out[i]) * (fit[i] - out[i])
	}
	if hard, err = p.Hard.ValueAt(nil, pts); err != nil {
		return nil, nil, nil, err
	}
	return out, adv, hard, nil
}

// Consistency returns, over the rows of pts, the largest gaps between three
// pairs of computations that must agree up to rounding: the network's
// forward pass and f(x)ᵀθ; Surfaces' J_h and objective's (relative to the
// largest J_h); and the ridge fit of objective.Ridge and the one of mlp's
// Network.FitHead with the same λ.
func (p *NetworkProblem) Consistency(pts *mat.Dense) (forward, adv, fit float64, err error) {
	n, _ := p.X.Dims()
	x := p.X.RawMatrix().Data
	var tr float64 // tr(F_XᵀF_X) = Σ_i |f(x_i)|²
	for i := range n {
		f := p.Map.Features(nil, p.X.RawRowView(i))
		tr += floats.Dot(f, f)
	}
	refit := p.Net.Clone()
	y, err := p.Net.Forward(nil, x)
	if err != nil {
		return 0, 0, 0, err
	}
	if err := refit.FitHead(x, y, p.Rule.RelLambda*tr); err != nil {
		return 0, 0, 0, err
	}
	net, err := p.Net.Forward(nil, pts.RawMatrix().Data)
	if err != nil {
		return 0, 0, 0, err
	}
	hat, err := refit.Forward(nil, pts.RawMatrix().Data)
	if err != nil {
		return 0, 0, 0, err
	}
	out, jh, _, err := p.Surfaces(pts)
	if err != nil {
		return 0, 0, 0, err
	}
	top := floats.Max(jh)
	for i := range out {
		pt := pts.RawRowView(i)
		forward = max(forward, math.Abs(net[i]-out[i]))
		adv = max(adv, math.Abs(jh[i]-p.Adversarial.Value(pt))/top)
		fit = max(fit, math.Abs(hat[i]-p.Adversarial.Fit.Value(pt)))
	}
	return forward, adv, fit, nil
}

// NodeRatio returns, for J_h and for J_H, the largest value at the training
// points over the largest value at the rows of pts: near 0 when the
// objective vanishes at the training points, as a fit that nearly
// interpolates makes it.
func (p *NetworkProblem) NodeRatio(pts *mat.Dense) (adv, hard float64, err error) {
	_, a, h, err := p.Surfaces(pts)
	if err != nil {
		return 0, 0, err
	}
	_, an, hn, err := p.Surfaces(p.X)
	if err != nil {
		return 0, 0, err
	}
	return floats.Max(an) / floats.Max(a), floats.Max(hn) / floats.Max(h), nil
}

// Peaks places the local maxima of a 1-D NetworkProblem's objectives among
// its training points (the nodes).
type Peaks struct {
	// Hard and Adversarial are the local maxima of J_H and J_h on [-1, 1],
	// endpoints included, in increasing order.
	Hard, Adversarial []float64
	// PerInterval[k] is the number of maxima of J_H in the k-th of the
	// len(X)+1 intervals that the nodes cut [-1, 1] into: one each when J_H
	// peaks once between neighbouring nodes.
	PerInterval []int
	// Near and NearTenth count the maxima of J_h within one training-grid
	// spacing, and within a tenth of one, of a maximum of J_H; the spacing
	// at x is the length of the interval between nodes (or ±1) that holds x.
	Near, NearTenth int
}

// Peaks finds the local maxima of J_H and J_h on a grid of the given number
// of points over [-1, 1], refined (objective.GridSearch), and places them
// among the training points. The problem must be 1-D.
func (p *NetworkProblem) Peaks(points int) (Peaks, error) {
	if _, c := p.X.Dims(); c != 1 {
		return Peaks{}, fmt.Errorf("experiment: Peaks needs a 1-D problem; the training points have %d coordinates", c)
	}
	s := objective.GridSearch{Points: points}
	hard, err := s.Maxima(objective.Func1D(p.Hard), -1, 1)
	if err != nil {
		return Peaks{}, err
	}
	adv, err := s.Maxima(objective.Func1D(p.Adversarial), -1, 1)
	if err != nil {
		return Peaks{}, err
	}
	nodes := slices.Sorted(slices.Values(mat.Col(nil, 0, p.X)))
	return Peaks{Hard: hard, Adversarial: adv, PerInterval: perInterval(hard, nodes),
		Near: nearby(adv, hard, nodes, 1), NearTenth: nearby(adv, hard, nodes, 10)}, nil
}

// perInterval counts the points of x in each of the len(nodes)+1 intervals
// that the sorted nodes cut the line into; a point on a node counts in the
// interval to its left.
func perInterval(x, nodes []float64) []int {
	counts := make([]int, len(nodes)+1)
	for _, t := range x {
		counts[sort.SearchFloat64s(nodes, t)]++
	}
	return counts
}

// nearby counts the points of a within 1/parts of a spacing of some point of
// b, the spacing at x being the length of the interval between the sorted
// nodes (or ±1) that holds x.
func nearby(a, b, nodes []float64, parts float64) int {
	edges := append(append([]float64{-1}, nodes...), 1)
	n := 0
	for _, x := range a {
		k := sort.SearchFloat64s(nodes, x)
		d := math.Inf(1)
		for _, y := range b {
			d = min(d, math.Abs(x-y))
		}
		if d <= (edges[k+1]-edges[k])/parts {
			n++
		}
	}
	return n
}
