package objective

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// The class h = θ₂T₂ with θ₂ ~ N(0, 1), fitted by the line through (±1, h(±1)):
// ĥ = θ₂, so e = θ₂(1 − T₂(x)) = 2θ₂(1 − x²), J_H(x) = 4(1 − x²)² and
// E‖∇e(x)‖² = 16x².
func ExampleLinearGaussian() {
	class := chebMap{2} // [T₀, T₁, T₂]; any FeatureGradienter works.
	dist, err := NewGaussianDiag(class, []float64{0, 0, 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	x := mat.NewDense(2, 1, []float64{-1, 1})
	fit, err := LeastSquares{Map: chebMap{1}}.LinearMap(class, x)
	if err != nil {
		fmt.Println(err)
		return
	}
	lg, err := NewLinearGaussian(fit, dist)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range []float64{0, 0.5, 1} {
		p := []float64{s}
		fmt.Printf("x=%.1f  J_H=%.4f  E|∇e|²=%.4f\n", s, lg.Value(p), lg.GradSecondMoment(p))
	}
	// Output:
	// x=0.0  J_H=4.0000  E|∇e|²=0.0000
	// x=0.5  J_H=2.2500  E|∇e|²=4.0000
	// x=1.0  J_H=0.0000  E|∇e|²=16.0000
}

// cos(3πx) on [0, 1] has local maxima at the endpoint 0 (it decreases into
// the interior) and at 2/3.
func ExampleGridSearch_Maxima() {
	f := func(x float64) float64 { return math.Cos(3 * math.Pi * x) }
	xs, err := GridSearch{}.Maxima(f, 0, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, x := range xs {
		fmt.Printf("%.4f\n", x)
	}
	// Output:
	// 0.0000
	// 0.6667
}

// The eq. 1 solver in its critical-point reading on fig4's class
// (d = 8): the local minima of E‖∇e‖ plus the boundary sit near the
// Chebyshev–Lobatto points of degree d+1.
func ExampleOptimal() {
	const d = 8
	dist, fit, err := fig4(d, 2001)
	if err != nil {
		fmt.Println(err)
		return
	}
	lg, err := NewLinearGaussian(fit, dist)
	if err != nil {
		fmt.Println(err)
		return
	}
	opt, err := Optimal(func(s float64) float64 { return lg.GradSecondMoment([]float64{s}) }, -1, 1, GridSearch{})
	if err != nil {
		fmt.Println(err)
		return
	}
	lob := lobatto(d + 1)
	var dist2 float64
	for i := range opt {
		dist2 = math.Max(dist2, math.Abs(opt[i]-lob[i]))
	}
	fmt.Printf("%d points, farthest %.2f from its Lobatto point\n", len(opt), dist2)
	// Output:
	// 10 points, farthest 0.02 from its Lobatto point
}
