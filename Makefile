# Two commands matter: `make demo` and `make test`. Both need only Python 3.11+, pip and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DB := demo.db

.PHONY: demo test bench lint clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

demo: $(VENV)/.installed
	rm -f $(DEMO_DB)
	$(BIN)/ratify --db $(DEMO_DB) init
	$(BIN)/ratify --db $(DEMO_DB) load fixtures/treaties/*.yaml
	$(BIN)/ratify --db $(DEMO_DB) treaty list
	$(BIN)/ratify --db $(DEMO_DB) status rus-prk-2024

test: $(VENV)/.installed-test
	$(BIN)/ruff check ratify tests bench
	$(BIN)/python -m pytest

bench: $(VENV)/.installed
	$(BIN)/python bench/benchmark.py

clean:
	rm -rf $(VENV) $(DEMO_DB) .pytest_cache .hypothesis .ruff_cache
