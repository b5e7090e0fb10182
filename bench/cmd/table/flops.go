package main

import "fmt"

// # Useful flops
//
// The roofline columns count the floating-point operations of the matrix
// products a row needs, per sample; the element-wise work (bias, ReLU,
// softmax, the PGD step and projection, Adam) is O(width) per sample against
// the products' O(width²) and is left out. A dense layer nᵢₙ→nₒᵤₜ costs, per
// sample, 2·nᵢₙ·nₒᵤₜ flops (a multiply and an add per weight) forward,
// z = x·W; as much for the input gradient ∂L/∂x = ∂L/∂z·Wᵀ; and as much for
// the weight gradient ∂L/∂W = xᵀ·∂L/∂z. For the network in→w→w→c (in = 784,
// c = 10) write
//
//	F  = 2·(in·w + w·w + w·c)   one forward pass,
//	F₁ = 2·in·w                 the first layer's share of F,
//	H  = 2·w·c                  the output layer's share (one head's).
//
// A gradient with respect to the input, what an attack step needs, is a
// forward pass and every layer's input gradient: 2F. A training step is a
// forward pass, every weight gradient (F) and the input gradient of every
// layer but the first, whose input is the data: 3F − F₁. (Go's Tape.Backward
// without dx, and PyTorch on an input without requires_grad, skip that
// product.) So, rows (a)-(f):
//
//	(a) inference                F
//	(b) training step            3F − F₁
//	(c) FGSM training step       2F + (3F − F₁)
//	(d) PGD-10 training step     10·2F + (3F − F₁)
//	(e) hard training step       10·2·(F − H + K·H) + (3F − F₁)
//	(f) PGD-20 evaluation        20·2F + F
//
// In (e) each PGD step runs through the hidden layers and K heads of width
// w→c in place of the output layer (K = 8). In (f) every iterate
// x⁰ … x²⁰ is scored to keep each sample's best: the gradient of x⁰ … x¹⁹
// gives their loss, x²⁰ takes one more forward pass.
//
// At w = 256: F = 537,600, F₁ = 401,408, H = 5,120, so the rows count
// 537,600; 1,211,392; 2,286,592; 11,963,392; 12,680,192 and 22,041,600
// flops per sample.
const (
	inputs  = 784
	classes = 10
	heads   = 8
)

// flopsPerSample returns the useful flops per sample of row (a key of rows)
// for hidden width w, by the counts above.
func flopsPerSample(row string, w int) (float64, error) {
	f := 2 * float64(inputs*w+w*w+w*classes)
	f1 := 2 * float64(inputs*w)
	h := 2 * float64(w*classes)
	train := 3*f - f1
	switch row {
	case "a_inference":
		return f, nil
	case "b_train":
		return train, nil
	case "c_fgsm_train":
		return 2*f + train, nil
	case "d_pgd10_train":
		return 10*2*f + train, nil
	case "e_hard_train":
		return 10*2*(f-h+heads*h) + train, nil
	case "f_pgd20_eval":
		return 20*2*f + f, nil
	}
	return 0, fmt.Errorf("no flop count for row %q", row)
}

// gemm is one product of the peak measurement, C = op(A)·op(B) with op(A)
// m×k and op(B) k×n: 2·m·n·k flops.
type gemm struct {
	name    string
	m, n, k int
}

// gemms are the products of a training step of the 784→256→256→10 network
// at batch 128 (forward X·W, input gradient ∂Z·Wᵀ, weight gradient Xᵀ·∂Z),
// the hard step's K = 8 heads as one 256→80 layer, and a large square,
// named as lib/internal/linalg's benchmarks and torch_bench.py's gemm rows.
var gemms = []gemm{
	{"Fwd784x256", 128, 256, 784},
	{"Fwd256x256", 128, 256, 256},
	{"Fwd256x10", 128, 10, 256},
	{"BwdX10x256", 128, 256, 10},
	{"BwdX256x256", 128, 256, 256},
	{"BwdX256x784", 128, 784, 256},
	{"BwdW784x256", 784, 256, 128},
	{"BwdW256x256", 256, 256, 128},
	{"BwdW256x10", 256, 10, 128},
	{"Fwd256x80", 128, 80, 256},
	{"BwdX80x256", 128, 256, 80},
	{"Square2048", 2048, 2048, 2048},
}

// label writes the product as m×k·k×n.
func (g gemm) label() string { return fmt.Sprintf("%d×%d·%d×%d", g.m, g.k, g.k, g.n) }
