#!/usr/bin/env bash
# The measurement loop of `make bench` (the Makefile's bench section sets
# these variables and documents them): ROUNDS rounds, each running every
# configuration once in turn, so that all see the same machine load (the
# sweep and the products in the first SWEEP_ROUNDS rounds only); then
# bench/cmd/table prints the tables and writes $OUT/bench.csv. The raw runs
# stay in $OUT/bench/. A PyTorch that cannot be imported, or a torch_bench.py
# run that fails, leaves its columns blank with the reason as a footnote;
# the Go benchmarks must run.
set -u -o pipefail

GO=${GO:-go}
OUT=${OUT:-out}
BLAS=${BLAS:-gonum}
ROUNDS=${ROUNDS:-5}
TIME=${TIME:-1}
SWEEP_TIME=${SWEEP_TIME:-0.3}
GEMM_TIME=${GEMM_TIME:-0.3}
SWEEP_THREADS=${SWEEP_THREADS:-2}
SWEEP_ROUNDS=${SWEEP_ROUNDS:-3}
TORCH_DEBIAN_PYTHON=${TORCH_DEBIAN_PYTHON:-/usr/bin/python3}
TORCH_PYTHON=${TORCH_PYTHON:-.cache/torch-venv/bin/python}
GOFLAGS_GONUM=${GOFLAGS_GONUM:-}
export TORCHINDUCTOR_CACHE_DIR=${TORCHINDUCTOR_CACHE_DIR:-.cache/torchinductor}

