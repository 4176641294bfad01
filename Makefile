# The README's contract: `make demo` and `make test` work on a fresh machine with Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: setup system demo test test-long bench bench-scale lint audit clean
SYSTEM_PACKAGES := chromium poppler-utils libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

setup: $(STAMP)

# Headless Chromium (browser tests) and pdftoppm (PDF pages as images) come from Debian packages.
system:
	@command -v chromium >/dev/null && command -v pdftoppm >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get install -y -q $(SYSTEM_PACKAGES) >/dev/null || { apt-get update -q && apt-get install -y -q $(SYSTEM_PACKAGES); }; \
	  else echo "need Debian packages: sudo apt-get install $(SYSTEM_PACKAGES)"; exit 1; fi; }

demo: setup
	$(BIN)/geodrift demo --out out/demo

lint: setup
	$(BIN)/ruff check src tests bench tools
	$(BIN)/mypy

# The suite runs on every core (pytest-xdist), one test file per worker so a module's fixtures are built once;
# JOBS=1 runs it in one process.
JOBS ?= auto
test: lint system
	$(BIN)/pytest -q -n $(JOBS) --dist loadfile

test-long: setup system
	$(BIN)/pytest -q -m long -n $(JOBS) --dist loadfile

# Known vulnerabilities in the installed dependencies (policy: docs/operations.md); STRICT=1 fails when the
# vulnerability service is unreachable instead of warning.
audit: setup
	$(BIN)/python tools/audit.py $(if $(STRICT),--strict,)

bench: setup system
	$(BIN)/python bench/run.py

# DuckDB and Spark local[2] at 1, 10 and 100 million GDELT-shaped rows (about an hour and 60 GB of disk at 100M);
# SIZES=1000000,10000000 for a shorter run (docs/scaling.md has the measured figures).
SIZES ?= 1000000,10000000,100000000
bench-scale: setup
	$(BIN)/python bench/scale_bench.py --sizes $(SIZES)

clean:
	rm -rf out .pytest_cache .mypy_cache .ruff_cache
