# The two commands a fresh clone needs: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PRESET ?= mccalip-2025-12

.PHONY: run test docs install install-test chromium clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip setuptools wheel

# Every extra: `make run` writes a report ([report]) and `orbitaldc serve` needs [web].
$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install -e '.[all]'
	touch $@

# One resolve for the suite: the run's extras and the test extras together.
$(VENV)/.installed-test: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install -e '.[all,test]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

# Debian's chromium for the browser tests (never `playwright install`).
chromium:
	@command -v chromium >/dev/null 2>&1 || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; }

run: install
	$(BIN)/orbitaldc run $(PRESET)
	$(BIN)/orbitaldc report $(PRESET) --out reports/$(PRESET).html

# The documentation site, offline, warnings as errors: docs/_build/html/index.html.
docs: install-test
	$(BIN)/python -m sphinx -W --keep-going -q -b html docs docs/_build/html
	@echo "docs: docs/_build/html/index.html"

# The whole suite; it builds the docs (tests/docs) and a wheel in a fresh venv (tests/packaging).
# One pytest-xdist worker per core; each test module (or class) stays on one worker, module fixtures
# built once; the longest modules start first (tests/conftest.py), in the order given there.
test: install-test chromium
	$(BIN)/python -m pytest -n auto --dist loadscope --no-loadscope-reorder tests

bench: install-test
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) build dist *.egg-info src/*.egg-info reports .pytest_cache docs/_build docs/_generated
