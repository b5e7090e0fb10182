// Package bench measures the speed of pointwise's network code against
// PyTorch on the same CPU: six rows, (a) inference, (b)-(e) training steps
// (plain, FGSM, PGD-10, hard) and (f) PGD-20, for the fig6 classifier
// (784→256→256→10 ReLU, float32, batch 128). The Go side is the benchmarks in
// bench_test.go; torch_bench.py is the PyTorch side, written as PyTorch users
// write it; cmd/table assembles both into a table and out/bench.csv.
//
// Run everything with `make bench`.
package bench
