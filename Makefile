# Two commands do all the set-up: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8501
CHROMIUM ?= /usr/bin/chromium
OIDC_DIR := tests/support/oidc
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test check test-stress lint format bench venv test-deps system-deps clean
# Test processes: one per core up to four, each module's tests kept together (they share its
# app server); `make test WORKERS=0` runs everything in one process. -rR lists the browser tests
# that needed a second run (tests/e2e/conftest.py).
WORKERS ?= auto
PYTEST := $(BIN)/python -m pytest -q -rR -n $(WORKERS) --maxprocesses 4 --dist loadfile

$(BIN)/.runtime: requirements.txt
	@echo "==> Creating the Python environment in $(VENV) (the first time takes about two minutes)"
	$(PYTHON) -m venv $(VENV)
	@echo "==> Updating pip"
	$(BIN)/pip install --quiet --upgrade pip
	@echo "==> Installing the app's packages from requirements.txt"
	$(BIN)/pip install --progress-bar off -r requirements.txt
	touch $@

$(BIN)/.test: requirements-test.txt requirements.txt $(BIN)/.runtime
	@echo "==> Installing the test packages from requirements-test.txt"
	$(BIN)/pip install --progress-bar off -r requirements-test.txt
	touch $@

venv: $(BIN)/.runtime

## Start the app on the embedded default (SQLite + local files in data/, demo contest).
## The demo is off unless asked for, so a deployment never seeds its known passwords.
## Links and QR codes use CONTEST_BASE_URL; unset, the address of this PORT.
run: $(BIN)/.runtime
	@echo "==> Preparing the database (and the demo contest on the first run)"
	CONTEST_DEMO=true $(BIN)/python -m contest prepare
	@echo "==> Starting the app on http://localhost:$(PORT) (Ctrl+C stops it)"
	CONTEST_DEMO=true CONTEST_BASE_URL="$${CONTEST_BASE_URL:-http://localhost:$(PORT)}" \
		$(BIN)/streamlit run app.py --server.port $(PORT)

## Debian packages the browser tests need: Chromium and a Korean font.
system-deps:
	@if [ ! -x $(CHROMIUM) ] || ! fc-list 2>/dev/null | grep -qi nanum; then \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-nanum; \
	fi
	@if ! command -v initdb >/dev/null && [ ! -x /usr/lib/postgresql/15/bin/initdb ]; then \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq postgresql-15; \
	fi
	@if ! command -v npm >/dev/null; then \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nodejs npm; \
	fi

## The OpenID Connect provider the single sign-on test starts (versions pinned by its lock file).
$(OIDC_DIR)/node_modules/.installed: $(OIDC_DIR)/package.json $(OIDC_DIR)/package-lock.json | system-deps
	npm ci --prefix $(OIDC_DIR) --no-audit --no-fund --loglevel=error
	touch $@

test-deps: $(BIN)/.test system-deps $(OIDC_DIR)/node_modules/.installed

## Install everything the tests need, then run lint, the type check and the whole suite.
test: test-deps lint
	$(PYTEST)

## While changing code: lint, types and every test but the browser ones (a few minutes).
check: $(BIN)/.test lint
	$(PYTEST) -m "not e2e"

## The browser tests three times in a row with every core kept busy: zero failures is the bar.
test-stress: test-deps
	$(BIN)/python -m tests.support.stress --rounds 3 -- -m e2e -n $(WORKERS) --maxprocesses 4 --dist loadfile

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format:
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Every bench that needs no input; bench_upload.py and bench_hashes.py time folders of copies
## against stored posters or another checkout (their docstrings and docs/benchmarks.md say how).
NEEDS_INPUT := bench/bench_upload.py bench/bench_hashes.py
bench: $(BIN)/.test
	for b in $(filter-out $(NEEDS_INPUT),$(wildcard bench/bench_*.py)); do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache $(OIDC_DIR)/node_modules
