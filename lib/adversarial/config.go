package adversarial

import (
	"fmt"
	"slices"
	"strings"

	"pointwise/lib/attack"
	"pointwise/lib/dataset"
	"pointwise/lib/mlp"
)

// Method is a training variant.
type Method int

const (
	// Standard trains on the clean inputs.
	Standard Method = iota
	// PGD trains on L∞ PGD points against the network's own cross-entropy
	// (Madry et al. 2018; the paper's eq. 3).
	PGD
	// Hard trains on L∞ PGD points against the mean cross-entropy of K
	// random heads on the network's current feature layer (the paper's
	// eq. 2).
	Hard
)

// Methods lists the training variants in the figure's order.
var Methods = []Method{Standard, PGD, Hard}

// String returns the name used in files and CSVs: "standard", "pgd", "hard".
// (Its switch is this type's table of names, like other packages' String
// methods: alike in shape, with no logic to share.)
func (m Method) String() string {
	switch m {
	case Standard:
		return "standard"
	case PGD:
		return "pgd"
	case Hard:
		return "hard"
	}
	return fmt.Sprintf("Method(%d)", int(m))
}

// Defaults of Config, the settings of fig6: our choices, as the paper's
// training settings for its Fig. 6 are not available to us.
const (
	DefaultSteps        = 10
	DefaultHeads        = 8
	DefaultLearningRate = 1e-3
	DefaultBatchSize    = 128
	DefaultEpochs       = 5
	// StepFactor sets the default PGD step size α = StepFactor·ε/Steps.
	StepFactor = 2.5
)

// DefaultHidden is the default width of the hidden layers.
var DefaultHidden = []int{256, 256}

// Limits on the settings, so that a typo cannot start a run of days.
const (
	MaxSteps  = 1000
	MaxHeads  = 1024
	MaxEpochs = 1000
	MaxBatch  = 1 << 16
	MaxWidth  = 1 << 14
	// MaxHeadScale bounds HeadSettings.Scale.
	MaxHeadScale = 100
)

// Config holds the settings of one trained network: they are the trainer's
// own, and Config.Train trains it. The zero value is standard training of
// the default network with seed 0. Fields a method does not use (Epsilon,
// Steps, StepSize and Mix for Standard; Heads for all but Hard) are ignored:
// they are neither checked nor part of the cache key.
type Config struct {
	// Method is the training variant. The zero value is Standard.
	Method Method
	// Epsilon is ε_train, the L∞ radius of the training perturbations, in
	// (0, 1] (inputs lie in [0, 1]). PGD and Hard need it; it has no
	// default. fig6 uses 0.1 for MNIST, 0.05 for Fashion-MNIST (our choice).
	Epsilon float64
	// Steps is the number of PGD steps per training batch, 1 to MaxSteps.
	// If it is 0, it is DefaultSteps (10).
	Steps int
	// StepSize is the PGD step α, in (0, 1]. If it is 0, it is
	// StepFactor·Epsilon/Steps (2.5·ε/10 by default).
	StepSize float64
	// Heads holds the random heads of Hard training; other methods ignore
	// it.
	Heads HeadSettings
	// Mix is the fraction of each batch replaced by adversarial inputs, in
	// (0, 1]: the first round(Mix·m) of the batch's m shuffled rows. If it is
	// 0, it is 1 (every row).
	Mix float64
	// Hidden lists the hidden layers' widths (ReLU), each 1 to MaxWidth; the
	// input and output widths come from the data (784 and 10 for MNIST). If
	// it is nil, it is DefaultHidden (256, 256). Hard needs at least one
	// hidden layer: the last one is the feature layer φ.
	Hidden []int
	// LearningRate is Adam's η, in (0, 1]. If it is 0, it is 1e-3.
	LearningRate float64
	// BatchSize is the minibatch size, 1 to MaxBatch. If it is 0, it is 128.
	BatchSize int
	// Epochs is the number of passes over the data, 1 to MaxEpochs. If it is
	// 0, it is 5.
	Epochs int
	// Seed seeds everything random: the initialisation, the shuffling, the
	// attacks' random starts and the random heads; and every evaluation of
	// the trained network (see Model).
	Seed uint64
	// Init names the network's initialisation (mlp.InitByName): "he" (He
	// normal, N(0, 2/fan_in) weights and zero biases), "glorot-normal",
	// "glorot-uniform" (Keras's default) or "pytorch" (nn.Linear's default,
	// weights and biases U(±1/√fan_in)). If it is "", it is "he"; Resolve
	// writes "he" as "", so that the cache keys of networks trained before
	// this setting existed stay valid.
	Init string `json:",omitempty"`
}

