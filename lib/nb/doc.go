// Package nb holds the few lines every pointwise notebook would otherwise
// repeat. A notebook cell stops at the first error, as a script does: the
// Must functions turn a (value, error) pair into the value, or end the cell
// with the error, which GoNB shows under the cell.
//
// Everything else a notebook computes lives in the packages that name the
// idea (cheb, objective, mlp, attack, adversarial, experiment) and the
// settings it picks by mode come from [figure.Pick].
package nb
