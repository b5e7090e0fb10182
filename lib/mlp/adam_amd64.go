//go:build !purego

package mlp

// adamConsts are the scalars of an Adam step, in adamStep4's order.
type adamConsts struct{ step, rc2, b1, b2, c1, c2, eps, wd float32 }

//go:noescape
func adamStep4(params, grad, m1, m2 *float32, n int, k *adamConsts)

// adamVector updates the longest prefix of the parameters whose length is a
// multiple of 4 with adamStep4 and returns its length.
func adamVector(params, g, m, v []float32, k *adamConsts) int {
	n := len(params) &^ 3
	if n == 0 {
		return 0
	}
	_, _, _ = g[n-1], m[n-1], v[n-1]
	adamStep4(&params[0], &g[0], &m[0], &v[0], n, k)
	return n
}
