package objective

import (
	"fmt"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// Agreement is the hard objective J_H at one point in closed form beside its
// Monte Carlo estimate: two independent paths through the same definitions
// (the class, the rule refitted on X, the loss), which must agree within a
// few standard errors.
type Agreement struct {
	Point []float64
	// Closed is J_H(Point) in closed form (LinearGaussian).
	Closed float64
	// Mean and StdErr are the Monte Carlo estimate and its standard error.
	Mean, StdErr float64
}

// Z returns (Closed − Mean)/StdErr, the gap in standard errors: close to a
// standard normal draw when both paths are right and the sample is large,
// so |Z| above 4 or so means they disagree.
func (a Agreement) Z() float64 { return (a.Closed - a.Mean) / a.StdErr }

// Compare estimates J_H by mc.Hard at the rows of pts, with training points
// the rows of x and the draws from rnd, and returns each estimate beside
// lg's closed form there (LinearGaussian.ValueAt). lg must be the closed
// form of mc's class and rule fitted on x, with squared loss; Compare checks
// only that the input dimensions agree.
func (mc MonteCarlo) Compare(lg *LinearGaussian, x, pts mat.Matrix, rnd *rand.Rand) ([]Agreement, error) {
	if lg == nil {
		return nil, fmt.Errorf("objective: Compare: the closed form is nil")
	}
	if mc.Dist != nil && mc.Dist.InputDim() != lg.InputDim() {
		return nil, fmt.Errorf("objective: Compare: the class has input dimension %d, the closed form %d", mc.Dist.InputDim(), lg.InputDim())
	}
	mean, se, err := mc.Hard(nil, nil, x, pts, rnd)
	if err != nil {
		return nil, err
	}
	closed, err := lg.ValueAt(nil, pts)
	if err != nil {
		return nil, err
	}
	out := make([]Agreement, len(mean))
	for i := range out {
		out[i] = Agreement{Point: mat.Row(nil, i, pts), Closed: closed[i], Mean: mean[i], StdErr: se[i]}
	}
	return out, nil
}
