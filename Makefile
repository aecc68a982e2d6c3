# Two commands do everything: `make demo` and `make test` (see README.md).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint system-deps bench clean

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

# Debian packages the tests use: chromium for the browser tests (never a browser download),
# libvoikko and its Finnish dictionary for fast lemmas. Installing them needs root (CI is).
SYSTEM_PACKAGES := chromium libvoikko1 voikko-fi
system-deps:
	@dpkg -s $(SYSTEM_PACKAGES) >/dev/null 2>&1 || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES); }

# Fast unit tests first, then the real crawls and the browser against loopback servers.
test: install system-deps lint
	$(BIN)/python -m pytest -m "not crawl and not browser"
	$(BIN)/python -m pytest -m "crawl or browser"


# The performance benchmark (BENCHMARKS.md): every figure, at N pages (default 2,000) and
# at 20,000 (about 15 minutes on 2 cores). `make bench N=500`, or `python -m bench --help`.
bench: install
	$(BIN)/python -m bench --scale $(if $(N),--pages $(N))

clean:
	rm -rf $(VENV) data tests/artifacts .pytest_cache
