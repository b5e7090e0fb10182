package main

// pngDelta is the cmpimg.EqualApprox tolerance of the figures' PNGs: every
// pixel within 0.05 in normalised YIQ distance. Numbers that move within the
// CSV tolerances move no line by a visible amount; a moved tick, legend or
// curve changes pixels by far more.
const pngDelta = 0.05

// tolerances are the numeric tolerances of the figures' CSVs. The same
// build on the same machine reproduces every figure bit for bit
// (TestSampleComplexityReproducible, TestFig5Reproducible); the tolerances
// allow for another BLAS backend (the Makefile selects OpenBLAS when it is
// installed, gonum's pure-Go BLAS otherwise), whose sums run in another
// order. The differences quoted were measured between the two builds on
// the computations behind each figure (README, Reproducibility).
var tolerances = Tolerances{
	// Sums of a few hundred well-scaled terms: a few ulps, far below 1e-9.
	Default: Tol{Abs: 1e-12, Rel: 1e-9},
	Column: map[string]Tol{
		"fig3:median_sup_error": {Rel: 1e-6,
			Why: "equispaced interpolants of degree up to 63 amplify rounding by their Lebesgue constant: the fig3 notebook runs on gonum's BLAS in both builds, but computed through OpenBLAS (as a notebook that also imports lib/mlp would) the medians moved by up to 7.2e-8 relative; another architecture's gonum kernels reorder sums the same way"},
		"fig5:adversarial_objective": {Abs: 1e-12, Rel: 1e-9,
			Why: "J_h is a squared difference of two nearly equal fits, zero at the training points: across BLAS backends it moved by up to 4.7e-14 absolute (1.2e-11 of its maximum)"},
		"fig5-2d:adversarial_objective": {Abs: 1e-12, Rel: 1e-9,
			Why: "as fig5: moved by up to 1.4e-15 absolute across BLAS backends"},
		"fig4_points:position": {Abs: 1e-8,
			Why: "local maxima located by golden-section search to 1e-10·(b−a); a flat maximum moves by more than the objective's rounding (not measured across backends)"},
		"fig4_literal:position": {Abs: 1e-6,
			Why: "minimised by Nelder–Mead, whose path can branch on a rounding difference (not measured across backends)"},
	},
}
