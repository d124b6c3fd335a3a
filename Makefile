# One-command set-up: `make run` starts the dashboard, `make test` runs every check.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
POSITIONS_FILE ?= positions.yaml
export POSITIONS_FILE

.PHONY: run test test-long check schema bench export clean help

help:
	@echo "make run        create .venv, install, start the dashboard on $(POSITIONS_FILE)"
	@echo "make test       install dev tools, ruff check, ruff format --check, pytest"
	@echo "make check      validate $(POSITIONS_FILE)"
	@echo "make test-long  the suite with a bigger hypothesis profile"
	@echo "make bench      benchmarks -> docs/performance.md"
	@echo "make export     every chart as PNG into export/ (EXPORT_FLAGS=--force: replace files it did not write)"

$(VENV)/.installed: requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "stances needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.dev-installed: requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

# serve.py = `streamlit run app.py` that warms the first page's imports and data while the browser loads
run: $(VENV)/.installed
	$(PY) serve.py

test: $(VENV)/.dev-installed
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m pytest

test-long: $(VENV)/.dev-installed
	HYPOTHESIS_PROFILE=long $(PY) -m pytest

check: $(VENV)/.installed
	$(PY) -m stances validate $(POSITIONS_FILE)

schema: $(VENV)/.installed
	$(PY) -m stances schema > positions.schema.json

bench: $(VENV)/.dev-installed
	$(PY) bench/run.py

export: $(VENV)/.installed
	$(PY) -m stances export --out export --file $(POSITIONS_FILE) $(EXPORT_FLAGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-output export
