package cheb

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// RandomSeries is a Gaussian distribution on Chebyshev series: a draw is
// h = Σ_{k=0}^{D} c_k T_k on Domain with independent c_k ~ N(0, s_k²),
// s_k = StdDev[k]. It is the hypothesis distribution H of fig3 and fig4.
type RandomSeries struct {
	// StdDev holds s_0, ..., s_D; D = len(StdDev)-1. Entries must be finite
	// and >= 0 (a zero entry pins c_k to 0).
	StdDev []float64

	// Domain is the interval of the drawn series; zero means [-1, 1].
	Domain Domain
}

// GeometricSeries returns the distribution with s_k = ρ^k for k = 0..D
// (fig3: ρ = 0.8, D = 80, our choice; ρ^D ≈ 2e-8). A draw is analytic
// inside the Bernstein ellipse of parameter 1/ρ. It returns an error
// unless ρ > 0 is finite and D >= 0.
func GeometricSeries(rho float64, degree int, dom Domain) (RandomSeries, error) {
	return TailSeries(rho, -1, degree, dom)
}

// TailSeries returns the distribution with s_k = ρ^(k-d-1) for d < k <= D
// and s_k = 0 for k <= d (fig4: ρ = 0.5, D = 2d, our choice): the
// components of degree <= d, which a degree-d fit learns exactly, are
// absent. d = -1 gives GeometricSeries. It returns an error unless ρ > 0 is
// finite, d >= -1 and D >= max(d, 0).
func TailSeries(rho float64, d, degree int, dom Domain) (RandomSeries, error) {
	if err := dom.Validate(); err != nil {
		return RandomSeries{}, err
	}
	if !(rho > 0) || math.IsInf(rho, 0) {
		return RandomSeries{}, fmt.Errorf("cheb: decay ρ = %g out of range: need finite ρ > 0", rho)
	}
	if d < -1 {
		return RandomSeries{}, fmt.Errorf("cheb: fitted degree d = %d out of range: need d >= -1", d)
	}
	if degree < max(d, 0) || degree >= MaxN {
		return RandomSeries{}, fmt.Errorf("cheb: series degree D = %d out of range: need D >= max(d, 0) = %d and D+1 <= %d (MaxN)", degree, max(d, 0), MaxN)
	}
	s := make([]float64, degree+1)
	for k := d + 1; k <= degree; k++ {
		s[k] = math.Pow(rho, float64(k-d-1))
	}
	return RandomSeries{StdDev: s, Domain: dom}, nil
}

// Degree returns D = len(StdDev)-1.
func (r RandomSeries) Degree() int { return len(r.StdDev) - 1 }

// Validate returns an error if StdDev is empty or has an entry that is
// negative, NaN or infinite, or if Domain is invalid.
func (r RandomSeries) Validate() error {
	if len(r.StdDev) == 0 {
		return fmt.Errorf("cheb: len(StdDev) = 0: need standard deviations s_0..s_D")
	}
	if len(r.StdDev) > MaxN {
		return fmt.Errorf("cheb: len(StdDev) = %d out of range: need D+1 <= %d (MaxN)", len(r.StdDev), MaxN)
	}
	for k, s := range r.StdDev {
		if !(s >= 0) || math.IsInf(s, 0) {
			return fmt.Errorf("cheb: StdDev[%d] = %g out of range: need finite s_k >= 0", k, s)
		}
	}
	return r.Domain.Validate()
}

// Variances stores the variances Var c_k = s_k² in dst and returns it; a nil
// dst is allocated. It panics if dst is non-nil and len(dst) != D+1. The
// covariance of the coefficients is diag(Variances), which gives closed
// forms such as E h(x)² = Σ s_k² T_k(x)².
func (r RandomSeries) Variances(dst []float64) []float64 {
	dst = reuse(dst, len(r.StdDev))
	for k, s := range r.StdDev {
		dst[k] = s * s
	}
	return dst
}

// Rand draws a series h = Σ c_k T_k with c_k = s_k z_k, z_k ~ N(0, 1) from
// rng (nil means the global math/rand/v2 source). The coefficients are
// stored in dst, allocated if nil, and the returned Series shares dst. It
// returns an error if the distribution is invalid or len(dst) != D+1.
func (r RandomSeries) Rand(dst []float64, rng *rand.Rand) (Series, error) {
	if err := r.Validate(); err != nil {
		return Series{}, err
	}
	if dst != nil && len(dst) != len(r.StdDev) {
		return Series{}, fmt.Errorf("cheb: len(dst) = %d: need D+1 = %d (or nil)", len(dst), len(r.StdDev))
	}
	dst = reuse(dst, len(r.StdDev))
	for k, s := range r.StdDev {
		var z float64
		if rng == nil {
			z = rand.NormFloat64()
		} else {
			z = rng.NormFloat64()
		}
		dst[k] = s * z
	}
	return Series{Coeffs: dst, Domain: r.Domain}, nil
}
