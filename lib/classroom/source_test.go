package classroom

import (
	"bytes"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"pointwise/lib/attack"
	"pointwise/lib/cheb"
)

// notebookFile is a GoNB main.go as a notebook's cells make it: the answer
// chebyshevPoints starts on line 12, and helpers and variables around it.
const notebookFile = `package main

import (
	"fmt"
	"math"

	c "pointwise/lib/cheb"
	"pointwise/lib/classroom"
)

// line 11
func chebyshevPoints(n int) []float64 {
	return BODY
}

func helper(n int) []float64 { x, _ := c.ChebyshevPoints(nil, n, c.Domain{}); return x }

var table = c.LobattoPoints

type grid struct{ n int }

func (g grid) points() []float64 { x, _ := c.ChebyshevPoints(nil, g.n, c.Domain{}); return x }

func own(n int) []float64 { return make([]float64, n) }

func main() {
	fmt.Println(math.Pi, classroom.Report, chebyshevPoints(3))
}
`

func TestScanSource(t *testing.T) {
	for _, c := range []struct {
		name, body string
		allowed    []string
		want       string // "" for no error
	}{
		{"standard library only", "[]float64{math.Cos(float64(n))}", nil, ""},
		{"own helper", "own(n)", nil, ""},
		{"direct call, renamed import", "func() []float64 { x, _ := c.ChebyshevPoints(nil, n, c.Domain{}); return x }()", nil,
			"chebyshevPoints uses c.ChebyshevPoints (package pointwise/lib/cheb)"},
		{"through a helper", "helper(n)", nil, "helper (used by chebyshevPoints) uses c.ChebyshevPoints"},
		{"through a variable", "func() []float64 { x, _ := table(nil, n, c.Domain{}); return x }()", []string{"pointwise/lib/cheb.Domain"}, "table (used by chebyshevPoints) uses c.LobattoPoints"},
		{"through a method", "grid{n}.points()", nil, "points (used by chebyshevPoints) uses c.ChebyshevPoints"},
		{"package allowed", "helper(n)", []string{"pointwise/lib/cheb"}, ""},
		{"other name allowed", "helper(n)", []string{"pointwise/lib/cheb.Domain"}, "uses c.ChebyshevPoints"},
		{"value of a library function", "nil; _ = classroom.Report", nil, "uses classroom.Report"},
	} {
		src := strings.Replace(notebookFile, "BODY", c.body, 1)
		err := scanSource("main.go", []byte(src), 12, "chebyshevPoints", c.allowed)
		wantErr(t, c.name, err, c.want)
		if c.want != "" && !errors.Is(err, ErrOffLimits) {
			t.Errorf("%s: error %v is not ErrOffLimits", c.name, err)
		}
	}
}

func TestScanSourceDotImport(t *testing.T) {
	src := strings.Replace(notebookFile, `c "pointwise/lib/cheb"`, `. "pointwise/lib/cheb"`, 1)
	src = strings.Replace(src, "BODY", "nil", 1)
	wantErr(t, "dot import", scanSource("main.go", []byte(src), 12, "chebyshevPoints", nil), "imports pointwise/lib/cheb with a dot")
	wantErr(t, "dot import allowed", scanSource("main.go", []byte(src), 12, "chebyshevPoints", []string{"pointwise/lib/cheb"}), "")
	wantErr(t, "no function there", scanSource("main.go", []byte(src), 3, "chebyshevPoints", []string{"pointwise/lib/cheb"}), "cannot find the code")
}

func TestOwnCode(t *testing.T) {
	for _, c := range []struct {
		name    string
		f       any
		allowed []string
		want    string
	}{
		{"own function", pointsRight, nil, ""},
		{"own closure", func(n int) []float64 { return make([]float64, n) }, nil, ""},
		{"closure calling the library", func(n int) float64 { return cheb.T(n, 0.5) }, nil, "uses cheb.T (package pointwise/lib/cheb)"},
		{"library function", cheb.T, nil, "your answer is cheb.T, a function of pointwise/lib/cheb"},
		{"library function allowed", cheb.T, []string{"pointwise/lib/cheb.T"}, ""},
		{"other module", math.Sqrt, nil, ""},
		{"not a function", 3, nil, "is not a function"},
	} {
		wantErr(t, c.name, ownCode(c.f, c.allowed...), c.want)
	}
}

