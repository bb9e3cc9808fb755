# Two commands matter: `make demo` and `make test`. Both need only Python 3.11+, pip and make.
# `make check` is the contributor's quick loop (docs/development.md). PYTHON=python3.13 VENV=.venv-3.13
# builds and tests another interpreter beside the default one (.ci/run does, for the oldest and newest).
# They install the exact versions in constraints.txt, so a new release upstream cannot break them;
# `make constraints` moves those pins forward on purpose (docs/development.md).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_DB := demo.db
CONSTRAINTS := constraints.txt
# Build dependencies (hatchling) are pinned too: pip builds the package in an isolated environment.
PIP_INSTALL = $(BIN)/python -m pip install --quiet -c $(CONSTRAINTS) --build-constraint $(CONSTRAINTS)
LOCK_VENV := .venv-constraints
# Pinned before they are declared: alembic (the store's migrations) joins the dependencies.
LOCK_EXTRA := 'alembic>=1.13'

.PHONY: demo test check bench lint clean constraints

# A changed pyproject.toml or constraints.txt rebuilds the environment from scratch, so nothing
# unpinned or no longer required lingers in it.
$(VENV)/.created: pyproject.toml $(CONSTRAINTS)
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c $(CONSTRAINTS) --upgrade pip
	touch $@

# ratify alone for the demo; with the test tools in one install (each install builds the package).
$(VENV)/.installed: $(VENV)/.created
	$(PIP_INSTALL) -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.created
	$(PIP_INSTALL) -e '.[test]'
	touch $@

demo: $(VENV)/.installed
	rm -f $(DEMO_DB)
	$(BIN)/ratify --db $(DEMO_DB) init
	$(BIN)/ratify --db $(DEMO_DB) load fixtures/treaties/*.yaml
	$(BIN)/ratify --db $(DEMO_DB) treaty list
	$(BIN)/ratify --db $(DEMO_DB) status rus-prk-2024

lint: $(VENV)/.installed-test
	$(BIN)/ruff check ratify tests bench
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest -n auto

# Lint, types, the pure rule and date tests and a CLI smoke test: under 30 s on two cores.
CHECK_TESTS := tests/test_rules_status.py tests/test_rules_votes.py tests/test_dates.py tests/test_smoke.py
check: lint
	$(BIN)/python -m pytest -m 'not slow' $(CHECK_TESTS)

# bench/postgres.py needs psycopg (a test dependency) and a server: RATIFY_BENCH_POSTGRES, else
# postgresql://postgres@127.0.0.1:5432/test.
bench: $(VENV)/.installed-test
	$(BIN)/python bench/benchmark.py
	$(BIN)/python bench/bulk.py
	$(BIN)/python bench/serve.py
	$(BIN)/python bench/postgres.py
	$(BIN)/python bench/instructions.py

# The newest releases that pyproject.toml allows, resolved in a fresh environment (with the build
# backend and every extra), written to constraints.txt. Review the diff, run `make test`, commit.
constraints:
	rm -rf $(LOCK_VENV)
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(LOCK_VENV)/bin/python -m pip install --quiet -e '.[test,postgres]' hatchling $(LOCK_EXTRA)
	{ echo "# Exact versions for make demo and make test: every dependency of ratify and of its"; \
	  echo "# test and postgres extras, direct and transitive, and the build backend."; \
	  echo "# Made by \`make constraints\` with Python $$($(LOCK_VENV)/bin/python -c 'import platform; print(platform.python_version())')"; \
	  echo "# (docs/development.md); pyproject.toml keeps the ranges users install from."; \
	  $(LOCK_VENV)/bin/python -m pip freeze --all --exclude-editable | grep -v '^setuptools=='; \
	} > $(CONSTRAINTS).tmp
	mv $(CONSTRAINTS).tmp $(CONSTRAINTS)
	rm -rf $(LOCK_VENV)

clean:
	rm -rf $(VENV) .venv-3.* $(LOCK_VENV) $(DEMO_DB) .pytest_cache .hypothesis .ruff_cache .mypy_cache
