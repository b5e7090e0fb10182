package experiment

import (
	"fmt"
	"math"
	"slices"
	"sync"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/interp"
	"gonum.org/v1/gonum/mat"

	"pointwise/lib/mlp"
	"pointwise/lib/objective"
)

// Hypothesis is a learned function ĥ of one variable: gonum's
// interp.Predictor, whose Predict evaluates one point, with a batched form
// that is faster where evaluating ĥ costs a feature map or a network per
// call. It is objective.Hypothesis's idea (a hypothesis h ∈ H, or a fitted
// ĥ_X) for the 1-D experiments of this package.
type Hypothesis interface {
	interp.Predictor
	// PredictBatch stores ĥ at the points x in dst (nil allocates) and
	// returns dst. It panics if a non-nil dst does not have len(x), or if a
	// point is not finite.
	PredictBatch(dst, x []float64) []float64
}

// Rule is a learning rule A on 1-D inputs: it maps labelled points to a
// hypothesis, ĥ = A({(x_i, y_i)}). It is objective.Rule's idea, for 1-D
// inputs given as a slice, with a seed (a rule that trains a network is
// random) and batched hypotheses.
type Rule interface {
	// Fit fits the training points x labelled y. seed seeds whatever is
	// random in the rule (an initialisation); a deterministic rule ignores
	// it.
	Fit(x, y []float64, seed uint64) (Hypothesis, error)
}

var (
	_ Rule = (*RandomFeatures)(nil)
	_ Rule = TrainedMLP{}

	_ objective.FeatureGradienter = (*mlp.FeatureMap)(nil)
)

// RandomFeatures is ridge regression on a fixed feature map f: the fit to
// labels y at points X is ĥ(x) = f(x)·β with β minimising
// ‖F_X β − y‖² + λ‖β‖², λ = RelLambda·tr(F_XᵀF_X) (objective.Ridge, the rule
// of fig5). With f = [φ, 1] the feature layer of a random network, this fits
// the network's head with the hidden layers fixed: the random-features model.
//
// Evaluating f is the costly part of a prediction, so a RandomFeatures
// remembers the feature matrix of the last batch of at least 256 points it
// predicted at (compared by value): predicting many fits at the same
// evaluation grid costs one matrix-vector product each. Build it with
// NewRandomFeatures; it is safe for concurrent use.
type RandomFeatures struct {
	rule objective.Ridge

	mu   sync.Mutex
	memo []float64  // the points of the remembered batch
	feat *mat.Dense // their features, one row per point
}

// memoMin is the smallest batch whose features are remembered.
const memoMin = 256

// NewRandomFeatures returns ridge regression on the 1-D feature map f with
// λ = relLambda·tr(F_XᵀF_X); relLambda 0 means 1e-10, fig5's value (our
// choice: small enough that the fit nearly interpolates).
func NewRandomFeatures(f objective.FeatureMap, relLambda float64) (*RandomFeatures, error) {
	if f == nil {
		return nil, fmt.Errorf("experiment: RandomFeatures: the feature map is nil")
	}
	if in, _ := f.Dims(); in != 1 {
		return nil, fmt.Errorf("experiment: RandomFeatures: feature map input dimension %d; want 1", in)
	}
	if !(relLambda >= 0) || math.IsInf(relLambda, 0) {
		return nil, fmt.Errorf("experiment: RandomFeatures: relLambda = %v; want a finite value ≥ 0 (0 means 1e-10)", relLambda)
	}
	return &RandomFeatures{rule: objective.Ridge{Map: f, RelLambda: relLambda}}, nil
}

// Rule returns the ridge rule, for the closed forms of objective.
func (rf *RandomFeatures) Rule() objective.Ridge { return rf.rule }

// Fit implements Rule.
func (rf *RandomFeatures) Fit(x, y []float64, _ uint64) (Hypothesis, error) {
	if err := checkTraining(x, y); err != nil {
		return nil, err
	}
	h, err := rf.rule.Fit(mat.NewDense(len(x), 1, slices.Clone(x)), y)
	if err != nil {
		return nil, err
	}
	return &featureHypothesis{rf: rf, coef: h.(*objective.LinearHypothesis).Coef}, nil
}

