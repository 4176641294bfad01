# The README's contract: `make demo` and `make test` work on a fresh machine with Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: setup demo test test-long bench lint clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	$(BIN)/geodrift demo --out out/demo

lint: setup
	$(BIN)/ruff check src tests bench tools
	$(BIN)/mypy

test: lint
	$(BIN)/pytest -q

test-long: setup
	$(BIN)/pytest -q -m long

bench: setup
	$(BIN)/python bench/run.py

clean:
	rm -rf out .pytest_cache .mypy_cache .ruff_cache
