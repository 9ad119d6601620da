# leancoach — `make run` and `make test` are the two commands a newcomer needs.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TEST_ENV := DJANGO_SETTINGS_MODULE=leancoach.test_settings
VENDOR := src/leancoach/static/vendor

.PHONY: run test fuzz lint check-migrations deploy-check install install-dev assets bench clean help

help:
	@echo "make run    set up (venv, install, migrate, demo data) and serve on http://127.0.0.1:8000"
	@echo "make test   set up and run lint plus every test (SQLite; set DATABASE_URL for PostgreSQL)"
	@echo "make lint   ruff check, ruff format --check, mypy, makemigrations --check"
	@echo "make fuzz   long random runs of the API fuzz test (make test runs it short and seeded)"
	@echo "make deploy-check   leancoach check --deploy with the production settings of docs/operations.md"
	@echo "make bench  benchmarks (see docs/benchmarks.md)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

$(VENDOR)/.copied: node_modules/.package-lock.json
	mkdir -p $(VENDOR)
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx.min.js
	cp node_modules/sortablejs/Sortable.min.js $(VENDOR)/Sortable.min.js
	@touch $@

assets: $(VENDOR)/.copied

# axe-core (a devDependency) is read straight from node_modules by the accessibility
# crawl in tests/e2e; it is a test tool, never served, so it is not copied into static.
AXE := node_modules/axe-core/axe.min.js
$(AXE): node_modules/.package-lock.json
	@test -f $@ || { echo "$@ missing: run npm ci (devDependencies included)"; exit 1; }

run: install assets
	mkdir -p var
	LEANCOACH_DEBUG=1 $(BIN)/leancoach migrate --noinput
	LEANCOACH_DEBUG=1 $(BIN)/leancoach seed --scale small
	LEANCOACH_DEBUG=1 $(BIN)/leancoach serve

lint: install-dev assets
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(TEST_ENV) $(BIN)/mypy
	$(MAKE) --no-print-directory check-migrations

check-migrations: install-dev
	mkdir -p var
	$(TEST_ENV) $(BIN)/leancoach makemigrations --check --dry-run

# The settings come from docs/operations.md ("Production in brief"), so docs and check agree.
deploy-check: install-dev assets
	$(BIN)/python -m leancoach.testing.deploy_check

test: lint $(AXE)
	$(BIN)/pytest $(PYTEST_ARGS)

# Long, random runs of the property and API fuzz tests (make test runs them short and seeded).
fuzz: install-dev assets
	FUZZ_RANDOM=1 FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-400} $(BIN)/pytest -p no:randomly \
		src/leancoach/core/tests/test_api_fuzzing.py $(PYTEST_ARGS)

bench: install-dev assets
	$(BIN)/python bench/import_people.py large
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/reminders.py
	$(BIN)/python bench/xmr.py

clean:
	rm -rf $(VENV) node_modules $(VENDOR) .mypy_cache .ruff_cache
