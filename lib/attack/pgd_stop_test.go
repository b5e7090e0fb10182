package attack

import (
	"fmt"
	"slices"
	"testing"

	"pointwise/lib/internal/numeric"
	"pointwise/lib/mlp"
)

// countingCE counts the rows its gradients are taken on.
type countingCE[T mlp.Float] struct {
	*LogitObjective[T]
	rows int
}

func (c *countingCE[T]) Gradient(dx []T, loss []float64, x []T, labels []int, n int) error {
	c.rows += n
	return c.LogitObjective.Gradient(dx, loss, x, labels, n)
}

// A successful iterate stays a sample's best, so stopping at the first one
// changes which successful input is returned but not which samples succeed:
// on every batch, for one run and for restarts, both norms and float32 and
// float64, the two settings must break exactly the same samples, draw the
// same random starts (the stream goes on across batches) and keep every
// input in the ball, while StopOnSuccess takes fewer gradient rows.
func TestPGDStopOnSuccessBreaksTheSameSamples(t *testing.T) {
	t.Run("float32", func(t *testing.T) { testStopOnSuccess[float32](t) })
	t.Run("float64", func(t *testing.T) { testStopOnSuccess[float64](t) })
}

func testStopOnSuccess[T mlp.Float](t *testing.T) {
	net, x, y := tenClass[T](t)
	const in, batch = 64, 100
	for _, tc := range []struct {
		norm     Norm
		eps      float64
		restarts int
		targeted bool
	}{
		{LInf, 0.05, 1, false}, {LInf, 0.1, 1, false}, {LInf, 0.08, 3, false},
		{L2, 0.5, 1, false}, {L2, 0.7, 2, false}, {LInf, 0.12, 1, true},
	} {
		t.Run(fmt.Sprintf("%v/eps=%g/restarts=%d/targeted=%v", tc.norm, tc.eps, tc.restarts, tc.targeted), func(t *testing.T) {
			labels := y
			if tc.targeted {
				labels = make([]int, len(y))
				for i, v := range y {
					labels[i] = (v + 1) % 10
				}
			}
			var broken [2][]bool
			var rows [2]int
			for s, stop := range []bool{false, true} {
				ce, err := NewCrossEntropy(net, batch)
				if err != nil {
					t.Fatal(err)
				}
				obj := &countingCE[T]{LogitObjective: ce}
				a := &PGD[T]{Objective: obj, Norm: tc.norm, Epsilon: tc.eps, Steps: 20, Restarts: tc.restarts,
					Targeted: tc.targeted, Seed: 5, StopOnSuccess: stop}
				dst := make([]T, len(x))
				for b := 0; b < len(labels); b += batch {
					if err := a.Perturb(dst[b*in:(b+batch)*in], x[b*in:(b+batch)*in], labels[b:b+batch], batch); err != nil {
						t.Fatal(err)
					}
				}
				checkBall(t, "PGD", dst, x, slices.Clone(x), in, tc.eps, tc.norm, 1e-5)
				tp, err := net.NewTape(len(labels))
				if err != nil {
					t.Fatal(err)
				}
				z, err := tp.Forward(dst)
				if err != nil {
					t.Fatal(err)
				}
				for i, l := range labels {
					hit := numeric.Argmax(z[i*10:(i+1)*10]) == l
					broken[s] = append(broken[s], hit == tc.targeted)
				}
				rows[s] = obj.rows
			}
			if !slices.Equal(broken[0], broken[1]) {
				t.Errorf("StopOnSuccess broke other samples than the full attack")
			}
			n := 0
			for _, b := range broken[0] {
				if b {
					n++
				}
			}
			if n == 0 || n == len(labels) {
				t.Fatalf("%d of %d samples broken: the test needs some of each", n, len(labels))
			}
			if rows[1] >= rows[0] {
				t.Errorf("StopOnSuccess took %d gradient rows, the full attack %d: want fewer", rows[1], rows[0])
			}
			t.Logf("%d of %d broken; gradient rows %d with StopOnSuccess, %d without", n, len(labels), rows[1], rows[0])
		})
	}
}

func TestPGDStopOnSuccessWithLastIterate(t *testing.T) {
	net, x, y := tenClass[float64](t)
	ce, err := NewCrossEntropy(net, 10)
	if err != nil {
		t.Fatal(err)
	}
	a := &PGD[float64]{Objective: ce, Epsilon: 0.1, StopOnSuccess: true, LastIterate: true}
	if err := a.Perturb(make([]float64, 640), x[:640], y[:10], 10); err == nil {
		t.Error("StopOnSuccess with LastIterate: no error")
	}
}

// Sweep takes one gradient for every radius; its inputs must equal
// Perturb's, radius by radius, bit for bit (the same gradient and the same
// step), untargeted and targeted.
func TestFGSMSweepEqualsPerturb(t *testing.T) {
	net, x, y := tenClass[float32](t)
	const in, n = 64, 200
	x, y = x[:n*in], y[:n]
	eps := []float64{0, 0.025, 0.1, 0.3, 1}
	for _, targeted := range []bool{false, true} {
		ce, err := NewCrossEntropy(net, n)
		if err != nil {
			t.Fatal(err)
		}
		sweep := &FGSM[float32]{Objective: ce, Targeted: targeted}
		one := &FGSM[float32]{Objective: ce, Targeted: targeted}
		want := make([]float32, n*in)
		calls := 0
		err = sweep.Sweep(make([]float32, n*in), eps, x, y, n, func(k int, adv []float32) error {
			calls++
			one.Epsilon = eps[k]
			if err := one.Perturb(want, x, y, n); err != nil {
				return err
			}
			if !slices.Equal(adv, want) {
				t.Errorf("targeted=%v ε=%g: Sweep's inputs differ from Perturb's", targeted, eps[k])
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if calls != len(eps) {
			t.Errorf("targeted=%v: each called %d times, want %d", targeted, calls, len(eps))
		}
	}
	ce, _ := NewCrossEntropy(net, n)
	if err := (&FGSM[float32]{Objective: ce}).Sweep(make([]float32, n*in), []float64{0.1, 2}, x, y, n, func(int, []float32) error { return nil }); err == nil {
		t.Error("Sweep with ε = 2: no error")
	}
}