func TestImportName(t *testing.T) {
	for path, want := range map[string]string{
		"math/rand/v2": "rand", "pointwise/lib/cheb": "cheb", "gonum.org/v1/gonum/mat": "mat", "fmt": "fmt",
	} {
		if got := importName(path); got != want {
			t.Errorf("importName(%q) = %q, want %q", path, got, want)
		}
	}
}

// constGrad is an attack objective whose input gradient is a fixed array.
type constGrad struct{ g []float64 }

func (c constGrad) Gradient(dx []float64, loss []float64, x []float64, labels []int, n int) error {
	copy(dx, c.g)
	for i := range loss[:min(len(loss), n)] {
		loss[i] = 0
	}
	return nil
}

// TestReferencesAgree checks the checkers' own references against the
// packages they stand in for: the exercises and pointwise compute the same.
func TestReferencesAgree(t *testing.T) {
	for _, n := range []int{1, 2, 5, 8, 9, 33} {
		lib, _ := cheb.ChebyshevPoints(nil, n, cheb.Domain{})
		if !matches(firstKind(n), lib) {
			t.Errorf("firstKind(%d) = %v, cheb.ChebyshevPoints %v", n, firstKind(n), lib)
		}
		if n > 1 {
			lob, _ := cheb.LobattoPoints(nil, n, cheb.Domain{})
			if !matches(lobatto(n), lob) {
				t.Errorf("lobatto(%d) = %v, cheb.LobattoPoints %v", n, lobatto(n), lob)
			}
		}
		w, lw := productWeights(firstKind(n)), make([]float64, n)
		lw, _ = cheb.BarycentricWeights(lw, firstKind(n))
		cw, _ := cheb.Weights(nil, cheb.Chebyshev, n)
		for j := range w {
			if !close(w[j]/w[0], lw[j]/lw[0], 1e-9) || !close(w[j]/w[0], cw[j]/cw[0], 1e-9) {
				t.Errorf("n = %d: weight ratio %d: product %g, cheb.BarycentricWeights %g, cheb.Weights %g", n, j, w[j]/w[0], lw[j]/lw[0], cw[j]/cw[0])
			}
		}
	}
	nodes := firstKind(9)
	y := make([]float64, len(nodes))
	for i, x := range nodes {
		y[i] = 1 / (1 + 25*x*x)
	}
	ref, err := cheb.NewBarycentric(nodes, y, cheb.Domain{})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range []float64{-1, -0.77, 0.05, 0.93, 1} {
		if got, want := lagrange(nodes, y, x), ref.Predict(x); !close(got, want, 1e-12) {
			t.Errorf("lagrange at %g = %g, cheb.NewBarycentric %g", x, got, want)
		}
	}
	x, g, n, _ := fgsmCase()
	want := make([]float64, len(x))
	fgsm := &attack.FGSM[float64]{Objective: constGrad{g}, Epsilon: 0.1}
	if err := fgsm.Perturb(want, x, make([]int, n), n); err != nil {
		t.Fatal(err)
	}
	if got := fgsmRef(x, g, 0.1); !slices.Equal(got, want) {
		t.Errorf("fgsmRef differs from attack.FGSM")
	}
}

func TestRun(t *testing.T) {
	var buf bytes.Buffer
	code := -1
	oldOut, oldExit := out, exit
	out, exit = &buf, func(c int) { code = c }
	defer func() { out, exit = oldOut, oldExit }()
	for _, c := range []struct {
		name  string
		check func() error
		want  string
		code  int
	}{
		{"pass", func() error { return nil }, "PASS pass: correct\n", -1},
		{"fail", func() error { return errors.New("wrong") }, "FAIL fail: wrong\n", 1},
		{"stub", func() error { panic("not implemented") }, "FAIL stub: your code: not implemented yet", 1},
		{"crash", func() error { var m map[string]int; m["a"]++; return nil }, "FAIL crash: your code panicked: assignment to entry in nil map", 1},
	} {
		buf.Reset()
		code = -1
		Run(c.name, c.check)
		if !strings.HasPrefix(buf.String(), c.want) || code != c.code {
			t.Errorf("Run(%s) printed %q, exit %d; want %q, exit %d", c.name, buf.String(), code, c.want, c.code)
		}
	}
}
