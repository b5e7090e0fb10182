package cheb

import "fmt"

// T returns the Chebyshev polynomial of the first kind T_n(x), computed by the
// three-term recurrence
//
//	T_0 = 1, T_1 = x, T_{k+1}(x) = 2x T_k(x) - T_{k-1}(x),
//
// which is stable for |x| <= 1, where T_n(cos θ) = cos(nθ). Since
// cos(-nθ) = cos(nθ), T_{-n} = T_n and negative n is allowed.
func T(n int, x float64) float64 {
	if n < 0 {
		n = -n
	}
	if n == 0 {
		return 1
	}
	t0, t1 := 1.0, x
	for k := 1; k < n; k++ {
		t0, t1 = t1, 2*x*t1-t0
	}
	return t1
}

// TDerivative returns T_n'(x) = n U_{n-1}(x), where the Chebyshev
// polynomials of the second kind follow U_{-1} = 0, U_0 = 1,
// U_{k+1}(x) = 2x U_k(x) - U_{k-1}(x). At the end points
// T_n'(±1) = (±1)^(n+1) n². Negative n gives the derivative of T_{-n} = T_n.
func TDerivative(n int, x float64) float64 {
	if n < 0 {
		n = -n
	}
	if n == 0 {
		return 0
	}
	u0, u1 := 0.0, 1.0 // U_{-1}, U_0
	for k := 1; k < n; k++ {
		u0, u1 = u1, 2*x*u1-u0
	}
	return float64(n) * u1
}

// Clenshaw returns the Chebyshev series Σ_{k=0}^{n} c_k T_k(x) at a point x of
// [-1, 1] by Clenshaw's recurrence (Clenshaw 1955; Mason and Handscomb §2.4.1)
//
//	b_k = c_k + 2x b_{k+1} - b_{k+2},  b_{n+1} = b_{n+2} = 0,
//	p(x) = c_0 + x b_1 - b_2,
//
// in O(n) operations and without forming T_k. An empty c gives 0.
func Clenshaw(c []float64, x float64) float64 {
	n := len(c) - 1
	if n < 0 {
		return 0
	}
	var b1, b2 float64
	x2 := 2 * x
	for k := n; k >= 1; k-- {
		b1, b2 = c[k]+x2*b1-b2, b1
	}
	return c[0] + x*b1 - b2
}

// clenshawDerivative returns p(x) = Σ c_k T_k(x) and p'(x), differentiating
// Clenshaw's recurrence term by term:
//
//	d_k = 2 b_{k+1} + 2x d_{k+1} - d_{k+2},  p'(x) = b_1 + x d_1 - d_2.
func clenshawDerivative(c []float64, x float64) (p, dp float64) {
	n := len(c) - 1
	if n < 0 {
		return 0, 0
	}
	var b1, b2, d1, d2 float64
	x2 := 2 * x
	for k := n; k >= 1; k-- {
		d1, d2 = 2*b1+x2*d1-d2, d1
		b1, b2 = c[k]+x2*b1-b2, b1
	}
	return c[0] + x*b1 - b2, b1 + x*d1 - d2
}

// DerivativeCoefficients returns the Chebyshev coefficients d_0, ..., d_{n-1}
// of p' where p = Σ_{k=0}^{n} c_k T_k on [-1, 1], by the backward recurrence
// (Mason and Handscomb eq. 2.48; numpy.polynomial.chebyshev.chebder)
//
//	d_n = d_{n+1} = 0,  d_{k-1} = d_{k+1} + 2k c_k  (k = n, ..., 1),
//
// followed by halving d_0. For a series on [a, b] multiply by
// Domain.Scale, or use Series.Derivative. A constant or empty c gives [0].
// The result has length max(len(c)-1, 1); DerivativeCoefficients panics if
// dst is non-nil with another length.
func DerivativeCoefficients(dst, c []float64) []float64 {
	n := len(c) - 1
	size := max(n, 1)
	if dst == nil {
		dst = make([]float64, size)
	} else if len(dst) != size {
		panic(fmt.Sprintf("cheb: len(dst) = %d, need %d for %d coefficients", len(dst), size, len(c)))
	}
	if n < 1 {
		dst[0] = 0
		return dst
	}
	// Run the recurrence in scalars so that dst may alias c.
	var dk1, dk2 float64 // d_k, d_{k+1}
	out := make([]float64, n)
	for k := n; k >= 1; k-- {
		dkm1 := dk2 + 2*float64(k)*c[k]
		out[k-1] = dkm1
		dk1, dk2 = dkm1, dk1
	}
	out[0] /= 2
	copy(dst, out)
	return dst
}