// features returns the feature matrix of the points x, from the memo when it
// holds them.
func (rf *RandomFeatures) features(x []float64) *mat.Dense {
	rf.mu.Lock()
	memo, feat := rf.memo, rf.feat
	rf.mu.Unlock()
	if feat != nil && slices.Equal(memo, x) {
		return feat
	}
	_, p := rf.rule.Map.Dims()
	f := mat.NewDense(len(x), p, nil)
	for i, t := range x {
		rf.rule.Map.Features(f.RawRowView(i), []float64{t})
	}
	if len(x) >= memoMin {
		rf.mu.Lock()
		rf.memo, rf.feat = slices.Clone(x), f
		rf.mu.Unlock()
	}
	return f
}

type featureHypothesis struct {
	rf   *RandomFeatures
	coef []float64
}

func (fp *featureHypothesis) Predict(x float64) float64 {
	return floats.Dot(fp.rf.rule.Map.Features(nil, []float64{x}), fp.coef)
}

func (fp *featureHypothesis) PredictBatch(dst, x []float64) []float64 {
	dst = useDst(dst, len(x))
	if len(x) == 0 {
		return dst
	}
	f := fp.rf.features(x)
	mat.NewVecDense(len(x), dst).MulVec(f, mat.NewVecDense(len(fp.coef), fp.coef))
	return dst
}

// TrainedMLP trains every weight of a network 1 → Hidden… → 1 with tanh hidden
// layers and an identity output by full-batch Adam (Kingma and Ba 2015) on
// half the mean squared error ½·mean (ĥ(x_i) − y_i)² (mlp.HalfSquaredError).
// The learning rate decays geometrically from LearningRate at the first step
// to FinalLearningRate at the last. The
// network is initialised from rand.NewPCG(seed, seed). The zero value trains a
// 1 → 32 → 32 → 1 network for 3000 steps from η = 1e-2 down to 1e-4.
type TrainedMLP struct {
	// Hidden are the hidden widths. If Hidden is nil, it is {32, 32}.
	Hidden []int
	// Init draws the initial weights. If Init is nil, it is fig5's
	// mlp.Gaussian{WeightStd: {5}, BiasStd: {1, 1, 1}}: first-layer weights
	// N(0, 5²), later weights N(0, 1/fan_in), biases N(0, 1).
	Init mlp.Initializer
	// Steps is the number of Adam steps. If Steps is 0, it is 3000.
	Steps int
	// LearningRate is η at the first step. If it is 0, it is 1e-2.
	LearningRate float64
	// FinalLearningRate is η at the last step. If it is 0, it is
	// LearningRate/100; set it to LearningRate for a constant rate.
	FinalLearningRate float64
}

// withDefaults returns t with zero fields replaced by their defaults, or an
// error naming a bad field.
func (t TrainedMLP) withDefaults() (TrainedMLP, error) {
	if t.Hidden == nil {
		t.Hidden = []int{32, 32}
	}
	if len(t.Hidden) == 0 {
		return t, fmt.Errorf("experiment: TrainedMLP.Hidden is empty; want at least one hidden width (nil means {32, 32})")
	}
	for i, w := range t.Hidden {
		if w < 1 || w > 4096 {
			return t, fmt.Errorf("experiment: TrainedMLP.Hidden[%d] = %d; want 1 to 4096", i, w)
		}
	}
	if t.Init == nil {
		t.Init = FigureFiveInit()
	}
	if t.Steps == 0 {
		t.Steps = 3000
	}
	if t.Steps < 1 || t.Steps > 10_000_000 {
		return t, fmt.Errorf("experiment: TrainedMLP.Steps = %d; want 1 to 1e7 (0 means 3000)", t.Steps)
	}
	if t.LearningRate == 0 {
		t.LearningRate = 1e-2
	}
	if !(t.LearningRate > 0) || math.IsInf(t.LearningRate, 0) {
		return t, fmt.Errorf("experiment: TrainedMLP.LearningRate = %v; want a finite value > 0 (0 means 1e-2)", t.LearningRate)
	}
	if t.FinalLearningRate == 0 {
		t.FinalLearningRate = t.LearningRate / 100
	}
	if !(t.FinalLearningRate > 0) || math.IsInf(t.FinalLearningRate, 0) {
		return t, fmt.Errorf("experiment: TrainedMLP.FinalLearningRate = %v; want a finite value > 0 (0 means LearningRate/100)", t.FinalLearningRate)
	}
	return t, nil
}

