// Package attack implements adversarial attacks on the classifiers of
// pointwise/lib/mlp and the evaluation of robust accuracy: the objectives an
// attack increases (the network's own cross-entropy, eq. 3 of Barati,
// Safabakhsh and Rahmati, ICPR 2020, and the hard objective of eq. 2, the
// mean loss of K random heads on the network's feature layer), the attacks
// (FGSM, PGD under L∞ or L2, APGD, Square, transfer, random noise,
// identity), robust accuracy as the worst case over an ensemble of attacks
// (Evaluate, as AutoAttack), and an Audit of a whole evaluation for the
// symptoms of gradient masking.
//
// # Conventions
//
// A batch is n inputs of width in, row-major in one []T, every input in
// [0, 1]. An attack writes its output into dst and never modifies x; each
// output row lies in the attack's ε-ball around its clean row (up to one
// rounding of the element type T) and in [0, 1]. Losses are float64.
// Settings are exported struct fields whose zero value means a documented
// default; attacks and objectives hold workspaces, so that after the first
// call on the largest batch an attack allocates nothing, and are not safe
// for concurrent use. Every gradient is an input gradient (mlp.Tape's
// InputGradient and FeatureInputGradient): no weight gradients are computed
// inside attack loops. Everything a user can pass wrong returns an error
// naming the parameter, its value and the allowed range.
//
// # Objectives and attacks
//
// An Objective gives per-sample losses ℓ(x_i, y_i) and their input
// gradients, row by row. NewCrossEntropy is ℓ = log Σ_c exp z_c − z_y of
// the network's logits z (computed row by row as mlp.CrossEntropy computes
// the training loss); RandomHeads is (1/K) Σ_k L(φ(x)W_k + b_k, y) over K
// random heads drawn like mlp.Network.RandomHead, from the law the network's
// head was initialised from or another (SetLaw), with L the cross-entropy,
// a squared distance, or HeadLimit, the cross-entropy's limit as the heads'
// scale tends to 0. FGSM (Goodfellow et al.
// 2015) and PGD (Madry et al. 2018) are bound to an Objective; PGD keeps each
// sample's best iterate, as AutoAttack does (Croce and Hein 2020). The
// defaults, and how they compare with torchattacks, Foolbox and ART, are on
// each type.
//
// # Models, APGD, Square and ensembles
//
// A Model gives logits (the forward pass); a GradientModel adds input
// gradients; NewNetworkModel adapts an *mlp.Network. LogitObjective puts a
// loss on a GradientModel's logits: cross-entropy, DLR, or targeted DLR
// (Croce and Hein 2020). APGD is AutoAttack's Auto-PGD on any Objective,
// Square its gradient-free random search on any Model, Transfer crafts on
// one model for another, and Evaluate (or Ensemble) takes the per-sample
// worst case over attacks, running each only on the samples still robust.
// Audit returns a table of checks of an evaluation (ε = 0, monotonicity,
// steps, restarts, noise, Square, transfer, large ε, gradients).
//
// # Robust accuracy
//
// Evaluate counts, over all N samples, those the model classifies correctly
// both clean and under every attack of a list, and reports per sample
// whether it was broken (Foolbox's success array) and by which attack.
// Audit returns in a table the usual symptoms of an evaluation that
// overestimates robustness (Carlini et al., "On evaluating adversarial
// robustness", 2019).
package attack
