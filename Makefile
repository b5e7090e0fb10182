# pointwise: two commands do everything on a fresh machine.
#   make figures   run every notebook headless, write out/figures and out/notebooks
#   make test      go vet, go test, every notebook in quick mode, and the browser tests
#   make lab       JupyterLab on notebooks/ with the project's kernel
#   make assignments  write the students' handout (the module and the student notebooks) to out/assignments
#   make classroom    grade the assignments with nbgrader (three simulated submissions)
# NOTEBOOKS='fig2*' selects notebooks by glob; POINTWISE_QUICK=1 selects quick mode.
# `make help` lists every variable a user can set, with its default.

SHELL       := /bin/bash
GO          ?= go
OUT         ?= out
NOTEBOOKS   ?= *
# Notebooks run two at a time (one keeps about 1.5 of our 2 cores busy); a
# notebook waits for those its metadata lists under pointwise.after.
JOBS        ?= 2
CACHE       := $(CURDIR)/.cache
BIN         := $(CACHE)/bin
JUPYTER_DIR := $(CACHE)/jupyter
# The project's kernel: its own name, so that a user's own "gonb" kernel is
# never replaced.
KERNEL_NAME := gonb-pointwise
KERNEL      := $(JUPYTER_DIR)/kernels/$(KERNEL_NAME)/kernel.json

# The Python tools (JupyterLab, nbconvert, nbclient, Playwright) live in a
# project venv made by PYTHON3 from requirements.txt. PYTHON= points at an
# interpreter of your own that already has them (a conda or pyenv Jupyter);
# then no venv is made.
PYTHON3     ?= python3
VENV        := $(CACHE)/venv
PYTHON      ?= $(VENV)/bin/python
# Debian's Chromium drives the browser tests (Playwright never downloads one).
CHROMIUM    ?= /usr/bin/chromium

# The kernel and its tools come from this folder, and Jupyter looks for
# kernels only here: a user's own Jupyter set-up is never touched.
export PATH             := $(BIN):$(PATH)
export JUPYTER_DATA_DIR := $(JUPYTER_DIR)
export JUPYTER_PATH     := $(JUPYTER_DIR)
export CHROMIUM PYTHON

