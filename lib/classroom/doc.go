// Package classroom holds the checkers of pointwise's assignment notebooks
// (notebooks/assignments). Each checker takes the function a student wrote,
// calls it on a few inputs, compares the answers with a reference and returns
// nil when they agree, or an error that says in words what is wrong: "your
// points are not sorted", "x[3] = 0.5 should be -0.19509 (cos(9π/16))", "your
// perturbation leaves the epsilon ball at 12 of 64 samples".
//
// # Off limits
//
// pointwise's own packages implement what the exercises ask for
// (cheb.ChebyshevPoints, attack.FGSM, ...). A checker does not accept them as
// the answer: it computes its reference from the definition (the Chebyshev
// points from their cosine formula, the interpolant in Lagrange's form, the
// FGSM step from its formula), not by calling the package the student must
// not call, and before it runs the student's function it reads that
// function's source (GoNB's main.go in a notebook) with everything of the
// same file it uses, and fails with ErrOffLimits when it refers to a package
// of pointwise the exercise does not allow. The hard objective of Figure 4 may
// use lib/cheb (drawing and fitting the series is not the exercise), the hard
// loss may use the type Head; nothing else of pointwise is allowed. The tests
// check the references against the packages they stand in for (cheb's
// points, weights and interpolant, attack.FGSM).
//
// A student's function may panic (the blank version of an assignment holds
// panic("not implemented")): the checkers recover and say so. Report prints
// a checker's verdict in a notebook cell and ends the cell with an error when
// the check failed, so a failed check is visible in Jupyter and counts as a
// failed test for nbgrader.
package classroom
