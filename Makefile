# The whole set-up is `make run` or `make test`: each creates (or reuses) .venv itself.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SEEDS ?= ../shared/seeds

.PHONY: run test browser lint format sandbox content-check i18n bench clean

$(STAMP): pyproject.toml constraints.txt
	@if ! $(PYTHON) -m venv --help >/dev/null 2>&1 || ! $(PYTHON) -c 'import ensurepip' 2>/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing python3-venv (Debian ships venv separately)..."; \
	    apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null; \
	  else \
	    echo "Python's venv module is missing: sudo apt-get install python3-venv" >&2; exit 1; \
	  fi; \
	fi
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is needed")'
	[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

# the bot; without a token (CXCOACH_BOT_TOKEN in the environment or .env), the sandbox
run: $(STAMP)
	$(BIN)/cxcoach-dev run

sandbox: $(STAMP)
	$(BIN)/cxcoach-dev sandbox

test: $(STAMP) lint browser
	@if [ -d "$(SEEDS)" ]; then $(BIN)/cxcoach content check --seeds "$(SEEDS)"; \
	 else echo "note: $(SEEDS) not found, content checked without the copy check"; \
	 $(BIN)/cxcoach content check; fi
	$(BIN)/pytest --cov=storage --cov-report=term:skip-covered
	$(BIN)/python -m tests.coverage_floor

# the dashboard's browser tests need Debian's chromium and chromedriver (installed when
# running as root; otherwise those tests skip, saying why, and fail with CI=true)
browser:
	@if ! [ -x /usr/bin/chromium ] || ! [ -x /usr/bin/chromedriver ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing chromium and chromium-driver for the dashboard's browser tests..."; \
	    apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null; \
	  else \
	    echo "note: chromium/chromedriver missing and not root: the browser tests will skip"; \
	  fi; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

content-check: $(STAMP)
	$(BIN)/cxcoach content check --seeds "$(SEEDS)"

# Re-extract interface strings and merge them into the ru/uk catalogs (then translate).
i18n: $(STAMP)
	$(BIN)/pybabel extract -k _ -k n_:1,2 --no-default-keywords --no-location \
	  --sort-output --omit-header -o bot/locales/messages.pot bot
	$(BIN)/pybabel update -i bot/locales/messages.pot -d bot/locales \
	  --no-fuzzy-matching --width 100 --ignore-obsolete

bench: $(STAMP)
	$(BIN)/python -m bench.journey
	$(BIN)/python -m bench.journey --limited
	$(BIN)/python -m bench.due
	$(BIN)/python -m bench.broadcast
	$(BIN)/python -m bench.replicas
	$(BIN)/python -m bench.dashboard

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis .coverage build *.egg-info
