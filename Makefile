# Two commands do everything: `make demo` and `make test` (see README.md).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint clean

install: $(STAMP)

# Rebuilt whenever the lock file or the project metadata changes.
$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	PIP_CONFIG_FILE=/dev/null $(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	PIP_CONFIG_FILE=/dev/null $(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

demo: install
	$(BIN)/ris3watch demo

lint: install
	$(BIN)/ruff check .

# Fast unit tests first, then the real crawls against loopback servers.
test: install lint
	$(BIN)/python -m pytest -m "not crawl"
	$(BIN)/python -m pytest -m crawl


clean:
	rm -rf $(VENV) data tests/artifacts .pytest_cache
