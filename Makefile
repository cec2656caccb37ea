# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Development defaults for `make run`: no external server needed.
RUN_ENV := DEBUG=true
PG_URL ?= postgres://postgres@127.0.0.1:5432/mentoring
PYTEST_ARGS ?=

.PHONY: run test lint test-sqlite test-postgres install install-dev migrate seed messages clean bench

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.run-installed: $(BIN)/python requirements.txt
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: $(VENV)/.run-installed requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.run-installed
install-dev: $(VENV)/.dev-installed

migrate: install
	mkdir -p var/uploads var/cache
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput

seed: migrate
	$(RUN_ENV) $(BIN)/python manage.py seed_demo

## make run: the app with demo data on http://127.0.0.1:8000 (web, Celery worker and beat).
run: seed
	@echo "Serving on http://127.0.0.1:8000 — Ctrl-C stops web, worker and beat."
	$(RUN_ENV) PATH="$(CURDIR)/$(BIN):$$PATH" BIND=127.0.0.1:8000 WEB_CONCURRENCY=2 CELERY_CONCURRENCY=1 $(BIN)/honcho start -f Procfile

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=mentoring.settings_test $(BIN)/python manage.py makemigrations --check --dry-run

test-sqlite: install-dev
	env -u DATABASE_URL $(BIN)/pytest -m "not postgres" $(PYTEST_ARGS)

# PostgreSQL: the whole suite again, with the locking and concurrency tests. Outside CI a
# machine without PostgreSQL skips this pass and says so; in CI it is a failure.
test-postgres: install-dev
	@if $(BIN)/python -c "import psycopg, sys; psycopg.connect('$(PG_URL)'.rsplit('/', 1)[0] + '/postgres', connect_timeout=3).close()" 2>/dev/null; then \
		DATABASE_URL=$(PG_URL) $(BIN)/pytest -m "not browser" $(PYTEST_ARGS); \
	elif [ -n "$$CI" ]; then \
		echo "PostgreSQL does not answer on 127.0.0.1:5432, and CI must run the PostgreSQL suite." >&2; exit 1; \
	else \
		echo "SKIPPED the PostgreSQL pass: no server answers on 127.0.0.1:5432 (set up one, or rely on CI)."; \
	fi

## make test: lint, the layer contract, then the whole suite on SQLite and on PostgreSQL.
test: lint test-sqlite test-postgres

messages: install-dev
	$(RUN_ENV) $(BIN)/python manage.py makemessages -l fr --no-location --ignore=.venv --ignore=var --ignore=bench
	$(RUN_ENV) $(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf var

## make bench: the benchmarks (PostgreSQL and Redis needed), written to bench/REPORT.md; BENCH=<name> runs one.
bench: install-dev
	$(BIN)/python -m bench $(BENCH)
