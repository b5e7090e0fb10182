package cheb_test

import (
	"fmt"
	"log"

	"pointwise/lib/cheb"
)

func ExampleNewInterpolationCurve() {
	// Figure 2 at n = 33: on equispaced points the interpolant of Runge's
	// function diverges near ±1 but converges in the middle; on Chebyshev
	// points its error is small everywhere.
	runge := func(x float64) float64 { return 1 / (1 + 25*x*x) }
	x, err := cheb.EquispacedPoints(nil, 2001, cheb.Domain{})
	if err != nil {
		log.Fatal(err)
	}
	for _, kind := range []cheb.GridKind{cheb.Equispaced, cheb.Chebyshev} {
		c, err := cheb.NewInterpolationCurve(kind, 33, cheb.Domain{}, runge, x)
		if err != nil {
			log.Fatal(err)
		}
		all, _ := c.SupError(cheb.Domain{})
		middle, _ := c.SupError(cheb.Domain{A: -0.5, B: 0.5})
		fmt.Printf("%-10s max error %.3g on [-1, 1], %.3g on [-0.5, 0.5]\n", kind, all, middle)
	}
	// Output:
	// equispaced max error 5.06e+03 on [-1, 1], 0.00206 on [-0.5, 0.5]
	// chebyshev  max error 0.0014 on [-1, 1], 0.0014 on [-0.5, 0.5]
}
