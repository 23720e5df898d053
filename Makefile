# Clipdeck: `make demo` serves the app with demo content; `make test` runs every check.
# Needs only Python 3.11+ and make: uv is bootstrapped into .tools/ and installs the rest.

PYTHON ?= python3
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
DATA ?= var/demo
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: install demo serve test lint contracts migrations-check pytest format clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==0.13.9

$(VENV)/.installed: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	touch $@

install: $(VENV)/.installed

demo: install
	$(BIN)/clipdeck demo --data-dir $(DATA) --if-empty
	$(BIN)/clipdeck serve --data-dir $(DATA) --host $(HOST) --port $(PORT)

serve: install
	$(BIN)/clipdeck serve --data-dir $(DATA) --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check clipdeck tests benchmarks
	$(BIN)/ruff format --check clipdeck tests benchmarks

# The layers (import-linter contracts in pyproject.toml) and the types of the kernel,
# accounts, videos and privacy (mypy with django-stubs).
contracts: install
	$(BIN)/lint-imports
	CLIPDECK_DATA_DIR=$$(mktemp -d) $(BIN)/mypy

migrations-check: install
	CLIPDECK_DATA_DIR=$$(mktemp -d) $(BIN)/clipdeck manage makemigrations --check --dry-run

pytest: install
	$(BIN)/pytest $(PYTEST_ARGS)

test: lint contracts migrations-check pytest

format: install
	$(BIN)/ruff format clipdeck tests benchmarks
	$(BIN)/ruff check --fix clipdeck tests benchmarks

clean:
	rm -rf $(VENV) $(TOOLS) .pytest_cache .ruff_cache .mypy_cache .import_linter_cache
