// Package cheb implements Chebyshev polynomials, Chebyshev and other
// interpolation grids, barycentric interpolation, least-squares fits in the
// Chebyshev basis, Lebesgue constants and the approximation errors that the
// pointwise project uses as its model of consistent learning rules.
//
// # Conventions
//
// Polynomials live on a [Domain] [a, b]; its zero value is [-1, 1]. A point x
// of the domain is mapped to t = (2x - a - b)/(b - a) in [-1, 1], where the
// Chebyshev polynomials T_k(t) = cos(k arccos t) are defined, so a [Series]
// with coefficients c_0, ..., c_n on [a, b] is p(x) = Σ c_k T_k(t(x)).
//
// A grid of n points always means n points, so interpolation on it has degree
// n-1. Grids are returned in increasing order. Output slices are called dst:
// a non-nil dst of the right length is filled and returned, a nil dst is
// allocated. Inputs are never modified.
//
// Functions that a user or a notebook calls validate their arguments and
// return an error naming the parameter, its value and the allowed range.
// Evaluation kernels (Clenshaw, the feature map of [Basis]) panic on
// impossible shapes instead, and say so in their documentation.
//
// # References
//
//   - J.-P. Berrut and L. N. Trefethen, Barycentric Lagrange interpolation,
//     SIAM Review 46(3), 501-517, 2004.
//   - L. N. Trefethen, Approximation Theory and Approximation Practice
//     (ATAP), SIAM, 2013 (Chapters 3, 5, 15).
//   - J. C. Mason and D. C. Handscomb, Chebyshev Polynomials, Chapman &
//     Hall/CRC, 2003 (Clenshaw's recurrence, derivative coefficients).
//   - C. W. Clenshaw, A note on the summation of Chebyshev series, Math. Comp.
//     9, 118-120, 1955.
package cheb // import "pointwise/lib/cheb"
