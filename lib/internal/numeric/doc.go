// Package numeric holds the numerical kernels that several pointwise/lib
// packages share, so that each is written, and tested, once: the softmax
// cross-entropy of a row of logits with its gradient (training in mlp, the
// attacks in attack), the predicted class of a row of logits (Argmax), and
// the sample quantile of the sample-complexity experiments (cheb and
// experiment).
//
// They are kernels: they panic on impossible shapes, and their callers
// validate what a user passes.
package numeric // import "pointwise/lib/internal/numeric"
