# The commands people type. `make book` and `make test` do all the set-up on a fresh machine.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
VENV_STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
MATHJAX := _build/assets/mathjax
MATHJAX_STAMP := $(MATHJAX)/.copied
NOTEBOOKS := $(sort $(wildcard chapters/*.ipynb))
NB ?= $(NOTEBOOKS)
TIMED := tools/timed.sh

# One BLAS/OpenMP thread: small matrices run faster and steadier that way on a busy 2-core machine,
# and the chapters' outputs do not depend on the thread count.
export OMP_NUM_THREADS := 1
export OPENBLAS_NUM_THREADS := 1
export MKL_NUM_THREADS := 1

.PHONY: help book test execute lint lab clean mathjax pdf browser-test

help:
	@echo "make book     .venv を作って HTML の本を _build/html に作ります"
	@echo "make test     すべての検査 (ruff, pytest, nbval, 本のビルド, ブラウザー, textlint)"
	@echo "make execute  ノートブックを再実行して出力を保存します (NB=chapters/adam.ipynb で 1 章だけ)"
	@echo "make pdf      本全体を 1 つの PDF にします (_build/pdf/book.pdf、Chromium を使います)"
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

# The book serves MathJax itself, so formulas render offline: copy what tex-svg.js loads from npm's mathjax@3
# (node_modules, package-lock.json) to _build/assets; tools/book_assets.py puts it in _build/html/_static.
$(MATHJAX_STAMP): $(NODE_STAMP)
	rm -rf $(MATHJAX)
	mkdir -p $(MATHJAX)/input/tex
	cp node_modules/mathjax/es5/tex-svg.js $(MATHJAX)/
	cp -R node_modules/mathjax/es5/input/tex/extensions $(MATHJAX)/input/tex/
	cp -R node_modules/mathjax/es5/ui node_modules/mathjax/es5/a11y node_modules/mathjax/es5/sre $(MATHJAX)/
	cp node_modules/mathjax/LICENSE $(MATHJAX)/
	touch $@

mathjax: $(MATHJAX_STAMP)

book: $(VENV_STAMP) $(MATHJAX_STAMP)
	$(BIN)/jupyter-book build . -n --keep-going

# The distributed chapter starts gloo worker processes (ports, sockets); it runs alone, after the others,
# so that no other notebook's kernel starts while its workers open and close connections.
test: $(VENV_STAMP) $(NODE_STAMP) $(MATHJAX_STAMP)
	$(TIMED) ruff       $(BIN)/ruff check src tests chapters benchmarks tools
	$(TIMED) pytest     env DLOPT_COLAB_TEST=1 $(BIN)/pytest tests -q --ignore=tests/browser
	$(TIMED) nbval      $(BIN)/pytest --nbval --nbval-current-env -n 2 --dist loadscope -q chapters --ignore=chapters/distributed.ipynb
	$(TIMED) nbval-ddp  $(BIN)/pytest --nbval --nbval-current-env -q chapters/distributed.ipynb
	$(TIMED) book       $(BIN)/jupyter-book build . -W -n --keep-going --quiet
	$(TIMED) search     $(BIN)/python tools/check_search.py _build/html 学習率
	$(TIMED) browser    $(MAKE) --no-print-directory browser-test
	$(TIMED) textlint   $(MAKE) --no-print-directory prose-lint

# tests/browser drives headless Chromium over _build/html (and makes the PDF). Without Chromium it is skipped
# with one line that says how to get it; CI (.ci/run) installs it.
browser-test: $(VENV_STAMP)
	@if $(BIN)/python tools/chromium.py >/dev/null; then \
		$(BIN)/pytest tests/browser -q; \
	else \
		echo "[make test] browser: Chromium がないのでブラウザーの検査を飛ばしました（有効にするには: sudo apt-get install chromium fonts-noto-cjk）"; \
	fi

# One PDF of the whole book, printed by the same Chromium from the HTML (tools/pdf.py).
pdf: book
	$(BIN)/python tools/pdf.py _build/html _build/pdf/book.pdf

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