// HeadSettings are the random heads of Hard training (the paper's eq. 2).
// The zero value is K = DefaultHeads fresh heads per batch drawn from the
// output layer's initialisation law (Config.Init's), scored by cross-entropy
// to the true label. Scale, Loss and Fixed are the settings of the ablation
// (notebook ext3); Family, Bias and Scale choose the distribution H of the
// heads, which the paper leaves open.
type HeadSettings struct {
	// K is the number of random heads drawn for each batch, 1 to MaxHeads.
	// If it is 0, it is DefaultHeads (8).
	K int
	// Scale multiplies the standard deviations (weights and biases) at which
	// the heads are drawn, the output layer's initialisation scale (after
	// Family and Bias): 2 draws heads twice as large. In (0, MaxHeadScale];
	// if it is 0, it is 1.
	Scale float64
	// Loss is the loss of each head: attack.HeadCrossEntropy (the zero value
	// and default: cross-entropy to the true label, the paper's eq. 2),
	// attack.HeadSquared (half the squared distance of the head's logits to
	// its logits at the clean input; its gradient vanishes at the clean
	// input, so it relies on the training attack's random start, which PGD
	// always takes here) or attack.HeadLimit (the small-scale limit of the
	// cross-entropy, linear in the logits: the attack direction of heads
	// drawn at Scale → 0, whatever Scale is).
	Loss attack.HeadLoss
	// Fixed draws the K heads once, at the start of the run, and keeps them
	// for every batch. The default, false, draws K fresh heads for every
	// batch.
	Fixed bool
	// Family is the heads' distribution family: "normal" or "uniform" (see
	// mlp.Family), at the output layer's standard deviations. If it is "",
	// it is the output layer's own (normal for "he", uniform for "pytorch").
	Family string `json:",omitempty"`
	// Bias is the heads' bias law: "zero" (σ_b = 0, as He's and Glorot's)
	// or "weight" (σ_b = σ_w, as PyTorch's nn.Linear). If it is "", it is
	// the output layer's own σ_b.
	Bias string `json:",omitempty"`
}

// Bias laws of HeadSettings.Bias.
const (
	BiasZero   = "zero"
	BiasWeight = "weight"
)

// resolve returns h with its defaults filled in, or an error naming the
// first setting out of range. own is the output layer's initialisation law:
// a Family or Bias that repeats it resolves to "", as it draws the same
// heads.
func (h HeadSettings) resolve(own mlp.Law) (HeadSettings, error) {
	if h.K == 0 {
		h.K = DefaultHeads
	}
	if h.K < 1 || h.K > MaxHeads {
		return h, fmt.Errorf("adversarial: heads %d out of range: need 1 to %d (0 means %d)", h.K, MaxHeads, DefaultHeads)
	}
	scale := h.Scale
	if scale == 0 {
		scale = 1
	}
	if !(scale > 0 && scale <= MaxHeadScale) {
		return h, fmt.Errorf("adversarial: head scale %v out of range: need 0 < scale ≤ %d (0 means 1)", h.Scale, MaxHeadScale)
	}
	h.Scale = scale
	switch h.Loss {
	case attack.HeadCrossEntropy, attack.HeadSquared, attack.HeadLimit:
	default:
		return h, fmt.Errorf("adversarial: head loss %v unknown: need attack.HeadCrossEntropy (0, the default), attack.HeadSquared (1) or attack.HeadLimit (2)", h.Loss)
	}
	if h.Family != "" {
		f, err := mlp.FamilyByName(h.Family)
		if err != nil {
			return h, fmt.Errorf("adversarial: head family %q unknown: need \"normal\" or \"uniform\" (\"\" means the output layer's own)", h.Family)
		}
		if f == own.Family {
			h.Family = ""
		}
	}
	switch {
	case h.Bias == "":
	case h.Bias == BiasZero && own.BiasStd == 0, h.Bias == BiasWeight && own.BiasStd == own.WeightStd:
		h.Bias = ""
	case h.Bias != BiasZero && h.Bias != BiasWeight:
		return h, fmt.Errorf("adversarial: head bias %q unknown: need %q or %q (\"\" means the output layer's own)", h.Bias, BiasZero, BiasWeight)
	}
	return h, nil
}

// law returns the law the resolved settings h draw the heads from, for an
// output layer initialised from own.
func (h HeadSettings) law(own mlp.Law) mlp.Law {
	law := own
	if h.Family != "" {
		law.Family, _ = mlp.FamilyByName(h.Family) // checked by resolve
	}
	switch h.Bias {
	case BiasZero:
		law.BiasStd = 0
	case BiasWeight:
		law.BiasStd = law.WeightStd
	}
	law.WeightStd *= h.Scale
	law.BiasStd *= h.Scale
	return law
}

// initializer returns the initialisation named by the resolved Init.
func (c Config) initializer() (mlp.Initializer, error) {
	if c.Init == "" {
		return mlp.He{}, nil
	}
	return mlp.InitByName(c.Init)
}