IS_ROOT := $(shell [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && echo yes)

# The fast path: OpenBLAS through gonum's cgo binding, selected when the
# library is installed (`make figures` and `make test` install libopenblas-dev as root) or
# forced with BLAS=openblas / BLAS=gonum. Both paths pass the same tests.
BLAS ?= $(shell { ldconfig -p || /sbin/ldconfig -p; } 2>/dev/null | grep -q 'libopenblas\.so ' && echo openblas || echo gonum)
ifeq ($(BLAS),openblas)
export GOFLAGS     := $(strip $(filter-out -tags=openblas,$(GOFLAGS)) -tags=openblas)
export CGO_LDFLAGS := $(strip $(filter-out -lopenblas,$(CGO_LDFLAGS)) -lopenblas)
else
export GOFLAGS     := $(strip $(filter-out -tags=openblas,$(GOFLAGS)))
export CGO_LDFLAGS := $(strip $(filter-out -lopenblas,$(CGO_LDFLAGS)))
endif

.PHONY: all figures test tools kernel data openblas vet gotest gotest-purego notebooks-quick run-figures kernel-user clean help assignments gallery gallery-quick browser fuzz fuzz-quick golden golden-update
all: help

help:
	@echo "make figures      execute every notebook headless; figures to out/figures (quick mode: out/quick/figures)"
	@echo "make test         go vet, go test, every notebook in quick mode, goldens, the JupyterLab browser test"
	@echo "make lab          JupyterLab on notebooks/ with the Go (pointwise) kernel (LAB_PORT=$(LAB_PORT))"
	@echo "make kernel-user  install the Go (pointwise) kernel for your own Jupyter/JupyterLab"
	@echo "make assignments  write the students' handout (the module and the student notebooks) to out/assignments"
	@echo "make classroom    grade the assignments with nbgrader (three simulated submissions)"
	@echo "make data         get the data sets of the selected notebooks (Fashion-MNIST: Debian package or download)"
	@echo "make bench        Go beside PyTorch 1.13 (Debian) and 2.15 (PyPI, eager and compiled): samples/s, roofline, sweep"
	@echo "make crosscheck   Figure 6's trainings in PyTorch beside Go's, seeds 1-3 (CROSSCHECK_QUICK=1: a smoke test)"
	@echo ""
	@echo "make variables (default):"
	@echo "  NOTEBOOKS=*            glob of notebook or run names, e.g. 'fig2*', 'fig6a*'"
	@echo "  OUT=out                output folder"
	@echo "  JOBS=2                 notebooks run at once"
	@echo "  PARAMS=                overrides of the notebooks' parameters cells, e.g. PARAMS='Seeds=3 Epochs=2'"
	@echo "  BLAS=openblas|gonum    openblas when libopenblas is installed"
	@echo "  PYTHON3=python3        the interpreter that makes .cache/venv"
	@echo "  PYTHON=.cache/venv/bin/python  an interpreter of your own with requirements.txt installed (no venv then)"
	@echo "  CHROMIUM=/usr/bin/chromium     the browser of the browser tests"
	@echo "  LAB_PORT=8888          port of make lab (on 127.0.0.1)"
	@echo "  GO=go                  the Go command"
	@echo "environment variables (default unset):"
	@echo "  POINTWISE_QUICK=1      quick mode (overrides the parameters cell's Mode)"
	@echo "  POINTWISE_SEEDS=n      training seeds 1..n or a list 1,3 (overrides the parameters cell's Seeds)"
	@echo "  POINTWISE_DATA=dir     where to look first for mnist/ and fashion-mnist/"
	@echo "  POINTWISE_OUT=dir      where notebooks write figures (make sets it to OUT/figures or OUT/quick/figures)"

# Set-up may install OpenBLAS, so the work runs in a second make that sees it.
# make figures needs no browser, and Fashion-MNIST only for the notebooks that
# use it.
figures: tools venv data openblas
	@$(MAKE) --no-print-directory kernel run-figures

# The quick notebooks, whose figures are compared with goldens, run on
# gonum's pure-Go BLAS: its kernels are the same on every x86-64 CPU, so the
# quick figures are too, while OpenBLAS picks CPU-specific kernels that round
# differently (README, Reproducibility). The Go tests run on both paths.
test: tools venv data openblas browser
	@$(MAKE) --no-print-directory kernel vet tidy gotest race gotest-purego fuzz-quick
	@$(MAKE) --no-print-directory BLAS=gonum kernel notebooks-quick golden gallery-quick lab-test classroom-test

# nbrun puts a quick run (POINTWISE_QUICK=1, or PARAMS='Mode=quick') under
# $(OUT)/quick. The gallery (index.html) is written even when a notebook
# failed, so that its checks and logs can be browsed; the run still fails.
QUICKRUN = $(if $(or $(filter-out 0 false no,$(POINTWISE_QUICK)),$(filter Mode=quick Mode="quick",$(PARAMS))),yes)
run-figures:
	@status=0; $(GO) run ./cmd/nbrun -notebooks '$(NOTEBOOKS)' -out '$(OUT)' -python '$(PYTHON)' -jobs $(JOBS) $(foreach p,$(PARAMS),-p '$(p)') || status=$$?; \
	$(GO) run ./cmd/gallery -out '$(OUT)$(if $(QUICKRUN),/quick)' -mode $(if $(QUICKRUN),quick,full) && exit $$status

gallery:
	$(GO) run ./cmd/gallery -out '$(OUT)'

# The gallery of the quick run, checked in a real headless Chromium: it loads,
# every image is displayed, no console error, every link resolves.
gallery-quick:
	$(GO) run ./cmd/gallery -out '$(OUT)/quick' -mode quick
	$(PYTHON) scripts/gallery-test.py '$(OUT)/quick'

# JupyterLab in a real browser: a JupyterLab 4 server from the venv on a free
# loopback port, Debian's Chromium driven by Playwright, every figure notebook
# opened in quick mode and run with Run All; no error output, every figure
# shown, the mode banner, an Explorer's slider redraws its plot. Screenshots
# go to $(OUT)/lab/screenshots/ (OUT must be inside the repository: the
# notebooks find the module by walking up). LAB_NOTEBOOKS='fig2*' for some only.
LAB_NOTEBOOKS ?= fig*
.PHONY: lab-test
lab-test: venv browser kernel
	$(PYTHON) scripts/lab-test.py --notebooks '$(LAB_NOTEBOOKS)' --out '$(OUT)/lab'

# JupyterLab 4 from the venv on notebooks/, with the project's kernel.
LAB_PORT ?= 8888
.PHONY: lab
lab: tools venv kernel
	@echo "lab: JupyterLab on notebooks/ at http://127.0.0.1:$(LAB_PORT)/lab (kernel \"Go (pointwise)\"; Ctrl-C stops it)"
	$(PYTHON) -m jupyter lab --no-browser --ip=127.0.0.1 --port=$(LAB_PORT) --ServerApp.root_dir='$(CURDIR)/notebooks' $(LAB_ARGS)

assignments:
	$(GO) run ./cmd/assign -dir notebooks/assignments -out '$(OUT)/assignments'

vet:
	$(GO) vet ./...
	@bad="$$(gofmt -l $$($(GO) list -f '{{.Dir}}' ./...))"; [ -z "$$bad" ] || { echo "gofmt: these files need gofmt -w:"; echo "$$bad"; exit 1; }

gotest:
	@echo "go test with BLAS=$(BLAS)"
	$(GO) test ./...

# The race detector on the packages that run goroutines (linalg's parallel
# GEMM, experiment's workers) and the training and attack code above them;
# -short skips the long MNIST tests, which gotest runs. lib/cheb and
# lib/dataset are left out: over a minute each under -race.
RACE_PKGS ?= ./lib/internal/... ./lib/mlp ./lib/attack ./lib/adversarial ./lib/experiment ./lib/objective ./lib/cheb
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
	$(GO) run ./cmd/nbrun -quick -notebooks '$(NOTEBOOKS)' -out '$(OUT)' -python '$(PYTHON)' -jobs $(JOBS)

# go.mod lists exactly what the code imports.
.PHONY: tidy
tidy:
	@d=$$($(GO) mod tidy -diff) || { echo "go.mod or go.sum is not tidy: run go mod tidy"; echo "$$d"; exit 1; }

openblas:
	@if { ldconfig -p || /sbin/ldconfig -p; } 2>/dev/null | grep -q 'libopenblas\.so '; then \
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

# The project venv: made once by PYTHON3, re-installed when requirements.txt
# changes. With PYTHON= set to an interpreter of your own, only checked.
.PHONY: venv
ifeq ($(PYTHON),$(VENV)/bin/python)
venv: $(VENV)/.installed
else
venv:
	@$(PYTHON) -c 'import jupyterlab, nbconvert, nbclient, jupyter_client' 2>/dev/null || { \
		echo "venv: PYTHON=$(PYTHON) cannot import jupyterlab, nbconvert, nbclient: pip install -r requirements.txt into it, or leave PYTHON unset for the project venv"; exit 1; }
endif

$(VENV)/.installed: requirements.txt
	@$(PYTHON3) -c 'import sys; sys.exit(sys.version_info < (3, 9))' 2>/dev/null || { \
		echo "venv: need Python 3.9 or newer as PYTHON3 (now: $$($(PYTHON3) --version 2>&1)); set PYTHON3=/path/to/python3"; exit 1; }
	@if [ ! -x $(VENV)/bin/python ]; then \
		echo "venv: making $(VENV) with $$($(PYTHON3) --version 2>&1)"; \
		$(PYTHON3) -m venv $(VENV) || { rm -rf $(VENV); echo "venv: $(PYTHON3) -m venv failed: on Debian/Ubuntu install python3-venv (sudo apt-get install python3-venv), or set PYTHON3 to another Python"; exit 1; }; \
	fi
	@echo "venv: installing requirements.txt into $(VENV) (JupyterLab, nbconvert, nbclient, Playwright)"
	@$(VENV)/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt
	@touch $@

# Installed every time (it takes a moment): the spec holds this clone's paths.
# GoNB installs itself as "gonb"; the spec is moved to the project's name.
kernel: tools venv
	@rm -rf $(JUPYTER_DIR)/kernels/gonb $(JUPYTER_DIR)/kernels/$(KERNEL_NAME)
	@gonb --install --go_work=$(CURDIR) -raw_error >$(CACHE)/kernel-install.log 2>&1 || { cat $(CACHE)/kernel-install.log; exit 1; }
	@mv $(JUPYTER_DIR)/kernels/gonb $(JUPYTER_DIR)/kernels/$(KERNEL_NAME)
	@link=external; $(GO) build -o /dev/null '-ldflags=-w -linkmode=internal' ./crosscheck/cmd/gorows 2>/dev/null && link=internal; \
		KERNEL_LINKMODE=$$link $(PYTHON) scripts/kernel-env.py $(KERNEL) $(BIN)
	@echo "kernel: Go (pointwise) installed in $(JUPYTER_DIR)/kernels/$(KERNEL_NAME) (project-local)"

# For your own Jupyter or JupyterLab: the same kernel in your user's Jupyter
# data folder, as "gonb-pointwise" (display name "Go (pointwise)"), beside,
# never over, a "gonb" kernel you may have. It runs this clone's tools and
# module: re-run it from another clone to point the kernel there.
kernel-user: kernel
	@dst="$$(env -u JUPYTER_DATA_DIR -u JUPYTER_PATH $(PYTHON) -c 'from jupyter_core.paths import jupyter_data_dir; print(jupyter_data_dir())')/kernels/$(KERNEL_NAME)"; \
	mkdir -p "$$dst" && cp -R $(JUPYTER_DIR)/kernels/$(KERNEL_NAME)/. "$$dst/" && echo "kernel-user: Go (pointwise) installed in $$dst"

# Headless Chromium for the browser tests; require.js and MathJax, which the
# gallery copies for nbconvert's pages. Debian packages, installed as root.
browser:
	@if [ -x "$(CHROMIUM)" ] && [ -f /usr/share/javascript/requirejs/require.min.js ] && [ -f /usr/share/javascript/mathjax/MathJax.js ]; then \
		echo "browser: $(CHROMIUM) found"; \
	elif [ "$(IS_ROOT)" = yes ]; then \
		echo "browser: installing Debian's chromium, libjs-requirejs and libjs-mathjax"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium libjs-requirejs libjs-mathjax >/dev/null; \
	else \
		echo "browser: the browser tests need Chromium and the gallery's require.js and MathJax. Install them with:"; \
		echo "    sudo apt-get install -y chromium libjs-requirejs libjs-mathjax"; \
		echo "or point CHROMIUM= at a Chromium or Chrome binary. (make figures and make lab need none of this.)"; \
		exit 1; \
	fi

# The data sets of the selected notebooks (their metadata's pointwise.data).
# MNIST ships in a Go module (pinned in go.mod). Fashion-MNIST: Debian's
# package when root, otherwise a one-time download into .cache/data checked
# against its SHA-256 sums. A data set that cannot be had is reported here
# and its notebooks are skipped by nbrun with the same message; the others run.
data:
	@need="$$($(GO) run ./cmd/nbrun -needs -notebooks '$(NOTEBOOKS)')" || exit 1; \
	for d in $$need; do \
		if [ $$d = fashion-mnist ] && [ "$(IS_ROOT)" = yes ] && [ ! -d /usr/share/datasets/fashion-mnist ] && [ ! -d "$${POINTWISE_DATA:-/nonexistent}/fashion-mnist" ]; then \
			echo "data: installing Debian's dataset-fashion-mnist"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dataset-fashion-mnist >/dev/null; \
		fi; \
		$(GO) run ./cmd/fetchdata $$d || echo "data: $$d is missing: the notebooks that need it will be skipped"; \
	done

clean:
	rm -rf $(OUT)

# make bench: samples/s of the fig6 classifier (784-256-256-10, float32,
# batch 128) in inference, training and adversarial training steps and
# PGD-20, rows (a)-(f), in Go and in PyTorch on the CPU; each row's useful
# GFLOP/s against the machine's peak, measured in the same run on the
# products of a step and a 2048-square product; and a sweep of rows (b) and
# (f) over hidden width (256, 512, 1024) and batch (128, 512, 2048). Go runs
# on gonum's pure-Go BLAS, on OpenBLAS single-threaded with Go splitting the
# products over the cores (the default) and on OpenBLAS's own threads
# (OPENBLAS_NUM_THREADS=nproc). PyTorch runs from two installs: Debian's
# python3-torch (1.13, OpenBLAS), and PyTorch 2.x from PyPI (MKL, oneDNN) in a
# venv of its own made by `make torch-venv`, eager and through torch.compile;
# each after torch.set_num_threads(1) and (2). BENCH_ROUNDS rounds each run
# every configuration once in turn, so that all see the same machine load;
# the tables of medians are printed and written to $(OUT)/bench.csv, the raw
# runs kept in $(OUT)/bench/ (bench/doc.go says more). A smoke test:
#   make bench BENCH_ROUNDS=1 BENCH_TIME=0.1 BENCH_SWEEP_TIME=0.05 BENCH_GEMM_TIME=0.05
BENCH_ROUNDS ?= 5
# Seconds of each timed run of rows (a)-(f), of a sweep cell, of a product.
BENCH_TIME       ?= 1
BENCH_SWEEP_TIME ?= 0.3
BENCH_GEMM_TIME  ?= 0.3
# The set_num_threads of the PyTorch 2.x configurations that run the sweep;
# the sweep and the products run in the first BENCH_SWEEP_ROUNDS rounds.
BENCH_SWEEP_THREADS ?= 2
BENCH_SWEEP_ROUNDS  ?= 3
BENCH_DIR    := $(OUT)/bench
# Debian's python3-torch is installed for Debian's own interpreter.
TORCH_DEBIAN_PYTHON ?= /usr/bin/python3
# PyTorch 2.x: the venv's, or an interpreter of your own that imports torch.
TORCH_VENV   := $(CACHE)/torch-venv
TORCH_PYTHON ?= $(TORCH_VENV)/bin/python
.PHONY: bench bench-run torch torch-venv

# Set-up may install OpenBLAS, so the benchmark runs in a second make that sees it.
bench: openblas torch $(if $(filter $(TORCH_VENV)/bin/python,$(TORCH_PYTHON)),torch-venv)
	@$(MAKE) --no-print-directory bench-run

# Debian's PyTorch (CPU), installed as root like the rest.
torch:
	@if $(TORCH_DEBIAN_PYTHON) -c 'import torch' 2>/dev/null; then \
		echo "torch: found ($(TORCH_DEBIAN_PYTHON))"; \
	elif [ "$(IS_ROOT)" = yes ]; then \
		echo "torch: installing Debian's python3-torch (PyTorch 1.13 for make bench)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch >/dev/null; \
	else \
		echo "torch: $(TORCH_DEBIAN_PYTHON) cannot import torch; make bench leaves Debian's PyTorch 1.13 out. For it:"; \
		echo "    sudo apt-get install -y python3-torch"; \
	fi

# PyTorch 2.x from PyPI, for make bench only (never make test): a venv made
# by PYTHON3 with bench/requirements-torch.txt, re-installed when that
# changes. PyPI's Linux wheel is a CUDA build of several GB that computes on
# the CPU too. A failed install (no network, no space) is reported and make
# bench goes on without its columns.
torch-venv: $(TORCH_VENV)/.installed

$(TORCH_VENV)/.installed: bench/requirements-torch.txt
	@if [ ! -x $(TORCH_VENV)/bin/python ]; then \
		echo "torch-venv: making $(TORCH_VENV) with $$($(PYTHON3) --version 2>&1)"; \
		$(PYTHON3) -m venv $(TORCH_VENV) || rm -rf $(TORCH_VENV); \
	fi; \
	if [ ! -x $(TORCH_VENV)/bin/python ]; then \
		echo "torch-venv: $(PYTHON3) -m venv failed (on Debian/Ubuntu: sudo apt-get install python3-venv); make bench goes on without PyTorch 2.x"; \
	else \
		echo "torch-venv: installing bench/requirements-torch.txt into $(TORCH_VENV) (PyTorch 2.x from PyPI, several GB)"; \
		if $(TORCH_VENV)/bin/python -m pip install -q --disable-pip-version-check -r bench/requirements-torch.txt >$(CACHE)/torch-venv.log 2>&1; then \
			touch $@; \
		else \
			tail -n 5 $(CACHE)/torch-venv.log; \
			echo "torch-venv: pip install failed (no network? about 6 GB free in $(CACHE)?); its log: $(CACHE)/torch-venv.log. make bench goes on without PyTorch 2.x"; \
		fi; \
	fi

bench-run:
	@GO='$(GO)' OUT='$(OUT)' BLAS='$(BLAS)' ROUNDS='$(BENCH_ROUNDS)' TIME='$(BENCH_TIME)' \
		SWEEP_TIME='$(BENCH_SWEEP_TIME)' GEMM_TIME='$(BENCH_GEMM_TIME)' SWEEP_THREADS='$(BENCH_SWEEP_THREADS)' \
		SWEEP_ROUNDS='$(BENCH_SWEEP_ROUNDS)' \
		TORCH_DEBIAN_PYTHON='$(TORCH_DEBIAN_PYTHON)' TORCH_PYTHON='$(TORCH_PYTHON)' \
		TORCHINDUCTOR_CACHE_DIR='$(CACHE)/torchinductor' GOFLAGS_GONUM='$(filter-out -tags=openblas,$(GOFLAGS))' \
		bash bench/run.sh

# The classroom: the assignments of notebooks/assignments graded by nbgrader
# (settings in classroom/, README "For teachers"). make classroom makes the
# nbgrader course folder $(OUT)/classroom, releases every assignment (nbgrader
# generate_assignment), hands in three submissions of each through nbgrader
# zip_collect (the reference answers and the partly right answers of
# classroom/partial written into nbgrader's release, and the untouched student
# version of make assignments), grades them (nbgrader autograde), exports the
# grades (nbgrader export: grades.csv, and grades-cells.csv with one row per
# graded cell) and prints them as a table. make classroom-test (for make test)
# also fails unless the reference got every point, the blank submission 0 on
# every graded cell and the partial one the points classroom/partial states.
# nbgrader runs in the course folder, where only classroom/nbgrader_config.py
# configures it: its Jupyter config folder is an empty one of its own, not a
# user's ~/.jupyter (marked migrated, so that Jupyter copies no old IPython
# settings into it). Its log and the kernel's go to $(OUT)/classroom/nbgrader.log.
# Needs nbgrader in PYTHON (requirements.txt), whose folder goes first on PATH:
# nbgrader runs its alembic command.
CLASSROOM       := $(OUT)/classroom
CLASSROOM_NAMES := $(basename $(notdir $(wildcard notebooks/assignments/*.ipynb)))
CLASSROOM_PY     = $(if $(findstring /,$(PYTHON)),$(abspath $(PYTHON)),$(PYTHON))
nbgrader = echo "nbgrader $(1)"; \
	(cd '$(CLASSROOM)' && PATH="$$(dirname "$$(command -v '$(CLASSROOM_PY)')"):$$PATH" JUPYTER_CONFIG_DIR='$(abspath $(CLASSROOM))/.jupyter' \
		'$(CLASSROOM_PY)' -m nbgrader $(1) >>nbgrader.log 2>&1) || \
	{ tail -n 40 '$(CLASSROOM)/nbgrader.log'; echo "classroom: nbgrader $(1) failed; its log: $(CLASSROOM)/nbgrader.log"; exit 1; }
.PHONY: classroom classroom-test classroom-run

classroom: tools venv kernel
	@$(MAKE) --no-print-directory classroom-run

classroom-test: tools venv kernel
	@$(MAKE) --no-print-directory classroom-run CLASSROOM_CHECK=-check

# The notebooks' packages are compiled once before grading, not by a first
# cell under nbgrader's cell timeout.
classroom-run:
	@$(PYTHON) -c 'import nbgrader' 2>/dev/null || { echo "classroom: $(PYTHON) cannot import nbgrader: install requirements.txt into it (make venv does)"; exit 1; }
	@start=$$(date +%s); rm -rf '$(CLASSROOM)' && mkdir -p '$(CLASSROOM)/.jupyter' && touch '$(CLASSROOM)/.jupyter/migrated' && \
	$(GO) run ./cmd/assign -course '$(CLASSROOM)' && \
	$(GO) build ./lib/... && \
	for a in $(CLASSROOM_NAMES); do $(call nbgrader,generate_assignment $$a); done && \
	$(GO) run ./cmd/assign -submit '$(CLASSROOM)' && \
	for a in $(CLASSROOM_NAMES); do $(call nbgrader,zip_collect $$a); done && \
	for a in $(CLASSROOM_NAMES); do $(call nbgrader,autograde $$a); done && \
	$(call nbgrader,export --to grades.csv) && \
	$(call nbgrader,export --exporter=cellgrades.CellGradesExportPlugin --to grades-cells.csv) && \
	echo "classroom: graded in $$(( $$(date +%s) - start )) s; the course folder is $(CLASSROOM), the grades $(CLASSROOM)/grades.csv and grades-cells.csv" && \
	$(GO) run ./cmd/assign -grades '$(CLASSROOM)' $(CLASSROOM_CHECK)

# make crosscheck: Figure 6's three trainings in Go (through Figure 6's cache,
# $(OUT)/cache) and in PyTorch (crosscheck/train.py, in the bench's venv),
# seeds CROSSCHECK_SEEDS, both data sets; prints the table of clean and PGD-20
# accuracy at eps_train side by side with a verdict per line, and writes it
# with both sides' runs to $(OUT)/crosscheck. CROSSCHECK_QUICK=1 is the smoke
# test (1 epoch, 6000 training and 1000 test images, seed 1, written to
# $(OUT)/crosscheck/quick). Not part of make test. See crosscheck/README.md.
CROSSCHECK_QUICK   ?=
CROSSCHECK_SEEDS   ?= $(if $(CROSSCHECK_QUICK),1,1 2 3)
CROSSCHECK_DATA    ?= mnist fashion-mnist
# PyTorch runs at once, and torch.set_num_threads of each: on our 2 cores, one
# PyTorch 2.15 run with 2 threads trained 7 to 19 times slower than with 1 while
# another process held a core (its OpenMP threads wait for each other).
CROSSCHECK_JOBS    ?= 2
CROSSCHECK_THREADS ?= 1
# The bench's PyTorch 2.x (make torch-venv), or an interpreter of your own.
CROSSCHECK_PYTHON  ?= $(TORCH_PYTHON)
.PHONY: crosscheck crosscheck-run

# Set-up may install OpenBLAS, so the runs go in a second make that sees it.
crosscheck: data openblas $(if $(filter $(TORCH_VENV)/bin/python,$(CROSSCHECK_PYTHON)),torch-venv)
	@$(MAKE) --no-print-directory crosscheck-run

crosscheck-run:
	@GO='$(GO)' PYTHON='$(CROSSCHECK_PYTHON)' QUICK='$(CROSSCHECK_QUICK)' SEEDS='$(CROSSCHECK_SEEDS)' \
		DATA='$(CROSSCHECK_DATA)' JOBS='$(CROSSCHECK_JOBS)' THREADS='$(CROSSCHECK_THREADS)' \
		DIR='$(OUT)/crosscheck$(if $(CROSSCHECK_QUICK),/quick)' CACHE='$(OUT)$(if $(CROSSCHECK_QUICK),/quick)/cache' \
		bash crosscheck/run.sh
