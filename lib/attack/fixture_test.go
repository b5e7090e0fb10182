package attack

import (
	"testing"

	"pointwise/lib/mlp"
)

// tenClass returns a 64→64→64→10 ReLU network trained for a few epochs on
// a 10-class blobs problem in [0, 1]^64 (8×8 "images", σ = 0.25), and 500
// held-out samples. Training takes well under a second.
func tenClass[T mlp.Float](t testing.TB) (*mlp.Network[T], []T, []int) {
	t.Helper()
	const d, classes = 64, 10
	rnd := newRand(11)
	centres := blobCentres(rnd, classes, d)
	x, y := blobs[T](rnd, centres, 3000, 0.25)
	net := randomNet[T](t, []int{d, 64, 64, classes}, mlp.ReLU, 12)
	tr := mlp.Trainer[T]{Optimizer: &mlp.Adam[T]{}, Epochs: 10, BatchSize: 50, Seed: 13}
	if _, err := tr.Train(net, x, y); err != nil {
		t.Fatal(err)
	}
	xt, yt := blobs[T](rnd, centres, 500, 0.25)
	return net, xt, yt
}
