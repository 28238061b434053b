# The two commands of the README:
#   make run   — install into .venv, load the demo corpus into the default SQLite store, serve
#   make test  — install dev dependencies, lint, and run the whole test suite
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin

.PHONY: run test install install-dev lint

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip==26.3

$(VENV)/.installed: pyproject.toml chainatlas/web/assets/package-lock.json | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	scripts/install-web-assets.sh
	touch $@

$(VENV)/.installed-dev: pyproject.toml chainatlas/web/assets/package-lock.json | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	scripts/install-web-assets.sh
	scripts/install-chromium.sh
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install
	$(BIN)/chainatlas demo
	$(BIN)/chainatlas serve --host 127.0.0.1 --port 8000

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	PATH="$(abspath $(BIN)):$$PATH" scripts/test
