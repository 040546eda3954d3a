# Two entry points: `make demo` (set up + the main job) and `make test` (set up + the whole suite).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup demo test lint typecheck drift pytest bench clean

$(STAMP): pyproject.toml plugins/tempworks/pyproject.toml examples/ats-example/pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]' -e ./plugins/tempworks -e ./examples/ats-example
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	$(BIN)/ats demo --provider tempworks

lint: $(STAMP)
	$(BIN)/ruff check ats_core plugins examples tests benchmarks
	$(BIN)/ruff format --check ats_core plugins examples tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy ats_core

drift: $(STAMP)
	$(BIN)/ats matrix --check
	$(BIN)/ats checklist --check
	$(BIN)/ats docs --check

pytest: $(STAMP)
	$(BIN)/pytest -q

test: lint typecheck drift pytest

bench: $(STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV)
