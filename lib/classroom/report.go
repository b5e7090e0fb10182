package classroom

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
)

// ErrNotImplemented is wrapped by the error of a checker whose function
// panicked with "not implemented", the stub of a blank assignment.
var ErrNotImplemented = errors.New("not implemented yet")

// exit ends the program after a failed check; tests replace it.
var exit = os.Exit

// out is where Report writes; tests replace it.
var out io.Writer = os.Stdout

// Report prints "PASS what" when err is nil and "FAIL what: err" otherwise;
// after a failure it exits with status 1, so that the notebook cell ends with
// an error. Use it as the last line of a check cell:
//
//	classroom.Report("Chebyshev points", classroom.CheckChebyshevPoints(chebyshevPoints))
func Report(what string, err error) {
	if err == nil {
		fmt.Fprintf(out, "PASS %s: correct\n", what)
		return
	}
	fmt.Fprintf(out, "FAIL %s: %v\n", what, err)
	exit(1)
}

// Run runs check, a test written in a notebook cell (a hidden test of the
// teacher's notebook, say), and reports its error like Report. A panic in
// the code it calls, such as the stub's panic("not implemented"), fails the
// check in words instead of crashing the cell:
//
//	classroom.Run("local maxima, small inputs", func() error {
//		if got := localMaxima([]float64{0.5}, []float64{2}); len(got) != 1 {
//			return fmt.Errorf("one point is its own maximum, got %v", got)
//		}
//		return nil
//	})
func Run(what string, check func() error) {
	err, panicked := call("your code", check)
	if panicked != nil {
		err = panicked
	}
	Report(what, err)
}

// call runs f and turns a panic into an error naming the call.
func call[T any](name string, f func() T) (v T, err error) {
	defer func() {
		if r := recover(); r != nil {
			msg := fmt.Sprint(r)
			if strings.Contains(msg, "not implemented") {
				err = fmt.Errorf("%s: %w (it panicked with %q): write your code where it says YOUR CODE HERE", name, ErrNotImplemented, msg)
				return
			}
			err = fmt.Errorf("%s panicked: %s", name, msg)
		}
	}()
	return f(), nil
}

// finite returns the index of the first NaN or ±Inf in v, or -1.
func finite(v []float64) int {
	for i, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return i
		}
	}
	return -1
}

// close reports whether a and b agree within tol relative to max(1, |b|).
func close(a, b, tol float64) bool {
	return math.Abs(a-b) <= tol*math.Max(1, math.Abs(b))
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// piFraction formats kπ/m in lowest terms: "π/4", "3π/8", "π".
func piFraction(k, m int) string {
	if k == 0 {
		return "0"
	}
	g := gcd(k, m)
	k, m = k/g, m/g
	num := "π"
	if k != 1 {
		num = fmt.Sprintf("%dπ", k)
	}
	if m == 1 {
		return num
	}
	return fmt.Sprintf("%s/%d", num, m)
}