dir=$OUT/bench
start=$(date +%s)
mkdir -p "$dir" || exit 1
rm -f "$dir"/{machine,notes,table,times,gonum,openblas,openblas-threads,sweep-*,gemm-*}.txt "$dir"/torch*.csv "$dir"/torch*.err "$dir"/*.test

# Rows (a)-(f) under their historical names; the sweep's sub-benchmarks.
main_rows='^Benchmark(Inference|TrainStep|FGSMTrainStep|PGD10TrainStep|HardTrainStep|PGD20Eval)$'
sweep_rows='^Benchmark(TrainStep|PGD20Eval)Sweep$'
gemm_rows='^Benchmark(Fwd|Bwd|Square)'

note() { echo "$1" >>"$dir/notes.txt"; echo "bench: $1"; }

{ lscpu | grep -E '^(Model name|CPU\(s\)):'; echo "nproc: $(nproc)"; } | tee "$dir/machine.txt"

# The test binaries, built once: the gonum one without the openblas tag.
echo "bench: building the benchmarks (BLAS=$BLAS)"
GOFLAGS="$GOFLAGS_GONUM" CGO_LDFLAGS= "$GO" test -c -o "$dir/bench-gonum.test" ./bench/ || exit 1
"$GO" test -c -o "$dir/bench-$BLAS.test" ./bench/ || exit 1
"$GO" test -c -o "$dir/linalg-$BLAS.test" ./lib/internal/linalg/ || exit 1
# took label since: the seconds since since, logged to times.txt.
took() { echo "round $i: $1: $(($(date +%s) - $2)) s" >>"$dir/times.txt"; }

gobench() { # binary, rows, seconds, output; the rest is the environment
	local bin=$1 rows=$2 t=$3 out=$4 t0
	shift 4
	t0=$(date +%s)
	env "$@" "$dir/$bin" -test.run '^$' -test.bench "$rows" -test.benchtime "${t}s" -test.benchmem -test.count 1 >>"$dir/$out" || {
		echo "bench: $bin -test.bench '$rows' failed"; tail -n 20 "$dir/$out"; exit 1; }
	took "${out%.txt}${1:+ $1} $rows" "$t0"
}

# The PyTorch installs that import.
torch1=yes
if ! "$TORCH_DEBIAN_PYTHON" -c 'import torch' 2>/dev/null; then
	torch1=
	note "PyTorch 1.x: $TORCH_DEBIAN_PYTHON cannot import torch (Debian's python3-torch: make torch as root, or sudo apt-get install python3-torch)"
fi
torch2=yes
if ! "$TORCH_PYTHON" -c 'import torch' 2>/dev/null; then
	torch2=
	note "PyTorch 2.x: $TORCH_PYTHON cannot import torch (make torch-venv installs bench/requirements-torch.txt; it needs the network and about 6 GB)"
fi
if [ "$BLAS" != openblas ]; then
	note "Go openblas: BLAS=$BLAS: OpenBLAS is not installed (sudo apt-get install libopenblas-dev, or make bench as root)"
fi
if [ -n "$torch2" ]; then
	if [ -n "$(ls -A "$TORCHINDUCTOR_CACHE_DIR" 2>/dev/null)" ]; then
		note "torch.compile: inductor's cache $TORCHINDUCTOR_CACHE_DIR held kernels of an earlier run, so first runs may compile little; delete it to time a cold compile"
	else
		note "torch.compile: inductor's cache $TORCHINDUCTOR_CACHE_DIR was empty, so the first run of each row compiled from scratch"
	fi
fi

# torchbench python file threads mode rows: one torch_bench.py process,
# its lines appended to file; a failure is reported and noted, not fatal.
torchbench() {
	local py=$1 file=$2 threads=$3 mode=$4 rows=$5 label t0
	label="$(basename "$file" .csv) $mode ($threads)"
	t0=$(date +%s)
	if ! "$py" bench/torch_bench.py -count 1 -threads "$threads" -mode "$mode" -rows "$rows" \
		-benchtime "$TIME" -sweeptime "$SWEEP_TIME" -gemmtime "$GEMM_TIME" >>"$dir/$file" 2>>"$dir/${file%.csv}.err"; then
		tail -n 5 "$dir/${file%.csv}.err"
		note "PyTorch: torch_bench.py ($label, rows $rows) failed in round $i; its log: $dir/${file%.csv}.err"
	fi
	took "$label $rows" "$t0"
}

for i in $(seq "$ROUNDS"); do
	echo "bench: round $i of $ROUNDS, load average $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$dir/machine.txt"
	gobench bench-gonum.test "$main_rows" "$TIME" gonum.txt
	if [ "$BLAS" = openblas ]; then
		gobench bench-openblas.test "$main_rows" "$TIME" openblas.txt
		gobench bench-openblas.test "$main_rows" "$TIME" openblas-threads.txt OPENBLAS_NUM_THREADS="$(nproc)"
	fi
	extras=
	[ "$i" -le "$SWEEP_ROUNDS" ] && extras=yes
	if [ -n "$extras" ]; then
		gobench "bench-$BLAS.test" "$sweep_rows" "$SWEEP_TIME" "sweep-$BLAS.txt"
		gobench "linalg-$BLAS.test" "$gemm_rows" "$GEMM_TIME" "gemm-$BLAS.txt"
		if [ "$BLAS" = openblas ]; then
			gobench linalg-openblas.test "$gemm_rows" "$GEMM_TIME" gemm-openblas-threads.txt OPENBLAS_NUM_THREADS="$(nproc)"
		fi
	fi
	if [ -n "$torch1" ]; then
		for t in 2 1; do torchbench "$TORCH_DEBIAN_PYTHON" torch1.csv "$t" eager main; done
		# PyTorch 1.x has no torch.compile: its rows say so, once.
		[ "$i" = 1 ] && torchbench "$TORCH_DEBIAN_PYTHON" torch1.csv 2 compile main
	fi
	if [ -n "$torch2" ]; then
		for mode in eager compile; do
			for t in 2 1; do
				rows=main
				[ -n "$extras" ] && [ "$t" = "$SWEEP_THREADS" ] && rows=$rows,sweep
				[ -n "$extras" ] && [ "$t" = 2 ] && [ "$mode" = eager ] && rows=$rows,gemm
				torchbench "$TORCH_PYTHON" torch2.csv "$t" "$mode" "$rows"
			done
		done
	fi
done

args=(-machine "$dir/machine.txt" -notes "$dir/notes.txt" -ref "$BLAS" -csv "$OUT/bench.csv" -go "gonum=$dir/gonum.txt")
if [ "$BLAS" = openblas ]; then
	args+=(-go "openblas=$dir/openblas.txt" -go "openblas-threads=$dir/openblas-threads.txt")
fi
[ -s "$dir/sweep-$BLAS.txt" ] && args+=(-go "$BLAS=$dir/sweep-$BLAS.txt")
[ -s "$dir/gemm-$BLAS.txt" ] && args+=(-gemm "$BLAS=$dir/gemm-$BLAS.txt")
[ -s "$dir/gemm-openblas-threads.txt" ] && args+=(-gemm "openblas-threads=$dir/gemm-openblas-threads.txt")
for f in torch1.csv torch2.csv; do
	[ -s "$dir/$f" ] && args+=(-torch "$dir/$f")
done
echo
"$GO" run ./bench/cmd/table "${args[@]}" | tee "$dir/table.txt" || exit 1
el=$(($(date +%s) - start))
echo "bench: total $((el / 60)) min $((el % 60)) s for $ROUNDS round(s); each step's seconds in $dir/times.txt" | tee -a "$dir/table.txt"
