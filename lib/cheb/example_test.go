package cheb_test

import (
	"fmt"
	"log"
	"math"

	"pointwise/lib/cheb"
)

func ExampleChebyshevPoints() {
	// The 5 roots of T_5, cos((2j+1)π/10), in increasing order.
	x, err := cheb.ChebyshevPoints(nil, 5, cheb.Domain{})
	if err != nil {
		log.Fatal(err)
	}
	for _, v := range x {
		fmt.Printf("%.4f\n", v)
	}
	// Output:
	// -0.9511
	// -0.5878
	// 0.0000
	// 0.5878
	// 0.9511
}

func ExampleInterpolate() {
	// Runge's function, interpolated at 41 Chebyshev points (degree 40):
	// the maximum error is 2.8946179e-4 (30-50 digit arithmetic). Through 41
	// equispaced points the interpolant diverges near ±1.
	runge := func(x float64) float64 { return 1 / (1 + 25*x*x) }
	for _, kind := range []cheb.GridKind{cheb.Chebyshev, cheb.Equispaced} {
		p, err := cheb.Interpolate(kind, 41, cheb.Domain{}, runge)
		if err != nil {
			log.Fatal(err)
		}
		sup, _, err := cheb.MaxError(p.Predict, runge, cheb.Domain{}, 801)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%-10s max error %.4g\n", kind, sup)
	}
	// Output:
	// chebyshev  max error 0.0002895
	// equispaced max error 1.047e+05
}

func ExampleFit() {
	// Least squares of degree 2 through 5 samples of 1 + 2x + 3x² recovers
	// its Chebyshev coefficients: x² = (T_0 + T_2)/2, so the polynomial is
	// 2.5 T_0 + 2 T_1 + 1.5 T_2.
	x := []float64{-1, -0.4, 0.1, 0.6, 1}
	y := make([]float64, len(x))
	for i, v := range x {
		y[i] = 1 + 2*v + 3*v*v
	}
	s, err := cheb.Fit(x, y, 2, cheb.Domain{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%.4f\n", s.Coeffs)
	fmt.Printf("p(0.5) = %.4f, p'(0.5) = %.4f\n", s.Predict(0.5), s.PredictDerivative(0.5))
	// Output:
	// [2.5000 2.0000 1.5000]
	// p(0.5) = 2.7500, p'(0.5) = 5.0000
}

func ExampleLebesgueConstant() {
	// Λ for 11 points (degree 10) is 2.4894303769 for the Chebyshev points
	// (Rivlin's closed form, attained at ±1) and 29.899955 for equispaced ones.
	for _, kind := range []cheb.GridKind{cheb.Chebyshev, cheb.Equispaced} {
		x, err := cheb.Grid(kind, 11, cheb.Domain{}, nil)
		if err != nil {
			log.Fatal(err)
		}
		l, _, err := cheb.LebesgueConstant(x, cheb.Domain{})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%-10s %.6f\n", kind, l)
	}
	// Output:
	// chebyshev  2.489430
	// equispaced 29.899955
}

func ExampleSeries() {
	// T_3 on [0, 2]: at x = 1.8, t = 0.8 and T_3(0.8) = 4(0.8)³ - 3(0.8)
	// = -0.352; d/dx = T_3'(0.8)·2/(b-a) = 12(0.8)² - 3 = 4.68.
	s := cheb.Series{Coeffs: []float64{0, 0, 0, 1}, Domain: cheb.Domain{A: 0, B: 2}}
	fmt.Printf("%.4f %.4f\n", s.Predict(1.8), s.PredictDerivative(1.8))
	// Output:
	// -0.3520 4.6800
}

func ExampleBasis() {
	// The feature map of degree 3 at x = 0.5: T_k(0.5) = 1, 0.5, -0.5, -1.
	b := cheb.Basis{Degree: 3}
	fmt.Println(b.Features(nil, []float64{0.5}))
	fmt.Println(math.Round(b.FeatureGradient(nil, []float64{0.5})[3])) // T_3'(0.5) = 12/4 - 3 = 0
	// Output:
	// [1 0.5 -0.5 -1]
	// 0
}

func ExampleSampleComplexity() {
	// fig3 in small: 20 draws, m <= 48. The Chebyshev grid reaches every
	// ε; the equispaced grid none (its error grows with m).
	res, err := cheb.SampleComplexity{
		Grids:     []cheb.GridKind{cheb.Equispaced, cheb.Chebyshev},
		MaxPoints: 48,
		Draws:     20,
		Epsilons:  []float64{1e-1, 1e-3},
	}.Run()
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range res.Samples {
		fmt.Println(s.Grid, s.Epsilon, s.Reached)
	}
	// Output:
	// equispaced 0.1 false
	// equispaced 0.001 false
	// chebyshev 0.1 true
	// chebyshev 0.001 true
}
