package numeric

// GoldenMax maximises f on [lo, hi] by golden-section search (Kiefer 1953):
// each step keeps the part of the bracket holding the larger of the two
// probes and moves one probe by the ratio 1/φ = (√5 − 1)/2. It stops when
// hi − lo ≤ tol or after maxIter steps, whichever comes first, and returns
// the better of the two final probes (the left one on a tie) and f there.
func GoldenMax(f func(float64) float64, lo, hi, tol float64, maxIter int) (xmax, fmax float64) {
	const invPhi = 0.6180339887498949 // (√5 − 1)/2
	x1, x2 := hi-invPhi*(hi-lo), lo+invPhi*(hi-lo)
	f1, f2 := f(x1), f(x2)
	for it := 0; it < maxIter && hi-lo > tol; it++ {
		if f1 >= f2 {
			hi, x2, f2 = x2, x1, f1
			x1 = hi - invPhi*(hi-lo)
			f1 = f(x1)
		} else {
			lo, x1, f1 = x1, x2, f2
			x2 = lo + invPhi*(hi-lo)
			f2 = f(x2)
		}
	}
	if f1 >= f2 {
		return x1, f1
	}
	return x2, f2
}
