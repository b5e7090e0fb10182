// Package classroom holds the checkers of pointwise's assignment notebooks
// (notebooks/assignments). Each checker takes the function a student wrote,
// calls it on a few inputs, compares the answers with pointwise's own
// implementation (lib/cheb, lib/objective, lib/attack) and returns nil when
// they agree, or an error that says in words what is wrong: "your points are
// not sorted", "x[3] = 0.5 should be -0.19509 (cos(9π/16))", "your
// perturbation leaves the epsilon ball at 12 of 64 samples".
//
// A student's function may panic (the blank version of an assignment holds
// panic("not implemented")): the checkers recover and say so. Report prints
// a checker's verdict in a notebook cell and ends the cell with an error when
// the check failed, so a failed check is visible in Jupyter and counts as a
// failed test for nbgrader.
package classroom
