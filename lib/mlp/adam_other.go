//go:build !amd64 || purego

package mlp

type adamConsts struct{ step, rc2, b1, b2, c1, c2, eps, wd float32 }

// adamVector updates no parameter: the scalar loop does them all.
func adamVector(params, g, m, v []float32, k *adamConsts) int { return 0 }
