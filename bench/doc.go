// Package bench measures the speed of pointwise's network code against
// PyTorch on the same CPU: six rows, (a) inference, (b)-(e) training steps
// (plain, FGSM, PGD-10, hard) and (f) PGD-20, for the fig6 classifier
// (784→256→256→10 ReLU, float32, batch 128), and a sweep of rows (b) and
// (f) over hidden width (256, 512, 1024) and batch (128, 512, 2048). The Go
// side is the benchmarks in bench_test.go (BenchmarkTrainStep and the others
// for the rows, BenchmarkTrainStepSweep/w=512/b=2048 and
// BenchmarkPGD20EvalSweep/... for the sweep); torch_bench.py is the PyTorch
// side, written as PyTorch users write it, eager or through torch.compile;
// cmd/table assembles both into tables and out/bench.csv.
//
// # Configurations
//
// Go runs on gonum's pure-Go BLAS, on OpenBLAS single-threaded with Go
// splitting each large product over the cores (openblas, what the Makefile
// selects) and on OpenBLAS's own threads (openblas-threads). PyTorch runs
// from Debian's python3-torch (1.13, multiplying in OpenBLAS) and from PyPI
// (2.x in .cache/torch-venv, pinned in requirements-torch.txt, multiplying in
// MKL and oneDNN), eager and compiled (PyTorch 2.x), each after
// torch.set_num_threads(1) and (2).
//
// # Roofline
//
// Each row's useful GFLOP/s are its samples/s times the flops of the matrix
// products one sample needs; with F = 2·(784·w + w·w + 10·w) the flops of a
// forward pass and F₁ = 2·784·w the first layer's share, a training step
// counts 3F − F₁, an attack gradient 2F (cmd/table/flops.go derives every
// row). The peak they are compared with is measured in the same run: the
// GFLOP/s of the products of a training step at batch 128 and of a
// 2048×2048·2048×2048 product, in Go through lib/internal/linalg (its
// BenchmarkFwd784x256 ... BenchmarkSquare2048) and in PyTorch 2.x's
// torch.mm on 2 threads; the largest median is the peak.
//
// Run everything with `make bench` (BENCH_ROUNDS, BENCH_TIME and the other
// settings are described in the Makefile).
package bench
