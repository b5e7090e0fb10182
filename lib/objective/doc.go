// Package objective implements the training-point objectives of Barati,
// Safabakhsh and Rahmati, "Towards Explaining Adversarial Examples Phenomenon
// in Artificial Neural Networks" (ICPR 2020, arXiv 2107.10599), for any
// learning rule and any distribution over hypotheses.
//
// With ĥ_X = A({(x, h(x)) : x ∈ X}) the hypothesis a learning rule A fits to
// the training set X labelled by a target h, and L a loss, the paper's three
// objectives over training sets are
//
//	optimal (eq. 1):      argmin_X ∫_H Σ_{x∈X} ‖∇(ĥ_X − h)(x)‖ dh, plus the boundary ∂X
//	hard (eq. 2):         argmax_X E_{h~H} Σ_{x∈X} L(ĥ_X(x), h(x))
//	adversarial (eq. 3):  argmax_X Σ_{x∈X} L(ĥ_X(x), h(x))
//
// and, as functions of one candidate point x, the hard objective
// J_H(x) = E_{h~H} L(ĥ_X(x), h(x)) and the adversarial objective
// J_h(x) = L(ĥ_X(x), h(x)).
//
// # Monte Carlo path
//
// [Hypothesis], [Distribution] and [Rule] are small interfaces; [MonteCarlo]
// estimates J_H and gradient moments with their standard errors for any of
// them, and [Adversarial] evaluates J_h. [MonteCarlo.Compare] sets the
// estimate of J_H beside its closed form, point by point ([Agreement]). A
// rule that is a [Preparer] ([LeastSquares], [Ridge]) factors the training
// points once for all draws, with the same bits as a fit per draw.
//
// # Closed forms for linear-Gaussian classes
//
// A class linear in its coefficients, h(x) = f(x)·θ with θ ~ N(0, Σ)
// ([Gaussian]), and a rule linear in its labels ([LeastSquares], [Ridge]) fit
// ĥ(x) = g(x)ᵀMθ for a model feature map g and a matrix M ([LinearFit]). The
// error is e(x) = r(x)ᵀθ with r(x) = Mᵀg(x) − f(x), so
//
//	J_H(x) = r(x)ᵀ Σ r(x),   E‖∇e(x)‖² = tr(∇r(x)ᵀ Σ ∇r(x)).
//
// When g = f and P = M (θ̂ = Pθ), r = (P − I)ᵀf and these are the formulas
// f(x)ᵀ(P − I)Σ(P − I)ᵀf(x) that serve fig4 and fig5. [LinearGaussian]
// precomputes the quadratic form once, so each evaluation costs one
// symmetric product.
//
// # Searches over training sets
//
// [GridSearch] finds the local maxima and minima of a 1-D objective, refined
// by golden-section search; [Greedy] grows a training set from the boundary by
// adding argmax J_H one point at a time; [Ascent] moves points uphill by
// projected gradient ascent. [SetDistance] measures how far one training set
// is from another, such as the Chebyshev–Lobatto grid, and [MinGap] how close
// a set's points come to each other.
//
// # Eq. 1 has two readings
//
// [Optimal] is the critical-point reading used as the solver: the local minima
// of g(x) = E_H‖∇(ĥ − h)(x)‖ plus the boundary. [Literal] minimises eq. 1 as
// written, with ĥ_X refitted on X itself; it is degenerate (nodes coalesce in
// pairs or pile up at the boundary, because a near-repeated node makes a fit
// match the derivative there). That degenerate answer is a finding of the
// reproduction, not a bug.
package objective
