# Concord: two commands set everything up on a fresh machine.
#   make run   install, migrate, seed the demo partnership if empty, serve on 127.0.0.1:8000
#   make test  everything the tests need (chromium included), then the whole suite
SHELL := /bin/bash
.DEFAULT_GOAL := help
TOOLS := .tools
UV := $(TOOLS)/bin/uv
UV_VERSION := 0.13.8
VENV := .venv
PY := $(VENV)/bin/python
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
# The suite runs on every core (pytest-xdist; a test file stays on one worker, each worker has its own
# test database). `make test PYTEST_ARGS=-p no:xdist` runs it in one process.
PYTEST_ARGS ?= -n auto --dist loadfile

.PHONY: help install run test test-fast lint migrate demo browsers pdf-libraries clean

help:
	@echo "make run   - install, migrate, seed the demo partnership, serve on http://127.0.0.1:8000"
	@echo "make test  - install what the tests need and run the whole suite"
	@echo "make lint  - ruff and mypy"

$(UV):
	@python_bin=$$(scripts/find-python.sh) || exit 1; \
	 echo "Using $$python_bin"; \
	 "$$python_bin" -m venv $(TOOLS) && $(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

install: $(UV)
	@UV_PYTHON=$$(scripts/find-python.sh) $(UV) sync --frozen --quiet

migrate: install
	@$(PY) manage.py migrate --no-input -v 0

run: export CONCORD_DEBUG = 1
run: export CONCORD_DEMO = 1
run: install pdf-libraries migrate
	@$(PY) manage.py demo --if-empty
	@$(PY) manage.py demo_logins
	@echo "Serving Concord on http://127.0.0.1:8000, with the background-job worker (Ctrl+C stops both)"
	@PY=$(PY) scripts/serve.sh

browsers:
	@scripts/ensure-chromium.sh

pdf-libraries:
	@scripts/ensure-pdf-libraries.sh

test: install browsers pdf-libraries
	@$(PY) -m pytest -q $(PYTEST_ARGS)

test-fast: install pdf-libraries
	@$(PY) -m pytest -q -m "not e2e" $(PYTEST_ARGS)

lint: install
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/mypy
	@$(VENV)/bin/ruff format --check . || true

clean:
	rm -rf $(VENV) $(TOOLS) var/*.sqlite3*
