#!/usr/bin/env bash
# The body of `make crosscheck` (see README.md beside this file): the Go side
# (cmd/gorows, networks through Figure 6's cache), then the PyTorch side
# (train.py, JOBS runs at once), then the table (cmd/table), written with
# both sides' runs to DIR. Settings come from the environment, as the
# Makefile passes them:
#   GO       the Go command (go)
#   PYTHON   an interpreter with PyTorch (.cache/torch-venv/bin/python)
#   DIR      where the CSVs and table.txt go (out/crosscheck)
#   CACHE    Go's cache folder: Figure 6's (out/cache)
#   QUICK    non-empty for the smoke test (-quick on both sides)
#   SEEDS    training seeds, space- or comma-separated (1 2 3)
#   DATA     data sets (mnist fashion-mnist)
#   JOBS     PyTorch runs at once (2)
#   THREADS  torch.set_num_threads of each PyTorch run (1)
set -euo pipefail
GO=${GO:-go} PYTHON=${PYTHON:-.cache/torch-venv/bin/python} DIR=${DIR:-out/crosscheck} CACHE=${CACHE:-out/cache}
SEEDS=${SEEDS:-1 2 3} DATA=${DATA:-mnist fashion-mnist} JOBS=${JOBS:-2} THREADS=${THREADS:-1}
flags=${QUICK:+-quick}
seeds=${SEEDS//,/ }

if ! "$PYTHON" -c 'import torch' 2>/dev/null; then
	echo "crosscheck: $PYTHON cannot import torch: make the bench's PyTorch venv first (bench/requirements-torch.txt), or point CROSSCHECK_PYTHON= at an interpreter with PyTorch" >&2
	exit 1
fi
start=$(date +%s)
mkdir -p "$DIR"
rm -rf "$DIR/pytorch" "$DIR/go.csv" "$DIR/pytorch.csv" "$DIR/table.txt" "$DIR/table.csv"
mkdir -p "$DIR/pytorch"

echo "crosscheck: Go side: seeds $seeds of $DATA${QUICK:+ (quick)}, networks from $CACHE (trained there if missing)"
"$GO" build -o "$DIR/bin/" ./crosscheck/cmd/gorows ./crosscheck/cmd/table
"$DIR/bin/gorows" $flags -dataset "$(echo $DATA | tr ' ' ,)" -seeds "$seeds" -cache "$CACHE" -header >"$DIR/go.csv.tmp"
mv "$DIR/go.csv.tmp" "$DIR/go.csv"
gosec=$(( $(date +%s) - start ))
echo "crosscheck: Go side done in $gosec s"

# One line per PyTorch run, the longest trainings first so that the last
# runs of the JOBS slots end together: data set, its folder (where lib/dataset
# found it, so both sides read the same files), training, seed.
jobs=$(for m in hard pgd standard; do
	for d in $DATA; do
		dd=$("$DIR/bin/gorows" -datadir "$d")
		for s in $seeds; do echo "$d $dd $m $s"; done
	done
done)
echo "crosscheck: PyTorch side: $(echo "$jobs" | wc -l) runs, $JOBS at once, $THREADS thread(s) each"
export PYTHON DIR THREADS flags
echo "$jobs" | xargs -P "$JOBS" -L 1 bash -c '
	out="$DIR/pytorch/$0-$2-$3.csv"
	"$PYTHON" crosscheck/train.py $flags -dataset "$0" -data "$1" -method "$2" -seed "$3" -threads "$THREADS" >"$out.tmp" &&
		mv "$out.tmp" "$out" && cat "$out" >&2'
{ head -n 1 "$DIR/go.csv"; cat "$DIR"/pytorch/*.csv; } >"$DIR/pytorch.csv" # one header: Go's
echo "crosscheck: PyTorch side done in $(( $(date +%s) - start - gosec )) s"

"$DIR/bin/table" -out "$DIR" -wall $(( $(date +%s) - start )) "$DIR/go.csv" "$DIR/pytorch.csv"
echo "crosscheck: written to $DIR (go.csv, pytorch.csv, table.txt, table.csv)"