// FigureFiveInit is the initialisation of fig5: first-layer weights
// N(0, 5²), later weights N(0, 1/fan_in), biases N(0, 1), for networks of up
// to three layers. Our choice: with N(0, 1) in the first layer a network on
// [−1, 1] barely varies and fig5's objectives are numerical noise.
func FigureFiveInit() mlp.Gaussian {
	return mlp.Gaussian{WeightStd: []float64{5}, BiasStd: []float64{1, 1, 1}}
}

// Fit implements Rule.
func (t TrainedMLP) Fit(x, y []float64, seed uint64) (Hypothesis, error) {
	if err := checkTraining(x, y); err != nil {
		return nil, err
	}
	t, err := t.withDefaults()
	if err != nil {
		return nil, err
	}
	net, err := RandomNetwork(append(append([]int{1}, t.Hidden...), 1), t.Init, seed)
	if err != nil {
		return nil, err
	}
	n := len(x)
	tape, err := net.NewTape(n)
	if err != nil {
		return nil, err
	}
	opt := &mlp.Adam[float64]{LearningRate: t.LearningRate}
	decay := 1.0
	if t.Steps > 1 {
		decay = math.Pow(t.FinalLearningRate/t.LearningRate, 1/float64(t.Steps-1))
	}
	params := net.Params()
	var grad, dy []float64
	for step := range t.Steps {
		out, err := tape.Forward(x)
		if err != nil {
			return nil, err
		}
		var loss float64
		loss, dy, err = mlp.HalfSquaredError(dy, out, y, n)
		if err != nil {
			return nil, err
		}
		if math.IsNaN(loss) || math.IsInf(loss, 0) {
			return nil, fmt.Errorf("experiment: TrainedMLP: loss %v at step %d of %d; lower LearningRate (%g)", loss, step+1, t.Steps, t.LearningRate)
		}
		if grad, err = tape.Backward(grad, nil, dy); err != nil {
			return nil, err
		}
		if err := opt.Step(params, grad); err != nil {
			return nil, err
		}
		opt.LearningRate *= decay
	}
	return networkHypothesis{net}, nil
}

type networkHypothesis struct{ net *mlp.Network[float64] }

func (np networkHypothesis) Predict(x float64) float64 {
	var y [1]float64
	return np.PredictBatch(y[:], []float64{x})[0]
}

func (np networkHypothesis) PredictBatch(dst, x []float64) []float64 {
	dst = useDst(dst, len(x))
	if len(x) == 0 {
		return dst
	}
	if _, err := np.net.Forward(dst, x); err != nil {
		panic(err)
	}
	return dst
}

// checkTraining checks a training set: at least one point, as many labels,
// everything finite.
func checkTraining(x, y []float64) error {
	if len(x) == 0 {
		return fmt.Errorf("experiment: no training points; want at least one")
	}
	if len(y) != len(x) {
		return fmt.Errorf("experiment: %d labels for %d training points; want one each", len(y), len(x))
	}
	for i := range x {
		if math.IsNaN(x[i]) || math.IsInf(x[i], 0) || math.IsNaN(y[i]) || math.IsInf(y[i], 0) {
			return fmt.Errorf("experiment: training point %d (x = %v, y = %v) is not finite", i, x[i], y[i])
		}
	}
	return nil
}

// useDst returns dst, or a new slice of length n when dst is nil. It panics
// if a non-nil dst does not have length n.
// It mirrors cheb's reuse, kept apart so that each package panics with its
// own message and neither imports the other for four lines.
func useDst(dst []float64, n int) []float64 {
	if dst == nil {
		return make([]float64, n)
	}
	if len(dst) != n {
		panic(fmt.Sprintf("experiment: dst has length %d for %d points", len(dst), n))
	}
	return dst
}
