// Package experiment runs the experiments behind pointwise's open-question
// notebooks, which ask of neural networks what the paper's figures ask of
// polynomials, and holds the problems of figures 4 and 5 that they build on.
//
// # Sample complexity of a learning rule on a grid
//
// [SampleComplexity] generalises cheb.SampleComplexity (fig3) from
// polynomial interpolation to any learning [Rule]: for targets h drawn from
// a distribution H (an objective.Distribution on [-1, 1]), each training
// grid ([Grid]) and each number of points m, the rule is fitted to the m points
// labelled by h and its sup-norm error max |ĥ − h| is measured on an
// equispaced evaluation grid. Over the draws of h it reports the median error
// against m and m(ε), the smallest m whose median error is ≤ ε.
//
// Two rules are provided. [RandomFeatures] is ridge regression of a head
// on a fixed feature map, the rule of fig5 (with the feature layer of a
// random network this is the random-features model of Rahimi and Recht).
// [TrainedMLP] trains every weight of a small tanh network by full-batch Adam
// on half the mean squared error (mlp.HalfSquaredError). A rule returns a
// [Hypothesis]: gonum's interp.Predictor with a batched PredictBatch.
//
// Grids are the cheb grid kinds ([ChebGrid]) and greedy hard points
// ([HardGrid]): starting from {−1, 1}, add the maximiser of the hard
// objective J_H of a linear-Gaussian class one point at a time (fig4's
// construction, objective.Greedy).
//
// [SampleComplexityResult.Wins] compares two grids draw by draw, and
// [SampleComplexityResult.Compare] one grid with several at one m, in words
// ([Comparison]); [SampleComplexityResult.Summary] ranks the grids, and
// [SampleComplexityResult.Floor] gives the error a rule stops at. [Cached]
// stores a result on disk under a key that names every setting, so that a
// notebook computes an expensive experiment once and reads it back in later
// cells.
//
// # The figures' problems
//
// [ChebyshevProblem] is fig4's class and rule, a random Chebyshev series
// fitted by least squares, with the hard maxima, the greedy hard points and
// both readings of eq. 1. [NetworkProblem] is fig5's: a random network
// ([RandomNetwork]) whose head is refitted by ridge regression at training
// points ([TrainingPoints], [TensorGrid]), with the adversarial objective of
// its own head and the hard objective over random heads, and where their
// maxima sit ([Peaks]).
//
// # Conventions
//
// Inputs are 1-D and live on [-1, 1] (NetworkProblem also takes points of
// the square [-1, 1]², one per row). An output slice is called dst; a nil
// dst allocates. Inputs are never modified. Settings are exported fields
// whose zero value means the default written on the field; invalid settings
// return an error naming the field, its value and the allowed range.
// Randomness is seeded: the same settings give the same numbers.
//
// # References
//
//   - A. Rahimi and B. Recht, Random features for large-scale kernel
//     machines, NIPS 2007.
//   - D. P. Kingma and J. Ba, Adam: a method for stochastic optimization,
//     ICLR 2015.
//   - C. Runge, Über empirische Funktionen und die Interpolation zwischen
//     äquidistanten Ordinaten, Z. Math. Phys. 46, 224-243, 1901.
package experiment // import "pointwise/lib/experiment"
