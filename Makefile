# rollcall: `make run` serves the app on SQLite with demo data; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export ROLLCALL_HOME ?= $(CURDIR)/rollcall-data

.PHONY: install run test test-sqlite test-postgres test-browser lint docs docs-check bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,spark]'
	touch $(STAMP)

run: install
	@if [ "$${ROLLCALL_DEMO:-1}" != "0" ]; then $(BIN)/rollcall demo --if-empty; fi
	$(BIN)/rollcall serve --host 127.0.0.1 --port 8000

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/python docs/gen_commands.py --check

# The suite: lint, everything on SQLite (browser tests included), then everything that
# touches the database again on a throwaway PostgreSQL 15 cluster.
test: lint test-sqlite test-postgres

test-sqlite: install
	$(BIN)/python -m pytest -q

test-postgres: install
	$(BIN)/python tests/pgcluster.py -- $(BIN)/python -m pytest -q -m "not browser" tests/app

docs: install
	$(BIN)/python docs/gen_commands.py

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
