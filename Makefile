# seircast: `make run` serves the embedded default, `make test` runs every check.
# Another interpreter (3.11 or newer): `make run PYTHON=python3.12`.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install run test lint typecheck pytest bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) not found: give another, e.g. make $(or $(MAKECMDGOALS),run) PYTHON=python3.12" >&2; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --progress-bar on --constraint constraints.txt --editable '.[dev]'
	touch $@

run: install
	$(BIN)/seircast serve

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

typecheck: install
	$(BIN)/mypy app tests bench migrations

# The coverage of app/ by the tests in this process (not by fits in pool workers or subprocesses).
pytest: install
	$(BIN)/pytest -q --cov=app --cov-report=term:skip-covered

test: lint typecheck pytest

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache .coverage
