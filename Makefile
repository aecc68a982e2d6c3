# Two commands do everything: `make demo` and `make test` (see README.md).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint chromium clean

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

# Browser tests use Debian's chromium (never a browser download); installing it needs root.
chromium:
	@command -v chromium >/dev/null || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# Fast unit tests first, then the real crawls and the browser against loopback servers.
test: install chromium lint
	$(BIN)/python -m pytest -m "not crawl and not browser"
	$(BIN)/python -m pytest -m "crawl or browser"


clean:
	rm -rf $(VENV) data tests/artifacts .pytest_cache
