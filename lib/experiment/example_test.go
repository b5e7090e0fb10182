package experiment_test

import (
	"fmt"
	"log"

	"pointwise/lib/cheb"
	"pointwise/lib/experiment"
	"pointwise/lib/objective"
)

func ExampleChebyshevProblem() {
	// Figure 4 at d = 8: the hard objective J_H of the least-squares fit has
	// d+2 = 10 local maxima, each about 0.02 or less from a Chebyshev–Lobatto
	// point of degree d+1; so have the minima of eq. 1's g, with the boundary.
	p := experiment.ChebyshevProblem{Degree: 8, Rho: 0.5}
	lobatto, err := cheb.LobattoPoints(nil, 10, cheb.Domain{})
	if err != nil {
		log.Fatal(err)
	}
	for _, method := range []struct {
		name   string
		points func() ([]float64, error)
	}{{"hard maxima", p.HardMaxima}, {"optimal points", p.Optimal}} {
		x, err := method.points()
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s: %d, at most %.3f from the Lobatto grid\n", method.name, len(x), objective.SetDistance(x, lobatto))
	}
	// Output:
	// hard maxima: 10, at most 0.019 from the Lobatto grid
	// optimal points: 10, at most 0.020 from the Lobatto grid
}
