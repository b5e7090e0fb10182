package figure

import (
	"fmt"
	"strings"
	"testing"
)

func TestExplorerFormat(t *testing.T) {
	eps := []float64{0, 0.05, 0.1}
	e := Explorer{Controls: []Control{
		{Label: "epsilon", Max: 2, Format: func(i int) string { return fmt.Sprint(eps[i]) }},
		{Label: "n", Min: 2, Max: 9},
		{Label: "training", Options: []string{"standard", "pgd"}},
	}}
	if got, want := e.describe([]int{2, 5, 1}), "epsilon = 0.1, n = 5, training = pgd"; got != want {
		t.Errorf("describe = %q, want %q", got, want)
	}
}

// TestExplorerDrawPanics checks that a panicking Draw (a notebook's must)
// becomes an error naming the settings, outside a notebook as in one.
func TestExplorerDrawPanics(t *testing.T) {
	e := Explorer{
		Controls: []Control{{Label: "n", Min: 1, Max: 3, Default: 2}},
		Draw:     func(v []int) ([]byte, error) { panic(fmt.Sprintf("bad n %d", v[0])) },
	}
	err := e.Run()
	if err == nil || !strings.Contains(err.Error(), "panicked at n = 2: bad n 2") {
		t.Errorf("Run with a panicking Draw: error %v, want one naming n = 2 and the panic", err)
	}
}
