# The commands people type. `make book` and `make test` do all the set-up on a fresh machine.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
VENV_STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
NOTEBOOKS := $(sort $(wildcard chapters/*.ipynb))
NB ?= $(NOTEBOOKS)
TIMED := tools/timed.sh

# One BLAS/OpenMP thread: small matrices run faster and steadier that way on a busy 2-core machine,
# and the chapters' outputs do not depend on the thread count.
export OMP_NUM_THREADS := 1
export OPENBLAS_NUM_THREADS := 1
export MKL_NUM_THREADS := 1

.PHONY: help book test execute lint lab clean

help:
	@echo "make book     .venv を作って HTML の本を _build/html に作ります"
	@echo "make test     すべての検査 (ruff, pytest, nbval, 本のビルド, textlint)"
	@echo "make execute  ノートブックを再実行して出力を保存します (NB=chapters/adam.ipynb で 1 章だけ)"
	@echo "make lint     ruff と textlint だけ"
	@echo "make lab      JupyterLab を開きます"
	@echo "make clean    _build を消します"

# .venv is created on first use and re-installed only when the requirements change.
$(VENV_STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

book: $(VENV_STAMP)
	$(BIN)/jupyter-book build . -n --keep-going

test: $(VENV_STAMP) $(NODE_STAMP)
	$(TIMED) ruff       $(BIN)/ruff check src tests chapters benchmarks tools
	$(TIMED) pytest     env DLOPT_COLAB_TEST=1 $(BIN)/pytest tests -q
	$(TIMED) nbval      $(BIN)/pytest --nbval --nbval-current-env -n 2 --dist loadscope -q chapters
	$(TIMED) book       $(BIN)/jupyter-book build . -W -n --keep-going --quiet
	$(TIMED) search     $(BIN)/python tools/check_search.py _build/html 学習率
	$(TIMED) textlint   $(MAKE) --no-print-directory prose-lint

execute: $(VENV_STAMP)
	$(BIN)/python tools/execute.py $(NB)

lint: $(VENV_STAMP) $(NODE_STAMP)
	$(BIN)/ruff check src tests chapters benchmarks tools
	$(MAKE) --no-print-directory prose-lint

.PHONY: prose-lint
prose-lint: $(VENV_STAMP) $(NODE_STAMP)
	$(BIN)/python tools/prose.py _build/prose chapters
	npx --no-install textlint --config .textlintrc.yml "_build/prose/**/*.md"

lab: $(VENV_STAMP)
	$(BIN)/jupyter lab chapters

clean:
	rm -rf _build
