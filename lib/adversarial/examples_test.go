package adversarial

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"
)

func TestAttackExamples(t *testing.T) {
	m, err := small(Standard).Train(context.Background(), nil, Data{"blobs", blobs(200, 1)})
	if err != nil {
		t.Fatal(err)
	}
	test := Data{"blobs", blobs(40, 2)}
	const n = 12
	zero, err := Craft(m, test, n, 0, 0, 5)
	if err != nil {
		t.Fatal(err)
	}
	// At ε = 0 the ball is the point itself.
	if !slices.Equal(zero.Adv, zero.X) || !slices.Equal(zero.Predicted, zero.Clean) {
		t.Errorf("ε = 0 moved an image or changed a prediction")
	}
	for _, heads := range []int{0, 3} {
		const eps = 0.2
		a, err := Craft(m, test, n, eps, heads, 5)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := Craft(m, test, n, eps, heads, 5)
		if !slices.Equal(a.Adv, b.Adv) {
			t.Errorf("heads %d: the same arguments gave different adversarials", heads)
		}
		for j, v := range a.Adv {
			if d := math.Abs(float64(v - a.X[j])); d > eps+1e-6 || v < 0 || v > 1 {
				t.Fatalf("heads %d: pixel %d = %v, %v from the clean %v: need within ε = %v and in [0, 1]", heads, j, v, d, a.X[j], eps)
			}
		}
		if len(a.Labels) != n || len(a.Clean) != n || len(a.Predicted) != n || a.Fooled() > n {
			t.Errorf("heads %d: %d labels, %d clean and %d adversarial predictions, %d fooled: want %d each", heads, len(a.Labels), len(a.Clean), len(a.Predicted), a.Fooled(), n)
		}
	}
	for _, tc := range []struct {
		n, heads, steps int
		eps             float64
		want            string
	}{
		{0, 0, 5, 0.1, "0 examples out of range"},
		{41, 0, 5, 0.1, "41 examples out of range"},
		{n, 0, 5, math.NaN(), "epsilon NaN out of range"},
		{n, 0, 5, 1.5, "epsilon 1.5 out of range"},
		{n, -1, 5, 0.1, "-1 heads out of range"},
		{n, 0, 0, 0.1, "0 steps out of range"},
	} {
		if _, err := Craft(m, test, tc.n, tc.eps, tc.heads, tc.steps); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Craft(n %d, ε %v, heads %d, steps %d): error %v, want one saying %q", tc.n, tc.eps, tc.heads, tc.steps, err, tc.want)
		}
	}
	if _, err := Craft(nil, test, n, 0.1, 0, 5); err == nil {
		t.Error("nil model accepted")
	}
}
