# Two entry points: `make demo` (set up + the main job) and `make test` (set up + the whole suite, with the
# PostgreSQL and Redis it tests against started first).
# Every distribution under plugins/ and examples/ (a directory with a pyproject.toml) is installed,
# linted, type-checked and tested: a provider added as the README says needs no edit here.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DISTRIBUTIONS := $(patsubst %/pyproject.toml,%,$(sort $(wildcard plugins/*/pyproject.toml examples/*/pyproject.toml)))
PACKAGES := $(filter-out %.egg-info,$(foreach dist,$(DISTRIBUTIONS),$(wildcard $(dist)/ats_*)))
TEST_DIRS := tests $(wildcard $(addsuffix /tests,$(DISTRIBUTIONS)))

.PHONY: setup demo test lint typecheck drift pytest bench clean

$(STAMP): pyproject.toml $(addsuffix /pyproject.toml,$(DISTRIBUTIONS))
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]' $(addprefix -e ./,$(DISTRIBUTIONS))
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	$(BIN)/ats demo --provider tempworks

lint: $(STAMP)
	$(BIN)/ruff check ats_core plugins examples tests benchmarks
	$(BIN)/ruff format --check ats_core plugins examples tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy ats_core $(PACKAGES)

drift: $(STAMP)
	$(BIN)/ats matrix --check
	$(BIN)/ats checklist --check
	$(BIN)/ats docs --check
	$(BIN)/ats codegen --check
	$(BIN)/ats models --check

# .ci/services.sh starts PostgreSQL and Redis (installing them as root on Debian) and exports their URLs.
pytest: $(STAMP)
	.ci/services.sh $(BIN)/pytest -q $(TEST_DIRS)

test: lint typecheck drift pytest

bench: $(STAMP)
	.ci/services.sh $(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV)
