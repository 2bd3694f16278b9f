# peer-report — every target creates .venv and installs what it needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint typecheck pytest bench serve-demo redis-server postgresql clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

## The main job on bundled demo data: no token, no network.
demo: $(STAMP)
	$(BIN)/peer-report show --demo
	@echo
	$(BIN)/peer-report session --demo

## Lint, format check, strict typing, then the whole test suite.
test: $(STAMP) redis-server postgresql
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy --strict bot
	$(BIN)/pytest

## Benchmarks (ratios measured in one run; see README).
bench: $(STAMP) redis-server
	$(BIN)/python -m benchmarks

serve-demo: $(STAMP)
	$(BIN)/peer-report serve --demo

## Redis tests start their own redis-server on a free loopback port; install it if missing.
redis-server:
	@command -v redis-server >/dev/null 2>&1 || { \
	  echo "installing redis-server (Debian package)"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null) \
	  || (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null); }

## The SQL store tests start their own PostgreSQL (initdb in a temp dir, a free loopback port,
## as the `postgres` user when run as root); install Debian's server package if missing.
postgresql:
	@{ command -v pg_ctl >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; } || { \
	  echo "installing postgresql (Debian package)"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) \
	  || (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null); }

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache dist build