// Resolve returns the configuration with every default filled in and the
// fields the method ignores set to zero, or an error naming the first
// setting out of range. Two configurations train the same network exactly
// when their resolved forms are equal.
func (c Config) Resolve() (Config, error) {
	r := Config{Method: c.Method, Seed: c.Seed}
	if c.Method != Standard && c.Method != PGD && c.Method != Hard {
		return r, fmt.Errorf("adversarial: method %d unknown: need Standard (0), PGD (1) or Hard (2)", int(c.Method))
	}
	if c.Init != "" && c.Init != (mlp.He{}).Name() {
		if _, err := mlp.InitByName(c.Init); err != nil {
			return r, fmt.Errorf("adversarial: initialisation %q unknown: need one of %s (\"\" means he)", c.Init, strings.Join(mlp.InitNames(), ", "))
		}
		r.Init = c.Init
	}
	intSetting := func(name string, v, def, hi int) (int, error) {
		if v == 0 {
			v = def
		}
		if v < 1 || v > hi {
			return 0, fmt.Errorf("adversarial: %s %d out of range: need 1 to %d (0 means %d)", name, v, hi, def)
		}
		return v, nil
	}
	unit := func(name string, v, def float64, what string) (float64, error) {
		if v == 0 {
			v = def
		}
		if !(v > 0 && v <= 1) {
			return 0, fmt.Errorf("adversarial: %s %v out of range: need 0 < %s ≤ 1%s", name, v, name, what)
		}
		return v, nil
	}
	var err error
	if r.BatchSize, err = intSetting("batch size", c.BatchSize, DefaultBatchSize, MaxBatch); err != nil {
		return r, err
	}
	if r.Epochs, err = intSetting("epochs", c.Epochs, DefaultEpochs, MaxEpochs); err != nil {
		return r, err
	}
	if r.LearningRate, err = unit("learning rate", c.LearningRate, DefaultLearningRate, " (0 means 1e-3)"); err != nil {
		return r, err
	}
	r.Hidden = slices.Clone(c.Hidden)
	if r.Hidden == nil {
		r.Hidden = slices.Clone(DefaultHidden)
	}
	if len(r.Hidden) > 16 {
		return r, fmt.Errorf("adversarial: %d hidden layers out of range: need at most 16", len(r.Hidden))
	}
	for i, w := range r.Hidden {
		if w < 1 || w > MaxWidth {
			return r, fmt.Errorf("adversarial: width %d of hidden layer %d out of range: need 1 to %d", w, i, MaxWidth)
		}
	}
	if c.Method == Standard {
		return r, nil
	}
	if c.Epsilon == 0 {
		return r, fmt.Errorf("adversarial: epsilon 0 for %v training: need 0 < ε ≤ 1 (it has no default; fig6 uses 0.1 on MNIST, 0.05 on Fashion-MNIST)", c.Method)
	}
	if r.Epsilon, err = unit("epsilon", c.Epsilon, 0, ""); err != nil {
		return r, err
	}
	if r.Steps, err = intSetting("steps", c.Steps, DefaultSteps, MaxSteps); err != nil {
		return r, err
	}
	if r.StepSize, err = unit("step size", c.StepSize, StepFactor*r.Epsilon/float64(r.Steps), " (0 means 2.5·ε/steps)"); err != nil {
		return r, err
	}
	if r.Mix, err = unit("mix", c.Mix, 1, " (0 means 1)"); err != nil {
		return r, err
	}
	if c.Method == Hard {
		if len(r.Hidden) == 0 {
			return r, fmt.Errorf("adversarial: hard training needs a feature layer: need at least one hidden layer, have %v", r.Hidden)
		}
		initer, _ := r.initializer() // checked above
		if r.Heads, err = c.Heads.resolve(initer.Law(len(r.Hidden), r.Hidden[len(r.Hidden)-1], dataset.Classes)); err != nil {
			return r, err
		}
	}
	return r, nil
}

// String describes the configuration in one line, for logs and titles.
func (c Config) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%v", c.Method)
	if c.Method != Standard {
		fmt.Fprintf(&b, " ε=%g steps=%d α=%.4g", c.Epsilon, c.Steps, c.StepSize)
		if c.Method == Hard {
			fmt.Fprintf(&b, " K=%d", c.Heads.K)
			if c.Heads.Scale != 1 && c.Heads.Scale != 0 {
				fmt.Fprintf(&b, " scale=%g", c.Heads.Scale)
			}
			if c.Heads.Loss != attack.HeadCrossEntropy {
				fmt.Fprintf(&b, " loss=%v", c.Heads.Loss)
			}
			if c.Heads.Fixed {
				b.WriteString(" fixed-heads")
			}
			if c.Heads.Family != "" {
				fmt.Fprintf(&b, " head-family=%s", c.Heads.Family)
			}
			if c.Heads.Bias != "" {
				fmt.Fprintf(&b, " head-bias=%s", c.Heads.Bias)
			}
		}
		if c.Mix != 1 && c.Mix != 0 {
			fmt.Fprintf(&b, " mix=%g", c.Mix)
		}
	}
	if c.Init != "" && c.Init != (mlp.He{}).Name() {
		fmt.Fprintf(&b, " init=%s", c.Init)
	}
	fmt.Fprintf(&b, " hidden=%v lr=%g batch=%d epochs=%d seed=%d", c.Hidden, c.LearningRate, c.BatchSize, c.Epochs, c.Seed)
	return b.String()
}
